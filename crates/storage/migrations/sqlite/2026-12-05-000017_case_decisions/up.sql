-- Issue 16: a decision's programme-specific data (the 低保 review cycle, the 特困 care tier,
-- mode and caregiver, the 临时救助 instalments and approval level, and whatever a new
-- programme decides) is one record per decision, sealed JSON under its spec's layout version,
-- instead of one nullable column per programme on `cases`. Only what is filtered or summed
-- (the amount, the decision date) stays on `cases`.
CREATE TABLE case_decisions (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    -- The case version the decision created (the event's seq).
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    -- The spec's record layout; 0 marks a record carried over from the old columns and not
    -- yet sealed (the application seals it when it opens the database).
    record_version INTEGER NOT NULL,
    -- Sealed JSON (record_version >= 1); for 0, plain JSON of the old unsealed columns.
    payload TEXT NOT NULL,
    -- record_version 0 only: the caregiver as it was sealed on cases.caregiver.
    legacy_caregiver TEXT,
    decided_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, case_id, seq)
);

INSERT INTO case_decisions
SELECT c.county_code, c.id || ':carried', c.id,
       COALESCE((SELECT MAX(e.seq) FROM case_events e
                 WHERE e.county_code = c.county_code AND e.case_id = c.id
                   AND e.action IN ('approve', 'complete_papers')), c.version),
       c.kind, 'approve', 0,
       json_object('review_months', c.review_months, 'care_tier', c.care_tier,
                   'care_mode', c.care_mode),
       c.caregiver, COALESCE(c.decided_on, c.filed_on), c.updated_at
FROM cases c
WHERE c.review_months IS NOT NULL OR c.care_tier IS NOT NULL OR c.care_mode IS NOT NULL
   OR c.caregiver IS NOT NULL;

ALTER TABLE cases DROP COLUMN review_months;
ALTER TABLE cases DROP COLUMN care_tier;
ALTER TABLE cases DROP COLUMN care_mode;
ALTER TABLE cases DROP COLUMN caregiver;
