/*
 * outfile.h - writing a named output file whole or not at all
 * (store/outfile.c).  Plain file I/O, no SQL: used for exports and rejects
 * files, and by anything else that writes a file the user names.
 *
 * The content goes to a temporary file in the target's folder, which commit
 * flushes to disk and renames over the target: a reader never sees half a
 * file, and a failed or interrupted write leaves an existing target as it
 * was.  A replaced file keeps its permissions (and, where allowed, its
 * owner); a new file gets 0666 less the umask, like any created file.  A
 * symbolic link is followed: the file it points to is replaced.  A target
 * that exists but is not a regular file (a pipe, /dev/null, /dev/stdout) is
 * written in place, since it cannot be renamed over.
 *
 * Guards name files the output must never be: the open database with its
 * SQLite journals, the input being read.  They are compared by device and
 * inode (or by folder and name when a file does not exist yet), so that a
 * symbolic link, a hard link or another spelling of the path is caught.
 */
#ifndef WRENCH_OUTFILE_H
#define WRENCH_OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include "util.h"

struct wr_outfile_guard {
	const char *path;       /* a file the output must not be ("-" and "" are ignored) */
	const char *what;       /* what it is, for the message: "the database" */
	int journals;           /* also PATH-wal, PATH-shm and PATH-journal */
};

struct wr_outfile {
	FILE *f;                /* write the content here, between open and commit */
	char *name;             /* the path as given, for messages */
	char *target;           /* the file that commit replaces, links followed */
	char *tmp;              /* the temporary file; NULL when writing in place */
};

/* Refuses a path that is one of the guarded files (WR_EINPUT, with a message
 * naming both paths), else opens the temporary file.  On failure nothing is
 * left to abort. */
int wr_outfile_open(struct wr_outfile *o, const char *path, const struct wr_outfile_guard *g,
                    size_t ng, struct wr_err *e);
/* Flushes, syncs and renames the temporary file into place; on any failure
 * removes it and leaves the target untouched.  Closes o either way. */
int wr_outfile_commit(struct wr_outfile *o, struct wr_err *e);
/* Closes o and removes the temporary file; the target is untouched. */
void wr_outfile_abort(struct wr_outfile *o);

#endif
