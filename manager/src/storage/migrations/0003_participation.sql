-- Participation: citizen accounts, forums, communities, moderation.
-- Timestamps are milliseconds since the Unix epoch; UUIDs are 16-byte blobs.

CREATE TABLE citizens (
    id           INTEGER PRIMARY KEY,
    alias        TEXT NOT NULL,
    -- Lower-cased alias: unique, so "Ana" and "ana" are one account.
    alias_key    TEXT NOT NULL UNIQUE,
    -- argon2id, PHC string.
    pin_hash     TEXT NOT NULL,
    failed_pins  INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at   INTEGER NOT NULL
);

-- Only hashes of citizen tokens; each is bound to one kiosk and one session.
CREATE TABLE citizen_tokens (
    token_hash BLOB PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizens (id),
    kiosk_id   BLOB NOT NULL,
    session_id BLOB NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX citizen_tokens_by_citizen ON citizen_tokens (citizen_id);
CREATE INDEX citizen_tokens_by_expiry ON citizen_tokens (expires_at);

-- One row per login, for the reach reports' "distinct citizen accounts".
CREATE TABLE citizen_logins (
    id         INTEGER PRIMARY KEY,
    citizen_id INTEGER NOT NULL REFERENCES citizens (id),
    kiosk_id   BLOB NOT NULL,
    centre_id  INTEGER NOT NULL,
    at         INTEGER NOT NULL
);

CREATE INDEX citizen_logins_by_at ON citizen_logins (at);
CREATE INDEX citizen_logins_by_centre ON citizen_logins (centre_id, at);

CREATE TABLE communities (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description       TEXT NOT NULL,
    neighbourhood     TEXT,
    category          TEXT NOT NULL,
    requires_approval INTEGER NOT NULL DEFAULT 0,
    member_count      INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
);

CREATE TABLE community_members (
    community_id INTEGER NOT NULL REFERENCES communities (id),
    citizen_id   INTEGER NOT NULL REFERENCES citizens (id),
    -- 'member', 'coordinator' or 'pending'.
    status       TEXT NOT NULL CHECK (status IN ('member', 'coordinator', 'pending')),
    since        INTEGER NOT NULL,
    PRIMARY KEY (community_id, citizen_id)
) WITHOUT ROWID;

CREATE INDEX community_members_by_citizen ON community_members (citizen_id);

CREATE TABLE community_announcements (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    author       TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE INDEX community_announcements_by_community
    ON community_announcements (community_id, created_at);

CREATE TABLE community_events (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities (id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    place        TEXT NOT NULL,
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER,
    author       TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE INDEX community_events_by_community ON community_events (community_id, starts_at);

CREATE TABLE boards (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('topic', 'neighbourhood', 'community')),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    language         TEXT,
    neighbourhood    TEXT,
    community_id     INTEGER UNIQUE REFERENCES communities (id),
    position         INTEGER NOT NULL DEFAULT 0,
    -- Published threads and their latest activity, kept with every change.
    thread_count     INTEGER NOT NULL DEFAULT 0,
    last_activity_at INTEGER,
    created_at       INTEGER NOT NULL
);

-- A thread's status is its first post's.
CREATE TABLE threads (
    id               INTEGER PRIMARY KEY,
    board_id         INTEGER NOT NULL REFERENCES boards (id),
    title            TEXT NOT NULL,
    citizen_id       INTEGER REFERENCES citizens (id),
    staff_name       TEXT,
    status           TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    post_count       INTEGER NOT NULL DEFAULT 0,
    first_post_id    INTEGER
);

CREATE INDEX threads_by_activity ON threads (board_id, last_activity_at DESC, id DESC);

-- status: 'published'; 'held' (word filter) and 'reported' (hidden after
-- reports) wait for review; 'hidden' (by a supervisor); 'deleted'.
CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    thread_id       INTEGER NOT NULL REFERENCES threads (id),
    citizen_id      INTEGER REFERENCES citizens (id),
    staff_name      TEXT,
    official        INTEGER NOT NULL DEFAULT 0,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL
        CHECK (status IN ('published', 'held', 'reported', 'hidden', 'deleted')),
    moderation_note TEXT,
    filtered_words  TEXT,
    -- Reports since the last review.
    open_reports    INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    edited_at       INTEGER
);

CREATE INDEX posts_by_thread ON posts (thread_id, id);
CREATE INDEX posts_by_citizen ON posts (citizen_id, created_at) WHERE citizen_id IS NOT NULL;
CREATE INDEX posts_to_review ON posts (id)
    WHERE status IN ('held', 'reported') OR (status = 'published' AND open_reports > 0);

CREATE TABLE post_reports (
    post_id    INTEGER NOT NULL REFERENCES posts (id),
    citizen_id INTEGER NOT NULL REFERENCES citizens (id),
    reason     TEXT NOT NULL,
    details    TEXT,
    at         INTEGER NOT NULL,
    PRIMARY KEY (post_id, citizen_id)
) WITHOUT ROWID;
