//! Erasure (GDPR Art. 17), legal holds and retention (docs/privacy.md).
//!
//! An erasure removes every record about one participant in one transaction: their row and
//! every row keyed by them (goals and their rewordings, meetings, next steps, jobs, benefits
//! planning, employer contacts made by or for them, check-ins, coach history, the next
//! meeting agreed, talk requests, invitations, their accounts with their sessions and
//! sign-in failures, kept corrections, a restriction, their lifted holds and their own
//! retention rule). Kept outcome figures of the program are deleted by the triggers on
//! `participant` and `job` (migration 0010); final figures (store/src/finals.rs) are
//! snapshots and stay as they are.
//!
//! The audit log is append-only and hash-chained (store/src/audit.rs): its rows stay, so
//! the chain still verifies. They hold the participant's ID, never a name or a record's
//! text: details name records by ID, dates and closed vocabularies, and a correction's
//! content is kept in `correction` (migration 0018), which the erasure removes. The erasure
//! adds the tombstone, action `participant.erase`, with who, when and the request's
//! reference.
//!
//! An erasure is refused while a legal hold on the participant or their program is not
//! lifted, and while a retention rule keeps the records: the participant's own rule, else
//! their program's, keeps records `years` after the exit (`fika_core::retention`), and
//! always while they have not left. Without a rule nothing keeps them.

use std::fmt;

use fika_core::retention::{YEARS, due_on, kept_on};
use fika_core::*;

use crate::backend::{Runner, Tx};
use crate::caseload::{Actor, Reach, participant_row, records_sql, within_reach};
use crate::export::{collect, pick};
use crate::sql::{audit, count, exec, texts};
use crate::{Db, StoreError};

/// The audit action of an erasure: the tombstone.
pub const ERASE: &str = "participant.erase";

/// The most characters of a request's reference.
pub const MAX_REFERENCE: usize = 200;

/// What a hold or a retention rule applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Program(ProgramId),
    Participant(ParticipantId),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Program(p) => write!(f, "program {p}"),
            Scope::Participant(x) => write!(f, "participant {x}"),
        }
    }
}

/// A legal hold not lifted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    pub id: i64,
    pub scope: Scope,
    pub reference: String,
    pub placed_by: String,
    pub placed_at: String,
}

/// A retention rule: records are kept `years` after the exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    pub scope: Scope,
    pub years: u32,
}

/// Why a privacy request was refused; its text says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// No such participant (or program) within the reach.
    NotFound,
    /// The reference is missing, longer than [`MAX_REFERENCE`] or holds a line break.
    BadReference,
    /// Years outside [`YEARS`].
    BadYears,
    /// A legal hold applies.
    Held {
        hold: i64,
        scope: Scope,
        reference: String,
    },
    /// A retention rule keeps the records: until `until`, or while they have not left
    /// (`until` is `None`).
    Kept {
        scope: Scope,
        years: u32,
        until: Option<Date>,
    },
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::NotFound => write!(f, "there is no such participant in your reach"),
            Refused::BadReference => write!(
                f,
                "give the request's reference (at most {MAX_REFERENCE} characters, one line)"
            ),
            Refused::BadYears => write!(
                f,
                "years must be a whole number from {} to {}",
                YEARS.start(),
                YEARS.end()
            ),
            Refused::Held {
                hold,
                scope,
                reference,
            } => write!(
                f,
                "legal hold {hold} on {scope} ({reference}) applies: nothing of it is erased \
                 until the hold is lifted"
            ),
            Refused::Kept {
                scope,
                years,
                until: Some(until),
            } => write!(
                f,
                "the retention rule of {scope} keeps records {years} year(s) after the exit: \
                 they are kept until {until}"
            ),
            Refused::Kept {
                scope,
                years,
                until: None,
            } => write!(
                f,
                "the retention rule of {scope} keeps records {years} year(s) after the exit, \
                 and the participant has not left the program"
            ),
        }
    }
}

/// What an erasure removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    pub participant: ParticipantId,
    pub program: ProgramId,
    /// Rows removed, the participant's own included.
    pub rows: u64,
    /// Audit rows about them written before migration 0018 whose detail holds a
    /// correction's content: the append-only log keeps them (docs/privacy.md).
    pub older_corrections: u64,
}

/// A participant whose records the retention rule no longer keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub participant: ParticipantId,
    pub program: ProgramId,
    pub exit: Date,
    pub years: u32,
    pub due_on: Date,
    /// The hold that keeps them nonetheless.
    pub held: Option<Hold>,
}

/// What a purge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Purged {
    pub erased: Vec<Erased>,
    /// Due, but held.
    pub held: Vec<Due>,
}

/// Erasure, legal holds and retention rules; every change writes its audit row in its
/// transaction.
pub trait Erasure {
    /// Erases every record about a participant within `reach` (a lead's program), in one
    /// transaction, and writes the tombstone with `reference`; `today` is the day the
    /// retention rule is read on.
    fn erase(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        reference: &str,
        today: Date,
    ) -> Result<Result<Erased, Refused>, StoreError>;

    /// Places a legal hold on a program or a participant within `reach` (a lead's
    /// program); returns its number.
    fn place_hold(
        &self,
        actor: &Actor,
        reach: &Reach,
        scope: &Scope,
        reference: &str,
    ) -> Result<Result<i64, Refused>, StoreError>;

    /// Lifts a hold within `reach`; `NotFound` for a hold not placed, lifted already, or of
    /// another program.
    fn lift_hold(
        &self,
        actor: &Actor,
        reach: &Reach,
        hold: i64,
    ) -> Result<Result<(), Refused>, StoreError>;

    /// The holds not lifted, of one program (and its participants) or of all.
    fn holds(&self, program: Option<&ProgramId>) -> Result<Vec<Hold>, StoreError>;

    /// Sets (or with `None` removes) the retention rule of a program or a participant
    /// within `reach`.
    fn set_retention(
        &self,
        actor: &Actor,
        reach: &Reach,
        scope: &Scope,
        years: Option<u32>,
    ) -> Result<Result<(), Refused>, StoreError>;

    /// Every retention rule.
    fn retention_rules(&self) -> Result<Vec<Retention>, StoreError>;

    /// The participants the retention rules no longer keep on `today`, held ones included
    /// (with their hold), by program and participant.
    fn retention_due(&self, today: Date) -> Result<Vec<Due>, StoreError>;

    /// Erases every participant due on `today` and not held, each in its own transaction
    /// as [`Erasure::erase`] does, with `reference` in each tombstone; `BadReference` for a
    /// reference that is empty, too long or not one line.
    fn purge_retention(
        &self,
        actor: &Actor,
        today: Date,
        reference: &str,
    ) -> Result<Result<Purged, Refused>, StoreError>;
}

fn reference(r: &str) -> Result<&str, Refused> {
    let r = r.trim();
    if r.is_empty() || r.chars().count() > MAX_REFERENCE || r.chars().any(char::is_control) {
        return Err(Refused::BadReference);
    }
    Ok(r)
}

/// The holds not lifted, under a condition on `h` (the hold row).
fn holds_where(tx: &mut dyn Tx, cond: &str, params: &[&str]) -> Result<Vec<Hold>, StoreError> {
    Ok(texts(
        tx,
        &format!(
            "SELECT CAST(h.seq AS TEXT), h.program_id, h.participant_id, h.reference, h.placed_by, \
             h.placed_at FROM legal_hold h WHERE h.lifted_at IS NULL AND ({cond}) ORDER BY h.seq"
        ),
        params,
    )?
    .into_iter()
    .filter_map(|r| {
        let scope = match (&r[1], &r[2]) {
            (Some(p), _) => Scope::Program(ProgramId::parse(p).ok()?),
            (None, Some(x)) => Scope::Participant(ParticipantId::parse(x).ok()?),
            (None, None) => return None,
        };
        Some(Hold {
            id: r[0].as_deref()?.parse().ok()?,
            scope,
            reference: r[3].clone()?,
            placed_by: r[4].clone()?,
            placed_at: r[5].clone()?,
        })
    })
    .collect())
}

/// The first hold on a participant or their program.
fn hold_on(tx: &mut dyn Tx, p: &Participant) -> Result<Option<Hold>, StoreError> {
    Ok(holds_where(
        tx,
        "h.participant_id = $1 OR h.program_id = $2",
        &[p.id.as_str(), p.program.as_str()],
    )?
    .into_iter()
    .next())
}

/// The rule that applies to a participant: their own, else their program's.
fn rule_for(tx: &mut dyn Tx, p: &Participant) -> Result<Option<Retention>, StoreError> {
    let rows = texts(
        tx,
        "SELECT CAST(years AS TEXT), participant_id FROM retention_rule \
         WHERE participant_id = $1 OR program_id = $2 \
         ORDER BY CASE WHEN participant_id IS NULL THEN 1 ELSE 0 END",
        &[p.id.as_str(), p.program.as_str()],
    )?;
    Ok(rows.first().and_then(|r| {
        let years = r[0].as_deref()?.parse().ok()?;
        let scope = match r[1] {
            Some(_) => Scope::Participant(p.id.clone()),
            None => Scope::Program(p.program.clone()),
        };
        Some(Retention { scope, years })
    }))
}

/// Why `p`'s records may not be erased on `today`, if anything forbids it.
fn refusal(tx: &mut dyn Tx, p: &Participant, today: Date) -> Result<Option<Refused>, StoreError> {
    if let Some(h) = hold_on(tx, p)? {
        return Ok(Some(Refused::Held {
            hold: h.id,
            scope: h.scope,
            reference: h.reference,
        }));
    }
    if let Some(r) = rule_for(tx, p)? {
        let exit = p.exit.as_ref().map(|e| e.on);
        if kept_on(exit, r.years, today) {
            return Ok(Some(Refused::Kept {
                until: exit.map(|e| due_on(e, r.years)),
                scope: r.scope,
                years: r.years,
            }));
        }
    }
    Ok(None)
}

/// The tables that hold rows keyed by a participant, in an order that deletes each row
/// before any row it references. `$1` is the participant's ID.
const ERASED: &[&str] = &[
    "DELETE FROM app_session WHERE user_id IN (SELECT user_id FROM app_user WHERE participant_id = $1)",
    "DELETE FROM login_failure WHERE login IN (SELECT login FROM app_user WHERE participant_id = $1)",
    "DELETE FROM app_user WHERE participant_id = $1",
    "DELETE FROM invitation WHERE participant_id = $1",
    "DELETE FROM goal_change WHERE participant_id = $1",
    "DELETE FROM goal WHERE participant_id = $1",
    "DELETE FROM next_step WHERE participant_id = $1",
    "DELETE FROM meeting WHERE participant_id = $1",
    "DELETE FROM employer_contact WHERE participant_id = $1",
    "DELETE FROM job WHERE participant_id = $1",
    "DELETE FROM benefits_planning WHERE participant_id = $1",
    "DELETE FROM planned_meeting WHERE participant_id = $1",
    "DELETE FROM coach_change WHERE participant_id = $1",
    "DELETE FROM talk_request WHERE participant_id = $1",
    "DELETE FROM check_in WHERE participant_id = $1",
    "DELETE FROM correction WHERE participant_id = $1",
    "DELETE FROM restriction WHERE participant_id = $1",
    "DELETE FROM legal_hold WHERE participant_id = $1",
    "DELETE FROM retention_rule WHERE participant_id = $1",
    "DELETE FROM participant WHERE participant_id = $1",
];

/// Erases `p` inside `tx` and writes the tombstone; the checks are the caller's.
fn erase_in(
    tx: &mut dyn Tx,
    actor: &Actor,
    p: &Participant,
    reference: &str,
) -> Result<Erased, StoreError> {
    let id = p.id.as_str();
    let older_corrections = count(
        tx,
        "audit WHERE participant_id = $1 AND detail LIKE '{%'",
        &[id],
    )?;
    let mut rows = 0;
    for sql in ERASED {
        rows += exec(tx, &format!("{sql} RETURNING CAST(1 AS TEXT)"), &[id])?;
    }
    audit(
        tx,
        &actor.user,
        &actor.at,
        ERASE,
        Some(id),
        &format!(
            "reference {reference}; {rows} row(s) of program {} erased",
            p.program
        ),
    )?;
    Ok(Erased {
        participant: p.id.clone(),
        program: p.program.clone(),
        rows,
        older_corrections,
    })
}

/// Whether a lead's reach covers `scope`.
fn scope_within(tx: &mut dyn Tx, reach: &Reach, scope: &Scope) -> Result<bool, StoreError> {
    let Reach::Program(program) = reach else {
        return Ok(false);
    };
    Ok(match scope {
        Scope::Program(p) => {
            p == program && count(tx, "program WHERE program_id = $1", &[p.as_str()])? > 0
        }
        Scope::Participant(x) => within_reach(tx, reach, x.as_str())?,
    })
}

fn scope_columns(scope: &Scope) -> (Option<&str>, Option<&str>) {
    match scope {
        Scope::Program(p) => (Some(p.as_str()), None),
        Scope::Participant(x) => (None, Some(x.as_str())),
    }
}

impl<R: Runner> Erasure for Db<R> {
    fn erase(
        &self,
        actor: &Actor,
        reach: &Reach,
        participant: &ParticipantId,
        reference_given: &str,
        today: Date,
    ) -> Result<Result<Erased, Refused>, StoreError> {
        let reference = match reference(reference_given) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        self.0.run(true, |tx| {
            if !matches!(reach, Reach::Program(_))
                || !within_reach(tx, reach, participant.as_str())?
            {
                return Ok((Err(Refused::NotFound), false));
            }
            let Some(p) = participant_row(tx, participant.as_str())? else {
                return Ok((Err(Refused::NotFound), false));
            };
            if let Some(r) = refusal(tx, &p, today)? {
                return Ok((Err(r), false));
            }
            let erased = erase_in(tx, actor, &p, reference)?;
            Ok((Ok(erased), true))
        })
    }

    fn place_hold(
        &self,
        actor: &Actor,
        reach: &Reach,
        scope: &Scope,
        reference_given: &str,
    ) -> Result<Result<i64, Refused>, StoreError> {
        let reference = match reference(reference_given) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        self.0.run(true, |tx| {
            if !scope_within(tx, reach, scope)? {
                return Ok((Err(Refused::NotFound), false));
            }
            let (program, participant) = scope_columns(scope);
            let sql = format!(
                "INSERT INTO legal_hold (program_id, participant_id, reference, placed_by, placed_at) \
                 VALUES ({}, {}, $1, $2, $3) RETURNING CAST(seq AS TEXT)",
                if program.is_some() { "$4" } else { "NULL" },
                if participant.is_some() { "$4" } else { "NULL" },
            );
            let key = program.or(participant).unwrap_or_default();
            let id: i64 = texts(tx, &sql, &[reference, &actor.user, &actor.at, key])?
                .pop()
                .and_then(|r| r[0].as_deref()?.parse().ok())
                .ok_or_else(|| StoreError::Corrupt("legal hold without seq".into()))?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "hold.place",
                participant,
                &format!("hold {id} on {scope}: {reference}"),
            )?;
            Ok((Ok(id), true))
        })
    }

    fn lift_hold(
        &self,
        actor: &Actor,
        reach: &Reach,
        hold: i64,
    ) -> Result<Result<(), Refused>, StoreError> {
        self.0.run(true, |tx| {
            let id = hold.to_string();
            let Some(h) = holds_where(tx, "CAST(h.seq AS TEXT) = $1", &[&id])?.pop() else {
                return Ok((Err(Refused::NotFound), false));
            };
            if !scope_within(tx, reach, &h.scope)? {
                return Ok((Err(Refused::NotFound), false));
            }
            exec(
                tx,
                "UPDATE legal_hold SET lifted_by = $1, lifted_at = $2 \
                 WHERE CAST(seq AS TEXT) = $3 RETURNING CAST(1 AS TEXT)",
                &[&actor.user, &actor.at, &id],
            )?;
            let participant = match &h.scope {
                Scope::Participant(x) => Some(x.as_str()),
                Scope::Program(_) => None,
            };
            audit(
                tx,
                &actor.user,
                &actor.at,
                "hold.lift",
                participant,
                &format!("hold {id} on {}", h.scope),
            )?;
            Ok((Ok(()), true))
        })
    }

    fn holds(&self, program: Option<&ProgramId>) -> Result<Vec<Hold>, StoreError> {
        self.0.run(false, |tx| {
            let holds = match program {
                Some(p) => holds_where(
                    tx,
                    "h.program_id = $1 OR h.participant_id IN \
                     (SELECT participant_id FROM participant WHERE program_id = $1)",
                    &[p.as_str()],
                )?,
                None => holds_where(tx, "1 = 1", &[])?,
            };
            Ok((holds, false))
        })
    }

    fn set_retention(
        &self,
        actor: &Actor,
        reach: &Reach,
        scope: &Scope,
        years: Option<u32>,
    ) -> Result<Result<(), Refused>, StoreError> {
        if years.is_some_and(|y| !YEARS.contains(&y)) {
            return Ok(Err(Refused::BadYears));
        }
        self.0.run(true, |tx| {
            if !scope_within(tx, reach, scope)? {
                return Ok((Err(Refused::NotFound), false));
            }
            let (program, participant) = scope_columns(scope);
            let (column, key) = match (program, participant) {
                (Some(p), _) => ("program_id", p),
                (None, Some(x)) => ("participant_id", x),
                (None, None) => unreachable!("a scope names a program or a participant"),
            };
            exec(
                tx,
                &format!(
                    "DELETE FROM retention_rule WHERE {column} = $1 RETURNING CAST(1 AS TEXT)"
                ),
                &[key],
            )?;
            if let Some(y) = years {
                exec(
                    tx,
                    &format!(
                        "INSERT INTO retention_rule ({column}, years, set_by, set_at) \
                         VALUES ($1, CAST(CAST($2 AS TEXT) AS INTEGER), $3, $4)"
                    ),
                    &[key, &y.to_string(), &actor.user, &actor.at],
                )?;
            }
            audit(
                tx,
                &actor.user,
                &actor.at,
                "retention.set",
                participant,
                &match years {
                    Some(y) => format!("{scope}: {y} year(s) after the exit"),
                    None => format!("{scope}: no rule"),
                },
            )?;
            Ok((Ok(()), true))
        })
    }

    fn retention_rules(&self) -> Result<Vec<Retention>, StoreError> {
        self.0.run(false, |tx| {
            let rules = texts(
                tx,
                "SELECT program_id, participant_id, CAST(years AS TEXT) FROM retention_rule \
                 ORDER BY program_id, participant_id",
                &[],
            )?
            .into_iter()
            .filter_map(|r| {
                let scope = match (&r[0], &r[1]) {
                    (Some(p), _) => Scope::Program(ProgramId::parse(p).ok()?),
                    (None, Some(x)) => Scope::Participant(ParticipantId::parse(x).ok()?),
                    (None, None) => return None,
                };
                Some(Retention {
                    scope,
                    years: r[2].as_deref()?.parse().ok()?,
                })
            })
            .collect();
            Ok((rules, false))
        })
    }

    fn retention_due(&self, today: Date) -> Result<Vec<Due>, StoreError> {
        self.0.run(false, |tx| Ok((due_in(tx, today)?, false)))
    }

    fn purge_retention(
        &self,
        actor: &Actor,
        today: Date,
        reference_given: &str,
    ) -> Result<Result<Purged, Refused>, StoreError> {
        let reference = match reference(reference_given) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let mut purged = Purged::default();
        for due in self.retention_due(today)? {
            if due.held.is_some() {
                purged.held.push(due);
                continue;
            }
            // Each erasure in its own transaction, checked again inside it: a hold placed
            // since the list was read wins.
            let reach = Reach::Program(due.program.clone());
            match self.erase(actor, &reach, &due.participant, reference, today)? {
                Ok(e) => purged.erased.push(e),
                Err(Refused::Held { .. }) => purged.held.push(due),
                Err(_) => {}
            }
        }
        Ok(Ok(purged))
    }
}

fn due_in(tx: &mut dyn Tx, today: Date) -> Result<Vec<Due>, StoreError> {
    let b = tx.backend();
    let left = collect(
        tx,
        File::Participants,
        &records_sql(
            b,
            File::Participants,
            "WHERE r.exited_on IS NOT NULL ORDER BY r.program_id, r.participant_id",
        ),
        &[],
        pick!(Participant),
    )?;
    let mut due = Vec::new();
    for p in left {
        let Some(exit) = p.exit.as_ref().map(|e| e.on) else {
            continue;
        };
        let Some(rule) = rule_for(tx, &p)? else {
            continue;
        };
        if kept_on(Some(exit), rule.years, today) {
            continue;
        }
        due.push(Due {
            held: hold_on(tx, &p)?,
            participant: p.id,
            program: p.program,
            exit,
            years: rule.years,
            due_on: due_on(exit, rule.years),
        });
    }
    Ok(due)
}
