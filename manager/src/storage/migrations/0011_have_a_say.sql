-- Having a say (issue #17): verified residents, consultations with secret
-- ballots, proposals with supports and an official answer.

-- A citizen account a supervisor verified as a resident after seeing the
-- person's ID. The document number itself is never stored: only an
-- HMAC-SHA-256 of its digits under a key kept in the data folder
-- (`resident.key`), whose one job is refusing a second verified account for
-- the same document. Revoking deletes the row (the audit log keeps who and
-- where).
CREATE TABLE verified_residents (
    citizen_id    INTEGER PRIMARY KEY REFERENCES citizens (id),
    document_hmac BLOB NOT NULL UNIQUE,
    neighbourhood TEXT NOT NULL,
    -- Where it was done: the centre whose staff may revoke it.
    centre_id     INTEGER NOT NULL REFERENCES centres (id),
    verified_at   INTEGER NOT NULL,
    verified_by   TEXT NOT NULL
);

CREATE TABLE consultations (
    id             INTEGER PRIMARY KEY,
    question_es    TEXT NOT NULL,
    question_en    TEXT,
    description_es TEXT NOT NULL,
    description_en TEXT,
    kind           TEXT NOT NULL CHECK (kind IN ('single', 'multiple')),
    max_choices    INTEGER NOT NULL CHECK (max_choices >= 1),
    opens_at       INTEGER NOT NULL,
    closes_at      INTEGER NOT NULL CHECK (closes_at > opens_at),
    eligibility    TEXT NOT NULL CHECK (eligibility IN ('verified_residents', 'any_account')),
    live_results   INTEGER NOT NULL DEFAULT 0,
    answer_es      TEXT,
    answer_en      TEXT,
    answered_at    INTEGER,
    answered_by    TEXT,
    created_by     TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE consultation_options (
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    position        INTEGER NOT NULL,
    label_es        TEXT NOT NULL,
    label_en        TEXT,
    PRIMARY KEY (consultation_id, position)
) WITHOUT ROWID;

-- No row: the whole municipality.
CREATE TABLE consultation_neighbourhoods (
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    name            TEXT NOT NULL,
    PRIMARY KEY (consultation_id, name)
) WITHOUT ROWID;

-- Who voted (never what). `person` is the document's HMAC for a verified
-- resident, so a second account verified with the same document after a
-- revocation still cannot vote again; `neighbourhood` is the voter's, for
-- the turnout. Only the day of the vote, like the ballots. WITHOUT ROWID and
-- keyed by (consultation, citizen): the table's order is the citizens'
-- ids, not the order of voting.
-- When an account is erased its rows stay (the person has voted, and counts
-- in the turnout) with `citizen_id` replaced by a random negative number that
-- names no account; so it has no foreign key.
CREATE TABLE consultation_voters (
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    citizen_id      INTEGER NOT NULL,
    person          BLOB,
    neighbourhood   TEXT,
    day             TEXT NOT NULL,
    PRIMARY KEY (consultation_id, citizen_id)
) WITHOUT ROWID;

CREATE UNIQUE INDEX consultation_voters_by_person
    ON consultation_voters (consultation_id, person) WHERE person IS NOT NULL;

-- What was chosen (never who): the chosen positions as a sorted JSON array,
-- the day, and a random key, so the table's order says nothing about the
-- order of voting. Nothing in it refers to a voter.
CREATE TABLE consultation_ballots (
    ballot_key      INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    choices         TEXT NOT NULL,
    day             TEXT NOT NULL
);

CREATE INDEX consultation_ballots_by_consultation ON consultation_ballots (consultation_id);

CREATE TABLE proposals (
    id            INTEGER PRIMARY KEY,
    -- NULL once the author erased their account and kept it unsigned.
    author_id     INTEGER REFERENCES citizens (id),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    language      TEXT NOT NULL,
    neighbourhood TEXT NOT NULL,
    -- The author's verification centre: the staff who moderate it.
    centre_id     INTEGER NOT NULL REFERENCES centres (id),
    moderation    TEXT NOT NULL CHECK (moderation IN ('published', 'held', 'removed')),
    status        TEXT NOT NULL CHECK (status IN ('evaluating', 'accepted', 'rejected', 'in_progress', 'done')),
    answer_es     TEXT,
    answer_en     TEXT,
    answered_at   INTEGER,
    answered_by   TEXT,
    supports      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE INDEX proposals_by_created ON proposals (created_at);

CREATE TABLE proposal_supports (
    proposal_id   INTEGER NOT NULL REFERENCES proposals (id),
    citizen_id    INTEGER NOT NULL REFERENCES citizens (id),
    neighbourhood TEXT,
    day           TEXT NOT NULL,
    PRIMARY KEY (proposal_id, citizen_id)
) WITHOUT ROWID;
