//! Reading what the figures of many programs need at once.

use fika_core::*;

use crate::StoreError;
use crate::backend::Tx;
use crate::export::{collect, select_list};
use crate::schema::table;

pub(crate) fn participants_and_jobs(
    tx: &mut dyn Tx,
) -> Result<(Vec<Participant>, Vec<Job>), StoreError> {
    let b = tx.backend();
    let all = |file: File| {
        format!(
            "SELECT {} FROM {} r ORDER BY r.seq",
            select_list(b, file, "r"),
            table(file)
        )
    };
    let participants = collect(
        tx,
        File::Participants,
        &all(File::Participants),
        &[],
        |r| match r {
            Row::Participant(x) => Some(x),
            _ => None,
        },
    )?;
    let jobs = collect(tx, File::Jobs, &all(File::Jobs), &[], |r| match r {
        Row::Job(x) => Some(x),
        _ => None,
    })?;
    Ok((participants, jobs))
}
