//! A round's results as a workbook: answers typed (numbers as numbers, dates as dates,
//! text as text and never a formula), and a chart per question with its numbers.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use fika_core::questionnaire::results::{ProgramAnswers, long, results, wide};
use fika_core::questionnaire::*;
use fika_report::{Lang, questionnaire, xlsx};

fn q(name: &str, kind: Kind) -> Question {
    Question {
        name: name.into(),
        label: Text {
            en: format!("About {name}"),
            sv: format!("Om {name}"),
        },
        kind,
        required: false,
        help: Text::default(),
        condition: None,
        prefill: None,
        redcap: BTreeMap::new(),
    }
}

#[test]
fn the_round_workbook_holds_typed_answers_and_a_chart_per_question() {
    let form = Questionnaire {
        format: FORMAT_VERSION,
        title: Text::both("Programs 2025"),
        description: Text::default(),
        sections: vec![Section {
            title: Text::default(),
            questions: vec![
                q(
                    "coaches",
                    Kind::Number {
                        unit: Text::default(),
                        min: None,
                        max: None,
                        integer: true,
                    },
                ),
                q(
                    "fte",
                    Kind::Number {
                        unit: Text::default(),
                        min: None,
                        max: None,
                        integer: false,
                    },
                ),
                q(
                    "started",
                    Kind::Date {
                        min: None,
                        max: None,
                    },
                ),
                q(
                    "team",
                    Kind::SingleChoice {
                        choices: vec![
                            Choice {
                                code: "1".into(),
                                label: Text {
                                    en: "Yes".into(),
                                    sv: "Ja".into(),
                                },
                            },
                            Choice {
                                code: "0".into(),
                                label: Text {
                                    en: "No".into(),
                                    sv: "Nej".into(),
                                },
                            },
                        ],
                        style: ChoiceStyle::Radio,
                    },
                ),
                q("story", Kind::LongText),
                q("office", Kind::ShortText),
                q("grade", Kind::LongText),
            ],
        }],
    };
    let a1 = BTreeMap::from([
        ("coaches".to_owned(), Answer::Number("3".into())),
        ("fte".to_owned(), Answer::Number("2.5".into())),
        (
            "started".to_owned(),
            Answer::Date(fika_core::parse_date("2012-03-01").unwrap()),
        ),
        ("team".to_owned(), Answer::Choice("1".into())),
        ("story".to_owned(), Answer::Text("=HYPERLINK(\"x\")".into())),
        // Free texts that look like numbers or dates stay the text typed.
        ("office".to_owned(), Answer::Text("0317".into())),
        ("grade".to_owned(), Answer::Text("2025-06-30".into())),
    ]);
    let none = BTreeMap::new();
    let (c, k) = (BTreeMap::new(), BTreeMap::new());
    let programs = [
        ProgramAnswers {
            program: "P1",
            answers: &a1,
            computed: &c,
            comments: &k,
        },
        ProgramAnswers {
            program: "P2",
            answers: &none,
            computed: &c,
            comments: &k,
        },
    ];
    let (w, l) = (wide(&form, &programs), long(&form, &programs));
    let r = results(&form, &programs);
    let report = questionnaire::report(
        "Programs 2025",
        &form,
        fika_core::parse_date("2025-06-30").unwrap(),
        &w,
        &l,
        &r,
        Lang::Sv,
    );
    // Numbers, scales and choices get a chart; dates and texts do not.
    let titles: Vec<&str> = report.charts.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Om coaches", "Om fte", "Om team"]);
    let team = &report.charts[2];
    assert_eq!(team.categories, ["Ja", "Nej"]);
    assert_eq!(team.series[0].values, [Some(1.0), Some(0.0)]);
    assert!(
        team.svg(Lang::Sv).contains("<desc"),
        "every chart describes itself"
    );

    let mut book = Xlsx::new(Cursor::new(xlsx::workbook(&report).unwrap())).unwrap();
    let sheet = book.worksheet_range("Programs").unwrap();
    let row: Vec<&Data> = sheet.rows().nth(1).unwrap().iter().collect();
    assert_eq!(row[0], &Data::String("P1".into()));
    assert_eq!(row[1], &Data::Float(3.0));
    assert_eq!(row[2], &Data::Float(2.5));
    assert!(matches!(row[3], Data::DateTime(_)), "{:?}", row[3]);
    assert_eq!(row[4], &Data::Float(1.0));
    assert_eq!(
        row[5],
        &Data::String("=HYPERLINK(\"x\")".into()),
        "text, never a formula"
    );
    assert!(
        book.worksheet_formula("Programs")
            .unwrap()
            .rows()
            .all(|r| r.iter().all(|f| f.is_empty()))
    );
    assert_eq!(
        row[6],
        &Data::String("0317".into()),
        "a text answer stays text"
    );
    assert_eq!(row[7], &Data::String("2025-06-30".into()));
    let long_sheet = book.worksheet_range("Long").unwrap();
    let cell = |question: &str| {
        long_sheet
            .rows()
            .find(|r| r[1] == Data::String(question.into()))
            .map(|r| r[2].clone())
            .unwrap()
    };
    assert_eq!(cell("coaches"), Data::Float(3.0));
    assert_eq!(cell("team"), Data::Float(1.0));
    assert_eq!(cell("office"), Data::String("0317".into()));
    assert!(matches!(cell("started"), Data::DateTime(_)));
    // The CSV keeps the leading zero of a text answer too.
    let csv = fika_report::csv::table(&questionnaire::table(&form, &w, "Programs", "t"));
    assert!(csv.contains(",0317,2025-06-30\n"), "{csv}");
}
