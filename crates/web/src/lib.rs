//! fika-web: everything HTTP — the coach's web app.
//!
//! Handlers are thin: parse the request into domain values, authorise, call the store
//! (synchronous, so through `spawn_blocking`), render a compiled template. Nothing below this
//! crate knows HTTP. Pages are server-rendered HTML with htmx 2 for small in-place updates;
//! every asset is embedded in the binary and no script is inline, so the Content-Security-
//! Policy can be `default-src 'self'`.
//!
//! Code map: [`auth`] sign-in, sessions, CSRF and rate limiting; [`security`] response
//! headers; [`i18n`] English and Swedish; [`day`] what the coach's day shows (pure);
//! `pages/*` one module per area of the app; `health` `/healthz` and `/readyz`; [`metrics`]
//! Prometheus metrics on an address of their own.

pub mod access_extract;
pub mod auth;
pub mod clock;
pub mod day;
pub mod demo;
mod error;
mod form;
mod health;
pub mod i18n;
mod ids;
pub mod invitation;
pub mod metrics;
mod pages;
pub mod password;
mod security;
pub mod server;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use fika_store::Store;

pub use clock::{Clock, ManualClock, SystemClock};
pub use ids::new_id;

/// How the server behaves; every field has a sensible default.
#[derive(Debug, Clone)]
pub struct Config {
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, whatever happens.
    pub absolute_timeout: Duration,
    /// Mark the session cookie `Secure`: set when fika is served over TLS (directly or
    /// behind a proxy that terminates it).
    pub secure_cookies: bool,
    /// Failed sign-ins allowed per account and per address within `login_window`.
    pub login_max_failures: u64,
    pub login_window: Duration,
    /// fika runs behind a proxy or load balancer that appends the client's address to
    /// `X-Forwarded-For`: the rate limit per address then counts that address (the last one
    /// in the header, the one the proxy wrote) instead of the proxy's.
    pub behind_proxy: bool,
    /// Password checks (argon2id, 19 MiB each) that may run at once. By default half the
    /// cores (at least one), so that a storm of sign-ins leaves the other half to the pages.
    pub password_checks: usize,
    /// How long a sign-in waits for a password check to start before it is answered 503.
    pub password_check_wait: Duration,
    /// The connection limits of [`serve`].
    pub limits: server::Limits,
    /// Where [`serve`] serves Prometheus metrics (`GET /metrics`); none when not given.
    /// Keep it private: it is not behind the app's sign-in.
    pub metrics_addr: Option<SocketAddr>,
    /// Run the retention purge once a day ([`purge_retention_now`], docs/privacy.md).
    pub retention_purge: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 60 * 60),
            secure_cookies: false,
            login_max_failures: 5,
            login_window: Duration::from_secs(15 * 60),
            behind_proxy: false,
            password_checks: std::thread::available_parallelism()
                .map_or(1, |n| (n.get() / 2).max(1)),
            password_check_wait: Duration::from_secs(2),
            limits: server::Limits::default(),
            metrics_addr: None,
            retention_purge: false,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub(crate) password_checks: Arc<auth::PasswordChecks>,
    /// The key signing sign-in form tokens, read from the database once.
    pub(crate) login_key: Arc<tokio::sync::OnceCell<String>>,
    /// What this server counts for its metrics.
    pub(crate) metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: Config) -> Self {
        AppState {
            store,
            password_checks: Arc::new(auth::PasswordChecks::new(
                config.password_checks,
                config.password_check_wait,
            )),
            config: Arc::new(config),
            clock: Arc::new(SystemClock),
            login_key: Arc::new(tokio::sync::OnceCell::new()),
            metrics: Arc::new(metrics::Metrics::default()),
        }
    }

    /// Runs store work on the blocking pool.
    pub(crate) async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> T + Send + 'static,
    ) -> Result<T, error::AppError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .map_err(|e| error::AppError::Internal(format!("store task: {e}")))
    }
}

/// The whole app as a router.
pub fn app(state: AppState) -> Router {
    use pages::*;
    Router::new()
        .route("/", get(home))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/language", post(auth::set_language))
        .route("/day", get(day_page::day))
        .route("/program", get(program::program))
        .route("/evaluation", get(program::evaluation))
        .route("/reports/outcomes", get(reports::page))
        .route("/reports/outcomes.csv", get(reports::csv))
        .route("/reports/outcomes.xlsx", get(reports::xlsx))
        .route("/reviews", get(reviews::list).post(reviews::create))
        .route("/reviews/{id}", get(reviews::page))
        .route("/reviews/{id}/report", get(reviews::report))
        .route("/reviews/{id}/ratings", post(reviews::rate))
        .route("/reviews/{id}/consensus", post(reviews::agree))
        .route("/participants/new", get(enrol::form).post(enrol::save))
        .route("/participants/{id}", get(participant::page))
        .route(
            "/participants/{id}/meeting",
            get(meeting::form).post(meeting::save),
        )
        .route(
            "/participants/{id}/steps/{step}/done",
            post(participant::step_done),
        )
        .route("/participants/{id}/goals", post(participant::add_goal))
        .route(
            "/participants/{id}/next-meeting",
            post(participant::plan_meeting),
        )
        .route("/participants/{id}/jobs", post(participant::add_job))
        .route(
            "/participants/{id}/jobs/{job}/end",
            post(participant::end_job),
        )
        .route(
            "/participants/{id}/benefits",
            post(participant::add_benefits),
        )
        .route("/participants/{id}/coach", post(participant::change_coach))
        .route("/participants/{id}/access-extract", post(access::download))
        .route("/participants/{id}/erase", post(privacy::erase))
        .route("/participants/{id}/exit", post(participant::exit))
        .route("/participants/{id}/reopen", post(participant::reopen))
        .route(
            "/participants/{id}/correct/{kind}",
            get(correct::form).post(correct::save),
        )
        .route(
            "/participants/{id}/correct/{kind}/{record}",
            get(correct::form).post(correct::save),
        )
        .route("/participants/{id}/remove/{kind}", post(correct::remove))
        .route(
            "/participants/{id}/remove/{kind}/{record}",
            post(correct::remove),
        )
        .route("/employers", get(employers::page).post(employers::add))
        .route("/employers/contacts", post(employers::add_contact))
        .route("/stand-ins", post(program::add_stand_in))
        .route("/admin/users", get(admin::users).post(admin::add_user))
        .route(
            "/admin/programs",
            get(admin::programs).post(admin::add_program),
        )
        .route("/admin/coaches", post(admin::add_coach))
        .route("/admin/users/{id}/disable", post(admin::disable))
        .route("/admin/users/{id}/enable", post(admin::enable))
        .route("/qual", get(qual::projects))
        .route("/qual/{project}", get(qual::project))
        .route("/qual/{project}/codes", post(qual::add_code))
        .route("/qual/{project}/codes.css", get(qual::codebook::stylesheet))
        .route(
            "/qual/{project}/codes/{code}/edit",
            post(qual::codebook::edit),
        )
        .route(
            "/qual/{project}/codes/{code}/merge",
            post(qual::codebook::merge),
        )
        .route(
            "/qual/{project}/codes/{code}/memos",
            post(qual::codebook::code_memo),
        )
        .route(
            "/qual/{project}/sources/{source}/memos",
            post(qual::codebook::source_memo),
        )
        .route(
            "/qual/{project}/sources/{source}/selections/{selection}/memos",
            post(qual::codebook::segment_memo),
        )
        .route(
            "/qual/{project}/memos/{memo}/delete",
            post(qual::codebook::delete_memo),
        )
        .route("/qual/{project}/members", post(qual::add_member))
        .route("/qual/{project}/sources/{source}", get(qual::source::page))
        .route(
            "/qual/{project}/sources/{source}/codings",
            post(qual::source::code),
        )
        .route(
            "/qual/{project}/sources/{source}/selections/{selection}/delete",
            post(qual::source::uncode),
        )
        .route("/qual/{project}/codes/{code}", get(qual::code::page))
        .route(
            "/qual/{project}/codes/{code}/excerpts.csv",
            get(qual::code::csv),
        )
        .route(
            "/qual/{project}/upload",
            get(qual::upload::form)
                .post(qual::upload::save)
                .layer(axum::extract::DefaultBodyLimit::max(auth::MAX_UPLOAD)),
        )
        .route("/qual/{project}/document", get(qual::document::page))
        .route("/qual/{project}/document.docx", get(qual::document::docx))
        .route("/qual/{project}/compare", get(qual::compare::page))
        .route("/qual/{project}/compare/open", post(qual::compare::open))
        .route(
            "/qual/{project}/compare/consensus",
            post(qual::compare::decide),
        )
        .merge(me::routes())
        .route(
            "/questionnaires",
            get(questionnaires::list).post(questionnaires::import),
        )
        .route("/questionnaires/new", post(questionnaires::design::create))
        .route("/questionnaires/{id}", get(questionnaires::page))
        .route(
            "/questionnaires/{id}/copy",
            post(questionnaires::design::copy),
        )
        .route(
            "/questionnaires/{id}/title",
            post(questionnaires::design::retitle),
        )
        .route(
            "/questionnaires/{id}/sections",
            post(questionnaires::design::add_section),
        )
        .route(
            "/questionnaires/{id}/sections/{index}",
            post(questionnaires::design::section),
        )
        .route(
            "/questionnaires/{id}/questions",
            post(questionnaires::design::save_question),
        )
        .route(
            "/questionnaires/{id}/new-question",
            get(questionnaires::design::new_question),
        )
        .route(
            "/questionnaires/{id}/questions/{name}",
            get(questionnaires::design::edit_question),
        )
        .route(
            "/questionnaires/{id}/questions/{name}/action",
            post(questionnaires::design::question_action),
        )
        .route("/questionnaires/{id}/bind", post(questionnaires::bind))
        .route("/questionnaires/{id}/send", post(questionnaires::send))
        .route(
            "/questionnaires/{id}/dictionary.csv",
            get(questionnaires::dictionary),
        )
        .route(
            "/questionnaires/{id}/questionnaire.json",
            get(questionnaires::json),
        )
        .route("/rounds/{id}", get(questionnaires::round::page))
        .route(
            "/rounds/{id}/answer",
            get(questionnaires::answer::form).post(questionnaires::answer::save),
        )
        .route(
            "/rounds/{id}/respondents",
            post(questionnaires::round::name_respondent),
        )
        .route(
            "/rounds/{id}/respondents/remove",
            post(questionnaires::round::remove_respondent),
        )
        .route(
            "/rounds/{id}/questions/{question}/to-qual",
            post(questionnaires::round::to_qual),
        )
        .route(
            "/rounds/{id}/programs/{program}/reopen",
            post(questionnaires::round::reopen),
        )
        .route(
            "/rounds/{id}/{file}",
            get(questionnaires::round::download_results),
        )
        .route("/assets/{file}", get(assets))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::session_layer,
        ))
        // Outside the session layer: no cookie, session, CSRF or audit (see `health`).
        .merge(health::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        // Last, so that it sees the matched route and times everything inside.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::measure,
        ))
        .with_state(state)
}

/// Serves the app on `addr` until Ctrl-C or SIGTERM, then shuts down gracefully (see
/// [`server`]).
pub async fn serve(store: Arc<dyn Store>, addr: SocketAddr, config: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("fika is serving on http://{}", listener.local_addr()?);
    // The audit rows of the last minute are sealed into the hash chain (docs/privacy.md).
    let sealing = tokio::spawn(seal_audit_every_minute(store.clone()));
    let purging = config
        .retention_purge
        .then(|| tokio::spawn(purge_retention_daily(store.clone())));
    let metrics_addr = config.metrics_addr;
    let state = AppState::new(store, config);
    let metrics = match metrics_addr {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            println!(
                "fika metrics are on http://{}/metrics",
                listener.local_addr()?
            );
            Some(tokio::spawn(metrics::serve_on(
                listener,
                state.clone(),
                std::future::pending(),
            )))
        }
        None => None,
    };
    let served = server::serve_on(listener, state, server::shutdown_signal()).await;
    sealing.abort();
    if let Some(p) = purging {
        p.abort();
    }
    if let Some(m) = metrics {
        m.abort();
    }
    served
}

/// The retention purge as the server runs it at `now`: every participant the retention
/// rules no longer keep, and no legal hold keeps, is erased (each in its own transaction),
/// the tombstone naming `server` and `retention purge DATE` (docs/privacy.md).
pub fn purge_retention_now(
    store: &dyn Store,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<fika_store::erasure::Purged, fika_store::StoreError> {
    let today = now.date_naive();
    let actor = fika_store::Actor {
        user: "server".into(),
        at: clock::stamp(now),
    };
    let purged = store.purge_retention(&actor, today, &format!("retention purge {today}"))?;
    // The reference is fika's own, always one short line.
    Ok(purged.unwrap_or_default())
}

/// Runs [`purge_retention_now`] at start and then once a day. The log says how many were
/// erased and held, never who.
async fn purge_retention_daily(store: Arc<dyn Store>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
    loop {
        tick.tick().await;
        let store = store.clone();
        let now = chrono::Utc::now();
        match tokio::task::spawn_blocking(move || purge_retention_now(store.as_ref(), now)).await {
            Ok(Ok(p)) => println!(
                "fika: retention purge: {} participant(s) erased, {} kept by a legal hold",
                p.erased.len(),
                p.held.len()
            ),
            Ok(Err(e)) => eprintln!("fika: the retention purge failed: {e}"),
            Err(_) => eprintln!("fika: the retention purge stopped unexpectedly"),
        }
    }
}

/// Seals the audit rows written since the last seal, once a minute. A failure is logged
/// (without anything personal) and tried again a minute later.
async fn seal_audit_every_minute(store: Arc<dyn Store>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        let store = store.clone();
        match tokio::task::spawn_blocking(move || store.seal_audit()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => eprintln!("fika: sealing the audit log failed: {e}"),
            Err(_) => eprintln!("fika: sealing the audit log stopped unexpectedly"),
        }
    }
}
