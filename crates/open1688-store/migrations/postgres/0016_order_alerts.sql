-- Order alerts go through the alert outbox like a watch's: every status change in an order's
-- timeline, whoever saw it (the monitor's poll, a push to the service, `order track`), is
-- alerted once. `alerted_ms` marks the events already turned into alerts (set in the
-- transaction that queues them); events from before this migration were alerted directly.
ALTER TABLE order_events ADD COLUMN alerted_ms BIGINT;
UPDATE order_events SET alerted_ms = at_ms;
CREATE INDEX order_events_unalerted ON order_events (id) WHERE alerted_ms IS NULL;
-- The status_ms of the stay in a status that was alerted as stuck: alerted once per stay,
-- across restarts, instead of once per monitor process.
ALTER TABLE orders ADD COLUMN stuck_alerted_ms BIGINT;
-- An order's alerts carry its platform order id (their watch_id is 0: no watch raised them).
ALTER TABLE alerts ADD COLUMN order_id BIGINT;
