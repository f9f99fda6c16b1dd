/*
 * testdb.h - a fresh, throw-away store for unit tests.
 *
 * Each test that needs a database calls testdb_open() in its setup and
 * testdb_close() in its teardown.  The database lives in its own mkdtemp()
 * folder under $TMPDIR (or /tmp), so tests running in parallel never share
 * a file, and nothing is left behind.
 */
#ifndef WRENCH_TESTS_TESTDB_H
#define WRENCH_TESTS_TESTDB_H

#include <stddef.h>
#include "store.h"

/* Creates a temporary folder, opens (creates and migrates) wrench.db in it
 * with the actor "tester", and writes the database path to path_out (n bytes;
 * 512 is plenty).  Fails the running test with ck_abort_msg() if anything
 * goes wrong, so callers need not check the result. */
struct store *testdb_open(char *path_out, size_t n);

/* Closes the store (s may be NULL) and removes the database, its -wal,
 * -shm, -journal and .lock-info files and the temporary folder made by
 * testdb_open(). */
void testdb_close(struct store *s, const char *path);

/* Adds an asset named after its tag, of class cls (NULL: none), failing
 * the running test if the store refuses it. */
void testdb_add_asset(struct store *s, const char *tag, const char *cls);

/* Cell (r, c) of a report's table, failing the running test when the table
 * has no such cell. */
const char *testdb_cell(const struct wr_table *t, size_t r, size_t c);

/* Asserts row r of a report's table whole: expect is its cells separated
 * by '|', "-" for an empty one. */
void testdb_row_is(const struct wr_table *t, size_t r, const char *expect);

#endif
