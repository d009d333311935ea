-- Issue 15 F4 (等保 三员): an account a system administrator asks for waits for the security
-- administrator's approval, and its one-time password never reaches an administrator: it is
-- sealed in a password letter (密码函) that only the account's named supervisor can open,
-- once, to print and hand over.
ALTER TABLE users ADD COLUMN approval TEXT NOT NULL DEFAULT 'approved';
ALTER TABLE users ADD COLUMN requested_by TEXT;
ALTER TABLE users ADD COLUMN supervisor_id TEXT;

CREATE TABLE password_letters (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    supervisor_id TEXT NOT NULL REFERENCES users (id),
    -- 'create' or 'reset'.
    purpose TEXT NOT NULL,
    -- SM4-GCM sealed JSON {password, totp}; NULL once the supervisor opened it.
    sealed TEXT,
    created_at TIMESTAMP NOT NULL,
    opened_at TIMESTAMP
);
CREATE INDEX password_letters_supervisor ON password_letters (supervisor_id);
CREATE INDEX password_letters_user ON password_letters (user_id);
