/* good.c - correct binding that tests/lint/binds.sh must accept (not built). */
static int run_rows(struct store *s, const struct store_binds *b, struct wr_err *e)
{
	if (store_binds_check(b, e, "listing") != WR_OK)
		return WR_EDB;
	while (sqlite3_step(b->st) == SQLITE_ROW)
		;
	return WR_OK;
}

static int checked(struct store *s, sqlite3_stmt *st, struct wr_err *e)
{
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, 1);
	if (store_binds_check(&b, e, "reading") != WR_OK)
		return WR_EDB;
	return sqlite3_step(st) == SQLITE_ROW ? WR_OK : WR_EDB;
}

static int ran(struct store *s, sqlite3_stmt *st, struct wr_err *e)
{
	struct store_binds b = store_binds_start(st);
	store_bind_text(&b, 1, "x");
	return store_run(s, &b, e, "writing");
}

static int handed_over(struct store *s, sqlite3_stmt *st, struct wr_err *e)
{
	struct store_binds b = store_binds_start(st);
	store_bind_int64(&b, 1, 2);
	return run_rows(s, &b, e);
}

static int in_a_loop(struct store *s, sqlite3_stmt *st, struct wr_err *e)
{
	int rc = WR_OK;
	for (int i = 0; i < 3 && rc == WR_OK; i++) {
		struct store_binds b = store_binds_start(st);
		store_bind_int(&b, 1, i);
		rc = store_run(s, &b, e, "writing");
		sqlite3_reset(st);
	}
	return rc;
}
