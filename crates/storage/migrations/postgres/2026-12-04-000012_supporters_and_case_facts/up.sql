-- Legal supporters who live outside the household (43号 Art. 8; 民法典 第1067、1074、1075条):
-- the rules derive duties inside the household from the members' relations, and read these
-- for the rest. The name is sealed like other personal data; the rest is what the five
-- "unable to support" cases need.
CREATE TABLE supporters (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    -- the member supported
    person_id TEXT NOT NULL,
    -- sealed
    name TEXT NOT NULL,
    -- who the supporter is to the member: child, spouse, parent, grandchild, grandparent, sibling
    relation TEXT NOT NULL,
    birth_date DATE NOT NULL,
    tekun BOOLEAN NOT NULL,
    dibao BOOLEAN NOT NULL,
    severe_disability BOOLEAN NOT NULL,
    incapacitated BOOLEAN NOT NULL,
    income_monthly_fen BIGINT NOT NULL,
    assets_above_limit BOOLEAN NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id)
);
CREATE INDEX supporters_household ON supporters (county_code, household_id);

-- 临时救助: the hardship as filed (type from the case kind; severity, disaster, amount asked),
-- sealed JSON, so the rules' amount and approval level come from what the window recorded.
ALTER TABLE cases ADD COLUMN hardship TEXT NOT NULL DEFAULT '';
-- The rules' input the opinion and the decision were computed from (sealed JSON), so a
-- decision can be replayed and compared later.
ALTER TABLE cases ADD COLUMN rules_input TEXT NOT NULL DEFAULT '';
