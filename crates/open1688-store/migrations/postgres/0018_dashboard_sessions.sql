-- The dashboard's log-in sessions: the browser holds a random token, the store its SHA-256 (a
-- copied database gives no session away), the key it stands for and when it ends. Log-out
-- deletes the row; a revoked key's sessions end with it (the key is checked on every use).
CREATE TABLE dashboard_sessions (
    token_hash  TEXT PRIMARY KEY,
    key_id      BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions (expires_ms);
