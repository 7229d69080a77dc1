//! The data subject's access extract from the participant page (GDPR Art. 15 and 20): a
//! lead asks for it with the request's reference and gets a ZIP of `extract.html` and
//! `extract.json` (`crate::access_extract`). Leads only: other roles get 403, a participant
//! outside the lead's program 404. The store writes the audit row
//! (`participant.access_extract`, the reference as detail) in the transaction that reads.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use fika_core::ParticipantId;
use fika_store::Role;
use fika_store::access::AccessError;

use super::{Fields, actor, bad, field, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::i18n::Lang;

/// `POST /participants/{id}/access-extract`: `reference`, and `lang` (`en`, `sv`, or empty
/// for the participant's own language, else the lead's).
pub async fn download(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    me.require(&[Role::Lead])?;
    let reach = reach(&st, &me)?;
    let p = ParticipantId::parse(&id).map_err(|_| AppError::NotFound)?;
    let asked = match field(&f, "lang") {
        None => None,
        Some(l) => Some(Lang::parse(l).ok_or_else(|| bad("extract-bad-language"))?),
    };
    let reference = field(&f, "reference").map(str::to_owned);
    let actor = actor(&st, &me);
    let extract = st
        .db(move |s| s.access_extract(&actor, &reach, &p, reference.as_deref()))
        .await?
        .map_err(|e| match e {
            AccessError::BadReference => bad("extract-bad-reference"),
            AccessError::Store(e) => e.into(),
        })?
        .ok_or(AppError::NotFound)?;
    let lang = crate::access_extract::language(&extract, asked, me.tr().lang);
    let zip = crate::access_extract::zip(&extract, lang)
        .map_err(|e| AppError::Internal(format!("access extract zip: {e}")))?;
    // IDs are free text: the file name keeps only what every system takes.
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"access-extract-{safe}.zip\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        zip,
    )
        .into_response())
}
