//! A questionnaire round's results as the report model: the one-row-per-program and long
//! tables with typed cells (numbers as numbers, dates as dates), a chart per question
//! (counts per choice, the distribution of a number or scale), and the workbook of both.

use fika_core::Date;
use fika_core::questionnaire::results::{QuestionResult, Summary, Table as Plain};
use fika_core::questionnaire::{Kind, Questionnaire, parse_number};
use fika_core::scale::Lang;

use crate::chart::{Chart, ChartKind, Series};
use crate::table::{Cell, Column, Report, Table};

fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Sv => "sv",
    }
}

/// A number as a spreadsheet should hold it: whole when it was given whole; text when it
/// is not a number after all.
fn number(s: &str) -> Cell {
    if s.is_empty() {
        return Cell::Empty;
    }
    if !s.contains(',')
        && let Some((v, text)) = parse_number(s)
    {
        if v.fract() == 0.0 && !text.contains('.') && v.abs() < 1e15 {
            return Cell::Int(v as i64);
        }
        let decimals = text.split_once('.').map_or(0, |(_, f)| f.len().min(6)) as u8;
        return Cell::Number { value: v, decimals };
    }
    Cell::text(s)
}

/// A cell typed by what its question asks for, never by what the answer looks like: numbers
/// and scale points as numbers, dates as dates, a choice's code as a whole number when it is
/// one written plainly (REDCap's `1, Yes | 0, No`; `01` stays text), and free text, codes
/// joined by `|`, IDs and comments as text — a text answer `42` stays the text "42".
fn typed(kind: Option<&Kind>, s: &str) -> Cell {
    if s.is_empty() {
        return Cell::Empty;
    }
    match kind {
        Some(Kind::Number { .. } | Kind::Scale { .. }) => number(s),
        Some(Kind::Date { .. }) => match fika_core::parse_date(s) {
            Ok(d) if s.len() == 10 => Cell::Date(d),
            _ => Cell::text(s),
        },
        Some(Kind::SingleChoice { .. }) => match s.parse::<i64>() {
            Ok(v) if v.to_string() == s => Cell::Int(v),
            _ => Cell::text(s),
        },
        _ => Cell::text(s),
    }
}

/// What a column of a plain table holds. The wide table's columns are questions (`name`, or `name___code` of a multiple choice,
/// whose 1 and 0 are numbers); the long table's `answer` takes the row's question's kind
/// and `computed` is a number.
enum ColumnKind<'q> {
    Text,
    Question(&'q Kind),
    Ticked,
    AnswerOfRow,
    Number,
}

const NUMBER: Kind = Kind::Number {
    unit: fika_core::questionnaire::Text {
        en: String::new(),
        sv: String::new(),
    },
    min: None,
    max: None,
    integer: false,
};

fn column_kind<'q>(q: &'q Questionnaire, column: &str) -> ColumnKind<'q> {
    if let Some(question) = q.question(column) {
        return ColumnKind::Question(&question.kind);
    }
    if let Some((name, _)) = column.split_once("___")
        && q.question(name)
            .is_some_and(|x| matches!(x.kind, Kind::MultipleChoice { .. }))
    {
        return ColumnKind::Ticked;
    }
    match column {
        "answer" => ColumnKind::AnswerOfRow,
        "computed" => ColumnKind::Number,
        _ => ColumnKind::Text,
    }
}

/// A plain results table (`fika_core::questionnaire::results::{wide, long}`) of a round of
/// `q`, with its cells typed by their questions.
pub fn table(q: &Questionnaire, plain: &Plain, name: &str, title: &str) -> Table {
    let mut t = Table::new(
        name,
        title,
        plain
            .columns
            .iter()
            .map(|c| {
                Column::new(
                    c.clone(),
                    c.clone(),
                    (c.len() as f64 + 2.0).clamp(8.0, 40.0),
                )
            })
            .collect(),
    );
    let kinds: Vec<ColumnKind<'_>> = plain.columns.iter().map(|c| column_kind(q, c)).collect();
    let question_at = plain.columns.iter().position(|c| c == "question");
    t.rows = plain
        .rows
        .iter()
        .map(|r| {
            let row_kind = question_at
                .and_then(|i| r.get(i))
                .and_then(|n| q.question(n))
                .map(|x| &x.kind);
            r.iter()
                .zip(&kinds)
                .map(|(c, k)| match k {
                    ColumnKind::Text => typed(None, c),
                    ColumnKind::Question(kind) => typed(Some(kind), c),
                    ColumnKind::Ticked | ColumnKind::Number => typed(Some(&NUMBER), c),
                    ColumnKind::AnswerOfRow => typed(row_kind, c),
                })
                .collect()
        })
        .collect();
    t
}

/// The chart of one question's results, for choices, numbers and scales.
pub fn chart(q: &Questionnaire, r: &QuestionResult, lang: Lang) -> Option<Chart> {
    let question = q.question(&r.question)?;
    let l = code(lang);
    let (programs, answers) = match lang {
        Lang::En => ("programs", "Answer"),
        Lang::Sv => ("program", "Svar"),
    };
    let label = question.label.get(l).to_owned();
    let (categories, values, category_label): (Vec<String>, Vec<Option<f64>>, String) =
        match &r.summary {
            Summary::Choices { counts, .. } => (
                counts
                    .iter()
                    .map(|c| {
                        question
                            .kind
                            .choices()
                            .iter()
                            .find(|x| x.code == c.code)
                            .map_or(c.code.clone(), |x| x.label.get(l).to_owned())
                    })
                    .collect(),
                counts.iter().map(|c| Some(f64::from(c.count))).collect(),
                answers.to_owned(),
            ),
            Summary::Scale { points, .. } => (
                points.iter().map(|(p, _)| p.to_string()).collect(),
                points.iter().map(|(_, n)| Some(f64::from(*n))).collect(),
                answers.to_owned(),
            ),
            Summary::Numbers {
                distribution: Some(d),
                ..
            } => {
                // Five equal bins from the smallest to the largest answer.
                let bins = histogram(&d.values, 5);
                (
                    bins.iter()
                        .map(|(lo, hi, _)| {
                            if lo == hi {
                                num(*lo, lang)
                            } else {
                                format!("{}–{}", num(*lo, lang), num(*hi, lang))
                            }
                        })
                        .collect(),
                    bins.iter().map(|(_, _, n)| Some(*n as f64)).collect(),
                    answers.to_owned(),
                )
            }
            _ => return None,
        };
    let description = match lang {
        Lang::En => format!(
            "{} of {} programs answered \"{label}\". The bars count the programs per answer; the table beside has the same numbers.",
            r.answered, r.asked
        ),
        Lang::Sv => format!(
            "{} av {} program svarade på \"{label}\". Staplarna räknar programmen per svar; tabellen bredvid har samma tal.",
            r.answered, r.asked
        ),
    };
    Some(Chart {
        id: format!("q-{}", r.question),
        title: label,
        description,
        kind: ChartKind::Bars,
        category_label,
        categories,
        series: vec![Series {
            name: programs.to_owned(),
            values,
        }],
        references: Vec::new(),
        percent: false,
        max: None,
    })
}

fn num(v: f64, lang: Lang) -> String {
    fika_core::questionnaire::format_number(v, code(lang))
}

/// `n` equal bins over sorted values: (low, high, count). One bin when all are equal.
fn histogram(values: &[f64], n: usize) -> Vec<(f64, f64, usize)> {
    let (Some(lo), Some(hi)) = (values.first().copied(), values.last().copied()) else {
        return Vec::new();
    };
    if lo == hi {
        return vec![(lo, hi, values.len())];
    }
    let width = (hi - lo) / n as f64;
    (0..n)
        .map(|i| {
            let a = lo + width * i as f64;
            let b = if i + 1 == n {
                hi
            } else {
                lo + width * (i + 1) as f64
            };
            let count = values
                .iter()
                .filter(|v| **v >= a && (**v < b || (i + 1 == n && **v <= b)))
                .count();
            (
                fika_core::round::round_decimal(a, 2),
                fika_core::round::round_decimal(b, 2),
                count,
            )
        })
        .collect()
}

/// The round as a workbook's report: the one-row-per-program table, the long table, and
/// every question's chart (each a sheet of its numbers).
pub fn report(
    title: &str,
    q: &Questionnaire,
    reference_date: Date,
    wide: &Plain,
    long: &Plain,
    results: &[QuestionResult],
    lang: Lang,
) -> Report {
    let (wide_title, long_title, note) = match lang {
        Lang::En => (
            "One row per program",
            "Long format",
            format!(
                "Answers to {title}; figures fika filled in were computed on {reference_date}. Multiple choices are columns name___code (1 ticked, 0 not)."
            ),
        ),
        Lang::Sv => (
            "En rad per program",
            "Långt format",
            format!(
                "Svar på {title}; tal som fika fyllde i räknades fram per {reference_date}. Flerval är kolumner namn___kod (1 ikryssad, 0 inte)."
            ),
        ),
    };
    Report {
        title: title.to_owned(),
        lang,
        rules: fika_core::scale::RULES_VERSION,
        date: reference_date,
        notes: vec![note],
        tables: vec![
            table(q, wide, "Programs", wide_title),
            table(q, long, "Long", long_title),
        ],
        charts: results
            .iter()
            .filter(|r| {
                q.question(&r.question)
                    .is_some_and(|x| !matches!(x.kind, Kind::Info))
            })
            .filter_map(|r| chart(q, r, lang))
            .collect(),
    }
}
