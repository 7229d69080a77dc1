//! Questionnaires: every question kind's answers, conditions, required questions, the
//! design rules, and the figures that fill answers in.

use std::collections::BTreeMap;

use fika_core::questionnaire::*;

fn text(s: &str) -> Text {
    Text::both(s)
}

fn q(name: &str, kind: Kind) -> Question {
    Question {
        name: name.to_owned(),
        label: text(&format!("Question {name}")),
        kind,
        required: false,
        help: Text::default(),
        condition: None,
        prefill: None,
        redcap: BTreeMap::new(),
    }
}

fn choices(codes: &[&str]) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            code: (*c).to_owned(),
            label: text(&format!("Choice {c}")),
        })
        .collect()
}

fn single(name: &str, codes: &[&str]) -> Question {
    q(
        name,
        Kind::SingleChoice {
            choices: choices(codes),
            style: ChoiceStyle::Radio,
        },
    )
}

fn questionnaire(questions: Vec<Question>) -> Questionnaire {
    Questionnaire {
        format: FORMAT_VERSION,
        title: text("Programs 2026"),
        description: Text::default(),
        sections: vec![Section {
            title: Text::default(),
            questions,
        }],
    }
}

fn rule(q: &Question, values: &[&str]) -> &'static str {
    q.parse_answer(values).unwrap_err().rule
}

#[test]
fn single_choice_takes_one_known_code() {
    let s = single("staff", &["1", "2"]);
    assert_eq!(
        s.parse_answer(&["2"]).unwrap(),
        Some(Answer::Choice("2".into()))
    );
    assert_eq!(s.parse_answer(&[]).unwrap(), None);
    assert_eq!(s.parse_answer(&["  "]).unwrap(), None);
    assert_eq!(rule(&s, &["3"]), "answer-unknown-choice");
    assert_eq!(rule(&s, &["-3"]), "answer-unknown-choice");
    assert_eq!(rule(&s, &["1", "2"]), "answer-one-value");
}

#[test]
fn multiple_choice_keeps_the_question_order_once() {
    let m = q(
        "help",
        Kind::MultipleChoice {
            choices: choices(&["a", "b", "c"]),
        },
    );
    assert_eq!(
        m.parse_answer(&["c", "a", "c"]).unwrap(),
        Some(Answer::Choices(vec!["a".into(), "c".into()]))
    );
    assert_eq!(rule(&m, &["a", "z"]), "answer-unknown-choice");
}

#[test]
fn numbers_take_a_decimal_comma_and_keep_their_bounds() {
    let n = q(
        "hours",
        Kind::Number {
            unit: text("hours"),
            min: Some(0.0),
            max: Some(60.0),
            integer: false,
        },
    );
    assert_eq!(
        n.parse_answer(&["20,5"]).unwrap(),
        Some(Answer::Number("20.5".into()))
    );
    assert_eq!(
        n.parse_answer(&["20.5"]).unwrap(),
        Some(Answer::Number("20.5".into()))
    );
    assert_eq!(
        n.parse_answer(&["0"]).unwrap(),
        Some(Answer::Number("0".into()))
    );
    assert_eq!(
        n.parse_answer(&["60"]).unwrap(),
        Some(Answer::Number("60".into()))
    );
    assert_eq!(rule(&n, &["60.01"]), "answer-above-max");
    assert_eq!(rule(&n, &["-1"]), "answer-below-min");
    for bad in [
        "1e3", "1 000", "12,5,5", "abc", ",5", "5,", "NaN", "inf", "0x10",
    ] {
        assert_eq!(rule(&n, &[bad]), "answer-not-number", "{bad}");
    }
    let whole = q(
        "coaches",
        Kind::Number {
            unit: Text::default(),
            min: None,
            max: None,
            integer: true,
        },
    );
    assert_eq!(rule(&whole, &["2,5"]), "answer-not-whole");
    assert_eq!(
        whole.parse_answer(&["-2"]).unwrap(),
        Some(Answer::Number("-2".into()))
    );
}

#[test]
fn dates_are_iso_and_within_bounds() {
    let d = q(
        "started",
        Kind::Date {
            min: Some(fika_core::parse_date("2011-01-01").unwrap()),
            max: Some(fika_core::parse_date("2026-12-31").unwrap()),
        },
    );
    assert!(matches!(
        d.parse_answer(&["2011-01-01"]).unwrap(),
        Some(Answer::Date(_))
    ));
    assert!(matches!(
        d.parse_answer(&["2026-12-31"]).unwrap(),
        Some(Answer::Date(_))
    ));
    assert_eq!(rule(&d, &["2010-12-31"]), "answer-date-range");
    assert_eq!(rule(&d, &["2027-01-01"]), "answer-date-range");
    assert_eq!(rule(&d, &["2026-02-30"]), "answer-not-date");
    assert_eq!(rule(&d, &["1/2/2020"]), "answer-not-date");
}

#[test]
fn texts_are_bounded_and_short_ones_are_one_line() {
    let short = q("name", Kind::ShortText);
    let long = q("story", Kind::LongText);
    assert_eq!(
        long.parse_answer(&["line one\nline two"]).unwrap(),
        Some(Answer::Text("line one\nline two".into()))
    );
    assert_eq!(rule(&short, &["line one\nline two"]), "answer-one-line");
    let at_limit = "x".repeat(MAX_SHORT_TEXT);
    assert!(short.parse_answer(&[&at_limit]).is_ok());
    assert_eq!(rule(&short, &[&format!("{at_limit}x")]), "answer-too-long");
    assert_eq!(
        rule(&long, &[&"y".repeat(MAX_LONG_TEXT + 1)]),
        "answer-too-long"
    );
    assert_eq!(rule(&long, &["a\u{0}b"]), "answer-control-character");
}

#[test]
fn scales_take_their_points_only() {
    let s = q(
        "feel",
        Kind::Scale {
            min: 1,
            max: 5,
            low: Text::default(),
            high: Text::default(),
        },
    );
    assert_eq!(s.parse_answer(&["1"]).unwrap(), Some(Answer::Scale(1)));
    assert_eq!(s.parse_answer(&["5"]).unwrap(), Some(Answer::Scale(5)));
    for bad in ["0", "6", "2.5", "x"] {
        assert_eq!(rule(&s, &[bad]), "answer-scale", "{bad}");
    }
    let ten = q(
        "ten",
        Kind::Scale {
            min: 0,
            max: 10,
            low: Text::default(),
            high: Text::default(),
        },
    );
    assert_eq!(ten.parse_answer(&["0"]).unwrap(), Some(Answer::Scale(0)));
    assert_eq!(ten.parse_answer(&["10"]).unwrap(), Some(Answer::Scale(10)));
    assert_eq!(rule(&ten, &["11"]), "answer-scale");
}

#[test]
fn a_text_to_read_takes_no_answer() {
    let i = q("intro", Kind::Info);
    assert_eq!(i.parse_answer(&[]).unwrap(), None);
    assert_eq!(rule(&i, &["x"]), "answer-info");
}

#[test]
fn conditions_read_as_redcap_writes_them() {
    for (logic, question, comparison, value) in [
        ("[has_team] = '1'", "has_team", Comparison::Equals, "1"),
        ("[has_team]='1'", "has_team", Comparison::Equals, "1"),
        (
            "[has_team] <> \"0\"",
            "has_team",
            Comparison::NotEquals,
            "0",
        ),
        ("[has_team] != 2", "has_team", Comparison::NotEquals, "2"),
        ("[help(b)] = '1'", "help", Comparison::Equals, "b"),
        ("[help(b)] = '0'", "help", Comparison::NotEquals, "b"),
    ] {
        let c = Condition::parse(logic).unwrap();
        assert_eq!(
            (c.question.as_str(), c.comparison, c.value.as_str()),
            (question, comparison, value),
            "{logic}"
        );
    }
    for bad in [
        "[a] = '1' and [b] = '2'",
        "[a] > 3",
        "a = 1",
        "[a] = ''",
        "datediff([a], 'today', 'd') > 1",
        "[event_1][a] = '1'",
        "[help(b)] = '2'",
    ] {
        assert!(Condition::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(
        Condition::parse("[x(2)] = '1'").unwrap().to_logic(true),
        "[x(2)] = '1'"
    );
    assert_eq!(
        Condition::parse("[x] <> '2'").unwrap().to_logic(false),
        "[x] <> '2'"
    );
}

#[test]
fn a_condition_shows_a_question_and_makes_it_required_only_when_shown() {
    let mut why = q("why_not", Kind::LongText);
    why.required = true;
    why.condition = Some(Condition::parse("[has_team] = '0'").unwrap());
    let mut has = single("has_team", &["1", "0"]);
    has.required = true;
    let mut then = q("then", Kind::ShortText);
    then.required = true;
    then.condition = Some(Condition::parse("[why_not] = 'x'").unwrap());
    let form = questionnaire(vec![has, why, then]);
    form.check().unwrap_or_else(|e| panic!("{e:?}"));

    let mut answers = BTreeMap::new();
    let names = |v: Vec<&Question>| v.iter().map(|q| q.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(form.missing(&answers)), ["has_team"]);
    answers.insert("has_team".to_owned(), Answer::Choice("1".into()));
    assert!(
        form.missing(&answers).is_empty(),
        "why_not is hidden, so not required"
    );
    answers.insert("has_team".to_owned(), Answer::Choice("0".into()));
    assert_eq!(names(form.missing(&answers)), ["why_not"]);
    let hidden = form.question("then").unwrap();
    assert!(!form.is_shown(hidden, &answers));
}

#[test]
fn the_design_rules() {
    let cases: Vec<(&str, Vec<Question>)> = vec![
        ("question-name", vec![q("Bad Name", Kind::ShortText)]),
        ("question-name", vec![q("a___b", Kind::ShortText)]),
        ("question-name", vec![q("1abc", Kind::ShortText)]),
        (
            "question-name-twice",
            vec![q("a", Kind::ShortText), q("a", Kind::LongText)],
        ),
        ("question-choices-missing", vec![single("a", &[])]),
        ("question-choice-twice", vec![single("a", &["1", "1"])]),
        ("question-choice-code", vec![single("a", &["x y"])]),
        (
            "question-bounds",
            vec![q(
                "a",
                Kind::Number {
                    unit: Text::default(),
                    min: Some(5.0),
                    max: Some(1.0),
                    integer: false,
                },
            )],
        ),
        (
            "question-scale",
            vec![q(
                "a",
                Kind::Scale {
                    min: 1,
                    max: 11,
                    low: Text::default(),
                    high: Text::default(),
                },
            )],
        ),
        ("question-condition", {
            let mut later = q("b", Kind::ShortText);
            later.condition = Some(Condition::parse("[c] = '1'").unwrap());
            vec![later, single("c", &["1"])]
        }),
        ("question-condition", {
            let mut later = q("b", Kind::ShortText);
            later.condition = Some(Condition::parse("[a] = '9'").unwrap());
            vec![single("a", &["1"]), later]
        }),
        ("question-prefill-kind", {
            let mut t = q("a", Kind::ShortText);
            t.prefill = Some(Figure::Coaches);
            vec![t]
        }),
        ("question-info-required", {
            let mut t = q("a", Kind::Info);
            t.required = true;
            vec![t]
        }),
        ("questionnaire-empty", vec![]),
    ];
    for (expected, questions) in cases {
        let form = questionnaire(questions);
        let errors = form.check().unwrap_err();
        assert!(
            errors.iter().any(|e| e.rule == expected),
            "{expected}: {errors:?}"
        );
        // A draft keeps every rule but one: it may have no questions yet.
        match form.check_draft() {
            Ok(()) => assert_eq!(expected, "questionnaire-empty"),
            Err(errors) => assert!(
                errors.iter().any(|e| e.rule == expected),
                "draft {expected}: {errors:?}"
            ),
        }
    }
}

#[test]
fn figures_are_written_by_name() {
    for f in Figure::PLAIN {
        assert_eq!(Figure::parse(&f.to_string()).unwrap(), f);
    }
    assert_eq!(
        Figure::parse("fidelity:V4").unwrap(),
        Figure::FidelityItem(fika_core::scale::ItemId::V4)
    );
    assert!(Figure::parse("fidelity:V99").is_err());
    assert!(Figure::parse("happiness").is_err());
}

#[test]
fn numbers_are_written_in_the_readers_language() {
    assert_eq!(format_number(79.4, "sv"), "79,4");
    assert_eq!(format_number(79.4, "en"), "79.4");
    assert_eq!(format_number(12.0, "sv"), "12");
    assert_eq!(format_number(0.3333333, "en"), "0.3333");
}

#[test]
fn the_json_document_round_trips() {
    let mut n = q(
        "coaches",
        Kind::Number {
            unit: text("people"),
            min: Some(0.0),
            max: None,
            integer: true,
        },
    );
    n.prefill = Some(Figure::Coaches);
    n.required = true;
    let mut why = q("why", Kind::LongText);
    why.condition = Some(Condition::parse("[team] = '0'").unwrap());
    let form = questionnaire(vec![single("team", &["1", "0"]), n, why]);
    let json = serde_json::to_string_pretty(&form).unwrap();
    let back: Questionnaire = serde_json::from_str(&json).unwrap();
    assert_eq!(back, form);
    assert!(json.contains("\"prefill\": \"coaches\""), "{json}");
    assert!(json.contains("\"kind\": \"single_choice\""), "{json}");
}

#[test]
fn results_count_choices_and_describe_numbers_across_programs() {
    use fika_core::questionnaire::results::*;
    let mut n = q(
        "coaches",
        Kind::Number {
            unit: Text::default(),
            min: None,
            max: None,
            integer: true,
        },
    );
    n.prefill = Some(Figure::Coaches);
    let form = questionnaire(vec![
        single("team", &["1", "0"]),
        q(
            "help",
            Kind::MultipleChoice {
                choices: choices(&["a", "b"]),
            },
        ),
        n,
        q(
            "feel",
            Kind::Scale {
                min: 1,
                max: 5,
                low: Text::default(),
                high: Text::default(),
            },
        ),
        q("story", Kind::LongText),
        q("intro", Kind::Info),
    ]);
    let answers = |team: &str, help: &[&str], coaches: &str, feel: u8| {
        BTreeMap::from([
            ("team".to_owned(), Answer::Choice(team.into())),
            (
                "help".to_owned(),
                Answer::Choices(help.iter().map(|s| (*s).to_owned()).collect()),
            ),
            ("coaches".to_owned(), Answer::Number(coaches.into())),
            ("feel".to_owned(), Answer::Scale(feel)),
        ])
    };
    let a1 = answers("1", &["a", "b"], "2", 4);
    let a2 = answers("0", &["b"], "3", 5);
    let mut a3 = BTreeMap::new();
    a3.insert(
        "story".to_owned(),
        Answer::Text("We started in a café".into()),
    );
    let computed = BTreeMap::from([("coaches".to_owned(), Some(2.0))]);
    let none = BTreeMap::new();
    let programs = [
        ProgramAnswers {
            program: "P1",
            answers: &a1,
            computed: &computed,
            comments: &none,
        },
        ProgramAnswers {
            program: "P2",
            answers: &a2,
            computed: &computed,
            comments: &none,
        },
        ProgramAnswers {
            program: "P3",
            answers: &a3,
            computed: &computed,
            comments: &none,
        },
    ];
    let r = results(&form, &programs);
    assert_eq!((r[0].asked, r[0].answered), (3, 2));
    match &r[1].summary {
        Summary::Choices { answered, counts } => {
            assert_eq!(*answered, 2);
            assert_eq!((counts[0].count, counts[0].share), (1, Some(0.5)));
            assert_eq!((counts[1].count, counts[1].share), (2, Some(1.0)));
        }
        other => panic!("{other:?}"),
    }
    match &r[2].summary {
        Summary::Numbers {
            distribution: Some(d),
            corrected,
        } => {
            assert_eq!(
                (d.n, d.min, d.max, d.mean, d.median),
                (2, 2.0, 3.0, 2.5, 2.5)
            );
            assert_eq!(*corrected, 1, "P2 answered 3 where fika computed 2");
        }
        other => panic!("{other:?}"),
    }
    match &r[3].summary {
        Summary::Scale { points, .. } => {
            assert_eq!(points, &[(1, 0), (2, 0), (3, 0), (4, 1), (5, 1)])
        }
        other => panic!("{other:?}"),
    }
    match &r[4].summary {
        Summary::Texts { answers } => assert_eq!(
            answers,
            &[("P3".to_owned(), "We started in a café".to_owned())]
        ),
        other => panic!("{other:?}"),
    }

    let w = wide(&form, &programs);
    assert_eq!(
        w.columns,
        [
            "program_id",
            "team",
            "help___a",
            "help___b",
            "coaches",
            "feel",
            "story"
        ]
    );
    assert_eq!(w.rows[0], ["P1", "1", "1", "1", "2", "4", ""]);
    assert_eq!(w.rows[1], ["P2", "0", "0", "1", "3", "5", ""]);
    assert_eq!(
        w.rows[2],
        ["P3", "", "", "", "", "", "We started in a café"]
    );
    let l = long(&form, &programs);
    assert_eq!(
        l.columns,
        ["program_id", "question", "answer", "computed", "comment"]
    );
    assert!(
        l.rows
            .contains(&["P2", "coaches", "3", "2", ""].map(str::to_owned).to_vec())
    );
    assert!(
        l.rows
            .contains(&["P3", "coaches", "", "2", ""].map(str::to_owned).to_vec()),
        "the computed figure stays beside a missing answer"
    );
    assert!(
        l.rows
            .contains(&["P1", "help", "a|b", "", ""].map(str::to_owned).to_vec())
    );
}

#[test]
fn a_figure_corrected_needs_a_comment_and_a_figure_confirmed_does_not() {
    assert!(!needs_comment(&Answer::Number("3".into()), Some(3.0)));
    assert!(!needs_comment(&Answer::Number("3.0".into()), Some(3.0)));
    assert!(needs_comment(&Answer::Number("4".into()), Some(3.0)));
    assert!(
        !needs_comment(&Answer::Number("4".into()), None),
        "nothing computed, nothing corrected"
    );
}
