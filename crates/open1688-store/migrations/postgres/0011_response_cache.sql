-- The response cache's second level when no Redis is configured: gateway answers kept on disk
-- with their TTL, so a second run of a command within the TTL answers without calling the
-- gateway. `namespace` separates app keys and gateways; `api` is the key's API, for statistics.
CREATE TABLE response_cache (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    api TEXT NOT NULL,
    body BYTEA NOT NULL,
    stored_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    PRIMARY KEY (namespace, key)
);
CREATE INDEX response_cache_expiry ON response_cache (expires_ms);
