/*
 * csv_pipe.h - a CSV file read and prepared on a thread of its own, its
 * records taken in order on the caller's, private to store/.
 *
 * An import spends a third of its row loop reading the file and turning
 * each record into values (parsing, dates, enumerations), work that needs
 * no database; the other two thirds are SQLite's, which only the thread
 * holding the transaction may do.  csv_pipe_read runs the first on a
 * reading thread and the second on the caller's, so that on a machine with
 * a second core the import takes about the time of its SQLite work.
 *
 * Each record goes through prep on the reading thread, in order, with a
 * slot of slot_size bytes of the caller's own (what prep made of it), then
 * through take on the calling thread, in the same order, with a copy of the
 * record and the same slot.  A slot prep filled that take never gets (the
 * read stopped) is handed to drop, which frees what prep kept in it.
 * prep may keep state of its own between records, which take must not
 * read before the record that set it arrives.
 */
#ifndef WRENCH_STORE_CSV_PIPE_H
#define WRENCH_STORE_CSV_PIPE_H
#include <stddef.h>
#include "csv_read.h"

/* Reading thread: WR_OK, or an error (in e) that ends the read. */
typedef int (*csv_pipe_prep_fn)(struct csv_row *row, void *slot, void *ctx, struct wr_err *e);
/* Calling thread: WR_OK, or an error (the caller's own) that ends the read. */
typedef int (*csv_pipe_take_fn)(struct csv_row *row, void *slot, void *ctx);
/* Calling thread: frees a slot prep filled and take never got. */
typedef void (*csv_pipe_drop_fn)(void *slot, void *ctx);

struct csv_pipe_fns {
	csv_pipe_prep_fn prep;
	csv_pipe_take_fn take;
	csv_pipe_drop_fn drop;
	size_t slot_size;
};

/* Reads path as csv_read_file_opts does, each record through fns as above.
 * Returns WR_OK; take's code, its message where take put it; or the
 * reader's or prep's code with its message in e.  Without a second thread
 * (pthread_create failing) each record is prepared and taken in turn. */
int csv_pipe_read(const char *path, struct csv_read_opts *opts, const struct csv_pipe_fns *fns,
                  void *ctx, struct wr_err *e);
#endif
