-- Automations: the definition is the JSON its author wrote; name, model and trigger are copied out
-- for lists. Deleted automations stay (deleted_at_us) so their runs and deliveries still name them.
CREATE TABLE automations (
    workspace_id text NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    model_key text,
    trigger_type text NOT NULL,
    enabled bigint NOT NULL,
    definition text NOT NULL,
    secret text NOT NULL,
    round_robin_next bigint NOT NULL DEFAULT 0,
    created_at_us bigint NOT NULL,
    updated_at_us bigint NOT NULL,
    deleted_at_us bigint,
    PRIMARY KEY (workspace_id, id)
);

-- Every time an automation ran for a contact, and what its actions did.
CREATE TABLE automation_runs (
    workspace_id text NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    automation_id text NOT NULL,
    contact_id text NOT NULL,
    trigger text NOT NULL,
    model_key text,
    score_before bigint,
    score_after bigint,
    cause_id text,
    at_us bigint NOT NULL,
    actions text NOT NULL
);
CREATE INDEX automation_runs_by_automation ON automation_runs (workspace_id, automation_id, id);
CREATE INDEX automation_runs_by_contact ON automation_runs (workspace_id, contact_id, id);

-- The webhook outbox, written in the transaction that made the change. The id is the delivery id
-- receivers de-duplicate by; seq orders lists.
CREATE TABLE deliveries (
    workspace_id text NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL,
    automation_id text NOT NULL,
    contact_id text NOT NULL,
    url text NOT NULL,
    payload text NOT NULL,
    state text NOT NULL,
    attempts bigint NOT NULL,
    created_at_us bigint NOT NULL,
    retry_from_us bigint NOT NULL,
    next_attempt_at_us bigint,
    delivered_at_us bigint,
    last_status bigint,
    last_error text,
    claimed_by text,
    claimed_until_us bigint
);
CREATE UNIQUE INDEX deliveries_by_id ON deliveries (workspace_id, id);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at_us) WHERE state = 'pending';
CREATE INDEX deliveries_by_automation ON deliveries (workspace_id, automation_id, seq);
CREATE INDEX deliveries_by_contact ON deliveries (workspace_id, contact_id, seq);
CREATE INDEX deliveries_by_state ON deliveries (workspace_id, state, seq);

CREATE TABLE delivery_attempts (
    workspace_id text NOT NULL,
    delivery_id text NOT NULL,
    attempt bigint NOT NULL,
    at_us bigint NOT NULL,
    status bigint,
    error text,
    duration_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, delivery_id, attempt)
);

-- Whether every requirement was met, kept apart from qualified (which a disqualifier also clears),
-- so that the requirements-met trigger sees the transition. Null on rows scored before this column.
ALTER TABLE scores ADD COLUMN requirements_met bigint;
