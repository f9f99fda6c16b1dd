/* bad_void.c - tests/lint/binds.sh must reject this (not built).
 * expect: the result of a bind check is thrown away */
static int voided(sqlite3_stmt *st, struct wr_err *e)
{
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, 1);
	(void)store_binds_check(&b, e, "reading");
	return sqlite3_step(st);
}
