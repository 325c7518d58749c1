-- Running counts of each consultation, kept by triggers as ballots and
-- voters are recorded, so results read a few rows instead of parsing every
-- ballot (105,000 ballots took 136 ms at p50; see BENCHMARKS.md). They are
-- aggregates, as published: nothing in them refers to a voter or a ballot.

CREATE TABLE consultation_ballot_counts (
    consultation_id INTEGER PRIMARY KEY REFERENCES consultations (id),
    ballots         INTEGER NOT NULL
);

CREATE TABLE consultation_option_votes (
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    position        INTEGER NOT NULL,
    votes           INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, position)
) WITHOUT ROWID;

-- Voters by neighbourhood; '' counts those who were not verified residents.
CREATE TABLE consultation_turnout (
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    neighbourhood   TEXT NOT NULL,
    voters          INTEGER NOT NULL,
    PRIMARY KEY (consultation_id, neighbourhood)
) WITHOUT ROWID;

INSERT INTO consultation_ballot_counts (consultation_id, ballots)
    SELECT consultation_id, count(*) FROM consultation_ballots GROUP BY consultation_id;
INSERT INTO consultation_option_votes (consultation_id, position, votes)
    SELECT b.consultation_id, j.value, count(*)
    FROM consultation_ballots b, json_each(b.choices) j
    GROUP BY b.consultation_id, j.value;
INSERT INTO consultation_turnout (consultation_id, neighbourhood, voters)
    SELECT consultation_id, coalesce(neighbourhood, ''), count(*)
    FROM consultation_voters GROUP BY consultation_id, coalesce(neighbourhood, '');

CREATE TRIGGER consultation_ballots_counted AFTER INSERT ON consultation_ballots BEGIN
    INSERT INTO consultation_ballot_counts (consultation_id, ballots)
        VALUES (NEW.consultation_id, 1)
        ON CONFLICT (consultation_id) DO UPDATE SET ballots = ballots + 1;
    INSERT INTO consultation_option_votes (consultation_id, position, votes)
        SELECT NEW.consultation_id, value, 1 FROM json_each(NEW.choices) WHERE true
        ON CONFLICT (consultation_id, position) DO UPDATE SET votes = votes + 1;
END;

CREATE TRIGGER consultation_voters_counted AFTER INSERT ON consultation_voters BEGIN
    INSERT INTO consultation_turnout (consultation_id, neighbourhood, voters)
        VALUES (NEW.consultation_id, coalesce(NEW.neighbourhood, ''), 1)
        ON CONFLICT (consultation_id, neighbourhood) DO UPDATE SET voters = voters + 1;
END;
