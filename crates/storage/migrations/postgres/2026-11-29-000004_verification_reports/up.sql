-- The stored household verification reports (核对报告, S22): what the agencies held on the day
-- of the check, the differences from the declaration and the rules' answer on both, kept with
-- the case. The body is sealed (SM4) JSON: it holds members' incomes and assets.
CREATE TABLE verification_reports (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    checked_on DATE NOT NULL,
    checked_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    differences INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (county_code, id)
);
CREATE INDEX verification_reports_household ON verification_reports (county_code, household_id, created_at);
