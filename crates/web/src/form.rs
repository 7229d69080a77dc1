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
    /// The id of the field's element, which the summary links to (`f-{field}` unless said).
    pub anchor: String,
    /// The message, HTML-escaped (`&`, `<`, `>`, `"`) once, here.
    pub html: String,
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

    /// Shows the form again after a refusal: `e`'s message (a `BadInput` or a `Rule`) beside
    /// the field that `field_of` names for its message key, or only in the summary; any
    /// other error is returned, to be answered as it is.
    pub fn refused(
        f: &Fields,
        e: crate::error::AppError,
        field_of: fn(&str) -> Option<&'static str>,
        t: &Tr,
    ) -> Result<FormState, crate::error::AppError> {
        use crate::error::AppError;
        let say = match e {
            AppError::BadInput(s) => s,
            AppError::Rule(k) => Say::new(k),
            other => return Err(other),
        };
        let mut v = FormState::typed(f);
        v.refuse(field_of(&say.key), &say, t);
        Ok(v)
    }

    /// The summary links to these element ids, by field, instead of `f-{field}`.
    pub fn anchored(mut self, id_of: fn(&str) -> Option<&'static str>) -> FormState {
        for e in &mut self.errors {
            if let Some(id) = e.field.as_deref().and_then(id_of) {
                e.anchor = id.to_owned();
            }
        }
        self
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

    /// The value of field `{prefix}{i}_{name}` of a repeated row (e.g. `step0_text`).
    pub fn row(&self, prefix: &str, i: &usize, name: &str) -> &str {
        self.value(&format!("{prefix}{i}_{name}"))
    }

    /// Whether a choice of a repeated row holds `value`; `default` when the form is new.
    pub fn row_has(
        &self,
        prefix: &str,
        i: &usize,
        name: &str,
        value: &str,
        default: impl std::borrow::Borrow<bool>,
    ) -> bool {
        self.chose(&format!("{prefix}{i}_{name}"), value, default)
    }

    /// Whether a choice is to be shown chosen: as typed after a refusal, else `default`.
    pub fn chose(&self, name: &str, value: &str, default: impl std::borrow::Borrow<bool>) -> bool {
        if self.values.is_empty() {
            *default.borrow()
        } else {
            self.has(name, value)
        }
    }

    /// Whether a choice (radio, checkbox, option) holds `value`.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.values.iter().any(|(k, v)| k == name && v == value)
    }

    /// The message beside a field, if any, HTML-escaped.
    pub fn error_html(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field.as_deref() == Some(name))
            .map(|e| e.html.as_str())
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
        if self.error_html(name).is_some() {
            format!(" aria-invalid=\"true\" aria-describedby=\"e-{name}\"")
        } else {
            String::new()
        }
    }

    /// Adds a message, said in the user's language.
    pub fn refuse(&mut self, field: Option<&str>, say: &Say, t: &Tr) {
        self.errors.push(Refusal {
            anchor: field.map(|f| format!("f-{f}")).unwrap_or_default(),
            field: field.map(str::to_owned),
            html: crate::error::html_escape(&say.say(t)),
        });
    }
}

/// What a redirect after a save says where the user lands (`?saved=…`): one line, from a
/// closed list, so that the address cannot put words on the page.
const SAVED: &[(&str, &str)] = &[
    ("meeting", "correct-saved-meeting"),
    ("goal", "correct-saved-goal"),
    ("job", "correct-saved-job"),
    ("enrolled", "correct-saved-enrolled"),
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
