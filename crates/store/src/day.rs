//! The day's caseload (see [`crate::caseload::Records::caseload`]) read with one statement.
//!
//! The day view is the page a coach opens most, and a dozen queries cost a dozen round
//! trips to PostgreSQL. Here every part of the caseload is one arm of a `UNION ALL` over the
//! participants active today (a materialized CTE, found once), each row tagged with its part
//! and padded to the widest part. On PostgreSQL the audit row is written by the same
//! statement (a data-modifying CTE), which is atomic by itself and needs no BEGIN or COMMIT
//! (`Runner::run_one`): the whole read is one round trip. SQLite writes the audit row with a
//! second statement in the same transaction. A restricted participant (store/src/restrict.rs)
//! is not on it.

use chrono::Days;
use fika_core::*;

use crate::StoreError;
use crate::backend::{Backend, Tx};
use crate::caseload::{Actor, Caseload, RECENT_MEETING_DAYS, Reach};
use crate::schema::{Kind, column_names};
use crate::sql::{audit, param};
use crate::union::{Item, Params, Part, Union, records};

/// The parts of the caseload, in the order of their tags.
const PARTS: [Part; 9] = [
    Part::Records(File::Participants),
    Part::Records(File::Meetings),
    // (participant ID, date) of the latest meeting.
    Part::Values(2),
    Part::Records(File::NextSteps),
    Part::Records(File::EmployerContacts),
    Part::Records(File::Jobs),
    // (participant ID, date) of the next meeting agreed.
    Part::Values(2),
    Part::Records(File::Coaches),
    Part::Records(File::EmployerContacts),
];

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
    let mut u = Union::new(b, &PARTS);
    let records = |file: File| records(b, file);
    // The rows of `t` of the active participants. CROSS JOIN: SQLite takes the tables in
    // the order written (the dozen participants first, then an index seek each), whatever
    // it guesses of the CTE's size; PostgreSQL plans it as any join.
    let of_active = |t: &str| {
        format!("FROM active a CROSS JOIN {t} r WHERE r.participant_id = a.participant_id")
    };
    u.arm(0, "r.seq", records(File::Participants), "FROM active r");
    // Only what the day asks about (see the fields of `Caseload`): reading every
    // meeting and contact of the caseload's history would cost most of the page.
    u.arm(
        1,
        "r.seq",
        records(File::Meetings),
        &format!("{} AND r.date >= {recent}", of_active("meeting")),
    );
    // One index seek per participant, for the latest date in their enrolment.
    u.arm(
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
    );
    u.arm(
        3,
        "r.seq",
        records(File::NextSteps),
        &format!("{} AND r.done_on IS NULL", of_active("next_step")),
    );
    u.arm(
        4,
        "r.seq",
        records(File::EmployerContacts),
        // One face-to-face contact each: one index seek per participant for it, then
        // one for the record.
        "FROM active a CROSS JOIN employer_contact r WHERE r.seq = (SELECT e.seq \
             FROM employer_contact e WHERE e.participant_id = a.participant_id \
             AND e.face_to_face AND e.date >= a.enrolled_on LIMIT 1)",
    );
    u.arm(5, "r.seq", records(File::Jobs), &of_active("job"));
    u.arm(
        6,
        "0",
        vec![
            "r.participant_id".to_owned(),
            b.select_expr(Kind::Date, "r.date"),
        ],
        &of_active("planned_meeting"),
    );
    // The coaches of the program in reach (names of designated and stand-in coaches).
    u.arm(
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
    );
    if let Reach::Coach { .. } = reach {
        let since = param(b, Kind::Date, ps.add(contacts_since));
        u.arm(
            8,
            "r.seq",
            records(File::EmployerContacts),
            &format!("FROM employer_contact r WHERE r.coach_id = {who} AND r.date >= {since}"),
        );
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
    let sql = format!(
        "WITH {audited}active AS MATERIALIZED (SELECT p.seq, {} FROM participant p \
         WHERE {cond} AND p.enrolled_on <= {d1} AND (p.exited_on IS NULL OR p.exited_on >= {d1}) \
         AND NOT EXISTS (SELECT 1 FROM restriction x WHERE x.participant_id = p.participant_id)) {}",
        column_names(File::Participants)
            .map(|c| format!("p.{c}"))
            .collect::<Vec<_>>()
            .join(", "),
        u.select()
    );
    let mut items = Vec::new();
    tx.for_each(&sql, &ps.as_strs(), &mut |cells| {
        let (tag, ord, item) = u.item(cells)?;
        let item = match item {
            Item::Record(r) => Some(Ok(r)),
            Item::Values(v) => dated(v)?.map(Err),
        };
        if let Some(item) = item {
            items.push((tag, ord, item));
        }
        Ok(())
    })?;
    // Each part in the order its records were added (`seq`).
    items.sort_by_key(|(tag, ord, _)| (*tag, *ord));
    let mut c = Caseload::default();
    for (tag, _, item) in items {
        match (tag, item) {
            (2, Err(x)) => c.last_met.push(x),
            (6, Err(x)) => c.planned.push(x),
            (0, Ok(Row::Participant(x))) => c.participants.push(x),
            (1, Ok(Row::Meeting(x))) => c.meetings.push(x),
            (3, Ok(Row::NextStep(x))) => c.open_steps.push(x),
            (4, Ok(Row::EmployerContact(x))) => c.employer_contacts.push(x),
            (5, Ok(Row::Job(x))) => c.jobs.push(x),
            (7, Ok(Row::Coach(x))) => c.coaches.push(x),
            (8, Ok(Row::EmployerContact(x))) => c.coach_contacts.push(x),
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

/// A (participant ID, date) pair, or `None` for a participant without a date (never met,
/// say).
pub(crate) fn dated(v: &[Option<&str>]) -> Result<Option<(ParticipantId, Date)>, StoreError> {
    match v {
        [Some(id), Some(d)] => Ok(Some((
            ParticipantId::parse(id).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            parse_date(d).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        ))),
        _ => Ok(None),
    }
}
