-- Every table starts with the workspace id, so each workspace's rows sit together in every index.
-- Instants are integer microseconds since 1970 UTC (columns ending in _us).

CREATE TABLE workspaces (
    workspace_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    created_at_us INTEGER NOT NULL
);

CREATE TABLE field_definitions (
    workspace_id TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    field_type TEXT NOT NULL,
    label TEXT,
    PRIMARY KEY (workspace_id, record_kind, name)
) WITHOUT ROWID;

CREATE TABLE contacts (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    email TEXT,
    company_id TEXT,
    fields TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE INDEX contacts_by_email ON contacts (workspace_id, email) WHERE email IS NOT NULL;
CREATE INDEX contacts_by_company ON contacts (workspace_id, company_id) WHERE company_id IS NOT NULL;

CREATE TABLE companies (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;

CREATE TABLE deals (
    workspace_id TEXT NOT NULL,
    id TEXT NOT NULL,
    contact_id TEXT,
    company_id TEXT,
    amount REAL,
    stage TEXT,
    expected_close_date TEXT,
    fields TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE INDEX deals_by_contact ON deals (workspace_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX deals_by_company ON deals (workspace_id, company_id) WHERE company_id IS NOT NULL;

-- Clustered by contact and time: re-scoring a contact reads one contiguous range.
CREATE TABLE events (
    workspace_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    occurred_at_us INTEGER NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    properties TEXT,
    received_at_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, contact_id, occurred_at_us, id)
) WITHOUT ROWID;
-- The same event id counts once per workspace.
CREATE UNIQUE INDEX events_by_id ON events (workspace_id, id);

CREATE TABLE models (
    workspace_id TEXT NOT NULL,
    model_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    target TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    published_at_us INTEGER,
    PRIMARY KEY (workspace_id, model_key, version)
) WITHOUT ROWID;

CREATE TABLE scores (
    workspace_id TEXT NOT NULL,
    model_key TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    score INTEGER NOT NULL,
    points INTEGER NOT NULL,
    grade TEXT,
    qualified INTEGER NOT NULL,
    disqualified_by TEXT,
    thresholds TEXT NOT NULL,
    scored_at_us INTEGER NOT NULL,
    next_change_at_us INTEGER,
    line TEXT NOT NULL
);
-- A rowid table: score rows carry their explanation (hundreds of bytes), which WITHOUT ROWID pages handle badly.
CREATE UNIQUE INDEX scores_by_record ON scores (workspace_id, model_key, record_kind, record_id);
-- The sweeper finds due scores through this index instead of scanning every score.
CREATE INDEX scores_by_next_change ON scores (next_change_at_us) WHERE next_change_at_us IS NOT NULL;

CREATE TABLE score_history (
    workspace_id TEXT NOT NULL,
    id INTEGER PRIMARY KEY,
    model_key TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    at_us INTEGER NOT NULL,
    old_score INTEGER,
    new_score INTEGER NOT NULL,
    old_points INTEGER,
    new_points INTEGER NOT NULL,
    grade TEXT,
    thresholds TEXT NOT NULL,
    cause TEXT NOT NULL,
    cause_id TEXT
);
CREATE INDEX score_history_by_record ON score_history (workspace_id, model_key, record_kind, record_id, at_us);

CREATE TABLE adjustments (
    workspace_id TEXT NOT NULL,
    id INTEGER PRIMARY KEY,
    model_key TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    category TEXT NOT NULL,
    points REAL NOT NULL,
    reason TEXT NOT NULL,
    expires_at_us INTEGER,
    created_at_us INTEGER NOT NULL
);
CREATE INDEX adjustments_by_record ON adjustments (workspace_id, model_key, record_kind, record_id);

CREATE TABLE outcomes (
    workspace_id TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    occurred_at_us INTEGER NOT NULL,
    amount TEXT,
    recorded_at_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, record_kind, record_id, outcome, occurred_at_us)
) WITHOUT ROWID;

CREATE TABLE jobs (
    workspace_id TEXT NOT NULL,
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    model_key TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    state TEXT NOT NULL,
    cursor TEXT NOT NULL,
    done INTEGER NOT NULL,
    total INTEGER NOT NULL,
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL
);
CREATE INDEX jobs_unfinished ON jobs (state) WHERE state <> 'completed';
