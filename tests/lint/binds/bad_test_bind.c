/* bad_test_bind.c - tests/lint/binds.sh must reject this: outside the unit tests,
 * a ck_assert does not excuse a raw bind (not built).
 * expect: sqlite3_bind_* outside the binder */
static void raw(sqlite3_stmt *st)
{
	ck_assert_int_eq(sqlite3_bind_int(st, 1, 1), SQLITE_OK);
}
