-- API keys of the sourcing service: only a SHA-256 of each key's secret part is kept (the key is
-- shown once, when it is made); a revoked key stays listed with the time it was revoked.
CREATE TABLE api_keys (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    revoked_ms  BIGINT
);
