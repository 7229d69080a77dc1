//! One program's records, picked out of whatever the caller passed and indexed once, so
//! that every item is a walk over its own few records rather than a scan of all of them.

use std::collections::HashMap;

use crate::id::*;
use crate::records::*;

use super::ProgramRecords;

pub(crate) struct ProgramIndex<'a> {
    /// The program's coaches, by ID.
    pub coaches: Vec<&'a Coach>,
    /// The program's participants, by ID.
    pub participants: Vec<&'a Participant>,
    /// The program's participants of each coach (designated coach), by participant ID.
    pub participants_by_coach: HashMap<&'a CoachId, Vec<&'a Participant>>,
    /// Meetings held by each of the program's coaches, by date then ID.
    pub meetings_by_coach: HashMap<&'a CoachId, Vec<&'a Meeting>>,
    /// Meetings with each of the program's participants (any coach), by date then ID.
    pub meetings_by_participant: HashMap<&'a ParticipantId, Vec<&'a Meeting>>,
    /// Employer contacts made by each of the program's coaches, by date then ID.
    pub contacts_by_coach: HashMap<&'a CoachId, Vec<&'a EmployerContact>>,
    /// Employer contacts made by or for each of the program's participants, by date then ID.
    pub contacts_by_participant: HashMap<&'a ParticipantId, Vec<&'a EmployerContact>>,
    /// Jobs of the program's participants, by ID.
    pub jobs: Vec<&'a Job>,
}

impl<'a> ProgramIndex<'a> {
    pub fn new(r: &ProgramRecords<'a>) -> Self {
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

        let coach_ids: HashMap<&CoachId, ()> = coaches.iter().map(|c| (&c.id, ())).collect();
        let participant_ids: HashMap<&ParticipantId, ()> =
            participants.iter().map(|p| (&p.id, ())).collect();

        let mut participants_by_coach: HashMap<&CoachId, Vec<&Participant>> = HashMap::new();
        for p in &participants {
            participants_by_coach.entry(&p.coach).or_default().push(p);
        }

        let mut meetings_by_coach: HashMap<&CoachId, Vec<&Meeting>> = HashMap::new();
        let mut meetings_by_participant: HashMap<&ParticipantId, Vec<&Meeting>> = HashMap::new();
        for m in r.meetings {
            if coach_ids.contains_key(&m.coach) {
                meetings_by_coach.entry(&m.coach).or_default().push(m);
            }
            if participant_ids.contains_key(&m.participant) {
                meetings_by_participant
                    .entry(&m.participant)
                    .or_default()
                    .push(m);
            }
        }
        for list in meetings_by_coach
            .values_mut()
            .chain(meetings_by_participant.values_mut())
        {
            list.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        }

        let mut contacts_by_coach: HashMap<&CoachId, Vec<&EmployerContact>> = HashMap::new();
        let mut contacts_by_participant: HashMap<&ParticipantId, Vec<&EmployerContact>> =
            HashMap::new();
        for c in r.contacts {
            if let Some(coach) = c.by.coach()
                && coach_ids.contains_key(coach)
            {
                contacts_by_coach.entry(coach).or_default().push(c);
            }
            if let Some(p) = c.by.participant()
                && participant_ids.contains_key(p)
            {
                contacts_by_participant.entry(p).or_default().push(c);
            }
        }
        for list in contacts_by_coach
            .values_mut()
            .chain(contacts_by_participant.values_mut())
        {
            list.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        }

        let mut jobs: Vec<&Job> = r
            .jobs
            .iter()
            .filter(|j| participant_ids.contains_key(&j.participant))
            .collect();
        jobs.sort_by(|a, b| a.id.cmp(&b.id));

        ProgramIndex {
            coaches,
            participants,
            participants_by_coach,
            meetings_by_coach,
            meetings_by_participant,
            contacts_by_coach,
            contacts_by_participant,
            jobs,
        }
    }

    pub fn participants_of(&self, coach: &CoachId) -> &[&'a Participant] {
        self.participants_by_coach
            .get(coach)
            .map_or(&[], Vec::as_slice)
    }
    pub fn meetings_of_coach(&self, coach: &CoachId) -> &[&'a Meeting] {
        self.meetings_by_coach.get(coach).map_or(&[], Vec::as_slice)
    }
    pub fn meetings_of_participant(&self, p: &ParticipantId) -> &[&'a Meeting] {
        self.meetings_by_participant
            .get(p)
            .map_or(&[], Vec::as_slice)
    }
    pub fn contacts_of_coach(&self, coach: &CoachId) -> &[&'a EmployerContact] {
        self.contacts_by_coach.get(coach).map_or(&[], Vec::as_slice)
    }
    pub fn contacts_for_participant(&self, p: &ParticipantId) -> &[&'a EmployerContact] {
        self.contacts_by_participant
            .get(p)
            .map_or(&[], Vec::as_slice)
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
