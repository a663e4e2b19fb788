-- Orders placed from purchase plans. A row is written (state `intent`) with its stable
-- out_order_id BEFORE the platform is asked to create the order, so that after a timeout or a
-- crash the order is found again through the platform's order list by out_order_id instead of
-- being created a second time. Money is NUMERIC (yuan).
CREATE TABLE orders (
    id               BIGSERIAL PRIMARY KEY,
    out_order_id     TEXT NOT NULL UNIQUE,
    batch            TEXT NOT NULL,
    supplier         TEXT NOT NULL,
    cargo            TEXT NOT NULL,
    expected_total   NUMERIC NOT NULL,
    platform_total   NUMERIC,
    state            TEXT NOT NULL,
    order_id         BIGINT UNIQUE,
    status           TEXT,
    logistics        TEXT,
    error            TEXT,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    status_ms        BIGINT
);
CREATE INDEX orders_state ON orders (state, status);

-- Every status an order was seen in, once, in the order seen: its timeline.
CREATE TABLE order_events (
    id        BIGSERIAL PRIMARY KEY,
    order_row BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at_ms     BIGINT NOT NULL,
    status    TEXT NOT NULL,
    source    TEXT NOT NULL,
    detail    TEXT
);
CREATE INDEX order_events_row ON order_events (order_row, id);
