-- Respondents an evaluator names for a program in a round, besides the program's lead
-- (store/src/questionnaires.rs): users of that program (a coach, another lead) by login
-- name. They see and answer the round like the lead.
CREATE TABLE round_respondent (
    round_id TEXT NOT NULL,
    program_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    named_by TEXT NOT NULL,
    named_at TEXT NOT NULL,
    PRIMARY KEY (round_id, program_id, user_name),
    FOREIGN KEY (round_id, program_id) REFERENCES round_program (round_id, program_id)
);
CREATE INDEX round_respondent_by_user ON round_respondent (user_name);
