-- Each snapshot's prices and stock as one compact line, "at_ms,stock,moq,tiers,status" with
-- tiers as "2:10.50;100:9.80" (ascending start quantity): price history is read by
-- concatenating these lines instead of decoding each snapshot's JSON. Existing rows are filled.
ALTER TABLE snapshots ADD COLUMN point TEXT;
UPDATE snapshots SET point = at_ms || ',' || ifnull(stock, '') || ',' || ifnull(moq, '') || ',' || (
    SELECT ifnull(group_concat(key || ':' || value, ';'), '')
    FROM (SELECT key, value FROM json_each(snapshots.data, '$.tiers') ORDER BY CAST(key AS INTEGER))
) || ',' || ifnull(status, '');
