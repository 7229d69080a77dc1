-- Erasure, restriction, legal holds and retention (docs/privacy.md, store/src/erasure.rs).
-- Times are UTC text `YYYY-MM-DDTHH:MM:SSZ`.

-- What a correction changed: the record before and after, and the reason. Until this
-- migration it was the detail of the correction's audit row; it is personal data, and the
-- audit log is append-only and hash-chained, so it now lives here, where an erasure removes
-- it, and the audit row names the correction by `seq` only. No foreign key: a removed enrolment's
-- correction outlives the participant row.
CREATE TABLE correction (
    seq INTEGER PRIMARY KEY,
    participant_id TEXT NOT NULL,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX correction_by_participant ON correction (participant_id);

-- A legal hold: while it is not lifted, no record of the program (or of the participant)
-- is erased, by request or by the retention purge.
CREATE TABLE legal_hold (
    seq INTEGER PRIMARY KEY,
    program_id TEXT REFERENCES program (program_id),
    participant_id TEXT,
    reference TEXT NOT NULL,
    placed_by TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    lifted_by TEXT,
    lifted_at TEXT,
    CHECK ((program_id IS NULL) <> (participant_id IS NULL))
);
CREATE INDEX legal_hold_by_program ON legal_hold (program_id);
CREATE INDEX legal_hold_by_participant ON legal_hold (participant_id);

-- How many years after an exit records are kept: a program's rule, or one participant's
-- (which then applies instead of the program's).
CREATE TABLE retention_rule (
    seq INTEGER PRIMARY KEY,
    program_id TEXT REFERENCES program (program_id),
    participant_id TEXT,
    years INTEGER NOT NULL CHECK (years BETWEEN 1 AND 100),
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    CHECK ((program_id IS NULL) <> (participant_id IS NULL))
);
CREATE UNIQUE INDEX retention_rule_program ON retention_rule (program_id) WHERE program_id IS NOT NULL;
CREATE UNIQUE INDEX retention_rule_participant ON retention_rule (participant_id)
    WHERE participant_id IS NOT NULL;

-- A restricted record (GDPR Art. 18): kept, but not used.
CREATE TABLE restriction (
    participant_id TEXT PRIMARY KEY REFERENCES participant (participant_id),
    reference TEXT NOT NULL,
    restricted_by TEXT NOT NULL,
    restricted_at TEXT NOT NULL
);
