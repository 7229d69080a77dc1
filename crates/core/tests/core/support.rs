//! Builders that keep the tests as short as the rules they check.

#![allow(dead_code)]

use fika_core::fidelity::{FidelityReport, ItemResult, ProgramRecords, fidelity};
use fika_core::scale::ItemId;
use fika_core::*;

pub fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

/// `date` plus `n` days (negative for before).
pub fn shift(date: Date, n: i64) -> Date {
    date + chrono::Duration::days(n)
}

/// One or more programs' records, built up by the tests. Every builder uses program
/// `self.program` unless a test changes it.
#[derive(Debug, Clone)]
pub struct World {
    pub program: ProgramId,
    pub coaches: Vec<Coach>,
    pub participants: Vec<Participant>,
    pub meetings: Vec<Meeting>,
    pub contacts: Vec<EmployerContact>,
    pub jobs: Vec<Job>,
}

impl Default for World {
    fn default() -> Self {
        World::new("P1")
    }
}

impl World {
    pub fn new(program: &str) -> World {
        World {
            program: ProgramId::parse(program).unwrap(),
            coaches: vec![],
            participants: vec![],
            meetings: vec![],
            contacts: vec![],
            jobs: vec![],
        }
    }

    pub fn coach(&mut self, id: &str, fte: f64, started: Date, ended: Option<Date>) -> &mut Self {
        self.coaches.push(Coach {
            id: CoachId::parse(id).unwrap(),
            program: self.program.clone(),
            name: format!("Coach {id}"),
            fte: Fte::new(fte).unwrap(),
            started_on: started,
            ended_on: ended,
        });
        self
    }

    pub fn participant(
        &mut self,
        id: &str,
        coach: &str,
        enrolled: Date,
        exited: Option<Date>,
    ) -> &mut Self {
        self.participants.push(Participant {
            id: ParticipantId::parse(id).unwrap(),
            program: self.program.clone(),
            coach: CoachId::parse(coach).unwrap(),
            name: format!("Person {id}"),
            referral_source: ReferralSource::SelfReferral,
            referred_on: None,
            enrolled_on: enrolled,
            employed_at_entry: false,
            exit: exited.map(|on| Exit {
                on,
                reason: ExitReason::ParticipantChoice,
            }),
        });
        self
    }

    /// `n` participants of a coach, all enrolled on `enrolled` and still on the caseload.
    pub fn caseload(&mut self, coach: &str, n: usize, enrolled: Date) -> &mut Self {
        for i in 0..n {
            self.participant(&format!("{coach}-p{i}"), coach, enrolled, None);
        }
        self
    }

    pub fn employed_at_entry(&mut self, id: &str) -> &mut Self {
        let p = self
            .participants
            .iter_mut()
            .find(|p| p.id.as_str() == id)
            .unwrap();
        p.employed_at_entry = true;
        self
    }

    pub fn meeting(
        &mut self,
        id: &str,
        participant: &str,
        coach: &str,
        date: Date,
        minutes: u32,
        place: Place,
    ) -> &mut Self {
        self.meetings.push(Meeting {
            id: MeetingId::parse(id).unwrap(),
            participant: ParticipantId::parse(participant).unwrap(),
            coach: CoachId::parse(coach).unwrap(),
            date,
            minutes: Minutes::new(minutes).unwrap(),
            place,
            note: None,
        });
        self
    }

    pub fn coach_contact(
        &mut self,
        id: &str,
        coach: &str,
        for_participant: Option<&str>,
        date: Date,
        face_to_face: bool,
    ) -> &mut Self {
        self.contacts.push(EmployerContact {
            id: ContactId::parse(id).unwrap(),
            employer: EmployerId::parse("E1").unwrap(),
            date,
            by: ContactBy::Coach {
                coach: CoachId::parse(coach).unwrap(),
                participant: for_participant.map(|p| ParticipantId::parse(p).unwrap()),
            },
            face_to_face,
            purpose: None,
        });
        self
    }

    pub fn participant_contact(
        &mut self,
        id: &str,
        participant: &str,
        date: Date,
        face_to_face: bool,
    ) -> &mut Self {
        self.contacts.push(EmployerContact {
            id: ContactId::parse(id).unwrap(),
            employer: EmployerId::parse("E1").unwrap(),
            date,
            by: ContactBy::Participant {
                participant: ParticipantId::parse(participant).unwrap(),
            },
            face_to_face,
            purpose: None,
        });
        self
    }

    #[allow(clippy::too_many_arguments)]
    pub fn job(
        &mut self,
        id: &str,
        participant: &str,
        kind: JobKind,
        employer: &str,
        code: Option<&str>,
        started: Date,
        ended: Option<Date>,
    ) -> &mut Self {
        self.jobs.push(Job {
            id: JobId::parse(id).unwrap(),
            participant: ParticipantId::parse(participant).unwrap(),
            employer: Some(EmployerId::parse(employer).unwrap()),
            kind,
            title: "Job".into(),
            occupation_code: code.map(|c| OccupationCode::parse(c).unwrap()),
            hours_per_week: None,
            hourly_wage: None,
            started_on: started,
            ended_on: ended,
            end_reason: None,
        });
        self
    }

    pub fn records(&self) -> ProgramRecords<'_> {
        ProgramRecords {
            program: &self.program,
            coaches: &self.coaches,
            participants: &self.participants,
            meetings: &self.meetings,
            contacts: &self.contacts,
            jobs: &self.jobs,
        }
    }

    pub fn fidelity(&self, at: Date) -> FidelityReport {
        fidelity(&self.records(), at)
    }

    pub fn item(&self, id: ItemId, at: Date) -> ItemResult {
        self.fidelity(at).item(id).clone()
    }
}

/// (value, score, n) of an item, for compact assertions.
pub fn vsn(r: &ItemResult) -> (Option<f64>, Option<u8>, Option<u32>) {
    (r.value, r.score, r.n)
}
