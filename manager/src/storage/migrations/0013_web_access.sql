-- Internet at the kiosk: a centre's web policy (open with a deny-list, or
-- allow-list only), its recommended sites and its purpose list, as one JSON
-- document (`plaza_api::web::WebPolicy`). A centre without a row uses the
-- manager's default (open, nothing recommended, the built-in purposes).
CREATE TABLE centre_web (
    centre_id  INTEGER PRIMARY KEY REFERENCES centres (id) ON DELETE CASCADE,
    policy     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A web visit counts in the reach report's "internet use by purpose": like
-- a procedure view, it drops the rollup of its session's day.
CREATE TRIGGER web_visits_drop_rollup AFTER INSERT ON events
WHEN NEW.kind = 'web_visited' BEGIN
    DELETE FROM report_rollups
    WHERE (centre_id, day) IN (
        SELECT centre_id, started_at / 86400000 FROM sessions WHERE id = NEW.session_id);
END;
