//! Writes a synthetic interchange folder for measuring import and export speed.
//!
//! `cargo run --release -p fika-cli --example synthetic -- DIR MEETINGS`
//! (50 meetings, 5 next steps, 5 employer contacts and half a job per participant).

use fika_core::*;

use fika_interchange::FolderWriter;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "bench-data".into());
    let meetings: u64 = args
        .next()
        .map_or(1_000_000, |n| n.parse().expect("a number"));
    let participants = (meetings / 50).max(1);
    let coaches = (participants / 15).max(1);
    let programs = (coaches / 10).max(1);
    // Day n after 2020-01-01, counting 365-day years: increasing, which is all we need.
    let day = |n: u64| Date::from_yo_opt(2020 + (n / 365) as i32, (n % 365) as u32 + 1).unwrap();
    let mut w = FolderWriter::create(&dir)?;
    for p in 0..programs {
        w.write(&Row::Program(Program {
            id: ProgramId::parse(&format!("P{p}")).unwrap(),
            name: format!("Program {p}"),
            organisation: Some("Kommun".into()),
            started_on: Some(day(0)),
        }))?;
    }
    for c in 0..coaches {
        w.write(&Row::Coach(Coach {
            id: CoachId::parse(&format!("C{c}")).unwrap(),
            program: ProgramId::parse(&format!("P{}", c % programs)).unwrap(),
            name: format!("Coach {c}"),
            fte: Fte::new(0.5).unwrap(),
            started_on: day(0),
            ended_on: None,
        }))?;
    }
    let coach_of = |x: u64| x % coaches;
    for x in 0..participants {
        let c = coach_of(x);
        w.write(&Row::Participant(Participant {
            id: ParticipantId::parse(&format!("X{x}")).unwrap(),
            program: ProgramId::parse(&format!("P{}", c % programs)).unwrap(),
            coach: CoachId::parse(&format!("C{c}")).unwrap(),
            name: format!("Deltagare {x} Åström"),
            referral_source: ReferralSource::SelfReferral,
            referred_on: None,
            enrolled_on: day(x % 365),
            employed_at_entry: false,
            exit: None,
        }))?;
    }
    let places = Place::ALL;
    for m in 0..meetings {
        let x = m % participants;
        w.write(&Row::Meeting(Meeting {
            id: MeetingId::parse(&format!("M{m}")).unwrap(),
            participant: ParticipantId::parse(&format!("X{x}")).unwrap(),
            coach: CoachId::parse(&format!("C{}", coach_of(x))).unwrap(),
            date: day(x % 365 + m / participants * 7),
            minutes: Minutes::new(30 + (m % 60) as u32).unwrap(),
            place: places[(m % places.len() as u64) as usize],
            note: (m % 3 == 0).then(|| "Fika på café, pratade om jobb".into()),
        }))?;
    }
    for s in 0..participants * 5 {
        let x = s % participants;
        w.write(&Row::NextStep(NextStep {
            id: StepId::parse(&format!("S{s}")).unwrap(),
            participant: ParticipantId::parse(&format!("X{x}")).unwrap(),
            meeting: Some(MeetingId::parse(&format!("M{s}")).unwrap()),
            owner: StepOwner::Both,
            text: "Ringa arbetsgivaren".into(),
            agreed_on: day(x % 365),
            due_on: Some(day(x % 365 + 7)),
            done_on: None,
        }))?;
    }
    let employers = (participants / 10).max(1);
    for e in 0..employers {
        w.write(&Row::Employer(Employer {
            id: EmployerId::parse(&format!("E{e}")).unwrap(),
            name: format!("Arbetsgivare {e} AB"),
            org_number: None,
            sector: Some("handel".into()),
        }))?;
    }
    for k in 0..participants * 5 {
        let x = k % participants;
        w.write(&Row::EmployerContact(EmployerContact {
            id: ContactId::parse(&format!("K{k}")).unwrap(),
            employer: EmployerId::parse(&format!("E{}", k % employers)).unwrap(),
            date: day(x % 365 + 3),
            by: ContactBy::Coach {
                coach: CoachId::parse(&format!("C{}", coach_of(x))).unwrap(),
                participant: Some(ParticipantId::parse(&format!("X{x}")).unwrap()),
            },
            face_to_face: k % 2 == 0,
            purpose: Some(ContactPurpose::PresentCandidate),
        }))?;
    }
    for j in 0..participants / 2 {
        let x = j * 2;
        w.write(&Row::Job(Job {
            id: JobId::parse(&format!("J{j}")).unwrap(),
            participant: ParticipantId::parse(&format!("X{x}")).unwrap(),
            employer: Some(EmployerId::parse(&format!("E{}", j % employers)).unwrap()),
            kind: JobKind::Competitive,
            title: "Butiksbiträde".into(),
            occupation_code: Some(OccupationCode::parse("5223").unwrap()),
            hours_per_week: Some(HoursPerWeek::new(20.0).unwrap()),
            hourly_wage: Some(HourlyWage::new(135.5).unwrap()),
            started_on: day(x % 365 + 60),
            ended_on: None,
            end_reason: None,
        }))?;
    }
    for x in 0..participants {
        w.write(&Row::BenefitsPlanning(BenefitsPlanning {
            participant: ParticipantId::parse(&format!("X{x}")).unwrap(),
            date: day(x % 365 + 1),
            status: BenefitsStatus::Offered,
            trained_planner: true,
        }))?;
    }
    w.finish()
}
