//! Putting records right: a record corrected within the rules of a new one, or removed with
//! a reason, within a reach; each change with its audit row holding the record before and
//! after; the figures, the export and a new import follow the corrected records.

use fika_core::fidelity::fidelity;
use fika_core::outcomes::{Quarter, outcomes};
use fika_core::scale::ItemId;
use fika_core::*;
use fika_store::correct::Target;
use fika_store::{Actor, Reach, WriteError};
use serde_json::{Value, json};

use super::fixture::{Folder, TestDb, base};
use crate::conformance;

conformance!(
    a_corrected_meeting_keeps_its_id_and_coach_and_audits_before_and_after,
    every_record_kind_can_be_corrected,
    a_correction_that_breaks_a_rule_is_refused_and_nothing_is_written,
    records_out_of_reach_or_of_another_participant_are_not_found,
    a_removed_meeting_takes_its_steps_and_the_export_imports_again,
    every_record_kind_can_be_removed_with_a_reason,
    an_enrolment_with_check_ins_is_kept,
    an_open_step_is_dropped_and_a_done_one_is_not,
    the_figures_follow_corrected_and_removed_meetings_and_jobs,
);

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn actor() -> Actor {
    Actor {
        user: "U1".into(),
        at: "2024-06-03T10:00:00Z".into(),
    }
}

fn coach1() -> Reach {
    Reach::Coach {
        coach: CoachId::parse("C1").unwrap(),
        on: d("2024-06-03"),
    }
}

fn x1() -> ParticipantId {
    ParticipantId::parse("X1").unwrap()
}

fn m1() -> Meeting {
    Meeting {
        id: MeetingId::parse("M1").unwrap(),
        participant: x1(),
        coach: CoachId::parse("C1").unwrap(),
        date: d("2024-02-01"),
        minutes: Minutes::new(45).unwrap(),
        place: Place::Cafe,
        note: Some("Första fika,\nbra samtal ☕".into()),
    }
}

fn j1() -> Job {
    Job {
        id: JobId::parse("J1").unwrap(),
        participant: x1(),
        employer: Some(EmployerId::parse("E1").unwrap()),
        kind: JobKind::Competitive,
        title: "Bagare".into(),
        occupation_code: Some(OccupationCode::parse("7512").unwrap()),
        hours_per_week: Some(HoursPerWeek::parse("20").unwrap()),
        hourly_wage: Some(HourlyWage::parse("135.5").unwrap()),
        started_on: d("2024-03-01"),
        ended_on: None,
        end_reason: None,
    }
}

fn x1_row() -> Participant {
    Participant {
        id: x1(),
        program: ProgramId::parse("P1").unwrap(),
        coach: CoachId::parse("C1").unwrap(),
        name: "Björn \"Bosse\", ÄÖ".into(),
        referral_source: ReferralSource::parse("self").unwrap(),
        referred_on: Some(d("2024-01-20")),
        enrolled_on: d("2024-02-01"),
        employed_at_entry: false,
        exit: None,
    }
}

/// The audit rows written since `before`: (action, participant, detail as JSON).
fn audit_since(db: &TestDb, before: usize) -> Vec<(String, Option<String>, Value)> {
    db.store.audit_log().unwrap()[before..]
        .iter()
        .map(|r| {
            (
                r.action.clone(),
                r.participant.clone(),
                // Since migration 0018 the audit row names the kept correction.
                serde_json::from_str(
                    &db.store
                        .correction_of(&r.detail)
                        .unwrap()
                        .unwrap_or_else(|| r.detail.clone()),
                )
                .unwrap_or(Value::Null),
            )
        })
        .collect()
}

fn a_corrected_meeting_keeps_its_id_and_coach_and_audits_before_and_after(db: &TestDb) {
    db.import(&base()).unwrap();
    let before = db.store.audit_log().unwrap().len();
    let now = Meeting {
        // What a correction cannot change: the coach who met them.
        coach: CoachId::parse("C2").unwrap(),
        place: Place::Office,
        minutes: Minutes::new(30).unwrap(),
        note: None,
        ..m1()
    };
    db.store
        .correct(
            &actor(),
            &coach1(),
            &x1(),
            &Target::Meeting(m1().id),
            &Row::Meeting(now),
            Some("wrong place"),
        )
        .unwrap();
    let rows = audit_since(db, before);
    assert_eq!(rows.len(), 1);
    let (action, p, detail) = &rows[0];
    assert_eq!(action, "meeting.correct");
    assert_eq!(p.as_deref(), Some("X1"));
    assert_eq!(
        detail,
        &json!({
            "before": {"meeting_id": "M1", "participant_id": "X1", "coach_id": "C1",
                       "date": "2024-02-01", "minutes": "45", "place": "cafe",
                       "note": "Första fika,\nbra samtal ☕"},
            "after": {"meeting_id": "M1", "participant_id": "X1", "coach_id": "C1",
                      "date": "2024-02-01", "minutes": "30", "place": "office", "note": null},
            "reason": "wrong place",
        })
    );
    let meetings = &db.export()["meetings.csv"];
    assert!(
        meetings.contains("M1,X1,C1,2024-02-01,30,office,\n"),
        "{meetings}"
    );
    // Still in its place in the file.
    assert!(meetings.find("M1,").unwrap() < meetings.find("M2,").unwrap());
}

fn correct(db: &TestDb, target: Target, now: Row) -> Result<(), WriteError> {
    db.store
        .correct(&actor(), &coach1(), &x1(), &target, &now, None)
}

fn every_record_kind_can_be_corrected(db: &TestDb) {
    db.import(&base()).unwrap();
    let before = db.store.audit_log().unwrap().len();
    correct(
        db,
        Target::Goal(GoalId::parse("G1").unwrap()),
        Row::Goal(Goal {
            id: GoalId::parse("G1").unwrap(),
            participant: x1(),
            set_on: d("2024-02-01"),
            text: "Jobba på ett bageri".into(),
            occupation_code: None,
            hours_per_week: None,
        }),
    )
    .unwrap();
    // A step done by mistake is open again; its text and owner put right.
    correct(
        db,
        Target::Step(StepId::parse("S1").unwrap()),
        Row::NextStep(NextStep {
            id: StepId::parse("S1").unwrap(),
            participant: x1(),
            meeting: None,
            owner: StepOwner::parse("coach").unwrap(),
            text: "Ringa bageriet igen".into(),
            agreed_on: d("2024-03-01"),
            due_on: Some(d("2024-02-10")),
            done_on: None,
        }),
    )
    .unwrap();
    correct(
        db,
        Target::Job(j1().id),
        Row::Job(Job {
            kind: JobKind::Placement,
            employer: None,
            title: "Praktik på bageri".into(),
            ..j1()
        }),
    )
    .unwrap();
    correct(
        db,
        Target::Contact(ContactId::parse("K1").unwrap()),
        Row::EmployerContact(EmployerContact {
            id: ContactId::parse("K1").unwrap(),
            employer: EmployerId::parse("E1").unwrap(),
            date: d("2024-02-04"),
            by: ContactBy::Participant { participant: x1() },
            face_to_face: false,
            purpose: None,
        }),
    )
    .unwrap();
    let was = BenefitsPlanning {
        participant: x1(),
        date: d("2024-02-20"),
        status: BenefitsStatus::parse("completed").unwrap(),
        trained_planner: true,
    };
    correct(
        db,
        Target::Benefits(was.clone()),
        Row::BenefitsPlanning(BenefitsPlanning {
            date: d("2024-02-21"),
            trained_planner: false,
            ..was
        }),
    )
    .unwrap();
    correct(
        db,
        Target::Enrolment,
        Row::Participant(Participant {
            name: "Björn Berg".into(),
            referred_on: None,
            employed_at_entry: true,
            // Not changed by a correction of the enrolment: the coach and the exit.
            coach: CoachId::parse("C2").unwrap(),
            exit: Some(Exit {
                on: d("2024-05-01"),
                reason: ExitReason::Moved,
            }),
            ..x1_row()
        }),
    )
    .unwrap();
    let files = db.export();
    assert!(files["goals.csv"].contains("G1,X1,2024-02-01,Jobba på ett bageri,,\n"));
    // The step keeps its meeting and day agreed.
    assert!(
        files["next_steps.csv"]
            .contains("S1,X1,M1,coach,Ringa bageriet igen,2024-02-01,2024-02-10,\n"),
        "{}",
        files["next_steps.csv"]
    );
    assert!(
        files["jobs.csv"]
            .contains("J1,X1,,placement,Praktik på bageri,7512,20,135.5,2024-03-01,,\n"),
        "{}",
        files["jobs.csv"]
    );
    // The contact keeps who made it.
    assert!(
        files["employer_contacts.csv"].contains("K1,E1,2024-02-04,coach,C1,X1,false,\n"),
        "{}",
        files["employer_contacts.csv"]
    );
    assert!(
        files["benefits_planning.csv"]
            .contains("X1,2024-02-10,offered,false\nX1,2024-02-21,completed,false\n"),
        "{}",
        files["benefits_planning.csv"]
    );
    assert!(
        files["participants.csv"].contains("X1,P1,C1,Björn Berg,self,,2024-02-01,true,,\n"),
        "{}",
        files["participants.csv"]
    );
    let actions: Vec<String> = audit_since(db, before).into_iter().map(|r| r.0).collect();
    assert_eq!(
        actions,
        [
            "goal.correct",
            "next_step.correct",
            "job.correct",
            "employer_contact.correct",
            "benefits_planning.correct",
            "enrolment.correct"
        ]
    );
    // The exit: only after one is recorded.
    let exit = |on: &str| {
        Row::Participant(Participant {
            exit: Some(Exit {
                on: d(on),
                reason: ExitReason::Moved,
            }),
            ..x1_row()
        })
    };
    assert!(matches!(
        correct(db, Target::Exit, exit("2024-06-01")),
        Err(WriteError::Rule {
            rule: "not-exited",
            ..
        })
    ));
    db.store
        .record_exit(
            &actor(),
            &coach1(),
            &x1(),
            Exit {
                on: d("2024-06-03"),
                reason: ExitReason::ParticipantChoice,
            },
        )
        .unwrap();
    correct(db, Target::Exit, exit("2024-06-01")).unwrap();
    assert!(
        db.export()["participants.csv"].contains(",2024-02-01,true,2024-06-01,moved\n"),
        "{}",
        db.export()["participants.csv"]
    );
}

fn a_correction_that_breaks_a_rule_is_refused_and_nothing_is_written(db: &TestDb) {
    db.import(&base()).unwrap();
    db.store
        .record_exit(
            &actor(),
            &coach1(),
            &x1(),
            Exit {
                on: d("2024-06-03"),
                reason: ExitReason::Moved,
            },
        )
        .unwrap();
    let files = db.export();
    let before = db.store.audit_log().unwrap().len();
    let refused: Vec<(Target, Row, &str)> = vec![
        (
            Target::Meeting(m1().id),
            Row::Meeting(Meeting {
                date: d("2024-01-31"),
                ..m1()
            }),
            "outside-enrolment",
        ),
        (
            Target::Meeting(m1().id),
            Row::Meeting(Meeting {
                date: d("2024-06-04"),
                ..m1()
            }),
            "outside-enrolment",
        ),
        (
            Target::Job(j1().id),
            Row::Job(Job {
                started_on: d("2024-01-31"),
                ..j1()
            }),
            "job-before-enrolment",
        ),
        (
            Target::Job(j1().id),
            Row::Job(Job {
                employer: None,
                ..j1()
            }),
            "paid-job-needs-employer",
        ),
        (
            Target::Job(j1().id),
            Row::Job(Job {
                end_reason: Some(EndReason::ContractEnded),
                ..j1()
            }),
            "job-end-reason-without-end",
        ),
        (
            Target::Step(StepId::parse("S1").unwrap()),
            Row::NextStep(NextStep {
                id: StepId::parse("S1").unwrap(),
                participant: x1(),
                meeting: None,
                owner: StepOwner::parse("both").unwrap(),
                text: "Ringa".into(),
                agreed_on: d("2024-02-01"),
                due_on: Some(d("2024-01-31")),
                done_on: None,
            }),
            "step-due-before-agreed",
        ),
        (
            Target::Goal(GoalId::parse("G1").unwrap()),
            Row::Goal(Goal {
                id: GoalId::parse("G1").unwrap(),
                participant: x1(),
                set_on: d("2024-02-01"),
                text: "  ".into(),
                occupation_code: None,
                hours_per_week: None,
            }),
            "goal-empty",
        ),
        (
            Target::Enrolment,
            Row::Participant(Participant {
                enrolled_on: d("2024-02-02"),
                ..x1_row()
            }),
            "enrolment-after-first-meeting",
        ),
        (
            Target::Enrolment,
            Row::Participant(Participant {
                referred_on: Some(d("2024-02-02")),
                ..x1_row()
            }),
            "referred-after-enrolment",
        ),
        (
            Target::Exit,
            Row::Participant(Participant {
                exit: Some(Exit {
                    on: d("2024-01-31"),
                    reason: ExitReason::Moved,
                }),
                ..x1_row()
            }),
            "exit-before-last-meeting",
        ),
        (Target::Meeting(m1().id), Row::Job(j1()), "correction-kind"),
    ];
    for (target, now, expected) in refused {
        match correct(db, target.clone(), now) {
            Err(WriteError::Rule { rule, .. }) => assert_eq!(rule, expected, "{target:?}"),
            other => panic!("{target:?}: {other:?}"),
        }
    }
    match db
        .store
        .remove(&actor(), &coach1(), &x1(), &Target::Job(j1().id), "  ")
    {
        Err(WriteError::Rule { rule, .. }) => assert_eq!(rule, "reason-missing"),
        other => panic!("{other:?}"),
    }
    assert_eq!(db.export(), files);
    assert_eq!(db.store.audit_log().unwrap().len(), before);
}

fn records_out_of_reach_or_of_another_participant_are_not_found(db: &TestDb) {
    db.import(&base()).unwrap();
    let files = db.export();
    let before = db.store.audit_log().unwrap().len();
    let coach2 = Reach::Coach {
        coach: CoachId::parse("C2").unwrap(),
        on: d("2024-06-03"),
    };
    let other_program = Reach::Program(ProgramId::parse("P2").unwrap());
    for reach in [coach2, other_program] {
        let r = db.store.correct(
            &actor(),
            &reach,
            &x1(),
            &Target::Meeting(m1().id),
            &Row::Meeting(m1()),
            None,
        );
        assert!(matches!(r, Err(WriteError::NotFound)), "{r:?}");
        let r = db
            .store
            .remove(&actor(), &reach, &x1(), &Target::Job(j1().id), "wrong");
        assert!(matches!(r, Err(WriteError::NotFound)), "{r:?}");
    }
    // M2 and J2 are X2's: not reached through X1.
    let r = correct(
        db,
        Target::Meeting(MeetingId::parse("M2").unwrap()),
        Row::Meeting(m1()),
    );
    assert!(matches!(r, Err(WriteError::NotFound)), "{r:?}");
    let r = db.store.remove(
        &actor(),
        &coach1(),
        &x1(),
        &Target::Job(JobId::parse("J2").unwrap()),
        "wrong",
    );
    assert!(matches!(r, Err(WriteError::NotFound)), "{r:?}");
    // A job moved to an employer that does not exist.
    let r = correct(
        db,
        Target::Job(j1().id),
        Row::Job(Job {
            employer: Some(EmployerId::parse("E404").unwrap()),
            ..j1()
        }),
    );
    assert!(matches!(r, Err(WriteError::NotFound)), "{r:?}");
    // A lead of the program reaches them.
    db.store
        .correct(
            &actor(),
            &Reach::Program(ProgramId::parse("P1").unwrap()),
            &x1(),
            &Target::Meeting(m1().id),
            &Row::Meeting(m1()),
            None,
        )
        .unwrap();
    assert_eq!(db.export(), files);
    assert_eq!(db.store.audit_log().unwrap().len(), before + 1);
}

fn a_removed_meeting_takes_its_steps_and_the_export_imports_again(db: &TestDb) {
    db.import(&base()).unwrap();
    let before = db.store.audit_log().unwrap().len();
    db.store
        .remove(
            &actor(),
            &coach1(),
            &x1(),
            &Target::Meeting(m1().id),
            "entered for the wrong person",
        )
        .unwrap();
    let rows = audit_since(db, before);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "meeting.remove");
    assert_eq!(rows[0].2["before"]["meeting_id"], "M1");
    assert_eq!(rows[0].2["after"], Value::Null);
    assert_eq!(rows[0].2["reason"], "entered for the wrong person");
    assert_eq!(rows[0].2["with"][0]["step_id"], "S1");
    let files = db.export();
    assert!(!files["meetings.csv"].contains("M1,"));
    assert!(!files["next_steps.csv"].contains("S1,"));
    // What is left is a valid interchange folder.
    let again = TestDb::sqlite();
    let mut folder = Folder::default();
    for (name, text) in &files {
        folder = folder.with(name, text);
    }
    again.import(&folder).unwrap();
    assert_eq!(again.export(), files);
}

fn every_record_kind_can_be_removed_with_a_reason(db: &TestDb) {
    // Check-ins are not removed by staff (see `an_enrolment_with_check_ins_is_kept`).
    db.import(&base().without("check_ins.csv")).unwrap();
    let before = db.store.audit_log().unwrap().len();
    let remove = |t: Target| {
        db.store
            .remove(&actor(), &coach1(), &x1(), &t, "entered in error")
    };
    // The enrolment: only once nothing but goals is left.
    assert!(matches!(
        remove(Target::Enrolment),
        Err(WriteError::Rule {
            rule: "enrolment-has-records",
            ..
        })
    ));
    assert!(matches!(
        remove(Target::Exit),
        Err(WriteError::Rule {
            rule: "not-exited",
            ..
        })
    ));
    remove(Target::Job(j1().id)).unwrap();
    for k in ["K1", "K2"] {
        remove(Target::Contact(ContactId::parse(k).unwrap())).unwrap();
    }
    // K3 is a general contact, nobody's.
    assert!(matches!(
        remove(Target::Contact(ContactId::parse("K3").unwrap())),
        Err(WriteError::NotFound)
    ));
    let bp = |date: &str, status: &str, trained: bool| BenefitsPlanning {
        participant: x1(),
        date: d(date),
        status: BenefitsStatus::parse(status).unwrap(),
        trained_planner: trained,
    };
    // Named by what it holds: a record that is not there is not found.
    assert!(matches!(
        remove(Target::Benefits(bp("2024-02-10", "offered", true))),
        Err(WriteError::NotFound)
    ));
    remove(Target::Benefits(bp("2024-02-10", "offered", false))).unwrap();
    remove(Target::Benefits(bp("2024-02-20", "completed", true))).unwrap();
    remove(Target::Meeting(m1().id)).unwrap();
    remove(Target::Enrolment).unwrap();
    let files = db.export();
    assert!(!files["participants.csv"].contains("X1,"));
    assert!(!files["goals.csv"].contains("G1,"));
    assert!(!files["jobs.csv"].contains("J1,"));
    assert!(files["employer_contacts.csv"].contains("K3,"));
    assert!(!files["benefits_planning.csv"].contains("X1,"));
    let actions: Vec<String> = audit_since(db, before).into_iter().map(|r| r.0).collect();
    assert_eq!(
        actions,
        [
            "job.remove",
            "employer_contact.remove",
            "employer_contact.remove",
            "benefits_planning.remove",
            "benefits_planning.remove",
            "meeting.remove",
            "enrolment.remove"
        ]
    );
    let last = audit_since(db, before).pop().unwrap();
    assert_eq!(last.2["with"][0]["goal_id"], "G1");
    // The exit's removal makes X2 active again (as `reopen`, with a reason).
    let x2 = ParticipantId::parse("X2").unwrap();
    let p2 = Reach::Program(ProgramId::parse("P2").unwrap());
    db.store
        .remove(&actor(), &p2, &x2, &Target::Exit, "did not leave")
        .unwrap();
    assert!(db.export()["participants.csv"].contains("X2,P2,C2,Ärla,family,,2024-03-01,true,,\n"));
}

fn an_open_step_is_dropped_and_a_done_one_is_not(db: &TestDb) {
    db.import(&base()).unwrap();
    let s1 = StepId::parse("S1").unwrap();
    let r = db
        .store
        .drop_step(&actor(), &coach1(), &x1(), &s1, "no longer wanted");
    assert!(
        matches!(
            r,
            Err(WriteError::Rule {
                rule: "step-not-open",
                ..
            })
        ),
        "{r:?}"
    );
    correct(
        db,
        Target::Step(s1.clone()),
        Row::NextStep(NextStep {
            id: s1.clone(),
            participant: x1(),
            meeting: None,
            owner: StepOwner::parse("both").unwrap(),
            text: "Ringa bageriet".into(),
            agreed_on: d("2024-02-01"),
            due_on: None,
            done_on: None,
        }),
    )
    .unwrap();
    let before = db.store.audit_log().unwrap().len();
    assert!(matches!(
        db.store.drop_step(&actor(), &coach1(), &x1(), &s1, ""),
        Err(WriteError::Rule {
            rule: "reason-missing",
            ..
        })
    ));
    db.store
        .drop_step(&actor(), &coach1(), &x1(), &s1, "no longer wanted")
        .unwrap();
    let rows = audit_since(db, before);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "next_step.drop");
    assert_eq!(rows[0].2["before"]["step_id"], "S1");
    assert_eq!(rows[0].2["reason"], "no longer wanted");
    assert!(!db.export()["next_steps.csv"].contains("S1,"));
}

fn the_figures_follow_corrected_and_removed_meetings_and_jobs(db: &TestDb) {
    db.import(&base()).unwrap();
    let p1 = ProgramId::parse("P1").unwrap();
    let at = d("2024-04-30");
    let q2 = Quarter::new(2024, 2).unwrap();
    let v13 = |db: &TestDb| {
        let data = db.store.fidelity_data(&p1, at).unwrap().unwrap();
        let r = fidelity(&data.records(), at).item(ItemId::V13).clone();
        (r.value, r.n)
    };
    let competitive = |db: &TestDb| {
        let data = db.store.fidelity_data(&p1, at).unwrap().unwrap();
        let (participants, jobs) = db.store.participants_and_jobs(Some(&p1)).unwrap();
        let records = fika_core::fidelity::ProgramRecords {
            jobs: &jobs,
            participants: &participants,
            ..data.records()
        };
        let f = outcomes(&records, q2).figures;
        (f.working_competitive, f.job_starts)
    };
    // M1, at a café: all of C1's in-person minutes are in the community.
    assert_eq!(v13(db), (Some(100.0), Some(1)));
    assert_eq!(competitive(db), (1, 0));
    correct(
        db,
        Target::Meeting(m1().id),
        Row::Meeting(Meeting {
            place: Place::Office,
            ..m1()
        }),
    )
    .unwrap();
    assert_eq!(v13(db), (Some(0.0), Some(1)));
    db.store
        .remove(
            &actor(),
            &coach1(),
            &x1(),
            &Target::Meeting(m1().id),
            "wrong",
        )
        .unwrap();
    // No in-person meeting left: C1 is not counted.
    assert_eq!(v13(db).0, None);
    // The job moved into the quarter counts as a start; a placement is not competitive.
    correct(
        db,
        Target::Job(j1().id),
        Row::Job(Job {
            started_on: d("2024-04-02"),
            ..j1()
        }),
    )
    .unwrap();
    assert_eq!(competitive(db), (1, 1));
    correct(
        db,
        Target::Job(j1().id),
        Row::Job(Job {
            kind: JobKind::Placement,
            ..j1()
        }),
    )
    .unwrap();
    assert_eq!(competitive(db).0, 0);
    db.store
        .remove(&actor(), &coach1(), &x1(), &Target::Job(j1().id), "wrong")
        .unwrap();
    assert_eq!(competitive(db), (0, 0));
}

/// A participant's check-ins are their own words about the support: once nothing else is
/// recorded, the enrolment is still not removed, and nothing changes.
fn an_enrolment_with_check_ins_is_kept(db: &TestDb) {
    db.import(&base()).unwrap();
    let remove = |t: Target| {
        db.store
            .remove(&actor(), &coach1(), &x1(), &t, "entered in error")
    };
    remove(Target::Job(j1().id)).unwrap();
    for k in ["K1", "K2"] {
        remove(Target::Contact(ContactId::parse(k).unwrap())).unwrap();
    }
    let bp = |date: &str, status: &str, trained: bool| BenefitsPlanning {
        participant: x1(),
        date: d(date),
        status: BenefitsStatus::parse(status).unwrap(),
        trained_planner: trained,
    };
    remove(Target::Benefits(bp("2024-02-10", "offered", false))).unwrap();
    remove(Target::Benefits(bp("2024-02-20", "completed", true))).unwrap();
    remove(Target::Meeting(m1().id)).unwrap();
    let before = db.export();
    assert!(matches!(
        remove(Target::Enrolment),
        Err(WriteError::Rule {
            rule: "enrolment-has-check-ins",
            ..
        })
    ));
    // Nor may a correction or an exit leave a check-in outside the enrolment (CI1 is on
    // 2024-02-01, CI2 on 2024-03-01): the export would not import again.
    let later = Row::Participant(Participant {
        enrolled_on: d("2024-02-02"),
        ..x1_row()
    });
    let rule_of = |r: Result<(), WriteError>| match r {
        Err(WriteError::Rule { rule, .. }) => rule,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        rule_of(
            db.store
                .correct(&actor(), &coach1(), &x1(), &Target::Enrolment, &later, None)
        ),
        "enrolment-after-first-check-in"
    );
    let exit = Exit {
        on: d("2024-02-29"),
        reason: ExitReason::Moved,
    };
    assert_eq!(
        rule_of(db.store.record_exit(&actor(), &coach1(), &x1(), exit)),
        "exit-before-last-check-in"
    );
    db.store
        .record_exit(
            &actor(),
            &coach1(),
            &x1(),
            Exit {
                on: d("2024-03-01"),
                ..exit
            },
        )
        .unwrap();
    // After the exit, a check-in is refused as outside the enrolment.
    let late = fika_store::participant_view::NewCheckIn {
        id: "CI-late".parse().unwrap(),
        participant: x1(),
        on: d("2024-03-02"),
        scores: [5, 5, 5, 5].map(|s| fika_core::check_in::Score::new(s).unwrap()),
        words: None,
        sharing: fika_core::check_in::Sharing::CoachAndMe,
    };
    assert_eq!(
        rule_of(db.store.add_check_in(&actor(), &late)),
        "outside-enrolment"
    );
    let earlier = Row::Participant(Participant {
        exit: Some(exit),
        ..x1_row()
    });
    assert_eq!(
        rule_of(
            db.store
                .correct(&actor(), &coach1(), &x1(), &Target::Exit, &earlier, None)
        ),
        "exit-before-last-check-in"
    );
    let exited = db.export();
    assert_ne!(exited, before);
    assert_eq!(
        exited
            .into_iter()
            .filter(|(name, _)| name != "participants.csv")
            .collect::<Vec<_>>(),
        before
            .into_iter()
            .filter(|(name, _)| name != "participants.csv")
            .collect::<Vec<_>>()
    );
}
