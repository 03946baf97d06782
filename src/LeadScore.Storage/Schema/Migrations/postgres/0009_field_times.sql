-- When each field of a record last changed after the record was created (issue 27): a JSON object of
-- field name to microseconds, or NULL while no field has changed since creation. The store keeps fields
-- as they are now, so predictive training reads a value that may have been written after the outcome
-- it learns from (a sales team's tag set after the call); these times let the leakage check see that.
ALTER TABLE contacts ADD COLUMN field_times text;
ALTER TABLE companies ADD COLUMN field_times text;
ALTER TABLE deals ADD COLUMN field_times text;
