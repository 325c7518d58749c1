-- Internet at the kiosk: a centre's web policy (open with a deny-list, or
-- allow-list only), its recommended sites and its purpose list, as one JSON
-- document (`plaza_api::web::WebPolicy`). A centre without a row uses the
-- manager's default (open, nothing recommended, the built-in purposes).
CREATE TABLE centre_web (
    centre_id  INTEGER PRIMARY KEY REFERENCES centres (id) ON DELETE CASCADE,
    policy     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
