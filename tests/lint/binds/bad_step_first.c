/* bad_step_first.c - tests/lint/binds.sh must reject this (not built).
 * expect: sqlite3_step before the binds of b */
static int step_first(sqlite3_stmt *st, struct wr_err *e)
{
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, 1);
	int r = sqlite3_step(st);
	if (store_binds_check(&b, e, "reading") != WR_OK)
		return -1;
	return r;
}
