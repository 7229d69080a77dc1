//! The registers around the participant records: employers, programs, coaches, stand-ins,
//! and the audit log. Each write writes its audit row in the same transaction.

use fika_core::*;

use crate::backend::{Runner, Tx};
use crate::caseload::{Actor, WriteError, records_sql, violations_to_error};
use crate::export::{collect, pick};
use crate::schema::Kind;
use crate::sql::{audit, count, exec, insert, param, texts};
use crate::{Db, StoreError};

/// A coach standing in for another coach's caseload from `from` to `to` (both inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandIn {
    pub id: String,
    pub coach: CoachId,
    pub stand_in: CoachId,
    pub from: Date,
    pub to: Date,
}

/// One audit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub who: String,
    pub action: String,
    pub participant: Option<String>,
    pub detail: String,
}

/// Employers, programs, coaches and stand-ins; the audit log.
pub trait Register {
    /// Names a stand-in for a coach of `program` (audited as `stand_in.add`).
    fn add_stand_in(
        &self,
        actor: &Actor,
        program: &ProgramId,
        s: &StandIn,
    ) -> Result<(), WriteError>;

    /// Stand-ins for coaches of a program, latest first.
    fn stand_ins(&self, program: &ProgramId) -> Result<Vec<StandIn>, StoreError>;

    fn employers(&self) -> Result<Vec<Employer>, StoreError>;
    fn add_employer(&self, actor: &Actor, e: &Employer) -> Result<(), WriteError>;

    fn programs(&self) -> Result<Vec<Program>, StoreError>;
    /// A new program (audited as `program.add`).
    fn add_program(&self, actor: &Actor, p: &Program) -> Result<(), WriteError>;
    /// A new coach of an existing program (audited as `coach.add`).
    fn add_coach(&self, actor: &Actor, c: &Coach) -> Result<(), WriteError>;
    /// Every coach, or the coaches of one program.
    fn coaches(&self, program: Option<&ProgramId>) -> Result<Vec<Coach>, StoreError>;

    /// The audit rows, oldest first.
    fn audit_log(&self) -> Result<Vec<AuditRow>, StoreError>;
}

impl<R: Runner> Register for Db<R> {
    fn add_stand_in(
        &self,
        actor: &Actor,
        program: &ProgramId,
        s: &StandIn,
    ) -> Result<(), WriteError> {
        if s.coach == s.stand_in {
            return Err(WriteError::Rule {
                rule: "stand-in-self",
                text: "a coach cannot stand in for themselves".into(),
            });
        }
        if s.to < s.from {
            return Err(WriteError::Rule {
                rule: "dates-reversed",
                text: "the last day is before the first".into(),
            });
        }
        self.0.run(true, |tx| {
            let both = count(
                tx,
                "coach WHERE program_id = $1 AND coach_id IN ($2, $3)",
                &[program.as_str(), s.coach.as_str(), s.stand_in.as_str()],
            )?;
            if both != 2 {
                return Ok((Err(WriteError::NotFound), false));
            }
            let b = tx.backend();
            exec(
                tx,
                &format!(
                    "INSERT INTO stand_in (stand_in_id, coach_id, stand_in_coach_id, from_on, to_on, created_by) \
                     VALUES ($1, $2, $3, {}, {}, $6)",
                    param(b, Kind::Date, 4),
                    param(b, Kind::Date, 5)
                ),
                &[
                    &s.id,
                    s.coach.as_str(),
                    s.stand_in.as_str(),
                    &s.from.to_string(),
                    &s.to.to_string(),
                    &actor.user,
                ],
            )?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "stand_in.add",
                None,
                &format!("{} stands in for {} {}–{}", s.stand_in, s.coach, s.from, s.to),
            )?;
            Ok((Ok(()), true))
        })?
    }

    fn stand_ins(&self, program: &ProgramId) -> Result<Vec<StandIn>, StoreError> {
        self.0.run(false, |tx| {
            let v = stand_ins_where(
                tx,
                "s.coach_id IN (SELECT coach_id FROM coach WHERE program_id = $1)",
                &[program.as_str()],
            )?;
            Ok((v, false))
        })
    }

    fn employers(&self) -> Result<Vec<Employer>, StoreError> {
        self.0.run(false, |tx| {
            let sql = records_sql(tx.backend(), File::Employers, "ORDER BY r.name");
            Ok((
                collect(tx, File::Employers, &sql, &[], pick!(Employer))?,
                false,
            ))
        })
    }

    fn add_employer(&self, actor: &Actor, e: &Employer) -> Result<(), WriteError> {
        if let Some(e) = violations_to_error(e.violations()) {
            return Err(e);
        }
        self.0.run(true, |tx| {
            insert(tx, &Row::Employer(e.clone()))?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "employer.add",
                None,
                e.id.as_str(),
            )?;
            Ok(((), true))
        })?;
        Ok(())
    }

    fn programs(&self) -> Result<Vec<Program>, StoreError> {
        self.0.run(false, |tx| {
            let sql = records_sql(tx.backend(), File::Programs, "ORDER BY r.seq");
            Ok((
                collect(tx, File::Programs, &sql, &[], pick!(Program))?,
                false,
            ))
        })
    }

    fn add_program(&self, actor: &Actor, p: &Program) -> Result<(), WriteError> {
        if let Some(e) = violations_to_error(p.violations()) {
            return Err(e);
        }
        self.0.run(true, |tx| {
            insert(tx, &Row::Program(p.clone()))?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "program.add",
                None,
                p.id.as_str(),
            )?;
            Ok(((), true))
        })?;
        Ok(())
    }

    fn add_coach(&self, actor: &Actor, c: &Coach) -> Result<(), WriteError> {
        if let Some(e) = violations_to_error(c.violations()) {
            return Err(e);
        }
        self.0.run(true, |tx| {
            if count(tx, "program WHERE program_id = $1", &[c.program.as_str()])? == 0 {
                return Ok((Err(WriteError::NotFound), false));
            }
            insert(tx, &Row::Coach(c.clone()))?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "coach.add",
                None,
                &format!("{} in {}", c.id, c.program),
            )?;
            Ok((Ok(()), true))
        })?
    }

    fn coaches(&self, program: Option<&ProgramId>) -> Result<Vec<Coach>, StoreError> {
        self.0.run(false, |tx| {
            let b = tx.backend();
            let v = match program {
                Some(p) => collect(
                    tx,
                    File::Coaches,
                    &records_sql(b, File::Coaches, "WHERE r.program_id = $1 ORDER BY r.name"),
                    &[p.as_str()],
                    pick!(Coach),
                )?,
                None => collect(
                    tx,
                    File::Coaches,
                    &records_sql(b, File::Coaches, "ORDER BY r.name"),
                    &[],
                    pick!(Coach),
                )?,
            };
            Ok((v, false))
        })
    }

    fn audit_log(&self) -> Result<Vec<AuditRow>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                "SELECT who, action, participant_id, COALESCE(detail, '') FROM audit ORDER BY seq",
                &[],
            )?;
            let v = rows
                .into_iter()
                .map(|r| AuditRow {
                    who: r[0].clone().unwrap_or_default(),
                    action: r[1].clone().unwrap_or_default(),
                    participant: r[2].clone(),
                    detail: r[3].clone().unwrap_or_default(),
                })
                .collect();
            Ok((v, false))
        })
    }
}

pub(crate) fn stand_ins_where(
    tx: &mut dyn Tx,
    cond: &str,
    params: &[&str],
) -> Result<Vec<StandIn>, StoreError> {
    let b = tx.backend();
    let rows = texts(
        tx,
        &format!(
            "SELECT s.stand_in_id, s.coach_id, s.stand_in_coach_id, {}, {} FROM stand_in s WHERE {cond} \
             ORDER BY s.from_on DESC",
            b.select_expr(Kind::Date, "s.from_on"),
            b.select_expr(Kind::Date, "s.to_on")
        ),
        params,
    )?;
    let corrupt = || StoreError::Corrupt("stand_in".into());
    rows.into_iter()
        .map(|r| {
            (|| {
                Some(StandIn {
                    id: r[0].clone()?,
                    coach: CoachId::parse(r[1].as_deref()?).ok()?,
                    stand_in: CoachId::parse(r[2].as_deref()?).ok()?,
                    from: parse_date(r[3].as_deref()?).ok()?,
                    to: parse_date(r[4].as_deref()?).ok()?,
                })
            })()
            .ok_or_else(corrupt)
        })
        .collect()
}
