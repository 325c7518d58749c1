-- Requests to the municipality ("pedidos y reclamos", issue #16), modelled
-- on Open311 GeoReport v2. No personal field is stored: the place is a
-- neighbourhood, a street and a reference (coordinates optional), and a
-- request belongs to a citizen account only when filed logged in.

-- Service types: Open311 services. Names in Spanish and English.
CREATE TABLE service_types (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    group_es       TEXT NOT NULL,
    group_en       TEXT NOT NULL,
    name_es        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    description_es TEXT NOT NULL,
    description_en TEXT NOT NULL,
    -- Comma-separated, as Open311 publishes them.
    keywords       TEXT NOT NULL DEFAULT '',
    -- The kiosk's pictogram name.
    pictogram      TEXT NOT NULL,
    -- Open311 attributes (extra fields), JSON array.
    attributes     TEXT NOT NULL DEFAULT '[]',
    position       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE service_requests (
    id              INTEGER PRIMARY KEY,
    -- The public id: the kiosk's ticket code and Open311's
    -- service_request_id.
    ticket          TEXT NOT NULL UNIQUE,
    service_type_id INTEGER NOT NULL REFERENCES service_types (id),
    description     TEXT NOT NULL,
    neighbourhood   TEXT,
    street          TEXT,
    reference       TEXT,
    lat             REAL,
    lon             REAL,
    -- Answers to the type's attributes, JSON object code → value.
    attributes      TEXT NOT NULL DEFAULT '{}',
    -- kiosk | open311 | chat
    channel         TEXT NOT NULL,
    -- The centre of the kiosk it was filed at (its supervisors' scope).
    centre_id       INTEGER REFERENCES centres (id),
    -- Filed logged in: listed under the account's "my requests".
    citizen_id      INTEGER REFERENCES citizens (id) ON DELETE SET NULL,
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'in_process', 'closed', 'rejected')),
    assignee_id     INTEGER REFERENCES users (id),
    -- The latest public note (Open311 status_notes).
    public_note     TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    closed_at       INTEGER
);

CREATE INDEX service_requests_by_status ON service_requests (status, id);
CREATE INDEX service_requests_by_created ON service_requests (created_at);
CREATE INDEX service_requests_by_centre ON service_requests (centre_id, id);
CREATE INDEX service_requests_by_assignee ON service_requests (assignee_id, id);
CREATE INDEX service_requests_by_citizen ON service_requests (citizen_id, id);

-- Every change of a request: assignments and status changes with their
-- notes. The internal note is for staff only.
CREATE TABLE service_request_changes (
    id            INTEGER PRIMARY KEY,
    request_id    INTEGER NOT NULL REFERENCES service_requests (id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    status        TEXT NOT NULL,
    assignee      TEXT,
    public_note   TEXT,
    internal_note TEXT
);

CREATE INDEX service_request_changes_by_request ON service_request_changes (request_id, id);
