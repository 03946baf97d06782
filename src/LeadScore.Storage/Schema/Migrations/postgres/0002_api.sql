-- API keys: only a SHA-256 hash of the key text is kept; the key id (the public part of the text)
-- is unique across workspaces, so a presented key finds its row without knowing its workspace.
CREATE TABLE api_keys (
    workspace_id text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    scope text NOT NULL,
    secret_hash text NOT NULL,
    created_at_us bigint NOT NULL,
    revoked_at_us bigint,
    PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX api_keys_by_id ON api_keys (id);

-- The ranked lead list walks this index by score, record id breaking ties.
CREATE INDEX scores_ranked ON scores (workspace_id, model_key, record_kind, score, record_id);

-- A job is run by one process at a time: the one whose lease (claimed_until_us) has not run out.
ALTER TABLE jobs ADD COLUMN claimed_by text;
ALTER TABLE jobs ADD COLUMN claimed_until_us bigint;
