//! Prometheus metrics, served on an address of their own (`fika serve --metrics-addr`), never
//! on the app's: an operator's monitoring reads them, nobody else.
//!
//! The text exposition format is written here by hand: a few counters, gauges and one
//! histogram family do not need a library. No label carries personal data: requests are
//! labelled by their route *template* (axum's `MatchedPath`, `/participants/{id}`, never the
//! path asked for; a path no route matches is `unmatched`), a method from a closed list and a
//! status class; sign-in refusals by reason; the pool by backend. The number of series is
//! bounded by the route table, whatever a client sends.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::net::TcpListener;

use crate::AppState;

/// The upper bounds of the latency histogram's buckets, in seconds, as written.
const BUCKETS: [(f64, &str); 11] = [
    (0.005, "0.005"),
    (0.01, "0.01"),
    (0.025, "0.025"),
    (0.05, "0.05"),
    (0.1, "0.1"),
    (0.25, "0.25"),
    (0.5, "0.5"),
    (1.0, "1"),
    (2.5, "2.5"),
    (5.0, "5"),
    (10.0, "10"),
];

/// Why a sign-in was refused.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Refusal {
    /// The password (or the user name) was wrong: 401.
    WrongPassword,
    /// Too many failed sign-ins for the account or the address: 429.
    Limited,
    /// Too many password checks at once: 503.
    Busy,
}

impl Refusal {
    const ALL: [Refusal; 3] = [Refusal::WrongPassword, Refusal::Limited, Refusal::Busy];

    fn label(self) -> &'static str {
        match self {
            Refusal::WrongPassword => "wrong_password",
            Refusal::Limited => "limited",
            Refusal::Busy => "too_many_checks",
        }
    }
}

/// A request's labels: route template, method, status class.
type Key = (String, &'static str, &'static str);

#[derive(Default)]
struct Histogram {
    /// Requests at or under each bound of [`BUCKETS`] (not cumulative; summed when written).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// What the server counts; shared by every request of one server.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<Key, Histogram>>,
    refusals: [AtomicU64; 3],
}

impl Metrics {
    pub(crate) fn refused(&self, why: Refusal) {
        self.refusals[why as usize].fetch_add(1, Ordering::Relaxed);
    }

    fn observe(&self, key: Key, took: Duration) {
        let seconds = took.as_secs_f64();
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        let h = requests.entry(key).or_default();
        if let Some(i) = BUCKETS.iter().position(|(le, _)| seconds <= *le) {
            h.buckets[i] += 1;
        }
        h.count += 1;
        h.sum += seconds;
    }

    /// The exposition of every metric, with the pool and password checks as they are now.
    pub fn render(&self, st: &AppState) -> String {
        let mut out = String::new();
        self.render_requests(&mut out);
        let pool = st.store.backend();
        let backend = match pool {
            fika_store::Backend::Sqlite => "sqlite",
            fika_store::Backend::Postgres => "postgres",
        };
        let pool = st.store.pool_use();
        let _ = write!(
            out,
            "# HELP fika_db_connections Database connections of this server's pool, in use by a request or idle.\n\
             # TYPE fika_db_connections gauge\n\
             fika_db_connections{{backend=\"{backend}\",state=\"in_use\"}} {}\n\
             fika_db_connections{{backend=\"{backend}\",state=\"idle\"}} {}\n\
             # HELP fika_db_connections_max_idle The most idle connections the pool keeps open.\n\
             # TYPE fika_db_connections_max_idle gauge\n\
             fika_db_connections_max_idle{{backend=\"{backend}\"}} {}\n",
            pool.in_use, pool.idle, pool.max_idle
        );
        out.push_str(
            "# HELP fika_sign_in_refusals_total Sign-ins refused, by reason.\n\
             # TYPE fika_sign_in_refusals_total counter\n",
        );
        for why in Refusal::ALL {
            let _ = writeln!(
                out,
                "fika_sign_in_refusals_total{{reason=\"{}\"}} {}",
                why.label(),
                self.refusals[why as usize].load(Ordering::Relaxed)
            );
        }
        let checks = &st.password_checks;
        let _ = write!(
            out,
            "# HELP fika_password_checks_in_flight Password checks (argon2id) running now.\n\
             # TYPE fika_password_checks_in_flight gauge\n\
             fika_password_checks_in_flight {}\n\
             # HELP fika_password_checks_waiting Sign-ins waiting to be handled or for their password check to start.\n\
             # TYPE fika_password_checks_waiting gauge\n\
             fika_password_checks_waiting {}\n\
             # HELP fika_password_checks_max Password checks that may run at once.\n\
             # TYPE fika_password_checks_max gauge\n\
             fika_password_checks_max {}\n",
            checks.in_flight(),
            checks.waiting(),
            checks.at_once()
        );
        out
    }

    fn render_requests(&self, out: &mut String) {
        let requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        out.push_str(
            "# HELP fika_http_requests_total HTTP requests answered, by route template, method and status class.\n\
             # TYPE fika_http_requests_total counter\n",
        );
        for ((route, method, status), h) in requests.iter() {
            let _ = writeln!(
                out,
                "fika_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {}",
                escape(route),
                h.count
            );
        }
        out.push_str(
            "# HELP fika_http_request_duration_seconds Time to answer an HTTP request (to its head), by route template, method and status class.\n\
             # TYPE fika_http_request_duration_seconds histogram\n",
        );
        for ((route, method, status), h) in requests.iter() {
            let labels = format!(
                "route=\"{}\",method=\"{method}\",status=\"{status}\"",
                escape(route)
            );
            let mut cumulative = 0;
            for ((_, le), n) in BUCKETS.iter().zip(h.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "fika_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = write!(
                out,
                "fika_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n\
                 fika_http_request_duration_seconds_sum{{{labels}}} {}\n\
                 fika_http_request_duration_seconds_count{{{labels}}} {}\n",
                h.count, h.sum, h.count
            );
        }
    }
}

/// A label value as the exposition format writes it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The method as a label: one of the few the app answers, else `other`, so that a client
/// cannot make series of its own.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn status_class(s: StatusCode) -> &'static str {
    match s.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// Counts each request and its time under its route template. Added with `Router::layer`
/// last, so that it sees the route matched and times everything inside it.
pub async fn measure(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = method_label(req.method());
    let start = Instant::now();
    let res = next.run(req).await;
    st.metrics
        .observe((route, method, status_class(res.status())), start.elapsed());
    res
}

async fn scrape(State(st): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        st.metrics.render(&st),
    )
        .into_response()
}

/// The metrics' own router: `GET /metrics`, nothing else.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

/// Serves `GET /metrics` of the server whose state is `state` on `listener`, within the
/// same connection limits as the app, until `shutdown` resolves.
pub async fn serve_on(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = state.config.limits.clone();
    crate::server::serve_router(listener, router(state), &limits, shutdown).await
}
