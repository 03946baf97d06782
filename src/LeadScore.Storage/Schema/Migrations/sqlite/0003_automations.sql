-- Automations: the definition is the JSON its author wrote; name, model and trigger are copied out
-- for lists. Deleted automations stay (deleted_at_us) so their runs and deliveries still name them.
CREATE TABLE automations (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    model_key TEXT,
    trigger_type TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    definition TEXT NOT NULL,
    secret TEXT NOT NULL,
    round_robin_next INTEGER NOT NULL DEFAULT 0,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    deleted_at_us INTEGER,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;

-- Every time an automation ran for a contact, and what its actions did.
CREATE TABLE automation_runs (
    workspace_id TEXT NOT NULL,
    id INTEGER PRIMARY KEY,
    automation_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    trigger TEXT NOT NULL,
    model_key TEXT,
    score_before INTEGER,
    score_after INTEGER,
    cause_id TEXT,
    at_us INTEGER NOT NULL,
    actions TEXT NOT NULL
);
CREATE INDEX automation_runs_by_automation ON automation_runs (workspace_id, automation_id, id);
CREATE INDEX automation_runs_by_contact ON automation_runs (workspace_id, contact_id, id);

-- The webhook outbox, written in the transaction that made the change. The id is the delivery id
-- receivers de-duplicate by; seq orders lists.
CREATE TABLE deliveries (
    workspace_id TEXT NOT NULL,
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    automation_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    url TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    created_at_us INTEGER NOT NULL,
    retry_from_us INTEGER NOT NULL,
    next_attempt_at_us INTEGER,
    delivered_at_us INTEGER,
    last_status INTEGER,
    last_error TEXT,
    claimed_by TEXT,
    claimed_until_us INTEGER
);
CREATE UNIQUE INDEX deliveries_by_id ON deliveries (workspace_id, id);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at_us) WHERE state = 'pending';
CREATE INDEX deliveries_by_automation ON deliveries (workspace_id, automation_id, seq);
CREATE INDEX deliveries_by_contact ON deliveries (workspace_id, contact_id, seq);
CREATE INDEX deliveries_by_state ON deliveries (workspace_id, state, seq);

CREATE TABLE delivery_attempts (
    workspace_id TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at_us INTEGER NOT NULL,
    status INTEGER,
    error TEXT,
    duration_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, delivery_id, attempt)
) WITHOUT ROWID;

-- Whether every requirement was met, kept apart from qualified (which a disqualifier also clears),
-- so that the requirements-met trigger sees the transition. Null on rows scored before this column.
ALTER TABLE scores ADD COLUMN requirements_met INTEGER;
