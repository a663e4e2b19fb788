-- What the platform says of a placed order when it is read back (its current total, freight,
-- receiver, carrier and lines), as JSON, so that `order show` can name every difference from
-- what was placed.
ALTER TABLE orders ADD COLUMN readback TEXT;
-- One createCrossOrder call can make several orders: the first takes the intent's row, each
-- other gets a row of its own, and every one of them names the intent's out_order_id here.
ALTER TABLE orders ADD COLUMN split_of TEXT;
