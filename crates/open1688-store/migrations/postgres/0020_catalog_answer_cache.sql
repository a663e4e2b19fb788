-- Broad catalog searches answered from a cache that is never stale: every write to
-- `catalog_search` bumps one of sixteen counters in the same transaction (one row a transaction,
-- chosen by offer, so concurrent crawls rarely wait on each other and never deadlock), and a cached
-- answer counts only while the counters' sum is still the one read before it was computed.
CREATE TABLE catalog_version (
    slot    INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO catalog_version (slot, version) SELECT g, 0 FROM generate_series(0, 15) AS g;
CREATE TABLE catalog_answer_cache (
    query_key TEXT PRIMARY KEY,
    version   BIGINT NOT NULL,
    answer    TEXT NOT NULL,
    used_ms   BIGINT NOT NULL
);
