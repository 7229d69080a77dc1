-- The records of INTERCHANGE.md, one table per file, named with the IPS words.
-- Every table has `seq`, the insertion order, which export follows so that a folder's row
-- order survives a round trip (an import gives its rows seq = base + line). An ID is kept
-- unique by an index of its own (`TABLE_id_unique`) rather than an inline UNIQUE, so that an
-- import into an empty table can build it once, after checking the file. There is no
-- column for a medical condition, anywhere, by design: people are described by their own goals.
-- Decimal numbers are NUMERIC so that they keep the exact text they were given.
-- Text compares byte by byte (COLLATE "C"): nothing is sorted by text, IDs are only matched,
-- and an index over byte order builds and searches several times faster than over a locale's.

CREATE TABLE program (
    seq BIGINT PRIMARY KEY,
    program_id TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    organisation TEXT COLLATE "C",
    started_on DATE
);
CREATE UNIQUE INDEX program_id_unique ON program (program_id);

CREATE TABLE coach (
    seq BIGINT PRIMARY KEY,
    coach_id TEXT COLLATE "C" NOT NULL,
    program_id TEXT COLLATE "C" NOT NULL REFERENCES program (program_id),
    name TEXT COLLATE "C" NOT NULL,
    fte NUMERIC NOT NULL CHECK (fte > 0 AND fte <= 1),
    started_on DATE NOT NULL,
    ended_on DATE
);
CREATE UNIQUE INDEX coach_id_unique ON coach (coach_id);
CREATE INDEX coach_by_program ON coach (program_id);

CREATE TABLE participant (
    seq BIGINT PRIMARY KEY,
    participant_id TEXT COLLATE "C" NOT NULL,
    program_id TEXT COLLATE "C" NOT NULL REFERENCES program (program_id),
    coach_id TEXT COLLATE "C" NOT NULL REFERENCES coach (coach_id),
    name TEXT COLLATE "C" NOT NULL,
    referral_source TEXT COLLATE "C" NOT NULL CHECK (referral_source IN
        ('self', 'mental_health_team', 'social_services', 'employment_service', 'family', 'other')),
    referred_on DATE,
    enrolled_on DATE NOT NULL,
    employed_at_entry BOOLEAN NOT NULL,
    exited_on DATE,
    exit_reason TEXT COLLATE "C" CHECK (exit_reason IN
        ('participant_choice', 'stepped_down', 'moved', 'deceased', 'other')),
    CHECK ((exited_on IS NULL) = (exit_reason IS NULL))
);
CREATE UNIQUE INDEX participant_id_unique ON participant (participant_id);
CREATE INDEX participant_by_program ON participant (program_id);
CREATE INDEX participant_by_coach ON participant (coach_id);

CREATE TABLE goal (
    seq BIGINT PRIMARY KEY,
    goal_id TEXT COLLATE "C" NOT NULL,
    participant_id TEXT COLLATE "C" NOT NULL REFERENCES participant (participant_id),
    set_on DATE NOT NULL,
    text TEXT COLLATE "C" NOT NULL,
    occupation_code TEXT COLLATE "C",
    hours_per_week NUMERIC
);
CREATE UNIQUE INDEX goal_id_unique ON goal (goal_id);
CREATE INDEX goal_by_participant ON goal (participant_id);

CREATE TABLE meeting (
    seq BIGINT PRIMARY KEY,
    meeting_id TEXT COLLATE "C" NOT NULL,
    participant_id TEXT COLLATE "C" NOT NULL REFERENCES participant (participant_id),
    coach_id TEXT COLLATE "C" NOT NULL REFERENCES coach (coach_id),
    date DATE NOT NULL,
    minutes SMALLINT NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
    place TEXT COLLATE "C" NOT NULL CHECK (place IN
        ('office', 'cafe', 'home', 'workplace', 'employer', 'community', 'phone', 'video', 'message')),
    note TEXT COLLATE "C"
);
CREATE UNIQUE INDEX meeting_id_unique ON meeting (meeting_id);
CREATE INDEX meeting_by_coach_date ON meeting (coach_id, date);
CREATE INDEX meeting_by_participant_date ON meeting (participant_id, date);

CREATE TABLE next_step (
    seq BIGINT PRIMARY KEY,
    step_id TEXT COLLATE "C" NOT NULL,
    participant_id TEXT COLLATE "C" NOT NULL REFERENCES participant (participant_id),
    meeting_id TEXT COLLATE "C" REFERENCES meeting (meeting_id),
    owner TEXT COLLATE "C" NOT NULL CHECK (owner IN ('coach', 'participant', 'both', 'other')),
    text TEXT COLLATE "C" NOT NULL,
    agreed_on DATE NOT NULL,
    due_on DATE,
    done_on DATE
);
CREATE UNIQUE INDEX next_step_id_unique ON next_step (step_id);
CREATE INDEX next_step_by_participant ON next_step (participant_id);

CREATE TABLE employer (
    seq BIGINT PRIMARY KEY,
    employer_id TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    org_number TEXT COLLATE "C",
    sector TEXT COLLATE "C"
);
CREATE UNIQUE INDEX employer_id_unique ON employer (employer_id);

CREATE TABLE employer_contact (
    seq BIGINT PRIMARY KEY,
    contact_id TEXT COLLATE "C" NOT NULL,
    employer_id TEXT COLLATE "C" NOT NULL REFERENCES employer (employer_id),
    date DATE NOT NULL,
    made_by TEXT COLLATE "C" NOT NULL CHECK (made_by IN ('coach', 'participant')),
    coach_id TEXT COLLATE "C" REFERENCES coach (coach_id),
    participant_id TEXT COLLATE "C" REFERENCES participant (participant_id),
    face_to_face BOOLEAN NOT NULL,
    purpose TEXT COLLATE "C" CHECK (purpose IN ('learn_needs', 'present_candidate', 'follow_up', 'other')),
    CHECK (made_by <> 'coach' OR coach_id IS NOT NULL),
    CHECK (made_by <> 'participant' OR (participant_id IS NOT NULL AND coach_id IS NULL))
);
CREATE UNIQUE INDEX employer_contact_id_unique ON employer_contact (contact_id);
CREATE INDEX employer_contact_by_coach_date ON employer_contact (coach_id, date);
CREATE INDEX employer_contact_by_participant_date ON employer_contact (participant_id, date);

CREATE TABLE job (
    seq BIGINT PRIMARY KEY,
    job_id TEXT COLLATE "C" NOT NULL,
    participant_id TEXT COLLATE "C" NOT NULL REFERENCES participant (participant_id),
    employer_id TEXT COLLATE "C" REFERENCES employer (employer_id),
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN
        ('competitive', 'subsidized', 'transitional', 'placement', 'education', 'volunteer')),
    title TEXT COLLATE "C" NOT NULL,
    occupation_code TEXT COLLATE "C",
    hours_per_week NUMERIC,
    hourly_wage NUMERIC,
    started_on DATE NOT NULL,
    ended_on DATE,
    end_reason TEXT COLLATE "C" CHECK (end_reason IN ('quit', 'fired', 'contract_ended', 'better_job', 'other'))
);
CREATE UNIQUE INDEX job_id_unique ON job (job_id);
CREATE INDEX job_by_participant ON job (participant_id);

-- No ID in the format: two identical rows are two records, kept in their order.
CREATE TABLE benefits_planning (
    seq BIGINT PRIMARY KEY,
    participant_id TEXT COLLATE "C" NOT NULL REFERENCES participant (participant_id),
    date DATE NOT NULL,
    status TEXT COLLATE "C" NOT NULL CHECK (status IN ('offered', 'completed')),
    trained_planner BOOLEAN NOT NULL
);
CREATE INDEX benefits_planning_by_participant ON benefits_planning (participant_id);

-- Who did what to whose record, written by later web writes in the same transaction.
CREATE TABLE audit (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    who TEXT COLLATE "C" NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    action TEXT COLLATE "C" NOT NULL,
    participant_id TEXT COLLATE "C",
    detail TEXT COLLATE "C"
);
CREATE INDEX audit_by_participant ON audit (participant_id);
