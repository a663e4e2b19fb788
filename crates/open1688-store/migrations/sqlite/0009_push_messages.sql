-- Platform message pushes, once each (msgId), with the message exactly as received: pushes arrive
-- more than once and out of order, and the raw text is what the signature covered.
CREATE TABLE push_messages (
    msg_id      TEXT PRIMARY KEY,
    topic       TEXT NOT NULL,
    user_info   TEXT,
    born_ms     INTEGER,
    message     TEXT NOT NULL,
    received_ms INTEGER NOT NULL
);
CREATE INDEX push_messages_topic ON push_messages (topic, received_ms);
