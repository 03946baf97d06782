-- Public site keys of the website snippet: the key text is public (it is in every page), so it is
-- kept as is; what it may do is limited to tracking events, from the origins listed here.
CREATE TABLE site_keys (
    workspace_id text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    origins text NOT NULL,
    event_types text NOT NULL,
    created_at_us bigint NOT NULL,
    revoked_at_us bigint,
    PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX site_keys_by_id ON site_keys (id);

-- A browser's anonymous visitor id and the contact its events go to: an anonymous contact
-- ('v-' and the visitor id) until the visitor is identified, then the contact with that email.
CREATE TABLE visitors (
    workspace_id text NOT NULL,
    id text NOT NULL,
    contact_id text NOT NULL,
    first_seen_us bigint NOT NULL,
    last_seen_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX visitors_by_contact ON visitors (workspace_id, contact_id);

-- The key email tracking tokens are signed with, one per workspace, shared by every server.
CREATE TABLE tracking_secrets (
    workspace_id text NOT NULL PRIMARY KEY,
    secret text NOT NULL,
    created_at_us bigint NOT NULL
);
