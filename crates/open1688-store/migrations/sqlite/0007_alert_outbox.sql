-- Deliveries of new alerts, one row per notifier channel, written in the transaction that stores
-- the alerts: a monitor killed between storing and sending leaves the row pending, and the next
-- cycle sends it. The delivery id is stable across attempts, so receivers can deduplicate.
CREATE TABLE alert_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id     TEXT NOT NULL,
    channel         TEXT NOT NULL,
    watch_id        INTEGER NOT NULL,
    alerts          TEXT NOT NULL,
    created_ms      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    claimed_by      TEXT,
    delivered_ms    INTEGER,
    last_error      TEXT,
    UNIQUE (delivery_id, channel)
);
CREATE INDEX alert_outbox_pending ON alert_outbox (next_attempt_ms) WHERE delivered_ms IS NULL;
