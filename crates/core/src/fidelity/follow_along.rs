//! V12 Time-unlimited follow-along supports — an indicator, never scored (METRICS.md).
//! Job starts: paid jobs of the program's participants started in `[d − 365, d − 28]`. A
//! start is followed when the participant had an in-person meeting (with any coach) in
//! `[started_on, started_on + 3]` and in each week `[started_on + 7k + 1, started_on + 7k + 7]`,
//! k = 0..3, that begins on or before the job's `ended_on`. Value: 100 × followed ÷ starts.

use chrono::NaiveDate as Date;
use serde::{Deserialize, Serialize};

use crate::id::*;
use crate::records::Meeting;
use crate::round::round_decimal;
use crate::scale::ItemId;

use super::index::{ProgramIndex, in_window};
use super::{Evidence, ItemResult, days_after, days_before};

/// One period of the follow-along schedule after a job start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowAlongWeek {
    /// 0 for the first days `[s, s + 3]`; 1–4 for the weeks after.
    pub week: u8,
    pub from: Date,
    pub to: Date,
    /// False for a week that begins after the job ended: it needs no meeting.
    pub required: bool,
    /// The first in-person meeting in the period, if any.
    pub meeting: Option<MeetingId>,
}

/// V12 evidence for one job start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowAlongStart {
    pub job: JobId,
    pub participant: ParticipantId,
    pub started_on: Date,
    pub ended_on: Option<Date>,
    pub weeks: Vec<FollowAlongWeek>,
    pub followed: bool,
}

/// Starts up to `d − 28`, so that all four weeks after the start have passed by `d`.
pub const V12_LAST_START_DAYS: u64 = 28;
pub const V12_FIRST_START_DAYS: u64 = 365;

/// The follow-along schedule of one job start and whether each period had a meeting.
pub fn follow_along_weeks(
    started_on: Date,
    ended_on: Option<Date>,
    in_person_meetings: &[&Meeting],
) -> Vec<FollowAlongWeek> {
    let mut periods = vec![(0u8, started_on, days_after(started_on, 3))];
    for k in 0..4u64 {
        periods.push((
            k as u8 + 1,
            days_after(started_on, 7 * k + 1),
            days_after(started_on, 7 * k + 7),
        ));
    }
    periods
        .into_iter()
        .map(|(week, from, to)| FollowAlongWeek {
            week,
            from,
            to,
            // METRICS.md V12: a week after the job ended needs no meeting.
            required: ended_on.is_none_or(|e| from <= e),
            meeting: in_window(in_person_meetings, |m| m.date, from, to)
                .first()
                .map(|m| m.id.clone()),
        })
        .collect()
}

pub(super) fn v12(idx: &ProgramIndex<'_>, d: Date) -> ItemResult {
    let from = days_before(d, V12_FIRST_START_DAYS);
    let to = days_before(d, V12_LAST_START_DAYS);
    let mut lines = Vec::new();
    for job in idx
        .jobs
        .iter()
        .filter(|j| j.kind.is_paid() && from <= j.started_on && j.started_on <= to)
    {
        // The index keeps in-person meetings only.
        let in_person = idx.meetings_of_participant(&job.participant);
        let weeks = follow_along_weeks(job.started_on, job.ended_on, in_person);
        let followed = weeks.iter().all(|w| !w.required || w.meeting.is_some());
        lines.push(FollowAlongStart {
            job: job.id.clone(),
            participant: job.participant.clone(),
            started_on: job.started_on,
            ended_on: job.ended_on,
            weeks,
            followed,
        });
    }
    let followed = lines.iter().filter(|l| l.followed).count();
    let value = (!lines.is_empty()).then(|| 100.0 * followed as f64 / lines.len() as f64);
    ItemResult {
        id: ItemId::V12,
        value: value.map(|v| round_decimal(v, 2)),
        // METRICS.md V12: reviewers score it; fika only shows the indicator.
        score: None,
        n: Some(lines.len() as u32),
        evidence: Evidence::FollowAlong(lines),
    }
}
