-- Every program's quarterly outcomes (METRICS.md), kept once computed, so that a country's
-- quarter is read as 1,250 rows instead of being computed again from every participant and
-- job. A row holds the counts of one program in one quarter under one version of the rules
-- (`rules`, fika_core::outcomes::RULES; a row of another version counts as missing), and
-- `participants`, how many participants the program had when it was computed (0: the
-- program has nobody, and is left out of the figures as when they are computed).
--
-- Correct by construction: the statement triggers below delete the rows of every program
-- whose participants or jobs a statement changes, whatever the write (import, web, a
-- correction, an erasure, a hand-made UPDATE), in the writer's own transaction. A missing
-- row is computed from the records and kept again by the next read (store/src/figures.rs).
-- The triggers take advisory lock 0x66696b62 shared, and the read that keeps new rows takes
-- it exclusively before it reads the records: so it never keeps figures computed without a
-- change that was being written while it read.
CREATE TABLE outcome_figures (
    program_id TEXT COLLATE "C" NOT NULL,
    quarter TEXT COLLATE "C" NOT NULL,
    rules INTEGER NOT NULL,
    participants INTEGER NOT NULL,
    served INTEGER NOT NULL,
    working_competitive INTEGER NOT NULL,
    working_paid INTEGER NOT NULL,
    served_not_employed_at_entry INTEGER NOT NULL,
    working_competitive_not_employed_at_entry INTEGER NOT NULL,
    job_starts INTEGER NOT NULL,
    first_job_starts INTEGER NOT NULL,
    in_education INTEGER NOT NULL,
    enrolled INTEGER NOT NULL,
    exited INTEGER NOT NULL,
    PRIMARY KEY (program_id, quarter)
);

CREATE FUNCTION outcome_figures_participant_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(1718184802);
    IF EXISTS (SELECT 1 FROM outcome_figures) THEN
        DELETE FROM outcome_figures WHERE program_id IN (SELECT program_id FROM new_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION outcome_figures_participant_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(1718184802);
    IF EXISTS (SELECT 1 FROM outcome_figures) THEN
        DELETE FROM outcome_figures WHERE program_id IN
            (SELECT program_id FROM new_rows UNION SELECT program_id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION outcome_figures_participant_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(1718184802);
    IF EXISTS (SELECT 1 FROM outcome_figures) THEN
        DELETE FROM outcome_figures WHERE program_id IN (SELECT program_id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION outcome_figures_job_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(1718184802);
    IF EXISTS (SELECT 1 FROM outcome_figures) THEN
        DELETE FROM outcome_figures WHERE program_id IN
            (SELECT p.program_id FROM participant p
             WHERE p.participant_id IN (SELECT participant_id FROM new_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION outcome_figures_job_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(1718184802);
    IF EXISTS (SELECT 1 FROM outcome_figures) THEN
        DELETE FROM outcome_figures WHERE program_id IN
            (SELECT p.program_id FROM participant p WHERE p.participant_id IN
                (SELECT participant_id FROM new_rows UNION SELECT participant_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION outcome_figures_job_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(1718184802);
    IF EXISTS (SELECT 1 FROM outcome_figures) THEN
        DELETE FROM outcome_figures WHERE program_id IN
            (SELECT p.program_id FROM participant p
             WHERE p.participant_id IN (SELECT participant_id FROM old_rows));
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER outcome_figures_participant_insert AFTER INSERT ON participant
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_figures_participant_insert();
CREATE TRIGGER outcome_figures_participant_update AFTER UPDATE ON participant
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_figures_participant_update();
CREATE TRIGGER outcome_figures_participant_delete AFTER DELETE ON participant
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_figures_participant_delete();
CREATE TRIGGER outcome_figures_job_insert AFTER INSERT ON job
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_figures_job_insert();
CREATE TRIGGER outcome_figures_job_update AFTER UPDATE ON job
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_figures_job_update();
CREATE TRIGGER outcome_figures_job_delete AFTER DELETE ON job
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_figures_job_delete();

CREATE FUNCTION outcome_figures_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(1718184802);
    DELETE FROM outcome_figures;
    RETURN NULL;
END $$;

CREATE TRIGGER outcome_figures_participant_truncate AFTER TRUNCATE ON participant
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_figures_truncate();
CREATE TRIGGER outcome_figures_job_truncate AFTER TRUNCATE ON job
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_figures_truncate();
