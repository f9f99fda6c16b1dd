/* bad_unchecked.c - tests/lint/binds.sh must reject this (not built).
 * expect: are never checked */
static void unchecked(sqlite3_stmt *st)
{
	struct store_binds b = store_binds_start(st);
	store_bind_int(&b, 1, 1);
}
