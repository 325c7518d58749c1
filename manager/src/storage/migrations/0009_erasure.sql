-- Erasure (Ley 25.326 art. 16, GDPR art. 17): announcements and events
-- remember which citizen account wrote them, so that erasing the account
-- finds them by id rather than by a name a staff member might share.
ALTER TABLE community_announcements ADD COLUMN citizen_id INTEGER REFERENCES citizens (id);
ALTER TABLE community_events ADD COLUMN citizen_id INTEGER REFERENCES citizens (id);

-- Before this, a coordinator's items carried only the alias: link those
-- whose alias is a member of the same community.
UPDATE community_announcements SET citizen_id = (
    SELECT c.id FROM citizens c JOIN community_members m ON m.citizen_id = c.id
    WHERE c.alias = community_announcements.author
      AND m.community_id = community_announcements.community_id);
UPDATE community_events SET citizen_id = (
    SELECT c.id FROM citizens c JOIN community_members m ON m.citizen_id = c.id
    WHERE c.alias = community_events.author
      AND m.community_id = community_events.community_id);

CREATE INDEX community_announcements_by_citizen ON community_announcements (citizen_id)
    WHERE citizen_id IS NOT NULL;
CREATE INDEX community_events_by_citizen ON community_events (citizen_id)
    WHERE citizen_id IS NOT NULL;
