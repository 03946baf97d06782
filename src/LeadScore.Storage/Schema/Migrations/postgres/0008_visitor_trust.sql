-- What a site key lets a visitor say about themselves (issue 25): the traits it may fill on a contact
-- (a JSON array), and whether an identify that names an existing contact by email merges at once
-- ('merge') or is held as a claim until a trusted source confirms it ('hold', the default).
ALTER TABLE site_keys ADD COLUMN identify_traits text NOT NULL DEFAULT '["firstName","lastName","name","consent"]';
ALTER TABLE site_keys ADD COLUMN identify_claims text NOT NULL DEFAULT 'hold';

-- A visitor who said they are an existing contact (by email alone): a claim, not a proof. Its events
-- stay on the visitor's own anonymous contact until a signed email click, the API or the CRM confirms.
CREATE TABLE visitor_claims (
    workspace_id text NOT NULL,
    visitor_id text NOT NULL,
    contact_id text NOT NULL,
    email text NOT NULL,
    traits text NOT NULL,
    claimed_at_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, visitor_id)
);
CREATE INDEX visitor_claims_by_contact ON visitor_claims (workspace_id, contact_id);

-- Erased people, by the SHA-256 of what identified them (a contact id, a browser's visitor id), so
-- an old visitor cookie or email link never brings them back, without keeping the id itself.
CREATE TABLE erasures (
    workspace_id text NOT NULL,
    subject_hash text NOT NULL,
    erased_at_us bigint NOT NULL,
    PRIMARY KEY (workspace_id, subject_hash)
);
