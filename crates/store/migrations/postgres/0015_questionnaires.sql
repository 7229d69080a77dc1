-- Questionnaires to programs (store/src/questionnaires.rs). A questionnaire is read and
-- written whole, so it is one JSON document; it is frozen once a round has been sent.
-- Dates are ISO text (YYYY-MM-DD) and times UTC text (YYYY-MM-DDTHH:MM:SSZ), as the
-- actor's time is given, so both backends keep them alike.
CREATE TABLE questionnaire (
    questionnaire_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    document TEXT NOT NULL,
    frozen INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A questionnaire sent to programs, with the date its figures are computed on.
CREATE TABLE questionnaire_round (
    round_id TEXT PRIMARY KEY,
    questionnaire_id TEXT NOT NULL REFERENCES questionnaire (questionnaire_id),
    title TEXT NOT NULL,
    reference_date TEXT NOT NULL,
    deadline TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    sent_at TEXT NOT NULL
);

-- The programs a round went to; submitted_at is set when the program submits.
CREATE TABLE round_program (
    round_id TEXT NOT NULL REFERENCES questionnaire_round (round_id),
    program_id TEXT NOT NULL REFERENCES program (program_id),
    submitted_at TEXT,
    submitted_by TEXT,
    PRIMARY KEY (round_id, program_id)
);
CREATE INDEX round_program_by_program ON round_program (program_id);

-- The figures computed for each program when the round was sent (value NULL where
-- nothing counts), kept beside the answers so both are there.
CREATE TABLE round_prefill (
    round_id TEXT NOT NULL,
    program_id TEXT NOT NULL,
    question TEXT NOT NULL,
    value TEXT,
    evidence TEXT NOT NULL,
    PRIMARY KEY (round_id, program_id, question),
    FOREIGN KEY (round_id, program_id) REFERENCES round_program (round_id, program_id)
);

-- One answer per program and question; version counts its changes, so a change made on
-- an old version is refused. answer is the answer's JSON, NULL once cleared.
CREATE TABLE round_answer (
    round_id TEXT NOT NULL,
    program_id TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT,
    comment TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    answered_by TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (round_id, program_id, question),
    FOREIGN KEY (round_id, program_id) REFERENCES round_program (round_id, program_id)
);
