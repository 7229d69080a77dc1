//! Figures a question can be filled in from: what fika computes for the program on the
//! round's reference date, so that programs type only what fika cannot know.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::fidelity::{Evidence, FidelityReport};
use crate::outcomes::Outcomes;
use crate::round::round_decimal;
use crate::scale::ItemId;

/// A figure fika computes for a program. Written in files as its name: `coaches`,
/// `coach_fte`, `caseload_per_coach`, `participants_active`, `strict_rate`, `broad_rate`,
/// `community_share`, or `fidelity:ITEM` (for instance `fidelity:V4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Figure {
    /// Coaches in post on the reference date (S1's coaches).
    Coaches,
    /// Their full-time equivalents added up.
    CoachFte,
    /// S1: participants active per full-time coach, the mean over coaches.
    CaseloadPerCoach,
    /// The participants of the coaches in post who are active on the reference date.
    ParticipantsActive,
    /// The computed value of one fidelity item on the reference date.
    FidelityItem(ItemId),
    /// The quarter's competitive employment rate, in percent (METRICS.md `employment_rate`),
    /// for the quarter that holds the reference date.
    StrictRate,
    /// The quarter's paid employment rate (competitive or not), in percent.
    BroadRate,
    /// V13: the share of in-person minutes spent in the community, in percent.
    CommunityShare,
}

impl Figure {
    /// Every figure but the fidelity items, which are written `fidelity:ITEM`.
    pub const PLAIN: [Figure; 7] = [
        Figure::Coaches,
        Figure::CoachFte,
        Figure::CaseloadPerCoach,
        Figure::ParticipantsActive,
        Figure::StrictRate,
        Figure::BroadRate,
        Figure::CommunityShare,
    ];

    pub fn parse(s: &str) -> Result<Figure, String> {
        if let Some(item) = s.strip_prefix("fidelity:") {
            let id: ItemId = item
                .parse()
                .map_err(|_| format!("{item:?} is not an item of the fidelity scale"))?;
            return Ok(Figure::FidelityItem(id));
        }
        Figure::PLAIN
            .into_iter()
            .find(|f| f.to_string() == s)
            .ok_or_else(|| {
                format!(
                    "{s:?} is not a figure fika computes; it knows {} and fidelity:ITEM",
                    Figure::PLAIN.map(|f| f.to_string()).join(", ")
                )
            })
    }

    /// The figure's value for a program: from its fidelity report on the reference date
    /// and its outcomes in the quarter that holds it. `None` where nothing counts (no coach
    /// in post, nobody served, an item fika does not compute).
    pub fn value(self, fidelity: &FidelityReport, outcomes: &Outcomes) -> Option<f64> {
        let s1 = match &fidelity.item(ItemId::S1).evidence {
            Evidence::Caseload(lines) => lines.as_slice(),
            _ => &[],
        };
        match self {
            Figure::Coaches => Some(s1.len() as f64),
            Figure::CoachFte => Some(round_decimal(s1.iter().map(|c| c.fte).sum(), 2)),
            Figure::CaseloadPerCoach => fidelity.item(ItemId::S1).value,
            Figure::ParticipantsActive => {
                Some(s1.iter().map(|c| c.participants.len()).sum::<usize>() as f64)
            }
            Figure::FidelityItem(id) => fidelity.item(id).value,
            Figure::StrictRate => outcomes
                .figures
                .employment_rate
                .map(|r| round_decimal(100.0 * r, 2)),
            Figure::BroadRate => outcomes
                .figures
                .paid_employment_rate
                .map(|r| round_decimal(100.0 * r, 2)),
            Figure::CommunityShare => fidelity.item(ItemId::V13).value,
        }
    }

    /// What the value is made of, in words, for the respondent to check it against.
    pub fn evidence(self, fidelity: &FidelityReport, outcomes: &Outcomes) -> String {
        let f = &outcomes.figures;
        match self {
            Figure::StrictRate => format!(
                "{} of {} participants served in {} were in competitive work",
                f.working_competitive, f.served, outcomes.quarter
            ),
            Figure::BroadRate => format!(
                "{} of {} participants served in {} were in paid work",
                f.working_paid, f.served, outcomes.quarter
            ),
            Figure::FidelityItem(id) => {
                let item = fidelity.item(id);
                format!(
                    "fidelity item {id} on {}: {} counted",
                    fidelity.at,
                    item.n.map_or("nothing".to_owned(), |n| n.to_string())
                )
            }
            _ => {
                let s1 = match &fidelity.item(ItemId::S1).evidence {
                    Evidence::Caseload(lines) => lines.as_slice(),
                    _ => &[],
                };
                let people: usize = s1.iter().map(|c| c.participants.len()).sum();
                let fte: f64 = s1.iter().map(|c| c.fte).sum();
                format!(
                    "on {}: {} coaches in post ({} full-time), {} participants active",
                    fidelity.at,
                    s1.len(),
                    round_decimal(fte, 2),
                    people
                )
            }
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Figure::Coaches => f.write_str("coaches"),
            Figure::CoachFte => f.write_str("coach_fte"),
            Figure::CaseloadPerCoach => f.write_str("caseload_per_coach"),
            Figure::ParticipantsActive => f.write_str("participants_active"),
            Figure::FidelityItem(id) => write!(f, "fidelity:{id}"),
            Figure::StrictRate => f.write_str("strict_rate"),
            Figure::BroadRate => f.write_str("broad_rate"),
            Figure::CommunityShare => f.write_str("community_share"),
        }
    }
}

impl TryFrom<String> for Figure {
    type Error = String;
    fn try_from(s: String) -> Result<Figure, String> {
        Figure::parse(&s)
    }
}

impl From<Figure> for String {
    fn from(f: Figure) -> String {
        f.to_string()
    }
}
