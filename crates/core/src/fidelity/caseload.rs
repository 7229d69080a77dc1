//! S1 Caseload size (METRICS.md): for each coach in post on `d` with fte > 0, caseload =
//! participants of that coach active on `d`, divided by fte. Value: the mean caseload.
//! Not scored when no coach is in post.

use chrono::NaiveDate as Date;
use serde::{Deserialize, Serialize};

use crate::id::*;
use crate::round::round_decimal;
use crate::scale::{ItemId, anchors_of};

use super::index::ProgramIndex;
use super::{Evidence, ItemResult, per_coach_result};

/// S1 evidence for one coach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseloadCoach {
    pub coach: CoachId,
    pub fte: f64,
    /// The coach's participants active on the review date.
    pub participants: Vec<ParticipantId>,
    /// Participants ÷ fte, rounded to 2 decimals.
    pub caseload: f64,
    pub score: u8,
}

pub(super) fn s1(idx: &ProgramIndex<'_>, d: Date) -> ItemResult {
    let anchors = anchors_of(ItemId::S1);
    let mut lines = Vec::new();
    let mut values = Vec::new();
    // Fte is > 0 by its type (INTERCHANGE.md: 0 < fte ≤ 1), so "fte > 0" always holds.
    for coach in idx.coaches.iter().filter(|c| c.in_post_on(d)) {
        let participants: Vec<ParticipantId> = idx
            .participants_of(&coach.id)
            .iter()
            .filter(|p| p.is_active_on(d))
            .map(|p| p.id.clone())
            .collect();
        let fte = coach.fte.get();
        let caseload = participants.len() as f64 / fte;
        let score = anchors.score(caseload);
        values.push((caseload, score));
        lines.push(CaseloadCoach {
            coach: coach.id.clone(),
            fte,
            participants,
            caseload: round_decimal(caseload, 2),
            score,
        });
    }
    per_coach_result(ItemId::S1, &values, Evidence::Caseload(lines))
}
