//! The data subject's access (GDPR Art. 15) and portability (Art. 20): everything fika holds
//! about one participant, read in one transaction with the audit row that says the extract
//! was made (`participant.access_extract`, the request's reference as detail).
//!
//! What it holds is the participant's own: their row, goals with their rewordings, meetings,
//! next steps, employer contacts made by or for them (with the employer's name only), jobs,
//! benefits planning, check-ins (all of them: the participant's own answers), coach history,
//! the next meeting agreed, "I'd like to talk", their accounts and invitations (never a hash),
//! the rectification history (the audit rows `correct` writes, with the record before and
//! after) and every audit row about their record with who (name and role) and when. Of the
//! staff it holds names and roles only; of other participants nothing. A lead reaches it
//! (`Reach::Program`); a coach's reach and a participant's own get `None`, as for a record
//! out of reach. The JSON layout is documented in docs/privacy.md.

use fika_core::check_in::CheckIn;
use fika_core::*;
use serde_json::{Map, Value, json};

use crate::accounts::Role;
use crate::backend::{Backend, Runner, Tx};
use crate::caseload::{Actor, CoachChange, Reach, participant_row, records_sql, within_reach};
use crate::correct::row_json;
use crate::export::{collect, pick};
use crate::participant_view::GoalChange;
use crate::schema::Kind;
use crate::sql::{audit, texts};
use crate::{Db, StoreError};

/// The version of the JSON layout (docs/privacy.md); raised when a field changes meaning.
pub const SCHEMA: &str = "fika-access-extract/1";

/// The audit action of making an extract.
pub const ACTION: &str = "participant.access_extract";

/// The longest request reference kept.
pub const MAX_REFERENCE: usize = 200;

/// Who did something to the record, as the extract names them: a coach by their name, other
/// staff and participants by their login name; rows written by the command line or the
/// import (no account) by what wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub name: String,
    /// `None` for a row written by no account (the command line, an import).
    pub role: Option<Role>,
}

/// One audit row about the record: who, when, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// UTC `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    pub who: Who,
    pub action: String,
}

/// One correction or removal of a record (rectification history), from its audit row.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    pub at: String,
    pub who: Who,
    /// `meeting.correct`, `goal.remove`, `next_step.drop`, …
    pub action: String,
    /// The record before, an object of its interchange columns.
    pub before: Value,
    /// The record after; `null` for a removal.
    pub after: Value,
    /// Records removed with it (a meeting's next steps).
    pub with: Vec<Value>,
    pub reason: Option<String>,
}

impl Correction {
    /// The kind of record (`meeting`, `goal`, …).
    pub fn record(&self) -> &str {
        self.action.split('.').next().unwrap_or_default()
    }

    /// Whether the record was removed (else corrected).
    pub fn removed(&self) -> bool {
        self.after.is_null()
    }

    /// The columns a correction changed: (column, before, after), in column order.
    pub fn changes(&self) -> Vec<(String, Option<String>, Option<String>)> {
        let (Some(before), Some(after)) = (self.before.as_object(), self.after.as_object()) else {
            return Vec::new();
        };
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        before
            .keys()
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| (k.clone(), text(before.get(k)), text(after.get(k))))
            .collect()
    }
}

/// One of the participant's accounts (no password hash, no session).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub login: String,
    pub created_at: String,
    pub disabled_at: Option<String>,
}

/// One invitation to an account (its code is never kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationMade {
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub withdrawn_at: Option<String>,
}

/// Everything fika holds about one participant.
#[derive(Debug, Clone)]
pub struct AccessExtract {
    /// When the extract was made (the audit row's time).
    pub made_at: String,
    pub reference: Option<String>,
    /// The language of the participant's newest account, if they have one.
    pub locale: Option<String>,
    pub participant: Participant,
    pub program: Program,
    /// The coaches their records name (designated, former, at meetings, check-ins and
    /// contacts): ID and name only.
    pub coaches: Vec<(CoachId, String)>,
    pub goals: Vec<Goal>,
    pub goal_changes: Vec<GoalChange>,
    pub meetings: Vec<Meeting>,
    pub next_steps: Vec<NextStep>,
    pub employer_contacts: Vec<EmployerContact>,
    /// The employers of their contacts and jobs: ID and name only.
    pub employers: Vec<(EmployerId, String)>,
    pub jobs: Vec<Job>,
    pub benefits_planning: Vec<BenefitsPlanning>,
    pub check_ins: Vec<CheckIn>,
    pub coach_changes: Vec<CoachChange>,
    pub planned_meeting: Option<Date>,
    /// Days they asked to talk.
    pub talk_requests: Vec<Date>,
    pub accounts: Vec<Account>,
    pub invitations: Vec<InvitationMade>,
    pub corrections: Vec<Correction>,
    /// Every audit row about their record, oldest first, this extract's own included.
    pub log: Vec<Logged>,
}

/// Why an extract could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error(
        "the request's reference is longer than {MAX_REFERENCE} characters or holds a control character; give the reference of the request (e.g. its case number)"
    )]
    BadReference,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The data subject's rights.
pub trait AccessRequests {
    /// Everything held about a participant within a lead's reach, and the audit row of
    /// making it, in one transaction. `None` when the participant does not exist or is out
    /// of reach (a coach's or a participant's reach reaches none).
    fn access_extract(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        reference: Option<&str>,
    ) -> Result<Option<AccessExtract>, AccessError>;
}

/// The reference as kept: trimmed, empty as none.
fn reference(r: Option<&str>) -> Result<Option<String>, AccessError> {
    let Some(r) = r.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    if r.chars().count() > MAX_REFERENCE || r.chars().any(char::is_control) {
        return Err(AccessError::BadReference);
    }
    Ok(Some(r.to_owned()))
}

/// An audit row's time as `YYYY-MM-DDTHH:MM:SSZ` on both backends.
pub(crate) fn at_text(b: Backend, column: &str) -> String {
    match b {
        Backend::Sqlite => column.to_owned(),
        Backend::Postgres => {
            format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
        }
    }
}

fn who(name: Option<String>, login: Option<String>, role: Option<String>, raw: String) -> Who {
    let role = role.as_deref().and_then(Role::parse);
    Who {
        name: name.or(login).unwrap_or(raw),
        role,
    }
}

fn dates(rows: Vec<Vec<Option<String>>>) -> Vec<Date> {
    rows.into_iter()
        .filter_map(|r| parse_date(r[0].as_deref()?).ok())
        .collect()
}

fn read(
    tx: &mut dyn Tx,
    participant: Participant,
    made_at: String,
    reference: Option<String>,
) -> Result<AccessExtract, StoreError> {
    let b = tx.backend();
    let id = participant.id.to_string();
    let p = [id.as_str()];
    let of = |file: File| records_sql(b, file, "WHERE r.participant_id = $1 ORDER BY r.seq");
    let program = collect(
        tx,
        File::Programs,
        &records_sql(b, File::Programs, "WHERE r.program_id = $1"),
        &[participant.program.as_str()],
        pick!(Program),
    )?
    .pop()
    .ok_or_else(|| StoreError::Corrupt("participant without program".into()))?;
    let goals = collect(tx, File::Goals, &of(File::Goals), &p, pick!(Goal))?;
    let meetings = collect(tx, File::Meetings, &of(File::Meetings), &p, pick!(Meeting))?;
    let next_steps = collect(
        tx,
        File::NextSteps,
        &of(File::NextSteps),
        &p,
        pick!(NextStep),
    )?;
    let employer_contacts = collect(
        tx,
        File::EmployerContacts,
        &of(File::EmployerContacts),
        &p,
        pick!(EmployerContact),
    )?;
    let jobs = collect(tx, File::Jobs, &of(File::Jobs), &p, pick!(Job))?;
    let benefits_planning = collect(
        tx,
        File::BenefitsPlanning,
        &of(File::BenefitsPlanning),
        &p,
        pick!(BenefitsPlanning),
    )?;
    let check_ins = collect(tx, File::CheckIns, &of(File::CheckIns), &p, pick!(CheckIn))?;
    let employers = texts(
        tx,
        "SELECT employer_id, name FROM employer WHERE employer_id IN \
         (SELECT employer_id FROM employer_contact WHERE participant_id = $1 \
          UNION SELECT employer_id FROM job WHERE participant_id = $1) ORDER BY employer_id",
        &p,
    )?
    .into_iter()
    .filter_map(|r| Some((EmployerId::parse(r[0].as_deref()?).ok()?, r[1].clone()?)))
    .collect();
    let coaches = texts(
        tx,
        "SELECT coach_id, name FROM coach WHERE coach_id IN \
         (SELECT coach_id FROM participant WHERE participant_id = $1 \
          UNION SELECT from_coach_id FROM coach_change WHERE participant_id = $1 \
          UNION SELECT to_coach_id FROM coach_change WHERE participant_id = $1 \
          UNION SELECT coach_id FROM meeting WHERE participant_id = $1 \
          UNION SELECT coach_id FROM employer_contact WHERE participant_id = $1 \
          UNION SELECT coach_id FROM check_in WHERE participant_id = $1) ORDER BY coach_id",
        &p,
    )?
    .into_iter()
    .filter_map(|r| Some((CoachId::parse(r[0].as_deref()?).ok()?, r[1].clone()?)))
    .collect();
    let goal_changes = crate::participant_view::goal_changes(tx, &id)?;
    let coach_changes = crate::caseload::coach_changes(tx, &id)?;
    let planned_meeting = dates(texts(
        tx,
        &format!(
            "SELECT {} FROM planned_meeting WHERE participant_id = $1",
            b.select_expr(Kind::Date, "date")
        ),
        &p,
    )?)
    .pop();
    let talk_requests = dates(texts(
        tx,
        &format!(
            "SELECT {} FROM talk_request WHERE participant_id = $1 ORDER BY seq",
            b.select_expr(Kind::Date, "on_date")
        ),
        &p,
    )?);
    let account_rows = texts(
        tx,
        "SELECT login, created_at, disabled_at, locale FROM app_user WHERE participant_id = $1 \
         ORDER BY created_at, login",
        &p,
    )?;
    let locale = account_rows.last().and_then(|r| r[3].clone());
    let accounts = account_rows
        .into_iter()
        .filter_map(|r| {
            Some(Account {
                login: r[0].clone()?,
                created_at: r[1].clone()?,
                disabled_at: r[2].clone(),
            })
        })
        .collect();
    let invitations = texts(
        tx,
        "SELECT created_at, expires_at, used_at, withdrawn_at FROM invitation \
         WHERE participant_id = $1 ORDER BY created_at, invitation_id",
        &p,
    )?
    .into_iter()
    .filter_map(|r| {
        Some(InvitationMade {
            created_at: r[0].clone()?,
            expires_at: r[1].clone()?,
            used_at: r[2].clone(),
            withdrawn_at: r[3].clone(),
        })
    })
    .collect();
    // Who: a coach by name, other accounts by login; no other staff column leaves.
    let rows = texts(
        tx,
        &format!(
            "SELECT {}, a.action, COALESCE(a.detail, ''), a.who, u.login, u.role, c.name FROM audit a \
             LEFT JOIN app_user u ON u.user_id = a.who LEFT JOIN coach c ON c.coach_id = u.coach_id \
             WHERE a.participant_id = $1 ORDER BY a.seq",
            at_text(b, "a.at")
        ),
        &p,
    )?;
    let mut log = Vec::with_capacity(rows.len());
    let mut corrections = Vec::new();
    for r in rows {
        let mut r = r.into_iter();
        let mut next = || r.next().flatten();
        let (Some(at), Some(action), detail, Some(raw)) = (next(), next(), next(), next()) else {
            return Err(StoreError::Corrupt("audit row".into()));
        };
        let (login, role, name) = (next(), next(), next());
        let who = who(name, login, role, raw);
        // Audit rows written before migration 0018 hold the correction itself.
        let rectifies = action.ends_with(".correct")
            || action.ends_with(".remove")
            || action == "next_step.drop";
        if rectifies && let Some(c) = correction(&at, &who, &action, detail.as_deref()) {
            corrections.push(c);
        }
        log.push(Logged { at, who, action });
    }
    // Since migration 0018 a correction is kept apart from the audit log (store/src/correct.rs).
    let rows = texts(
        tx,
        "SELECT x.at, x.action, x.detail, x.who, u.login, u.role, c.name FROM correction x \
         LEFT JOIN app_user u ON u.user_id = x.who LEFT JOIN coach c ON c.coach_id = u.coach_id \
         WHERE x.participant_id = $1 ORDER BY x.seq",
        &p,
    )?;
    for r in rows {
        let mut r = r.into_iter();
        let mut next = || r.next().flatten();
        let (Some(at), Some(action), detail, Some(raw)) = (next(), next(), next(), next()) else {
            return Err(StoreError::Corrupt("correction row".into()));
        };
        let (login, role, name) = (next(), next(), next());
        let who = who(name, login, role, raw);
        if let Some(c) = correction(&at, &who, &action, detail.as_deref()) {
            corrections.push(c);
        }
    }
    Ok(AccessExtract {
        made_at,
        reference,
        locale,
        participant,
        program,
        coaches,
        goals,
        goal_changes,
        meetings,
        next_steps,
        employer_contacts,
        employers,
        jobs,
        benefits_planning,
        check_ins,
        coach_changes,
        planned_meeting,
        talk_requests,
        accounts,
        invitations,
        corrections,
        log,
    })
}

/// A correction from its JSON (`{"before", "after", "with", "reason"}`).
fn correction(at: &str, who: &Who, action: &str, detail: Option<&str>) -> Option<Correction> {
    let Value::Object(d) = serde_json::from_str(detail?).ok()? else {
        return None;
    };
    Some(Correction {
        at: at.to_owned(),
        who: who.clone(),
        action: action.to_owned(),
        before: d.get("before").cloned().unwrap_or(Value::Null),
        after: d.get("after").cloned().unwrap_or(Value::Null),
        with: d
            .get("with")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        reason: d.get("reason").and_then(Value::as_str).map(str::to_owned),
    })
}

impl<R: Runner> AccessRequests for Db<R> {
    fn access_extract(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        reference_given: Option<&str>,
    ) -> Result<Option<AccessExtract>, AccessError> {
        let reference = reference(reference_given)?;
        // A request is answered for the program that holds the record (a lead, or the
        // command line acting for the program).
        if !matches!(reach, Reach::Program(_)) {
            return Ok(None);
        }
        Ok(self.0.run(true, |tx| {
            if !within_reach(tx, reach, participant.as_str())? {
                return Ok((None, false));
            }
            let Some(p) = participant_row(tx, participant.as_str())? else {
                return Ok((None, false));
            };
            // Written first, so that the extract's own log holds it.
            audit(
                tx,
                &actor.user,
                &actor.at,
                ACTION,
                Some(participant.as_str()),
                reference.as_deref().unwrap_or(""),
            )?;
            let extract = read(tx, p, actor.at.clone(), reference.clone())?;
            Ok((Some(extract), true))
        })?)
    }
}

fn opt<T: ToString>(v: &Option<T>) -> Value {
    v.as_ref()
        .map_or(Value::Null, |v| Value::String(v.to_string()))
}

fn who_json(w: &Who) -> Value {
    json!({
        "name": w.name,
        "role": w.role.map_or(Value::Null, |r| Value::String(r.as_str().to_owned())),
    })
}

impl AccessExtract {
    /// The extract as JSON (docs/privacy.md, "The JSON of an access extract"). Records are
    /// objects of their interchange columns, as text (`null` when empty), as in
    /// INTERCHANGE.md.
    pub fn to_json(&self) -> Value {
        let rows = |v: Vec<Row>| Value::Array(v.iter().map(row_json).collect());
        let mut m = Map::new();
        m.insert("schema".into(), SCHEMA.into());
        m.insert("made_at".into(), self.made_at.clone().into());
        m.insert("reference".into(), opt(&self.reference));
        m.insert(
            "participant".into(),
            row_json(&Row::Participant(self.participant.clone())),
        );
        m.insert(
            "program".into(),
            row_json(&Row::Program(self.program.clone())),
        );
        m.insert(
            "coaches".into(),
            self.coaches
                .iter()
                .map(|(id, name)| json!({"coach_id": id.as_str(), "name": name}))
                .collect(),
        );
        m.insert(
            "goals".into(),
            rows(self.goals.iter().cloned().map(Row::Goal).collect()),
        );
        m.insert(
            "goal_changes".into(),
            self.goal_changes
                .iter()
                .map(|c| {
                    json!({
                        "goal_id": c.goal.as_str(),
                        "old_text": c.old_text,
                        "new_text": c.new_text,
                        "changed_at": c.changed_at,
                        "by_participant": c.by_participant,
                    })
                })
                .collect(),
        );
        m.insert(
            "meetings".into(),
            rows(self.meetings.iter().cloned().map(Row::Meeting).collect()),
        );
        m.insert(
            "next_steps".into(),
            rows(self.next_steps.iter().cloned().map(Row::NextStep).collect()),
        );
        m.insert(
            "employer_contacts".into(),
            rows(
                self.employer_contacts
                    .iter()
                    .cloned()
                    .map(Row::EmployerContact)
                    .collect(),
            ),
        );
        m.insert(
            "employers".into(),
            self.employers
                .iter()
                .map(|(id, name)| json!({"employer_id": id.as_str(), "name": name}))
                .collect(),
        );
        m.insert(
            "jobs".into(),
            rows(self.jobs.iter().cloned().map(Row::Job).collect()),
        );
        m.insert(
            "benefits_planning".into(),
            rows(
                self.benefits_planning
                    .iter()
                    .cloned()
                    .map(Row::BenefitsPlanning)
                    .collect(),
            ),
        );
        m.insert(
            "check_ins".into(),
            rows(self.check_ins.iter().cloned().map(Row::CheckIn).collect()),
        );
        m.insert(
            "coach_changes".into(),
            self.coach_changes
                .iter()
                .map(|c| {
                    json!({
                        "from_coach_id": c.from.as_str(),
                        "to_coach_id": c.to.as_str(),
                        "on": c.on.to_string(),
                    })
                })
                .collect(),
        );
        m.insert("planned_meeting".into(), opt(&self.planned_meeting));
        m.insert(
            "talk_requests".into(),
            self.talk_requests
                .iter()
                .map(|d| Value::String(d.to_string()))
                .collect(),
        );
        m.insert(
            "accounts".into(),
            self.accounts
                .iter()
                .map(|a| {
                    json!({
                        "login": a.login,
                        "created_at": a.created_at,
                        "disabled_at": a.disabled_at,
                    })
                })
                .collect(),
        );
        m.insert(
            "invitations".into(),
            self.invitations
                .iter()
                .map(|i| {
                    json!({
                        "created_at": i.created_at,
                        "expires_at": i.expires_at,
                        "used_at": i.used_at,
                        "withdrawn_at": i.withdrawn_at,
                    })
                })
                .collect(),
        );
        m.insert(
            "corrections".into(),
            self.corrections
                .iter()
                .map(|c| {
                    json!({
                        "at": c.at,
                        "by": who_json(&c.who),
                        "action": c.action,
                        "record": c.record(),
                        "before": c.before,
                        "after": c.after,
                        "with": c.with,
                        "reason": c.reason,
                    })
                })
                .collect(),
        );
        m.insert(
            "audit_log".into(),
            self.log
                .iter()
                .map(|l| json!({"at": l.at, "by": who_json(&l.who), "action": l.action}))
                .collect(),
        );
        Value::Object(m)
    }

    /// A coach's name by ID (their ID when the register has none).
    pub fn coach_name(&self, id: &CoachId) -> String {
        self.coaches
            .iter()
            .find(|(c, _)| c == id)
            .map_or_else(|| id.to_string(), |(_, n)| n.clone())
    }

    /// An employer's name by ID.
    pub fn employer_name(&self, id: &EmployerId) -> String {
        self.employers
            .iter()
            .find(|(e, _)| e == id)
            .map_or_else(|| id.to_string(), |(_, n)| n.clone())
    }
}
