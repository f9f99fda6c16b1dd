/*
 * failpoint.c - crash points for the tests, and nothing else.
 *
 * WRENCH_CENTRAL_FAILPOINT names one point of a push or a resource write:
 *   before-commit        the process ends (_exit) just before COMMIT;
 *   after-commit         it ends just after COMMIT, before the answer;
 *   pause-before-commit  it holds the open transaction while the file named
 *                        by WRENCH_CENTRAL_PAUSE_FILE exists (at most 120 s),
 *                        which lets a test keep a transaction with its
 *                        change-log rows open.
 * Unset in production; documented in README under "The central server".
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "central.h"

void failpoint(const char *name)
{
	const char *fp = getenv("WRENCH_CENTRAL_FAILPOINT");
	const char *file = getenv("WRENCH_CENTRAL_PAUSE_FILE");

	if (!fp)
		return;
	if (!strcmp(fp, name))
		_exit(70);
	if (!strcmp(name, "before-commit") && !strcmp(fp, "pause-before-commit") && file) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		for (int i = 0; i < 6000 && access(file, F_OK) == 0; i++)
			nanosleep(&ts, NULL);
	}
}
