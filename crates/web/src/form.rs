//! A refused form shown again: what was typed, each message beside the field it concerns
//! (`aria-describedby`), and a summary at the top (`role="alert"`) whose lines lead to the
//! fields, in the user's language.

use crate::error::Say;
use crate::i18n::Tr;
use crate::pages::Fields;

/// One message about the form, beside `field` when it concerns one.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub field: Option<String>,
    pub text: String,
}

/// The values of a form and what was wrong with them.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: Vec<(String, String)>,
    errors: Vec<Refusal>,
}

impl FormState {
    /// The form as typed.
    pub fn typed(f: &Fields) -> FormState {
        FormState {
            values: f.clone(),
            errors: Vec::new(),
        }
    }

    /// A form filled from values (e.g. the record as stored).
    pub fn filled(values: impl IntoIterator<Item = (String, String)>) -> FormState {
        FormState {
            values: values.into_iter().collect(),
            errors: Vec::new(),
        }
    }

    /// These values and `other`'s (which come first), with `other`'s messages.
    pub fn and(mut self, other: FormState) -> FormState {
        let mut values = other.values;
        values.append(&mut self.values);
        FormState {
            values,
            errors: other.errors,
        }
    }

    /// The first value of a field, empty when there is none.
    pub fn value(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether a choice (radio, checkbox, option) holds `value`.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(k, v)| k == name && v == value)
    }

    /// The message beside a field, if any.
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field.as_deref() == Some(name))
            .map(|e| e.text.as_str())
    }

    pub fn errors(&self) -> &[Refusal] {
        &self.errors
    }

    pub fn is_refused(&self) -> bool {
        !self.errors.is_empty()
    }

    /// ` aria-invalid="true" aria-describedby="e-{name}"` for a field with a message, to
    /// put in its tag; field names are the code's, never typed.
    pub fn aria(&self, name: &str) -> String {
        if self.error(name).is_some() {
            format!(" aria-invalid=\"true\" aria-describedby=\"e-{name}\"")
        } else {
            String::new()
        }
    }

    /// Adds a message, said in the user's language.
    pub fn refuse(&mut self, field: Option<&str>, say: &Say, t: &Tr) {
        self.errors.push(Refusal {
            field: field.map(str::to_owned),
            text: say.say(t),
        });
    }
}

/// What a redirect after a save says where the user lands (`?saved=…`): one line, from a
/// closed list, so that the address cannot put words on the page.
const SAVED: &[(&str, &str)] = &[
    ("corrected", "correct-saved-corrected"),
    ("removed", "correct-saved-removed"),
    ("dropped", "correct-saved-dropped"),
];

/// The line that confirms a save, if the query names one.
pub fn flash(saved: Option<&str>, t: &Tr) -> Option<String> {
    let saved = saved?;
    SAVED
        .iter()
        .find(|(k, _)| *k == saved)
        .map(|(_, key)| t.t(key))
}
