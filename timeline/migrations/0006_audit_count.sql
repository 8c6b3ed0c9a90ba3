-- The audit log folds repeated refusals into one row with a count and the
-- time of the last one, and is pruned by age and size.
ALTER TABLE audit_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN last_at TEXT NOT NULL DEFAULT '';
UPDATE audit_log SET last_at = at;
CREATE INDEX audit_log_remote ON audit_log (remote, action, id);
CREATE INDEX audit_log_at ON audit_log (at);
