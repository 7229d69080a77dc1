//! Reading what the outcome figures need: participants and their jobs, nothing else.

use fika_core::*;

use crate::StoreError;
use crate::backend::Tx;
use crate::export::{collect, one_program, select_list};

/// Every participant and job, or those of one program.
pub(crate) fn participants_and_jobs(
    tx: &mut dyn Tx,
    program: Option<&ProgramId>,
) -> Result<(Vec<Participant>, Vec<Job>), StoreError> {
    if program.is_some() {
        one_program(tx)?;
    }
    let b = tx.backend();
    let params: Vec<&str> = program.map(ProgramId::as_str).into_iter().collect();
    let (of_participants, of_jobs) = if program.is_some() {
        (
            "WHERE r.program_id = $1",
            "JOIN participant p ON p.participant_id = r.participant_id WHERE p.program_id = $1",
        )
    } else {
        ("", "")
    };
    let participants = collect(
        tx,
        File::Participants,
        &format!(
            "SELECT {} FROM participant r {of_participants} ORDER BY r.seq",
            select_list(b, File::Participants, "r")
        ),
        &params,
        |r| match r {
            Row::Participant(x) => Some(x),
            _ => None,
        },
    )?;
    let jobs = collect(
        tx,
        File::Jobs,
        &format!(
            "SELECT {} FROM job r {of_jobs} ORDER BY r.seq",
            select_list(b, File::Jobs, "r")
        ),
        &params,
        |r| match r {
            Row::Job(x) => Some(x),
            _ => None,
        },
    )?;
    Ok((participants, jobs))
}
