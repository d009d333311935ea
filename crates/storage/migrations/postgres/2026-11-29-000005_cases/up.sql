-- Applications and their cases (S20, S21): one row per programme applied for, moved from stage
-- to stage by caseworkers and approvers. `version` is the optimistic lock: a move names the
-- version it saw, and of two people moving the same case at once exactly one wins.
CREATE TABLE cases (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    -- Where the case is handled: the household's village, or for 急难型 the place of hardship.
    region_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    stage TEXT NOT NULL,
    -- The need as told (sealed: it may name an illness).
    summary TEXT NOT NULL,
    filed_on DATE NOT NULL,
    accepted_on DATE,
    due_on DATE,
    decided_on DATE,
    amount_fen BIGINT,
    review_months INTEGER,
    -- 特困 (43号 Art. 20–23): the care tier from the self-care assessment, 集中 or 分散
    -- support, and for 分散 the assigned caregiver (sealed).
    care_tier TEXT,
    care_mode TEXT,
    caregiver TEXT,
    reasons TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id)
);
CREATE INDEX cases_region ON cases (county_code, region_code, stage);
CREATE INDEX cases_household ON cases (county_code, household_id);

-- Every move of a case, in order; (case, seq) is unique, seq = the version the move created.
CREATE TABLE case_events (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    from_stage TEXT NOT NULL,
    to_stage TEXT NOT NULL,
    on_date DATE NOT NULL,
    actor TEXT NOT NULL,
    -- Reasons, findings, investigators (sealed).
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, case_id, seq)
);

-- 转办 (一门受理、协同办理): an item handed from the window to the county department in charge,
-- tracked until the department answers. The matter and the answer are sealed.
CREATE TABLE case_transfers (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    region_code TEXT NOT NULL,
    department TEXT NOT NULL,
    matter TEXT NOT NULL,
    sent_on DATE NOT NULL,
    sent_by TEXT NOT NULL,
    answered_on DATE,
    answered_by TEXT,
    answer TEXT NOT NULL,
    PRIMARY KEY (county_code, id)
);
CREATE INDEX case_transfers_open ON case_transfers (county_code, department, answered_on);
