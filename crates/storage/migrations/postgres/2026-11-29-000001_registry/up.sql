-- Registry: regions, holidays, the national ID index, households, persons, memberships and
-- economic records. Per-county tables key on (county_code, id); see DESIGN.md.

CREATE TABLE regions (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT REFERENCES regions (code)
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE holidays (
    date DATE NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL
);

CREATE TABLE person_identity (
    id_key TEXT NOT NULL PRIMARY KEY,
    person_id TEXT NOT NULL,
    county_code TEXT NOT NULL,
    registered_at TIMESTAMP NOT NULL
);

CREATE TABLE persons (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    -- Bytewise order, as SQLite's BINARY: name-prefix search is a B-tree range.
    name TEXT COLLATE "C" NOT NULL,
    id_number TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date DATE NOT NULL,
    hukou_region_code TEXT NOT NULL,
    hukou_type TEXT NOT NULL,
    residence_region_code TEXT NOT NULL,
    residence_permit BOOLEAN NOT NULL,
    disability_category TEXT,
    disability_grade INTEGER CHECK (disability_grade BETWEEN 1 AND 4),
    serious_illness TEXT,
    labour_capacity TEXT NOT NULL,
    adl_lost INTEGER NOT NULL,
    employment_status TEXT NOT NULL,
    school_stage TEXT,
    special_status TEXT,
    death_date DATE,
    phone TEXT,
    bank_name TEXT,
    bank_account TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (county_code, id)
);
-- Name search reads (county, name, id) from the index alone.
CREATE INDEX persons_name ON persons (county_code, name, id);

CREATE TABLE households (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    address TEXT NOT NULL,
    head_person_id TEXT,
    head_name TEXT NOT NULL,
    member_count INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (county_code, id),
    FOREIGN KEY (county_code, head_person_id) REFERENCES persons (county_code, id)
);
-- Lists page by (region, id); county_code makes the index covering for counts.
CREATE INDEX households_region ON households (region_code, id, county_code);

CREATE TABLE memberships (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    relation TEXT NOT NULL,
    joined_on DATE NOT NULL,
    left_on DATE,
    join_reason TEXT NOT NULL,
    leave_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id),
    FOREIGN KEY (county_code, household_id) REFERENCES households (county_code, id),
    FOREIGN KEY (county_code, person_id) REFERENCES persons (county_code, id)
);
CREATE INDEX memberships_household ON memberships (county_code, household_id);
-- A person belongs to at most one household at a time.
CREATE UNIQUE INDEX memberships_one_current ON memberships (county_code, person_id) WHERE left_on IS NULL;

CREATE TABLE economic_records (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    person_id TEXT,
    kind TEXT NOT NULL,
    category TEXT NOT NULL,
    source TEXT NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    amount_fen BIGINT NOT NULL,
    note TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id),
    FOREIGN KEY (county_code, household_id) REFERENCES households (county_code, id),
    FOREIGN KEY (county_code, person_id) REFERENCES persons (county_code, id)
);
CREATE INDEX economic_records_household ON economic_records (county_code, household_id);
