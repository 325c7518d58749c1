-- Centre scope for participation (issue #14): staff act only on the
-- citizens, communities and boards of the centres they supervise.

-- The centres where a citizen has logged in, one row per pair. Kept apart
-- from `citizen_logins` (the reach reports' log, which retention may empty)
-- so that an account stays in its supervisors' reach; it goes with the
-- account.
CREATE TABLE citizen_centres (
    citizen_id INTEGER NOT NULL REFERENCES citizens (id) ON DELETE CASCADE,
    centre_id  INTEGER NOT NULL REFERENCES centres (id) ON DELETE CASCADE,
    PRIMARY KEY (citizen_id, centre_id)
) WITHOUT ROWID;

CREATE INDEX citizen_centres_by_centre ON citizen_centres (centre_id);

INSERT OR IGNORE INTO citizen_centres (citizen_id, centre_id)
    SELECT DISTINCT l.citizen_id, l.centre_id
    FROM citizen_logins l JOIN centres c ON c.id = l.centre_id;

-- A community, and a board, belongs to one centre; NULL: to the whole
-- network, which only staff with every centre in scope (admins) manage.
-- A community's board has its community's centre.
ALTER TABLE communities ADD COLUMN centre_id INTEGER REFERENCES centres (id);
ALTER TABLE boards ADD COLUMN centre_id INTEGER REFERENCES centres (id);

-- Existing ones: the centre that serves their neighbourhood, when exactly
-- one does; otherwise the network.
UPDATE communities SET centre_id = (
    SELECT CASE WHEN count(*) = 1 THEN min(n.centre_id) END
    FROM centre_neighbourhoods n WHERE n.name = communities.neighbourhood)
WHERE neighbourhood IS NOT NULL;

UPDATE boards SET centre_id = (
    SELECT CASE WHEN count(*) = 1 THEN min(n.centre_id) END
    FROM centre_neighbourhoods n WHERE n.name = boards.neighbourhood)
WHERE community_id IS NULL AND neighbourhood IS NOT NULL;

UPDATE boards SET centre_id = (
    SELECT c.centre_id FROM communities c WHERE c.id = boards.community_id)
WHERE community_id IS NOT NULL;
