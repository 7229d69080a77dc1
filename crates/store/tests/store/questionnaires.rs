//! Questionnaires and rounds: frozen once sent, figures computed on the reference date,
//! answers saved one by one, concurrent changes refused with both values, submission
//! only when every shown required question is answered.

use std::collections::BTreeMap;

use fika_core::questionnaire::*;
use fika_core::{ProgramId, parse_date};
use fika_store::questionnaires::{Answers, ResponseStatus, Saved};
use fika_store::{Actor, WriteError};

use super::fixture::{TestDb, base};
use crate::conformance;

conformance!(
    a_questionnaire_is_kept_whole_and_frozen_once_sent,
    sending_computes_the_bound_figures_on_the_reference_date,
    answers_are_saved_one_by_one_and_a_change_on_an_old_version_is_refused,
    submitting_needs_every_shown_required_answer_and_can_be_reopened,
    a_refused_round_writes_nothing,
    the_results_read_is_the_responses_without_versions,
    free_text_answers_go_to_a_qualitative_project_once,
    a_draft_is_changed_in_one_transaction_and_sent_only_with_questions,
    respondents_are_staff_of_their_program,
);

fn actor(user: &str) -> Actor {
    Actor {
        user: user.into(),
        at: "2025-06-30T10:00:00Z".into(),
    }
}

fn p(s: &str) -> ProgramId {
    ProgramId::parse(s).unwrap()
}

fn question(name: &str, kind: Kind) -> Question {
    Question {
        name: name.into(),
        label: Text::both(name),
        kind,
        required: false,
        help: Text::default(),
        condition: None,
        prefill: None,
        redcap: BTreeMap::new(),
    }
}

fn form() -> Questionnaire {
    let mut coaches = question(
        "coaches",
        Kind::Number {
            unit: Text::default(),
            min: Some(0.0),
            max: None,
            integer: true,
        },
    );
    coaches.prefill = Some(Figure::Coaches);
    coaches.required = true;
    let mut rate = question(
        "rate",
        Kind::Number {
            unit: Text::default(),
            min: Some(0.0),
            max: Some(100.0),
            integer: false,
        },
    );
    rate.prefill = Some(Figure::StrictRate);
    let mut team = question(
        "team",
        Kind::SingleChoice {
            choices: vec![
                Choice {
                    code: "1".into(),
                    label: Text::both("Yes"),
                },
                Choice {
                    code: "0".into(),
                    label: Text::both("No"),
                },
            ],
            style: ChoiceStyle::Radio,
        },
    );
    team.required = true;
    let mut why = question("why", Kind::LongText);
    why.required = true;
    why.condition = Some(Condition::parse("[team] = '0'").unwrap());
    Questionnaire {
        format: FORMAT_VERSION,
        title: Text::both("Programs 2025"),
        description: Text::default(),
        sections: vec![Section {
            title: Text::default(),
            questions: vec![coaches, rate, team, why],
        }],
    }
}

fn d(s: &str) -> chrono::NaiveDate {
    parse_date(s).unwrap()
}

fn send(db: &TestDb) -> String {
    db.import(&base()).unwrap();
    let id = db
        .store
        .create_questionnaire(&actor("EV"), &form())
        .unwrap();
    db.store
        .send_round(
            &actor("EV"),
            &id,
            "",
            &[p("P1"), p("P2")],
            d("2024-06-30"),
            d("2024-08-31"),
        )
        .unwrap()
}

fn a_questionnaire_is_kept_whole_and_frozen_once_sent(db: &TestDb) {
    db.import(&base()).unwrap();
    let id = db
        .store
        .create_questionnaire(&actor("EV"), &form())
        .unwrap();
    assert_eq!(id, "QN1");
    let stored = db.store.questionnaire(&id).unwrap().unwrap();
    assert_eq!(stored.questionnaire, form());
    assert!(!stored.frozen);
    let mut changed = form();
    changed.title = Text::both("Programs 2025, second version");
    db.store
        .update_questionnaire(&actor("EV"), &id, &changed)
        .unwrap();
    let mut bad = form();
    bad.sections[0].questions[1].name = "coaches".into();
    assert!(matches!(
        db.store.update_questionnaire(&actor("EV"), &id, &bad),
        Err(WriteError::Rule {
            rule: "question-name-twice",
            ..
        })
    ));
    let round = db
        .store
        .send_round(
            &actor("EV"),
            &id,
            "Spring",
            &[p("P1")],
            d("2024-06-30"),
            d("2024-08-31"),
        )
        .unwrap();
    assert_eq!(round, "QR1");
    assert!(db.store.questionnaire(&id).unwrap().unwrap().frozen);
    assert!(matches!(
        db.store.update_questionnaire(&actor("EV"), &id, &form()),
        Err(WriteError::Rule {
            rule: "questionnaire-frozen",
            ..
        })
    ));
    assert_eq!(db.store.questionnaires().unwrap().len(), 1);
    let r = db.store.round(&round).unwrap().unwrap();
    assert_eq!(
        (r.title.as_str(), r.reference_date, r.deadline),
        ("Spring", d("2024-06-30"), d("2024-08-31"))
    );
    let actions: Vec<String> = db
        .store
        .audit_log()
        .unwrap()
        .iter()
        .map(|a| a.action.clone())
        .collect();
    assert!(
        actions.ends_with(&[
            "questionnaire.add".into(),
            "questionnaire.change".into(),
            "round.send".into()
        ]),
        "{actions:?}"
    );
}

fn sending_computes_the_bound_figures_on_the_reference_date(db: &TestDb) {
    let round = send(db);
    let r1 = db.store.response(&round, &p("P1")).unwrap().unwrap();
    // base(): P1 has coach C1 (0.5 fte) in post on 2024-06-30 with X1 active; X1 works
    // competitively from 2024-03-01, so the quarter 2024Q2 has 1 of 1 served at work.
    assert_eq!(r1.prefill["coaches"].value, Some(1.0));
    assert_eq!(r1.prefill["rate"].value, Some(100.0));
    assert!(
        r1.prefill["rate"].evidence.contains("1 of 1"),
        "{}",
        r1.prefill["rate"].evidence
    );
    assert_eq!(r1.program.status, ResponseStatus::NotStarted);
    // P2's coach C2 is in post; X2 was enrolled 2024-03-01, with a placement (not competitive).
    let r2 = db.store.response(&round, &p("P2")).unwrap().unwrap();
    assert_eq!(r2.prefill["coaches"].value, Some(1.0));
    assert_eq!(r2.prefill["rate"].value, Some(0.0));
    assert!(db.store.response(&round, &p("P9")).unwrap().is_none());
    assert_eq!(db.store.rounds_of_program(&p("P1")).unwrap().len(), 1);
}

fn answers_are_saved_one_by_one_and_a_change_on_an_old_version_is_refused(db: &TestDb) {
    let round = send(db);
    let one = Answer::Number("2".into());
    let saved = db
        .store
        .save_answer(
            &actor("L1"),
            &round,
            &p("P1"),
            "coaches",
            Some(&one),
            "one more since May",
            0,
        )
        .unwrap();
    assert_eq!(saved, Saved::Stored { version: 1 });
    // A second lead changes it on version 1 …
    let three = Answer::Number("3".into());
    assert_eq!(
        db.store
            .save_answer(
                &actor("L2"),
                &round,
                &p("P1"),
                "coaches",
                Some(&three),
                "",
                1
            )
            .unwrap(),
        Saved::Stored { version: 2 }
    );
    // … and the first, still on version 1, is refused with both values.
    let four = Answer::Number("4".into());
    match db
        .store
        .save_answer(
            &actor("L1"),
            &round,
            &p("P1"),
            "coaches",
            Some(&four),
            "",
            1,
        )
        .unwrap()
    {
        Saved::Conflict { yours, theirs } => {
            assert_eq!(yours, Some(four));
            assert_eq!(theirs.answer, Some(three.clone()));
            assert_eq!((theirs.version, theirs.by.as_str()), (2, "L2"));
        }
        other => panic!("{other:?}"),
    }
    // Two new answers to the same question on version 0: the second is refused.
    assert!(matches!(
        db.store
            .save_answer(&actor("L2"), &round, &p("P1"), "coaches", Some(&one), "", 0)
            .unwrap(),
        Saved::Conflict { .. }
    ));
    let r = db.store.response(&round, &p("P1")).unwrap().unwrap();
    assert_eq!(r.answers["coaches"].answer, Some(three));
    assert_eq!(r.program.status, ResponseStatus::InProgress);
    // Another program's answers are its own.
    assert!(
        db.store
            .response(&round, &p("P2"))
            .unwrap()
            .unwrap()
            .answers
            .is_empty()
    );
    // No such question, or a program the round did not go to.
    assert!(matches!(
        db.store
            .save_answer(&actor("L1"), &round, &p("P1"), "nope", Some(&one), "", 0),
        Err(WriteError::NotFound)
    ));
    assert!(matches!(
        db.store
            .save_answer(&actor("L1"), &round, &p("P9"), "coaches", Some(&one), "", 0),
        Err(WriteError::NotFound)
    ));
    // Clearing an answer keeps its row, without a value.
    db.store
        .save_answer(&actor("L1"), &round, &p("P1"), "coaches", None, "", 2)
        .unwrap();
    let r = db.store.response(&round, &p("P1")).unwrap().unwrap();
    assert_eq!(
        (
            r.answers["coaches"].answer.clone(),
            r.answers["coaches"].version
        ),
        (None, 3)
    );
}

fn submitting_needs_every_shown_required_answer_and_can_be_reopened(db: &TestDb) {
    let round = send(db);
    let l = actor("L1");
    let save = |q: &str, a: Answer, v: u32| {
        db.store
            .save_answer(&l, &round, &p("P1"), q, Some(&a), "", v)
            .unwrap()
    };
    save("coaches", Answer::Number("1".into()), 0);
    save("team", Answer::Choice("0".into()), 0);
    match db.store.submit_response(&l, &round, &p("P1")) {
        Err(WriteError::Rule {
            rule: "round-missing",
            text,
        }) => assert!(text.contains("why"), "{text}"),
        other => panic!("{other:?}"),
    }
    // With the team integrated, "why not" is not shown, so not required.
    save("team", Answer::Choice("1".into()), 1);
    db.store.submit_response(&l, &round, &p("P1")).unwrap();
    let status = db.store.round_programs(&round).unwrap();
    assert_eq!(status[0].status, ResponseStatus::Submitted);
    assert_eq!(status[1].status, ResponseStatus::NotStarted);
    assert!(matches!(
        db.store.save_answer(
            &l,
            &round,
            &p("P1"),
            "coaches",
            Some(&Answer::Number("5".into())),
            "",
            1
        ),
        Err(WriteError::Rule {
            rule: "round-submitted",
            ..
        })
    ));
    db.store
        .reopen_response(&actor("EV"), &round, &p("P1"))
        .unwrap();
    assert_eq!(
        db.store.round_programs(&round).unwrap()[0].status,
        ResponseStatus::InProgress
    );
    assert!(matches!(
        db.store.reopen_response(&actor("EV"), &round, &p("P1")),
        Err(WriteError::Rule {
            rule: "round-not-submitted",
            ..
        })
    ));
}

fn a_refused_round_writes_nothing(db: &TestDb) {
    db.import(&base()).unwrap();
    let id = db
        .store
        .create_questionnaire(&actor("EV"), &form())
        .unwrap();
    let before = db.store.audit_log().unwrap().len();
    for (programs, reference, deadline, expected) in [
        (vec![], "2024-06-30", "2024-08-31", "round-no-programs"),
        (
            vec![p("P1"), p("P9")],
            "2024-06-30",
            "2024-08-31",
            "round-unknown-program",
        ),
        (vec![p("P1")], "2024-06-30", "2024-06-29", "round-deadline"),
    ] {
        match db
            .store
            .send_round(&actor("EV"), &id, "", &programs, d(reference), d(deadline))
        {
            Err(WriteError::Rule { rule, .. }) => assert_eq!(rule, expected),
            other => panic!("{expected}: {other:?}"),
        }
    }
    assert!(matches!(
        db.store.send_round(
            &actor("EV"),
            "QN9",
            "",
            &[p("P1")],
            d("2024-06-30"),
            d("2024-08-31")
        ),
        Err(WriteError::NotFound)
    ));
    assert!(db.store.rounds().unwrap().is_empty());
    assert!(!db.store.questionnaire(&id).unwrap().unwrap().frozen);
    assert_eq!(db.store.audit_log().unwrap().len(), before);
}

/// `round_answers`, the lean read behind a round's results and downloads, gives exactly
/// what the full responses give once who answered when and the versions are left out:
/// answers, the figures computed on sending, comments (also of a cleared answer), and a
/// program that has answered nothing, in the programs' order.
fn the_results_read_is_the_responses_without_versions(db: &TestDb) {
    let round = send(db);
    let save = |program: &str, question: &str, answer: Option<Answer>, comment: &str, v: u32| {
        let saved = db
            .store
            .save_answer(
                &actor("L1"),
                &round,
                &p(program),
                question,
                answer.as_ref(),
                comment,
                v,
            )
            .unwrap();
        assert!(matches!(saved, Saved::Stored { .. }), "{saved:?}");
    };
    save(
        "P1",
        "coaches",
        Some(Answer::Number("2".into())),
        "one more since May",
        0,
    );
    save("P1", "team", Some(Answer::Choice("0".into())), "", 0);
    save(
        "P1",
        "why",
        Some(Answer::Text("We share one office.".into())),
        "",
        0,
    );
    // Cleared, with its comment kept.
    save("P1", "why", None, "asked the team first", 1);
    let lean = db.store.round_answers(&round).unwrap();
    let full: Vec<Answers> = db
        .store
        .responses(&round)
        .unwrap()
        .iter()
        .map(Answers::of)
        .collect();
    assert_eq!(lean, full);
    assert_eq!(
        lean.iter().map(|a| a.program.as_str()).collect::<Vec<_>>(),
        ["P1", "P2"]
    );
    let p1 = &lean[0];
    assert_eq!(p1.answers.len(), 2, "{p1:?}");
    assert_eq!(p1.comments["why"], "asked the team first");
    assert_eq!(p1.comments["coaches"], "one more since May");
    assert_eq!(p1.computed["coaches"], Some(1.0));
    assert!(lean[1].answers.is_empty());
    assert_eq!(lean[1].computed["rate"], Some(0.0));
    let with_places = db.store.round_results(&round).unwrap();
    assert_eq!(
        with_places
            .iter()
            .map(|(p, _)| p.clone())
            .collect::<Vec<_>>(),
        db.store.round_programs(&round).unwrap()
    );
    assert_eq!(
        with_places.into_iter().map(|(_, a)| a).collect::<Vec<_>>(),
        lean
    );
    assert!(db.store.round_answers("QR9").unwrap().is_empty());
}

fn free_text_answers_go_to_a_qualitative_project_once(db: &TestDb) {
    use fika_store::QualRole;
    use fika_store::accounts::{NewUser, Role};
    let round = send(db);
    for login in ["eva", "erik", "ella"] {
        db.store
            .add_user(
                &NewUser {
                    id: format!("U-{login}"),
                    login: login.into(),
                    role: Role::Evaluator,
                    coach: None,
                    program: None,
                    password_hash: "x".into(),
                    locale: "en".into(),
                },
                "2026-01-01T00:00:00Z",
            )
            .unwrap();
    }
    let q1 = db
        .store
        .create_qual_project(&fika_qual::Project::new("Enkätsvar"))
        .unwrap()
        .unwrap();
    db.store
        .add_qual_member(&q1, None, "eva", QualRole::Owner)
        .unwrap();
    db.store
        .add_qual_member(&q1, None, "erik", QualRole::Coder)
        .unwrap();
    let to_qual = |who: &str, question: &str, member: Option<&str>, project: &str| {
        db.store
            .answers_to_qual(&actor(who), &round, question, project, member)
    };
    let sources = || {
        db.store
            .qual_project(&q1)
            .unwrap()
            .unwrap()
            .1
            .sources
            .into_iter()
            .map(|s| (s.name, s.text))
            .collect::<Vec<_>>()
    };
    let audit_rows = || db.store.audit_log().unwrap().len();
    // Nothing answered yet; a number question is not coded; no such question or round.
    match to_qual("erik", "why", Some("erik"), &q1) {
        Err(WriteError::Rule { rule, text }) => {
            assert_eq!(rule, "round-to-qual-nothing");
            assert!(text.contains("why"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        to_qual("erik", "coaches", Some("erik"), &q1),
        Err(WriteError::Rule {
            rule: "round-to-qual-kind",
            ..
        })
    ));
    assert!(matches!(
        to_qual("erik", "nope", Some("erik"), &q1),
        Err(WriteError::NotFound)
    ));
    assert!(matches!(
        db.store
            .answers_to_qual(&actor("erik"), "QR9", "why", &q1, Some("erik")),
        Err(WriteError::NotFound)
    ));

    let answer = |program: &str, text: &str| {
        db.store
            .save_answer(
                &actor("L1"),
                &round,
                &p(program),
                "team",
                Some(&Answer::Choice("0".into())),
                "",
                0,
            )
            .unwrap();
        db.store
            .save_answer(
                &actor("L1"),
                &round,
                &p(program),
                "why",
                Some(&Answer::Text(text.into())),
                "",
                0,
            )
            .unwrap();
    };
    answer("P1", "The psychiatry team sits in another town.");
    let answered = audit_rows();
    // An evaluator who is not a member is answered as if there were no such project.
    assert!(matches!(
        to_qual("ella", "why", Some("ella"), &q1),
        Err(WriteError::NotFound)
    ));
    assert!(matches!(
        to_qual("erik", "why", Some("erik"), "Q99"),
        Err(WriteError::NotFound)
    ));
    assert!(sources().is_empty());
    assert_eq!(audit_rows(), answered);

    // A coder sends them: one source per program that answered, named to be told apart.
    let sent = to_qual("erik", "why", Some("erik"), &q1).unwrap();
    let p1 = format!("{round} · why · P1");
    assert_eq!(
        (
            sent.project.as_str(),
            sent.added.clone(),
            sent.already.len()
        ),
        (q1.as_str(), vec![p1.clone()], 0)
    );
    assert_eq!(
        sources(),
        vec![(
            p1.clone(),
            "The psychiatry team sits in another town.".to_owned()
        )]
    );
    let (_, project) = db.store.qual_project(&q1).unwrap().unwrap();
    let description = project.sources[0].description.clone().unwrap();
    assert!(
        description.contains("program P1") && description.contains(&round),
        "{description}"
    );
    let log = db.store.audit_log().unwrap();
    assert_eq!(log.len(), answered + 1);
    let last = log.iter().find(|a| a.action == "round.to-qual").unwrap();
    assert_eq!(last.who, "erik");
    assert!(
        !last.detail.contains("psychiatry"),
        "no answer text in the audit log"
    );

    // P2 answers later; sending again adds only P2's, and says P1's was there already.
    answer("P2", "Nobody asked us.");
    let sent = to_qual("eva", "why", Some("eva"), &q1).unwrap();
    let p2 = format!("{round} · why · P2");
    assert_eq!(
        (sent.added, sent.already),
        (vec![p2.clone()], vec![p1.clone()])
    );
    // A third time, from the command line by the project's name: nothing to add, nothing written.
    let audit_now = audit_rows();
    let sent = to_qual("admin", "why", None, "Enkätsvar").unwrap();
    assert_eq!(sent.project, q1);
    assert!(sent.added.is_empty());
    assert_eq!(sent.already, vec![p1, p2]);
    assert_eq!(sources().len(), 2);
    assert_eq!(audit_rows(), audit_now);
}

fn a_draft_is_changed_in_one_transaction_and_sent_only_with_questions(db: &TestDb) {
    db.import(&base()).unwrap();
    let mut empty = form();
    empty.sections[0].questions.clear();
    let id = db.store.create_questionnaire(&actor("EV"), &empty).unwrap();
    assert!(matches!(
        db.store.send_round(
            &actor("EV"),
            &id,
            "",
            &[p("P1")],
            d("2024-06-30"),
            d("2024-08-31")
        ),
        Err(WriteError::Rule {
            rule: "questionnaire-empty",
            ..
        })
    ));
    assert!(!db.store.questionnaire(&id).unwrap().unwrap().frozen);
    let audit_rows = || db.store.audit_log().unwrap().len();
    let before = audit_rows();
    // A change that breaks a rule, or that the change itself refuses, stores nothing.
    let broken = db.store.change_questionnaire(&actor("EV"), &id, &mut |q| {
        q.sections[0].questions = form().sections[0].questions.clone();
        q.sections[0].questions[1].name = "coaches".into();
        Ok(())
    });
    assert!(matches!(
        broken,
        Err(WriteError::Rule {
            rule: "question-name-twice",
            ..
        })
    ));
    assert!(matches!(
        db.store
            .change_questionnaire(&actor("EV"), &id, &mut |_| Err(WriteError::NotFound)),
        Err(WriteError::NotFound)
    ));
    assert_eq!(
        db.store.questionnaire(&id).unwrap().unwrap().questionnaire,
        empty
    );
    assert_eq!(audit_rows(), before);
    db.store
        .change_questionnaire(&actor("EV"), &id, &mut |q| {
            q.sections = form().sections;
            Ok(())
        })
        .unwrap();
    assert_eq!(
        db.store.questionnaire(&id).unwrap().unwrap().questionnaire,
        form()
    );
    assert_eq!(audit_rows(), before + 1);
    db.store
        .send_round(
            &actor("EV"),
            &id,
            "",
            &[p("P1")],
            d("2024-06-30"),
            d("2024-08-31"),
        )
        .unwrap();
    assert!(matches!(
        db.store
            .change_questionnaire(&actor("EV"), &id, &mut |_| Ok(())),
        Err(WriteError::Rule {
            rule: "questionnaire-frozen",
            ..
        })
    ));
    assert!(matches!(
        db.store
            .change_questionnaire(&actor("EV"), "QN9", &mut |_| Ok(())),
        Err(WriteError::NotFound)
    ));
}

fn respondents_are_staff_of_their_program(db: &TestDb) {
    use fika_store::accounts::{NewUser, Role};
    let round = send(db);
    for (login, role, coach, program) in [
        ("asa", Role::Coach, Some("C1"), None),
        ("orjan", Role::Coach, Some("C2"), None),
        ("lead2", Role::Lead, None, Some("P2")),
        ("eva", Role::Evaluator, None, None),
    ] {
        db.store
            .add_user(
                &NewUser {
                    id: format!("U-{login}"),
                    login: login.into(),
                    role,
                    coach: coach.map(|c| c.parse().unwrap()),
                    program: program.map(p),
                    password_hash: "x".into(),
                    locale: "en".into(),
                },
                "2026-01-01T00:00:00Z",
            )
            .unwrap();
    }
    let ev = actor("EV");
    let name =
        |program: &str, login: &str| db.store.name_respondent(&ev, &round, &p(program), login);
    let rule_of = |r: Result<(), WriteError>| match r {
        Err(WriteError::Rule { rule, .. }) => rule,
        other => panic!("{other:?}"),
    };
    let before = db.store.audit_log().unwrap().len();
    assert_eq!(rule_of(name("P1", "orjan")), "round-respondent-program");
    assert_eq!(rule_of(name("P1", "lead2")), "round-respondent-program");
    assert_eq!(rule_of(name("P1", "eva")), "round-respondent-program");
    assert_eq!(rule_of(name("P1", "nobody")), "round-respondent-unknown");
    assert!(matches!(name("P9", "asa"), Err(WriteError::NotFound)));
    assert_eq!(db.store.audit_log().unwrap().len(), before);
    name("P1", "asa").unwrap();
    name("P1", "asa").unwrap();
    name("P2", "orjan").unwrap();
    name("P2", "lead2").unwrap();
    assert_eq!(db.store.audit_log().unwrap().len(), before + 3);
    assert_eq!(
        db.store.respondents(&round).unwrap(),
        [
            (p("P1"), "asa".to_owned()),
            (p("P2"), "lead2".to_owned()),
            (p("P2"), "orjan".to_owned())
        ]
    );
    let named = db.store.rounds_named_for("asa").unwrap();
    assert_eq!(named.len(), 1);
    assert_eq!(
        (named[0].0.id.as_str(), named[0].1.program.as_str()),
        (round.as_str(), "P1")
    );
    assert!(db.store.rounds_named_for("eva").unwrap().is_empty());
    db.store
        .remove_respondent(&ev, &round, &p("P1"), "asa")
        .unwrap();
    assert!(matches!(
        db.store.remove_respondent(&ev, &round, &p("P1"), "asa"),
        Err(WriteError::NotFound)
    ));
    assert!(db.store.rounds_named_for("asa").unwrap().is_empty());
}
