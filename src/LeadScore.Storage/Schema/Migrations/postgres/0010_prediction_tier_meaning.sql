-- What a prediction's tier is, in words ("top quarter of leads (7% or more)", issue 27): built from the
-- model's cut points and quantiles when the prediction is written. Predictions written before have none
-- until the next refresh or training replaces them.
ALTER TABLE predictions ADD COLUMN tier_meaning text;
