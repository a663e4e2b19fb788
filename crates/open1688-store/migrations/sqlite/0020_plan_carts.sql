-- Each key's purchase plan in the making (the dashboard's plan cart): one line per offer and SKU
-- (sku_id 0: the offer has no SKU), kept in the store so every instance shows the same cart.
CREATE TABLE plan_cart_lines (
    key_id    BIGINT NOT NULL,
    offer_id  BIGINT NOT NULL,
    sku_id    BIGINT NOT NULL,
    quantity  BIGINT NOT NULL,
    added_ms  BIGINT NOT NULL,
    PRIMARY KEY (key_id, offer_id, sku_id)
);
