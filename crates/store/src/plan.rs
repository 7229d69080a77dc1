//! The participant's own plan (`/me`) read with one statement, as the day view is (`day`):
//! the page a participant opens most, and the record it shows is the longest a participant
//! has. Each part of the page is one arm of a `UNION ALL` (`union`); on PostgreSQL the audit
//! row is written by the same statement, so the read is one round trip. Only what the page
//! shows is read: the latest meetings (the rest on their own page), open steps, the last
//! check-in.

use fika_core::check_in::CheckIn;
use fika_core::*;

use crate::StoreError;
use crate::backend::{Backend, Tx};
use crate::caseload::Actor;
use crate::participant_view::GoalChange;
use crate::register::StandIn;
use crate::schema::Kind;
use crate::schema::column_names;
use crate::sql::{audit, param};
use crate::union::{Item, Params, Part, Union, records};

/// A participant's plan: what their own start page shows.
#[derive(Debug, Clone)]
pub struct Plan {
    pub participant: Participant,
    /// The designated coach.
    pub coach: Coach,
    /// Coaches standing in for the designated coach today, latest first.
    pub stand_ins: Vec<(StandIn, Coach)>,
    pub goals: Vec<Goal>,
    pub goal_changes: Vec<GoalChange>,
    /// The latest meetings, newest first.
    pub meetings: Vec<Meeting>,
    /// Whether there are meetings older than those in `meetings`.
    pub more_meetings: bool,
    /// Next steps not done, in the order they were agreed.
    pub open_steps: Vec<NextStep>,
    pub jobs: Vec<Job>,
    /// The next meeting agreed, if any.
    pub planned: Option<Date>,
    pub last_check_in: Option<CheckIn>,
    /// The day of an open "I'd like to talk".
    pub talk_asked: Option<Date>,
}

impl Plan {
    pub fn goal_changes_of(&self, goal: &GoalId) -> Vec<&GoalChange> {
        self.goal_changes
            .iter()
            .filter(|c| &c.goal == goal)
            .collect()
    }
}

/// A part's row: a record, or values as text.
type Value = Result<Row, Vec<Option<String>>>;

/// The parts of the plan, in the order of their tags.
const PARTS: [Part; 11] = [
    Part::Records(File::Participants),
    // The designated coach and those standing in for them today.
    Part::Records(File::Coaches),
    Part::Records(File::Goals),
    // Goal rewordings: goal, old text, new text, when, by the participant ("1") or not.
    Part::Values(5),
    Part::Records(File::Meetings),
    Part::Records(File::NextSteps),
    Part::Records(File::Jobs),
    // The next meeting agreed.
    Part::Values(1),
    // Stand-ins: ID, coach, stand-in coach, from, to.
    Part::Values(5),
    Part::Records(File::CheckIns),
    // The day of an open "I'd like to talk".
    Part::Values(1),
];

/// Reads participant `id`'s plan on `today` with at most `meetings` meetings, and writes its
/// audit row (`participant.read`): with one statement on PostgreSQL, two on SQLite. Run it in
/// one transaction on SQLite, as the one statement (`Runner::run_one`) on PostgreSQL. `None`
/// (and no audit row) when there is no such participant.
pub(crate) fn read_plan(
    tx: &mut dyn Tx,
    actor: &Actor,
    id: &ParticipantId,
    today: Date,
    meetings: usize,
) -> Result<Option<Plan>, StoreError> {
    let b = tx.backend();
    let mut ps = Params::default();
    let p = format!("${}", ps.add(id));
    let t = param(b, Kind::Date, ps.add(today));
    let date = |c: &str| b.select_expr(Kind::Date, c);
    let mut u = Union::new(b, &PARTS);
    let of = |table: &str| format!("FROM {table} r WHERE r.participant_id = {p}");
    // The participant (`me`) and the stand-ins for their designated coach today (`standing`)
    // are found once, as materialized CTEs, and the parts that need them read them there.
    u.arm(0, "r.seq", records(b, File::Participants), "FROM me r");
    u.arm(
        1,
        "r.seq",
        records(b, File::Coaches),
        "FROM coach r WHERE r.coach_id IN (SELECT m.coach_id FROM me m \
         UNION ALL SELECT s.stand_in_coach_id FROM standing s)",
    );
    u.arm(2, "r.seq", records(b, File::Goals), &of("goal"));
    u.arm(
        3,
        "r.seq",
        vec![
            "r.goal_id".into(),
            "r.old_text".into(),
            "r.new_text".into(),
            "r.changed_at".into(),
            "CAST(r.by_participant AS TEXT)".into(),
        ],
        &of("goal_change"),
    );
    // The latest meetings and one more, to know whether there are older ones: an index
    // range on (participant, date) read backwards.
    u.arm(
        4,
        "r.seq",
        records(b, File::Meetings),
        &format!(
            "FROM meeting r WHERE r.seq IN (SELECT m.seq FROM meeting m \
             WHERE m.participant_id = {p} ORDER BY m.date DESC, m.seq DESC LIMIT {})",
            meetings + 1
        ),
    );
    u.arm(
        5,
        "r.seq",
        records(b, File::NextSteps),
        &format!("{} AND r.done_on IS NULL", of("next_step")),
    );
    u.arm(6, "r.seq", records(b, File::Jobs), &of("job"));
    u.arm(7, "0", vec![date("r.date")], &of("planned_meeting"));
    u.arm(
        8,
        "0",
        vec![
            "s.stand_in_id".into(),
            "s.coach_id".into(),
            "s.stand_in_coach_id".into(),
            date("s.from_on"),
            date("s.to_on"),
        ],
        "FROM standing s",
    );
    u.arm(
        9,
        "r.seq",
        records(b, File::CheckIns),
        &format!(
            "FROM check_in r WHERE r.seq = (SELECT max(c.seq) FROM check_in c \
             WHERE c.participant_id = {p})"
        ),
    );
    u.arm(
        10,
        "0",
        vec![date("t.on_date")],
        &format!(
            "FROM talk_request t WHERE t.seq = (SELECT max(q.seq) FROM talk_request q \
             WHERE q.participant_id = {p} AND NOT EXISTS (SELECT 1 FROM meeting m \
             WHERE m.participant_id = q.participant_id AND m.date >= q.on_date))"
        ),
    );
    // On PostgreSQL the audit row is written by the statement itself, and only when the
    // participant is there (as SQLite writes it only then).
    let audited = match b {
        Backend::Postgres => {
            let (who, at) = (ps.add(&actor.user), ps.add(&actor.at));
            format!(
                ", audited AS (INSERT INTO audit (who, at, action, participant_id, detail) \
                 SELECT ${who}, CAST(CAST(${at} AS TEXT) AS TIMESTAMPTZ), 'participant.read', \
                 m.participant_id, '' FROM me m)"
            )
        }
        Backend::Sqlite => String::new(),
    };
    let columns = |alias: &str, file: File| {
        column_names(file)
            .map(|c| format!("{alias}.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // CROSS JOIN: SQLite takes the tables in the order written (the one participant, then
    // an index seek); PostgreSQL plans it as any join.
    let sql = format!(
        "WITH me AS MATERIALIZED (SELECT x.seq, {} FROM participant x WHERE x.participant_id = {p}), \
         standing AS MATERIALIZED (SELECT {} FROM me m CROSS JOIN stand_in s \
         WHERE s.coach_id = m.coach_id AND s.from_on <= {t} AND {t} <= s.to_on){audited} {}",
        columns("x", File::Participants),
        [
            "stand_in_id",
            "coach_id",
            "stand_in_coach_id",
            "from_on",
            "to_on"
        ]
        .map(|c| format!("s.{c}"))
        .join(", "),
        u.select()
    );
    let mut items: Vec<(usize, i64, Value)> = Vec::new();
    tx.for_each(&sql, &ps.as_strs(), &mut |cells| {
        let (tag, ord, item) = u.item(cells)?;
        let item = match item {
            Item::Record(r) => Ok(r),
            Item::Values(v) => Err(v.iter().map(|c| c.map(str::to_owned)).collect()),
        };
        items.push((tag, ord, item));
        Ok(())
    })?;
    items.sort_by_key(|(tag, ord, _)| (*tag, *ord));
    let corrupt = |what: &str| StoreError::Corrupt(format!("plan: {what}"));
    let date_of = |v: &Option<String>| -> Result<Date, StoreError> {
        parse_date(v.as_deref().ok_or_else(|| corrupt("a date"))?).map_err(|_| corrupt("a date"))
    };
    let mut participant = None;
    let mut coaches = Vec::new();
    let mut stand_ins = Vec::new();
    let (mut goals, mut goal_changes, mut meetings_read, mut open_steps, mut jobs) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut planned, mut last_check_in, mut talk_asked) = (None, None, None);
    for (tag, _, item) in items {
        match (tag, item) {
            (0, Ok(Row::Participant(x))) => participant = Some(x),
            (1, Ok(Row::Coach(x))) => coaches.push(x),
            (2, Ok(Row::Goal(x))) => goals.push(x),
            (3, Err(v)) => goal_changes.push(GoalChange {
                goal: GoalId::parse(v[0].as_deref().unwrap_or_default())
                    .map_err(|_| corrupt("goal_change"))?,
                old_text: v[1].clone().ok_or_else(|| corrupt("goal_change"))?,
                new_text: v[2].clone().ok_or_else(|| corrupt("goal_change"))?,
                changed_at: v[3].clone().ok_or_else(|| corrupt("goal_change"))?,
                by_participant: v[4].as_deref() == Some("1"),
            }),
            (4, Ok(Row::Meeting(x))) => meetings_read.push(x),
            (5, Ok(Row::NextStep(x))) => open_steps.push(x),
            (6, Ok(Row::Job(x))) => jobs.push(x),
            (7, Err(v)) => planned = Some(date_of(&v[0])?),
            (8, Err(v)) => stand_ins.push(StandIn {
                id: v[0].clone().ok_or_else(|| corrupt("stand_in"))?,
                coach: CoachId::parse(v[1].as_deref().unwrap_or_default())
                    .map_err(|_| corrupt("stand_in"))?,
                stand_in: CoachId::parse(v[2].as_deref().unwrap_or_default())
                    .map_err(|_| corrupt("stand_in"))?,
                from: date_of(&v[3])?,
                to: date_of(&v[4])?,
            }),
            (9, Ok(Row::CheckIn(x))) => last_check_in = Some(x),
            (10, Err(v)) => talk_asked = Some(date_of(&v[0])?),
            _ => return Err(corrupt(&format!("part {tag}"))),
        }
    }
    let Some(participant) = participant else {
        return Ok(None);
    };
    let coach_of = |id: &CoachId| coaches.iter().find(|c| &c.id == id).cloned();
    let coach = coach_of(&participant.coach).ok_or_else(|| corrupt("participant without coach"))?;
    stand_ins.sort_by(|x: &StandIn, y: &StandIn| y.from.cmp(&x.from).then_with(|| x.id.cmp(&y.id)));
    let stand_ins = stand_ins
        .into_iter()
        .filter_map(|s| coach_of(&s.stand_in).map(|c| (s, c)))
        .collect();
    // Newest first; on the same day, the one recorded later first (the items came in the
    // order recorded).
    meetings_read.reverse();
    meetings_read.sort_by_key(|m: &Meeting| std::cmp::Reverse(m.date));
    let more_meetings = meetings_read.len() > meetings;
    meetings_read.truncate(meetings);
    if b == Backend::Sqlite {
        audit(
            tx,
            &actor.user,
            &actor.at,
            "participant.read",
            Some(id.as_str()),
            "",
        )?;
    }
    Ok(Some(Plan {
        participant,
        coach,
        stand_ins,
        goals,
        goal_changes,
        meetings: meetings_read,
        more_meetings,
        open_steps,
        jobs,
        planned,
        last_check_in,
        talk_asked,
    }))
}
