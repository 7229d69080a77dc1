//! Sign-in, sessions, CSRF and rate limiting.
//!
//! - Passwords: argon2id PHC strings.
//! - Sessions: the browser holds a random 256-bit secret; the database keeps only its SHA-256,
//!   with the user, a CSRF token and two times. A session ends after `idle_timeout` without a
//!   request, `absolute_timeout` after sign-in, at sign-out, and when its user is disabled.
//! - CSRF: a synchronizer token kept in the session and checked on every POST, sent as the
//!   form field `csrf` or (htmx) the `X-CSRF-Token` header. The sign-in form, which has no
//!   session yet, uses a double-submit cookie instead.
//! - Rate limit: at most `login_max_failures` failed sign-ins per account and per address
//!   within `login_window`; further attempts are refused without checking the password.

use std::net::SocketAddr;
use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use askama::Template;
use axum::Form;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Duration;
use fika_store::{Role, User};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::clock::{parse_stamp, stamp};
use crate::error::{AppError, ErrorNote};
use crate::i18n::{Lang, Tr};

pub const SESSION_COOKIE: &str = "fika_session";
const LOGIN_COOKIE: &str = "fika_login";
/// A session's last-seen time is written again only when it is at least this old.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters does not fail")
        .to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checked when no such user exists, so that the answer takes as long either way.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("not a password"));

pub(crate) fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// Compares two tokens in time independent of where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub csrf: String,
    token_hash: String,
}

impl SignedIn {
    pub fn tr(&self) -> Tr {
        Tr::new(Lang::parse(&self.user.locale).unwrap_or(Lang::En))
    }

    /// Deny by default: the handler names the roles it serves.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.user.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<Option<SignedIn>>()
            .cloned()
            .flatten()
            .ok_or(AppError::SignIn)
    }
}

/// Finds the session, ends it when it has timed out, checks CSRF on every POST.
/// Also puts an error page into the signed-in user's language.
pub async fn session_layer(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (mut res, tr) = match check(&st, req).await {
        Ok(req) => {
            let tr = req
                .extensions()
                .get::<Option<SignedIn>>()
                .and_then(|s| s.as_ref().map(SignedIn::tr));
            (next.run(req).await, tr)
        }
        Err(e) => (e.into_response(), None),
    };
    if let (Some(tr), Some(note)) = (tr, res.extensions_mut().remove::<ErrorNote>()) {
        let status = res.status();
        res = (status, Html(note.page(&tr))).into_response();
    }
    res
}

async fn check(st: &AppState, mut req: Request) -> Result<Request, AppError> {
    let mut signed_in = None;
    // Assets are public and change nothing: no session work for them.
    if req.uri().path().starts_with("/assets/") && req.method() == Method::GET {
        req.extensions_mut().insert(signed_in);
        return Ok(req);
    }
    if let Some(secret) = cookie(req.headers(), SESSION_COOKIE) {
        let hash = sha256_hex(&secret);
        let h = hash.clone();
        let session = st.db(move |s| s.session(&h)).await??;
        if let Some(session) = session {
            let now = st.clock.now();
            let idle = Duration::from_std(st.config.idle_timeout).unwrap_or(Duration::MAX);
            let absolute = Duration::from_std(st.config.absolute_timeout).unwrap_or(Duration::MAX);
            let alive = match (
                parse_stamp(&session.created_at),
                parse_stamp(&session.last_seen_at),
            ) {
                (Some(created), Some(seen)) => now - seen < idle && now - created < absolute,
                _ => false,
            };
            let h = hash.clone();
            if alive {
                // The last-seen time moves at most once a minute: a page needs no write of
                // its own, and the idle timeout is still kept to the minute.
                let stale = parse_stamp(&session.last_seen_at)
                    .is_none_or(|seen| now - seen >= Duration::seconds(TOUCH_EVERY_SECONDS));
                if stale {
                    let at = stamp(now);
                    st.db(move |s| s.touch_session(&h, &at)).await??;
                }
                signed_in = Some(SignedIn {
                    user: session.user,
                    csrf: session.csrf_token,
                    token_hash: hash,
                });
            } else {
                st.db(move |s| s.end_session(&h)).await??;
            }
        }
    }
    if req.method() == Method::POST {
        let expected = match &signed_in {
            Some(s) => Some(s.csrf.clone()),
            // No sign-in form fetched, no sign-in: an empty token never matches.
            None if req.uri().path() == "/login" => {
                Some(cookie(req.headers(), LOGIN_COOKIE).unwrap_or_default())
            }
            // Nothing to protect: the handler sends the visitor to sign in.
            None => None,
        };
        if let Some(expected) = expected {
            let from_header = req
                .headers()
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            let ok = match from_header {
                Some(t) => same(&t, &expected),
                None => {
                    let (parts, body) = req.into_parts();
                    let limit = if is_multipart(&parts.headers) {
                        MAX_UPLOAD
                    } else {
                        1 << 20
                    };
                    let bytes = to_bytes(body, limit)
                        .await
                        .map_err(|_| crate::pages::bad("bad-form-too-large"))?;
                    let token = if is_multipart(&parts.headers) {
                        multipart_field(&parts, &bytes, "csrf").await
                    } else {
                        form_urlencoded(&bytes, "csrf")
                    };
                    req = Request::from_parts(parts, Body::from(bytes));
                    token.is_some_and(|t| same(&t, &expected))
                }
            };
            if !ok || expected.is_empty() {
                return Err(AppError::Csrf);
            }
        }
    }
    req.extensions_mut().insert(signed_in);
    Ok(req)
}

/// The largest file upload (a `multipart/form-data` form) the app reads.
pub const MAX_UPLOAD: usize = 16 << 20;

fn is_multipart(h: &HeaderMap) -> bool {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// One text field of a `multipart/form-data` body (an upload form's CSRF token).
async fn multipart_field(parts: &Parts, body: &[u8], name: &str) -> Option<String> {
    let req = Request::from_parts(parts.clone(), Body::from(body.to_vec()));
    let mut form = axum::extract::Multipart::from_request(req, &())
        .await
        .ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// One field of an `application/x-www-form-urlencoded` body.
fn form_urlencoded(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn session_cookie(st: &AppState, value: &str, max_age: Option<i64>) -> String {
    let mut c = format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(a) = max_age {
        c.push_str(&format!("; Max-Age={a}"));
    }
    if st.config.secure_cookies {
        c.push_str("; Secure");
    }
    c
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    csrf: String,
    login: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

fn login_response(
    st: &AppState,
    status: StatusCode,
    lang: Lang,
    login: String,
    error: Option<String>,
) -> Result<Response, AppError> {
    let csrf = random_hex();
    let page = LoginPage {
        t: Tr::new(lang),
        csrf: csrf.clone(),
        login,
        error,
    };
    let mut c = format!("{LOGIN_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict");
    if st.config.secure_cookies {
        c.push_str("; Secure");
    }
    Ok((status, [(header::SET_COOKIE, c)], Html(page.render()?)).into_response())
}

pub async fn login_page(
    State(st): State<AppState>,
    Query(q): Query<LangQuery>,
) -> Result<Response, AppError> {
    let lang = q.lang.as_deref().and_then(Lang::parse).unwrap_or(Lang::En);
    login_response(&st, StatusCode::OK, lang, String::new(), None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    lang: Option<String>,
}

pub async fn login(State(st): State<AppState>, req: Request) -> Result<Response, AppError> {
    let forwarded = st
        .config
        .behind_proxy
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(|ip| ip.trim().to_owned())
        .filter(|ip| !ip.is_empty());
    let ip = forwarded.unwrap_or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
    });
    let Form(f): Form<LoginForm> = Form::from_request(req, &st)
        .await
        .map_err(|_| crate::pages::bad("bad-login-form"))?;
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or(Lang::En);
    let tr = Tr::new(lang);
    let now = st.clock.now();
    let window = Duration::from_std(st.config.login_window).unwrap_or(Duration::MAX);
    let since = stamp(now - window);
    let (login, ip2) = (f.login.trim().to_owned(), ip.clone());
    let (by_login, by_ip) = st
        .db(move |s| s.login_failures(&login, &ip2, &since))
        .await??;
    let max = st.config.login_max_failures;
    if by_login >= max || by_ip >= max {
        return login_response(
            &st,
            StatusCode::TOO_MANY_REQUESTS,
            lang,
            f.login,
            Some(tr.t("login-too-many")),
        );
    }
    let login = f.login.trim().to_owned();
    let found = st.db(move |s| s.user_by_login(&login)).await??;
    let password = f.password.clone();
    let ok_user = tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) => (verify_password(&password, &hash) && !user.disabled).then_some(user),
        None => {
            verify_password(&password, &DUMMY_HASH);
            None
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(user) = ok_user else {
        let (login, at) = (f.login.trim().to_owned(), stamp(now));
        st.db(move |s| s.add_login_failure(&login, &ip, &at))
            .await??;
        return login_response(
            &st,
            StatusCode::UNAUTHORIZED,
            lang,
            f.login,
            Some(tr.t("login-failed")),
        );
    };
    // Sign-ins are rare enough to carry the housekeeping: forget what has expired.
    let (created, seen, failed) = (
        stamp(now - Duration::from_std(st.config.absolute_timeout).unwrap_or(Duration::MAX)),
        stamp(now - Duration::from_std(st.config.idle_timeout).unwrap_or(Duration::MAX)),
        stamp(now - window),
    );
    st.db(move |s| s.purge(&created, &seen, &failed)).await??;
    let secret = random_hex();
    let (hash, csrf, at, uid) = (
        sha256_hex(&secret),
        random_hex(),
        stamp(now),
        user.id.clone(),
    );
    st.db(move |s| s.add_session(&hash, &uid, &csrf, &at))
        .await??;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, session_cookie(&st, &secret, None)),
            (header::LOCATION, "/".to_owned()),
        ],
    )
        .into_response())
}

pub async fn logout(State(st): State<AppState>, me: SignedIn) -> Result<Response, AppError> {
    let h = me.token_hash.clone();
    st.db(move |s| s.end_session(&h)).await??;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, session_cookie(&st, "", Some(0))),
            (header::LOCATION, "/login".to_owned()),
        ],
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    locale: String,
    back: Option<String>,
}

pub async fn set_language(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<LanguageForm>,
) -> Result<Redirect, AppError> {
    let lang = Lang::parse(&f.locale)
        .ok_or_else(|| crate::pages::bad_choice("nav-language", &f.locale))?;
    let id = me.user.id.clone();
    st.db(move |s| s.set_locale(&id, lang.code())).await??;
    // Only a path of this site: never an open redirect.
    let back = f
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    Ok(Redirect::to(&back))
}

/// Why a user could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("the role must be admin, lead, coach or evaluator")]
    Role,
    #[error("a password has at least 10 characters")]
    ShortPassword,
    #[error("{0:?} is not a valid ID: {1}")]
    Id(String, fika_core::IdError),
    #[error(transparent)]
    User(#[from] fika_store::accounts::UserError),
}

/// Adds a user (the command line's `fika user add`, and the demo's users).
pub fn add_user(
    store: &dyn fika_store::Store,
    login: &str,
    role: &str,
    coach: Option<&str>,
    program: Option<&str>,
    password: &str,
) -> Result<User, AddUserError> {
    let role = Role::parse(role).ok_or(AddUserError::Role)?;
    if password.chars().count() < 10 {
        return Err(AddUserError::ShortPassword);
    }
    let id = |s: &str| s.to_owned();
    let new = fika_store::accounts::NewUser {
        id: crate::new_id("U"),
        login: login.trim().to_owned(),
        role,
        coach: coach
            .map(|c| fika_core::CoachId::parse(c).map_err(|e| AddUserError::Id(id(c), e)))
            .transpose()?,
        program: program
            .map(|p| fika_core::ProgramId::parse(p).map_err(|e| AddUserError::Id(id(p), e)))
            .transpose()?,
        password_hash: hash_password(password),
        locale: "en".into(),
    };
    Ok(store.add_user(&new, &stamp(chrono::Utc::now()))?)
}

/// Starts a session for a user who has just shown who they are (a participant who has just
/// made their account from an invitation); returns the `Set-Cookie` value.
pub(crate) async fn start_session(st: &AppState, user_id: &str) -> Result<String, AppError> {
    let secret = random_hex();
    let (hash, csrf, at, uid) = (
        sha256_hex(&secret),
        random_hex(),
        stamp(st.clock.now()),
        user_id.to_owned(),
    );
    st.db(move |s| s.add_session(&hash, &uid, &csrf, &at))
        .await??;
    Ok(session_cookie(st, &secret, None))
}

/// Ends every session of the signed-in user, this one included; returns the `Set-Cookie`
/// value that forgets this one in the browser.
pub(crate) async fn end_every_session(st: &AppState, me: &SignedIn) -> Result<String, AppError> {
    let id = me.user.id.clone();
    st.db(move |s| s.end_sessions_of(&id)).await??;
    Ok(session_cookie(st, "", Some(0)))
}
