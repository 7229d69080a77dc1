//! The participant records as the web app reads and writes them, with access decided inside
//! the same transaction as the data and an audit row written beside every read and write.
//!
//! Access: a [`Reach`] says whose records a user may see. A participant outside the reach
//! and a participant that does not exist give the same answer ([`WriteError::NotFound`] or
//! `None`), so that a probe learns nothing. Every method that touches a participant's record
//! writes one audit row (who, when, what, which participant) in its own transaction; when
//! the write fails, the audit row goes with it.

use fika_core::*;

use crate::backend::{Backend, Runner, Tx};
use crate::export::{collect, pick, select_list};
use crate::register::{StandIn, stand_ins_where};
use crate::schema::{Kind, table};
use crate::sql::{audit, count, exec, insert, param, texts};
use crate::{Db, StoreError};

/// Who is acting, and when: what the audit row records.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user's ID.
    pub user: String,
    /// UTC time `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
}

/// Whose participant records a user may see and change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// A coach: their own caseload and those of the coaches they stand in for on `on`.
    Coach { coach: CoachId, on: Date },
    /// A lead: every participant of the program.
    Program(ProgramId),
    /// A participant: their own record and nothing else.
    Own(ParticipantId),
}

impl Reach {
    /// A condition on `p` (a participant row) and the parameters it needs, numbered from
    /// `$first`.
    pub(crate) fn condition(&self, b: Backend, first: usize) -> (String, Vec<String>) {
        match self {
            Reach::Coach { coach, on } => {
                let c = format!("${first}");
                let d = param(b, Kind::Date, first + 1);
                (
                    // The coach's own caseload and those they stand in for on the day, as
                    // a list of coaches: an index lookup per coach, where an OR with EXISTS
                    // would read every participant in the database.
                    format!(
                        "p.coach_id IN (SELECT CAST({c} AS TEXT) UNION SELECT s.coach_id \
                         FROM stand_in s WHERE s.stand_in_coach_id = {c} \
                         AND s.from_on <= {d} AND {d} <= s.to_on)"
                    ),
                    vec![coach.to_string(), on.to_string()],
                )
            }
            Reach::Program(p) => (format!("p.program_id = ${first}"), vec![p.to_string()]),
            Reach::Own(p) => (format!("p.participant_id = ${first}"), vec![p.to_string()]),
        }
    }

    pub(crate) fn describe(&self) -> String {
        match self {
            Reach::Coach { coach, .. } => format!("caseload of coach {coach}"),
            Reach::Program(p) => format!("program {p}"),
            Reach::Own(p) => format!("participant {p}"),
        }
    }
}

/// Why a write was refused. Nothing was written, not even an audit row.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// No such participant or record, or none within the user's reach.
    #[error("not found")]
    NotFound,
    /// The values break a rule of the records. Every rule has a stable name, so that the web
    /// can say it in the user's language (message key `rule-{rule}`); `text` says it in
    /// English. The rules within one record are `fika_core`'s ([`Violation::rule`]).
    #[error("{text}")]
    Rule { rule: &'static str, text: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How far back a caseload's meetings go: the follow-along schedule of METRICS.md V12 ends
/// 28 days after a job starts, and the day asks about jobs that ended up to 3 days ago.
/// Older meetings count only through [`Caseload::last_met`].
pub const RECENT_MEETING_DAYS: u64 = 42;

/// The participants within a reach, active on a day, with what the day view needs.
#[derive(Debug, Clone, Default)]
pub struct Caseload {
    pub participants: Vec<Participant>,
    pub coaches: Vec<Coach>,
    /// Meetings dated [`RECENT_MEETING_DAYS`] before today or later.
    pub meetings: Vec<Meeting>,
    /// Each participant's latest meeting on or before today since enrolment, if any.
    pub last_met: Vec<(ParticipantId, Date)>,
    /// Open next steps (not done).
    pub open_steps: Vec<NextStep>,
    /// For each participant, one face-to-face employer contact made by or for them since
    /// enrolment, if there is one: whether there is one is all the day asks.
    pub employer_contacts: Vec<EmployerContact>,
    pub jobs: Vec<Job>,
    /// The next meeting agreed with each participant that has one.
    pub planned: Vec<(ParticipantId, Date)>,
    /// Employer contacts the coach made from `since` on (only for a coach's reach).
    pub coach_contacts: Vec<EmployerContact>,
}

/// One change of designated coach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachChange {
    pub from: CoachId,
    pub to: CoachId,
    pub on: Date,
}

/// Everything about one participant, for their page.
#[derive(Debug, Clone)]
pub struct ParticipantRecord {
    pub participant: Participant,
    pub coach: Coach,
    pub goals: Vec<Goal>,
    pub meetings: Vec<Meeting>,
    pub next_steps: Vec<NextStep>,
    pub employer_contacts: Vec<EmployerContact>,
    pub employers: Vec<Employer>,
    pub jobs: Vec<Job>,
    pub benefits_planning: Vec<BenefitsPlanning>,
    pub planned: Option<Date>,
    pub coach_changes: Vec<CoachChange>,
    /// Coaches standing in for the designated coach on the day asked about.
    pub stand_ins: Vec<StandIn>,
    /// Goal rewordings, check-ins and "I'd like to talk" (`participant_view`).
    pub extras: crate::participant_view::RecordExtras,
}

/// A meeting with what was agreed at it.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub meeting: Meeting,
    pub steps: Vec<NextStep>,
    /// Open steps of this participant ticked off at the meeting (done on the meeting's day).
    pub done: Vec<StepId>,
    /// The next meeting agreed, if any.
    pub next_meeting: Option<Date>,
}

/// The participant records, with access checks and audit.
pub trait Records {
    /// The caseload within `reach` active on `today` (audited once, as `caseload.read`).
    fn caseload(
        &self,
        actor: &Actor,
        reach: &Reach,
        today: Date,
        contacts_since: Date,
    ) -> Result<Caseload, StoreError>;

    /// One participant's record (audited as `participant.read`), or `None` when out of reach.
    fn participant(
        &self,
        actor: &Actor,
        reach: &Reach,
        id: &ParticipantId,
        today: Date,
    ) -> Result<Option<ParticipantRecord>, StoreError>;

    fn record_meeting(
        &self,
        actor: &Actor,
        reach: &Reach,
        m: &NewMeeting,
    ) -> Result<(), WriteError>;

    /// Agrees the next meeting with a participant (replacing any planned before).
    fn plan_meeting(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        on: Date,
    ) -> Result<(), WriteError>;

    /// Marks an open next step done.
    fn complete_step(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        step: &StepId,
        on: Date,
    ) -> Result<(), WriteError>;

    /// An employer contact; one made for a participant must be within reach.
    fn record_employer_contact(
        &self,
        actor: &Actor,
        reach: &Reach,
        contact: &EmployerContact,
    ) -> Result<(), WriteError>;

    fn record_job(&self, actor: &Actor, reach: &Reach, job: &Job) -> Result<(), WriteError>;

    /// A new participant on a caseload within reach (a coach enrols onto their own caseload,
    /// a lead onto any coach of their program), with their first goal if they gave one.
    fn enrol(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &Participant,
        goal: Option<&Goal>,
    ) -> Result<(), WriteError>;

    /// One of the participant's goals, in their own words.
    fn add_goal(&self, actor: &Actor, reach: &Reach, goal: &Goal) -> Result<(), WriteError>;

    fn end_job(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        job: &JobId,
        ended_on: Date,
        reason: EndReason,
    ) -> Result<(), WriteError>;

    fn record_benefits_planning(
        &self,
        actor: &Actor,
        reach: &Reach,
        b: &BenefitsPlanning,
    ) -> Result<(), WriteError>;

    /// Makes `to` the designated coach from `on`, keeping the change as history.
    fn change_coach(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        to: &CoachId,
        on: Date,
    ) -> Result<(), WriteError>;

    /// The participant leaves the program: `exit.on` is their last day on the caseload
    /// (audited as `participant.exit`). Refused when they have left already, and by the
    /// rules of INTERCHANGE.md that an exit date must keep: on or after `enrolled_on`, and
    /// every meeting within the enrolment.
    fn record_exit(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        exit: Exit,
    ) -> Result<(), WriteError>;

    /// Undoes an exit recorded by mistake (audited as `participant.reopen`, with the exit
    /// that was undone in the detail); refused when the participant has not left.
    fn reopen(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
    ) -> Result<(), WriteError>;
}

/// `SELECT <record columns> FROM <table> r <rest>`.
pub(crate) fn records_sql(b: Backend, file: File, rest: &str) -> String {
    format!(
        "SELECT {} FROM {} r {rest}",
        select_list(b, file, "r"),
        table(file)
    )
}

/// Whether participant `id` is within `reach` (and exists).
pub(crate) fn within_reach(tx: &mut dyn Tx, reach: &Reach, id: &str) -> Result<bool, StoreError> {
    let (cond, params) = reach.condition(tx.backend(), 2);
    let mut all: Vec<&str> = vec![id];
    all.extend(params.iter().map(String::as_str));
    Ok(count(
        tx,
        &format!("participant p WHERE p.participant_id = $1 AND {cond}"),
        &all,
    )? > 0)
}

pub(crate) fn participant_row(
    tx: &mut dyn Tx,
    id: &str,
) -> Result<Option<Participant>, StoreError> {
    let sql = records_sql(
        tx.backend(),
        File::Participants,
        "WHERE r.participant_id = $1",
    );
    Ok(collect(tx, File::Participants, &sql, &[id], pick!(Participant))?.pop())
}

/// A participant's changes of designated coach, in the order made.
pub(crate) fn coach_changes(tx: &mut dyn Tx, id: &str) -> Result<Vec<CoachChange>, StoreError> {
    let sql = format!(
        "SELECT from_coach_id, to_coach_id, {} FROM coach_change WHERE participant_id = $1 ORDER BY seq",
        tx.backend().select_expr(Kind::Date, "on_date")
    );
    Ok(texts(tx, &sql, &[id])?
        .into_iter()
        .filter_map(|r| {
            Some(CoachChange {
                from: CoachId::parse(r[0].as_deref()?).ok()?,
                to: CoachId::parse(r[1].as_deref()?).ok()?,
                on: parse_date(r[2].as_deref()?).ok()?,
            })
        })
        .collect())
}

/// One participant's record within `reach`, with its audit row (`action`, `detail`) in the
/// same transaction; `None` when out of reach. A read of a restricted record states its
/// reason in the detail (store/src/restrict.rs).
pub(crate) fn read_participant<R: Runner>(
    db: &Db<R>,
    actor: &Actor,
    reach: &Reach,
    id: &ParticipantId,
    today: Date,
    action: &str,
    detail: &str,
) -> Result<Option<ParticipantRecord>, StoreError> {
    db.0.run(true, |tx| {
        let b = tx.backend();
        if !within_reach(tx, reach, id.as_str())? {
            return Ok((None, false));
        }
        let Some(participant) = participant_row(tx, id.as_str())? else {
            return Ok((None, false));
        };
        let p = [id.as_str()];
        let of = |file: File| records_sql(b, file, "WHERE r.participant_id = $1 ORDER BY r.seq");
        let coach = collect(
            tx,
            File::Coaches,
            &records_sql(b, File::Coaches, "WHERE r.coach_id = $1"),
            &[participant.coach.as_str()],
            pick!(Coach),
        )?
        .pop()
        .ok_or_else(|| StoreError::Corrupt("participant without coach".into()))?;
        let goals = collect(tx, File::Goals, &of(File::Goals), &p, pick!(Goal))?;
        let meetings = collect(tx, File::Meetings, &of(File::Meetings), &p, pick!(Meeting))?;
        let next_steps = collect(tx, File::NextSteps, &of(File::NextSteps), &p, pick!(NextStep))?;
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
        let employers = collect(
            tx,
            File::Employers,
            &records_sql(
                b,
                File::Employers,
                "WHERE r.employer_id IN (SELECT employer_id FROM employer_contact WHERE participant_id = $1 \
                 UNION SELECT employer_id FROM job WHERE participant_id = $1)",
            ),
            &p,
            pick!(Employer),
        )?;
        let planned = texts(
            tx,
            &format!(
                "SELECT {} FROM planned_meeting r WHERE r.participant_id = $1",
                b.select_expr(Kind::Date, "r.date")
            ),
            &p,
        )?
        .first()
        .and_then(|r| r[0].as_deref().and_then(|s| parse_date(s).ok()));
        let coach_changes = coach_changes(tx, id.as_str())?;
        let stand_ins = stand_ins_where(
            tx,
            &format!(
                "s.coach_id = $1 AND s.to_on >= {}",
                param(b, Kind::Date, 2)
            ),
            &[participant.coach.as_str(), &today.to_string()],
        )?;
        let extras = crate::participant_view::extras(tx, reach, id)?;
        audit(tx, &actor.user, &actor.at, action, Some(id.as_str()), detail)?;
        Ok((
            Some(ParticipantRecord {
                participant,
                coach,
                goals,
                meetings,
                next_steps,
                employer_contacts,
                employers,
                jobs,
                benefits_planning,
                planned,
                coach_changes,
                stand_ins,
                extras,
            }),
            true,
        ))
    })
}

/// Runs a write on a participant's record: checks the reach, does `work`, writes the audit
/// row, all in one transaction; commits only if everything succeeded.
pub(crate) fn write_for<R: Runner>(
    db: &Db<R>,
    actor: &Actor,
    reach: &Reach,
    participant: &ParticipantId,
    action: &str,
    work: impl FnOnce(&mut dyn Tx, &Participant) -> Result<Result<String, WriteError>, StoreError>,
) -> Result<(), WriteError> {
    db.0.run(true, |tx| {
        if !within_reach(tx, reach, participant.as_str())? {
            return Ok((Err(WriteError::NotFound), false));
        }
        let Some(p) = participant_row(tx, participant.as_str())? else {
            return Ok((Err(WriteError::NotFound), false));
        };
        if !crate::restrict::allowed_while_restricted(reach, action)
            && crate::restrict::is_restricted(tx, participant.as_str())?
        {
            return Ok((
                Err(WriteError::Rule {
                    rule: "record-restricted",
                    text: "the record is restricted (GDPR Art. 18): nothing new is recorded \
                           until the restriction is lifted; corrections and the exit still are"
                        .into(),
                }),
                false,
            ));
        }
        let detail = match work(tx, &p)? {
            Ok(d) => d,
            Err(e) => return Ok((Err(e), false)),
        };
        audit(
            tx,
            &actor.user,
            &actor.at,
            action,
            Some(participant.as_str()),
            &detail,
        )?;
        Ok((Ok(()), true))
    })?
}

/// The first rule within a record that is broken, by its stable name; the English text
/// names the column as the import's reports do.
pub(crate) fn violations_to_error(v: Vec<Violation>) -> Option<WriteError> {
    v.first().map(|v| WriteError::Rule {
        rule: v.rule,
        text: format!("{}: {}", v.column, v.reason),
    })
}

/// A job or an employer contact names an employer of the register: one that is not there
/// (a form changed by hand, or an employer removed meanwhile) is refused by name, not left
/// to the foreign key.
fn employer_exists(tx: &mut dyn Tx, employer: &EmployerId) -> Result<(), WriteError> {
    if count(tx, "employer WHERE employer_id = $1", &[employer.as_str()])? == 0 {
        return Err(WriteError::Rule {
            rule: "employer-unknown",
            text: format!("employer_id: there is no employer {employer} in the register"),
        });
    }
    Ok(())
}

/// INTERCHANGE.md: a meeting (and a job's start) falls within the enrolment.
pub(crate) fn within_enrolment(p: &Participant, d: Date, what: &str) -> Result<(), WriteError> {
    if d < p.enrolled_on || p.exited_on().is_some_and(|e| d > e) {
        return Err(WriteError::Rule {
            rule: "outside-enrolment",
            text: format!(
                "{what} {d} is outside the enrolment (from {})",
                p.enrolled_on
            ),
        });
    }
    Ok(())
}

impl<R: Runner> Records for Db<R> {
    fn caseload(
        &self,
        actor: &Actor,
        reach: &Reach,
        today: Date,
        contacts_since: Date,
    ) -> Result<Caseload, StoreError> {
        let read =
            |tx: &mut dyn Tx| crate::day::read_caseload(tx, actor, reach, today, contacts_since);
        match self.0.backend() {
            // One statement, the audit row with it (see `day`).
            Backend::Postgres => self.0.run_one(true, read),
            Backend::Sqlite => self.0.run(true, |tx| Ok((read(tx)?, true))),
        }
    }

    fn participant(
        &self,
        actor: &Actor,
        reach: &Reach,
        id: &ParticipantId,
        today: Date,
    ) -> Result<Option<ParticipantRecord>, StoreError> {
        read_participant(self, actor, reach, id, today, "participant.read", "")
    }

    fn record_meeting(
        &self,
        actor: &Actor,
        reach: &Reach,
        m: &NewMeeting,
    ) -> Result<(), WriteError> {
        let meeting = &m.meeting;
        write_for(
            self,
            actor,
            reach,
            &meeting.participant,
            "meeting.record",
            |tx, p| {
                if let Err(e) = within_enrolment(p, meeting.date, "the meeting date") {
                    return Ok(Err(e));
                }
                if let Some(e) = violations_to_error(meeting.violations()) {
                    return Ok(Err(e));
                }
                insert(tx, &Row::Meeting(meeting.clone()))?;
                for step in &m.steps {
                    if let Some(e) = violations_to_error(step.violations()) {
                        return Ok(Err(e));
                    }
                    insert(tx, &Row::NextStep(step.clone()))?;
                }
                let b = tx.backend();
                let on = meeting.date.to_string();
                for done in &m.done {
                    let changed = exec(
                        tx,
                        &format!(
                            "UPDATE next_step SET done_on = {} WHERE step_id = $2 AND participant_id = $3 \
                         AND done_on IS NULL AND agreed_on <= {} RETURNING CAST(1 AS TEXT)",
                            param(b, Kind::Date, 1),
                            param(b, Kind::Date, 1)
                        ),
                        &[&on, done.as_str(), meeting.participant.as_str()],
                    )?;
                    if changed == 0 {
                        return Ok(Err(WriteError::Rule {
                            rule: "step-not-open",
                            text: format!(
                                "next step {done} is not an open step of this participant"
                            ),
                        }));
                    }
                }
                exec(
                    tx,
                    "DELETE FROM planned_meeting WHERE participant_id = $1",
                    &[meeting.participant.as_str()],
                )?;
                if let Some(next) = m.next_meeting {
                    exec(
                        tx,
                        &format!(
                            "INSERT INTO planned_meeting (participant_id, date) VALUES ($1, {})",
                            param(b, Kind::Date, 2)
                        ),
                        &[meeting.participant.as_str(), &next.to_string()],
                    )?;
                }
                let mut detail = format!("meeting {}", meeting.id);
                for s in &m.steps {
                    detail.push_str(&format!("; step {} added", s.id));
                }
                for d in &m.done {
                    detail.push_str(&format!("; step {d} done"));
                }
                if let Some(next) = m.next_meeting {
                    detail.push_str(&format!("; next meeting {next}"));
                }
                Ok(Ok(detail))
            },
        )
    }

    fn plan_meeting(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        on: Date,
    ) -> Result<(), WriteError> {
        write_for(
            self,
            actor,
            reach,
            participant,
            "planned_meeting.set",
            |tx, _| {
                let b = tx.backend();
                exec(
                    tx,
                    "DELETE FROM planned_meeting WHERE participant_id = $1",
                    &[participant.as_str()],
                )?;
                exec(
                    tx,
                    &format!(
                        "INSERT INTO planned_meeting (participant_id, date) VALUES ($1, {})",
                        param(b, Kind::Date, 2)
                    ),
                    &[participant.as_str(), &on.to_string()],
                )?;
                Ok(Ok(format!("next meeting {on}")))
            },
        )
    }

    fn complete_step(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        step: &StepId,
        on: Date,
    ) -> Result<(), WriteError> {
        write_for(
            self,
            actor,
            reach,
            participant,
            "next_step.done",
            |tx, _| {
                let b = tx.backend();
                let changed = exec(
                    tx,
                    &format!(
                        "UPDATE next_step SET done_on = CASE WHEN agreed_on > {d} THEN agreed_on ELSE {d} END \
                     WHERE step_id = $2 AND participant_id = $3 AND done_on IS NULL RETURNING CAST(1 AS TEXT)",
                        d = param(b, Kind::Date, 1)
                    ),
                    &[&on.to_string(), step.as_str(), participant.as_str()],
                )?;
                Ok(if changed == 0 {
                    Err(WriteError::NotFound)
                } else {
                    Ok(format!("step {step}"))
                })
            },
        )
    }

    fn record_employer_contact(
        &self,
        actor: &Actor,
        reach: &Reach,
        contact: &EmployerContact,
    ) -> Result<(), WriteError> {
        let detail = format!("contact {} with employer {}", contact.id, contact.employer);
        match contact.by.participant() {
            Some(p) => write_for(self, actor, reach, p, "employer_contact.record", |tx, _| {
                if let Err(e) = employer_exists(tx, &contact.employer) {
                    return Ok(Err(e));
                }
                insert(tx, &Row::EmployerContact(contact.clone()))?;
                Ok(Ok(detail))
            }),
            None => self.0.run(true, |tx| {
                if let Err(e) = employer_exists(tx, &contact.employer) {
                    return Ok((Err(e), false));
                }
                insert(tx, &Row::EmployerContact(contact.clone()))?;
                audit(
                    tx,
                    &actor.user,
                    &actor.at,
                    "employer_contact.record",
                    None,
                    &detail,
                )?;
                Ok((Ok(()), true))
            })?,
        }
    }

    fn record_job(&self, actor: &Actor, reach: &Reach, job: &Job) -> Result<(), WriteError> {
        write_for(
            self,
            actor,
            reach,
            &job.participant,
            "job.record",
            |tx, p| {
                if let Some(e) = violations_to_error(job.violations()) {
                    return Ok(Err(e));
                }
                if let Some(employer) = &job.employer
                    && let Err(e) = employer_exists(tx, employer)
                {
                    return Ok(Err(e));
                }
                if job.started_on < p.enrolled_on {
                    return Ok(Err(WriteError::Rule {
                        rule: "job-before-enrolment",
                        text: format!("a job starts on or after the enrolment ({})", p.enrolled_on),
                    }));
                }
                insert(tx, &Row::Job(job.clone()))?;
                Ok(Ok(format!(
                    "job {} ({}) from {}",
                    job.id, job.kind, job.started_on
                )))
            },
        )
    }

    fn enrol(
        &self,
        actor: &Actor,
        reach: &Reach,
        p: &Participant,
        goal: Option<&Goal>,
    ) -> Result<(), WriteError> {
        if let Some(e) = violations_to_error(p.violations()) {
            return Err(e);
        }
        let allowed = match reach {
            Reach::Coach { coach, .. } => &p.coach == coach,
            Reach::Program(program) => &p.program == program,
            Reach::Own(_) => false,
        };
        if !allowed {
            return Err(WriteError::NotFound);
        }
        self.0.run(true, |tx| {
            if count(
                tx,
                "coach WHERE coach_id = $1 AND program_id = $2",
                &[p.coach.as_str(), p.program.as_str()],
            )? == 0
            {
                return Ok((Err(WriteError::NotFound), false));
            }
            insert(tx, &Row::Participant(p.clone()))?;
            if let Some(g) = goal {
                insert(tx, &Row::Goal(g.clone()))?;
            }
            audit(
                tx,
                &actor.user,
                &actor.at,
                "participant.enrol",
                Some(p.id.as_str()),
                &format!("on the caseload of {} from {}", p.coach, p.enrolled_on),
            )?;
            Ok((Ok(()), true))
        })?
    }

    fn add_goal(&self, actor: &Actor, reach: &Reach, goal: &Goal) -> Result<(), WriteError> {
        write_for(
            self,
            actor,
            reach,
            &goal.participant,
            "goal.add",
            |tx, _| {
                if goal.text.trim().is_empty() {
                    return Ok(Err(WriteError::Rule {
                        rule: "goal-empty",
                        text: "write the goal as they put it".into(),
                    }));
                }
                if let Some(e) = violations_to_error(goal.violations()) {
                    return Ok(Err(e));
                }
                insert(tx, &Row::Goal(goal.clone()))?;
                Ok(Ok(format!("goal {}", goal.id)))
            },
        )
    }

    fn end_job(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        job: &JobId,
        ended_on: Date,
        reason: EndReason,
    ) -> Result<(), WriteError> {
        write_for(self, actor, reach, participant, "job.end", |tx, _| {
            let b = tx.backend();
            let changed = exec(
                tx,
                &format!(
                    "UPDATE job SET ended_on = {d}, end_reason = $2 WHERE job_id = $3 AND participant_id = $4 \
                     AND ended_on IS NULL AND started_on <= {d} RETURNING CAST(1 AS TEXT)",
                    d = param(b, Kind::Date, 1)
                ),
                &[
                    &ended_on.to_string(),
                    reason.as_str(),
                    job.as_str(),
                    participant.as_str(),
                ],
            )?;
            Ok(if changed == 0 {
                Err(WriteError::Rule {
                    rule: "job-end",
                    text: "the job has ended already, or the end is before its start".into(),
                })
            } else {
                Ok(format!("job {job} ended {ended_on} ({reason})"))
            })
        })
    }

    fn record_benefits_planning(
        &self,
        actor: &Actor,
        reach: &Reach,
        bp: &BenefitsPlanning,
    ) -> Result<(), WriteError> {
        write_for(
            self,
            actor,
            reach,
            &bp.participant,
            "benefits_planning.record",
            |tx, _| {
                insert(tx, &Row::BenefitsPlanning(bp.clone()))?;
                Ok(Ok(format!("{} on {}", bp.status, bp.date)))
            },
        )
    }

    fn change_coach(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        to: &CoachId,
        on: Date,
    ) -> Result<(), WriteError> {
        write_for(self, actor, reach, participant, "coach.change", |tx, p| {
            if &p.coach == to {
                return Ok(Err(WriteError::Rule {
                    rule: "same-coach",
                    text: format!("{to} is already the designated coach"),
                }));
            }
            if count(
                tx,
                "coach WHERE coach_id = $1 AND program_id = $2",
                &[to.as_str(), p.program.as_str()],
            )? == 0
            {
                return Ok(Err(WriteError::Rule {
                    rule: "coach-other-program",
                    text: format!("{to} is not a coach of program {}", p.program),
                }));
            }
            let b = tx.backend();
            exec(
                tx,
                &format!(
                    "INSERT INTO coach_change (participant_id, from_coach_id, to_coach_id, on_date, changed_by) \
                     VALUES ($1, $2, $3, {}, $5)",
                    param(b, Kind::Date, 4)
                ),
                &[
                    p.id.as_str(),
                    p.coach.as_str(),
                    to.as_str(),
                    &on.to_string(),
                    &actor.user,
                ],
            )?;
            exec(
                tx,
                "UPDATE participant SET coach_id = $1 WHERE participant_id = $2",
                &[to.as_str(), p.id.as_str()],
            )?;
            Ok(Ok(format!("designated coach {} → {to} from {on}", p.coach)))
        })
    }
    fn record_exit(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        exit: Exit,
    ) -> Result<(), WriteError> {
        write_for(
            self,
            actor,
            reach,
            participant,
            "participant.exit",
            |tx, p| {
                if let Some(e) = p.exit {
                    return Ok(Err(WriteError::Rule {
                        rule: "already-exited",
                        text: format!("the participant left on {} already", e.on),
                    }));
                }
                // INTERCHANGE.md participants.exited_on: date ≥ enrolled_on.
                let exited = Participant {
                    exit: Some(exit),
                    ..p.clone()
                };
                if let Some(e) = violations_to_error(exited.violations()) {
                    return Ok(Err(e));
                }
                if let Some(refused) =
                    crate::correct::after_exit(tx, participant.as_str(), exit.on)?
                {
                    return Ok(Err(refused));
                }
                let b = tx.backend();
                let on = exit.on.to_string();
                exec(
                    tx,
                    &format!(
                        "UPDATE participant SET exited_on = {}, exit_reason = $2 WHERE participant_id = $3",
                        param(b, Kind::Date, 1)
                    ),
                    &[&on, exit.reason.as_str(), participant.as_str()],
                )?;
                Ok(Ok(format!("left on {on} ({})", exit.reason)))
            },
        )
    }

    fn reopen(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
    ) -> Result<(), WriteError> {
        write_for(
            self,
            actor,
            reach,
            participant,
            "participant.reopen",
            |tx, p| {
                let Some(e) = p.exit else {
                    return Ok(Err(WriteError::Rule {
                        rule: "not-exited",
                        text: "the participant has not left the program".into(),
                    }));
                };
                exec(
                    tx,
                    "UPDATE participant SET exited_on = NULL, exit_reason = NULL WHERE participant_id = $1",
                    &[participant.as_str()],
                )?;
                Ok(Ok(format!("exit of {} ({}) undone", e.on, e.reason)))
            },
        )
    }
}
