//! The day's caseload (see [`crate::caseload::Records::caseload`]) read with one statement.
//!
//! The day view is the page a coach opens most, and a dozen queries cost a dozen round
//! trips to PostgreSQL. Here every part of the caseload is one arm of a `UNION ALL` over the
//! participants active today (a materialized CTE, found once), each row tagged with its part
//! and padded to the widest part. On PostgreSQL the audit row is written by the same
//! statement (a data-modifying CTE), which is atomic by itself and needs no BEGIN or COMMIT
//! (`Runner::run_one`): the whole read is one round trip. SQLite writes the audit row with a
//! second statement in the same transaction.

use chrono::Days;
use fika_core::*;

use crate::StoreError;
use crate::backend::{Backend, Tx};
use crate::caseload::{Actor, Caseload, RECENT_MEETING_DAYS, Reach};
use crate::export::record;
use crate::schema::{Kind, column_names, kind};
use crate::sql::{audit, param};

/// The parts of the caseload, in the order of their tags.
const PARTS: [Part; 9] = [
    Part::Records(File::Participants),
    Part::Records(File::Meetings),
    Part::LastMet,
    Part::Records(File::NextSteps),
    Part::Records(File::EmployerContacts),
    Part::Records(File::Jobs),
    Part::Planned,
    Part::Records(File::Coaches),
    Part::Records(File::EmployerContacts),
];

/// What one arm of the statement returns.
#[derive(Clone, Copy)]
enum Part {
    /// Records of a file, every column as interchange text.
    Records(File),
    /// (participant ID, date) of the latest meeting.
    LastMet,
    /// (participant ID, date) of the next meeting agreed.
    Planned,
}

impl Part {
    fn width(self) -> usize {
        match self {
            Part::Records(file) => column_names(file).count(),
            Part::LastMet | Part::Planned => 2,
        }
    }
}

/// The widest part: every arm has this many value columns.
fn width() -> usize {
    PARTS.iter().map(|p| p.width()).max().unwrap_or(0)
}

/// Parameters of one statement, numbered as they are added.
#[derive(Default)]
struct Params(Vec<String>);

impl Params {
    /// Adds `v`; returns its number.
    fn add(&mut self, v: impl ToString) -> usize {
        self.0.push(v.to_string());
        self.0.len()
    }
}

/// Reads the caseload within `reach` active on `today` and writes its audit row
/// (`caseload.read`): with one statement on PostgreSQL, two on SQLite. Run it in one
/// transaction on SQLite, as the one statement (`Runner::run_one`) on PostgreSQL.
pub(crate) fn read_caseload(
    tx: &mut dyn Tx,
    actor: &Actor,
    reach: &Reach,
    today: Date,
    contacts_since: Date,
) -> Result<Caseload, StoreError> {
    let b = tx.backend();
    let mut ps = Params::default();
    let d1 = param(b, Kind::Date, ps.add(today));
    let (cond, reach_params) = reach.condition(b, 2);
    for p in reach_params {
        ps.add(p);
    }
    // The first parameter of the reach: the coach, or the program.
    let who = "$2";
    let recent = today
        .checked_sub_days(Days::new(RECENT_MEETING_DAYS))
        .unwrap_or(Date::MIN);
    let recent = param(b, Kind::Date, ps.add(recent));
    let width = width();
    // `SELECT tag, order, c1 … cN` with the part's values, padded with NULLs.
    let arm = |tag: usize, order: &str, values: Vec<String>, rest: &str| {
        let mut cols = values;
        cols.resize(width, "CAST(NULL AS TEXT)".to_owned());
        let cols: Vec<String> = cols
            .into_iter()
            .enumerate()
            .map(|(i, c)| format!("{c} AS c{}", i + 1))
            .collect();
        format!(
            "SELECT CAST('{tag}' AS TEXT) AS tag, CAST({order} AS BIGINT) AS ord, {} {rest}",
            cols.join(", ")
        )
    };
    let records = |file: File| -> Vec<String> {
        column_names(file)
            .map(|c| b.select_expr(kind(c), &format!("r.{c}")))
            .collect()
    };
    // The rows of `t` of the active participants. CROSS JOIN: SQLite takes the tables in
    // the order written (the dozen participants first, then an index seek each), whatever
    // it guesses of the CTE's size; PostgreSQL plans it as any join.
    let of_active = |t: &str| {
        format!("FROM active a CROSS JOIN {t} r WHERE r.participant_id = a.participant_id")
    };
    let mut arms = vec![
        arm(
            0,
            "r.seq",
            records(File::Participants),
            "FROM active r",
        ),
        // Only what the day asks about (see the fields of `Caseload`): reading every
        // meeting and contact of the caseload's history would cost most of the page.
        arm(
            1,
            "r.seq",
            records(File::Meetings),
            &format!("{} AND r.date >= {recent}", of_active("meeting")),
        ),
        // One index seek per participant, for the latest date in their enrolment.
        arm(
            2,
            "0",
            vec![
                "a.participant_id".to_owned(),
                b.select_expr(
                    Kind::Date,
                    &format!(
                        "(SELECT m.date FROM meeting m WHERE m.participant_id = a.participant_id \
                         AND m.date <= {d1} AND m.date >= a.enrolled_on ORDER BY m.date DESC LIMIT 1)"
                    ),
                ),
            ],
            "FROM active a",
        ),
        arm(
            3,
            "r.seq",
            records(File::NextSteps),
            &format!("{} AND r.done_on IS NULL", of_active("next_step")),
        ),
        arm(
            4,
            "r.seq",
            records(File::EmployerContacts),
            // One face-to-face contact each: one index seek per participant for it, then
            // one for the record.
            "FROM active a CROSS JOIN employer_contact r WHERE r.seq = (SELECT e.seq \
             FROM employer_contact e WHERE e.participant_id = a.participant_id \
             AND e.face_to_face AND e.date >= a.enrolled_on LIMIT 1)",
        ),
        arm(
            5,
            "r.seq",
            records(File::Jobs),
            &of_active("job"),
        ),
        arm(
            6,
            "0",
            vec![
                "r.participant_id".to_owned(),
                b.select_expr(Kind::Date, "r.date"),
            ],
            &of_active("planned_meeting"),
        ),
        // The coaches of the program in reach (names of designated and stand-in coaches).
        arm(
            7,
            "r.seq",
            records(File::Coaches),
            &match reach {
                Reach::Coach { .. } => format!(
                    "FROM coach r WHERE r.program_id IN (SELECT program_id FROM coach WHERE coach_id = {who})"
                ),
                Reach::Program(_) => format!("FROM coach r WHERE r.program_id = {who}"),
                Reach::Own(_) => format!(
                    "FROM coach r WHERE r.program_id IN (SELECT program_id FROM participant WHERE participant_id = {who})"
                ),
            },
        ),
    ];
    if let Reach::Coach { .. } = reach {
        let since = param(b, Kind::Date, ps.add(contacts_since));
        arms.push(arm(
            8,
            "r.seq",
            records(File::EmployerContacts),
            &format!("FROM employer_contact r WHERE r.coach_id = {who} AND r.date >= {since}"),
        ));
    }
    let detail = reach.describe();
    let audited = match b {
        Backend::Postgres => {
            let (who, at, detail) = (ps.add(&actor.user), ps.add(&actor.at), ps.add(&detail));
            format!(
                "audited AS (INSERT INTO audit (who, at, action, participant_id, detail) \
                 VALUES (${who}, CAST(CAST(${at} AS TEXT) AS TIMESTAMPTZ), 'caseload.read', NULL, ${detail})), "
            )
        }
        Backend::Sqlite => String::new(),
    };
    let cols: Vec<String> = (1..=width).map(|i| format!("u.c{i}")).collect();
    // Not ordered by the database: sorting the rows, every column of each, costs SQLite
    // more than sorting the parsed records by their `ord` here.
    let sql = format!(
        "WITH {audited}active AS MATERIALIZED (SELECT p.seq, {} FROM participant p \
         WHERE {cond} AND p.enrolled_on <= {d1} AND (p.exited_on IS NULL OR p.exited_on >= {d1})) \
         SELECT u.tag, {}, {} FROM ({}) u",
        column_names(File::Participants)
            .map(|c| format!("p.{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        b.select_expr(Kind::Int, "u.ord"),
        cols.join(", "),
        arms.join(" UNION ALL ")
    );
    let params: Vec<&str> = ps.0.iter().map(String::as_str).collect();
    let mut items = Vec::new();
    tx.for_each(&sql, &params, &mut |cells| {
        items.push(item(cells)?);
        Ok(())
    })?;
    // Each part in the order its records were added (`seq`).
    items.sort_by_key(|(tag, ord, _)| (*tag, *ord));
    let mut c = Caseload::default();
    for (tag, _, item) in items {
        match (tag, item) {
            (2, Item::Dated(x)) => c.last_met.push(x),
            (6, Item::Dated(x)) => c.planned.push(x),
            (0, Item::Record(Row::Participant(x))) => c.participants.push(x),
            (1, Item::Record(Row::Meeting(x))) => c.meetings.push(x),
            (3, Item::Record(Row::NextStep(x))) => c.open_steps.push(x),
            (4, Item::Record(Row::EmployerContact(x))) => c.employer_contacts.push(x),
            (5, Item::Record(Row::Job(x))) => c.jobs.push(x),
            (7, Item::Record(Row::Coach(x))) => c.coaches.push(x),
            (8, Item::Record(Row::EmployerContact(x))) => c.coach_contacts.push(x),
            (tag, Item::Absent) if tag == 2 || tag == 6 => {}
            _ => return Err(StoreError::Corrupt(format!("caseload part {tag}"))),
        }
    }
    // By name; the same name in the order the participants were added.
    c.participants.sort_by(|x, y| x.name.cmp(&y.name));
    if b == Backend::Sqlite {
        audit(tx, &actor.user, &actor.at, "caseload.read", None, &detail)?;
    }
    Ok(c)
}

/// One row of the statement, parsed.
enum Item {
    Record(Row),
    Dated((ParticipantId, Date)),
    /// A participant without a date (never met, say).
    Absent,
}

/// Parses one row of the statement: its part's tag, its order within the part, its values.
fn item(cells: &[Option<&str>]) -> Result<(usize, i64, Item), StoreError> {
    let number = |i: usize| -> Option<i64> { cells.get(i).copied().flatten()?.parse().ok() };
    let (Some(tag), Some(ord)) = (number(0), number(1)) else {
        return Err(StoreError::Corrupt(
            "a caseload row without its part".into(),
        ));
    };
    let tag = tag as usize;
    let part = *PARTS
        .get(tag)
        .ok_or_else(|| StoreError::Corrupt(format!("caseload part {tag}")))?;
    let values = &cells[2..2 + part.width()];
    let item = match part {
        Part::LastMet | Part::Planned => match (values[0], values[1]) {
            (Some(id), Some(d)) => Item::Dated((
                ParticipantId::parse(id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                parse_date(d).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            )),
            _ => Item::Absent,
        },
        Part::Records(file) => Item::Record(record(file, values)?),
    };
    Ok((tag, ord, item))
}
