//! The computed fidelity items of METRICS.md: S1, V4, V6, V8, V9, V10, V13, and the V12
//! indicator, each with the evidence a lead needs to check the figure by hand.
//!
//! Readings of METRICS.md chosen here (also in the report of the `metrics` branch):
//! - Records may come from several programs; only the program's own are used. Coaches and
//!   participants belong to it by their `program`; meetings and employer contacts count for
//!   a coach by `coach_id` (whoever the participant is), and for a participant by
//!   `participant_id` (whichever coach met them or made the contact); jobs belong to the
//!   program's participants.
//! - Windows such as `[d − 365, d]` are counted in calendar days.
//! - Scores compare the exact value with the anchors (allowing 1e-9 for binary rounding,
//!   see [`crate::scale::Anchors::score`]); values are then reported rounded to 2 decimals,
//!   half away from zero on the decimal value ([`crate::round::round_decimal`]).
//! - S1, V6 and V13 are not scored when no coach counts: METRICS.md says so for S1 and V13;
//!   for V6 it gives no rule, and a mean over no coaches has no value, so the same applies.
//! - Lists in the evidence are sorted (coaches, participants and jobs by ID; meetings and
//!   contacts by date, then ID), and ties are broken by ID, so that the order in which
//!   records arrive changes nothing.

mod caseload;
mod community;
mod employer_contact;
mod follow_along;
mod index;
mod jobs;
mod lookback;
mod rapid_search;

use chrono::{Days, NaiveDate as Date};
use serde::{Deserialize, Serialize};

use crate::id::*;
use crate::records::*;
use crate::scale::{ITEMS, ItemId, RULES_VERSION, SCALE_ID};

pub use caseload::CaseloadCoach;
pub use community::{CommunityCoach, CommunityEvidence};
pub use employer_contact::ContactCoach;
pub use follow_along::{FollowAlongStart, FollowAlongWeek, follow_along_weeks};
pub use jobs::JobLine;
pub use lookback::Lookback;
pub use rapid_search::{RapidSearchLine, RapidSearchParticipant, V4_NO_CONTACT_GRACE_DAYS};

use index::ProgramIndex;

/// The records behind one program's figures. The slices may hold other programs' records
/// too (for instance a whole region's); only this program's are used.
#[derive(Debug, Clone, Copy)]
pub struct ProgramRecords<'a> {
    pub program: &'a ProgramId,
    pub coaches: &'a [Coach],
    pub participants: &'a [Participant],
    pub meetings: &'a [Meeting],
    pub contacts: &'a [EmployerContact],
    pub jobs: &'a [Job],
}

impl<'a> ProgramRecords<'a> {
    /// What the outcome figures need: the program's participants and their jobs, nothing else.
    pub fn people_and_jobs(
        program: &'a ProgramId,
        participants: &'a [Participant],
        jobs: &'a [Job],
    ) -> Self {
        ProgramRecords {
            program,
            coaches: &[],
            participants,
            meetings: &[],
            contacts: &[],
            jobs,
        }
    }
}

/// What produced an item's value, so that it can be checked by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "lines", rename_all = "snake_case")]
pub enum Evidence {
    /// The item is scored by reviewers; fika computes nothing for it.
    None,
    /// S1: each coach in post on the review date.
    Caseload(Vec<CaseloadCoach>),
    /// V4: each participant enrolled in the year before the review date.
    RapidJobSearch(Vec<RapidSearchParticipant>),
    /// V6: each coach in post on the review date.
    EmployerContacts(Vec<ContactCoach>),
    /// V8, V9, V10: the jobs counted.
    Jobs(Vec<JobLine>),
    /// V13: each coach counted, and those left out.
    Community(CommunityEvidence),
    /// V12: each job start.
    FollowAlong(Vec<FollowAlongStart>),
}

/// One item of a fidelity report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    pub id: ItemId,
    /// Rounded to 2 decimals; `None` for an item fika does not compute or where nothing counts.
    pub value: Option<f64>,
    /// 1–5; `None` for an item scored by reviewers, where nothing counts, and always for V12.
    pub score: Option<u8>,
    /// Coaches (S1, V6, V13), participants (V4), jobs (V8, V9, V10) or job starts (V12)
    /// counted; `None` for an item fika does not compute.
    pub n: Option<u32>,
    pub evidence: Evidence,
}

impl ItemResult {
    fn not_computed(id: ItemId) -> Self {
        ItemResult {
            id,
            value: None,
            score: None,
            n: None,
            evidence: Evidence::None,
        }
    }
}

/// The computed part of a program's fidelity on a review date, all 25 items in scale order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FidelityReport {
    pub program: ProgramId,
    pub at: Date,
    pub scale: String,
    pub rules: u32,
    pub items: Vec<ItemResult>,
    /// Sum of the non-null scores.
    pub computed_total: u32,
}

impl FidelityReport {
    pub fn item(&self, id: ItemId) -> &ItemResult {
        &self.items[id.index()]
    }

    /// The view printed by `fika fidelity --format json` (METRICS.md), without evidence.
    pub fn summary(&self) -> FidelitySummary<'_> {
        FidelitySummary {
            program: &self.program,
            at: self.at,
            scale: &self.scale,
            rules: self.rules,
            items: self
                .items
                .iter()
                .map(|i| ItemSummary {
                    id: i.id,
                    value: i.value,
                    score: i.score,
                    n: i.n,
                })
                .collect(),
            computed_total: self.computed_total,
        }
    }
}

/// METRICS.md's JSON shape of a fidelity report:
/// `{"program", "at", "scale", "rules", "items": [{"id", "value", "score", "n"}…], "computed_total"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FidelitySummary<'a> {
    pub program: &'a ProgramId,
    pub at: Date,
    pub scale: &'a str,
    pub rules: u32,
    pub items: Vec<ItemSummary>,
    pub computed_total: u32,
}

/// One item in [`FidelitySummary`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ItemSummary {
    pub id: ItemId,
    pub value: Option<f64>,
    pub score: Option<u8>,
    pub n: Option<u32>,
}

/// The computed fidelity items of one program on review date `at`.
pub fn fidelity(records: &ProgramRecords<'_>, at: Date) -> FidelityReport {
    let idx = ProgramIndex::new(records, at);
    let mut items: Vec<ItemResult> = ITEMS
        .iter()
        .map(|i| ItemResult::not_computed(i.id))
        .collect();
    for result in [
        caseload::s1(&idx, at),
        rapid_search::v4(&idx, at),
        employer_contact::v6(&idx, at),
        jobs::v8(&idx, at),
        jobs::v9(&idx, at),
        jobs::v10(&idx, at),
        follow_along::v12(&idx, at),
        community::v13(&idx, at),
    ] {
        let i = result.id.index();
        items[i] = result;
    }
    let computed_total = items.iter().filter_map(|i| i.score).map(u32::from).sum();
    FidelityReport {
        program: records.program.clone(),
        at,
        scale: SCALE_ID.to_owned(),
        rules: RULES_VERSION,
        items,
        computed_total,
    }
}

/// `d − n` calendar days (the earliest date for an absurd `n`).
pub(crate) fn days_before(d: Date, n: u64) -> Date {
    d.checked_sub_days(Days::new(n)).unwrap_or(Date::MIN)
}

/// `d + n` calendar days (the latest date for an absurd `n`).
pub(crate) fn days_after(d: Date, n: u64) -> Date {
    d.checked_add_days(Days::new(n)).unwrap_or(Date::MAX)
}

/// A per-coach item's result from the coach values and scores: value = mean of the coach
/// values, score = mean of the coach scores rounded half up, n = coaches counted.
fn per_coach_result(id: ItemId, coaches: &[(f64, u8)], evidence: Evidence) -> ItemResult {
    let scores: Vec<u8> = coaches.iter().map(|c| c.1).collect();
    ItemResult {
        id,
        value: crate::round::mean(coaches.iter().map(|c| c.0))
            .map(|v| crate::round::round_decimal(v, 2)),
        score: crate::round::mean_score_half_up(&scores),
        n: Some(coaches.len() as u32),
        evidence,
    }
}
