//! Final figures: a quarter's outcomes or a review date's fidelity report that a program
//! has published, kept as a snapshot with the version of the rules it was computed under
//! (migration 0019, docs/privacy.md). Records change after publication — an erasure, a
//! restriction, a correction — and the figures computed from them with it; a final figure
//! does not: reading it reads the snapshot. A final figure is never replaced.

use std::fmt;

use fika_core::ProgramId;

use crate::backend::Runner;
use crate::caseload::{Actor, Reach};
use crate::sql::{audit, count, exec, texts};
use crate::{Db, StoreError};

/// What a final figure is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FinalKind {
    /// A quarter's outcomes (`period` is the quarter, `2025Q1`).
    Outcomes,
    /// A review date's computed fidelity items (`period` is the date).
    Fidelity,
}

impl FinalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FinalKind::Outcomes => "outcomes",
            FinalKind::Fidelity => "fidelity",
        }
    }

    fn parse(s: &str) -> Option<FinalKind> {
        match s {
            "outcomes" => Some(FinalKind::Outcomes),
            "fidelity" => Some(FinalKind::Fidelity),
            _ => None,
        }
    }
}

/// A final figure as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalFigure {
    pub program: ProgramId,
    pub kind: FinalKind,
    pub period: String,
    /// The version of the rules it was computed under (`fika_core::outcomes::RULES`,
    /// `fika_core::scale::RULES_VERSION`).
    pub rules: u32,
    /// The figures as published: the JSON line `fika outcomes` / `fika fidelity` prints.
    pub figures: String,
    pub marked_by: String,
    pub marked_at: String,
}

/// Why a figure was not marked final.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinalRefused {
    /// No such program within the reach.
    NotFound,
    /// It is final already (since `marked_at`): a final figure is never replaced.
    AlreadyFinal { marked_at: String },
}

impl fmt::Display for FinalRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinalRefused::NotFound => write!(f, "there is no such program in your reach"),
            FinalRefused::AlreadyFinal { marked_at } => write!(
                f,
                "these figures were marked final on {marked_at}; a final figure is never replaced"
            ),
        }
    }
}

/// Final figures, kept per program, kind and period.
pub trait FinalFigures {
    /// Keeps `figure` (its program, kind, period, rules and figures; the marker is `actor`)
    /// as final, within `reach` (a lead's program), with its audit row `figures.final`.
    fn mark_final(
        &self,
        actor: &Actor,
        reach: &Reach,
        figure: &FinalFigure,
    ) -> Result<Result<(), FinalRefused>, StoreError>;

    /// The final figure of a program, kind and period, if it was marked.
    fn final_figure(
        &self,
        program: &ProgramId,
        kind: FinalKind,
        period: &str,
    ) -> Result<Option<FinalFigure>, StoreError>;

    /// Every final figure, of one program or of all, by program, kind and period.
    fn final_figures(&self, program: Option<&ProgramId>) -> Result<Vec<FinalFigure>, StoreError>;
}

const COLUMNS: &str =
    "program_id, kind, period, CAST(rules AS TEXT), figures, marked_by, marked_at";

fn read(rows: Vec<Vec<Option<String>>>) -> Vec<FinalFigure> {
    rows.into_iter()
        .filter_map(|r| {
            Some(FinalFigure {
                program: ProgramId::parse(r[0].as_deref()?).ok()?,
                kind: FinalKind::parse(r[1].as_deref()?)?,
                period: r[2].clone()?,
                rules: r[3].as_deref()?.parse().ok()?,
                figures: r[4].clone()?,
                marked_by: r[5].clone()?,
                marked_at: r[6].clone()?,
            })
        })
        .collect()
}

impl<R: Runner> FinalFigures for Db<R> {
    fn mark_final(
        &self,
        actor: &Actor,
        reach: &Reach,
        figure: &FinalFigure,
    ) -> Result<Result<(), FinalRefused>, StoreError> {
        self.0.run(true, |tx| {
            let p = figure.program.as_str();
            if reach != &Reach::Program(figure.program.clone())
                || count(tx, "program WHERE program_id = $1", &[p])? == 0
            {
                return Ok((Err(FinalRefused::NotFound), false));
            }
            let kind = figure.kind.as_str();
            let period = figure.period.as_str();
            if let Some(f) = read(texts(
                tx,
                &format!(
                    "SELECT {COLUMNS} FROM final_figure WHERE program_id = $1 AND kind = $2 AND period = $3"
                ),
                &[p, kind, period],
            )?)
            .pop()
            {
                return Ok((
                    Err(FinalRefused::AlreadyFinal {
                        marked_at: f.marked_at,
                    }),
                    false,
                ));
            }
            exec(
                tx,
                "INSERT INTO final_figure (program_id, kind, period, rules, figures, marked_by, marked_at) \
                 VALUES ($1, $2, $3, CAST(CAST($4 AS TEXT) AS INTEGER), $5, $6, $7)",
                &[
                    p,
                    kind,
                    period,
                    &figure.rules.to_string(),
                    &figure.figures,
                    &actor.user,
                    &actor.at,
                ],
            )?;
            audit(
                tx,
                &actor.user,
                &actor.at,
                "figures.final",
                None,
                &format!("{kind} {period} of {p} (rules {})", figure.rules),
            )?;
            Ok((Ok(()), true))
        })
    }

    fn final_figure(
        &self,
        program: &ProgramId,
        kind: FinalKind,
        period: &str,
    ) -> Result<Option<FinalFigure>, StoreError> {
        self.0.run(false, |tx| {
            let f = read(texts(
                tx,
                &format!(
                    "SELECT {COLUMNS} FROM final_figure WHERE program_id = $1 AND kind = $2 AND period = $3"
                ),
                &[program.as_str(), kind.as_str(), period],
            )?)
            .pop();
            Ok((f, false))
        })
    }

    fn final_figures(&self, program: Option<&ProgramId>) -> Result<Vec<FinalFigure>, StoreError> {
        self.0.run(false, |tx| {
            let rows = match program {
                Some(p) => texts(
                    tx,
                    &format!(
                        "SELECT {COLUMNS} FROM final_figure WHERE program_id = $1 ORDER BY program_id, kind, period"
                    ),
                    &[p.as_str()],
                )?,
                None => texts(
                    tx,
                    &format!("SELECT {COLUMNS} FROM final_figure ORDER BY program_id, kind, period"),
                    &[],
                )?,
            };
            Ok((read(rows), false))
        })
    }
}
