-- What a heartbeat reply says (pending commands, content version, a centre's
-- allotment, whether the kiosk may still speak) changes rarely; the manager
-- answers heartbeats from memory while this counter stands still. Triggers
-- move it on for every change, whichever process makes it (the server, the
-- CLI), so no code path can forget to.
CREATE TABLE heartbeat_answers (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);

INSERT INTO heartbeat_answers (id, version) VALUES (1, 0);

CREATE TRIGGER heartbeat_answers_on_command AFTER INSERT ON commands
BEGIN
    UPDATE heartbeat_answers SET version = version + 1;
END;

CREATE TRIGGER heartbeat_answers_on_centre
AFTER UPDATE OF session_allotment_s, session_extension_s ON centres
BEGIN
    UPDATE heartbeat_answers SET version = version + 1;
END;

CREATE TRIGGER heartbeat_answers_on_kiosk AFTER UPDATE OF revoked_at, centre_id ON kiosks
BEGIN
    UPDATE heartbeat_answers SET version = version + 1;
END;

CREATE TRIGGER heartbeat_answers_on_kiosk_gone AFTER DELETE ON kiosks
BEGIN
    UPDATE heartbeat_answers SET version = version + 1;
END;

CREATE TRIGGER heartbeat_answers_on_content_insert AFTER INSERT ON meta
WHEN NEW.key = 'content_version'
BEGIN
    UPDATE heartbeat_answers SET version = version + 1;
END;

CREATE TRIGGER heartbeat_answers_on_content_update AFTER UPDATE ON meta
WHEN NEW.key = 'content_version'
BEGIN
    UPDATE heartbeat_answers SET version = version + 1;
END;
