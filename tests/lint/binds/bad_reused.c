/* bad_reused.c - tests/lint/binds.sh must reject this: the second statement
 * is bound through the first one's binder, so its binds go to the first
 * statement (not built).
 * expect: binds through b with no store_binds_start since its last check */
static int reused(struct store *s, struct wr_err *e)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM t WHERE id = ?1", e);
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, 1);
	int rc = store_run(s, &b, e, "deleting");
	st = store_stmt(s, "DELETE FROM u WHERE id = ?1", e);
	store_bind_int(&b, 1, 2);
	return rc == WR_OK ? store_run(s, &b, e, "deleting") : rc;
}
