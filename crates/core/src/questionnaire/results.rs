//! A round's results: per question across programs (counts and shares for choices,
//! distributions for numbers and scales, the free-text answers by program), and the two
//! tables researchers take away — one row per program with REDCap's column names, and the
//! long format of program, question, answer and computed value.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Answer, Kind, Question, Questionnaire};
use crate::round::round_decimal;

/// One program's answers, as the results read them.
#[derive(Debug, Clone, Copy)]
pub struct ProgramAnswers<'a> {
    pub program: &'a str,
    pub answers: &'a BTreeMap<String, Answer>,
    /// The figure computed for each bound question when the round was sent.
    pub computed: &'a BTreeMap<String, Option<f64>>,
    /// The respondent's comment on each answer, where they gave one.
    pub comments: &'a BTreeMap<String, String>,
}

/// How many programs chose one choice, and their share of those who answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceCount {
    pub code: String,
    pub count: u32,
    /// Of the programs that answered the question, 0–1, 4 decimals; `None` when none did.
    pub share: Option<f64>,
}

/// The distribution of a number or a scale's answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    pub n: u32,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub median: f64,
    /// Every value, sorted: what a chart draws.
    pub values: Vec<f64>,
}

/// One question's results across the programs that were asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Summary {
    Choices {
        answered: u32,
        counts: Vec<ChoiceCount>,
    },
    Numbers {
        distribution: Option<Distribution>,
        /// Programs whose answer differs from the figure fika computed (bound questions).
        corrected: u32,
    },
    /// Counts per point of the scale, lowest first, and the distribution.
    Scale {
        points: Vec<(u8, u32)>,
        distribution: Option<Distribution>,
    },
    Dates {
        answered: u32,
        earliest: Option<String>,
        latest: Option<String>,
    },
    /// Free-text answers, by program.
    Texts {
        answers: Vec<(String, String)>,
    },
    Info,
}

/// The results of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub question: String,
    /// Programs asked, and of them how many answered.
    pub asked: u32,
    pub answered: u32,
    pub summary: Summary,
}

fn distribution(mut values: Vec<f64>) -> Option<Distribution> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let median = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Some(Distribution {
        n: n as u32,
        min: values[0],
        max: values[n - 1],
        mean: round_decimal(values.iter().sum::<f64>() / n as f64, 2),
        median: round_decimal(median, 2),
        values,
    })
}

/// The results of every question of `q`, over the programs given.
pub fn results(q: &Questionnaire, programs: &[ProgramAnswers<'_>]) -> Vec<QuestionResult> {
    q.questions()
        .map(|question| result(question, programs))
        .collect()
}

fn result(question: &Question, programs: &[ProgramAnswers<'_>]) -> QuestionResult {
    let given: Vec<(&str, &Answer)> = programs
        .iter()
        .filter_map(|p| p.answers.get(&question.name).map(|a| (p.program, a)))
        .collect();
    let answered = given.len() as u32;
    let summary = match &question.kind {
        Kind::SingleChoice { choices, .. } | Kind::MultipleChoice { choices } => Summary::Choices {
            answered,
            counts: choices
                .iter()
                .map(|c| {
                    let count = given.iter().filter(|(_, a)| a.has_code(&c.code)).count() as u32;
                    ChoiceCount {
                        code: c.code.clone(),
                        count,
                        share: crate::outcomes::rate(count, answered),
                    }
                })
                .collect(),
        },
        Kind::Number { .. } => Summary::Numbers {
            distribution: distribution(given.iter().filter_map(|(_, a)| a.number()).collect()),
            corrected: programs
                .iter()
                .filter(|p| {
                    let computed = p.computed.get(&question.name).copied().flatten();
                    let answer = p.answers.get(&question.name).and_then(Answer::number);
                    question.prefill.is_some() && answer.is_some() && answer != computed
                })
                .count() as u32,
        },
        Kind::Scale { min, max, .. } => Summary::Scale {
            points: (*min..=*max)
                .map(|point| {
                    let n = given
                        .iter()
                        .filter(|(_, a)| matches!(a, Answer::Scale(v) if *v == point))
                        .count() as u32;
                    (point, n)
                })
                .collect(),
            distribution: distribution(given.iter().filter_map(|(_, a)| a.number()).collect()),
        },
        Kind::Date { .. } => {
            let mut dates: Vec<String> = given.iter().map(|(_, a)| a.cell()).collect();
            dates.sort();
            Summary::Dates {
                answered,
                earliest: dates.first().cloned(),
                latest: dates.last().cloned(),
            }
        }
        Kind::ShortText | Kind::LongText => Summary::Texts {
            answers: given
                .iter()
                .map(|(p, a)| ((*p).to_owned(), a.cell()))
                .collect(),
        },
        Kind::Info => Summary::Info,
    };
    QuestionResult {
        question: question.name.clone(),
        asked: programs.len() as u32,
        answered,
        summary,
    }
}

/// A table: its column names and rows of cells.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One row per program, with REDCap's column names: a column per question, and for a
/// multiple choice one column per choice, `name___code`, holding 1 or 0 (empty when the
/// question was not answered). Texts to read have no column.
pub fn wide(q: &Questionnaire, programs: &[ProgramAnswers<'_>]) -> Table {
    let mut columns = vec!["program_id".to_owned()];
    for question in q.questions() {
        match &question.kind {
            Kind::Info => {}
            Kind::MultipleChoice { choices } => columns.extend(
                choices
                    .iter()
                    .map(|c| format!("{}___{}", question.name, c.code)),
            ),
            _ => columns.push(question.name.clone()),
        }
    }
    let rows = programs
        .iter()
        .map(|p| {
            let mut row = vec![p.program.to_owned()];
            for question in q.questions() {
                let answer = p.answers.get(&question.name);
                match &question.kind {
                    Kind::Info => {}
                    Kind::MultipleChoice { choices } => row.extend(choices.iter().map(|c| {
                        answer.map_or(String::new(), |a| {
                            if a.has_code(&c.code) { "1" } else { "0" }.to_owned()
                        })
                    })),
                    _ => row.push(answer.map(Answer::cell).unwrap_or_default()),
                }
            }
            row
        })
        .collect();
    Table { columns, rows }
}

/// One row per program and question asked: the answer (choices joined by `|`), the figure
/// fika computed for a bound question, and the respondent's comment.
pub fn long(q: &Questionnaire, programs: &[ProgramAnswers<'_>]) -> Table {
    let columns = ["program_id", "question", "answer", "computed", "comment"]
        .map(str::to_owned)
        .to_vec();
    let mut rows = Vec::new();
    for p in programs {
        for question in q.questions().filter(|x| !matches!(x.kind, Kind::Info)) {
            let answer = p
                .answers
                .get(&question.name)
                .map(Answer::cell)
                .unwrap_or_default();
            let computed = p
                .computed
                .get(&question.name)
                .copied()
                .flatten()
                .map(|v| super::format_number(v, "en"))
                .unwrap_or_default();
            let comment = p.comments.get(&question.name).cloned().unwrap_or_default();
            if answer.is_empty() && computed.is_empty() && comment.is_empty() {
                continue;
            }
            rows.push(vec![
                p.program.to_owned(),
                question.name.clone(),
                answer,
                computed,
                comment,
            ]);
        }
    }
    Table { columns, rows }
}
