-- Each snapshot's prices and stock as one compact line, "at_ms,stock,moq,tiers,status" with
-- tiers as "2:10.50;100:9.80" (ascending start quantity): price history is read from these
-- lines instead of decoding each snapshot's JSON. Existing rows are filled.
ALTER TABLE snapshots ADD COLUMN point TEXT;
UPDATE snapshots SET point = at_ms::TEXT || ',' || coalesce(stock::TEXT, '') || ',' || coalesce(moq::TEXT, '') || ',' || coalesce((
    SELECT string_agg(key || ':' || value, ';' ORDER BY key::BIGINT)
    FROM jsonb_each_text(snapshots.data::jsonb -> 'tiers')
), '') || ',' || coalesce(status, '');
