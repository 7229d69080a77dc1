//! Restriction (GDPR Art. 18): the record is kept (it is exported, it can be read with a
//! stated reason, it can be erased), leaves the day view and is counted in no figure
//! computed while it is restricted; lifting it brings it back. Only the lead's program
//! reaches it.

use fika_core::outcomes::Quarter;
use fika_core::*;
use fika_store::WriteError;
use fika_store::correct::Target;
use fika_store::erasure::Refused;
use fika_store::restrict::ReadReason;
use fika_store::{Actor, Reach};

use super::fixture::{TestDb, base};
use crate::conformance;

conformance!(
    a_restricted_record_leaves_the_day_view_and_every_new_figure,
    a_restriction_is_refused_out_of_reach_and_without_a_reference,
    reading_a_restricted_record_writes_its_reason,
    nothing_new_is_recorded_for_a_restricted_record_but_corrections_are,
);

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn lead() -> Actor {
    Actor {
        user: "lead-u".into(),
        at: "2024-06-03T10:00:00Z".into(),
    }
}

fn p1() -> Reach {
    Reach::Program(ProgramId::parse("P1").unwrap())
}

fn x1() -> ParticipantId {
    ParticipantId::parse("X1").unwrap()
}

fn coach() -> Reach {
    Reach::Coach {
        coach: CoachId::parse("C1").unwrap(),
        on: d("2024-06-03"),
    }
}

/// X1 on C1's day, and P1's figures: served in 2024Q1 (kept figures), participants in the
/// fidelity items of 2024-03-31, participants and jobs for the outcomes.
fn seen(db: &TestDb) -> (bool, Option<u32>, usize, usize) {
    let today = d("2024-06-03");
    let day = db.store.caseload(&lead(), &coach(), today, today).unwrap();
    let on_day = day.participants.iter().any(|p| p.id == x1());
    let q: Quarter = "2024Q1".parse().unwrap();
    let p1 = ProgramId::parse("P1").unwrap();
    let served = db.store.outcomes_by_program(&[q]).unwrap()[0]
        .get(&p1)
        .map(|o| o.figures.served);
    let fidelity = db
        .store
        .fidelity_data(&p1, d("2024-03-31"))
        .unwrap()
        .unwrap();
    let all = db.store.fidelity_data_all(d("2024-03-31")).unwrap();
    assert_eq!(
        all.iter()
            .find(|f| f.program.id == p1)
            .unwrap()
            .participants
            .len(),
        fidelity.participants.len(),
        "every program at once reads as one"
    );
    let (people, jobs) = db.store.participants_and_jobs(Some(&p1)).unwrap();
    (
        on_day,
        served,
        fidelity.participants.len() + fidelity.meetings.len(),
        people.len() + jobs.len(),
    )
}

fn a_restricted_record_leaves_the_day_view_and_every_new_figure(db: &TestDb) {
    db.import(&base()).unwrap();
    let before = seen(db);
    assert!(before.0);
    assert_eq!(before.1, Some(1));
    assert!(before.2 > 0 && before.3 > 0);
    let export = db.export();
    assert_eq!(
        db.store.restrict(&lead(), &p1(), &x1(), "DSR-9").unwrap(),
        Ok(true)
    );
    assert_eq!(
        db.store.restrict(&lead(), &p1(), &x1(), "DSR-9").unwrap(),
        Ok(false),
        "restricted already"
    );
    let r = db.store.restriction(&p1(), &x1()).unwrap().unwrap();
    assert_eq!(r.reference, "DSR-9");
    // Kept: the export (the program's own copy) is unchanged.
    assert_eq!(db.export(), export);
    // Not used: not on the day, in no figure (the kept outcome figures included).
    let now = seen(db);
    assert!(!now.0);
    assert_eq!(now.1, None, "P1 has nobody to count");
    assert_eq!(now.2, 0);
    assert_eq!(now.3, 0);
    assert!(db.store.talk_requests(&p1()).unwrap().is_empty());
    // Lifted: everything as before.
    assert_eq!(
        db.store
            .lift_restriction(&lead(), &p1(), &x1(), "DSR-9")
            .unwrap(),
        Ok(true)
    );
    assert_eq!(
        db.store
            .lift_restriction(&lead(), &p1(), &x1(), "DSR-9")
            .unwrap(),
        Ok(false)
    );
    assert_eq!(seen(db), before);
    assert!(db.store.restriction(&p1(), &x1()).unwrap().is_none());
    let actions: Vec<String> = db
        .store
        .audit_log()
        .unwrap()
        .into_iter()
        .filter(|r| r.action.starts_with("participant.restrict"))
        .map(|r| format!("{} {}", r.action, r.detail))
        .collect();
    assert_eq!(
        actions,
        [
            "participant.restrict reference DSR-9",
            "participant.restriction_lift reference DSR-9"
        ]
    );
    // A restricted record can still be erased.
    db.store
        .restrict(&lead(), &p1(), &x1(), "DSR-9")
        .unwrap()
        .unwrap();
    db.store
        .erase(&lead(), &p1(), &x1(), "DSR-10", d("2024-06-03"))
        .unwrap()
        .unwrap();
    assert!(db.store.restriction(&p1(), &x1()).unwrap().is_none());
}

fn a_restriction_is_refused_out_of_reach_and_without_a_reference(db: &TestDb) {
    db.import(&base()).unwrap();
    let p2 = Reach::Program(ProgramId::parse("P2").unwrap());
    for reach in [coach(), p2.clone(), Reach::Own(x1())] {
        assert_eq!(
            db.store.restrict(&lead(), &reach, &x1(), "R").unwrap(),
            Err(Refused::NotFound),
            "{reach:?}"
        );
    }
    assert!(db.store.restriction(&p2, &x1()).unwrap().is_none());
    for bad in ["", " ", "a\nb"] {
        assert_eq!(
            db.store.restrict(&lead(), &p1(), &x1(), bad).unwrap(),
            Err(Refused::BadReference)
        );
    }
    assert!(db.store.restriction(&p1(), &x1()).unwrap().is_none());
    assert!(seen(db).0);
}

fn reading_a_restricted_record_writes_its_reason(db: &TestDb) {
    db.import(&base()).unwrap();
    db.store
        .restrict(&lead(), &p1(), &x1(), "DSR-9")
        .unwrap()
        .unwrap();
    let p2 = Reach::Program(ProgramId::parse("P2").unwrap());
    let today = d("2024-06-03");
    let n = db.store.audit_log().unwrap().len();
    assert!(
        db.store
            .read_restricted(&lead(), &p2, &x1(), today, ReadReason::LegalClaim)
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.store.audit_log().unwrap().len(),
        n,
        "nothing read, nothing audited"
    );
    let r = db
        .store
        .read_restricted(&lead(), &coach(), &x1(), today, ReadReason::LegalClaim)
        .unwrap()
        .unwrap();
    assert_eq!(r.participant.id, x1());
    assert_eq!(db.store.audit_log().unwrap().len(), n + 1, "one audit row");
    let last = db.store.audit_log().unwrap().pop().unwrap();
    assert_eq!(last.action, "participant.read_restricted");
    assert_eq!(last.participant.as_deref(), Some("X1"));
    assert_eq!(last.detail, "reason legal_claim");
    for r in ReadReason::ALL {
        assert_eq!(ReadReason::parse(r.as_str()), Some(*r));
    }
    assert_eq!(ReadReason::parse("curiosity"), None);
}

fn nothing_new_is_recorded_for_a_restricted_record_but_corrections_are(db: &TestDb) {
    db.import(&base()).unwrap();
    db.store
        .restrict(&lead(), &p1(), &x1(), "DSR-9")
        .unwrap()
        .unwrap();
    let goal = Goal {
        id: GoalId::parse("G9").unwrap(),
        participant: x1(),
        set_on: d("2024-06-03"),
        text: "Arbeta med djur".into(),
        occupation_code: None,
        hours_per_week: None,
    };
    for reach in [coach(), p1()] {
        match db.store.add_goal(&lead(), &reach, &goal) {
            Err(WriteError::Rule { rule, .. }) => assert_eq!(rule, "record-restricted"),
            other => panic!("{other:?}"),
        }
    }
    // A correction puts the record right (Art. 18(1)(a): its accuracy was contested).
    let g1 = Goal {
        id: GoalId::parse("G1").unwrap(),
        participant: x1(),
        set_on: d("2024-02-01"),
        text: "Jobba på ett bageri".into(),
        occupation_code: None,
        hours_per_week: None,
    };
    db.store
        .correct(
            &lead(),
            &p1(),
            &x1(),
            &Target::Goal(g1.id.clone()),
            &Row::Goal(g1.clone()),
            Some("the person's own words"),
        )
        .unwrap();
    // The person's own writes are theirs to make.
    db.store
        .reword_goal(&lead(), &Reach::Own(x1()), &x1(), &g1.id, "Baka bröd")
        .unwrap();
    // Lifted, new records are made again.
    db.store
        .lift_restriction(&lead(), &p1(), &x1(), "DSR-9")
        .unwrap()
        .unwrap();
    db.store.add_goal(&lead(), &coach(), &goal).unwrap();
}
