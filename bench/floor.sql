-- The floor under `wrench import workorders`, run by bench/run.sh right
-- after the sqlite3 shell's .import of the same file into a bare table wo
-- (all columns text): the indexes that the work-order lists need to stay
-- under 50 ms on a million rows, and the unique number an import needs to
-- find existing rows.  No UUIDs, no typed columns, no asset lookups, no
-- failure events, no fault-search index: a lower bound on an import into
-- any schema that serves the lists.
PRAGMA cache_size = -524288;
BEGIN;
CREATE UNIQUE INDEX wo_number ON wo(number);
CREATE INDEX wo_status ON wo(status);
CREATE INDEX wo_asset ON wo(asset);
CREATE INDEX wo_assignee ON wo(assignee, status);
COMMIT;
