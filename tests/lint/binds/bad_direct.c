/* bad_direct.c - tests/lint/binds.sh must reject this (not built).
 * expect: sqlite3_bind_* outside the binder */
static int direct(sqlite3_stmt *st)
{
	sqlite3_bind_int(st, 1, 1);
	return sqlite3_step(st);
}
