//! Erasure, legal holds, retention and the purge: an erasure removes every row about the
//! participant and nothing else, in one transaction; the audit log keeps a tombstone and no
//! personal data, and still verifies; holds and retention rules refuse it with their reason;
//! the purge erases on the retention anniversary, not the day before, and skips held ones.

use std::collections::BTreeMap;

use fika_core::outcomes::Quarter;
use fika_core::*;
use fika_interchange::fields::to_fields;
use fika_store::correct::Target;
use fika_store::erasure::{ERASE, Refused, Scope};
use fika_store::finals::{FinalFigure, FinalKind, FinalRefused};
use fika_store::participant_view::{Join, NewInvitation};
use fika_store::{Actor, Reach};

use super::fixture::{TestDb, base};
use crate::conformance;

conformance!(
    an_erasure_removes_every_row_of_theirs_and_nothing_else,
    the_audit_log_keeps_a_tombstone_no_personal_data_and_verifies,
    an_erasure_is_refused_out_of_reach_and_without_a_reference,
    a_legal_hold_refuses_an_erasure_until_it_is_lifted,
    a_retention_rule_keeps_records_until_the_anniversary_of_the_exit,
    the_purge_erases_from_the_anniversary_on_and_reports_held_ones,
    figures_marked_final_do_not_change_after_an_erasure,
);

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn lead(at: &str) -> Actor {
    Actor {
        user: "lead-u".into(),
        at: at.into(),
    }
}

fn program(p: &str) -> Reach {
    Reach::Program(ProgramId::parse(p).unwrap())
}

fn x(id: &str) -> ParticipantId {
    ParticipantId::parse(id).unwrap()
}

/// Every exported record as its cells, per file.
fn lines(db: &TestDb) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    db.store
        .export(&mut |row| {
            let cells: Vec<String> = to_fields(&row)
                .iter()
                .map(|c| c.as_ref().map(|v| v.to_string()).unwrap_or_default())
                .collect();
            out.entry(format!("{:?}", row.file()))
                .or_default()
                .push(cells.join("\u{1f}"));
            Ok(())
        })
        .unwrap();
    out
}

/// Whether an exported record is about `who` (their ID as a whole cell).
fn about(line: &str, who: &str) -> bool {
    line.split('\u{1f}').any(|cell| cell == who)
}

/// X1 gets everything a participant can have besides the import's rows: a correction, an
/// account from an invitation with a session, a goal reworded, a talk request.
fn everything_of_x1(db: &TestDb) {
    db.import(&base()).unwrap();
    let coach = Reach::Coach {
        coach: CoachId::parse("C1").unwrap(),
        on: d("2024-06-03"),
    };
    let at = lead("2024-06-01T09:00:00Z");
    db.store
        .remove(
            &at,
            &coach,
            &x("X1"),
            &Target::Step(StepId::parse("S1").unwrap()),
            "entered for the wrong person",
        )
        .unwrap();
    db.store
        .create_invitation(
            &at,
            &program("P1"),
            &NewInvitation {
                id: "I-1".into(),
                participant: x("X1"),
                code_hash: "h1".into(),
                expires_at: "2024-06-08T09:00:00Z".into(),
            },
        )
        .unwrap();
    let user = db
        .store
        .accept_invitation(
            "h1",
            "2024-06-01T10:00:00Z",
            &Join {
                user_id: "U-x1".into(),
                login: "bosse".into(),
                password_hash: "not-a-hash".into(),
                locale: "sv".into(),
            },
        )
        .unwrap();
    db.store
        .add_session("t1", &user.id, "csrf", "2024-06-01T10:00:00Z")
        .unwrap();
    db.store
        .add_login_failure("bosse", "192.0.2.1", "2024-06-01T10:05:00Z")
        .unwrap();
    let own = Actor {
        user: user.id.clone(),
        at: "2024-06-01T10:10:00Z".into(),
    };
    db.store
        .reword_goal(
            &own,
            &Reach::Own(x("X1")),
            &x("X1"),
            &GoalId::parse("G1").unwrap(),
            "Baka bröd på ett café",
        )
        .unwrap();
    db.store
        .ask_to_talk(&own, &x("X1"), d("2024-06-01"))
        .unwrap();
}

fn an_erasure_removes_every_row_of_theirs_and_nothing_else(db: &TestDb) {
    everything_of_x1(db);
    let before = lines(db);
    assert!(before.values().flatten().any(|l| about(l, "X1")));
    let erased = db
        .store
        .erase(
            &lead("2024-06-03T10:00:00Z"),
            &program("P1"),
            &x("X1"),
            " DSR-2024-17 ",
            d("2024-06-03"),
        )
        .unwrap()
        .unwrap();
    assert_eq!(erased.participant, x("X1"));
    assert_eq!(erased.older_corrections, 0);
    let after = lines(db);
    for (file, rows) in &before {
        let kept: Vec<&String> = rows.iter().filter(|l| !about(l, "X1")).collect();
        let now: Vec<&String> = after.get(file).into_iter().flatten().collect();
        assert_eq!(now, kept, "{file}: only X1's rows go");
    }
    // The coach's own contact K3 (for no participant), X2 and the employer stay.
    assert!(
        after["EmployerContacts"]
            .iter()
            .any(|l| l.starts_with("K3\u{1f}"))
    );
    assert!(
        after["Participants"]
            .iter()
            .any(|l| l.starts_with("X2\u{1f}"))
    );
    // Their account, session, sign-in failures, invitation, goal history and talk request.
    assert!(db.store.user("U-x1").unwrap().is_none());
    assert!(db.store.user_by_login("bosse").unwrap().is_none());
    assert!(db.store.session("t1").unwrap().is_none());
    assert_eq!(
        db.store
            .login_failures("bosse", "198.51.100.1", "2024-01-01T00:00:00Z")
            .unwrap()
            .0,
        0
    );
    assert!(db.store.talk_requests(&program("P1")).unwrap().is_empty());
    assert_eq!(db.store.participant_program(&x("X1")).unwrap(), None);
    // A second erasure finds nobody.
    assert_eq!(
        db.store
            .erase(
                &lead("2024-06-03T10:01:00Z"),
                &program("P1"),
                &x("X1"),
                "DSR-2024-17",
                d("2024-06-03")
            )
            .unwrap(),
        Err(Refused::NotFound)
    );
}

fn the_audit_log_keeps_a_tombstone_no_personal_data_and_verifies(db: &TestDb) {
    everything_of_x1(db);
    db.store.seal_audit().unwrap();
    let before = db.store.audit_log().unwrap();
    // The correction's audit row names its kept record; the record is there until erased.
    let correction = before
        .iter()
        .find(|r| r.action == "next_step.remove")
        .unwrap();
    assert!(correction.detail.starts_with("correction "));
    assert!(
        db.store
            .correction_of(&correction.detail)
            .unwrap()
            .unwrap()
            .contains("Ringa bageriet")
    );
    db.store
        .erase(
            &lead("2024-06-03T10:00:00Z"),
            &program("P1"),
            &x("X1"),
            "DSR-2024-17",
            d("2024-06-03"),
        )
        .unwrap()
        .unwrap();
    let log = db.store.audit_log().unwrap();
    assert_eq!(log.len(), before.len() + 1, "no audit row is removed");
    let tomb = log.last().unwrap();
    assert_eq!(tomb.action, ERASE);
    assert_eq!(tomb.who, "lead-u");
    assert_eq!(tomb.participant.as_deref(), Some("X1"));
    assert!(tomb.detail.contains("DSR-2024-17"), "{}", tomb.detail);
    assert_eq!(db.store.correction_of(&correction.detail).unwrap(), None);
    // No row of the log holds their name or a word of their records.
    let text: String = log
        .iter()
        .map(|r| format!("{} {} {}\n", r.who, r.action, r.detail))
        .collect();
    for personal in [
        "Björn",
        "Bosse",
        "bosse",
        "Första fika",
        "Jobba på",
        "Baka bröd",
        "Ringa bageriet",
        "Bagare",
        "riktigt",
    ] {
        assert!(
            !text.contains(personal),
            "{personal} in the audit log:\n{text}"
        );
    }
    let v = db.store.verify_audit().unwrap();
    assert_eq!(
        v.problems,
        vec![],
        "the chain still verifies after an erasure"
    );
    assert_eq!(v.rows as usize, log.len());
}

fn an_erasure_is_refused_out_of_reach_and_without_a_reference(db: &TestDb) {
    db.import(&base()).unwrap();
    let at = lead("2024-06-03T10:00:00Z");
    let today = d("2024-06-03");
    let coach = Reach::Coach {
        coach: CoachId::parse("C1").unwrap(),
        on: today,
    };
    for reach in [program("P2"), coach, Reach::Own(x("X1"))] {
        assert_eq!(
            db.store.erase(&at, &reach, &x("X1"), "R-1", today).unwrap(),
            Err(Refused::NotFound),
            "{reach:?}"
        );
    }
    for bad in ["", "   ", "two\nlines", &"x".repeat(201)] {
        assert_eq!(
            db.store
                .erase(&at, &program("P1"), &x("X1"), bad, today)
                .unwrap(),
            Err(Refused::BadReference)
        );
    }
    let n = db.store.audit_log().unwrap().len();
    assert_eq!(db.export(), {
        let fresh = db.fresh();
        fresh.import(&base()).unwrap();
        fresh.export()
    });
    assert_eq!(
        db.store.audit_log().unwrap().len(),
        n,
        "a refusal writes nothing"
    );
}

fn a_legal_hold_refuses_an_erasure_until_it_is_lifted(db: &TestDb) {
    db.import(&base()).unwrap();
    let today = d("2024-06-03");
    let at = lead("2024-06-03T10:00:00Z");
    // A lead of another program places no hold on X1 or P1.
    assert_eq!(
        db.store
            .place_hold(&at, &program("P2"), &Scope::Participant(x("X1")), "H")
            .unwrap(),
        Err(Refused::NotFound)
    );
    assert_eq!(
        db.store
            .place_hold(
                &at,
                &program("P2"),
                &Scope::Program(ProgramId::parse("P1").unwrap()),
                "H"
            )
            .unwrap(),
        Err(Refused::NotFound)
    );
    for scope in [
        Scope::Participant(x("X1")),
        Scope::Program(ProgramId::parse("P1").unwrap()),
    ] {
        let hold = db
            .store
            .place_hold(&at, &program("P1"), &scope, "Tvist 2024:3")
            .unwrap()
            .unwrap();
        let refused = db
            .store
            .erase(&at, &program("P1"), &x("X1"), "DSR-1", today)
            .unwrap()
            .unwrap_err();
        assert_eq!(
            refused,
            Refused::Held {
                hold,
                scope: scope.clone(),
                reference: "Tvist 2024:3".into()
            }
        );
        assert!(refused.to_string().contains("until the hold is lifted"));
        let held = db
            .store
            .holds(Some(&ProgramId::parse("P1").unwrap()))
            .unwrap();
        assert_eq!(held.len(), 1);
        assert!(
            db.store
                .holds(Some(&ProgramId::parse("P2").unwrap()))
                .unwrap()
                .is_empty()
        );
        db.store
            .lift_hold(&at, &program("P1"), hold)
            .unwrap()
            .unwrap();
        assert_eq!(
            db.store.lift_hold(&at, &program("P1"), hold).unwrap(),
            Err(Refused::NotFound),
            "lifted already"
        );
    }
    assert!(db.store.holds(None).unwrap().is_empty());
    let actions: Vec<String> = db
        .store
        .audit_log()
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(actions.iter().filter(|a| *a == "hold.place").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "hold.lift").count(), 2);
    db.store
        .erase(&at, &program("P1"), &x("X1"), "DSR-1", today)
        .unwrap()
        .unwrap();
}

fn a_retention_rule_keeps_records_until_the_anniversary_of_the_exit(db: &TestDb) {
    db.import(&base()).unwrap();
    let at = lead("2024-06-03T10:00:00Z");
    let p1 = Scope::Program(ProgramId::parse("P1").unwrap());
    let p2 = Scope::Program(ProgramId::parse("P2").unwrap());
    for bad in [0, 101] {
        assert_eq!(
            db.store
                .set_retention(&at, &program("P2"), &p2, Some(bad))
                .unwrap(),
            Err(Refused::BadYears)
        );
    }
    assert_eq!(
        db.store
            .set_retention(&at, &program("P1"), &p2, Some(5))
            .unwrap(),
        Err(Refused::NotFound),
        "a lead sets their own program's rule only"
    );
    db.store
        .set_retention(&at, &program("P1"), &p1, Some(5))
        .unwrap()
        .unwrap();
    db.store
        .set_retention(&at, &program("P2"), &p2, Some(5))
        .unwrap()
        .unwrap();
    // X1 has not left: the rule keeps them.
    let refused = db
        .store
        .erase(&at, &program("P1"), &x("X1"), "DSR-1", d("2090-01-01"))
        .unwrap()
        .unwrap_err();
    assert_eq!(
        refused,
        Refused::Kept {
            scope: p1.clone(),
            years: 5,
            until: None
        }
    );
    assert!(refused.to_string().contains("has not left"));
    // X2 left on 2025-01-31: kept until 2030-01-31.
    let refused = db
        .store
        .erase(&at, &program("P2"), &x("X2"), "DSR-2", d("2030-01-30"))
        .unwrap()
        .unwrap_err();
    assert_eq!(
        refused,
        Refused::Kept {
            scope: p2.clone(),
            years: 5,
            until: Some(d("2030-01-31"))
        }
    );
    assert!(refused.to_string().contains("kept until 2030-01-31"));
    // Their own rule applies instead of the program's.
    db.store
        .set_retention(&at, &program("P2"), &Scope::Participant(x("X2")), Some(1))
        .unwrap()
        .unwrap();
    assert_eq!(
        db.store
            .erase(&at, &program("P2"), &x("X2"), "DSR-2", d("2026-01-30"))
            .unwrap()
            .unwrap_err(),
        Refused::Kept {
            scope: Scope::Participant(x("X2")),
            years: 1,
            until: Some(d("2026-01-31"))
        }
    );
    let rules = db.store.retention_rules().unwrap();
    assert_eq!(rules.len(), 3);
    db.store
        .erase(&at, &program("P2"), &x("X2"), "DSR-2", d("2026-01-31"))
        .unwrap()
        .unwrap();
    // Their own rule went with them; the program's stays.
    assert_eq!(db.store.retention_rules().unwrap().len(), 2);
    // Removing P1's rule lets X1 be erased while active.
    db.store
        .set_retention(&at, &program("P1"), &p1, None)
        .unwrap()
        .unwrap();
    db.store
        .erase(&at, &program("P1"), &x("X1"), "DSR-1", d("2024-06-03"))
        .unwrap()
        .unwrap();
}

fn the_purge_erases_from_the_anniversary_on_and_reports_held_ones(db: &TestDb) {
    let cli = lead("2026-02-01T03:00:00Z");
    let p2 = Scope::Program(ProgramId::parse("P2").unwrap());
    for (day, due) in [
        ("2026-01-30", false),
        ("2026-01-31", true),
        ("2026-02-01", true),
    ] {
        let db = db.fresh();
        db.import(&base()).unwrap();
        db.store
            .set_retention(&cli, &program("P2"), &p2, Some(1))
            .unwrap()
            .unwrap();
        let list = db.store.retention_due(d(day)).unwrap();
        assert_eq!(list.len(), usize::from(due), "{day}");
        let purged = db
            .store
            .purge_retention(&cli, d(day), "retention purge")
            .unwrap()
            .unwrap();
        assert!(purged.held.is_empty());
        assert_eq!(purged.erased.len(), usize::from(due), "{day}");
        assert_eq!(
            db.store.participant_program(&x("X2")).unwrap().is_none(),
            due,
            "{day}"
        );
        // X1 (no exit, no rule) is never due.
        assert!(db.store.participant_program(&x("X1")).unwrap().is_some());
        if due {
            let d2 = &list[0];
            assert_eq!(d2.participant, x("X2"));
            assert_eq!(d2.exit, d("2025-01-31"));
            assert_eq!(d2.due_on, d("2026-01-31"));
        }
        assert_eq!(db.store.verify_audit().unwrap().problems, vec![]);
    }
    // A hold keeps a due record, and the purge says so.
    db.import(&base()).unwrap();
    db.store
        .set_retention(&cli, &program("P2"), &p2, Some(1))
        .unwrap()
        .unwrap();
    let hold = db
        .store
        .place_hold(&cli, &program("P2"), &p2, "JO 2026-1")
        .unwrap()
        .unwrap();
    let purged = db
        .store
        .purge_retention(&cli, d("2026-02-01"), "retention purge")
        .unwrap()
        .unwrap();
    assert!(purged.erased.is_empty());
    assert_eq!(purged.held.len(), 1);
    assert_eq!(purged.held[0].held.as_ref().unwrap().id, hold);
    assert!(db.store.participant_program(&x("X2")).unwrap().is_some());
    db.store
        .lift_hold(&cli, &program("P2"), hold)
        .unwrap()
        .unwrap();
    let purged = db
        .store
        .purge_retention(&cli, d("2026-02-01"), "retention purge")
        .unwrap()
        .unwrap();
    assert_eq!(purged.erased.len(), 1);
    assert!(db.store.retention_due(d("2026-02-01")).unwrap().is_empty());
    assert_eq!(
        db.store.purge_retention(&cli, d("2026-02-01"), "").unwrap(),
        Err(Refused::BadReference)
    );
}

/// P1's outcomes of 2024Q1 and its fidelity items on 2024-03-31, as JSON.
fn p1_figures(db: &TestDb) -> (String, String) {
    let p1 = ProgramId::parse("P1").unwrap();
    let q: Quarter = "2024Q1".parse().unwrap();
    let outcomes = db.store.outcomes_by_program(&[q]).unwrap()[0]
        .get(&p1)
        .map(|o| serde_json::to_string(o).unwrap())
        .unwrap_or_default();
    let at = d("2024-03-31");
    let data = db.store.fidelity_data(&p1, at).unwrap().unwrap();
    let report = fika_core::fidelity::fidelity(&data.records(), at);
    let fidelity = serde_json::to_string(&report.summary()).unwrap();
    (outcomes, fidelity)
}

fn figures_marked_final_do_not_change_after_an_erasure(db: &TestDb) {
    db.import(&base()).unwrap();
    let at = lead("2024-04-02T10:00:00Z");
    let p1 = ProgramId::parse("P1").unwrap();
    let (outcomes, fidelity) = p1_figures(db);
    assert!(outcomes.contains("\"served\":1"), "{outcomes}");
    let final_of = |kind, period: &str, figures: &str, rules| FinalFigure {
        program: p1.clone(),
        kind,
        period: period.into(),
        rules,
        figures: figures.into(),
        marked_by: String::new(),
        marked_at: String::new(),
    };
    let o = final_of(
        FinalKind::Outcomes,
        "2024Q1",
        &outcomes,
        fika_core::outcomes::RULES,
    );
    let f = final_of(FinalKind::Fidelity, "2024-03-31", &fidelity, 1);
    assert_eq!(
        db.store.mark_final(&at, &program("P2"), &o).unwrap(),
        Err(FinalRefused::NotFound),
        "another program's lead"
    );
    db.store
        .mark_final(&at, &program("P1"), &o)
        .unwrap()
        .unwrap();
    db.store
        .mark_final(&at, &program("P1"), &f)
        .unwrap()
        .unwrap();
    assert_eq!(
        db.store.mark_final(&at, &program("P1"), &o).unwrap(),
        Err(FinalRefused::AlreadyFinal {
            marked_at: "2024-04-02T10:00:00Z".into()
        }),
        "never replaced"
    );
    db.store
        .erase(&at, &program("P1"), &x("X1"), "DSR-1", d("2024-04-02"))
        .unwrap()
        .unwrap();
    // The figures computed now have changed; the final ones have not.
    let (outcomes_now, fidelity_now) = p1_figures(db);
    assert_ne!(outcomes_now, outcomes);
    assert_ne!(fidelity_now, fidelity);
    let kept = db
        .store
        .final_figure(&p1, FinalKind::Outcomes, "2024Q1")
        .unwrap()
        .unwrap();
    assert_eq!(kept.figures, outcomes);
    assert_eq!(kept.rules, fika_core::outcomes::RULES);
    assert_eq!(kept.marked_by, "lead-u");
    assert_eq!(
        db.store
            .final_figure(&p1, FinalKind::Fidelity, "2024-03-31")
            .unwrap()
            .unwrap()
            .figures,
        fidelity
    );
    assert_eq!(db.store.final_figures(Some(&p1)).unwrap().len(), 2);
    assert!(
        db.store
            .final_figure(&p1, FinalKind::Outcomes, "2024Q2")
            .unwrap()
            .is_none()
    );
}
