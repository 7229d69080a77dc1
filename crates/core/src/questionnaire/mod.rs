//! Questionnaires to programs, as an evaluation sends them: sections of questions of the
//! kinds researchers use, each required or optional, with help text, in English and
//! Swedish, with simple conditions, and optionally bound to a figure fika computes for the
//! program (so the respondent confirms it rather than types it).
//!
//! A questionnaire is a value: it is checked once when it is built ([`Questionnaire::check`])
//! and every answer is parsed against its question ([`Question::parse_answer`]) before it
//! is stored. Nothing here does I/O; the REDCap data dictionary and the JSON exchange
//! formats live in `fika-interchange`.

mod answer;
mod condition;
mod prefill;
pub mod results;

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

pub use answer::{Answer, AnswerError, format_number, parse_number};
pub use condition::{Comparison, Condition, ConditionError};
pub use prefill::Figure;

/// The version of the questionnaire JSON document (docs/questionnaires.md).
pub const FORMAT_VERSION: u32 = 1;

/// Longest question name (REDCap's variable names are at most 100 characters; fika's, 64).
pub const MAX_NAME: usize = 64;
/// Longest label, help text or choice label, in each language.
pub const MAX_LABEL: usize = 2_000;
/// Most choices of one question.
pub const MAX_CHOICES: usize = 100;
/// Most questions of one questionnaire.
pub const MAX_QUESTIONS: usize = 500;
/// Longest answer to a short text question, and to a long text question.
pub const MAX_SHORT_TEXT: usize = 500;
pub const MAX_LONG_TEXT: usize = 20_000;

/// A text in both of fika's languages. Either may be empty when a questionnaire came in
/// one language only; [`Text::get`] then falls back to the other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sv: String,
}

impl Text {
    /// The same words in both languages (a file that holds only one).
    pub fn both(s: &str) -> Text {
        Text {
            en: s.to_owned(),
            sv: s.to_owned(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.en.is_empty() && self.sv.is_empty()
    }

    /// The text in `lang` ("en" or "sv"), or in the other language when that one is empty.
    pub fn get(&self, lang: &str) -> &str {
        let (first, second) = if lang == "sv" {
            (&self.sv, &self.en)
        } else {
            (&self.en, &self.sv)
        };
        if first.is_empty() { second } else { first }
    }
}

/// One answer option of a choice question: the code stored and exported, and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub label: Text,
}

/// How a single choice is shown (REDCap distinguishes them; fika keeps the distinction so a
/// data dictionary comes back as it went in).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChoiceStyle {
    #[default]
    Radio,
    Dropdown,
    /// REDCap's `yesno`: the choices are `1, Yes | 0, No`.
    YesNo,
    /// REDCap's `truefalse`: the choices are `1, True | 0, False`.
    TrueFalse,
}

/// What a question asks for, with the bounds of its answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    SingleChoice {
        choices: Vec<Choice>,
        #[serde(default)]
        style: ChoiceStyle,
    },
    MultipleChoice {
        choices: Vec<Choice>,
    },
    Number {
        #[serde(default, skip_serializing_if = "Text::is_empty")]
        unit: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        /// Whole numbers only.
        #[serde(default)]
        integer: bool,
    },
    Date {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<crate::Date>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<crate::Date>,
    },
    ShortText,
    LongText,
    /// A scale of whole numbers from `min` to `max` (1–5 or 0–10), with optional words at
    /// its ends.
    Scale {
        min: u8,
        max: u8,
        #[serde(default, skip_serializing_if = "Text::is_empty")]
        low: Text,
        #[serde(default, skip_serializing_if = "Text::is_empty")]
        high: Text,
    },
    /// Text shown to the respondent, with nothing to answer (REDCap's `descriptive`).
    Info,
}

impl Kind {
    /// The word used in the JSON document and in messages.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::SingleChoice { .. } => "single_choice",
            Kind::MultipleChoice { .. } => "multiple_choice",
            Kind::Number { .. } => "number",
            Kind::Date { .. } => "date",
            Kind::ShortText => "short_text",
            Kind::LongText => "long_text",
            Kind::Scale { .. } => "scale",
            Kind::Info => "info",
        }
    }

    pub fn choices(&self) -> &[Choice] {
        match self {
            Kind::SingleChoice { choices, .. } | Kind::MultipleChoice { choices } => choices,
            _ => &[],
        }
    }
}

/// A question of a questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Unique within the questionnaire: lower-case letters, digits and `_`, starting with
    /// a letter (REDCap's rule for variable names), so it serves as a column name.
    pub name: String,
    pub label: Text,
    #[serde(flatten)]
    pub kind: Kind,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub help: Text,
    /// Shown (and asked) only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// The figure fika fills the answer in from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<Figure>,
    /// What a REDCap data dictionary carried that fika does not act on (form name, field
    /// annotation, alignment, question number, matrix group, identifier flag), kept so
    /// that a dictionary comes back out as it went in.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub redcap: BTreeMap<String, String>,
}

/// A section: a heading and the questions under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub title: Text,
    pub questions: Vec<Question>,
}

/// A questionnaire: its sections of questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub format: u32,
    pub title: Text,
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub description: Text,
    pub sections: Vec<Section>,
}

/// A questionnaire that breaks one of the rules of [`Questionnaire::check`]: which
/// question, which rule (a stable name the web translates) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{reason}", question.as_ref().map(|q| format!("question {q}: ")).unwrap_or_default())]
pub struct DesignError {
    pub question: Option<String>,
    pub rule: &'static str,
    pub reason: String,
}

fn design(question: &str, rule: &'static str, reason: String) -> DesignError {
    DesignError {
        question: Some(question.to_owned()),
        rule,
        reason,
    }
}

/// Whether `name` is a valid question name: REDCap's rule, bounded.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && name.len() <= MAX_NAME
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && !name.contains("___")
}

/// Whether `code` is a valid choice code: what REDCap allows (letters, digits, `_`, `-`,
/// `.`), bounded. Multiple-choice codes become column names (`name___code`), so they
/// hold no other characters.
pub fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 50
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl Questionnaire {
    /// Every question, in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, name: &str) -> Option<&Question> {
        self.questions().find(|q| q.name == name)
    }

    /// Checks the rules every questionnaire keeps: names valid and unique, choices present
    /// and unique, bounds in order, conditions naming an earlier question and one of its
    /// choices, figures bound only to number questions. Every error found is returned.
    pub fn check(&self) -> Result<(), Vec<DesignError>> {
        self.check_rules(true)
    }

    /// The rules of [`Questionnaire::check`] for a draft being designed, which may have no
    /// questions yet (it cannot be sent until it has).
    pub fn check_draft(&self) -> Result<(), Vec<DesignError>> {
        self.check_rules(false)
    }

    fn check_rules(&self, complete: bool) -> Result<(), Vec<DesignError>> {
        let mut errors = Vec::new();
        if self.title.is_empty() {
            errors.push(DesignError {
                question: None,
                rule: "questionnaire-title-missing",
                reason: "the questionnaire has no title".to_owned(),
            });
        }
        let count = self.questions().count();
        if count == 0 && complete {
            errors.push(DesignError {
                question: None,
                rule: "questionnaire-empty",
                reason: "the questionnaire has no questions".to_owned(),
            });
        }
        if count > MAX_QUESTIONS {
            errors.push(DesignError {
                question: None,
                rule: "questionnaire-too-many",
                reason: format!("{count} questions; at most {MAX_QUESTIONS} are allowed"),
            });
        }
        let mut seen: HashSet<&str> = HashSet::new();
        let mut earlier: Vec<&Question> = Vec::new();
        for q in self.questions() {
            if !valid_name(&q.name) {
                errors.push(design(
                    &q.name,
                    "question-name",
                    format!(
                        "the name must be lower-case letters, digits and _, start with a letter, \
                         hold no ___ and be at most {MAX_NAME} characters"
                    ),
                ));
            }
            if !seen.insert(&q.name) {
                errors.push(design(
                    &q.name,
                    "question-name-twice",
                    "another question has the same name".to_owned(),
                ));
            }
            if q.label.is_empty() {
                errors.push(design(
                    &q.name,
                    "question-label-missing",
                    "the question has no label".to_owned(),
                ));
            }
            for text in [&q.label, &q.help] {
                if text.en.chars().count() > MAX_LABEL || text.sv.chars().count() > MAX_LABEL {
                    errors.push(design(
                        &q.name,
                        "question-label-long",
                        format!("a label or help text is longer than {MAX_LABEL} characters"),
                    ));
                }
            }
            self.check_kind(q, &mut errors);
            if let Some(c) = &q.condition
                && let Err(e) = c.check(&earlier)
            {
                errors.push(design(&q.name, "question-condition", e.to_string()));
            }
            if q.prefill.is_some() && !matches!(q.kind, Kind::Number { .. }) {
                errors.push(design(
                    &q.name,
                    "question-prefill-kind",
                    "only a number question can be filled in from a figure".to_owned(),
                ));
            }
            if matches!(q.kind, Kind::Info) && q.required {
                errors.push(design(
                    &q.name,
                    "question-info-required",
                    "a text to read has no answer, so it cannot be required".to_owned(),
                ));
            }
            earlier.push(q);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn check_kind(&self, q: &Question, errors: &mut Vec<DesignError>) {
        match &q.kind {
            Kind::SingleChoice { choices, .. } | Kind::MultipleChoice { choices } => {
                if choices.is_empty() {
                    errors.push(design(
                        &q.name,
                        "question-choices-missing",
                        "a choice question needs at least one choice".to_owned(),
                    ));
                }
                if choices.len() > MAX_CHOICES {
                    errors.push(design(
                        &q.name,
                        "question-choices-many",
                        format!("at most {MAX_CHOICES} choices are allowed"),
                    ));
                }
                let mut codes = HashSet::new();
                for c in choices {
                    if !valid_code(&c.code) {
                        errors.push(design(
                            &q.name,
                            "question-choice-code",
                            format!(
                                "choice code {:?} must be 1–50 letters, digits, _, - or .",
                                c.code
                            ),
                        ));
                    }
                    if !codes.insert(&c.code) {
                        errors.push(design(
                            &q.name,
                            "question-choice-twice",
                            format!("choice code {:?} is given twice", c.code),
                        ));
                    }
                    if c.label.is_empty() {
                        errors.push(design(
                            &q.name,
                            "question-choice-label",
                            format!("choice {:?} has no label", c.code),
                        ));
                    }
                }
            }
            Kind::Number { min, max, .. } => {
                if let (Some(a), Some(b)) = (min, max)
                    && a > b
                {
                    errors.push(design(
                        &q.name,
                        "question-bounds",
                        format!("the minimum {a} is above the maximum {b}"),
                    ));
                }
                if min.is_some_and(|v| !v.is_finite()) || max.is_some_and(|v| !v.is_finite()) {
                    errors.push(design(
                        &q.name,
                        "question-bounds",
                        "a bound is not a finite number".to_owned(),
                    ));
                }
            }
            Kind::Date { min, max } => {
                if let (Some(a), Some(b)) = (min, max)
                    && a > b
                {
                    errors.push(design(
                        &q.name,
                        "question-bounds",
                        format!("the earliest date {a} is after the latest {b}"),
                    ));
                }
            }
            Kind::Scale { min, max, .. } => {
                if !matches!((min, max), (0 | 1, 2..=10)) {
                    errors.push(design(
                        &q.name,
                        "question-scale",
                        format!(
                            "a scale runs from 0 or 1 to at most 10 (2 at least); this one is {min}–{max}"
                        ),
                    ));
                }
            }
            Kind::ShortText | Kind::LongText | Kind::Info => {}
        }
    }

    /// Whether `q` is shown, given the answers so far (by question name). A question whose
    /// condition names a question that is itself hidden is hidden too.
    pub fn is_shown(&self, q: &Question, answers: &BTreeMap<String, Answer>) -> bool {
        let Some(c) = &q.condition else {
            return true;
        };
        let Some(target) = self.question(&c.question) else {
            return false;
        };
        self.is_shown(target, answers) && c.holds(answers.get(&c.question))
    }

    /// The required questions that are shown and not answered: what stands between a
    /// respondent and submitting.
    pub fn missing(&self, answers: &BTreeMap<String, Answer>) -> Vec<&Question> {
        self.questions()
            .filter(|q| q.required && !answers.contains_key(&q.name) && self.is_shown(q, answers))
            .collect()
    }
}

/// Whether an answer to a question bound to a figure corrects the figure fika computed,
/// and so needs the respondent's comment: a number other than the figure.
pub fn needs_comment(answer: &Answer, computed: Option<f64>) -> bool {
    match (answer.number(), computed) {
        (Some(a), Some(c)) => (a - c).abs() > 1e-9,
        _ => false,
    }
}

impl Question {
    /// Parses what a respondent gave (one value; several for a multiple choice) into an
    /// answer. `Ok(None)` when nothing was given. A value outside what the question
    /// allows is refused, never reinterpreted.
    pub fn parse_answer(&self, values: &[&str]) -> Result<Option<Answer>, AnswerError> {
        answer::parse(self, values)
    }
}
