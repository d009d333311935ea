-- Security: users, sessions, near-relative filings (近亲属备案) and the hash-chained audit log.
-- Accounts are city-wide; the audit log is one chain per county (and one for the city).

CREATE TABLE users (
    id TEXT NOT NULL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    -- argon2id PHC string.
    password_hash TEXT NOT NULL,
    -- SM4-GCM sealed base32 TOTP secret; enrolled once confirmed with a code.
    totp_secret TEXT,
    totp_enabled BOOLEAN NOT NULL,
    -- Lockout survives a restart: counted here, not in memory.
    failed_logins INTEGER NOT NULL,
    locked_until TIMESTAMP,
    disabled BOOLEAN NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE sessions (
    -- SM3 of the session token; the token itself lives only in the browser's cookie.
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE near_relatives (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    relative_name TEXT NOT NULL,
    relation TEXT NOT NULL,
    -- HMAC-SM3 blind index of the relative's ID number, for matching applications.
    id_key TEXT NOT NULL,
    -- SM4-GCM sealed ID number.
    id_number TEXT NOT NULL,
    filed_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP
);
CREATE INDEX near_relatives_key ON near_relatives (id_key);
CREATE INDEX near_relatives_user ON near_relatives (user_id);

CREATE TABLE audit_log (
    -- The chain: a county code, or 410500 for city-level events.
    county_code TEXT NOT NULL,
    -- Position in the chain, from 1.
    id BIGINT NOT NULL,
    at TIMESTAMP NOT NULL,
    user_id TEXT,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    ip TEXT NOT NULL,
    action TEXT NOT NULL,
    outcome TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    region_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- JSON: what changed (old → new, personal values masked) or what was seen.
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (county_code, id)
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_user ON audit_log (username, at);

CREATE TABLE audit_heads (
    chain TEXT NOT NULL PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL,
    -- Keyed seal of (chain, seq, hash): a truncated chain cannot forge its head.
    seal TEXT NOT NULL
);
