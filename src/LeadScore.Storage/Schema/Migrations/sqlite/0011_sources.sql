-- Sources (issue 28): a Segment or RudderStack source sending to /v1/*. Its write key is an API key of
-- scope 'ingest' (api_keys, stored hashed); the signing secret is what the vendor's webhook destination
-- signs with (Segment's X-Signature) and must be kept as is to check an HMAC, like tracking_secrets.
CREATE TABLE sources (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signing_secret TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    revoked_at_us INTEGER,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
-- A webhook names its source in its URL, without the workspace.
CREATE UNIQUE INDEX sources_by_id ON sources (id);

-- The workspace's event mapping, every version kept: names (a JSON object of source event name to
-- LeadScore event type, or null to ignore the name). The highest version is in force.
CREATE TABLE event_mappings (
    workspace_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    names TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    created_by TEXT,
    PRIMARY KEY (workspace_id, version)
) WITHOUT ROWID;

-- The event names sources sent, with how many events each and when last, so a marketer sees which
-- behaviours arrive and what each maps to.
CREATE TABLE source_event_names (
    workspace_id TEXT NOT NULL,
    name TEXT NOT NULL,
    seen INTEGER NOT NULL,
    last_seen_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, name)
) WITHOUT ROWID;

-- The ids of identify, group and alias messages already applied: the clients re-send whole batches,
-- and an old identify applied again would undo a newer one. (Track, page and screen messages are
-- events, whose ids the events table already keeps once.)
CREATE TABLE source_messages (
    workspace_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    received_at_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, message_id)
) WITHOUT ROWID;
