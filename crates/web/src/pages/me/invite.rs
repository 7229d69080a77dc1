//! Invitations and access. Staff (a coach or lead with the participant in reach) make a
//! single-use invitation, withdraw it, or end the participant's access. The participant
//! opens the link on their own phone (`/join/{code}`), chooses a name to sign in with, a
//! password and their language, and is signed in.
//!
//! `/join` has no session yet, so its form carries a double-submit token of its own (cookie
//! `fika_join`, SameSite=Strict), as the sign-in form does.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use fika_core::ParticipantId;
use fika_store::Role;
use fika_store::participant_view::{Access, Join, JoinError};
use serde::Deserialize;

use super::super::{Fields, Layout, actor, field, reach};
use crate::AppState;
use crate::auth::{SignedIn, cookie, hash_password, random_hex};
use crate::clock::stamp;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::invitation;

const JOIN_COOKIE: &str = "fika_join";

fn pid(id: &str) -> Result<ParticipantId, AppError> {
    ParticipantId::parse(id).map_err(|_| AppError::NotFound)
}

/// The address people reach this server at, from the request (`https` when the server sets
/// `Secure` cookies, that is, when it is served over TLS).
fn base_url(st: &AppState, headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if st.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

#[derive(Template)]
#[template(path = "me_access.html")]
struct AccessPage {
    l: Layout,
    id: String,
    a: Access,
    now: String,
}

#[derive(Template)]
#[template(path = "me_invited.html")]
struct InvitedPage {
    l: Layout,
    id: String,
    made: invitation::Made,
    qr: String,
}

pub async fn access(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (st, me, id) = (&st, &me, id.as_str());
    me.require(&[Role::Coach, Role::Lead])?;
    let reach = reach(st, me)?;
    let p = pid(id)?;
    let actor = actor(st, me);
    let a = st
        .db(move |s| s.access(&actor, &reach, &p))
        .await??
        .ok_or(AppError::NotFound)?;
    let page = AccessPage {
        l: Layout::new(me, &format!("/participants/{id}/access"), "me-access-title"),
        id: id.to_owned(),
        a,
        now: stamp(st.clock.now()),
    };
    Ok(Html(page.render()?))
}

/// Makes an invitation and shows it once: the link, its code and its QR code.
pub async fn create(
    State(st): State<AppState>,
    me: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let reach = reach(&st, &me)?;
    let p = pid(&id)?;
    let actor = actor(&st, &me);
    let base = base_url(&st, &headers);
    let now = st.clock.now();
    let made = st
        .db(move |s| invitation::make(s, &actor, &reach, &p, &base, now))
        .await??;
    let l = Layout::new(
        &me,
        &format!("/participants/{id}/access"),
        "me-access-title",
    );
    let qr = invitation::qr_svg(&made.link, &l.t.t("me-access-qr"));
    Ok(Html(InvitedPage { l, id, made, qr }.render()?))
}

pub async fn withdraw(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, inv)): Path<(String, String)>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let reach = reach(&st, &me)?;
    let p = pid(&id)?;
    let actor = actor(&st, &me);
    st.db(move |s| s.withdraw_invitation(&actor, &reach, &p, &inv))
        .await??;
    Ok(Redirect::to(&format!("/participants/{id}/access")))
}

/// Ends the participant's access: accounts disabled, sessions ended, invitations withdrawn.
pub async fn end(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let reach = reach(&st, &me)?;
    let p = pid(&id)?;
    let actor = actor(&st, &me);
    st.db(move |s| s.end_access(&actor, &reach, &p)).await??;
    Ok(Redirect::to(&format!("/participants/{id}/access")))
}

#[derive(Deserialize)]
pub struct JoinQuery {
    lang: Option<String>,
    code: Option<String>,
}

#[derive(Template)]
#[template(path = "me_join.html")]
struct JoinPage {
    t: Tr,
    /// The code as in the link; empty on the page that asks for one.
    code: String,
    /// Whether the code works (the form is shown only then).
    works: bool,
    csrf: String,
    login: String,
    error: Option<String>,
    signed_in: bool,
}

fn join_response(status: StatusCode, page: JoinPage) -> Result<Response, AppError> {
    let c = format!(
        "{JOIN_COOKIE}={}; Path=/join; HttpOnly; SameSite=Strict",
        page.csrf
    );
    Ok((status, [(header::SET_COOKIE, c)], Html(page.render()?)).into_response())
}

fn lang_of(q: Option<&str>) -> Lang {
    q.and_then(Lang::parse).unwrap_or(Lang::En)
}

/// `/join`: a box for a code read from paper; `?code=` goes on to its link.
pub async fn join_code(Query(q): Query<JoinQuery>) -> Result<Response, AppError> {
    let lang = lang_of(q.lang.as_deref());
    if let Some(code) = q.code.as_deref().and_then(invitation::normalise) {
        return Ok(Redirect::to(&format!("/join/{code}?lang={}", lang.code())).into_response());
    }
    join_response(
        if q.code.is_some() {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        },
        JoinPage {
            t: Tr::new(lang),
            code: String::new(),
            works: false,
            csrf: random_hex(),
            login: String::new(),
            error: q.code.map(|_| Tr::new(lang).t("me-join-not-valid")),
            signed_in: false,
        },
    )
}

pub async fn join_form(
    State(st): State<AppState>,
    axum::Extension(me): axum::Extension<Option<SignedIn>>,
    Path(code): Path<String>,
    Query(q): Query<JoinQuery>,
) -> Result<Response, AppError> {
    let lang = lang_of(q.lang.as_deref());
    let now = stamp(st.clock.now());
    let works = match invitation::hash(&code) {
        Some(h) => st.db(move |s| s.invitation_works(&h, &now)).await??,
        None => false,
    };
    let t = Tr::new(lang);
    join_response(
        if works {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        },
        JoinPage {
            error: (!works).then(|| t.t("me-join-not-valid")),
            t,
            code,
            works,
            csrf: random_hex(),
            login: String::new(),
            signed_in: me.is_some(),
        },
    )
}

/// What a new password must be: 12 to 128 characters, and not the name it signs in with.
fn password_problem(password: &str, again: &str, login: &str) -> Option<&'static str> {
    let n = password.chars().count();
    if n < 12 {
        Some("me-join-password-short")
    } else if n > 128 {
        Some("me-join-password-long")
    } else if login.chars().count() >= 3 && password.to_lowercase().contains(&login.to_lowercase())
    {
        Some("me-join-password-name")
    } else if password != again {
        Some("me-join-password-again")
    } else {
        None
    }
}

pub async fn join(
    State(st): State<AppState>,
    axum::Extension(me): axum::Extension<Option<SignedIn>>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let lang = lang_of(field(&f, "lang"));
    let t = Tr::new(lang);
    // The double-submit token: the form's copy must match the cookie set with the form.
    let expected = cookie(&headers, JOIN_COOKIE).unwrap_or_default();
    let given = field(&f, "join_token").unwrap_or_default();
    if expected.is_empty() || !crate::auth::same(&expected, given) {
        return Err(AppError::Csrf);
    }
    let login = field(&f, "login").unwrap_or_default().trim().to_owned();
    let password = f
        .iter()
        .find(|(k, _)| k == "password")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let again = f
        .iter()
        .find(|(k, _)| k == "password_again")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let refuse = |status: StatusCode, key: &str, login: String| {
        join_response(
            status,
            JoinPage {
                t,
                code: code.clone(),
                works: true,
                csrf: random_hex(),
                login,
                error: Some(t.t(key)),
                signed_in: me.is_some(),
            },
        )
    };
    if login.is_empty() || login.chars().count() > 64 {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "me-join-login-missing",
            login,
        );
    }
    if let Some(key) = password_problem(&password, &again, &login) {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, key, login);
    }
    let locale = field(&f, "locale")
        .and_then(Lang::parse)
        .unwrap_or(lang)
        .code()
        .to_owned();
    let Some(code_hash) = invitation::hash(&code) else {
        return refuse(StatusCode::NOT_FOUND, "me-join-not-valid", login);
    };
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let new = Join {
        user_id: crate::new_id("U"),
        login: login.clone(),
        password_hash,
        locale,
    };
    let now = stamp(st.clock.now());
    let outcome = st
        .db(move |s| s.accept_invitation(&code_hash, &now, &new))
        .await?;
    let user = match outcome {
        Ok(u) => u,
        Err(JoinError::NotValid) => {
            return refuse(StatusCode::NOT_FOUND, "me-join-not-valid", login);
        }
        Err(JoinError::LoginTaken(_)) => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "me-join-login-taken",
                login,
            );
        }
        Err(JoinError::Store(e)) => return Err(e.into()),
    };
    let session = crate::auth::start_session(&st, &user.id).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, session),
            (header::LOCATION, "/me".to_owned()),
        ],
    )
        .into_response())
}
