//! "Show only if question X is answered Y": the simple conditions a questionnaire allows,
//! written as REDCap writes its branching logic (`[x] = '1'`, `[x] <> '1'`, and for a
//! multiple choice `[x(2)] = '1'`, "choice 2 is ticked").

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Answer, Kind, Question};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    Equals,
    NotEquals,
}

/// Show a question only when the answer to `question` is (or is not) `value`. For a
/// multiple-choice question, `value` is a choice code and the condition is on whether it
/// is ticked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub question: String,
    pub comparison: Comparison,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConditionError(pub String);

impl Condition {
    /// Parses REDCap branching logic of one comparison. Anything more (and, or, functions,
    /// other operators, other events) is refused with what fika can hold.
    pub fn parse(logic: &str) -> Result<Condition, ConditionError> {
        let hint = "fika holds one comparison: [question] = 'value', [question] <> 'value', \
                    or [question(code)] = '1' for a ticked choice";
        let s = logic.trim();
        let refuse = || ConditionError(format!("cannot read the condition {s:?}: {hint}"));
        let rest = s.strip_prefix('[').ok_or_else(refuse)?;
        let (field, rest) = rest.split_once(']').ok_or_else(refuse)?;
        let rest = rest.trim_start();
        let (comparison, rest) = if let Some(r) = rest.strip_prefix("<>") {
            (Comparison::NotEquals, r)
        } else if let Some(r) = rest.strip_prefix("!=") {
            (Comparison::NotEquals, r)
        } else if let Some(r) = rest.strip_prefix('=') {
            (Comparison::Equals, r)
        } else {
            return Err(refuse());
        };
        let rest = rest.trim();
        let value = ['\'', '"']
            .iter()
            .find_map(|q| rest.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)))
            .unwrap_or(rest);
        if value.is_empty()
            || value.contains(['\'', '"', '[', ']', '(', ')'])
            || value.contains(char::is_whitespace)
        {
            return Err(refuse());
        }
        if let Some((name, code)) = field.split_once('(') {
            let code = code.strip_suffix(')').ok_or_else(refuse)?;
            // `[x(2)] = '1'` is "2 is ticked"; `= '0'` is "2 is not ticked".
            let comparison = match (value, comparison) {
                ("1", c) => c,
                ("0", Comparison::Equals) => Comparison::NotEquals,
                ("0", Comparison::NotEquals) => Comparison::Equals,
                _ => return Err(refuse()),
            };
            return Ok(Condition {
                question: name.to_owned(),
                comparison,
                value: code.to_owned(),
            });
        }
        Ok(Condition {
            question: field.to_owned(),
            comparison,
            value: value.to_owned(),
        })
    }

    /// The condition as REDCap branching logic; `multiple` says whether the question it
    /// names is a multiple choice.
    pub fn to_logic(&self, multiple: bool) -> String {
        if multiple {
            let tick = match self.comparison {
                Comparison::Equals => "1",
                Comparison::NotEquals => "0",
            };
            format!("[{}({})] = '{tick}'", self.question, self.value)
        } else {
            let op = match self.comparison {
                Comparison::Equals => "=",
                Comparison::NotEquals => "<>",
            };
            format!("[{}] {op} '{}'", self.question, self.value)
        }
    }

    /// Whether it holds for the answer given to its question (none yet: only "is not"
    /// holds).
    pub fn holds(&self, answer: Option<&Answer>) -> bool {
        let is = answer.is_some_and(|a| a.has_code(&self.value));
        match self.comparison {
            Comparison::Equals => is,
            Comparison::NotEquals => !is,
        }
    }

    /// A condition names a question asked before it, and (for choices) one of its codes.
    pub(super) fn check(&self, earlier: &[&Question]) -> Result<(), ConditionError> {
        let Some(q) = earlier.iter().find(|q| q.name == self.question) else {
            return Err(ConditionError(format!(
                "the condition names {:?}, which is not a question asked before this one",
                self.question
            )));
        };
        match &q.kind {
            Kind::SingleChoice { choices, .. } | Kind::MultipleChoice { choices }
                if !choices.iter().any(|c| c.code == self.value) =>
            {
                Err(ConditionError(format!(
                    "the condition asks for {:?}, which is not a choice of {:?}",
                    self.value, self.question
                )))
            }
            Kind::Info => Err(ConditionError(format!(
                "the condition names {:?}, which has no answer",
                self.question
            ))),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_logic(false))
    }
}
