//! Fills a database for the questionnaire benchmark: a questionnaire of 60 questions (every
//! kind, six bound to figures) sent to every program of the database, and every program's
//! answers saved and submitted through the store, as a lead's answers would be. Then times
//! what the round's results page and its downloads compute (the store's read, the results,
//! the charts, the CSV and the workbook), with the store opened once. The web pages
//! themselves are timed over HTTP by `bench/questionnaire_pages.sh`.
//!
//! ```text
//! cargo run --release -p fika-cli --example questionnaire_bench -- DB_URL [RUNS]
//! ```

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fika_core::questionnaire::results::{ProgramAnswers, long, results, wide};
use fika_core::questionnaire::*;
use fika_store::Actor;
use fika_store::questionnaires::Answers;

fn text(s: &str) -> Text {
    Text {
        en: s.to_owned(),
        sv: format!("{s} (sv)"),
    }
}

fn question(i: usize) -> Question {
    let choices = |n: usize| {
        (1..=n)
            .map(|c| Choice {
                code: c.to_string(),
                label: text(&format!("Choice {c}")),
            })
            .collect::<Vec<_>>()
    };
    let (kind, prefill) = match i % 10 {
        0 => (
            Kind::Number {
                unit: Text::default(),
                min: Some(0.0),
                max: None,
                integer: false,
            },
            [
                Figure::Coaches,
                Figure::CoachFte,
                Figure::CaseloadPerCoach,
                Figure::ParticipantsActive,
                Figure::StrictRate,
                Figure::BroadRate,
            ]
            .get(i / 10)
            .copied(),
        ),
        1 | 2 => (
            Kind::SingleChoice {
                choices: choices(4),
                style: ChoiceStyle::Radio,
            },
            None,
        ),
        3 => (
            Kind::MultipleChoice {
                choices: choices(5),
            },
            None,
        ),
        4 | 5 => (
            Kind::Scale {
                min: 1,
                max: 5,
                low: Text::default(),
                high: Text::default(),
            },
            None,
        ),
        6 => (
            Kind::Date {
                min: None,
                max: None,
            },
            None,
        ),
        7 => (Kind::ShortText, None),
        8 => (Kind::LongText, None),
        _ => (
            Kind::Number {
                unit: Text::default(),
                min: None,
                max: None,
                integer: true,
            },
            None,
        ),
    };
    Question {
        name: format!("q{i:02}"),
        label: text(&format!("Question {i}")),
        kind,
        required: false,
        help: Text::default(),
        condition: None,
        prefill,
        redcap: BTreeMap::new(),
    }
}

fn answer(q: &Question, program: usize) -> Option<Answer> {
    let v = program * 7 + q.name.len();
    let given = match &q.kind {
        Kind::SingleChoice { .. } => ((v % 4) + 1).to_string(),
        Kind::MultipleChoice { .. } => format!("{}|{}", v % 5 + 1, (v + 2) % 5 + 1),
        Kind::Scale { .. } => ((v % 5) + 1).to_string(),
        Kind::Date { .. } => format!("20{:02}-0{}-1{}", 10 + v % 15, 1 + v % 9, v % 9),
        Kind::ShortText => format!("Answer {v}"),
        Kind::LongText => {
            format!("A longer answer from program {program}: we meet people where they are, {v}.")
        }
        Kind::Number { .. } => (v % 40).to_string(),
        Kind::Info => return None,
    };
    let parts: Vec<&str> = given.split('|').collect();
    q.parse_answer(&parts).expect("a valid benchmark answer")
}

fn time<T>(what: &str, runs: usize, mut f: impl FnMut() -> T) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{what:<52} median {:>10.2?}  min {:>10.2?}  max {:>10.2?}  ({runs} runs)",
        times[runs / 2],
        times[0],
        times[runs - 1]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args
        .first()
        .expect("usage: questionnaire_bench DB_URL [RUNS]");
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let store = fika_store::open(url).expect("the database opens");
    let actor = Actor {
        user: "bench".into(),
        at: "2025-06-30T09:00:00Z".into(),
    };
    let round = match store.rounds().unwrap().first() {
        Some(r) => r.id.clone(),
        None => {
            let q = Questionnaire {
                format: FORMAT_VERSION,
                title: text("Benchmark questionnaire"),
                description: Text::default(),
                sections: (0..6)
                    .map(|s| Section {
                        title: text(&format!("Section {s}")),
                        questions: (s * 10..s * 10 + 10).map(question).collect(),
                    })
                    .collect(),
            };
            let id = store.create_questionnaire(&actor, &q).unwrap();
            let programs: Vec<_> = store
                .programs()
                .unwrap()
                .into_iter()
                .map(|p| p.id)
                .collect();
            let t = Instant::now();
            let at = fika_core::parse_date("2025-06-30").unwrap();
            let round = store
                .send_round(
                    &actor,
                    &id,
                    "",
                    &programs,
                    at,
                    at + chrono::Duration::days(30),
                )
                .unwrap();
            println!("sent to {} programs in {:.2?}", programs.len(), t.elapsed());
            let t = Instant::now();
            // Sixteen leads answer at once, as a round's last days would see.
            let chunk = programs.len().div_ceil(16);
            std::thread::scope(|scope| {
                for (c, part) in programs.chunks(chunk).enumerate() {
                    let (store, actor, round, q) = (&store, &actor, &round, &q);
                    scope.spawn(move || {
                        for (j, p) in part.iter().enumerate() {
                            for x in q.questions() {
                                let a = answer(x, c * chunk + j);
                                store
                                    .save_answer(actor, round, p, &x.name, a.as_ref(), "", 0)
                                    .unwrap();
                            }
                            store.submit_response(actor, round, p).unwrap();
                        }
                    });
                }
            });
            println!(
                "{} answers saved and submitted in {:.2?}",
                programs.len() * 60,
                t.elapsed()
            );
            round
        }
    };
    let r = store.round(&round).unwrap().unwrap();
    let q = store
        .questionnaire(&r.questionnaire)
        .unwrap()
        .unwrap()
        .questionnaire;
    let lang = fika_core::scale::Lang::En;
    fn view(o: &[Answers]) -> Vec<ProgramAnswers<'_>> {
        o.iter().map(Answers::view).collect()
    }
    // As the round's page reads them.
    let load = || -> Vec<Answers> { store.round_answers(&round).unwrap() };
    time(
        "read every program's responses (store, with versions)",
        runs,
        || -> Vec<Answers> {
            store
                .responses(&round)
                .unwrap()
                .iter()
                .map(Answers::of)
                .collect()
        },
    );
    time("read every program's answers (store)", runs, load);
    time(
        "results page: read + results + 60 charts as SVG",
        runs,
        || {
            let owned = load();
            let v = view(&owned);
            results(&q, &v)
                .iter()
                .filter_map(|r| fika_report::questionnaire::chart(&q, r, lang))
                .map(|c| c.figure(lang).len())
                .sum::<usize>()
        },
    );
    time(
        "one row per program as CSV: read + table + CSV",
        runs,
        || {
            let owned = load();
            let w = wide(&q, &view(&owned));
            fika_report::csv::table(&fika_report::questionnaire::table(&q, &w, "Programs", "t"))
                .len()
        },
    );
    time(
        "results workbook (XLSX): read + both tables + charts",
        runs,
        || {
            let owned = load();
            let v = view(&owned);
            let report = fika_report::questionnaire::report(
                "t",
                &q,
                r.reference_date,
                &wide(&q, &v),
                &long(&q, &v),
                &results(&q, &v),
                lang,
            );
            fika_report::xlsx::workbook(&report).unwrap().len()
        },
    );
}
