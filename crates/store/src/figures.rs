//! Reading what the figures need and nothing else: for the fidelity items, the records of
//! a program that METRICS.md's windows look at; for the outcomes, participants and their jobs.

use fika_core::fidelity::Lookback;
use fika_core::*;

use crate::backend::Tx;
use crate::export::{collect, one_program, program_and_people, select_list};
use crate::{FidelityData, StoreError};

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

/// `column IN ('a', 'b', …)` for the words of a vocabulary that `keep` picks.
fn one_of<T: Copy>(
    column: &str,
    all: &[T],
    keep: fn(T) -> bool,
    word: fn(T) -> &'static str,
) -> String {
    let words: Vec<String> = all
        .iter()
        .filter(|v| keep(**v))
        .map(|v| format!("'{}'", word(*v)))
        .collect();
    format!("{column} IN ({})", words.join(", "))
}

/// What the computed fidelity items of a program read on review date `at`, and nothing
/// more: the records [`Lookback`] names. Each date window is a range over an index (meetings
/// and contacts by coach and date, by participant and date), so a report reads a few
/// hundred meetings and contacts rather than a year of them.
pub(crate) fn fidelity_data(
    tx: &mut dyn Tx,
    program: &ProgramId,
    at: Date,
) -> Result<Option<FidelityData>, StoreError> {
    one_program(tx)?;
    let b = tx.backend();
    let l = Lookback::at(at);
    let Some((program, coaches, participants)) = program_and_people(tx, program)? else {
        return Ok(None);
    };
    let id = program.id.as_str();
    let text = |d: Date| d.to_string();
    let (d2, d3, d4, d5) = (
        b.date_param(2),
        b.date_param(3),
        b.date_param(4),
        b.date_param(5),
    );
    let in_person = |column: &str| one_of(column, Place::ALL, Place::is_in_person, Place::as_str);
    let paid = |column: &str| one_of(column, JobKind::ALL, JobKind::is_paid, JobKind::as_str);

    // V13: in-person meetings of the program's coaches in the window; V12: in-person
    // meetings with a participant in the four weeks after each of their paid job starts.
    let meetings_sql = format!(
        "SELECT {} FROM meeting r WHERE r.seq IN ( \
           SELECT m.seq FROM meeting m WHERE m.coach_id IN \
             (SELECT coach_id FROM coach WHERE program_id = $1) \
             AND m.date >= {d3} AND m.date <= {d2} AND {} \
           UNION \
           SELECT m.seq FROM participant p \
             JOIN job j ON j.participant_id = p.participant_id \
             JOIN meeting m ON m.participant_id = j.participant_id \
               AND m.date >= j.started_on AND m.date <= {} \
             WHERE p.program_id = $1 AND {} AND j.started_on >= {d4} AND j.started_on <= {d5} \
               AND {}) \
         ORDER BY r.seq",
        select_list(b, File::Meetings, "r"),
        in_person("m.place"),
        b.add_days("j.started_on", Lookback::FOLLOW_ALONG_DAYS),
        paid("j.kind"),
        in_person("m.place"),
    );
    let (a, from, starts_from, starts_to) = (
        text(at),
        text(l.coach_meetings.0),
        text(l.followed_starts.0),
        text(l.followed_starts.1),
    );
    let meetings = collect(
        tx,
        File::Meetings,
        &meetings_sql,
        &[id, &a, &from, &starts_from, &starts_to],
        |r| match r {
            Row::Meeting(x) => Some(x),
            _ => None,
        },
    )?;

    // V6: face-to-face contacts of the program's coaches in the four weeks; V4: for each
    // participant of the cohort, the face-to-face contacts for them on the first day that
    // has one since they enrolled.
    let contacts_sql = format!(
        "SELECT {} FROM employer_contact r WHERE r.seq IN ( \
           SELECT c.seq FROM employer_contact c WHERE c.coach_id IN \
             (SELECT coach_id FROM coach WHERE program_id = $1) \
             AND c.date >= {d3} AND c.date <= {d2} AND c.face_to_face \
           UNION \
           SELECT c.seq FROM ( \
             SELECT p.participant_id, ( \
               SELECT MIN(k.date) FROM employer_contact k \
               WHERE k.participant_id = p.participant_id AND k.face_to_face \
                 AND k.date >= p.enrolled_on AND k.date <= {d2}) AS first \
             FROM participant p \
             WHERE p.program_id = $1 AND p.enrolled_on >= {d4} AND p.enrolled_on <= {d2}) f \
           JOIN employer_contact c ON c.participant_id = f.participant_id AND c.date = f.first \
           WHERE c.face_to_face) \
         ORDER BY r.seq",
        select_list(b, File::EmployerContacts, "r"),
    );
    let (contacts_from, cohort_from) = (text(l.coach_contacts.0), text(l.cohort.0));
    let employer_contacts = collect(
        tx,
        File::EmployerContacts,
        &contacts_sql,
        &[id, &a, &contacts_from, &cohort_from],
        |r| match r {
            Row::EmployerContact(x) => Some(x),
            _ => None,
        },
    )?;

    // V8, V9, V12: paid jobs started in the year; V10: paid jobs held on the review date.
    let jobs_sql = format!(
        "SELECT {} FROM job r JOIN participant p ON p.participant_id = r.participant_id \
         WHERE p.program_id = $1 AND {} AND r.started_on <= {d2} \
           AND (r.started_on >= {d3} OR r.ended_on IS NULL OR r.ended_on >= {d2}) \
         ORDER BY r.seq",
        select_list(b, File::Jobs, "r"),
        paid("r.kind"),
    );
    let jobs_from = text(l.job_starts.0);
    let jobs = collect(
        tx,
        File::Jobs,
        &jobs_sql,
        &[id, &a, &jobs_from],
        |r| match r {
            Row::Job(x) => Some(x),
            _ => None,
        },
    )?;

    Ok(Some(FidelityData {
        program,
        coaches,
        participants,
        meetings,
        employer_contacts,
        jobs,
    }))
}
