//! An answer to one question, parsed from what the respondent gave.

use serde::{Deserialize, Serialize};

use super::{Kind, MAX_LONG_TEXT, MAX_SHORT_TEXT, Question};
use crate::Date;

/// A parsed answer. Numbers keep the text they were given in (normalised to a decimal
/// point), so that an answer is shown and exported exactly as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    Choice(String),
    Choices(Vec<String>),
    Number(String),
    Date(Date),
    Text(String),
    Scale(u8),
}

impl Answer {
    /// The answer as one cell: a choice's code, codes joined by `|`, a number, an ISO
    /// date, the text, a scale point.
    pub fn cell(&self) -> String {
        match self {
            Answer::Choice(c) => c.clone(),
            Answer::Choices(cs) => cs.join("|"),
            Answer::Number(n) => n.clone(),
            Answer::Date(d) => d.format("%Y-%m-%d").to_string(),
            Answer::Text(t) => t.clone(),
            Answer::Scale(v) => v.to_string(),
        }
    }

    /// The answer's value as a number, for numbers and scale points.
    pub fn number(&self) -> Option<f64> {
        match self {
            Answer::Number(n) => n.parse().ok(),
            Answer::Scale(v) => Some(f64::from(*v)),
            _ => None,
        }
    }

    /// Whether the answer holds `code` (a single choice that is it, a multiple choice
    /// that includes it).
    pub fn has_code(&self, code: &str) -> bool {
        match self {
            Answer::Choice(c) => c == code,
            Answer::Choices(cs) => cs.iter().any(|c| c == code),
            other => other.cell() == code,
        }
    }
}

/// A refused answer: a stable rule name the web translates, and the reason in English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct AnswerError {
    pub rule: &'static str,
    pub reason: String,
}

fn refuse(rule: &'static str, reason: String) -> AnswerError {
    AnswerError { rule, reason }
}

/// A number as a person types it: an optional minus, digits, and one decimal separator,
/// either `.` or the Swedish `,`. No thousands separators, exponents or spaces inside.
/// Returns the number and its text with a decimal point.
pub fn parse_number(s: &str) -> Option<(f64, String)> {
    let t = s.trim();
    let normal = t.replacen(',', ".", 1);
    let body = normal.strip_prefix('-').unwrap_or(&normal);
    let mut parts = body.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) || body.len() > 30 {
        return None;
    }
    normal.parse::<f64>().ok().map(|v| (v, normal))
}

/// A number written for a person in `lang`: a decimal comma in Swedish.
pub fn format_number(v: f64, lang: &str) -> String {
    let s = if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    };
    if lang == "sv" { s.replace('.', ",") } else { s }
}

pub(super) fn parse(q: &Question, values: &[&str]) -> Result<Option<Answer>, AnswerError> {
    let given: Vec<&str> = values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if given.is_empty() {
        return Ok(None);
    }
    if given.iter().any(|v| {
        v.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    }) {
        return Err(refuse(
            "answer-control-character",
            "the answer holds a control character".to_owned(),
        ));
    }
    let one = || -> Result<&str, AnswerError> {
        match given.as_slice() {
            [v] => Ok(*v),
            _ => Err(refuse(
                "answer-one-value",
                "this question takes one answer".to_owned(),
            )),
        }
    };
    let answer = match &q.kind {
        Kind::SingleChoice { choices, .. } => {
            let v = one()?;
            if !choices.iter().any(|c| c.code == v) {
                return Err(refuse(
                    "answer-unknown-choice",
                    format!("{v:?} is not one of this question's choices"),
                ));
            }
            Answer::Choice(v.to_owned())
        }
        Kind::MultipleChoice { choices } => {
            let mut codes: Vec<String> = Vec::new();
            for v in &given {
                if !choices.iter().any(|c| c.code == *v) {
                    return Err(refuse(
                        "answer-unknown-choice",
                        format!("{v:?} is not one of this question's choices"),
                    ));
                }
                if !codes.iter().any(|c| c == v) {
                    codes.push((*v).to_owned());
                }
            }
            // In the question's order, so that the same choices are always the same answer.
            codes.sort_by_key(|c| choices.iter().position(|x| &x.code == c));
            Answer::Choices(codes)
        }
        Kind::Number {
            min, max, integer, ..
        } => {
            let v = one()?;
            let Some((n, text)) = parse_number(v) else {
                return Err(refuse(
                    "answer-not-number",
                    format!("{v:?} is not a number (write it like 12 or 20,5)"),
                ));
            };
            if *integer && n.fract() != 0.0 {
                return Err(refuse(
                    "answer-not-whole",
                    format!("{v:?} is not a whole number"),
                ));
            }
            if let Some(m) = min
                && n < *m
            {
                return Err(refuse(
                    "answer-below-min",
                    format!("{v} is below the smallest allowed value, {m}"),
                ));
            }
            if let Some(m) = max
                && n > *m
            {
                return Err(refuse(
                    "answer-above-max",
                    format!("{v} is above the largest allowed value, {m}"),
                ));
            }
            Answer::Number(text)
        }
        Kind::Date { min, max } => {
            let v = one()?;
            let d = crate::values::parse_date(v).map_err(|_| {
                refuse(
                    "answer-not-date",
                    format!("{v:?} is not a date written YYYY-MM-DD"),
                )
            })?;
            if min.is_some_and(|m| d < m) || max.is_some_and(|m| d > m) {
                return Err(refuse(
                    "answer-date-range",
                    format!("{v} is outside the dates this question allows"),
                ));
            }
            Answer::Date(d)
        }
        Kind::ShortText | Kind::LongText => {
            let v = one()?;
            let limit = if matches!(q.kind, Kind::ShortText) {
                MAX_SHORT_TEXT
            } else {
                MAX_LONG_TEXT
            };
            if v.chars().count() > limit {
                return Err(refuse(
                    "answer-too-long",
                    format!("the answer is longer than {limit} characters"),
                ));
            }
            if matches!(q.kind, Kind::ShortText) && v.contains('\n') {
                return Err(refuse(
                    "answer-one-line",
                    "a short answer is one line".to_owned(),
                ));
            }
            Answer::Text(v.to_owned())
        }
        Kind::Scale { min, max, .. } => {
            let v = one()?;
            match v.parse::<u8>() {
                Ok(n) if (*min..=*max).contains(&n) => Answer::Scale(n),
                _ => {
                    return Err(refuse(
                        "answer-scale",
                        format!("{v:?} is not a point of the scale {min}–{max}"),
                    ));
                }
            }
        }
        Kind::Info => {
            return Err(refuse(
                "answer-info",
                "this is a text to read, with nothing to answer".to_owned(),
            ));
        }
    };
    Ok(Some(answer))
}
