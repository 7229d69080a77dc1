-- What the web app needs beyond the interchange records: who may sign in, their sessions,
-- failed sign-ins (for rate limiting), planned meetings, stand-in coaches and the history
-- of designated coaches. Times are UTC text `YYYY-MM-DDTHH:MM:SSZ`, which sorts as time
-- does (kept as text on both backends); dates are DATE as in 0001.

CREATE TABLE app_user (
    user_id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'coach', 'evaluator')),
    coach_id TEXT REFERENCES coach (coach_id),
    program_id TEXT REFERENCES program (program_id),
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'sv')),
    created_at TEXT NOT NULL,
    disabled_at TEXT,
    CHECK (role <> 'coach' OR coach_id IS NOT NULL),
    CHECK (role <> 'lead' OR program_id IS NOT NULL)
);

-- Only the SHA-256 of a session's secret is kept: a copy of this table opens no session.
CREATE TABLE app_session (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES app_user (user_id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX app_session_by_user ON app_session (user_id);

CREATE TABLE login_failure (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failure_by_login ON login_failure (login, at);
CREATE INDEX login_failure_by_ip ON login_failure (ip, at);

-- The next meeting agreed with a participant (at most one per participant).
CREATE TABLE planned_meeting (
    participant_id TEXT PRIMARY KEY REFERENCES participant (participant_id),
    date DATE NOT NULL
);

-- A coach standing in for another coach's whole caseload while they are away.
CREATE TABLE stand_in (
    stand_in_id TEXT PRIMARY KEY,
    coach_id TEXT NOT NULL REFERENCES coach (coach_id),
    stand_in_coach_id TEXT NOT NULL REFERENCES coach (coach_id),
    from_on DATE NOT NULL,
    to_on DATE NOT NULL,
    created_by TEXT NOT NULL,
    CHECK (from_on <= to_on),
    CHECK (coach_id <> stand_in_coach_id)
);
CREATE INDEX stand_in_by_coach ON stand_in (stand_in_coach_id, from_on);

-- Every change of a participant's designated coach (participant.coach_id holds the current one).
CREATE TABLE coach_change (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    from_coach_id TEXT NOT NULL REFERENCES coach (coach_id),
    to_coach_id TEXT NOT NULL REFERENCES coach (coach_id),
    on_date DATE NOT NULL,
    changed_by TEXT NOT NULL
);
CREATE INDEX coach_change_by_participant ON coach_change (participant_id);
