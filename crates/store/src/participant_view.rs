//! The participant's own fika: invitations and participant accounts, goals reworded with
//! their history, the participant's own ticks, "I'd like to talk", check-ins and their
//! figures, and the extract of the audit log that tells a participant who read their record.
//!
//! Access is decided in the transaction, as for every participant record: staff through
//! their [`Reach`], a participant through [`Reach::Own`]. Every read and write of a record
//! writes its audit row in the same transaction. Invitations and accounts are not records:
//! they never travel in the interchange folder.

use fika_core::check_in::{CheckIn, MonthFigure, Score, Sharing, monthly};
use fika_core::*;

use crate::accounts::{Role, User};
use crate::backend::{Backend, Runner, Tx};
use crate::caseload::{
    Actor, Reach, WriteError, participant_row, records_sql, violations_to_error, within_enrolment,
    within_reach, write_for,
};
use crate::export::{collect, pick};
use crate::schema::Kind;
use crate::sql::{audit, count, exec, insert, param, texts};
use crate::{Db, StoreError};

/// An invitation as the staff page lists it (its code is never kept, only its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub withdrawn_at: Option<String>,
}

impl Invitation {
    /// Whether the link still works at `now` (UTC text, as stored).
    pub fn is_open(&self, now: &str) -> bool {
        self.used_at.is_none() && self.withdrawn_at.is_none() && self.expires_at.as_str() > now
    }
}

/// A participant's access: their invitations, newest first, and their accounts.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// The participant's name, for the page's heading.
    pub name: String,
    pub invitations: Vec<Invitation>,
    /// Login names and whether each can sign in.
    pub accounts: Vec<(String, bool)>,
}

/// A new invitation: the SHA-256 of its code, and when it stops working.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub id: String,
    pub participant: ParticipantId,
    pub code_hash: String,
    pub expires_at: String,
}

/// The account a participant makes from an invitation.
#[derive(Debug, Clone)]
pub struct Join {
    pub user_id: String,
    pub login: String,
    pub password_hash: String,
    pub locale: String,
}

/// Why an invitation could not be used. Unknown, used, withdrawn and expired links give the
/// same answer, so that a guess learns nothing.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error("this invitation does not work: it has been used, withdrawn or has expired")]
    NotValid,
    #[error("the name {0:?} is taken; choose another")]
    LoginTaken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A check-in as the participant gives it; the store adds their designated coach and
/// the version of the items ([`fika_core::check_in::ITEMS_VERSION`]).
#[derive(Debug, Clone)]
pub struct NewCheckIn {
    pub id: CheckInId,
    pub participant: ParticipantId,
    pub on: Date,
    pub scores: [Score; 4],
    pub words: Option<String>,
    pub sharing: Sharing,
}

/// One rewording of a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalChange {
    pub goal: GoalId,
    pub old_text: String,
    pub new_text: String,
    pub changed_at: String,
    /// Reworded by the participant themselves (else by staff).
    pub by_participant: bool,
}

/// An open "I'd like to talk", for the coach's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalkRequest {
    pub participant: ParticipantId,
    pub name: String,
    pub on: Date,
}

/// One line of the extract of the audit log a participant reads: who (name and role) read
/// or changed their record, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// UTC `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    /// The coach's name for a coach, else the login name.
    pub name: String,
    pub role: Role,
    pub action: String,
}

impl LogLine {
    /// A read (else a change).
    pub fn is_read(&self) -> bool {
        self.action.ends_with(".read")
    }
}

/// Whose check-ins a figure is made of. There is no scope of several coaches side by side:
/// nothing ranks or compares coaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrendOf {
    /// A coach's own.
    Coach(CoachId),
    /// A program's, all coaches together.
    Program(ProgramId),
}

/// What the participant's own view adds to their record (read with the record, in its
/// transaction; see `Records::participant`).
#[derive(Debug, Clone, Default)]
pub struct RecordExtras {
    pub goal_changes: Vec<GoalChange>,
    /// A participant sees all their check-ins; staff see the shared ones only.
    pub check_ins: Vec<CheckIn>,
    /// The day of an open "I'd like to talk".
    pub talk_asked: Option<Date>,
}

/// The participant's own fika.
pub trait ParticipantView {
    /// A participant's own plan on `today` (audited as `participant.read`) with at most
    /// `meetings` of their latest meetings, read with one statement (`plan`); `None` when
    /// there is no such participant.
    fn plan(
        &self,
        actor: &Actor,
        id: &ParticipantId,
        today: Date,
        meetings: usize,
    ) -> Result<Option<crate::plan::Plan>, StoreError>;

    /// Makes an invitation for a participant within reach (audited as `invitation.create`).
    fn create_invitation(
        &self,
        actor: &Actor,
        reach: &Reach,
        inv: &NewInvitation,
    ) -> Result<(), WriteError>;

    /// A participant's invitations and accounts (audited as `participant_access.read`);
    /// `None` when out of reach.
    fn access(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
    ) -> Result<Option<Access>, StoreError>;

    /// Withdraws an unused invitation (audited as `invitation.withdraw`).
    fn withdraw_invitation(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        invitation: &str,
    ) -> Result<(), WriteError>;

    /// Ends a participant's access: their accounts are disabled, their sessions end, and
    /// unused invitations are withdrawn (audited as `participant_access.end`).
    fn end_access(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
    ) -> Result<(), WriteError>;

    /// Whether an invitation with this code hash works at `now`.
    fn invitation_works(&self, code_hash: &str, now: &str) -> Result<bool, StoreError>;

    /// Makes the participant's account from a working invitation, once: the invitation is
    /// used up, any earlier account of the participant is disabled (a new invitation is how
    /// a forgotten password is replaced), and the audit row (`invitation.accept`) is written,
    /// all in one transaction.
    fn accept_invitation(&self, code_hash: &str, now: &str, join: &Join)
    -> Result<User, JoinError>;

    /// The program of a participant (for the command line, which acts for the program).
    fn participant_program(
        &self,
        participant: &ParticipantId,
    ) -> Result<Option<ProgramId>, StoreError>;

    /// Ends every session of a user ("sign out everywhere").
    fn end_sessions_of(&self, user_id: &str) -> Result<(), StoreError>;

    /// Rewords a goal, keeping the words before (audited as `goal.reword`).
    fn reword_goal(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        goal: &GoalId,
        text: &str,
    ) -> Result<(), WriteError>;

    /// A participant ticks off an open step that is theirs (owner participant or both),
    /// audited as `next_step.done`.
    fn complete_own_step(
        &self,
        actor: &Actor,
        participant: &ParticipantId,
        step: &StepId,
        on: Date,
    ) -> Result<(), WriteError>;

    /// "I'd like to talk" (audited as `talk.request`); one open request at a time.
    fn ask_to_talk(
        &self,
        actor: &Actor,
        participant: &ParticipantId,
        on: Date,
    ) -> Result<(), WriteError>;

    /// Open "I'd like to talk" requests of the participants within reach, for the day (read
    /// with the day's caseload, whose audit row covers it).
    fn talk_requests(&self, reach: &Reach) -> Result<Vec<TalkRequest>, StoreError>;

    /// A participant's check-in (audited as `check_in.add`), counted for their designated
    /// coach.
    fn add_check_in(&self, actor: &Actor, check_in: &NewCheckIn) -> Result<(), WriteError>;

    /// Monthly check-in figures, under the small-cell rule of `fika_core::check_in`.
    fn check_in_trend(&self, of: &TrendOf) -> Result<Vec<MonthFigure>, StoreError>;

    /// Who of the staff read or changed the participant's record, newest first (the read is
    /// audited as `record_log.read`).
    fn record_log(
        &self,
        actor: &Actor,
        participant: &ParticipantId,
    ) -> Result<Vec<LogLine>, StoreError>;
}

impl crate::caseload::ParticipantRecord {
    /// The gentle prompt a low or dropped shared check-in puts on the next meeting.
    pub fn check_in_prompt(&self) -> Option<fika_core::check_in::Prompt> {
        let last = self.meetings.iter().map(|m| m.date).max();
        fika_core::check_in::prompt_for_next_meeting(&self.extras.check_ins, last)
    }

    /// The rewordings of one goal.
    pub fn goal_changes_of(&self, goal: &GoalId) -> Vec<&GoalChange> {
        self.extras
            .goal_changes
            .iter()
            .filter(|c| &c.goal == goal)
            .collect()
    }
}

/// A participant's goal rewordings, in the order made.
pub(crate) fn goal_changes(tx: &mut dyn Tx, id: &str) -> Result<Vec<GoalChange>, StoreError> {
    texts(
        tx,
        "SELECT goal_id, old_text, new_text, changed_at, CAST(by_participant AS TEXT) \
         FROM goal_change WHERE participant_id = $1 ORDER BY seq",
        &[id],
    )?
    .into_iter()
    .map(|r| {
        (|| {
            Some(GoalChange {
                goal: GoalId::parse(r[0].as_deref()?).ok()?,
                old_text: r[1].clone()?,
                new_text: r[2].clone()?,
                changed_at: r[3].clone()?,
                by_participant: r[4].as_deref()? == "1",
            })
        })()
        .ok_or_else(|| StoreError::Corrupt("goal_change".into()))
    })
    .collect()
}

/// Reads the extras of a participant's record within the record's own transaction.
pub(crate) fn extras(
    tx: &mut dyn Tx,
    reach: &Reach,
    id: &ParticipantId,
) -> Result<RecordExtras, StoreError> {
    let b = tx.backend();
    let p = [id.as_str()];
    let goal_changes = goal_changes(tx, id.as_str())?;
    let own = matches!(reach, Reach::Own(_));
    let check_ins = check_ins_where(
        tx,
        if own {
            "r.participant_id = $1"
        } else {
            "r.participant_id = $1 AND r.sharing = 'coach_and_me'"
        },
        &p,
    )?;
    let talk_asked = open_talk(tx, b, id)?;
    Ok(RecordExtras {
        goal_changes,
        check_ins,
        talk_asked,
    })
}

/// The open "I'd like to talk" of one participant: asked, and no meeting since that day.
fn open_talk(tx: &mut dyn Tx, b: Backend, id: &ParticipantId) -> Result<Option<Date>, StoreError> {
    let rows = texts(
        tx,
        &format!(
            "SELECT {} FROM talk_request t WHERE t.participant_id = $1 AND NOT EXISTS \
             (SELECT 1 FROM meeting m WHERE m.participant_id = t.participant_id AND m.date >= t.on_date) \
             ORDER BY t.seq DESC LIMIT 1",
            b.select_expr(Kind::Date, "t.on_date")
        ),
        &[id.as_str()],
    )?;
    Ok(rows
        .first()
        .and_then(|r| r[0].as_deref())
        .and_then(|d| parse_date(d).ok()))
}

/// The check-ins that meet `cond` (on `r`, a row of `check_in`), in the order given.
fn check_ins_where(
    tx: &mut dyn Tx,
    cond: &str,
    params: &[&str],
) -> Result<Vec<CheckIn>, StoreError> {
    let sql = records_sql(
        tx.backend(),
        File::CheckIns,
        &format!("WHERE {cond} ORDER BY r.seq"),
    );
    collect(tx, File::CheckIns, &sql, params, pick!(CheckIn))
}

fn rule(rule: &'static str, text: &str) -> WriteError {
    WriteError::Rule {
        rule,
        text: text.to_owned(),
    }
}

impl<R: Runner> ParticipantView for Db<R> {
    fn plan(
        &self,
        actor: &Actor,
        id: &ParticipantId,
        today: Date,
        meetings: usize,
    ) -> Result<Option<crate::plan::Plan>, StoreError> {
        let read = |tx: &mut dyn Tx| crate::plan::read_plan(tx, actor, id, today, meetings);
        match self.0.backend() {
            // One statement, the audit row with it (see `plan`).
            Backend::Postgres => self.0.run_one(true, read),
            Backend::Sqlite => self.0.run(true, |tx| Ok((read(tx)?, true))),
        }
    }

    fn create_invitation(
        &self,
        actor: &Actor,
        reach: &Reach,
        inv: &NewInvitation,
    ) -> Result<(), WriteError> {
        if matches!(reach, Reach::Own(_)) {
            return Err(WriteError::NotFound);
        }
        write_for(
            self,
            actor,
            reach,
            &inv.participant,
            "invitation.create",
            |tx, _| {
                exec(
                    tx,
                    "INSERT INTO invitation (invitation_id, participant_id, code_hash, created_by, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    &[
                        &inv.id,
                        inv.participant.as_str(),
                        &inv.code_hash,
                        &actor.user,
                        &actor.at,
                        &inv.expires_at,
                    ],
                )?;
                Ok(Ok(format!(
                    "invitation {} until {}",
                    inv.id, inv.expires_at
                )))
            },
        )
    }

    fn access(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
    ) -> Result<Option<Access>, StoreError> {
        self.0.run(true, |tx| {
            if matches!(reach, Reach::Own(_)) || !within_reach(tx, reach, participant.as_str())? {
                return Ok((None, false));
            }
            let Some(row) = participant_row(tx, participant.as_str())? else {
                return Ok((None, false));
            };
            let p = [participant.as_str()];
            let invitations = texts(
                tx,
                "SELECT invitation_id, created_at, expires_at, used_at, withdrawn_at FROM invitation \
                 WHERE participant_id = $1 ORDER BY created_at DESC, invitation_id",
                &p,
            )?
            .into_iter()
            .map(|r| Invitation {
                id: r[0].clone().unwrap_or_default(),
                created_at: r[1].clone().unwrap_or_default(),
                expires_at: r[2].clone().unwrap_or_default(),
                used_at: r[3].clone(),
                withdrawn_at: r[4].clone(),
            })
            .collect();
            let accounts = texts(
                tx,
                "SELECT login, CASE WHEN disabled_at IS NULL THEN 'yes' ELSE 'no' END FROM app_user \
                 WHERE participant_id = $1 ORDER BY created_at, login",
                &p,
            )?
            .into_iter()
            .map(|r| (r[0].clone().unwrap_or_default(), r[1].as_deref() == Some("yes")))
            .collect();
            audit(
                tx,
                &actor.user,
                &actor.at,
                "participant_access.read",
                Some(participant.as_str()),
                "",
            )?;
            Ok((
                Some(Access {
                    name: row.name,
                    invitations,
                    accounts,
                }),
                true,
            ))
        })
    }

    fn withdraw_invitation(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        invitation: &str,
    ) -> Result<(), WriteError> {
        if matches!(reach, Reach::Own(_)) {
            return Err(WriteError::NotFound);
        }
        write_for(
            self,
            actor,
            reach,
            participant,
            "invitation.withdraw",
            |tx, _| {
                let changed = exec(
                    tx,
                    "UPDATE invitation SET withdrawn_at = $1 WHERE invitation_id = $2 AND participant_id = $3 \
                     AND used_at IS NULL AND withdrawn_at IS NULL RETURNING CAST(1 AS TEXT)",
                    &[&actor.at, invitation, participant.as_str()],
                )?;
                Ok(if changed == 0 {
                    Err(rule(
                        "invitation-not-open",
                        "the invitation has been used or withdrawn already",
                    ))
                } else {
                    Ok(format!("invitation {invitation}"))
                })
            },
        )
    }

    fn end_access(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
    ) -> Result<(), WriteError> {
        if matches!(reach, Reach::Own(_)) {
            return Err(WriteError::NotFound);
        }
        write_for(
            self,
            actor,
            reach,
            participant,
            "participant_access.end",
            |tx, _| {
                let p = participant.as_str();
                exec(
                    tx,
                    "DELETE FROM app_session WHERE user_id IN (SELECT user_id FROM app_user WHERE participant_id = $1)",
                    &[p],
                )?;
                let accounts = exec(
                    tx,
                    "UPDATE app_user SET disabled_at = $1 WHERE participant_id = $2 AND disabled_at IS NULL \
                     RETURNING CAST(1 AS TEXT)",
                    &[&actor.at, p],
                )?;
                let invitations = exec(
                    tx,
                    "UPDATE invitation SET withdrawn_at = $1 WHERE participant_id = $2 AND used_at IS NULL \
                     AND withdrawn_at IS NULL RETURNING CAST(1 AS TEXT)",
                    &[&actor.at, p],
                )?;
                Ok(Ok(format!(
                    "{accounts} account(s) disabled, {invitations} invitation(s) withdrawn"
                )))
            },
        )
    }

    fn invitation_works(&self, code_hash: &str, now: &str) -> Result<bool, StoreError> {
        self.0.run(false, |tx| {
            let n = count(
                tx,
                "invitation WHERE code_hash = $1 AND used_at IS NULL AND withdrawn_at IS NULL AND expires_at > $2",
                &[code_hash, now],
            )?;
            Ok((n > 0, false))
        })
    }

    fn accept_invitation(
        &self,
        code_hash: &str,
        now: &str,
        join: &Join,
    ) -> Result<User, JoinError> {
        let outcome = self.0.run(true, |tx| {
            let found = texts(
                tx,
                "SELECT invitation_id, participant_id FROM invitation WHERE code_hash = $1 \
                 AND used_at IS NULL AND withdrawn_at IS NULL AND expires_at > $2",
                &[code_hash, now],
            )?;
            let Some((inv, participant)) = found
                .first()
                .and_then(|r| Some((r[0].clone()?, r[1].clone()?)))
            else {
                return Ok((Err(JoinError::NotValid), false));
            };
            if count(tx, "app_user WHERE login = $1", &[&join.login])? > 0 {
                return Ok((Err(JoinError::LoginTaken(join.login.clone())), false));
            }
            exec(
                tx,
                "DELETE FROM app_session WHERE user_id IN (SELECT user_id FROM app_user WHERE participant_id = $1)",
                &[&participant],
            )?;
            exec(
                tx,
                "UPDATE app_user SET disabled_at = $1 WHERE participant_id = $2 AND disabled_at IS NULL",
                &[now, &participant],
            )?;
            exec(
                tx,
                "INSERT INTO app_user (user_id, login, role, participant_id, password_hash, locale, created_at) \
                 VALUES ($1, $2, 'participant', $3, $4, $5, $6)",
                &[
                    &join.user_id,
                    &join.login,
                    &participant,
                    &join.password_hash,
                    &join.locale,
                    now,
                ],
            )?;
            exec(
                tx,
                "UPDATE invitation SET used_at = $1 WHERE invitation_id = $2",
                &[now, &inv],
            )?;
            audit(
                tx,
                &join.user_id,
                now,
                "invitation.accept",
                Some(&participant),
                &format!("invitation {inv}"),
            )?;
            Ok((Ok(()), true))
        })?;
        outcome?;
        Ok(crate::accounts::Accounts::user(self, &join.user_id)?.expect("just written"))
    }

    fn participant_program(
        &self,
        participant: &ParticipantId,
    ) -> Result<Option<ProgramId>, StoreError> {
        self.0.run(false, |tx| {
            let p = participant_row(tx, participant.as_str())?;
            Ok((p.map(|p| p.program), false))
        })
    }

    fn end_sessions_of(&self, user_id: &str) -> Result<(), StoreError> {
        self.0.run(true, |tx| {
            exec(tx, "DELETE FROM app_session WHERE user_id = $1", &[user_id])?;
            Ok(((), true))
        })
    }

    fn reword_goal(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        goal: &GoalId,
        text: &str,
    ) -> Result<(), WriteError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(rule("goal-empty", "write the goal as they put it"));
        }
        let by_participant = if matches!(reach, Reach::Own(_)) {
            "1"
        } else {
            "0"
        };
        write_for(self, actor, reach, participant, "goal.reword", |tx, _| {
            let by_param = param(tx.backend(), Kind::Int, 7);
            let old = texts(
                tx,
                "SELECT text FROM goal WHERE goal_id = $1 AND participant_id = $2",
                &[goal.as_str(), participant.as_str()],
            )?;
            let Some(old) = old.first().and_then(|r| r[0].clone()) else {
                return Ok(Err(WriteError::NotFound));
            };
            if old == text {
                return Ok(Err(rule(
                    "goal-unchanged",
                    "the goal has these words already",
                )));
            }
            exec(
                tx,
                "UPDATE goal SET text = $1 WHERE goal_id = $2",
                &[text, goal.as_str()],
            )?;
            exec(
                tx,
                &format!(
                    "INSERT INTO goal_change (goal_id, participant_id, old_text, new_text, changed_at, changed_by, by_participant) \
                     VALUES ($1, $2, $3, $4, $5, $6, {})",
                    by_param
                ),
                &[
                    goal.as_str(),
                    participant.as_str(),
                    &old,
                    text,
                    &actor.at,
                    &actor.user,
                    by_participant,
                ],
            )?;
            Ok(Ok(format!("goal {goal}")))
        })
    }

    fn complete_own_step(
        &self,
        actor: &Actor,
        participant: &ParticipantId,
        step: &StepId,
        on: Date,
    ) -> Result<(), WriteError> {
        let reach = Reach::Own(participant.clone());
        write_for(
            self,
            actor,
            &reach,
            participant,
            "next_step.done",
            |tx, _| {
                let b = tx.backend();
                let changed = exec(
                    tx,
                    &format!(
                        "UPDATE next_step SET done_on = CASE WHEN agreed_on > {d} THEN agreed_on ELSE {d} END \
                         WHERE step_id = $2 AND participant_id = $3 AND done_on IS NULL \
                         AND owner IN ('participant', 'both') RETURNING CAST(1 AS TEXT)",
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

    fn ask_to_talk(
        &self,
        actor: &Actor,
        participant: &ParticipantId,
        on: Date,
    ) -> Result<(), WriteError> {
        let reach = Reach::Own(participant.clone());
        write_for(self, actor, &reach, participant, "talk.request", |tx, _| {
            let b = tx.backend();
            if open_talk(tx, b, participant)?.is_some() {
                return Ok(Err(rule(
                    "talk-asked-already",
                    "your coach knows already that you would like to talk",
                )));
            }
            exec(
                tx,
                &format!(
                    "INSERT INTO talk_request (participant_id, on_date, asked_at) VALUES ($1, {}, $3)",
                    param(b, Kind::Date, 2)
                ),
                &[participant.as_str(), &on.to_string(), &actor.at],
            )?;
            Ok(Ok(format!("on {on}")))
        })
    }

    fn talk_requests(&self, reach: &Reach) -> Result<Vec<TalkRequest>, StoreError> {
        self.0.run(false, |tx| {
            let b = tx.backend();
            let (cond, params) = reach.condition(b, 1);
            let sql = format!(
                "SELECT p.participant_id, p.name, {} FROM participant p JOIN talk_request t \
                 ON t.participant_id = p.participant_id WHERE {cond} \
                 AND NOT EXISTS (SELECT 1 FROM restriction x WHERE x.participant_id = p.participant_id) \
                 AND NOT EXISTS \
                 (SELECT 1 FROM meeting m WHERE m.participant_id = t.participant_id AND m.date >= t.on_date) \
                 ORDER BY t.seq",
                b.select_expr(Kind::Date, "t.on_date")
            );
            let params: Vec<&str> = params.iter().map(String::as_str).collect();
            let v = texts(tx, &sql, &params)?
                .into_iter()
                .filter_map(|r| {
                    Some(TalkRequest {
                        participant: ParticipantId::parse(r[0].as_deref()?).ok()?,
                        name: r[1].clone()?,
                        on: parse_date(r[2].as_deref()?).ok()?,
                    })
                })
                .collect();
            Ok((v, false))
        })
    }

    fn add_check_in(&self, actor: &Actor, c: &NewCheckIn) -> Result<(), WriteError> {
        let reach = Reach::Own(c.participant.clone());
        write_for(
            self,
            actor,
            &reach,
            &c.participant,
            "check_in.add",
            |tx, p| {
                // The rules of `check_ins.csv`, so that every check-in stored is one the
                // import takes back: words as text, a date within the enrolment.
                let row = CheckIn {
                    id: c.id.clone(),
                    participant: c.participant.clone(),
                    coach: p.coach.clone(),
                    on: c.on,
                    version: fika_core::check_in::ITEMS_VERSION,
                    scores: c.scores,
                    words: c.words.clone(),
                    sharing: c.sharing,
                };
                if let Some(e) = violations_to_error(row.violations()) {
                    return Ok(Err(e));
                }
                if let Err(e) = within_enrolment(p, c.on, "the check-in date") {
                    return Ok(Err(e));
                }
                insert(tx, &Row::CheckIn(row))?;
                Ok(Ok(format!("check-in {} ({})", c.id, c.sharing.as_str())))
            },
        )
    }

    fn check_in_trend(&self, of: &TrendOf) -> Result<Vec<MonthFigure>, StoreError> {
        self.0.run(false, |tx| {
            let v = match of {
                TrendOf::Coach(c) => check_ins_where(tx, "r.coach_id = $1", &[c.as_str()])?,
                TrendOf::Program(p) => check_ins_where(
                    tx,
                    "r.coach_id IN (SELECT coach_id FROM coach WHERE program_id = $1)",
                    &[p.as_str()],
                )?,
            };
            Ok((monthly(&v), false))
        })
    }

    fn record_log(
        &self,
        actor: &Actor,
        participant: &ParticipantId,
    ) -> Result<Vec<LogLine>, StoreError> {
        self.0.run(true, |tx| {
            if participant_row(tx, participant.as_str())?.is_none() {
                return Ok((Vec::new(), false));
            }
            let at = match tx.backend() {
                Backend::Sqlite => "a.at".to_owned(),
                Backend::Postgres => {
                    "to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')".to_owned()
                }
            };
            let rows = texts(
                tx,
                &format!(
                    "SELECT {at}, a.action, u.login, u.role, c.name FROM audit a \
                     JOIN app_user u ON u.user_id = a.who LEFT JOIN coach c ON c.coach_id = u.coach_id \
                     WHERE a.participant_id = $1 AND u.role <> 'participant' ORDER BY a.seq DESC"
                ),
                &[participant.as_str()],
            )?;
            let v = rows
                .into_iter()
                .filter_map(|r| {
                    Some(LogLine {
                        at: r[0].clone()?,
                        action: r[1].clone()?,
                        name: r[4].clone().or_else(|| r[2].clone())?,
                        role: Role::parse(r[3].as_deref()?)?,
                    })
                })
                .collect();
            audit(
                tx,
                &actor.user,
                &actor.at,
                "record_log.read",
                Some(participant.as_str()),
                "",
            )?;
            Ok((v, true))
        })
    }
}
