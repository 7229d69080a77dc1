//! The outcome figures a store keeps per program and quarter (migration 0010) are those
//! computed from every participant and job, after an import and after every kind of write:
//! each web write of a participant record, and a second read from what was kept.

use std::collections::BTreeMap;

use fika_core::outcomes::{Outcomes, Quarter, outcomes_by_program};
use fika_core::*;
use fika_demo::{DemoConfig, generate};
use fika_interchange::FolderWriter;
use fika_store::caseload::NewMeeting;
use fika_store::{Actor, Reach};

use super::fixture::TestDb;
use crate::conformance;

conformance!(kept_outcome_figures_equal_the_figures_from_every_record_after_every_write);

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

/// Every participant and job of the database, from its export.
fn people_and_jobs(db: &TestDb) -> (Vec<Participant>, Vec<Job>, Vec<Coach>, Vec<EmployerContact>) {
    let (mut people, mut jobs, mut coaches, mut contacts) = (vec![], vec![], vec![], vec![]);
    db.store
        .export(&mut |row| {
            match row {
                Row::Participant(x) => people.push(x),
                Row::Job(x) => jobs.push(x),
                Row::Coach(x) => coaches.push(x),
                Row::EmployerContact(x) => contacts.push(x),
                _ => {}
            }
            Ok(())
        })
        .unwrap();
    (people, jobs, coaches, contacts)
}

fn computed(db: &TestDb, quarters: &[Quarter]) -> Vec<BTreeMap<ProgramId, Outcomes>> {
    let (people, jobs, _, _) = people_and_jobs(db);
    quarters
        .iter()
        .map(|q| outcomes_by_program(&people, &jobs, *q))
        .collect()
}

/// The store's figures equal those computed from every record: when they are computed and
/// kept, and when they are read back from what was kept. Returns them.
fn check(db: &TestDb, after: &str, quarters: &[Quarter]) -> Vec<BTreeMap<ProgramId, Outcomes>> {
    let want = computed(db, quarters);
    // A few quarters first, so that the rest is missing when all are asked for.
    let some = &quarters[quarters.len() - 2..];
    assert_eq!(
        db.store.outcomes_by_program(some).unwrap(),
        want[quarters.len() - 2..],
        "after {after}, {some:?} (computed)"
    );
    assert_eq!(
        db.store.outcomes_by_program(quarters).unwrap(),
        want,
        "after {after} (partly kept)"
    );
    assert_eq!(
        db.store.outcomes_by_program(quarters).unwrap(),
        want,
        "after {after} (kept)"
    );
    want
}

fn kept_outcome_figures_equal_the_figures_from_every_record_after_every_write(db: &TestDb) {
    let today = d("2025-06-30");
    let dir = tempfile::tempdir().unwrap();
    let mut w = FolderWriter::create(dir.path()).unwrap();
    generate(&DemoConfig::region(today), |row| w.write(&row)).unwrap();
    w.finish().unwrap();

    // Before any record: no program, no figures.
    let quarters = Quarter::parse("2023Q1")
        .unwrap()
        .through(Quarter::parse("2025Q4").unwrap());
    assert_eq!(
        db.store.outcomes_by_program(&quarters).unwrap(),
        vec![BTreeMap::new(); quarters.len()]
    );
    db.import_dir(dir.path()).unwrap();
    let mut last = check(db, "the import", &quarters);
    assert_eq!(
        last[9].len(),
        3,
        "three programs with participants in 2025Q2"
    );

    let (people, jobs, coaches, contacts) = people_and_jobs(db);
    let program = people[0].program.clone();
    let reach = Reach::Program(program.clone());
    let actor = Actor {
        user: "U1".into(),
        at: "2025-06-30T10:00:00Z".into(),
    };
    // A participant of the program active today, without a job held in 2025Q2.
    let q2 = Quarter::parse("2025Q2").unwrap();
    let x = people
        .iter()
        .find(|p| {
            p.program == program
                && p.exit.is_none()
                && p.enrolled_on < d("2025-01-01")
                && !jobs
                    .iter()
                    .any(|j| j.participant == p.id && j.held_during(q2.first_day(), q2.last_day()))
        })
        .expect("a participant without work in 2025Q2")
        .clone();
    let other_coach = coaches
        .iter()
        .find(|c| c.program == program && c.id != x.coach && c.in_post_on(today))
        .expect("a second coach in post")
        .id
        .clone();
    let employer = jobs
        .iter()
        .find_map(|j| j.employer.clone())
        .expect("an employer");

    // Each write, then the figures; `changes` says the write must change some figure, so
    // that a store that kept figures it should have deleted fails.
    let after = |what: &str, changes: bool, last: &mut Vec<BTreeMap<ProgramId, Outcomes>>| {
        let now = check(db, what, &quarters);
        if changes {
            assert_ne!(&now, last, "{what} changes the figures");
        }
        *last = now;
    };

    let step = StepId::parse("S-speed-1").unwrap();
    db.store
        .record_meeting(
            &actor,
            &reach,
            &NewMeeting {
                meeting: Meeting {
                    id: MeetingId::parse("M-speed-1").unwrap(),
                    participant: x.id.clone(),
                    coach: x.coach.clone(),
                    date: d("2025-06-20"),
                    minutes: Minutes::new(40).unwrap(),
                    place: Place::Cafe,
                    note: None,
                },
                steps: vec![NextStep {
                    id: step.clone(),
                    participant: x.id.clone(),
                    meeting: Some(MeetingId::parse("M-speed-1").unwrap()),
                    owner: StepOwner::Both,
                    text: "Ring bageriet".into(),
                    agreed_on: d("2025-06-20"),
                    due_on: Some(d("2025-06-27")),
                    done_on: None,
                }],
                done: vec![],
                next_meeting: None,
            },
        )
        .unwrap();
    after("a meeting with a next step", false, &mut last);

    db.store
        .plan_meeting(&actor, &reach, &x.id, d("2025-07-07"))
        .unwrap();
    after("a planned meeting", false, &mut last);

    db.store
        .complete_step(&actor, &reach, &x.id, &step, d("2025-06-25"))
        .unwrap();
    after("a step done", false, &mut last);

    let mut contact = contacts
        .iter()
        .find(|c| matches!(c.by, ContactBy::Coach { .. }))
        .unwrap()
        .clone();
    contact.id = ContactId::parse("K-speed-1").unwrap();
    contact.by = ContactBy::Coach {
        coach: x.coach.clone(),
        participant: Some(x.id.clone()),
    };
    contact.date = d("2025-06-18");
    db.store
        .record_employer_contact(&actor, &reach, &contact)
        .unwrap();
    after("an employer contact", false, &mut last);

    let job = JobId::parse("J-speed-1").unwrap();
    db.store
        .record_job(
            &actor,
            &reach,
            &Job {
                id: job.clone(),
                participant: x.id.clone(),
                employer: Some(employer),
                kind: JobKind::Competitive,
                title: "Bagare".into(),
                occupation_code: None,
                hours_per_week: None,
                hourly_wage: None,
                started_on: d("2025-05-05"),
                ended_on: None,
                end_reason: None,
            },
        )
        .unwrap();
    after("a job", true, &mut last);

    db.store
        .end_job(
            &actor,
            &reach,
            &x.id,
            &job,
            d("2025-06-10"),
            EndReason::Quit,
        )
        .unwrap();
    after("the end of a job", false, &mut last);

    let new = Participant {
        id: ParticipantId::parse("X-speed-1").unwrap(),
        program: program.clone(),
        coach: x.coach.clone(),
        name: "Ny".into(),
        referral_source: ReferralSource::SelfReferral,
        referred_on: None,
        enrolled_on: d("2025-06-02"),
        employed_at_entry: false,
        exit: None,
    };
    db.store.enrol(&actor, &reach, &new, None).unwrap();
    after("an enrolment", true, &mut last);

    db.store
        .add_goal(
            &actor,
            &reach,
            &Goal {
                id: GoalId::parse("G-speed-1").unwrap(),
                participant: new.id.clone(),
                set_on: d("2025-06-02"),
                text: "Jobba med djur".into(),
                occupation_code: None,
                hours_per_week: None,
            },
        )
        .unwrap();
    after("a goal", false, &mut last);

    db.store
        .record_benefits_planning(
            &actor,
            &reach,
            &BenefitsPlanning {
                participant: new.id.clone(),
                date: d("2025-06-03"),
                status: BenefitsStatus::Offered,
                trained_planner: true,
            },
        )
        .unwrap();
    after("benefits planning", false, &mut last);

    db.store
        .change_coach(&actor, &reach, &x.id, &other_coach, d("2025-06-15"))
        .unwrap();
    after("a change of coach", false, &mut last);

    db.store
        .record_exit(
            &actor,
            &reach,
            &new.id,
            Exit {
                on: d("2025-06-20"),
                reason: ExitReason::Moved,
            },
        )
        .unwrap();
    after("an exit", true, &mut last);

    db.store.reopen(&actor, &reach, &new.id).unwrap();
    after("a reopened participant", true, &mut last);
}
