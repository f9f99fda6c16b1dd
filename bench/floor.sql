-- The floor under `wrench import workorders`: SQLite alone moving the rows
-- that the sqlite3 shell's .import put in the bare table (attached as b)
-- into wrench's work-order table, with its unique keys and filter indexes,
-- converting the same columns and resolving each asset tag.  No CSV, no
-- validation, no failure events, no fault-search index, no foreign-key
-- checks, a rollback journal, and sequential UUIDs: a lower bound on what
-- an import into this schema can cost.  bench/run.sh times it.
PRAGMA journal_mode = DELETE;
PRAGMA cache_size = -524288;
BEGIN IMMEDIATE;
INSERT INTO wo(uuid, number, title, type, status, priority, asset_id, assignee, due_at,
               problem, cause, remedy, is_failure, est_hours, created_at, completed_at,
               updated_at)
SELECT printf('018f0000-0000-7000-8000-%012d', b.wo.rowid), number, title,
       CASE type WHEN 'corrective' THEN 0 WHEN 'preventive' THEN 1
                 WHEN 'inspection' THEN 2 ELSE 3 END,
       CASE status WHEN 'requested' THEN 0 WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2
                   WHEN 'on_hold' THEN 3 WHEN 'done' THEN 4 WHEN 'closed' THEN 5 ELSE 6 END,
       CASE priority WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END,
       (SELECT id FROM asset WHERE tag = b.wo.asset), assignee, unixepoch(due),
       problem, cause, remedy, failure = 'yes', est_hours, unixepoch(created),
       unixepoch(nullif(completed, '')), 0
FROM b.wo;
COMMIT;
