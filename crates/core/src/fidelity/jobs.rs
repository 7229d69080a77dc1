//! V8 Diversity of job types, V9 Diversity of employers and V10 Competitive jobs
//! (METRICS.md), all over the paid jobs of the program's participants.

use std::collections::HashSet;

use chrono::NaiveDate as Date;
use serde::{Deserialize, Serialize};

use crate::id::*;
use crate::records::Job;
use crate::round::round_decimal;
use crate::scale::{ItemId, anchors_of};
use crate::values::{JobKind, OccupationCode};

use super::index::ProgramIndex;
use super::{Evidence, ItemResult, days_before};

/// A job counted for V8, V9 or V10.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobLine {
    pub job: JobId,
    pub participant: ParticipantId,
    pub kind: JobKind,
    pub employer: Option<EmployerId>,
    pub occupation_code: Option<OccupationCode>,
    pub started_on: Date,
    pub ended_on: Option<Date>,
}

impl From<&Job> for JobLine {
    fn from(j: &Job) -> Self {
        JobLine {
            job: j.id.clone(),
            participant: j.participant.clone(),
            kind: j.kind,
            employer: j.employer.clone(),
            occupation_code: j.occupation_code,
            started_on: j.started_on,
            ended_on: j.ended_on,
        }
    }
}

/// V8 and V9 look at jobs started in `[d − 365, d]`.
pub const V8_V9_WINDOW_DAYS: u64 = 365;

/// 100 × part ÷ whole as an item result over the jobs counted; not scored with no job.
fn share_of_jobs(id: ItemId, part: usize, jobs: &[&Job]) -> ItemResult {
    let value = (!jobs.is_empty()).then(|| 100.0 * part as f64 / jobs.len() as f64);
    ItemResult {
        id,
        value: value.map(|v| round_decimal(v, 2)),
        score: value.map(|v| anchors_of(id).score(v)),
        n: Some(jobs.len() as u32),
        evidence: Evidence::Jobs(jobs.iter().map(|j| JobLine::from(*j)).collect()),
    }
}

fn paid_started_in_year<'a>(idx: &ProgramIndex<'a>, d: Date) -> impl Iterator<Item = &'a Job> {
    let from = days_before(d, V8_V9_WINDOW_DAYS);
    idx.jobs
        .iter()
        .copied()
        .filter(move |j| j.kind.is_paid() && from <= j.started_on && j.started_on <= d)
}

/// V8: paid jobs started in `[d − 365, d]` with an occupation code; value = 100 × distinct
/// codes ÷ jobs.
pub(super) fn v8(idx: &ProgramIndex<'_>, d: Date) -> ItemResult {
    let jobs: Vec<&Job> = paid_started_in_year(idx, d)
        .filter(|j| j.occupation_code.is_some())
        .collect();
    let distinct: HashSet<_> = jobs.iter().filter_map(|j| j.occupation_code).collect();
    share_of_jobs(ItemId::V8, distinct.len(), &jobs)
}

/// V9: paid jobs started in `[d − 365, d]`; value = 100 × distinct employers ÷ jobs.
/// A paid job always names its employer (INTERCHANGE.md); one that does not is left out,
/// since it cannot be told apart from the others.
pub(super) fn v9(idx: &ProgramIndex<'_>, d: Date) -> ItemResult {
    let jobs: Vec<&Job> = paid_started_in_year(idx, d)
        .filter(|j| j.employer.is_some())
        .collect();
    let distinct: HashSet<_> = jobs.iter().filter_map(|j| j.employer.as_ref()).collect();
    share_of_jobs(ItemId::V9, distinct.len(), &jobs)
}

/// V10: paid jobs held on `d`; value = 100 × competitive ones ÷ all of them.
pub(super) fn v10(idx: &ProgramIndex<'_>, d: Date) -> ItemResult {
    let jobs: Vec<&Job> = idx
        .jobs
        .iter()
        .copied()
        .filter(|j| j.kind.is_paid() && j.held_on(d))
        .collect();
    let competitive = jobs
        .iter()
        .filter(|j| j.kind == JobKind::Competitive)
        .count();
    share_of_jobs(ItemId::V10, competitive, &jobs)
}
