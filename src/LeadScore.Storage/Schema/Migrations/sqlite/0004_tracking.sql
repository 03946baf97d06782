-- Public site keys of the website snippet: the key text is public (it is in every page), so it is
-- kept as is; what it may do is limited to tracking events, from the origins listed here.
CREATE TABLE site_keys (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    origins TEXT NOT NULL,
    event_types TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    revoked_at_us INTEGER,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX site_keys_by_id ON site_keys (id);

-- A browser's anonymous visitor id and the contact its events go to: an anonymous contact
-- ('v-' and the visitor id) until the visitor is identified, then the contact with that email.
CREATE TABLE visitors (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    first_seen_us INTEGER NOT NULL,
    last_seen_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE INDEX visitors_by_contact ON visitors (workspace_id, contact_id);

-- The key email tracking tokens are signed with, one per workspace, shared by every server.
CREATE TABLE tracking_secrets (
    workspace_id TEXT NOT NULL PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at_us INTEGER NOT NULL
) WITHOUT ROWID;
