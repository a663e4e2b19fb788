-- When a failing watch was paused, until when: the monitor's failure policy decides it, and
-- `watch list` reports it as stored instead of guessing with the default policy.
ALTER TABLE watches ADD COLUMN paused_until_ms BIGINT;
