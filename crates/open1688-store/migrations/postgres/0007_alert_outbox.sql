-- Deliveries of new alerts, one row per notifier channel, written in the transaction that stores
-- the alerts: a monitor killed between storing and sending leaves the row pending, and the next
-- cycle sends it. The delivery id is stable across attempts, so receivers can deduplicate.
CREATE TABLE alert_outbox (
    id              BIGSERIAL PRIMARY KEY,
    delivery_id     TEXT NOT NULL,
    channel         TEXT NOT NULL,
    watch_id        BIGINT NOT NULL,
    alerts          TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,
    claimed_by      TEXT,
    delivered_ms    BIGINT,
    last_error      TEXT,
    UNIQUE (delivery_id, channel)
);
CREATE INDEX alert_outbox_pending ON alert_outbox (next_attempt_ms) WHERE delivered_ms IS NULL;
