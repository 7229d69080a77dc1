-- The records of INTERCHANGE.md, one table per file, named with the IPS words.
-- Every table has `seq`, the insertion order, which export follows so that a folder's row
-- order survives a round trip (an import gives its rows seq = base + line). An ID is kept
-- unique by an index of its own (`TABLE_id_unique`) rather than an inline UNIQUE, so that an
-- import into an empty table can build it once, after checking the file. There is no
-- column for a medical condition, anywhere, by design: people are described by their own goals.
-- Dates are ISO 8601 text (YYYY-MM-DD), which sorts and compares as dates do.

CREATE TABLE program (
    seq INTEGER PRIMARY KEY,
    program_id TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT,
    started_on TEXT
);
CREATE UNIQUE INDEX program_id_unique ON program (program_id);

CREATE TABLE coach (
    seq INTEGER PRIMARY KEY,
    coach_id TEXT NOT NULL,
    program_id TEXT NOT NULL REFERENCES program (program_id),
    name TEXT NOT NULL,
    fte REAL NOT NULL CHECK (fte > 0 AND fte <= 1),
    started_on TEXT NOT NULL,
    ended_on TEXT
);
CREATE UNIQUE INDEX coach_id_unique ON coach (coach_id);
CREATE INDEX coach_by_program ON coach (program_id);

CREATE TABLE participant (
    seq INTEGER PRIMARY KEY,
    participant_id TEXT NOT NULL,
    program_id TEXT NOT NULL REFERENCES program (program_id),
    coach_id TEXT NOT NULL REFERENCES coach (coach_id),
    name TEXT NOT NULL,
    referral_source TEXT NOT NULL CHECK (referral_source IN
        ('self', 'mental_health_team', 'social_services', 'employment_service', 'family', 'other')),
    referred_on TEXT,
    enrolled_on TEXT NOT NULL,
    employed_at_entry INTEGER NOT NULL,
    exited_on TEXT,
    exit_reason TEXT CHECK (exit_reason IN
        ('participant_choice', 'stepped_down', 'moved', 'deceased', 'other')),
    CHECK ((exited_on IS NULL) = (exit_reason IS NULL))
);
CREATE UNIQUE INDEX participant_id_unique ON participant (participant_id);
CREATE INDEX participant_by_program ON participant (program_id);
CREATE INDEX participant_by_coach ON participant (coach_id);

CREATE TABLE goal (
    seq INTEGER PRIMARY KEY,
    goal_id TEXT NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    set_on TEXT NOT NULL,
    text TEXT NOT NULL,
    occupation_code TEXT,
    hours_per_week REAL
);
CREATE UNIQUE INDEX goal_id_unique ON goal (goal_id);
CREATE INDEX goal_by_participant ON goal (participant_id);

CREATE TABLE meeting (
    seq INTEGER PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    coach_id TEXT NOT NULL REFERENCES coach (coach_id),
    date TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    place TEXT NOT NULL CHECK (place IN
        ('office', 'cafe', 'home', 'workplace', 'employer', 'community', 'phone', 'video', 'message')),
    note TEXT
);
CREATE UNIQUE INDEX meeting_id_unique ON meeting (meeting_id);
CREATE INDEX meeting_by_coach_date ON meeting (coach_id, date);
CREATE INDEX meeting_by_participant_date ON meeting (participant_id, date);

CREATE TABLE next_step (
    seq INTEGER PRIMARY KEY,
    step_id TEXT NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    meeting_id TEXT REFERENCES meeting (meeting_id),
    owner TEXT NOT NULL CHECK (owner IN ('coach', 'participant', 'both', 'other')),
    text TEXT NOT NULL,
    agreed_on TEXT NOT NULL,
    due_on TEXT,
    done_on TEXT
);
CREATE UNIQUE INDEX next_step_id_unique ON next_step (step_id);
CREATE INDEX next_step_by_participant ON next_step (participant_id);

CREATE TABLE employer (
    seq INTEGER PRIMARY KEY,
    employer_id TEXT NOT NULL,
    name TEXT NOT NULL,
    org_number TEXT,
    sector TEXT
);
CREATE UNIQUE INDEX employer_id_unique ON employer (employer_id);

CREATE TABLE employer_contact (
    seq INTEGER PRIMARY KEY,
    contact_id TEXT NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employer (employer_id),
    date TEXT NOT NULL,
    made_by TEXT NOT NULL CHECK (made_by IN ('coach', 'participant')),
    coach_id TEXT REFERENCES coach (coach_id),
    participant_id TEXT REFERENCES participant (participant_id),
    face_to_face INTEGER NOT NULL,
    purpose TEXT CHECK (purpose IN ('learn_needs', 'present_candidate', 'follow_up', 'other')),
    CHECK (made_by <> 'coach' OR coach_id IS NOT NULL),
    CHECK (made_by <> 'participant' OR (participant_id IS NOT NULL AND coach_id IS NULL))
);
CREATE UNIQUE INDEX employer_contact_id_unique ON employer_contact (contact_id);
CREATE INDEX employer_contact_by_coach_date ON employer_contact (coach_id, date);
CREATE INDEX employer_contact_by_participant_date ON employer_contact (participant_id, date);

CREATE TABLE job (
    seq INTEGER PRIMARY KEY,
    job_id TEXT NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    employer_id TEXT REFERENCES employer (employer_id),
    kind TEXT NOT NULL CHECK (kind IN
        ('competitive', 'subsidized', 'transitional', 'placement', 'education', 'volunteer')),
    title TEXT NOT NULL,
    occupation_code TEXT,
    hours_per_week REAL,
    hourly_wage REAL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT CHECK (end_reason IN ('quit', 'fired', 'contract_ended', 'better_job', 'other'))
);
CREATE UNIQUE INDEX job_id_unique ON job (job_id);
CREATE INDEX job_by_participant ON job (participant_id);

-- No ID in the format: two identical rows are two records, kept in their order.
CREATE TABLE benefits_planning (
    seq INTEGER PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participant (participant_id),
    date TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('offered', 'completed')),
    trained_planner INTEGER NOT NULL
);
CREATE INDEX benefits_planning_by_participant ON benefits_planning (participant_id);

-- Who did what to whose record, written by later web writes in the same transaction.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    participant_id TEXT,
    detail TEXT
);
CREATE INDEX audit_by_participant ON audit (participant_id);
