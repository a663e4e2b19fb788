-- An alert a person has seen and dealt with is acknowledged (when, and by which API key or user);
-- lists can then show only what still needs attention.
ALTER TABLE alerts ADD COLUMN acknowledged_ms BIGINT;
ALTER TABLE alerts ADD COLUMN acknowledged_by TEXT;
CREATE INDEX alerts_at ON alerts (at_ms);
