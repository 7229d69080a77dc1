-- The open next steps of a caseload, for the coach's day, without reading the done ones.
CREATE INDEX next_step_open_by_participant ON next_step (participant_id) WHERE done_on IS NULL;
