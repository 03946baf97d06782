-- Every table starts with the workspace id, so each workspace's rows sit together in every index.
-- Instants are integer microseconds since 1970 UTC (columns ending in _us).

CREATE TABLE workspaces (
    workspace_id text NOT NULL PRIMARY KEY,
    name text NOT NULL,
    created_at_us bigint NOT NULL
);

CREATE TABLE field_definitions (
    workspace_id text NOT NULL,
    record_kind text NOT NULL,
    name text NOT NULL,
    field_type text NOT NULL,
    label text,
    PRIMARY KEY (workspace_id, record_kind, name)
);

CREATE TABLE contacts (
    workspace_id text NOT NULL,
    id text NOT NULL,
    email text,
    company_id text,
    fields text NOT NULL,
    created_at_us bigint NOT NULL,
    updated_at_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX contacts_by_email ON contacts (workspace_id, email) WHERE email IS NOT NULL;
CREATE INDEX contacts_by_company ON contacts (workspace_id, company_id) WHERE company_id IS NOT NULL;

CREATE TABLE companies (
    workspace_id text NOT NULL,
    id text NOT NULL,
    fields text NOT NULL,
    created_at_us bigint NOT NULL,
    updated_at_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE deals (
    workspace_id text NOT NULL,
    id text NOT NULL,
    contact_id text,
    company_id text,
    amount double precision,
    stage text,
    expected_close_date text,
    fields text NOT NULL,
    created_at_us bigint NOT NULL,
    updated_at_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE INDEX deals_by_contact ON deals (workspace_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX deals_by_company ON deals (workspace_id, company_id) WHERE company_id IS NOT NULL;

-- Looked up by contact and time when a contact is re-scored.
CREATE TABLE events (
    workspace_id text NOT NULL,
    contact_id text NOT NULL,
    occurred_at_us bigint NOT NULL,
    id text NOT NULL,
    type text NOT NULL,
    properties text,
    received_at_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, contact_id, occurred_at_us, id)
);
-- The same event id counts once per workspace.
CREATE UNIQUE INDEX events_by_id ON events (workspace_id, id);

CREATE TABLE models (
    workspace_id text NOT NULL,
    model_key text NOT NULL,
    version bigint NOT NULL,
    status text NOT NULL,
    target text NOT NULL,
    definition text NOT NULL,
    created_at_us bigint NOT NULL,
    published_at_us bigint,
    PRIMARY KEY (workspace_id, model_key, version)
);

CREATE TABLE scores (
    workspace_id text NOT NULL,
    model_key text NOT NULL,
    record_kind text NOT NULL,
    record_id text NOT NULL,
    model_version bigint NOT NULL,
    score bigint NOT NULL,
    points bigint NOT NULL,
    grade text,
    qualified bigint NOT NULL,
    disqualified_by text,
    thresholds text NOT NULL,
    scored_at_us bigint NOT NULL,
    next_change_at_us bigint,
    line text NOT NULL,
    PRIMARY KEY (workspace_id, model_key, record_kind, record_id)
);
-- The sweeper finds due scores through this index instead of scanning every score.
CREATE INDEX scores_by_next_change ON scores (next_change_at_us) WHERE next_change_at_us IS NOT NULL;

CREATE TABLE score_history (
    workspace_id text NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_key text NOT NULL,
    record_kind text NOT NULL,
    record_id text NOT NULL,
    model_version bigint NOT NULL,
    at_us bigint NOT NULL,
    old_score bigint,
    new_score bigint NOT NULL,
    old_points bigint,
    new_points bigint NOT NULL,
    grade text,
    thresholds text NOT NULL,
    cause text NOT NULL,
    cause_id text
);
CREATE INDEX score_history_by_record ON score_history (workspace_id, model_key, record_kind, record_id, at_us);

CREATE TABLE adjustments (
    workspace_id text NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_key text NOT NULL,
    record_kind text NOT NULL,
    record_id text NOT NULL,
    category text NOT NULL,
    points double precision NOT NULL,
    reason text NOT NULL,
    expires_at_us bigint,
    created_at_us bigint NOT NULL
);
CREATE INDEX adjustments_by_record ON adjustments (workspace_id, model_key, record_kind, record_id);

CREATE TABLE outcomes (
    workspace_id text NOT NULL,
    record_kind text NOT NULL,
    record_id text NOT NULL,
    outcome text NOT NULL,
    occurred_at_us bigint NOT NULL,
    amount numeric,
    recorded_at_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, record_kind, record_id, outcome, occurred_at_us)
);

CREATE TABLE jobs (
    workspace_id text NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    model_key text NOT NULL,
    model_version bigint NOT NULL,
    state text NOT NULL,
    cursor text NOT NULL,
    done bigint NOT NULL,
    total bigint NOT NULL,
    created_at_us bigint NOT NULL,
    updated_at_us bigint NOT NULL
);
CREATE INDEX jobs_unfinished ON jobs (state) WHERE state <> 'completed';
