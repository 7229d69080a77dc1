//! V4 Rapid job search (METRICS.md). Cohort: the program's participants enrolled in
//! `[d − 365, d]`. Days = date of the first face-to-face employer contact on the
//! participant's behalf in `[enrolled_on, d]` (made by any coach for this participant, or
//! by the participant) − `enrolled_on`. With no such contact yet, a participant counts with
//! `d − enrolled_on` days when that is more than 30, and is left out otherwise (still within
//! the target). Value: mean days. Not scored when no participant counts.

use chrono::NaiveDate as Date;
use serde::{Deserialize, Serialize};

use crate::id::*;
use crate::round::{mean, round_decimal};
use crate::scale::{ItemId, anchors_of};

use super::index::{ProgramIndex, in_window};
use super::{Evidence, ItemResult, days_before};

/// V4 evidence for one participant of the cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RapidSearchParticipant {
    pub participant: ParticipantId,
    pub enrolled_on: Date,
    #[serde(flatten)]
    pub line: RapidSearchLine,
}

/// How a participant of the V4 cohort was counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "counted_as", rename_all = "snake_case")]
pub enum RapidSearchLine {
    /// Counted: days from enrolment to the first face-to-face employer contact.
    FirstContact {
        contact: ContactId,
        date: Date,
        days: i64,
    },
    /// Counted: no contact yet, and more than 30 days have passed since enrolment.
    NoneYet { days: i64 },
    /// Left out: no contact yet, but at most 30 days since enrolment (still within target).
    LeftOutWithinTarget { days_so_far: i64 },
}

impl RapidSearchLine {
    /// The days this participant counts with, if counted.
    pub fn days(&self) -> Option<i64> {
        match self {
            RapidSearchLine::FirstContact { days, .. } | RapidSearchLine::NoneYet { days } => {
                Some(*days)
            }
            RapidSearchLine::LeftOutWithinTarget { .. } => None,
        }
    }
}

/// The cohort: enrolled in `[d − 365, d]`.
pub const V4_COHORT_DAYS: u64 = 365;
/// A participant with no contact yet counts only after more than this many days.
pub const V4_NO_CONTACT_GRACE_DAYS: i64 = 30;

pub(super) fn v4(idx: &ProgramIndex<'_>, d: Date) -> ItemResult {
    let anchors = anchors_of(ItemId::V4);
    let from = days_before(d, V4_COHORT_DAYS);
    let mut lines = Vec::new();
    for p in idx
        .participants
        .iter()
        .filter(|p| from <= p.enrolled_on && p.enrolled_on <= d)
    {
        // Indexed by participant: coach contacts naming this participant and the
        // participant's own, sorted by date then ID, so the first match is the earliest.
        let first = in_window(
            idx.contacts_for_participant(&p.id),
            |c| c.date,
            p.enrolled_on,
            d,
        )
        .iter()
        .find(|c| c.face_to_face);
        let line = match first {
            Some(c) => RapidSearchLine::FirstContact {
                contact: c.id.clone(),
                date: c.date,
                days: (c.date - p.enrolled_on).num_days(),
            },
            None => {
                let days = (d - p.enrolled_on).num_days();
                // METRICS.md V4: no contact yet counts only after 30 days.
                if days > V4_NO_CONTACT_GRACE_DAYS {
                    RapidSearchLine::NoneYet { days }
                } else {
                    RapidSearchLine::LeftOutWithinTarget { days_so_far: days }
                }
            }
        };
        lines.push(RapidSearchParticipant {
            participant: p.id.clone(),
            enrolled_on: p.enrolled_on,
            line,
        });
    }
    let days: Vec<f64> = lines
        .iter()
        .filter_map(|l| l.line.days())
        .map(|d| d as f64)
        .collect();
    let value = mean(days.iter().copied());
    ItemResult {
        id: ItemId::V4,
        value: value.map(|v| round_decimal(v, 2)),
        score: value.map(|v| anchors.score(v)),
        n: Some(days.len() as u32),
        evidence: Evidence::RapidJobSearch(lines),
    }
}
