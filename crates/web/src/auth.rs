//! Sign-in, sessions, CSRF and rate limiting.
//!
//! - Passwords: argon2id PHC strings.
//! - Sessions: the browser holds a random 256-bit secret; the database keeps only its SHA-256,
//!   with the user, a CSRF token and two times. A session ends after `idle_timeout` without a
//!   request, `absolute_timeout` after sign-in, at sign-out, and when its user is disabled.
//! - CSRF: a synchronizer token kept in the session and checked on every POST, sent as the
//!   form field `csrf` or (htmx) the `X-CSRF-Token` header. The sign-in form, which has no
//!   session yet, uses a double-submit cookie instead, whose token the server signs (HMAC-
//!   SHA-256 with a key kept in the database, so that every server on it agrees) and which
//!   expires: a cookie and field the server did not make are refused.
//! - Rate limit: at most `login_max_failures` failed sign-ins per account and per address
//!   within `login_window`. Each attempt is counted in the database before its password is
//!   checked (and forgotten when it succeeds), so that guesses sent at once, to one server or
//!   several, are counted too; further attempts are refused without checking the password.
//! - Password checks: argon2id needs 19 MiB for each; at most `password_checks` run at once,
//!   each in memory kept for it, and a sign-in that cannot start one within
//!   `password_check_wait` is answered 503 (with `Retry-After`).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use crate::AppState;
use crate::clock::{parse_stamp, stamp};
use crate::error::{AppError, ErrorNote};
use crate::i18n::{Lang, Tr};
use crate::metrics::Refusal;

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

/// Checks a password against a PHC string (the command line's way: memory of its own).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checks a password against an argon2 PHC string in `memory`, which is grown to what the
/// hash's parameters need and kept for the next check.
fn verify_in(password: &str, phc: &str, memory: &mut Vec<Block>) -> bool {
    (|| {
        let h = PasswordHash::new(phc).ok()?;
        let algorithm = Algorithm::try_from(h.algorithm).ok()?;
        let version = match h.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&h).ok()?;
        let mut salt = [0u8; 64];
        let salt = h.salt?.decode_b64(&mut salt).ok()?;
        let expected = h.hash?;
        if memory.len() < params.block_count() {
            memory.resize(params.block_count(), Block::new());
        }
        let mut out = vec![0u8; expected.len()];
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
            .ok()?;
        Some(same_bytes(&out, expected.as_bytes()))
    })()
    .unwrap_or(false)
}

/// How many password checks run at once, and the argon2 memory they reuse: without a bound,
/// 100 sign-ins sent at once took 19 MiB each (about 2 GB), and the allocator kept it.
pub(crate) struct PasswordChecks {
    permits: Semaphore,
    /// Sign-ins being handled: a few per check that may run (`ADMITTED_PER_CHECK`). The rest
    /// wait before any work is done for them, the database's included, and are answered 503
    /// when the wait is over: a storm of sign-ins costs a queue, not a write each.
    admitted: Semaphore,
    at_once: usize,
    /// Sign-ins waiting for a permit (the metrics' gauge).
    waiting: AtomicUsize,
    wait: std::time::Duration,
    memory: Mutex<Vec<Vec<Block>>>,
}

/// A password check could not start within the configured wait.
#[derive(Debug)]
pub(crate) struct Busy;

/// Sign-ins handled at once per password check that may run: enough to keep the checks
/// busy while the others count their attempts.
const ADMITTED_PER_CHECK: usize = 4;

impl PasswordChecks {
    pub(crate) fn new(at_once: usize, wait: std::time::Duration) -> Self {
        PasswordChecks {
            permits: Semaphore::new(at_once.max(1)),
            admitted: Semaphore::new(at_once.max(1) * ADMITTED_PER_CHECK),
            at_once: at_once.max(1),
            waiting: AtomicUsize::new(0),
            wait,
            memory: Mutex::new(Vec::new()),
        }
    }

    /// Checks `password` against `hash` (or, when there is no such user, against a dummy
    /// hash, so that the answer takes as long either way).
    async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, Busy> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let permit = tokio::time::timeout(self.wait, self.permits.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        let _permit = permit.map_err(|_| Busy)?.map_err(|_| Busy)?;
        let mut memory = self
            .memory
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        let (ok, memory) = tokio::task::spawn_blocking(move || {
            let ok = match hash {
                Some(h) => verify_in(&password, &h, &mut memory),
                None => {
                    verify_in(&password, &DUMMY_HASH, &mut memory);
                    false
                }
            };
            (ok, memory)
        })
        .await
        .map_err(|_| Busy)?;
        self.memory
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(memory);
        Ok(ok)
    }

    /// Lets a sign-in be handled (its attempt counted, its password checked) while the
    /// returned permit lives, once fewer than the bound are; `Busy` when none is free within
    /// the configured wait.
    pub(crate) async fn admit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, Busy> {
        if let Ok(p) = self.admitted.try_acquire() {
            return Ok(p);
        }
        self.waiting.fetch_add(1, Ordering::Relaxed);
        let permit = tokio::time::timeout(self.wait, self.admitted.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        permit.map_err(|_| Busy)?.map_err(|_| Busy)
    }

    /// Checks (and hashes) running now.
    pub(crate) fn in_flight(&self) -> usize {
        self.at_once - self.permits.available_permits()
    }

    /// Sign-ins waiting for a check to start.
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    pub(crate) fn at_once(&self) -> usize {
        self.at_once
    }

    /// Hashes a new password, one of the checks allowed at once.
    pub(crate) async fn hash(&self, password: String) -> Result<String, AppError> {
        let _permit = tokio::time::timeout(self.wait * 4, self.permits.acquire())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|_| AppError::Busy)?;
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }
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
    same_bytes(a.as_bytes(), b.as_bytes())
}

fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How long a sign-in form's token is accepted.
const LOGIN_TOKEN_HOURS: i64 = 12;

/// The key that signs sign-in form tokens, shared through the database by every server.
async fn login_key(st: &AppState) -> Result<Vec<u8>, AppError> {
    let key = st
        .login_key
        .get_or_try_init(|| async {
            let candidate = random_hex();
            st.db(move |s| s.server_key("login", &candidate))
                .await?
                .map_err(AppError::from)
        })
        .await?;
    Ok(key.as_bytes().to_vec())
}

fn login_mac(key: &[u8], nonce: &str, expires: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("fika login {nonce} {expires}").as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// A new sign-in form token: `nonce.expiry.signature`.
async fn new_login_token(st: &AppState) -> Result<String, AppError> {
    let key = login_key(st).await?;
    let nonce = random_hex();
    let expires = (st.clock.now() + Duration::hours(LOGIN_TOKEN_HOURS)).timestamp();
    let mac = login_mac(&key, &nonce, expires);
    Ok(format!("{nonce}.{expires}.{mac}"))
}

/// Whether a sign-in form token was made by a server of this database and has not expired.
async fn login_token_valid(st: &AppState, token: &str) -> Result<bool, AppError> {
    let mut parts = token.split('.');
    let (Some(nonce), Some(expires), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(false);
    };
    let Ok(expires) = expires.parse::<i64>() else {
        return Ok(false);
    };
    if expires < st.clock.now().timestamp() || nonce.len() != 64 {
        return Ok(false);
    }
    let key = login_key(st).await?;
    Ok(same(&login_mac(&key, nonce, expires), mac))
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
            // No sign-in form fetched, no sign-in: an empty token never matches, nor one
            // that no server of this database signed.
            None if req.uri().path() == "/login" => {
                let token = cookie(req.headers(), LOGIN_COOKIE).unwrap_or_default();
                Some(if login_token_valid(st, &token).await? {
                    token
                } else {
                    String::new()
                })
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

/// One text field of a `multipart/form-data` body (an upload form's CSRF token). The body
/// was read within [`MAX_UPLOAD`] already; the multipart reader is given the same limit,
/// for its own default (2 MB) would refuse a larger upload before reading the token.
async fn multipart_field(parts: &Parts, body: &[u8], name: &str) -> Option<String> {
    use tower::{Layer, ServiceExt};
    let req = Request::from_parts(parts.clone(), Body::from(body.to_vec()));
    let name = name.to_owned();
    let read = tower::service_fn(move |req: Request| {
        let name = name.clone();
        async move {
            let Ok(mut form) = axum::extract::Multipart::from_request(req, &()).await else {
                return Ok::<_, std::convert::Infallible>(None);
            };
            while let Ok(Some(field)) = form.next_field().await {
                if field.name() == Some(name.as_str()) {
                    return Ok(field.text().await.ok());
                }
            }
            Ok(None)
        }
    });
    axum::extract::DefaultBodyLimit::max(MAX_UPLOAD)
        .layer(read)
        .oneshot(req)
        .await
        .ok()?
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

async fn login_response(
    st: &AppState,
    status: StatusCode,
    lang: Lang,
    login: String,
    error: Option<String>,
) -> Result<Response, AppError> {
    let csrf = new_login_token(st).await?;
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
    login_response(&st, StatusCode::OK, lang, String::new(), None).await
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
    // Only a few sign-ins are handled at once; the others wait here, costing nothing but
    // their connection, and are shed when the wait is over (uncounted: never checked).
    let checks = Arc::clone(&st.password_checks);
    let Ok(_admitted) = checks.admit().await else {
        st.metrics.refused(Refusal::Busy);
        return Err(AppError::Busy);
    };
    // The attempt is counted before the password is checked, in one transaction with the
    // count it is measured against.
    let (login, ip2, at, since, max) = (
        f.login.trim().to_owned(),
        ip.clone(),
        stamp(now),
        stamp(now - window),
        st.config.login_max_failures,
    );
    let attempt = st
        .db(move |s| s.login_attempt(&login, &ip2, &at, &since, max))
        .await??;
    let Some(attempt) = attempt else {
        st.metrics.refused(Refusal::Limited);
        return login_response(
            &st,
            StatusCode::TOO_MANY_REQUESTS,
            lang,
            f.login,
            Some(tr.t("login-too-many")),
        )
        .await;
    };
    let login = f.login.trim().to_owned();
    let found = st.db(move |s| s.user_by_login(&login)).await??;
    // No password longer than the longest allowed was ever set: it is wrong without argon2.
    let checked = if f.password.chars().count() > crate::password::MAX_CHARS {
        Ok(false)
    } else {
        let enabled = found.as_ref().is_some_and(|(u, _)| !u.disabled);
        let hash = found.as_ref().map(|(_, h)| h.clone());
        st.password_checks
            .verify(f.password.clone(), hash)
            .await
            .map(|ok| ok && enabled)
    };
    let ok_user = match checked {
        Ok(true) => found.map(|(u, _)| u),
        Ok(false) => None,
        Err(Busy) => {
            // Not checked: the attempt does not count against the account.
            st.db(move |s| s.forget_login_attempt(attempt)).await??;
            st.metrics.refused(Refusal::Busy);
            return Err(AppError::Busy);
        }
    };
    let Some(user) = ok_user else {
        st.metrics.refused(Refusal::WrongPassword);
        return login_response(
            &st,
            StatusCode::UNAUTHORIZED,
            lang,
            f.login,
            Some(tr.t("login-failed")),
        )
        .await;
    };
    st.db(move |s| s.forget_login_attempt(attempt)).await??;
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
    // Only a path this app routes: never an open redirect.
    let back = f
        .back
        .filter(|b| is_app_path(b))
        .unwrap_or_else(|| "/".into());
    Ok(Redirect::to(&back))
}

/// The first path segments of the app's pages, where a language switch may return.
const PAGE_ROOTS: &[&str] = &[
    "",
    "day",
    "program",
    "evaluation",
    "participants",
    "employers",
    "admin",
    "qual",
    "account",
];

/// Whether `back` is a path of this app's pages: `/`, then segments of letters, digits and
/// `-_.~` only, starting with one of [`PAGE_ROOTS`], and an optional query of the same
/// characters and `=&%+`. Anything a browser could read as another host (`//evil`,
/// `/\evil`, `http:…`, control characters) is not.
pub fn is_app_path(back: &str) -> bool {
    let (path, query) = match back.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (back, None),
    };
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let unreserved = |c: char| c.is_ascii_alphanumeric() || "-_.~".contains(c);
    let segments: Vec<&str> = rest.split('/').collect();
    let root_ok = match segments[0] {
        "" => segments.len() == 1,
        root => PAGE_ROOTS.contains(&root),
    };
    let segments_ok = segments.iter().enumerate().all(|(i, s)| {
        (i == 0 || !s.is_empty()) && s.chars().all(unreserved) && *s != "." && *s != ".."
    });
    let query_ok = query.is_none_or(|q| q.chars().all(|c| unreserved(c) || "=&%+".contains(c)));
    root_ok && segments_ok && query_ok && back.len() <= 2048
}

/// Why a user could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("the role must be admin, lead, coach or evaluator")]
    Role,
    #[error("{0}")]
    Password(crate::password::Refusal),
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
    crate::password::check(password, login).map_err(AddUserError::Password)?;
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn sign_ins_beyond_the_bound_wait_then_are_shed() {
        let checks = PasswordChecks::new(1, Duration::from_millis(50));
        let mut held = Vec::new();
        for _ in 0..ADMITTED_PER_CHECK {
            held.push(checks.admit().await.expect("within the bound"));
        }
        // One more waits its 50 ms, then is shed, and is no longer counted as waiting.
        let started = std::time::Instant::now();
        assert!(checks.admit().await.is_err());
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert_eq!(checks.waiting(), 0);
        // One handled sign-in ends: the next is let in.
        held.pop();
        assert!(checks.admit().await.is_ok());
    }
}
