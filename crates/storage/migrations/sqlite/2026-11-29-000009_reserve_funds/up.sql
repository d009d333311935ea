-- Township temporary-assistance reserve funds (备用金, S14): the balance of each township's fund,
-- never negative (the CHECK holds even against a faulty caller), and its ledger — allocations
-- and replenishments in, each 急难 advance out, with the balance after every entry.
CREATE TABLE reserve_funds (
    county_code TEXT NOT NULL,
    -- The township's 12-digit code.
    id TEXT NOT NULL,
    balance_fen BIGINT NOT NULL CHECK (balance_fen >= 0),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id)
);

CREATE TABLE reserve_entries (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    township_code TEXT NOT NULL,
    -- allocation | replenishment | advance
    kind TEXT NOT NULL,
    -- Signed: money in is positive, an advance negative.
    amount_fen BIGINT NOT NULL,
    balance_after_fen BIGINT NOT NULL,
    case_id TEXT,
    note TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TIMESTAMP NOT NULL,
    PRIMARY KEY (county_code, id)
);
CREATE INDEX reserve_entries_township ON reserve_entries (county_code, township_code, entered_at);
