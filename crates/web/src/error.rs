//! One error type for handlers. What a person reads says what happened and what to do;
//! internal details go to the log only.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub enum AppError {
    /// Not signed in: go to the sign-in page.
    SignIn,
    /// Signed in, but this is not for this role.
    Forbidden,
    /// Nothing here, or nothing within the user's reach (the same answer, on purpose).
    NotFound,
    /// The request was refused because its CSRF token was missing or wrong.
    Csrf,
    /// Input that cannot be used; the message says what to change, in the user's language.
    BadInput(Say),
    /// Input that breaks a rule the app explains in the user's language: a message key
    /// (`rule-…`) without arguments.
    Rule(String),
    Internal(String),
    /// Too much at once (password checks): try again in a moment. 503 with `Retry-After`.
    Busy,
}

impl From<fika_store::StoreError> for AppError {
    fn from(e: fika_store::StoreError) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl From<fika_store::WriteError> for AppError {
    fn from(e: fika_store::WriteError) -> Self {
        match e {
            fika_store::WriteError::NotFound => AppError::NotFound,
            fika_store::WriteError::Rule { rule, .. } => AppError::Rule(format!("rule-{rule}")),
            fika_store::WriteError::Store(e) => e.into(),
        }
    }
}

/// A message of the Fluent files with its arguments: what a person reads about their input,
/// kept as a key until the language is known. An argument is either text as the person gave
/// it (a value they typed) or another message (a field's label), said in the same language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Say {
    pub key: String,
    args: Vec<(&'static str, Arg)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Arg {
    Text(String),
    Message(String),
}

impl Say {
    pub fn new(key: impl Into<String>) -> Say {
        Say {
            key: key.into(),
            args: Vec::new(),
        }
    }

    /// With `$name` = a value as the person gave it.
    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Say {
        self.args.push((name, Arg::Text(value.into())));
        self
    }

    /// With `$name` = the message `key` (e.g. a field's label) in the same language.
    pub fn message(mut self, name: &'static str, key: impl Into<String>) -> Say {
        self.args.push((name, Arg::Message(key.into())));
        self
    }

    /// The message keys this one needs: its own and those of its arguments.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.key.as_str()).chain(self.args.iter().filter_map(|(_, a)| match a {
            Arg::Message(k) => Some(k.as_str()),
            Arg::Text(_) => None,
        }))
    }

    /// Said in one language.
    pub fn say(&self, t: &crate::i18n::Tr) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, a)| {
                let value = match a {
                    Arg::Text(v) => v.clone(),
                    Arg::Message(k) => t.t(k),
                };
                (*name, value)
            })
            .collect();
        t.args(&self.key, &args)
    }

    /// Said in both languages, for a page without a signed-in user to ask.
    fn both(&self) -> String {
        use crate::i18n::{Lang, Tr};
        format!(
            "{} / {}",
            self.say(&Tr::new(Lang::En)),
            self.say(&Tr::new(Lang::Sv))
        )
    }
}

/// What went wrong, left on an error response so that the session layer, which knows the
/// user's language, can say it in their words (see `auth::session_layer`).
#[derive(Debug, Clone)]
pub struct ErrorNote {
    /// The message key in the Fluent files.
    pub key: &'static str,
    /// What was wrong with the input, and what to change.
    pub detail: Option<Say>,
}

impl ErrorNote {
    /// The page in one language.
    pub fn page(&self, t: &crate::i18n::Tr) -> String {
        let detail = self
            .detail
            .as_ref()
            .map(|d| format!("<p>{}</p>", html_escape(&d.say(t))))
            .unwrap_or_default();
        format!(
            "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · fika</title><link rel=\"stylesheet\" href=\"/assets/fika.css\"></head><body><main id=\"main\"><h1>{title}</h1><p role=\"alert\">{text}</p>{detail}<p><a href=\"/\">{home}</a></p></main></body></html>",
            lang = t.lang.code(),
            title = html_escape(&t.t("error-title")),
            text = html_escape(&t.t(self.key)),
            home = html_escape(&t.t("error-home")),
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let note = |key, detail| ErrorNote { key, detail };
        let note = match &self {
            AppError::SignIn => None,
            AppError::Forbidden => Some(note("error-forbidden", None)),
            AppError::NotFound => Some(note("error-not-found", None)),
            AppError::Csrf => Some(note("error-csrf", None)),
            AppError::BadInput(s) => Some(note("error-bad-input", Some(s.clone()))),
            AppError::Rule(k) => Some(note("error-bad-input", Some(Say::new(k.clone())))),
            AppError::Internal(_) => Some(note("error-internal", None)),
            AppError::Busy => None,
        };
        let (status, text) = match self {
            AppError::SignIn => {
                return (
                    StatusCode::SEE_OTHER,
                    [(axum::http::header::LOCATION, "/login")],
                )
                    .into_response();
            }
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                "This page is not part of your role in fika. / Den här sidan ingår inte i din roll i fika.".to_owned(),
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Not found. / Hittades inte.".to_owned(),
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "The form had expired. Go back, reload the page and try again. / Formuläret hade gått ut. Gå tillbaka, ladda om sidan och försök igen.".to_owned(),
            ),
            // Without a signed-in user (who has a language): both languages.
            AppError::BadInput(s) => (StatusCode::UNPROCESSABLE_ENTITY, s.both()),
            AppError::Rule(k) => (StatusCode::UNPROCESSABLE_ENTITY, Say::new(k).both()),
            AppError::Busy => {
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(axum::http::header::RETRY_AFTER, "5")],
                    axum::response::Html(
                        "<!doctype html><html><head><meta charset=\"utf-8\"><title>fika</title><link rel=\"stylesheet\" href=\"/assets/fika.css\"></head><body><main><h1>fika</h1><p role=\"alert\">The server is busy. Wait a few seconds and try again. / Servern är upptagen. Vänta några sekunder och försök igen.</p></main></body></html>",
                    ),
                )
                    .into_response();
            }
            AppError::Internal(s) => {
                // The details are for the operator's log, never for the page.
                eprintln!("fika: internal error: {s}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on the server; nothing was saved. Try again in a moment. / Något gick fel på servern; inget sparades. Försök igen om en stund.".to_owned(),
                )
            }
        };
        let body = format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>fika</title><link rel=\"stylesheet\" href=\"/assets/fika.css\"></head><body><main><h1>fika</h1><p role=\"alert\">{}</p><p><a href=\"/\">fika</a></p></main></body></html>",
            html_escape(&text)
        );
        let mut res = (status, axum::response::Html(body)).into_response();
        if let Some(note) = note {
            res.extensions_mut().insert(note);
        }
        res
    }
}

pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
