//! Erasure and restriction from the participant page (docs/privacy.md).
//!
//! A lead erases a participant's record in two steps: the form on the participant page
//! sends the request's reference, the answer shows what will go and asks to confirm, and
//! the confirmation erases in one transaction (`fika_store::erasure`), or says why not (a
//! legal hold, a retention rule) in the lead's language. Other roles get 403, a participant
//! outside the lead's program 404.
//!
//! A restricted record (`fika_store::restrict`) is opened with a stated reason: every staff
//! page that reads it (the participant page, the meeting form, the correction forms) asks
//! for one of Art. 18(2)'s with a form sent back to the same page (`?reason=…`), and the
//! read with it is audited as `participant.read_restricted`, the reason as detail.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use fika_core::ParticipantId;
use fika_store::Role;
use fika_store::caseload::ParticipantRecord;
use fika_store::erasure::{Erased, Refused};
use fika_store::restrict::{ReadReason, Restriction};
use std::collections::HashMap;

use super::{Fields, Layout, actor, bad, bad_choice, field, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};

#[derive(Template)]
#[template(path = "privacy_erase.html")]
struct ErasePage {
    l: Layout,
    id: String,
    name: String,
    reference: String,
    /// Records that go with them: (message key, how many).
    records: Vec<(&'static str, usize)>,
    /// After the erasure: what went.
    erased: Option<Erased>,
}

/// `POST /participants/{id}/erase`: `reference`; with `confirm=yes`, erases.
pub async fn erase(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    me.require(&[Role::Lead])?;
    let reach = reach(&st, &me)?;
    let pid = ParticipantId::parse(&id).map_err(|_| AppError::NotFound)?;
    let reference = field(&f, "reference")
        .map(|r| r.trim().to_owned())
        .ok_or_else(|| bad("erase-reference-missing"))?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    let l = Layout::new(&me, &format!("/participants/{id}"), "erase-title");
    if field(&f, "confirm") != Some("yes") {
        // The confirmation: what will go (a read of the record, audited as such).
        let r = st
            .db(move |s| s.participant(&actor, &reach, &pid, today))
            .await??
            .ok_or(AppError::NotFound)?;
        let page = ErasePage {
            l,
            name: r.participant.name.clone(),
            id,
            reference,
            records: vec![
                ("erase-goals", r.goals.len()),
                ("erase-meetings", r.meetings.len()),
                ("erase-next-steps", r.next_steps.len()),
                ("erase-jobs", r.jobs.len()),
                ("erase-contacts", r.employer_contacts.len()),
            ],
            erased: None,
        };
        return Ok(Html(page.render()?).into_response());
    }
    let reference_given = reference.clone();
    let erased = st
        .db(move |s| s.erase(&actor, &reach, &pid, &reference_given, today))
        .await??
        .map_err(refusal)?;
    let page = ErasePage {
        l,
        name: String::new(),
        id,
        reference,
        records: Vec::new(),
        erased: Some(erased),
    };
    Ok(Html(page.render()?).into_response())
}

/// Why an erasure was refused, in the user's language.
fn refusal(r: Refused) -> AppError {
    match r {
        Refused::NotFound => AppError::NotFound,
        Refused::BadReference | Refused::BadYears => bad("erase-reference-bad"),
        Refused::Held {
            hold, reference, ..
        } => AppError::BadInput(
            Say::new("erase-refused-held")
                .text("hold", hold.to_string())
                .text("reference", reference),
        ),
        Refused::Kept {
            years,
            until: Some(until),
            ..
        } => AppError::BadInput(
            Say::new("erase-refused-kept")
                .text("years", years.to_string())
                .text("until", until.to_string()),
        ),
        Refused::Kept {
            years, until: None, ..
        } => AppError::BadInput(
            Say::new("erase-refused-kept-active").text("years", years.to_string()),
        ),
    }
}

#[derive(Template)]
#[template(path = "privacy_restricted.html")]
struct RestrictedPage {
    l: Layout,
    id: String,
    restriction: Restriction,
    reasons: Vec<&'static str>,
}

/// The reason a staff page of a restricted record was asked with: its query's `reason`.
pub(crate) fn reason_of(
    me: &SignedIn,
    query: &HashMap<String, String>,
) -> Result<Option<ReadReason>, AppError> {
    match query.get("reason").map(String::as_str) {
        None => Ok(None),
        Some("") => Err(bad("restricted-reason-missing")),
        Some(given) => ReadReason::parse(given)
            .map(Some)
            .ok_or_else(|| bad_choice(&me.tr().t("restricted-reason"), given)),
    }
}

/// A participant's record for a staff page at `path`: read as usual (audited as
/// `participant.read`), or, for a restricted record, only with a stated `reason`
/// (audited as `participant.read_restricted` with it); without one, `Err` holds the page
/// that asks for it (a form sent back to `path`), and nothing of the record is read.
pub(crate) async fn read_record(
    st: &AppState,
    me: &SignedIn,
    id: &str,
    path: &str,
    reason: Option<ReadReason>,
) -> Result<Result<(ParticipantRecord, Option<Restriction>), Response>, AppError> {
    let reach = reach(st, me)?;
    let pid = ParticipantId::parse(id).map_err(|_| AppError::NotFound)?;
    let today = st.clock.today();
    let actor = actor(st, me);
    let (asked, read) = (reach.clone(), pid.clone());
    let restricted = st.db(move |s| s.restriction(&asked, &read)).await??;
    let reason = match (&restricted, reason) {
        (Some(restriction), None) => {
            let page = RestrictedPage {
                l: Layout::new(me, path, "restricted-title"),
                id: id.to_owned(),
                restriction: restriction.clone(),
                reasons: ReadReason::ALL.iter().map(|r| r.as_str()).collect(),
            };
            return Ok(Err((StatusCode::OK, Html(page.render()?)).into_response()));
        }
        (Some(_), Some(reason)) => Some(reason),
        (None, _) => None,
    };
    let r = st
        .db(move |s| match reason {
            Some(reason) => s.read_restricted(&actor, &reach, &pid, today, reason),
            None => s.participant(&actor, &reach, &pid, today),
        })
        .await??
        .ok_or(AppError::NotFound)?;
    Ok(Ok((r, restricted)))
}
