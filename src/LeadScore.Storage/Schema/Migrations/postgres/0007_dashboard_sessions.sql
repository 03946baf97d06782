-- Dashboard sessions: the browser's cookie holds a random 256-bit session id, never an API key; only
-- its SHA-256 is kept. Like api_keys, a presented id finds its row without knowing its workspace,
-- hence the unique index on the hash alone. A session keeps the key and scope it was signed in with;
-- revoking that key revokes its sessions in the same transaction (dashboard_sessions_by_key).
CREATE TABLE dashboard_sessions (
    workspace_id text NOT NULL,
    id_hash text NOT NULL,
    key_id text NOT NULL,
    scope text NOT NULL,
    created_at_us bigint NOT NULL,
    expires_at_us bigint NOT NULL,
    revoked_at_us bigint,
    PRIMARY KEY (workspace_id, id_hash)
);
CREATE UNIQUE INDEX dashboard_sessions_by_hash ON dashboard_sessions (id_hash);
CREATE INDEX dashboard_sessions_by_key ON dashboard_sessions (workspace_id, key_id);
CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (workspace_id, expires_at_us);
