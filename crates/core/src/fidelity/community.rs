//! V13 Community-based services (METRICS.md): window `[d − 90, d]`; for each coach in post
//! on `d` with at least one in-person meeting in the window, share = 100 × minutes in the
//! community ÷ minutes in person. Value: the mean share. Not scored when no coach counts.

use chrono::NaiveDate as Date;
use serde::{Deserialize, Serialize};

use crate::id::*;
use crate::round::round_decimal;
use crate::scale::{ItemId, anchors_of};

use super::index::{ProgramIndex, in_window};
use super::{Evidence, ItemResult, days_before, per_coach_result};

/// V13 evidence for one coach counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityCoach {
    pub coach: CoachId,
    /// In-person meetings away from the office (café, home, workplace, employer, community).
    pub community_meetings: Vec<MeetingId>,
    /// In-person meetings at the office.
    pub office_meetings: Vec<MeetingId>,
    pub community_minutes: u32,
    /// All in-person minutes: community plus office.
    pub in_person_minutes: u32,
    /// 100 × community ÷ in person, rounded to 2 decimals.
    pub share: f64,
    pub score: u8,
}

/// V13 evidence: the coaches counted, and those in post but left out because they had no
/// in-person meeting in the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityEvidence {
    pub coaches: Vec<CommunityCoach>,
    pub no_in_person_meeting: Vec<CoachId>,
}

/// `[d − 90, d]`.
pub const V13_WINDOW_DAYS: u64 = 90;

pub(super) fn v13(idx: &ProgramIndex<'_>, d: Date) -> ItemResult {
    let anchors = anchors_of(ItemId::V13);
    let from = days_before(d, V13_WINDOW_DAYS);
    let mut evidence = CommunityEvidence {
        coaches: Vec::new(),
        no_in_person_meeting: Vec::new(),
    };
    let mut values = Vec::new();
    for coach in idx.coaches.iter().filter(|c| c.in_post_on(d)) {
        let mut line = CommunityCoach {
            coach: coach.id.clone(),
            community_meetings: Vec::new(),
            office_meetings: Vec::new(),
            community_minutes: 0,
            in_person_minutes: 0,
            share: 0.0,
            score: 0,
        };
        for m in in_window(idx.meetings_of_coach(&coach.id), |m| m.date, from, d) {
            if !m.place.is_in_person() {
                continue;
            }
            line.in_person_minutes += m.minutes.get();
            if m.place.is_in_community() {
                line.community_minutes += m.minutes.get();
                line.community_meetings.push(m.id.clone());
            } else {
                line.office_meetings.push(m.id.clone());
            }
        }
        if line.in_person_minutes == 0 {
            evidence.no_in_person_meeting.push(coach.id.clone());
            continue;
        }
        let share = 100.0 * f64::from(line.community_minutes) / f64::from(line.in_person_minutes);
        line.score = anchors.score(share);
        line.share = round_decimal(share, 2);
        values.push((share, line.score));
        evidence.coaches.push(line);
    }
    per_coach_result(ItemId::V13, &values, Evidence::Community(evidence))
}
