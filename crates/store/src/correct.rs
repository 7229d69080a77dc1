//! Putting a participant's records right: a record a coach or lead wrote by mistake is
//! corrected (within the same rules as when it was made) or removed with a reason, and a
//! next step that will not be done is dropped.
//!
//! A removed record is deleted, so that every figure, the day, the export and the import
//! read the records as they are now without a rule of their own; what it was stays in the
//! table `correction`, the record's rectification history. Every change writes one audit row
//! in the same transaction: action `{record}.correct`, `{record}.remove` or `next_step.drop`,
//! and as detail `correction N`, naming its row of `correction` (migration 0018), which holds
//! the JSON object `{"before": …, "after": …, "reason": …}`, where a record is
//! an object of its interchange columns (as text, `null` when empty) and `after` is `null`
//! for a removal. A meeting is removed with the next steps agreed at it (INTERCHANGE.md:
//! a step's `meeting_id` names a meeting), listed under `"with"`.

use fika_core::*;
use fika_interchange::fields::to_fields;
use serde_json::{Map, Value, json};

use crate::backend::{Runner, Tx};
use crate::caseload::{
    Actor, Reach, WriteError, records_sql, violations_to_error, within_enrolment, write_for,
};
use crate::export::collect;
use crate::schema::{Kind, column_names, id_column, kind, table};
use crate::sql::{count, exec, param, texts};
use crate::{Db, StoreError};

/// Which record of a participant's is corrected or removed.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Meeting(MeetingId),
    Goal(GoalId),
    Step(StepId),
    Job(JobId),
    /// An employer contact made by or for the participant.
    Contact(ContactId),
    /// Benefits planning has no ID: the record as it is now (the first such one).
    Benefits(BenefitsPlanning),
    /// The enrolment: the participant's own row, their exit aside.
    Enrolment,
    /// The participant's exit.
    Exit,
}

impl Target {
    /// The record's name in audit actions (`meeting.correct`, …).
    pub fn noun(&self) -> &'static str {
        match self {
            Target::Meeting(_) => "meeting",
            Target::Goal(_) => "goal",
            Target::Step(_) => "next_step",
            Target::Job(_) => "job",
            Target::Contact(_) => "employer_contact",
            Target::Benefits(_) => "benefits_planning",
            Target::Enrolment => "enrolment",
            Target::Exit => "exit",
        }
    }

    fn file(&self) -> File {
        match self {
            Target::Meeting(_) => File::Meetings,
            Target::Goal(_) => File::Goals,
            Target::Step(_) => File::NextSteps,
            Target::Job(_) => File::Jobs,
            Target::Contact(_) => File::EmployerContacts,
            Target::Benefits(_) => File::BenefitsPlanning,
            Target::Enrolment | Target::Exit => File::Participants,
        }
    }

    fn id(&self) -> Option<&str> {
        match self {
            Target::Meeting(x) => Some(x.as_str()),
            Target::Goal(x) => Some(x.as_str()),
            Target::Step(x) => Some(x.as_str()),
            Target::Job(x) => Some(x.as_str()),
            Target::Contact(x) => Some(x.as_str()),
            Target::Benefits(_) | Target::Enrolment | Target::Exit => None,
        }
    }
}

/// Corrections of participant records, within a reach, each with its audit row.
pub trait Corrections {
    /// Replaces the target record by `now` (a row of the target's kind), keeping what a
    /// correction does not change: the record's ID and participant, a meeting's coach, a
    /// step's meeting and day agreed, a contact's maker, a goal's day set, and for the
    /// enrolment the program, coach and exit (for the exit only `now`'s exit is read).
    /// The same rules as when the record is made apply, and those that tie the records
    /// together (every meeting within the enrolment, no job before it). `reason` is
    /// optional. `NotFound` for a record that is not the participant's or out of reach.
    fn correct(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        target: &Target,
        now: &Row,
        reason: Option<&str>,
    ) -> Result<(), WriteError>;

    /// Removes a record entered in error; `reason` is required (rule `reason-missing`).
    /// An enrolment is removed only while nothing but goals is recorded for them (rule
    /// `enrolment-has-records`); an exit's removal makes them active again.
    fn remove(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        target: &Target,
        reason: &str,
    ) -> Result<(), WriteError>;

    /// What a change did, as kept in `correction`: the JSON `{"before", "after", "reason",
    /// "with"}` of the correction an audit row's detail names (`correction N`); `None` for
    /// any other detail, or when it was erased with the participant.
    fn correction_of(&self, audit_detail: &str) -> Result<Option<String>, StoreError>;

    /// Drops an open next step that will not be done (audited as `next_step.drop`, with
    /// the step as it was); refused for a step already done (rule `step-not-open`).
    fn drop_step(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        step: &StepId,
        reason: &str,
    ) -> Result<(), WriteError>;
}

fn rule(rule: &'static str, text: impl Into<String>) -> WriteError {
    WriteError::Rule {
        rule,
        text: text.into(),
    }
}

/// A record as a JSON object of its interchange columns.
pub(crate) fn row_json(row: &Row) -> Value {
    let mut m = Map::new();
    for (name, cell) in column_names(row.file()).zip(to_fields(row).iter()) {
        m.insert(
            name.to_owned(),
            cell.as_ref()
                .map_or(Value::Null, |c| Value::String(c.to_string())),
        );
    }
    Value::Object(m)
}

/// The target record as it is now, and the condition that names its row (`seq = n` or
/// `id_column = 'id'`, the ID bound as `$1`) with its parameters.
struct Found {
    row: Row,
    key: String,
    key_params: Vec<String>,
}

fn find(tx: &mut dyn Tx, p: &Participant, target: &Target) -> Result<Option<Found>, StoreError> {
    let b = tx.backend();
    let file = target.file();
    let pid = p.id.as_str();
    if let Some(id) = target.id() {
        let col = id_column(file).expect("an ID column");
        let sql = records_sql(
            b,
            file,
            &format!("WHERE r.{col} = $1 AND r.participant_id = $2"),
        );
        let row = collect(tx, file, &sql, &[id, pid], Some)?.pop();
        return Ok(row.map(|row| Found {
            row,
            key: format!("{col} = $1"),
            key_params: vec![id.to_owned()],
        }));
    }
    match target {
        Target::Benefits(was) => {
            if was.participant != p.id {
                return Ok(None);
            }
            let rows = texts(
                tx,
                &format!(
                    "SELECT CAST(seq AS TEXT) FROM benefits_planning WHERE participant_id = $1 \
                     AND date = {} AND status = $3 AND trained_planner = {} ORDER BY seq LIMIT 1",
                    param(b, Kind::Date, 2),
                    param(b, Kind::Bool, 4)
                ),
                &[
                    pid,
                    &was.date.to_string(),
                    was.status.as_str(),
                    if was.trained_planner { "true" } else { "false" },
                ],
            )?;
            let Some(seq) = rows
                .first()
                .and_then(|r| r[0].as_deref())
                .and_then(|s| s.parse::<i64>().ok())
            else {
                return Ok(None);
            };
            Ok(Some(Found {
                row: Row::BenefitsPlanning(was.clone()),
                // A number the database gave, written into the statement as a number.
                key: format!("seq = {seq}"),
                key_params: vec![],
            }))
        }
        _ => Ok(Some(Found {
            row: Row::Participant(p.clone()),
            key: "participant_id = $1".into(),
            key_params: vec![pid.to_owned()],
        })),
    }
}

/// Writes every column of `row` into the row named by `key` (parameters `$1…` of the key
/// first, then the columns').
fn update(tx: &mut dyn Tx, row: &Row, key: &str, key_params: &[String]) -> Result<(), StoreError> {
    let b = tx.backend();
    let cells = to_fields(row);
    let mut params: Vec<&str> = key_params.iter().map(String::as_str).collect();
    let mut set = Vec::new();
    for (name, cell) in column_names(row.file()).zip(cells.iter()) {
        match cell {
            None => set.push(format!("{name} = NULL")),
            Some(v) => {
                params.push(v);
                set.push(format!("{name} = {}", param(b, kind(name), params.len())));
            }
        }
    }
    exec(
        tx,
        &format!(
            "UPDATE {} SET {} WHERE {key}",
            table(row.file()),
            set.join(", ")
        ),
        &params,
    )?;
    Ok(())
}

fn employer_exists(tx: &mut dyn Tx, e: &EmployerId) -> Result<bool, StoreError> {
    Ok(count(tx, "employer WHERE employer_id = $1", &[e.as_str()])? > 0)
}

/// The earliest date of a column of the participant's rows of a table, if any.
fn earliest(
    tx: &mut dyn Tx,
    table: &str,
    column: &str,
    participant: &str,
) -> Result<Option<Date>, StoreError> {
    edge(tx, table, column, participant, "")
}

/// The latest date in `column` of the participant's rows of `table`.
fn latest(
    tx: &mut dyn Tx,
    table: &str,
    column: &str,
    participant: &str,
) -> Result<Option<Date>, StoreError> {
    edge(tx, table, column, participant, " DESC")
}

/// The first date in `column` of the participant's rows of `table`, in the `order` given.
fn edge(
    tx: &mut dyn Tx,
    table: &str,
    column: &str,
    participant: &str,
    order: &str,
) -> Result<Option<Date>, StoreError> {
    let b = tx.backend();
    let rows = texts(
        tx,
        &format!(
            "SELECT {} FROM {table} r WHERE r.participant_id = $1 ORDER BY r.{column}{order} LIMIT 1",
            b.select_expr(Kind::Date, &format!("r.{column}"))
        ),
        &[participant],
    )?;
    Ok(rows
        .first()
        .and_then(|r| r[0].as_deref())
        .and_then(|s| parse_date(s).ok()))
}

fn mismatch() -> WriteError {
    rule(
        "correction-kind",
        "the corrected record is not of the kind named",
    )
}

/// The record after the correction, or the rule it breaks.
fn corrected(
    tx: &mut dyn Tx,
    p: &Participant,
    before: &Row,
    now: &Row,
) -> Result<Result<Row, WriteError>, StoreError> {
    let after = match (before, now) {
        (Row::Meeting(was), Row::Meeting(now)) => {
            let m = Meeting {
                id: was.id.clone(),
                participant: was.participant.clone(),
                coach: was.coach.clone(),
                ..now.clone()
            };
            if let Err(e) = within_enrolment(p, m.date, "the meeting date") {
                return Ok(Err(e));
            }
            Row::Meeting(m)
        }
        (Row::Goal(was), Row::Goal(now)) => {
            if now.text.trim().is_empty() {
                return Ok(Err(rule("goal-empty", "write the goal as they put it")));
            }
            Row::Goal(Goal {
                id: was.id.clone(),
                participant: was.participant.clone(),
                set_on: was.set_on,
                ..now.clone()
            })
        }
        (Row::NextStep(was), Row::NextStep(now)) => {
            if now.text.trim().is_empty() {
                return Ok(Err(rule("step-empty", "write what is to be done")));
            }
            Row::NextStep(NextStep {
                id: was.id.clone(),
                participant: was.participant.clone(),
                meeting: was.meeting.clone(),
                agreed_on: was.agreed_on,
                ..now.clone()
            })
        }
        (Row::Job(was), Row::Job(now)) => {
            let j = Job {
                id: was.id.clone(),
                participant: was.participant.clone(),
                ..now.clone()
            };
            if j.started_on < p.enrolled_on {
                return Ok(Err(rule(
                    "job-before-enrolment",
                    format!("a job starts on or after the enrolment ({})", p.enrolled_on),
                )));
            }
            if let Some(e) = &j.employer
                && !employer_exists(tx, e)?
            {
                return Ok(Err(WriteError::NotFound));
            }
            Row::Job(j)
        }
        (Row::EmployerContact(was), Row::EmployerContact(now)) => {
            if !employer_exists(tx, &now.employer)? {
                return Ok(Err(WriteError::NotFound));
            }
            Row::EmployerContact(EmployerContact {
                id: was.id.clone(),
                by: was.by.clone(),
                ..now.clone()
            })
        }
        (Row::BenefitsPlanning(was), Row::BenefitsPlanning(now)) => {
            Row::BenefitsPlanning(BenefitsPlanning {
                participant: was.participant.clone(),
                ..now.clone()
            })
        }
        _ => return Ok(Err(mismatch())),
    };
    Ok(Ok(after))
}

/// The enrolment after a correction: INTERCHANGE.md's rules of the participant row, every
/// meeting within the enrolment and no job before it.
fn corrected_enrolment(
    tx: &mut dyn Tx,
    p: &Participant,
    now: &Participant,
) -> Result<Result<Participant, WriteError>, StoreError> {
    let after = Participant {
        name: now.name.clone(),
        referral_source: now.referral_source,
        referred_on: now.referred_on,
        enrolled_on: now.enrolled_on,
        employed_at_entry: now.employed_at_entry,
        ..p.clone()
    };
    if after.name.trim().is_empty() {
        return Ok(Err(rule("name-empty", "write the participant's name")));
    }
    let pid = p.id.as_str();
    if let Some(first) = earliest(tx, "meeting", "date", pid)?
        && first < after.enrolled_on
    {
        return Ok(Err(rule(
            "enrolment-after-first-meeting",
            format!(
                "enrolled_on: the participant has a meeting on {first}; a meeting falls within the enrolment"
            ),
        )));
    }
    if let Some(first) = earliest(tx, "check_in", "date", pid)?
        && first < after.enrolled_on
    {
        return Ok(Err(rule(
            "enrolment-after-first-check-in",
            format!(
                "enrolled_on: the participant checked in on {first}; a check-in falls within the enrolment"
            ),
        )));
    }
    if let Some(first) = earliest(tx, "job", "started_on", pid)?
        && first < after.enrolled_on
    {
        return Ok(Err(rule(
            "job-before-enrolment",
            format!("enrolled_on: a job starts on {first}, before the enrolment"),
        )));
    }
    Ok(Ok(after))
}

/// INTERCHANGE.md meetings.date, and check_ins.date (docs/interchange.md): both fall within
/// the enrolment, so an exit on `on` is refused while the participant has either after it.
/// The one rule for a new exit and a corrected one.
pub(crate) fn after_exit(
    tx: &mut dyn Tx,
    participant: &str,
    on: Date,
) -> Result<Option<WriteError>, StoreError> {
    if let Some(last) = latest(tx, "meeting", "date", participant)?
        && last > on
    {
        return Ok(Some(rule(
            "exit-before-last-meeting",
            format!(
                "exited_on: the participant has a meeting on {last}, after {on}; a meeting falls within the enrolment"
            ),
        )));
    }
    if let Some(last) = latest(tx, "check_in", "date", participant)?
        && last > on
    {
        return Ok(Some(rule(
            "exit-before-last-check-in",
            format!(
                "exited_on: the participant checked in on {last}, after {on}; a check-in falls within the enrolment"
            ),
        )));
    }
    Ok(None)
}

/// The exit after a correction: on or after the enrolment, no meeting after it.
fn corrected_exit(
    tx: &mut dyn Tx,
    p: &Participant,
    now: &Participant,
) -> Result<Result<Participant, WriteError>, StoreError> {
    if p.exit.is_none() {
        return Ok(Err(rule(
            "not-exited",
            "the participant has not left the program",
        )));
    }
    let Some(exit) = now.exit else {
        return Ok(Err(mismatch()));
    };
    let after = Participant {
        exit: Some(exit),
        ..p.clone()
    };
    if let Some(refused) = after_exit(tx, p.id.as_str(), exit.on)? {
        return Ok(Err(refused));
    }
    Ok(Ok(after))
}

fn detail(before: &Row, after: Option<&Row>, reason: Option<&str>) -> Value {
    json!({
        "before": row_json(before),
        "after": after.map_or(Value::Null, row_json),
        "reason": reason.map_or(Value::Null, |r| Value::String(r.to_owned())),
    })
}

/// Keeps what a change did in `correction` and returns its audit row's detail, which names
/// that row only: the chained audit log holds no record's content (docs/privacy.md).
fn kept(
    tx: &mut dyn Tx,
    actor: &Actor,
    participant: &str,
    action: &str,
    detail: &Value,
) -> Result<String, StoreError> {
    let seq = texts(
        tx,
        "INSERT INTO correction (participant_id, who, at, action, detail) \
         VALUES ($1, $2, $3, $4, $5) RETURNING CAST(seq AS TEXT)",
        &[
            participant,
            &actor.user,
            &actor.at,
            action,
            &detail.to_string(),
        ],
    )?
    .pop()
    .and_then(|r| r.into_iter().next().flatten())
    .ok_or_else(|| StoreError::Corrupt("correction without seq".into()))?;
    Ok(format!("correction {seq}"))
}

fn reason_given(reason: &str) -> Result<&str, WriteError> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(rule(
            "reason-missing",
            "say why the record is removed (e.g. entered for the wrong person)",
        ));
    }
    Ok(r)
}

/// Whether the participant has any of their records besides goals.
fn has_records(tx: &mut dyn Tx, participant: &str) -> Result<bool, StoreError> {
    for t in [
        "meeting",
        "next_step",
        "job",
        "benefits_planning",
        "employer_contact",
    ] {
        if count(
            tx,
            &format!("{t} WHERE participant_id = $1"),
            &[participant],
        )? > 0
        {
            return Ok(true);
        }
    }
    Ok(false)
}

impl<R: Runner> Corrections for Db<R> {
    fn correction_of(&self, audit_detail: &str) -> Result<Option<String>, StoreError> {
        let Some(seq) = audit_detail
            .strip_prefix("correction ")
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        else {
            return Ok(None);
        };
        self.0.run(false, |tx| {
            let d = texts(
                tx,
                "SELECT detail FROM correction WHERE CAST(seq AS TEXT) = $1",
                &[seq],
            )?
            .pop()
            .and_then(|r| r.into_iter().next().flatten());
            Ok((d, false))
        })
    }

    fn correct(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        target: &Target,
        now: &Row,
        reason: Option<&str>,
    ) -> Result<(), WriteError> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        let action = format!("{}.correct", target.noun());
        write_for(self, actor, reach, participant, &action, |tx, p| {
            let Some(found) = find(tx, p, target)? else {
                return Ok(Err(WriteError::NotFound));
            };
            let after = match (target, now) {
                (Target::Enrolment, Row::Participant(now)) => {
                    corrected_enrolment(tx, p, now)?.map(Row::Participant)
                }
                (Target::Exit, Row::Participant(now)) => {
                    corrected_exit(tx, p, now)?.map(Row::Participant)
                }
                (Target::Enrolment | Target::Exit, _) => Err(mismatch()),
                _ => corrected(tx, p, &found.row, now)?,
            };
            let after = match after {
                Ok(a) => a,
                Err(e) => return Ok(Err(e)),
            };
            // The rules within one record, as for a new one (fika_core).
            let broken = match &after {
                Row::Meeting(x) => x.violations(),
                Row::Goal(x) => x.violations(),
                Row::NextStep(x) => x.violations(),
                Row::Job(x) => x.violations(),
                Row::EmployerContact(x) => x.violations(),
                Row::BenefitsPlanning(x) => x.violations(),
                Row::Participant(x) => x.violations(),
                _ => Vec::new(),
            };
            if let Some(e) = violations_to_error(broken) {
                return Ok(Err(e));
            }
            update(tx, &after, &found.key, &found.key_params)?;
            let d = detail(&found.row, Some(&after), reason);
            Ok(Ok(kept(tx, actor, p.id.as_str(), &action, &d)?))
        })
    }

    fn remove(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        target: &Target,
        reason: &str,
    ) -> Result<(), WriteError> {
        let reason = reason_given(reason)?;
        let action = format!("{}.remove", target.noun());
        write_for(self, actor, reach, participant, &action, |tx, p| {
            let Some(found) = find(tx, p, target)? else {
                return Ok(Err(WriteError::NotFound));
            };
            let b = tx.backend();
            let pid = p.id.as_str();
            let params: Vec<&str> = found.key_params.iter().map(String::as_str).collect();
            let mut d = detail(&found.row, None, Some(reason));
            match target {
                Target::Exit => {
                    let Some(_) = p.exit else {
                        return Ok(Err(rule(
                            "not-exited",
                            "the participant has not left the program",
                        )));
                    };
                    let after = Row::Participant(Participant {
                        exit: None,
                        ..p.clone()
                    });
                    update(tx, &after, &found.key, &found.key_params)?;
                    d = detail(&found.row, Some(&after), Some(reason));
                }
                Target::Enrolment => {
                    if has_records(tx, pid)? {
                        return Ok(Err(rule(
                            "enrolment-has-records",
                            "the participant has meetings, steps, jobs, contacts or benefits \
                             planning: remove those first",
                        )));
                    }
                    // Check-ins are the participant's own words about the support: staff
                    // remove none, so an enrolment that has them is corrected, not removed.
                    if count(tx, "check_in WHERE participant_id = $1", &[pid])? > 0 {
                        return Ok(Err(rule(
                            "enrolment-has-check-ins",
                            "the participant has given check-ins of their own: correct the \
                             enrolment instead",
                        )));
                    }
                    let goals = collect(
                        tx,
                        File::Goals,
                        &records_sql(b, File::Goals, "WHERE r.participant_id = $1 ORDER BY r.seq"),
                        &[pid],
                        Some,
                    )?;
                    d["with"] = Value::Array(goals.iter().map(row_json).collect());
                    for t in ["goal", "planned_meeting", "coach_change", "participant"] {
                        exec(
                            tx,
                            &format!("DELETE FROM {t} WHERE participant_id = $1"),
                            &[pid],
                        )?;
                    }
                }
                _ => {
                    if let Target::Meeting(m) = target {
                        let steps = collect(
                            tx,
                            File::NextSteps,
                            &records_sql(
                                b,
                                File::NextSteps,
                                "WHERE r.meeting_id = $1 ORDER BY r.seq",
                            ),
                            &[m.as_str()],
                            Some,
                        )?;
                        d["with"] = Value::Array(steps.iter().map(row_json).collect());
                        exec(
                            tx,
                            "DELETE FROM next_step WHERE meeting_id = $1",
                            &[m.as_str()],
                        )?;
                    }
                    exec(
                        tx,
                        &format!("DELETE FROM {} WHERE {}", table(target.file()), found.key),
                        &params,
                    )?;
                }
            }
            Ok(Ok(kept(tx, actor, pid, &action, &d)?))
        })
    }

    fn drop_step(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        step: &StepId,
        reason: &str,
    ) -> Result<(), WriteError> {
        let reason = reason_given(reason)?;
        let target = Target::Step(step.clone());
        write_for(
            self,
            actor,
            reach,
            participant,
            "next_step.drop",
            |tx, p| {
                let Some(found) = find(tx, p, &target)? else {
                    return Ok(Err(WriteError::NotFound));
                };
                if let Row::NextStep(s) = &found.row
                    && s.done_on.is_some()
                {
                    return Ok(Err(rule(
                        "step-not-open",
                        format!("next step {step} is done already"),
                    )));
                }
                exec(
                    tx,
                    "DELETE FROM next_step WHERE step_id = $1",
                    &[step.as_str()],
                )?;
                let d = detail(&found.row, None, Some(reason));
                Ok(Ok(kept(tx, actor, p.id.as_str(), "next_step.drop", &d)?))
            },
        )
    }
}
