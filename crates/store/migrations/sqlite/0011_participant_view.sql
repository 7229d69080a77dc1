-- The participant's own fika: participant accounts, invitations, goals reworded (with their
-- history), "I'd like to talk", and check-ins. Times are UTC text `YYYY-MM-DDTHH:MM:SSZ`,
-- dates `YYYY-MM-DD`, as in 0003.

-- app_user gains the role `participant`, whose account belongs to one participant record.
-- SQLite cannot change a CHECK, so the table is made again; sessions end at the upgrade
-- (they are the only rows that point at app_user).
DELETE FROM app_session;
CREATE TABLE app_user_new (
    user_id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'coach', 'evaluator', 'participant')),
    coach_id TEXT REFERENCES coach (coach_id),
    program_id TEXT REFERENCES program (program_id),
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'sv')),
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    participant_id TEXT REFERENCES participant (participant_id),
    CHECK (role <> 'coach' OR coach_id IS NOT NULL),
    CHECK (role <> 'lead' OR program_id IS NOT NULL),
    CHECK ((role = 'participant') = (participant_id IS NOT NULL))
);
INSERT INTO app_user_new (user_id, login, role, coach_id, program_id, password_hash, locale, created_at, disabled_at)
    SELECT user_id, login, role, coach_id, program_id, password_hash, locale, created_at, disabled_at FROM app_user;
DROP TABLE app_user;
ALTER TABLE app_user_new RENAME TO app_user;
CREATE INDEX app_user_by_participant ON app_user (participant_id);

-- A single-use invitation to make a participant account. Only the SHA-256 of its code is
-- kept: a copy of this table opens no account.
CREATE TABLE invitation (
    invitation_id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    code_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    withdrawn_at TEXT
);
CREATE INDEX invitation_by_participant ON invitation (participant_id);

-- Every rewording of a goal: goal.text holds the words now, these rows the words before.
CREATE TABLE goal_change (
    seq INTEGER PRIMARY KEY,
    goal_id TEXT NOT NULL REFERENCES goal (goal_id),
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    old_text TEXT NOT NULL,
    new_text TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    by_participant INTEGER NOT NULL
);
CREATE INDEX goal_change_by_participant ON goal_change (participant_id);

-- "I'd like to talk": open until a meeting on or after that day is recorded.
CREATE TABLE talk_request (
    seq INTEGER PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    on_date TEXT NOT NULL,
    asked_at TEXT NOT NULL
);
CREATE INDEX talk_request_by_participant ON talk_request (participant_id, on_date);

-- A check-in on how the support feels: four scores 0–10 (fika_core::check_in::ITEMS of
-- `version`), optional words, and who may see it. `coach_id` is the designated coach when
-- it was given: the coach whose figures it counts in.
CREATE TABLE check_in (
    seq INTEGER PRIMARY KEY,
    check_in_id TEXT NOT NULL UNIQUE,
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    coach_id TEXT NOT NULL REFERENCES coach (coach_id),
    on_date TEXT NOT NULL,
    version INTEGER NOT NULL,
    score1 INTEGER NOT NULL CHECK (score1 BETWEEN 0 AND 10),
    score2 INTEGER NOT NULL CHECK (score2 BETWEEN 0 AND 10),
    score3 INTEGER NOT NULL CHECK (score3 BETWEEN 0 AND 10),
    score4 INTEGER NOT NULL CHECK (score4 BETWEEN 0 AND 10),
    words TEXT,
    sharing TEXT NOT NULL CHECK (sharing IN ('coach_and_me', 'counted_only'))
);
CREATE INDEX check_in_by_participant ON check_in (participant_id, on_date);
CREATE INDEX check_in_by_coach ON check_in (coach_id, on_date);
