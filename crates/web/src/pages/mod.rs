//! The pages, one module per area. Each handler: parse → authorise → call the store → render.

pub mod access;
pub mod admin;
pub mod correct;
pub mod day_page;
pub mod employers;
pub mod enrol;
pub mod me;
pub mod meeting;
pub mod participant;
pub mod privacy;
pub mod program;
pub mod qual;
pub mod questionnaires;
pub mod reports;
pub mod reviews;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate as Date;
use fika_core::parse_date;
use fika_store::{Actor, Reach, Role};

use crate::AppState;
use crate::auth::SignedIn;
use crate::clock::stamp;
use crate::error::{AppError, Say};
use crate::i18n::Tr;

/// What the layout of every signed-in page needs.
pub struct Layout {
    pub t: Tr,
    pub csrf: String,
    pub role: Role,
    pub login: String,
    /// This page's path, to come back to after switching language.
    pub path: String,
    pub title: String,
}

impl Layout {
    pub fn new(me: &SignedIn, path: &str, title_key: &str) -> Self {
        let t = me.tr();
        Layout {
            title: t.t(title_key),
            t,
            csrf: me.csrf.clone(),
            role: me.user.role,
            login: me.user.login.clone(),
            path: path.to_owned(),
        }
    }
    pub fn is(&self, role: &str) -> bool {
        self.role.as_str() == role
    }
    /// `{"X-CSRF-Token": "…"}` for htmx's `hx-headers`.
    pub fn hx_headers(&self) -> String {
        format!("{{\"X-CSRF-Token\": \"{}\"}}", self.csrf)
    }
}

pub(crate) fn actor(st: &AppState, me: &SignedIn) -> Actor {
    Actor {
        user: me.user.id.clone(),
        at: stamp(st.clock.now()),
    }
}

/// Whose participant records this user reaches today. Deny by default: admins and
/// evaluators reach none.
pub(crate) fn reach(st: &AppState, me: &SignedIn) -> Result<Reach, AppError> {
    match (me.user.role, &me.user.coach, &me.user.program) {
        (Role::Coach, Some(c), _) => Ok(Reach::Coach {
            coach: c.clone(),
            on: st.clock.today(),
        }),
        (Role::Lead, _, Some(p)) => Ok(Reach::Program(p.clone())),
        _ => Err(AppError::Forbidden),
    }
}

/// A date from a form field; empty means `default`.
pub(crate) fn form_date(s: Option<&str>, default: Date) -> Result<Date, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => {
            parse_date(s).map_err(|_| AppError::BadInput(Say::new("bad-date").text("value", s)))
        }
    }
}

/// A form sent again answers as the first did: the record it names is saved already.
pub(crate) fn saved_once(
    r: Result<(), fika_store::WriteError>,
) -> Result<(), fika_store::WriteError> {
    match r {
        Err(fika_store::WriteError::Store(fika_store::StoreError::AlreadySaved(_))) => Ok(()),
        r => r,
    }
}

/// Input that cannot be used, said by its message key (`bad-…`) in the user's language.
pub(crate) fn bad(key: &str) -> AppError {
    AppError::BadInput(Say::new(key))
}

/// A value that is not one of a field's choices (a form changed by hand, or one loaded
/// before the choices changed): names the field by its label, and the value.
pub(crate) fn bad_choice(label: &str, value: &str) -> AppError {
    AppError::BadInput(
        Say::new("bad-choice")
            .message("field", label)
            .text("value", value),
    )
}

/// The fields of a form, in order (repeated names kept).
pub(crate) type Fields = Vec<(String, String)>;

pub(crate) fn field<'a>(f: &'a Fields, name: &str) -> Option<&'a str> {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

pub(crate) fn fields<'a>(f: &'a Fields, name: &'a str) -> impl Iterator<Item = &'a str> {
    f.iter()
        .filter(move |(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub async fn home(me: SignedIn) -> Redirect {
    Redirect::to(match me.user.role {
        Role::Coach => "/day",
        Role::Lead => "/program",
        Role::Admin => "/admin/users",
        Role::Evaluator => "/evaluation",
        Role::Participant => "/me",
    })
}

const CSS: &[u8] = include_bytes!("../../assets/fika.css");
const HTMX: &[u8] = include_bytes!("../../assets/htmx.min.js");
const QUAL_JS: &[u8] = include_bytes!("../../assets/qual.js");
const DOCUMENT_CSS: &[u8] = include_bytes!("../../assets/document.css");

pub async fn assets(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "fika.css" => (CSS, "text/css; charset=utf-8"),
        "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8"),
        "qual.js" => (QUAL_JS, "text/javascript; charset=utf-8"),
        "document.css" => (DOCUMENT_CSS, "text/css; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
