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
    /// Input that cannot be used; the text says what to change.
    BadInput(String),
    /// Input that breaks a rule the app explains in the user's language: a message key.
    Rule(String),
    Internal(String),
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

/// What went wrong, left on an error response so that the session layer, which knows the
/// user's language, can say it in their words (see `auth::session_layer`).
#[derive(Debug, Clone)]
pub struct ErrorNote {
    /// The message key in the Fluent files.
    pub key: &'static str,
    /// Details of bad input, as the rule that was broken says them.
    pub detail: Option<String>,
    /// Or the message key of the rule, said in the user's language.
    pub rule: Option<String>,
}

impl ErrorNote {
    /// The page in one language.
    pub fn page(&self, t: &crate::i18n::Tr) -> String {
        let detail = self
            .rule
            .as_deref()
            .map(|k| t.t(k))
            .or_else(|| self.detail.clone())
            .map(|d| format!("<p>{}</p>", html_escape(&d)))
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
        let note = |key, detail| ErrorNote {
            key,
            detail,
            rule: None,
        };
        let note = match &self {
            AppError::SignIn => None,
            AppError::Forbidden => Some(note("error-forbidden", None)),
            AppError::NotFound => Some(note("error-not-found", None)),
            AppError::Csrf => Some(note("error-csrf", None)),
            AppError::BadInput(s) => Some(note("error-bad-input", Some(s.clone()))),
            AppError::Rule(k) => Some(ErrorNote {
                key: "error-bad-input",
                detail: None,
                rule: Some(k.clone()),
            }),
            AppError::Internal(_) => Some(note("error-internal", None)),
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
            AppError::BadInput(s) => (StatusCode::UNPROCESSABLE_ENTITY, s),
            // Without a signed-in user (who has a language) the key itself is the message.
            AppError::Rule(k) => (StatusCode::UNPROCESSABLE_ENTITY, k),
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
