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
            fika_store::WriteError::Invalid(s) => AppError::BadInput(s),
            fika_store::WriteError::Store(e) => e.into(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
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
        (status, axum::response::Html(body)).into_response()
    }
}

pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
