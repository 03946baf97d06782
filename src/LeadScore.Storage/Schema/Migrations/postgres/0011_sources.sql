-- Sources (issue 28): a Segment or RudderStack source sending to /v1/*. Its write key is an API key of
-- scope 'ingest' (api_keys, stored hashed); the signing secret is what the vendor's webhook destination
-- signs with (Segment's X-Signature) and must be kept as is to check an HMAC, like tracking_secrets.
CREATE TABLE sources (
    workspace_id text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    key_id text NOT NULL,
    signing_secret text NOT NULL,
    created_at_us bigint NOT NULL,
    revoked_at_us bigint,
    PRIMARY KEY (workspace_id, id)
);
-- A webhook names its source in its URL, without the workspace.
CREATE UNIQUE INDEX sources_by_id ON sources (id);

-- The workspace's event mapping, every version kept: names (a JSON object of source event name to
-- LeadScore event type, or null to ignore the name). The highest version is in force.
CREATE TABLE event_mappings (
    workspace_id text NOT NULL,
    version bigint NOT NULL,
    names text NOT NULL,
    created_at_us bigint NOT NULL,
    created_by text,
    PRIMARY KEY (workspace_id, version)
);

-- The event names sources sent, with how many events each and when last, so a marketer sees which
-- behaviours arrive and what each maps to.
CREATE TABLE source_event_names (
    workspace_id text NOT NULL,
    name text NOT NULL,
    seen bigint NOT NULL,
    last_seen_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, name)
);

-- The ids of identify, group and alias messages already applied: the clients re-send whole batches,
-- and an old identify applied again would undo a newer one. (Track, page and screen messages are
-- events, whose ids the events table already keeps once.)
CREATE TABLE source_messages (
    workspace_id text NOT NULL,
    message_id text NOT NULL,
    received_at_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, message_id)
);
