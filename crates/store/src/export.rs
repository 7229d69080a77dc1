//! Reading records back, written once for both backends: export and the data of a program.

use std::io;

use fika_core::*;
use fika_interchange::fields::from_fields;

use crate::backend::{Backend, Tx};
use crate::schema::{column_names, kind, table};
use crate::{Counts, ProgramData, StoreError};

/// The select list of a table, every column as interchange text, prefixed by `alias.`.
pub(crate) fn select_list(backend: Backend, file: File, alias: &str) -> String {
    column_names(file)
        .map(|c| backend.select_expr(kind(c), &format!("{alias}.{c}")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A record of `file` from its cells as interchange text, as the database holds it.
pub(crate) fn record(file: File, cells: &[Option<&str>]) -> Result<Row, StoreError> {
    from_fields(file, cells).map_err(|errors| {
        let e = &errors[0];
        StoreError::Corrupt(format!("{} {}: {}", table(file), e.column, e.reason))
    })
}

/// Streams the records of `sql` (whose select list is [`select_list`] of `file`).
pub(crate) fn rows(
    tx: &mut dyn Tx,
    file: File,
    sql: &str,
    params: &[&str],
    f: &mut dyn FnMut(Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    tx.for_each(sql, params, &mut |cells| f(record(file, cells)?))
}

pub(crate) fn export(
    tx: &mut dyn Tx,
    sink: &mut dyn FnMut(Row) -> io::Result<()>,
) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    for file in File::FILE_ORDER {
        let sql = format!(
            "SELECT {} FROM {} r ORDER BY r.seq",
            select_list(tx.backend(), file, "r"),
            table(file)
        );
        rows(tx, file, &sql, &[], &mut |row| {
            counts.add(file, 1);
            sink(row).map_err(StoreError::Sink)
        })?;
    }
    Ok(counts)
}

pub(crate) fn counts(tx: &mut dyn Tx) -> Result<Counts, StoreError> {
    let mut counts = Counts::default();
    for file in File::FILE_ORDER {
        let n = tx.query_i64(&format!("SELECT COUNT(*) FROM {}", table(file)))?;
        counts.add(file, n as u64);
    }
    Ok(counts)
}

/// The records of one kind among rows, for [`collect`]: `pick!(Meeting)`.
macro_rules! pick {
    ($variant:ident) => {
        |r| match r {
            Row::$variant(x) => Some(x),
            _ => None,
        }
    };
}
pub(crate) use pick;

/// Collects the records of a query into typed values of one kind.
pub(crate) fn collect<T>(
    tx: &mut dyn Tx,
    file: File,
    sql: &str,
    params: &[&str],
    pick: fn(Row) -> Option<T>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    rows(tx, file, sql, params, &mut |row| {
        out.extend(pick(row));
        Ok(())
    })?;
    Ok(out)
}

/// Tunes the transaction for reading one program's records: a few thousand rows found
/// through indexes. On PostgreSQL, starting parallel workers or compiling the queries (JIT)
/// costs more than the whole lookup.
pub(crate) fn one_program(tx: &mut dyn Tx) -> Result<(), StoreError> {
    if tx.backend() == Backend::Postgres {
        // SET LOCAL, all in one statement. The connection keeps its statements prepared; a
        // generic plan is made once for any parameters, and these lookups take the same
        // indexes whatever the program or date.
        tx.for_each(
            "SELECT set_config('max_parallel_workers_per_gather', '0', true), \
             set_config('jit', 'off', true), \
             set_config('plan_cache_mode', 'force_generic_plan', true)",
            &[],
            &mut |_| Ok(()),
        )?;
    }
    Ok(())
}

pub(crate) fn program_data(
    tx: &mut dyn Tx,
    program: &ProgramId,
    from: Date,
    to: Date,
) -> Result<Option<ProgramData>, StoreError> {
    let b = tx.backend();
    one_program(tx)?;
    let (from, to) = (from.to_string(), to.to_string());
    let p = [program.as_str()];
    let period = [program.as_str(), from.as_str(), to.as_str()];
    let (d2, d3) = (b.date_param(2), b.date_param(3));
    // Records of the program's participants, optionally dated within the period.
    let of_participants = |file: File, dated: bool| {
        let period = if dated {
            format!(" AND r.date >= {d2} AND r.date <= {d3}")
        } else {
            String::new()
        };
        format!(
            "SELECT {} FROM {} r JOIN participant p ON p.participant_id = r.participant_id \
             WHERE p.program_id = $1{period} ORDER BY r.seq",
            select_list(b, file, "r"),
            table(file)
        )
    };

    let Some((program, coaches, participants)) = program_and_people(tx, program)? else {
        return Ok(None);
    };
    let meetings = collect(
        tx,
        File::Meetings,
        &of_participants(File::Meetings, true),
        &period,
        pick!(Meeting),
    )?;
    // Two index lookups, (coach, date) and (participant, date), joined on the row number: an
    // OR across the two would make PostgreSQL read every contact in the country.
    let contacts_sql = format!(
        "SELECT {} FROM employer_contact r WHERE r.seq IN ( \
           SELECT c.seq FROM employer_contact c WHERE c.coach_id IN \
             (SELECT coach_id FROM coach WHERE program_id = $1) \
             AND c.date >= {d2} AND c.date <= {d3} \
           UNION \
           SELECT c.seq FROM employer_contact c WHERE c.participant_id IN \
             (SELECT participant_id FROM participant WHERE program_id = $1) \
             AND c.date >= {d2} AND c.date <= {d3}) \
         ORDER BY r.seq",
        select_list(b, File::EmployerContacts, "r")
    );
    let employer_contacts = collect(
        tx,
        File::EmployerContacts,
        &contacts_sql,
        &period,
        pick!(EmployerContact),
    )?;
    let jobs = collect(
        tx,
        File::Jobs,
        &of_participants(File::Jobs, false),
        &p,
        pick!(Job),
    )?;
    let benefits_planning = collect(
        tx,
        File::BenefitsPlanning,
        &of_participants(File::BenefitsPlanning, false),
        &p,
        pick!(BenefitsPlanning),
    )?;
    Ok(Some(ProgramData {
        program,
        coaches,
        participants,
        meetings,
        employer_contacts,
        jobs,
        benefits_planning,
    }))
}

/// A program, every one of its coaches and every one of its participants.
pub(crate) type ProgramAndPeople = (Program, Vec<Coach>, Vec<Participant>);

/// A program with every one of its coaches and participants; `None` when there is no such
/// program.
pub(crate) fn program_and_people(
    tx: &mut dyn Tx,
    program: &ProgramId,
) -> Result<Option<ProgramAndPeople>, StoreError> {
    let b = tx.backend();
    let p = [program.as_str()];
    let of_program = |file: File| {
        format!(
            "SELECT {} FROM {} r WHERE r.program_id = $1 ORDER BY r.seq",
            select_list(b, file, "r"),
            table(file)
        )
    };
    let Some(program) = collect(
        tx,
        File::Programs,
        &of_program(File::Programs),
        &p,
        pick!(Program),
    )?
    .pop() else {
        return Ok(None);
    };
    let coaches = collect(
        tx,
        File::Coaches,
        &of_program(File::Coaches),
        &p,
        pick!(Coach),
    )?;
    let participants = collect(
        tx,
        File::Participants,
        &of_program(File::Participants),
        &p,
        pick!(Participant),
    )?;
    Ok(Some((program, coaches, participants)))
}
