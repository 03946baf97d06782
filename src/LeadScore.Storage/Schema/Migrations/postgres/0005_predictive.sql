-- Predictive scoring: trained model versions (the ML.NET zips and their metrics), each open contact's
-- latest prediction, and the workspace's training settings with the lease that keeps two servers
-- from training at once.
CREATE TABLE predictive_models (
    workspace_id text NOT NULL,
    version bigint NOT NULL,
    trained_at_us bigint NOT NULL,
    conversions bigint NOT NULL,
    report text NOT NULL,
    conversion_model bytea NOT NULL,
    amount_model bytea,
    days_model bytea,
    PRIMARY KEY (workspace_id, version)
);

-- Probability and expected value are kept as integers too (parts per million, cents), so the lead
-- list pages through them by keyset with exact comparisons.
CREATE TABLE predictions (
    workspace_id text NOT NULL,
    contact_id text NOT NULL,
    model_version bigint NOT NULL,
    probability_ppm bigint NOT NULL,
    tier text NOT NULL,
    factors text NOT NULL,
    expected_amount double precision,
    expected_days double precision,
    expected_value_cents bigint,
    predicted_at_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, contact_id)
);

CREATE TABLE predictive_settings (
    workspace_id text NOT NULL PRIMARY KEY,
    settings text NOT NULL,
    lease_holder text,
    lease_until_us bigint
);
