-- Every program's quarterly outcomes (METRICS.md), kept once computed, so that a country's
-- quarter is read as 1,250 rows instead of being computed again from every participant and
-- job. A row holds the counts of one program in one quarter under one version of the rules
-- (`rules`, fika_core::outcomes::RULES; a row of another version counts as missing), and
-- `participants`, how many participants the program had when it was computed (0: the
-- program has nobody, and is left out of the figures as when they are computed).
--
-- Correct by construction: the triggers below delete the rows of every program whose
-- participants or jobs a statement changes, whatever the write (import, web, a correction,
-- an erasure, a hand-made UPDATE), in the writer's own transaction. A missing row is
-- computed from the records and kept again by the next read (store/src/figures.rs).
CREATE TABLE outcome_figures (
    program_id TEXT NOT NULL,
    quarter TEXT NOT NULL,
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

CREATE TRIGGER outcome_figures_participant_insert AFTER INSERT ON participant
WHEN EXISTS (SELECT 1 FROM outcome_figures)
BEGIN
    DELETE FROM outcome_figures WHERE program_id = NEW.program_id;
END;

CREATE TRIGGER outcome_figures_participant_update AFTER UPDATE ON participant
WHEN EXISTS (SELECT 1 FROM outcome_figures)
BEGIN
    DELETE FROM outcome_figures WHERE program_id IN (OLD.program_id, NEW.program_id);
END;

CREATE TRIGGER outcome_figures_participant_delete AFTER DELETE ON participant
WHEN EXISTS (SELECT 1 FROM outcome_figures)
BEGIN
    DELETE FROM outcome_figures WHERE program_id = OLD.program_id;
END;

CREATE TRIGGER outcome_figures_job_insert AFTER INSERT ON job
WHEN EXISTS (SELECT 1 FROM outcome_figures)
BEGIN
    DELETE FROM outcome_figures WHERE program_id IN
        (SELECT program_id FROM participant WHERE participant_id = NEW.participant_id);
END;

CREATE TRIGGER outcome_figures_job_update AFTER UPDATE ON job
WHEN EXISTS (SELECT 1 FROM outcome_figures)
BEGIN
    DELETE FROM outcome_figures WHERE program_id IN
        (SELECT program_id FROM participant
         WHERE participant_id IN (OLD.participant_id, NEW.participant_id));
END;

CREATE TRIGGER outcome_figures_job_delete AFTER DELETE ON job
WHEN EXISTS (SELECT 1 FROM outcome_figures)
BEGIN
    DELETE FROM outcome_figures WHERE program_id IN
        (SELECT program_id FROM participant WHERE participant_id = OLD.participant_id);
END;
