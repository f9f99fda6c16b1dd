/*
 * version.h - wrench's version, said once.  `wrench --version` prints it,
 * the sync transport sends it in its User-Agent (sync/http.c), and the man
 * page's header repeats it (tests/cli/conventions.sh checks that it does).
 */
#ifndef WRENCH_VERSION_H
#define WRENCH_VERSION_H

#define WRENCH_VERSION "0.1.0"

#endif
