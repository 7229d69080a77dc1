//! One program's records, picked out of whatever the caller passed and indexed once, so
//! that every item is a walk over its own few records rather than a scan of all of them.

use crate::fast_hash::FastMap;
use crate::id::*;
use crate::records::*;

use chrono::NaiveDate as Date;

use super::community::V13_WINDOW_DAYS;
use super::employer_contact::V6_WINDOW_DAYS;
use super::follow_along::V12_FIRST_START_DAYS;
use super::jobs::V8_V9_WINDOW_DAYS;
use super::rapid_search::V4_COHORT_DAYS;
use super::{ProgramRecords, days_before};

pub(crate) struct ProgramIndex<'a> {
    /// The program's coaches, by ID.
    pub coaches: Vec<&'a Coach>,
    /// The program's participants, by ID.
    pub participants: Vec<&'a Participant>,
    coach_pos: FastMap<&'a CoachId, usize>,
    participant_pos: FastMap<&'a ParticipantId, usize>,
    /// Per coach (as in `coaches`): their participants (designated coach), by ID.
    participants_by_coach: Vec<Vec<&'a Participant>>,
    /// Per coach: in-person meetings they held in `[d − 90, d]`, by date then ID.
    meetings_by_coach: Vec<Vec<&'a Meeting>>,
    /// Per participant (as in `participants`) with a paid job started in `[d − 365, d]`:
    /// in-person meetings with any coach in `[d − 365, d]`, by date then ID.
    meetings_by_participant: Vec<Vec<&'a Meeting>>,
    /// Per coach: employer contacts they made in `[d − 27, d]`, by date then ID.
    contacts_by_coach: Vec<Vec<&'a EmployerContact>>,
    /// Per participant: employer contacts made by or for them in `[d − 365, d]`, by date
    /// then ID.
    contacts_by_participant: Vec<Vec<&'a EmployerContact>>,
    /// Jobs of the program's participants, by ID.
    pub jobs: Vec<&'a Job>,
}

/// Sorts by date, then ID; IDs are unique, so an unstable sort gives one order whatever the
/// input order was.
fn sort_by_date<T>(lists: &mut [Vec<&T>], key: impl Fn(&T) -> (Date, &str)) {
    for list in lists {
        list.sort_unstable_by(|a, b| key(a).cmp(&key(b)));
    }
}

impl<'a> ProgramIndex<'a> {
    /// Indexes the program's records that any item looks at for review date `d`: every
    /// window of METRICS.md lies within `[d − 365, d]`, so older and later meetings and
    /// contacts are not kept.
    pub fn new(r: &ProgramRecords<'a>, d: Date) -> Self {
        let mut coaches: Vec<&Coach> = r
            .coaches
            .iter()
            .filter(|c| &c.program == r.program)
            .collect();
        coaches.sort_by(|a, b| a.id.cmp(&b.id));
        let mut participants: Vec<&Participant> = r
            .participants
            .iter()
            .filter(|p| &p.program == r.program)
            .collect();
        participants.sort_by(|a, b| a.id.cmp(&b.id));

        let coach_pos: FastMap<&CoachId, usize> = coaches
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.id, i))
            .collect();
        let participant_pos: FastMap<&ParticipantId, usize> = participants
            .iter()
            .enumerate()
            .map(|(i, p)| (&p.id, i))
            .collect();
        let (nc, np) = (coaches.len(), participants.len());

        let mut participants_by_coach: Vec<Vec<&Participant>> = vec![Vec::new(); nc];
        for p in &participants {
            if let Some(&c) = coach_pos.get(&p.coach) {
                participants_by_coach[c].push(*p);
            }
        }

        let year = (
            days_before(
                d,
                V4_COHORT_DAYS
                    .max(V8_V9_WINDOW_DAYS)
                    .max(V12_FIRST_START_DAYS),
            ),
            d,
        );
        let in_year = |x: Date| year.0 <= x && x <= year.1;
        let v13_from = days_before(d, V13_WINDOW_DAYS);
        let v6_from = days_before(d, V6_WINDOW_DAYS);

        let mut meetings_by_coach: Vec<Vec<&Meeting>> = vec![Vec::new(); nc];
        let mut meetings_by_participant: Vec<Vec<&Meeting>> = vec![Vec::new(); np];
        // Only V12 reads a participant's meetings, and only for a job start.
        let mut started_work = vec![false; np];
        for j in r
            .jobs
            .iter()
            .filter(|j| j.kind.is_paid() && in_year(j.started_on))
        {
            if let Some(&p) = participant_pos.get(&j.participant) {
                started_work[p] = true;
            }
        }
        // V12 and V13 look at in-person meetings only.
        for m in r
            .meetings
            .iter()
            .filter(|m| m.place.is_in_person() && in_year(m.date))
        {
            if v13_from <= m.date
                && let Some(&c) = coach_pos.get(&m.coach)
            {
                meetings_by_coach[c].push(m);
            }
            if let Some(&p) = participant_pos.get(&m.participant)
                && started_work[p]
            {
                meetings_by_participant[p].push(m);
            }
        }
        sort_by_date(&mut meetings_by_coach, |m| (m.date, m.id.as_str()));
        sort_by_date(&mut meetings_by_participant, |m| (m.date, m.id.as_str()));

        let mut contacts_by_coach: Vec<Vec<&EmployerContact>> = vec![Vec::new(); nc];
        let mut contacts_by_participant: Vec<Vec<&EmployerContact>> = vec![Vec::new(); np];
        for c in r.contacts.iter().filter(|c| in_year(c.date)) {
            if v6_from <= c.date
                && let Some(&i) = c.by.coach().and_then(|coach| coach_pos.get(coach))
            {
                contacts_by_coach[i].push(c);
            }
            if let Some(&i) = c.by.participant().and_then(|p| participant_pos.get(p)) {
                contacts_by_participant[i].push(c);
            }
        }
        sort_by_date(&mut contacts_by_coach, |c| (c.date, c.id.as_str()));
        sort_by_date(&mut contacts_by_participant, |c| (c.date, c.id.as_str()));

        let mut jobs: Vec<&Job> = r
            .jobs
            .iter()
            .filter(|j| participant_pos.contains_key(&j.participant))
            .collect();
        jobs.sort_by(|a, b| a.id.cmp(&b.id));

        ProgramIndex {
            coaches,
            participants,
            coach_pos,
            participant_pos,
            participants_by_coach,
            meetings_by_coach,
            meetings_by_participant,
            contacts_by_coach,
            contacts_by_participant,
            jobs,
        }
    }

    fn of_coach<'s, T>(&'s self, lists: &'s [Vec<&'a T>], coach: &CoachId) -> &'s [&'a T] {
        self.coach_pos
            .get(coach)
            .map_or(&[], |&i| lists[i].as_slice())
    }
    fn of_participant<'s, T>(&'s self, lists: &'s [Vec<&'a T>], p: &ParticipantId) -> &'s [&'a T] {
        self.participant_pos
            .get(p)
            .map_or(&[], |&i| lists[i].as_slice())
    }

    pub fn participants_of(&self, coach: &CoachId) -> &[&'a Participant] {
        self.of_coach(&self.participants_by_coach, coach)
    }
    /// In-person meetings the coach held in `[d − 90, d]`.
    pub fn meetings_of_coach(&self, coach: &CoachId) -> &[&'a Meeting] {
        self.of_coach(&self.meetings_by_coach, coach)
    }
    /// In-person meetings with the participant in `[d − 365, d]`, if they started a paid
    /// job in that year (empty otherwise).
    pub fn meetings_of_participant(&self, p: &ParticipantId) -> &[&'a Meeting] {
        self.of_participant(&self.meetings_by_participant, p)
    }
    /// Employer contacts the coach made in `[d − 27, d]`.
    pub fn contacts_of_coach(&self, coach: &CoachId) -> &[&'a EmployerContact] {
        self.of_coach(&self.contacts_by_coach, coach)
    }
    /// Employer contacts made by or for the participant in `[d − 365, d]`.
    pub fn contacts_for_participant(&self, p: &ParticipantId) -> &[&'a EmployerContact] {
        self.of_participant(&self.contacts_by_participant, p)
    }
}

/// The records of a date-sorted list with dates in `[from, to]`, found by binary search.
pub(crate) fn in_window<'l, 'a, T>(
    sorted: &'l [&'a T],
    date: impl Fn(&T) -> chrono::NaiveDate,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> &'l [&'a T] {
    let start = sorted.partition_point(|x| date(x) < from);
    let end = sorted.partition_point(|x| date(x) <= to);
    if start >= end {
        &[]
    } else {
        &sorted[start..end]
    }
}
