-- Foundation: centres, kiosks, heartbeats, commands, events, sessions, API tokens.
-- Timestamps are milliseconds since the Unix epoch; UUIDs are 16-byte blobs.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('content_version', '0');

CREATE TABLE centres (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE COLLATE NOCASE,
    -- NULL: use the manager's default.
    session_allotment_s INTEGER CHECK (session_allotment_s IS NULL OR session_allotment_s >= 60),
    -- NULL: use the manager's default; 0: no "more time".
    session_extension_s INTEGER CHECK (session_extension_s IS NULL OR session_extension_s >= 0),
    created_at          INTEGER NOT NULL
);

CREATE TABLE centre_neighbourhoods (
    centre_id INTEGER NOT NULL REFERENCES centres (id) ON DELETE CASCADE,
    name      TEXT NOT NULL COLLATE NOCASE,
    position  INTEGER NOT NULL,
    PRIMARY KEY (centre_id, name)
) WITHOUT ROWID;

CREATE TABLE enrolment_codes (
    code_hash  BLOB PRIMARY KEY,
    centre_id  INTEGER NOT NULL REFERENCES centres (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER,
    kiosk_id   BLOB
) WITHOUT ROWID;

CREATE TABLE kiosks (
    id          BLOB PRIMARY KEY,
    centre_id   INTEGER NOT NULL REFERENCES centres (id),
    hostname    TEXT NOT NULL,
    token_hash  BLOB NOT NULL UNIQUE,
    enrolled_at INTEGER NOT NULL,
    revoked_at  INTEGER
) WITHOUT ROWID;

-- The latest heartbeat of each kiosk, upserted: one row per kiosk.
CREATE TABLE kiosk_status (
    kiosk_id           BLOB PRIMARY KEY REFERENCES kiosks (id),
    received_at        INTEGER NOT NULL,
    sent_at            INTEGER NOT NULL,
    state              TEXT NOT NULL,
    app_version        TEXT NOT NULL,
    uptime_s           INTEGER NOT NULL,
    cpu_percent        REAL NOT NULL,
    memory_used_bytes  INTEGER NOT NULL,
    memory_total_bytes INTEGER NOT NULL,
    disk_free_bytes    INTEGER NOT NULL,
    disk_total_bytes   INTEGER NOT NULL,
    outbox_len         INTEGER NOT NULL,
    last_error         TEXT,
    session_id         BLOB,
    session_started_at INTEGER,
    session_ends_at    INTEGER,
    content_version    INTEGER
) WITHOUT ROWID;

-- Health history, downsampled: the first heartbeat of each period.
CREATE TABLE kiosk_health (
    kiosk_id           BLOB NOT NULL,
    bucket             INTEGER NOT NULL,
    cpu_percent        REAL NOT NULL,
    memory_used_bytes  INTEGER NOT NULL,
    memory_total_bytes INTEGER NOT NULL,
    disk_free_bytes    INTEGER NOT NULL,
    disk_total_bytes   INTEGER NOT NULL,
    outbox_len         INTEGER NOT NULL,
    PRIMARY KEY (kiosk_id, bucket)
) WITHOUT ROWID;

CREATE INDEX kiosk_health_by_bucket ON kiosk_health (bucket);

CREATE TABLE commands (
    id           BLOB PRIMARY KEY,
    kiosk_id     BLOB NOT NULL REFERENCES kiosks (id),
    action       TEXT NOT NULL,
    issued_at    INTEGER NOT NULL,
    issued_by    TEXT NOT NULL,
    -- Not delivered by then: dropped (a session command must not hit a later session).
    expires_at   INTEGER,
    delivered_at INTEGER,
    acked_at     INTEGER
) WITHOUT ROWID;

CREATE INDEX commands_pending ON commands (kiosk_id, issued_at) WHERE acked_at IS NULL;
CREATE INDEX commands_by_kiosk ON commands (kiosk_id, issued_at);

CREATE TABLE events (
    id          BLOB PRIMARY KEY,
    kiosk_id    BLOB NOT NULL,
    session_id  BLOB NOT NULL,
    kind        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    data        TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX events_by_kind_at ON events (kind, at);

-- Sessions derived from events; centre_id is the kiosk's centre at ingest.
CREATE TABLE sessions (
    id                  BLOB PRIMARY KEY,
    kiosk_id            BLOB NOT NULL,
    centre_id           INTEGER NOT NULL,
    -- From session_started when seen; until then, the earliest event.
    started_at          INTEGER NOT NULL,
    has_start           INTEGER NOT NULL DEFAULT 0,
    -- Kiosk clock: latest event, or heartbeat that reported the session.
    last_activity_at    INTEGER NOT NULL,
    -- Manager clock: when the latest event for it arrived.
    last_received_at    INTEGER NOT NULL,
    ended_at            INTEGER,
    end_reason          TEXT,
    allotment_s         INTEGER,
    extended_s          INTEGER NOT NULL DEFAULT 0,
    language            TEXT,
    large_text          INTEGER,
    high_contrast       INTEGER,
    age_band            TEXT,
    gender              TEXT,
    first_time_internet INTEGER,
    neighbourhood       TEXT,
    events              INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE INDEX sessions_open ON sessions (kiosk_id) WHERE ended_at IS NULL;
CREATE INDEX sessions_by_kiosk ON sessions (kiosk_id, started_at);
CREATE INDEX sessions_by_centre ON sessions (centre_id, started_at);

CREATE TABLE session_sections (
    session_id BLOB NOT NULL,
    section    TEXT NOT NULL,
    opened     INTEGER NOT NULL,
    PRIMARY KEY (session_id, section)
) WITHOUT ROWID;

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);

CREATE INDEX audit_log_by_at ON audit_log (at);
