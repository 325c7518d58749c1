-- Dashboard: staff accounts with roles and centre scoping, browser sessions,
-- API tokens owned by accounts.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'analyst')),
    -- argon2id PHC string.
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER,
    -- Consecutive wrong passwords; reset by a successful login.
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER
);

-- The centres a supervisor looks after (admins and analysts see all).
CREATE TABLE user_centres (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    centre_id INTEGER NOT NULL REFERENCES centres (id),
    PRIMARY KEY (user_id, centre_id)
) WITHOUT ROWID;

-- Browser sessions: the cookie holds a secret whose SHA-256 is stored.
CREATE TABLE web_sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);

-- NULL: a role token from `token create --role` (no account, all centres).
ALTER TABLE api_tokens ADD COLUMN user_id INTEGER REFERENCES users (id);

-- Reach reports read only these columns of sessions in a centre and date
-- range: with them all in one index the reports never touch the table
-- (see BENCHMARKS.md, "Reach report").
CREATE INDEX sessions_for_reports ON sessions (
    centre_id, started_at, ended_at, last_activity_at,
    first_time_internet, age_band, gender, neighbourhood
);
