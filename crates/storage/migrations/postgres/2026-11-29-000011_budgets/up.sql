-- The year's budget of a county for one programme (G2, G3: the fund view compares it with what
-- has been paid). One row per county, year and programme; set again to change it.
CREATE TABLE budgets (
    county_code TEXT NOT NULL,
    -- `{year}:{programme}`
    id TEXT NOT NULL,
    year INTEGER NOT NULL,
    programme TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id)
);

-- The fund view finds a paid household's members in the national index by person (payments
-- after a death in the agencies' data).
CREATE INDEX person_identity_person ON person_identity (county_code, person_id);
