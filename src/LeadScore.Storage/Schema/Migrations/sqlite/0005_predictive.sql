-- Predictive scoring: trained model versions (the ML.NET zips and their metrics), each open contact's
-- latest prediction, and the workspace's training settings with the lease that keeps two servers
-- from training at once.
CREATE TABLE predictive_models (
    workspace_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    trained_at_us INTEGER NOT NULL,
    conversions INTEGER NOT NULL,
    report TEXT NOT NULL,
    conversion_model BLOB NOT NULL,
    amount_model BLOB,
    days_model BLOB,
    PRIMARY KEY (workspace_id, version)
);

-- Probability and expected value are kept as integers too (parts per million, cents), so the lead
-- list pages through them by keyset with exact comparisons.
CREATE TABLE predictions (
    workspace_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    probability_ppm INTEGER NOT NULL,
    tier TEXT NOT NULL,
    factors TEXT NOT NULL,
    expected_amount REAL,
    expected_days REAL,
    expected_value_cents INTEGER,
    predicted_at_us INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, contact_id)
) WITHOUT ROWID;

CREATE TABLE predictive_settings (
    workspace_id TEXT NOT NULL PRIMARY KEY,
    settings TEXT NOT NULL,
    lease_holder TEXT,
    lease_until_us INTEGER
) WITHOUT ROWID;
