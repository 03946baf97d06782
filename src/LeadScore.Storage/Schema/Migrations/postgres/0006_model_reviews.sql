-- Monthly reviews of scoring models: the report and proposal as JSON the server writes, the period
-- judged, and the draft version the proposal was saved as. A scheduled review also records the day it
-- was due, unique per model, so two servers checking the schedule at once store it only once.
CREATE TABLE model_reviews (
    workspace_id text NOT NULL,
    id bigint NOT NULL,
    model_key text NOT NULL,
    model_version bigint NOT NULL,
    reviewed_at_us bigint NOT NULL,
    period_from_us bigint NOT NULL,
    period_to_us bigint NOT NULL,
    scheduled_day text,
    report text NOT NULL,
    draft_version bigint,
    PRIMARY KEY (workspace_id, id)
);

CREATE INDEX model_reviews_by_model ON model_reviews (workspace_id, model_key, reviewed_at_us);
CREATE UNIQUE INDEX model_reviews_scheduled ON model_reviews (workspace_id, model_key, scheduled_day);
