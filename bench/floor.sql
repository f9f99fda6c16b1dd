-- The floor under `wrench import workorders`, run by bench/run.sh right
-- after the sqlite3 shell's .import of the same file into a bare table wo
-- (all columns text): the indexes that the work-order lists need to stay
-- under 50 ms on a million rows, and the unique number an import needs to
-- find existing rows.  The lists filter by status, asset and assignee and
-- sort by number, status, asset, priority, due date and title; without an
-- index on its column, a sorted page of a million rows is a scan and a sort
-- of the whole table (0.19-0.45 s for the first 50 by priority, due date or
-- title, measured on 2026-12-03), so those three are here too.  No UUIDs,
-- no typed columns, no asset lookups, no failure events, no fault-search
-- index: a lower bound on an import into any schema that serves the lists.
PRAGMA cache_size = -524288;
BEGIN;
CREATE UNIQUE INDEX wo_number ON wo(number);
CREATE INDEX wo_status ON wo(status);
CREATE INDEX wo_asset ON wo(asset);
CREATE INDEX wo_assignee ON wo(assignee, status);
CREATE INDEX wo_priority ON wo(priority);
CREATE INDEX wo_due ON wo(due);
CREATE INDEX wo_title ON wo(title);
COMMIT;
