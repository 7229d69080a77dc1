//! V6 Job development — frequent employer contact (METRICS.md): window `[d − 27, d]`; for
//! each coach in post on `d`, rate = face-to-face employer contacts made by that coach in the
//! window ÷ 4 ÷ fte. Value: the mean rate. With no coach in post the item is not scored
//! (METRICS.md gives no rule; a mean over no coaches has no value).

use chrono::NaiveDate as Date;
use serde::{Deserialize, Serialize};

use crate::id::*;
use crate::round::round_decimal;
use crate::scale::{ItemId, anchors_of};

use super::index::{ProgramIndex, in_window};
use super::{Evidence, ItemResult, days_before, per_coach_result};

/// V6 evidence for one coach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactCoach {
    pub coach: CoachId,
    pub fte: f64,
    /// The face-to-face contacts the coach made in the four weeks.
    pub contacts: Vec<ContactId>,
    /// Contacts ÷ 4 ÷ fte: per week per full-time coach, rounded to 2 decimals.
    pub rate: f64,
    pub score: u8,
}

/// The four weeks of V6 end on the review date: `[d − 27, d]`.
pub const V6_WINDOW_DAYS: u64 = 27;

pub(super) fn v6(idx: &ProgramIndex<'_>, d: Date) -> ItemResult {
    let anchors = anchors_of(ItemId::V6);
    let from = days_before(d, V6_WINDOW_DAYS);
    let mut lines = Vec::new();
    let mut values = Vec::new();
    for coach in idx.coaches.iter().filter(|c| c.in_post_on(d)) {
        // Indexed by coach, so every contact here has made_by = coach and this coach_id.
        let contacts: Vec<ContactId> =
            in_window(idx.contacts_of_coach(&coach.id), |c| c.date, from, d)
                .iter()
                .filter(|c| c.face_to_face)
                .map(|c| c.id.clone())
                .collect();
        let fte = coach.fte.get();
        let rate = contacts.len() as f64 / 4.0 / fte;
        let score = anchors.score(rate);
        values.push((rate, score));
        lines.push(ContactCoach {
            coach: coach.id.clone(),
            fte,
            contacts,
            rate: round_decimal(rate, 2),
            score,
        });
    }
    per_coach_result(ItemId::V6, &values, Evidence::EmployerContacts(lines))
}
