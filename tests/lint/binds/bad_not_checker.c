/* bad_not_checker.c - tests/lint/binds.sh must reject this: the binder goes
 * to a function that does not check it (not built).
 * expect: sqlite3_step before the binds of b */
static void more_binds(struct store_binds *b)
{
	store_bind_int(b, 2, 2);
}

static int not_checked(struct store *s, sqlite3_stmt *st, struct wr_err *e)
{
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, 1);
	more_binds(&b);
	return sqlite3_step(st) == SQLITE_DONE ? WR_OK : WR_EDB;
}
