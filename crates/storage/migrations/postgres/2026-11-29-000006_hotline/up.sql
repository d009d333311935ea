-- 12345 hotline requests (S20): queued for the township of the place named, until a caseworker
-- turns them into an application or closes them with a note. Caller, phone and need are sealed.
CREATE TABLE hotline_requests (
    county_code TEXT NOT NULL,
    id TEXT NOT NULL,
    region_code TEXT NOT NULL,
    caller TEXT NOT NULL,
    phone TEXT NOT NULL,
    need TEXT NOT NULL,
    ticket TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    case_id TEXT,
    handled_by TEXT,
    handled_at TIMESTAMP,
    note TEXT NOT NULL,
    PRIMARY KEY (county_code, id),
    UNIQUE (county_code, ticket)
);
CREATE INDEX hotline_open ON hotline_requests (county_code, status, received_at);
