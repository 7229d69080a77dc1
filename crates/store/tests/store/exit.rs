//! A participant leaves the program, and an exit recorded by mistake is undone: within a
//! reach, by INTERCHANGE.md's rules, each with its audit row and nothing written when refused.

use fika_core::{
    CoachId, Exit, ExitReason, Meeting, MeetingId, Minutes, ParticipantId, Place, ProgramId,
    parse_date,
};
use fika_store::caseload::NewMeeting;
use fika_store::{Actor, Reach, WriteError};

use super::fixture::{TestDb, base};
use crate::conformance;

conformance!(
    an_exit_is_kept_with_its_audit_row_and_ends_the_time_on_the_caseload,
    an_exit_that_breaks_a_rule_is_refused_and_nothing_is_written,
    an_exit_is_undone_with_its_audit_row,
);

fn d(s: &str) -> chrono::NaiveDate {
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

fn id(s: &str) -> ParticipantId {
    ParticipantId::parse(s).unwrap()
}

fn exit(on: &str, reason: ExitReason) -> Exit {
    Exit { on: d(on), reason }
}

/// The audit rows written since `before`: (action, participant, detail).
fn audit_since(db: &TestDb, before: usize) -> Vec<(String, Option<String>, String)> {
    db.store.audit_log().unwrap()[before..]
        .iter()
        .map(|r| (r.action.clone(), r.participant.clone(), r.detail.clone()))
        .collect()
}

fn participants_csv(db: &TestDb) -> String {
    db.export()["participants.csv"].clone()
}

fn an_exit_is_kept_with_its_audit_row_and_ends_the_time_on_the_caseload(db: &TestDb) {
    db.import(&base()).unwrap();
    let before = db.store.audit_log().unwrap().len();
    db.store
        .record_exit(
            &actor(),
            &coach1(),
            &id("X1"),
            exit("2024-06-03", ExitReason::ParticipantChoice),
        )
        .unwrap();
    assert_eq!(
        audit_since(db, before),
        vec![(
            "participant.exit".to_owned(),
            Some("X1".to_owned()),
            "left on 2024-06-03 (participant_choice)".to_owned()
        )]
    );
    // The export carries it, so it moves with the records.
    assert!(
        participants_csv(db).contains(",2024-02-01,false,2024-06-03,participant_choice\n"),
        "{}",
        participants_csv(db)
    );
    // The last day is a day on the caseload; the day after, the caseload has no X1.
    let on = |day: &str| {
        db.store
            .caseload(&actor(), &coach1(), d(day), d(day))
            .unwrap()
            .participants
            .iter()
            .map(|p| p.id.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(on("2024-06-03"), vec!["X1"]);
    assert_eq!(on("2024-06-04"), Vec::<String>::new());
    // The record stays within reach, with its exit.
    let r = db
        .store
        .participant(&actor(), &coach1(), &id("X1"), d("2024-06-04"))
        .unwrap()
        .unwrap();
    assert_eq!(
        r.participant.exit,
        Some(exit("2024-06-03", ExitReason::ParticipantChoice))
    );
}

fn an_exit_that_breaks_a_rule_is_refused_and_nothing_is_written(db: &TestDb) {
    db.import(&base()).unwrap();
    // A meeting with X1 on 2024-05-02.
    db.store
        .record_meeting(
            &actor(),
            &coach1(),
            &NewMeeting {
                meeting: Meeting {
                    id: MeetingId::parse("M9").unwrap(),
                    participant: id("X1"),
                    coach: CoachId::parse("C1").unwrap(),
                    date: d("2024-05-02"),
                    minutes: Minutes::new(30).unwrap(),
                    place: Place::Cafe,
                    note: None,
                },
                steps: Vec::new(),
                done: Vec::new(),
                next_meeting: None,
            },
        )
        .unwrap();
    let lead2 = Reach::Program(ProgramId::parse("P2").unwrap());
    let before = db.store.audit_log().unwrap().len();
    let csv = participants_csv(db);
    let moved = ExitReason::Moved;
    for (case, reach, who, exit, want) in [
        (
            "before the enrolment (INTERCHANGE.md: exited_on ≥ enrolled_on)",
            coach1(),
            "X1",
            exit("2024-01-31", moved),
            Some("exit-before-enrolment"),
        ),
        (
            "before a meeting (INTERCHANGE.md: a meeting falls within the enrolment)",
            coach1(),
            "X1",
            exit("2024-05-01", moved),
            Some("exit-before-last-meeting"),
        ),
        (
            "left already",
            lead2.clone(),
            "X2",
            exit("2025-02-28", moved),
            Some("already-exited"),
        ),
        (
            "another program's participant",
            coach1(),
            "X2",
            exit("2025-02-28", moved),
            None,
        ),
        (
            "a participant who does not exist",
            coach1(),
            "X9",
            exit("2024-06-03", moved),
            None,
        ),
    ] {
        match db.store.record_exit(&actor(), &reach, &id(who), exit) {
            Err(WriteError::Rule { rule, .. }) => assert_eq!(Some(rule), want, "{case}"),
            Err(WriteError::NotFound) => assert_eq!(want, None, "{case}"),
            other => panic!("{case}: {other:?}"),
        }
        assert_eq!(audit_since(db, before), vec![], "{case}: no audit row");
        assert_eq!(participants_csv(db), csv, "{case}: nothing written");
    }
    // Not yet left: nothing to undo.
    match db.store.reopen(&actor(), &coach1(), &id("X1")) {
        Err(WriteError::Rule { rule, .. }) => assert_eq!(rule, "not-exited"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        db.store.reopen(&actor(), &coach1(), &id("X2")),
        Err(WriteError::NotFound)
    ));
    assert_eq!(audit_since(db, before), vec![]);
    // The day of the last meeting is a valid last day; a job may go on after it.
    db.store
        .record_exit(&actor(), &coach1(), &id("X1"), exit("2024-05-02", moved))
        .unwrap();
}

fn an_exit_is_undone_with_its_audit_row(db: &TestDb) {
    db.import(&base()).unwrap();
    let lead2 = Reach::Program(ProgramId::parse("P2").unwrap());
    let before = db.store.audit_log().unwrap().len();
    db.store.reopen(&actor(), &lead2, &id("X2")).unwrap();
    assert_eq!(
        audit_since(db, before),
        vec![(
            "participant.reopen".to_owned(),
            Some("X2".to_owned()),
            "exit of 2025-01-31 (moved) undone".to_owned()
        )]
    );
    assert!(
        participants_csv(db).contains("X2,P2,C2,Ärla,family,,2024-03-01,true,,\n"),
        "{}",
        participants_csv(db)
    );
    let today = d("2025-06-02");
    let caseload = db.store.caseload(&actor(), &lead2, today, today).unwrap();
    assert_eq!(caseload.participants.len(), 1, "back on the caseload");
    // And a new exit can be recorded after it.
    db.store
        .record_exit(
            &actor(),
            &lead2,
            &id("X2"),
            exit("2025-06-02", ExitReason::SteppedDown),
        )
        .unwrap();
    assert!(participants_csv(db).contains("2025-06-02,stepped_down\n"));
}
