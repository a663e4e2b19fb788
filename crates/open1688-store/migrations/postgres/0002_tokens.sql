-- OAuth tokens, encrypted with AES-256-GCM (nonce and ciphertext base64).
CREATE TABLE tokens (
    app_key    TEXT PRIMARY KEY,
    nonce      TEXT NOT NULL,
    ciphertext TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);
