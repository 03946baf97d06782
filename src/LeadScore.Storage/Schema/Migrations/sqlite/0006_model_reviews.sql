-- Monthly reviews of scoring models: the report and proposal as JSON the server writes, the period
-- judged, and the draft version the proposal was saved as. A scheduled review also records the day it
-- was due, unique per model, so two servers checking the schedule at once store it only once.
CREATE TABLE model_reviews (
    workspace_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    model_key TEXT NOT NULL,
    model_version INTEGER NOT NULL,
    reviewed_at_us INTEGER NOT NULL,
    period_from_us INTEGER NOT NULL,
    period_to_us INTEGER NOT NULL,
    scheduled_day TEXT,
    report TEXT NOT NULL,
    draft_version INTEGER,
    PRIMARY KEY (workspace_id, id)
);

CREATE INDEX model_reviews_by_model ON model_reviews (workspace_id, model_key, reviewed_at_us);
CREATE UNIQUE INDEX model_reviews_scheduled ON model_reviews (workspace_id, model_key, scheduled_day);
