//! Reading what the figures need and nothing else: for the fidelity items, the records of
//! a program that METRICS.md's windows look at; for the outcomes, participants and their jobs.

use fika_core::fidelity::Lookback;
use fika_core::*;

use crate::backend::Tx;
use crate::export::{collect, one_program, pick, program_and_people, select_list};
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
        pick!(Participant),
    )?;
    let jobs = collect(
        tx,
        File::Jobs,
        &format!(
            "SELECT {} FROM job r {of_jobs} ORDER BY r.seq",
            select_list(b, File::Jobs, "r")
        ),
        &params,
        pick!(Job),
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
/// hundred meetings and contacts rather than a year of them. Each part of a union is a
/// query of its own, the few records found by both kept once: simple queries plan in a
/// fraction of the time of their union, and read each row once.
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
    let (d2, d3) = (b.date_param(2), b.date_param(3));
    let in_person = one_of("r.place", Place::ALL, Place::is_in_person, Place::as_str);
    let paid = |column: &str| one_of(column, JobKind::ALL, JobKind::is_paid, JobKind::as_str);
    let window = |from: Date, to: Date| [id.to_owned(), to.to_string(), from.to_string()];
    let meeting = pick!(Meeting);
    let contact = pick!(EmployerContact);

    // V13: in-person meetings of the program's coaches in the window.
    let (from, to) = l.coach_meetings;
    let mut meetings = collect(
        tx,
        File::Meetings,
        &format!(
            "SELECT {} FROM meeting r WHERE r.coach_id IN \
             (SELECT coach_id FROM coach WHERE program_id = $1) \
             AND r.date >= {d3} AND r.date <= {d2} AND {in_person} ORDER BY r.seq",
            select_list(b, File::Meetings, "r"),
        ),
        &window(from, to).each_ref().map(String::as_str),
        meeting,
    )?;
    // V12: in-person meetings with a participant in the four weeks after each of their paid
    // job starts.
    let (from, to) = l.followed_starts;
    let followed = collect(
        tx,
        File::Meetings,
        &format!(
            "SELECT {} FROM participant p JOIN job j ON j.participant_id = p.participant_id \
             JOIN meeting r ON r.participant_id = j.participant_id \
               AND r.date >= j.started_on AND r.date <= {} \
             WHERE p.program_id = $1 AND {} AND j.started_on >= {d3} AND j.started_on <= {d2} \
               AND {in_person} ORDER BY r.seq",
            select_list(b, File::Meetings, "r"),
            b.add_days("j.started_on", Lookback::FOLLOW_ALONG_DAYS),
            paid("j.kind"),
        ),
        &window(from, to).each_ref().map(String::as_str),
        meeting,
    )?;
    add_new(&mut meetings, followed, |m| &m.id);

    // V6: face-to-face contacts of the program's coaches in the four weeks.
    let (from, to) = l.coach_contacts;
    let mut employer_contacts = collect(
        tx,
        File::EmployerContacts,
        &format!(
            "SELECT {} FROM employer_contact r WHERE r.coach_id IN \
             (SELECT coach_id FROM coach WHERE program_id = $1) \
             AND r.date >= {d3} AND r.date <= {d2} AND r.face_to_face ORDER BY r.seq",
            select_list(b, File::EmployerContacts, "r"),
        ),
        &window(from, to).each_ref().map(String::as_str),
        contact,
    )?;
    // V4: for each participant of the cohort, the face-to-face contacts for them on the first
    // day since they enrolled that has one (the item takes the first of that day by ID).
    let (from, to) = l.cohort;
    let first = collect(
        tx,
        File::EmployerContacts,
        &format!(
            "SELECT {} FROM ( \
               SELECT p.participant_id, ( \
                 SELECT MIN(k.date) FROM employer_contact k \
                 WHERE k.participant_id = p.participant_id AND k.face_to_face \
                   AND k.date >= p.enrolled_on AND k.date <= {d2}) AS first \
               FROM participant p \
               WHERE p.program_id = $1 AND p.enrolled_on >= {d3} AND p.enrolled_on <= {d2}) f \
             JOIN employer_contact r ON r.participant_id = f.participant_id AND r.date = f.first \
             WHERE r.face_to_face ORDER BY r.seq",
            select_list(b, File::EmployerContacts, "r"),
        ),
        &window(from, to).each_ref().map(String::as_str),
        contact,
    )?;
    add_new(&mut employer_contacts, first, |c| &c.id);

    // V8, V9, V12: paid jobs started in the year; V10: paid jobs held on the review date.
    debug_assert_eq!(l.job_starts.1, at);
    let jobs = collect(
        tx,
        File::Jobs,
        &format!(
            "SELECT {} FROM job r JOIN participant p ON p.participant_id = r.participant_id \
             WHERE p.program_id = $1 AND {} AND r.started_on <= {d2} \
               AND (r.started_on >= {d3} OR r.ended_on IS NULL OR r.ended_on >= {d2}) \
             ORDER BY r.seq",
            select_list(b, File::Jobs, "r"),
            paid("r.kind"),
        ),
        &window(l.job_starts.0, at).each_ref().map(String::as_str),
        pick!(Job),
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

/// Appends the records of `more` that `list` does not hold yet (by ID).
fn add_new<T, K: Eq + std::hash::Hash + Clone>(
    list: &mut Vec<T>,
    more: Vec<T>,
    id: impl Fn(&T) -> &K,
) {
    let seen: std::collections::HashSet<K> = list.iter().map(|x| id(x).clone()).collect();
    list.extend(more.into_iter().filter(|x| !seen.contains(id(x))));
}
