//! What an operator runs fika with (issue 10, "operations a region or a country needs"):
//! `/healthz` and `/readyz`, Prometheus metrics on their own address without personal data,
//! and several servers on one PostgreSQL database.

use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::StatusCode;
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use super::helpers::*;

/// A plain client: no cookies kept, no redirects followed.
fn plain() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(addr: SocketAddr, path: &str) -> (StatusCode, String) {
    let r = plain()
        .get(format!("http://{addr}{path}"))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn scrape(metrics: SocketAddr) -> String {
    let r = plain()
        .get(format!("http://{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    r.text().await.unwrap()
}

/// The value of the series written exactly as `series` (name and labels).
fn value(scrape: &str, series: &str) -> Option<f64> {
    scrape
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.parse().unwrap())
}

#[tokio::test]
async fn healthz_answers_from_the_process_alone() {
    for app in spawn_apps("healthz_answers_from_the_process_alone").await {
        let before = audit(&app).await.len();
        let r = plain()
            .get(format!("http://{}/healthz", app.addr))
            .header("cookie", "fika_session=not-a-session")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{}", app.backend);
        assert!(
            r.headers().get("set-cookie").is_none(),
            "no session machinery: an unknown session is not even ended"
        );
        assert_eq!(r.headers()["cache-control"], "no-store");
        assert_eq!(r.text().await.unwrap(), "ok");
        // No CSRF check either: a POST is a wrong method, not a forged form.
        let r = plain()
            .post(format!("http://{}/healthz", app.addr))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(audit(&app).await.len(), before, "nothing audited");

        // A real session, timed out by the time of the probe: the probe does not look it up,
        // so it does not end it either (the app's pages would).
        let c = signed_in(&app, "coach1").await;
        let idle = fika_web::Config::default().idle_timeout;
        let idle = chrono::Duration::from_std(idle).unwrap() + chrono::Duration::minutes(1);
        app.clock.advance(idle);
        let (status, body) = c.text("/healthz").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
        app.clock.advance(-idle);
        assert_eq!(
            c.get("/day").await.status(),
            StatusCode::OK,
            "{}: the session is still there",
            app.backend
        );
    }
}

#[tokio::test]
async fn readyz_needs_every_migration_this_fika_knows_and_no_other() {
    for app in spawn_apps("readyz_needs_every_migration_this_fika_knows_and_no_other").await {
        let b = app.backend;
        assert_eq!(
            get(app.addr, "/readyz").await,
            (StatusCode::OK, "ready".to_owned()),
            "{b}"
        );
        // The newest migration this fika knows was not applied (say, a database restored
        // from before an upgrade, opened by a server that did not migrate it).
        let newest = 17;
        run_sql(
            &app,
            &format!("DELETE FROM schema_version WHERE version = {newest}"),
        )
        .await;
        assert_eq!(
            get(app.addr, "/readyz").await,
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not ready: migrations not applied: {newest}")
            ),
            "{b}"
        );
        let now = if b == "sqlite" {
            "datetime('now')"
        } else {
            "now()"
        };
        run_sql(
            &app,
            &format!(
                "INSERT INTO schema_version (version, applied_at) VALUES ({newest}, {now}), (9001, {now})"
            ),
        )
        .await;
        let (status, why) = get(app.addr, "/readyz").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{b}");
        assert!(
            why.starts_with("not ready: the database has migrations this fika does not know")
                && why.ends_with(": 9001"),
            "{b}: {why}"
        );
        run_sql(&app, "DELETE FROM schema_version WHERE version = 9001").await;
        assert_eq!(get(app.addr, "/readyz").await.0, StatusCode::OK, "{b}");
        assert_eq!(
            get(app.addr, "/healthz").await.0,
            StatusCode::OK,
            "{b}: healthz never looked"
        );
    }
}

/// A TCP relay to PostgreSQL that can be cut, connections in flight included: the database
/// as a server on the other side of a failed network sees it.
struct Relay {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn to(target: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let mut pipes = JoinSet::new();
            // Dropping the JoinSet (when this task is aborted) aborts every pipe.
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    continue;
                };
                let target = target.clone();
                pipes.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Relay { addr, task }
    }

    fn cut(&self) {
        self.task.abort();
    }
}

#[tokio::test]
async fn readyz_is_503_and_healthz_200_while_the_database_is_unreachable() {
    let Ok(url) = std::env::var("FIKA_TEST_POSTGRES_URL") else {
        eprintln!(
            "SKIPPED (no FIKA_TEST_POSTGRES_URL): readyz_is_503_and_healthz_200_while_the_database_is_unreachable"
        );
        return;
    };
    // postgres://user@host:port/db → the same through the relay.
    let (scheme_user, rest) = url.split_once('@').unwrap();
    let (host_port, db) = rest.split_once('/').unwrap();
    let relay = Relay::to(host_port.to_owned()).await;
    let schema = format!("fika_web_test_ready_{}", std::process::id());
    let relayed = format!("{scheme_user}@{}/{db}", relay.addr);
    let sep = if relayed.contains('?') { '&' } else { '?' };
    let relayed = format!("{relayed}{sep}schema={schema}");
    let store: Arc<dyn fika_store::Store> =
        tokio::task::spawn_blocking(move || fika_store::open(&relayed).unwrap().into())
            .await
            .unwrap();
    let state = fika_web::AppState::new(store, fika_web::Config::default());
    let (addr, _) = serve_with_metrics(state).await;
    assert_eq!(
        get(addr, "/readyz").await,
        (StatusCode::OK, "ready".to_owned())
    );
    relay.cut();
    let (status, why) = get(addr, "/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{why}");
    assert!(
        why == "not ready: the database does not answer"
            || why == "not ready: the database did not answer within 2 s",
        "{why}"
    );
    // The process is up, and says so without the database: not even a session cookie
    // makes it look one up.
    let r = plain()
        .get(format!("http://{addr}/healthz"))
        .header("cookie", format!("fika_session={}", "ab".repeat(32)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "ok");
    // Clean up the schema directly.
    let base = url.split('?').next().unwrap().to_owned();
    tokio::task::spawn_blocking(move || {
        let mut c = postgres::Client::connect(&base, postgres::NoTls).unwrap();
        c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
            .unwrap();
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn metrics_count_by_route_template_and_carry_no_personal_data() {
    for app in spawn_apps("metrics_count_by_route_template_and_carry_no_personal_data").await {
        let b = app.backend;
        let fresh = scrape(app.metrics).await;
        for reason in ["wrong_password", "limited", "too_many_checks"] {
            assert_eq!(
                value(
                    &fresh,
                    &format!("fika_sign_in_refusals_total{{reason=\"{reason}\"}}")
                ),
                Some(0.0),
                "{b}: every reason is there from the start\n{fresh}"
            );
        }

        let c = signed_in(&app, "coach1").await;
        for path in [
            "/participants/A1",
            "/participants/A3",
            "/participants/A1",
            "/no-such-page/A1-zz9",
        ] {
            c.get(path).await;
        }
        let r = c.post("/participants/A1/steps/S-A1a/done", &[]).await;
        assert!(r.status().is_redirection() || r.status().is_success());
        let mut wrong = client(&app);
        assert_eq!(
            wrong.try_login("coach2", "not the password").await,
            StatusCode::UNAUTHORIZED
        );
        // The metrics are not on the app's address, and only `/metrics` is on theirs.
        assert_eq!(get(app.addr, "/metrics").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get(app.metrics, "/healthz").await.0, StatusCode::NOT_FOUND);

        let s = scrape(app.metrics).await;
        let route = r#"route="/participants/{id}",method="GET",status="2xx""#;
        for line in [
            format!("fika_http_requests_total{{{route}}} 3"),
            format!("fika_http_request_duration_seconds_count{{{route}}} 3"),
            format!("fika_http_request_duration_seconds_bucket{{{route},le=\"+Inf\"}} 3"),
            r#"fika_http_requests_total{route="/participants/{id}/steps/{step}/done",method="POST",status="3xx"} 1"#.to_owned(),
            r#"fika_http_requests_total{route="unmatched",method="GET",status="4xx"} 2"#.to_owned(),
            r#"fika_http_requests_total{route="/login",method="POST",status="4xx"} 1"#.to_owned(),
            r#"fika_http_requests_total{route="/login",method="POST",status="3xx"} 1"#.to_owned(),
            r#"fika_sign_in_refusals_total{reason="wrong_password"} 1"#.to_owned(),
            r#"fika_sign_in_refusals_total{reason="limited"} 0"#.to_owned(),
            r#"fika_sign_in_refusals_total{reason="too_many_checks"} 0"#.to_owned(),
            "fika_password_checks_in_flight 0".to_owned(),
            "fika_password_checks_waiting 0".to_owned(),
            // By default half the cores, at least one.
            format!(
                "fika_password_checks_max {}",
                std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1))
            ),
            format!("fika_db_connections{{backend=\"{b}\",state=\"in_use\"}} 0"),
            format!("fika_db_connections_max_idle{{backend=\"{b}\"}} 32"),
        ] {
            assert!(
                s.lines().any(|l| l == line),
                "{b}: no line {line:?} in\n{s}"
            );
        }
        let idle = value(
            &s,
            &format!("fika_db_connections{{backend=\"{b}\",state=\"idle\"}}"),
        );
        assert!(
            idle.is_some_and(|n| n >= 1.0),
            "{b}: reads left a connection idle\n{s}"
        );

        // The buckets of every series count up to its count.
        let mut last: Option<(String, f64)> = None;
        for l in s.lines() {
            let Some(rest) = l.strip_prefix("fika_http_request_duration_seconds_bucket{") else {
                continue;
            };
            let (labels, n) = rest.rsplit_once("} ").unwrap();
            let series = labels.split(",le=").next().unwrap().to_owned();
            let n: f64 = n.parse().unwrap();
            if let Some((prev, m)) = &last
                && *prev == series
            {
                assert!(n >= *m, "{b}: buckets go down in {l}");
            }
            last = Some((series, n));
        }

        // Nothing that names anyone, anywhere: no participant or step ID, name, user name or
        // address. Every sample line is a metric name, known labels and a number.
        for personal in [
            "A1",
            "A3",
            "A1-zz9",
            "S-A1a",
            "Amal",
            "Aron",
            "coach1",
            "coach2",
            "127.0.0.1",
        ] {
            assert!(
                !s.contains(personal),
                "{b}: {personal:?} in the metrics\n{s}"
            );
        }
        for l in s.lines().filter(|l| !l.starts_with('#')) {
            let (series, n) = l.rsplit_once(' ').unwrap();
            assert!(n.parse::<f64>().is_ok(), "{l}");
            assert!(series.starts_with("fika_"), "{l}");
            if let Some((_, labels)) = series.split_once('{') {
                for pair in labels.trim_end_matches('}').split("\",") {
                    let name = pair.split('=').next().unwrap();
                    assert!(
                        [
                            "route", "method", "status", "le", "backend", "state", "reason"
                        ]
                        .contains(&name),
                        "{l}"
                    );
                }
            }
        }
    }
}

/// The session cookie a sign-in answer sets, as `name=value`.
fn session_of(r: &reqwest::Response) -> String {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("fika_session="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .expect("a session cookie")
}

/// Requests sent by hand with one session cookie, to whichever server is named.
struct Browser {
    http: reqwest::Client,
    cookie: String,
    csrf: String,
}

impl Browser {
    async fn get(&self, at: SocketAddr, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("http://{at}{path}"))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn post(&self, at: SocketAddr, path: &str, form: &[(&str, &str)]) -> StatusCode {
        let mut form = form.to_vec();
        form.push(("csrf", &self.csrf));
        self.http
            .post(format!("http://{at}{path}"))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .unwrap()
            .status()
    }
}

/// A sign-in form fetched from `form_from`, sent to `post_to`; the answer.
async fn sign_in(
    form_from: SocketAddr,
    post_to: SocketAddr,
    login: &str,
    password: &str,
) -> reqwest::Response {
    let page = plain()
        .get(format!("http://{form_from}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf_of(&page).unwrap();
    plain()
        .post(format!("http://{post_to}/login"))
        .header("cookie", format!("fika_login={token}"))
        .form(&[("login", login), ("password", password), ("csrf", &token)])
        .send()
        .await
        .unwrap()
}

/// A participant page's timeline.
fn timeline(page: &str) -> String {
    let start = page.find("<ol class=\"timeline\">").expect("a timeline");
    let end = start + page[start..].find("</ol>").unwrap();
    page[start..end].to_owned()
}

/// Two servers as two `fika serve` processes behind a load balancer would be: each with its
/// own store (its own connection pool), keys, password checks and metrics, on one
/// PostgreSQL schema. Requests alternate between them; nothing a server keeps in memory may
/// matter.
#[tokio::test]
async fn two_servers_on_one_postgresql_share_sessions_limits_and_writes() {
    let Some(app) = spawn_postgres(
        "two_servers_on_one_postgresql_share_sessions_limits_and_writes",
        fika_web::Config::default(),
    )
    .await
    else {
        return;
    };
    let url = app.url.clone();
    let store_b: Arc<dyn fika_store::Store> =
        tokio::task::spawn_blocking(move || fika_store::open(&url).unwrap().into())
            .await
            .unwrap();
    let mut state_b = fika_web::AppState::new(store_b, fika_web::Config::default());
    state_b.clock = app.clock.clone();
    let (b, b_metrics) = serve_with_metrics(state_b).await;
    let a = app.addr;
    let meetings_before = meetings(&app).await;
    let audit_before = audit(&app).await.len();

    // A sign-in form from A is accepted by B (the key that signs it is the database's),
    // and the session made on B works on A.
    let r = sign_in(a, b, "coach1", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut browser = Browser {
        http: plain(),
        cookie: session_of(&r),
        csrf: String::new(),
    };
    let (status, day) = browser.get(a, "/day").await;
    assert_eq!(status, StatusCode::OK, "the session made on B works on A");
    browser.csrf = csrf_of(&day).unwrap();
    assert_eq!(browser.get(b, "/day").await.0, StatusCode::OK);

    let mut timelines = Vec::new();
    for who in ["A1", "A3"] {
        let page = browser.get(a, &format!("/participants/{who}")).await.1;
        timelines.push((who, timeline(&page)));
    }

    // Meetings recorded alternately through A and B, with the CSRF token A's page gave:
    // every one is there.
    for i in 0..6 {
        let (server, who) = if i % 2 == 0 { (a, "A1") } else { (b, "A3") };
        let status = browser
            .post(
                server,
                &format!("/participants/{who}/meeting"),
                &[("place", "cafe"), ("minutes", "30")],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "meeting {i}");
    }
    assert_eq!(meetings(&app).await, meetings_before + 6);
    let audit_rows = audit(&app).await;
    assert!(
        audit_rows[audit_before..]
            .iter()
            .filter(|(_, action, _)| action.contains("meeting"))
            .count()
            >= 6,
        "each meeting with its audit row: {:?}",
        &audit_rows[audit_before..]
    );
    // What B wrote, A shows, and the other way round: both servers show each participant's
    // timeline alike, three meetings longer than before.
    for (who, before) in &timelines {
        let on_a = timeline(&browser.get(a, &format!("/participants/{who}")).await.1);
        let on_b = timeline(&browser.get(b, &format!("/participants/{who}")).await.1);
        assert_eq!(on_a, on_b, "{who}");
        assert_eq!(
            on_a.matches("<li>").count(),
            before.matches("<li>").count() + 3,
            "{who}: {on_a}"
        );
    }

    // Sign-in limits hold across both: failed attempts on A count on B.
    let mut statuses = Vec::new();
    for i in 0..8 {
        let (form, to) = if i % 2 == 0 { (a, a) } else { (b, b) };
        statuses.push(
            sign_in(form, to, "coach2", "not the password")
                .await
                .status(),
        );
    }
    let limit = fika_web::Config::default().login_max_failures as usize;
    assert_eq!(
        statuses,
        [
            vec![StatusCode::UNAUTHORIZED; limit],
            vec![StatusCode::TOO_MANY_REQUESTS; 8 - limit]
        ]
        .concat()
    );
    // Each server counted its own refusals; together they are every attempt.
    let (ma, mb) = (scrape(app.metrics).await, scrape(b_metrics).await);
    let sum = |reason: &str| {
        let series = format!("fika_sign_in_refusals_total{{reason=\"{reason}\"}}");
        value(&ma, &series).unwrap() + value(&mb, &series).unwrap()
    };
    assert_eq!(
        (sum("wrong_password"), sum("limited")),
        (limit as f64, (8 - limit) as f64)
    );

    // Signing out on A ends the session on B.
    assert_eq!(browser.post(a, "/logout", &[]).await, StatusCode::SEE_OTHER);
    let (status, _) = browser.get(b, "/day").await;
    assert!(
        status.is_redirection(),
        "{status}: the session ended everywhere"
    );
}
