-- Orders placed from purchase plans. A row is written (state `intent`) with its stable
-- out_order_id BEFORE the platform is asked to create the order, so that after a timeout or a
-- crash the order is found again through the platform's order list by out_order_id instead of
-- being created a second time. Money is DECIMAL (yuan).
CREATE TABLE orders (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    out_order_id     VARCHAR(64) NOT NULL UNIQUE,
    batch            VARCHAR(255) NOT NULL,
    supplier         VARCHAR(255) NOT NULL,
    cargo            LONGTEXT NOT NULL,
    expected_total   DECIMAL(20, 4) NOT NULL,
    platform_total   DECIMAL(20, 4),
    state            VARCHAR(16) NOT NULL,
    order_id         BIGINT UNIQUE,
    status           VARCHAR(64),
    logistics        LONGTEXT,
    error            TEXT,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    status_ms        BIGINT,
    INDEX orders_state (state, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- Every status an order was seen in, once, in the order seen: its timeline.
CREATE TABLE order_events (
    id        BIGINT AUTO_INCREMENT PRIMARY KEY,
    order_row BIGINT NOT NULL,
    at_ms     BIGINT NOT NULL,
    status    VARCHAR(64) NOT NULL,
    source    VARCHAR(16) NOT NULL,
    detail    TEXT,
    INDEX order_events_row (order_row, id),
    FOREIGN KEY (order_row) REFERENCES orders (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
