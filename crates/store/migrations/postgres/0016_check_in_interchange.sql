-- Check-ins travel in the interchange folder (`check_ins.csv`, docs/interchange.md). The
-- import and export work on every table of the folder alike: its columns carry the file's
-- names, `seq` is set by the writer (an import gives its rows `seq = base + line`, which an
-- identity column would refuse), and the ID is kept unique by an index of its own,
-- `check_in_id_unique`, which an import can set aside (see 0001). The table of 0011 is made
-- again with those names; its rows are kept.
CREATE TEMP TABLE check_in_0011 AS SELECT * FROM check_in;
DROP TABLE check_in;
CREATE TABLE check_in (
    seq BIGINT PRIMARY KEY,
    check_in_id TEXT COLLATE "C" NOT NULL,
    participant_id TEXT COLLATE "C" NOT NULL REFERENCES participant (participant_id),
    -- The designated coach when it was given: the coach whose figures it counts in.
    coach_id TEXT COLLATE "C" NOT NULL REFERENCES coach (coach_id),
    date DATE NOT NULL,
    -- fika_core::check_in::VERSIONS; the scores are the items of that version.
    items_version SMALLINT NOT NULL,
    person SMALLINT NOT NULL CHECK (person BETWEEN 0 AND 10),
    heard SMALLINT NOT NULL CHECK (heard BETWEEN 0 AND 10),
    goal SMALLINT NOT NULL CHECK (goal BETWEEN 0 AND 10),
    overall SMALLINT NOT NULL CHECK (overall BETWEEN 0 AND 10),
    sharing TEXT COLLATE "C" NOT NULL CHECK (sharing IN ('coach_and_me', 'counted_only')),
    words TEXT COLLATE "C"
);
INSERT INTO check_in (seq, check_in_id, participant_id, coach_id, date, items_version,
                      person, heard, goal, overall, sharing, words)
    SELECT seq, check_in_id, participant_id, coach_id, on_date, version,
           score1, score2, score3, score4, sharing, words
    FROM check_in_0011;
DROP TABLE check_in_0011;
CREATE UNIQUE INDEX check_in_id_unique ON check_in (check_in_id);
CREATE INDEX check_in_by_participant ON check_in (participant_id, date);
CREATE INDEX check_in_by_coach ON check_in (coach_id, date);
