//! Reading what the figures need and nothing else: for the fidelity items, the records of
//! a program that METRICS.md's windows look at; for the outcomes, participants and their jobs.

use std::collections::{BTreeMap, HashMap};

use fika_core::fidelity::Lookback;
use fika_core::outcomes::{self, Figures, OutcomeCounts, Outcomes, Quarter};
use fika_core::*;

use crate::backend::{Backend, Tx};
use crate::export::{collect, one_program, pick, program_and_people, select_list};
use crate::schema::Kind;
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
    let (mut participants, mut jobs) = (participants, jobs);
    // A restricted record is counted in no figure (store/src/restrict.rs).
    crate::restrict::drop_restricted_people(tx, &mut participants, &mut jobs)?;
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

    let mut data = [FidelityData {
        program,
        coaches,
        participants,
        meetings,
        employer_contacts,
        jobs,
    }];
    // A restricted record is counted in no figure (store/src/restrict.rs).
    crate::restrict::drop_restricted(tx, &mut data)?;
    let [data] = data;
    Ok(Some(data))
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

/// The counts of [`OutcomeCounts`] in the order of `outcome_figures`' columns.
const COUNT_COLUMNS: [&str; 10] = [
    "served",
    "working_competitive",
    "working_paid",
    "served_not_employed_at_entry",
    "working_competitive_not_employed_at_entry",
    "job_starts",
    "first_job_starts",
    "in_education",
    "enrolled",
    "exited",
];

fn count_values(c: &OutcomeCounts) -> [u32; 10] {
    [
        c.served,
        c.working_competitive,
        c.working_paid,
        c.served_not_employed_at_entry,
        c.working_competitive_not_employed_at_entry,
        c.job_starts,
        c.first_job_starts,
        c.in_education,
        c.enrolled,
        c.exited,
    ]
}

fn counts_from(v: [u32; 10]) -> OutcomeCounts {
    OutcomeCounts {
        served: v[0],
        working_competitive: v[1],
        working_paid: v[2],
        served_not_employed_at_entry: v[3],
        working_competitive_not_employed_at_entry: v[4],
        job_starts: v[5],
        first_job_starts: v[6],
        in_education: v[7],
        enrolled: v[8],
        exited: v[9],
    }
}

/// The PostgreSQL advisory lock between the triggers of migration 0010 (taken shared by
/// every statement that changes participants or jobs) and [`keep_outcomes`] (exclusively).
const OUTCOME_FIGURES_LOCK: i64 = 0x6669_6b62;

/// Every program's outcomes in each of `quarters` as far as they are kept
/// (`outcome_figures`, migration 0010), and the quarters with programs whose figures are not.
pub(crate) struct Kept {
    pub by_quarter: Vec<BTreeMap<ProgramId, Outcomes>>,
    /// For each quarter (by position), the programs whose figures are missing.
    pub missing: Vec<Vec<ProgramId>>,
    /// How many programs there are.
    programs: usize,
}

impl Kept {
    pub fn complete(&self) -> bool {
        self.missing.iter().all(Vec::is_empty)
    }
}

/// Reads the kept figures of `quarters`. Programs without participants are left out of the
/// figures, as [`outcomes_by_program`] leaves them out.
pub(crate) fn kept_outcomes(tx: &mut dyn Tx, quarters: &[Quarter]) -> Result<Kept, StoreError> {
    let b = tx.backend();
    let mut programs = Vec::new();
    tx.for_each(
        "SELECT program_id FROM program ORDER BY program_id",
        &[],
        &mut |cells| {
            programs.push(id_cell(cells[0])?);
            Ok(())
        },
    )?;
    let names: Vec<String> = quarters.iter().map(Quarter::to_string).collect();
    let place: Vec<String> = (1..=names.len()).map(|n| format!("${n}")).collect();
    let columns: Vec<String> = ["participants"]
        .iter()
        .chain(COUNT_COLUMNS.iter())
        .map(|c| b.select_expr(Kind::Int, &format!("f.{c}")))
        .collect();
    let mut found: Vec<HashMap<ProgramId, Option<OutcomeCounts>>> =
        vec![HashMap::new(); quarters.len()];
    let position: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    if !quarters.is_empty() {
        tx.for_each(
            &format!(
                "SELECT f.program_id, f.quarter, {} FROM outcome_figures f \
                 WHERE f.rules = {} AND f.quarter IN ({})",
                columns.join(", "),
                outcomes::RULES,
                place.join(", ")
            ),
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
            &mut |cells| {
                let program = id_cell(cells[0])?;
                let k = cells[1]
                    .and_then(|q| position.get(q))
                    .copied()
                    .ok_or_else(|| StoreError::Corrupt("outcome_figures: a quarter".into()))?;
                let mut v = [0u32; 11];
                for (slot, cell) in v.iter_mut().zip(&cells[2..]) {
                    *slot = cell.and_then(|c| c.parse().ok()).ok_or_else(|| {
                        StoreError::Corrupt("outcome_figures: a count that is not a number".into())
                    })?;
                }
                let counts = (v[0] > 0).then(|| counts_from(v[1..].try_into().expect("ten")));
                found[k].insert(program, counts);
                Ok(())
            },
        )?;
    }
    let mut by_quarter = Vec::new();
    let mut missing = Vec::new();
    for (k, q) in quarters.iter().enumerate() {
        let mut figures = BTreeMap::new();
        let mut absent = Vec::new();
        for p in &programs {
            match found[k].get(p) {
                None => absent.push(p.clone()),
                Some(None) => {}
                Some(Some(c)) => {
                    figures.insert(
                        p.clone(),
                        Outcomes {
                            program: p.clone(),
                            quarter: *q,
                            figures: Figures::from_counts(*c),
                        },
                    );
                }
            }
        }
        by_quarter.push(figures);
        missing.push(absent);
    }
    Ok(Kept {
        by_quarter,
        missing,
        programs: programs.len(),
    })
}

/// Above this many programs with missing figures (or above half of them), every
/// participant and job is read at once rather than program by program.
const READ_ALL_ABOVE: usize = 40;

/// Computes the figures of `quarters` that are not kept, from the records, and keeps them;
/// returns every program's figures. Runs in a write transaction: on SQLite no other writer
/// runs beside it; on PostgreSQL it first takes [`OUTCOME_FIGURES_LOCK`] exclusively, so
/// that every change of participants or jobs is either committed before it reads (and is in
/// what it computes) or waits for it and then deletes what it kept (the triggers).
pub(crate) fn keep_outcomes(tx: &mut dyn Tx, quarters: &[Quarter]) -> Result<Kept, StoreError> {
    if tx.backend() == Backend::Postgres {
        tx.execute(&format!(
            "SELECT pg_advisory_xact_lock({OUTCOME_FIGURES_LOCK})"
        ))?;
    }
    let mut kept = kept_outcomes(tx, quarters)?;
    if kept.complete() {
        return Ok(kept);
    }
    let mut wanted: Vec<ProgramId> = kept.missing.iter().flatten().cloned().collect();
    wanted.sort();
    wanted.dedup();
    // Per program: how many participants, and its counts in each quarter.
    let mut computed: HashMap<ProgramId, (usize, Vec<OutcomeCounts>)> = HashMap::new();
    let mut add = |participants: &[Participant], jobs: &[Job]| {
        let mut people: HashMap<&ProgramId, usize> = HashMap::new();
        for p in participants {
            *people.entry(&p.program).or_default() += 1;
        }
        let per_quarter: Vec<_> = quarters
            .iter()
            .map(|q| outcomes::outcomes_by_program(participants, jobs, *q))
            .collect();
        for (program, n) in people {
            let counts = per_quarter
                .iter()
                .map(|m| {
                    m.get(program)
                        .map(|o| o.figures.counts())
                        .unwrap_or_default()
                })
                .collect();
            computed.insert(program.clone(), (n, counts));
        }
    };
    if wanted.len() > READ_ALL_ABOVE || 2 * wanted.len() > kept.programs {
        let (participants, jobs) = participants_and_jobs(tx, None)?;
        add(&participants, &jobs);
    } else {
        for p in &wanted {
            let (participants, jobs) = participants_and_jobs(tx, Some(p))?;
            add(&participants, &jobs);
        }
    }
    let zero = vec![OutcomeCounts::default(); quarters.len()];
    for (k, q) in quarters.iter().enumerate() {
        let quarter = q.to_string();
        for program in &kept.missing[k] {
            let (n, counts) = computed.get(program).map_or((0, &zero), |(n, c)| (*n, c));
            let c = counts[k];
            let values: Vec<String> = count_values(&c).iter().map(u32::to_string).collect();
            tx.for_each(
                &format!(
                    "INSERT INTO outcome_figures (program_id, quarter, rules, participants, {}) \
                     VALUES ($1, $2, {}, {n}, {}) \
                     ON CONFLICT (program_id, quarter) DO UPDATE SET rules = excluded.rules, \
                     participants = excluded.participants, {}",
                    COUNT_COLUMNS.join(", "),
                    outcomes::RULES,
                    values.join(", "),
                    COUNT_COLUMNS
                        .iter()
                        .map(|c| format!("{c} = excluded.{c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                &[program.as_str(), &quarter],
                &mut |_| Ok(()),
            )?;
            if n > 0 {
                kept.by_quarter[k].insert(
                    program.clone(),
                    Outcomes {
                        program: program.clone(),
                        quarter: *q,
                        figures: Figures::from_counts(c),
                    },
                );
            }
        }
        kept.missing[k].clear();
    }
    Ok(kept)
}

fn id_cell(cell: Option<&str>) -> Result<ProgramId, StoreError> {
    cell.and_then(|c| ProgramId::parse(c).ok())
        .ok_or_else(|| StoreError::Corrupt("a program_id that is not an ID".into()))
}

/// What the computed fidelity items of every program read on review date `at` (see
/// [`fidelity_data`]), read once for all programs: the same records, split by program, in
/// the same order. One query per part of [`Lookback`] over the whole country, each record
/// with the program it counts for (of its coach, or of its participant) and its `seq`.
pub(crate) fn fidelity_data_all(
    tx: &mut dyn Tx,
    at: Date,
) -> Result<Vec<FidelityData>, StoreError> {
    let b = tx.backend();
    let l = Lookback::at(at);
    let all = |file: File| {
        format!(
            "SELECT {} FROM {} r ORDER BY r.seq",
            select_list(b, file, "r"),
            crate::schema::table(file)
        )
    };
    let programs = collect(
        tx,
        File::Programs,
        &all(File::Programs),
        &[],
        pick!(Program),
    )?;
    let mut out: Vec<FidelityData> = programs
        .into_iter()
        .map(|program| FidelityData {
            program,
            coaches: Vec::new(),
            participants: Vec::new(),
            meetings: Vec::new(),
            employer_contacts: Vec::new(),
            jobs: Vec::new(),
        })
        .collect();
    let position: HashMap<ProgramId, usize> = out
        .iter()
        .enumerate()
        .map(|(i, d)| (d.program.id.clone(), i))
        .collect();
    for c in collect(tx, File::Coaches, &all(File::Coaches), &[], pick!(Coach))? {
        if let Some(&i) = position.get(&c.program) {
            out[i].coaches.push(c);
        }
    }
    for p in collect(
        tx,
        File::Participants,
        &all(File::Participants),
        &[],
        pick!(Participant),
    )? {
        if let Some(&i) = position.get(&p.program) {
            out[i].participants.push(p);
        }
    }

    let (d1, d2) = (b.date_param(1), b.date_param(2));
    let in_person = one_of("r.place", Place::ALL, Place::is_in_person, Place::as_str);
    let paid = |column: &str| one_of(column, JobKind::ALL, JobKind::is_paid, JobKind::as_str);
    let window = |from: Date, to: Date| [to.to_string(), from.to_string()];
    let seq = b.select_expr(Kind::Int, "r.seq");

    // V13: in-person meetings of each program's coaches in the window. (`CROSS JOIN` keeps
    // SQLite's loop over the coaches, each a range of the index by coach and date.)
    let (from, to) = l.coach_meetings;
    let mut meetings = by_program(
        tx,
        File::Meetings,
        &format!(
            "SELECT c.program_id, {seq}, {} FROM coach c CROSS JOIN meeting r \
             WHERE r.coach_id = c.coach_id AND r.date >= {d2} AND r.date <= {d1} AND {in_person}",
            select_list(b, File::Meetings, "r"),
        ),
        &window(from, to),
        &position,
        pick!(Meeting),
    )?;
    // V12: in-person meetings with a participant in the four weeks after each paid job start.
    let (from, to) = l.followed_starts;
    let followed = by_program(
        tx,
        File::Meetings,
        &format!(
            "SELECT p.program_id, {seq}, {} FROM participant p \
             JOIN job j ON j.participant_id = p.participant_id \
             JOIN meeting r ON r.participant_id = j.participant_id \
               AND r.date >= j.started_on AND r.date <= {} \
             WHERE {} AND j.started_on >= {d2} AND j.started_on <= {d1} AND {in_person}",
            select_list(b, File::Meetings, "r"),
            b.add_days("j.started_on", Lookback::FOLLOW_ALONG_DAYS),
            paid("j.kind"),
        ),
        &window(from, to),
        &position,
        pick!(Meeting),
    )?;
    // V6: face-to-face contacts of each program's coaches in the four weeks.
    let (from, to) = l.coach_contacts;
    let mut contacts = by_program(
        tx,
        File::EmployerContacts,
        &format!(
            "SELECT c.program_id, {seq}, {} FROM coach c CROSS JOIN employer_contact r \
             WHERE r.coach_id = c.coach_id AND r.date >= {d2} AND r.date <= {d1} \
             AND r.face_to_face",
            select_list(b, File::EmployerContacts, "r"),
        ),
        &window(from, to),
        &position,
        pick!(EmployerContact),
    )?;
    // V4: for each participant of a cohort, the face-to-face contacts for them on the first
    // day since they enrolled that has one.
    let (from, to) = l.cohort;
    let first = by_program(
        tx,
        File::EmployerContacts,
        &format!(
            "SELECT f.program_id, {seq}, {} FROM ( \
               SELECT p.participant_id, p.program_id, ( \
                 SELECT MIN(k.date) FROM employer_contact k \
                 WHERE k.participant_id = p.participant_id AND k.face_to_face \
                   AND k.date >= p.enrolled_on AND k.date <= {d1}) AS first \
               FROM participant p \
               WHERE p.enrolled_on >= {d2} AND p.enrolled_on <= {d1}) f \
             JOIN employer_contact r ON r.participant_id = f.participant_id AND r.date = f.first \
             WHERE r.face_to_face",
            select_list(b, File::EmployerContacts, "r"),
        ),
        &window(from, to),
        &position,
        pick!(EmployerContact),
    )?;
    // V8, V9, V12: paid jobs started in the year; V10: paid jobs held on the review date.
    let jobs = by_program(
        tx,
        File::Jobs,
        &format!(
            "SELECT p.program_id, {seq}, {} FROM job r \
             JOIN participant p ON p.participant_id = r.participant_id \
             WHERE {} AND r.started_on <= {d1} \
               AND (r.started_on >= {d2} OR r.ended_on IS NULL OR r.ended_on >= {d1})",
            select_list(b, File::Jobs, "r"),
            paid("r.kind"),
        ),
        &window(l.job_starts.0, at),
        &position,
        pick!(Job),
    )?;

    let parts = followed.into_iter().zip(first).zip(jobs);
    for (i, ((followed, first), jobs)) in parts.enumerate() {
        let d = &mut out[i];
        d.meetings = std::mem::take(&mut meetings[i]);
        add_new(&mut d.meetings, followed, |m| &m.id);
        d.employer_contacts = std::mem::take(&mut contacts[i]);
        add_new(&mut d.employer_contacts, first, |c| &c.id);
        d.jobs = jobs;
    }
    // A restricted record is counted in no figure (store/src/restrict.rs).
    crate::restrict::drop_restricted(tx, &mut out)?;
    Ok(out)
}

/// The records of a query whose first two columns are the program they count for and
/// their `seq`, then the [`select_list`] of `file`: one list per program (by position), each
/// in `seq` order, as the query of one program gives them.
fn by_program<T>(
    tx: &mut dyn Tx,
    file: File,
    sql: &str,
    params: &[String; 2],
    position: &HashMap<ProgramId, usize>,
    pick: fn(Row) -> Option<T>,
) -> Result<Vec<Vec<T>>, StoreError> {
    let mut lists: Vec<Vec<(i64, T)>> = (0..position.len()).map(|_| Vec::new()).collect();
    let params = params.each_ref().map(String::as_str);
    tx.for_each(sql, &params, &mut |cells| {
        let program = id_cell(cells[0])?;
        let seq: i64 = cells[1]
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| StoreError::Corrupt("a seq that is not a number".into()))?;
        if let Some(&i) = position.get(&program)
            && let Some(x) = pick(crate::export::record(file, &cells[2..])?)
        {
            lists[i].push((seq, x));
        }
        Ok(())
    })?;
    Ok(lists
        .into_iter()
        .map(|mut l| {
            l.sort_unstable_by_key(|(seq, _)| *seq);
            l.into_iter().map(|(_, x)| x).collect()
        })
        .collect())
}
