-- Dashboard and reports: the moderation queue by centre, distinct citizens,
-- opening hours, availability and daily rollups.

-- A post's centre is where its author last logged in before writing it.
CREATE INDEX citizen_logins_by_citizen ON citizen_logins (citizen_id, at);

-- Opening hours per centre: periods per weekday (0 = Monday) in minutes
-- after midnight UTC. A centre with no rows uses the manager's
-- `dashboard.default_opening_hours`.
CREATE TABLE centre_hours (
    centre_id INTEGER NOT NULL REFERENCES centres (id) ON DELETE CASCADE,
    weekday   INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens     INTEGER NOT NULL CHECK (opens BETWEEN 0 AND 1440),
    closes    INTEGER NOT NULL CHECK (closes > opens AND closes <= 1440),
    PRIMARY KEY (centre_id, weekday, opens)
) WITHOUT ROWID;

-- Whether a centre's hours were set (a centre set to "closed" has no
-- periods but must not fall back to the default).
CREATE TABLE centre_hours_set (
    centre_id INTEGER PRIMARY KEY REFERENCES centres (id) ON DELETE CASCADE
);

-- Occupancy reads each kiosk's sessions in a range: with these columns in
-- one index it never touches the table.
CREATE INDEX sessions_for_occupancy ON sessions (
    kiosk_id, started_at, ended_at, last_activity_at
);

-- When each kiosk was online: consecutive heartbeats no further apart than
-- the offline threshold extend one span (kiosk_health is pruned after two
-- days; this is what availability reports read).
CREATE TABLE kiosk_online (
    kiosk_id BLOB NOT NULL,
    since    INTEGER NOT NULL,
    until    INTEGER NOT NULL,
    PRIMARY KEY (kiosk_id, since)
) WITHOUT ROWID;

-- Daily rollups of the reach report: per centre and UTC day (milliseconds
-- / 86400000) that day's counts as JSON (`storage::rollups::Tally`). A row
-- exists only while it is true: any change to a session, its sections or
-- its procedure views drops the rows of the day it started (triggers
-- below), and housekeeping rolls closed days up again. Reports read rows
-- for whole days and sessions for the rest.
CREATE TABLE report_rollups (
    centre_id INTEGER NOT NULL,
    day       INTEGER NOT NULL,
    counts    TEXT NOT NULL,
    PRIMARY KEY (centre_id, day)
) WITHOUT ROWID;

CREATE TRIGGER sessions_insert_drops_rollup AFTER INSERT ON sessions BEGIN
    DELETE FROM report_rollups
    WHERE centre_id = NEW.centre_id AND day = NEW.started_at / 86400000;
END;

CREATE TRIGGER sessions_update_drops_rollup AFTER UPDATE ON sessions BEGIN
    DELETE FROM report_rollups
    WHERE (centre_id = OLD.centre_id AND day = OLD.started_at / 86400000)
       OR (centre_id = NEW.centre_id AND day = NEW.started_at / 86400000);
END;

CREATE TRIGGER sessions_delete_drops_rollup AFTER DELETE ON sessions BEGIN
    DELETE FROM report_rollups
    WHERE centre_id = OLD.centre_id AND day = OLD.started_at / 86400000;
END;

CREATE TRIGGER session_sections_drop_rollup AFTER INSERT ON session_sections BEGIN
    DELETE FROM report_rollups
    WHERE (centre_id, day) IN (
        SELECT centre_id, started_at / 86400000 FROM sessions WHERE id = NEW.session_id);
END;

CREATE TRIGGER procedure_views_drop_rollup AFTER INSERT ON events
WHEN NEW.kind = 'procedure_viewed' BEGIN
    DELETE FROM report_rollups
    WHERE (centre_id, day) IN (
        SELECT centre_id, started_at / 86400000 FROM sessions WHERE id = NEW.session_id);
END;
