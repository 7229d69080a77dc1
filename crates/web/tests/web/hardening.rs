//! What an attacker tried (issue 10), kept fixed: guesses sent at once, a storm of sign-ins,
//! slow and silent connections, forged sign-in tokens, open redirects, weak passwords, and
//! account changes that left no trace.

use std::time::Duration;

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::helpers::*;

/// A sign-in form's token and the client that fetched it (holding its cookie).
async fn login_form(c: &Client) -> String {
    let (_, page) = c.text("/login").await;
    csrf_of(&page).unwrap()
}

/// Posts the sign-in form with this token in both cookie and field, as a browser that
/// fetched the form once would (each answer sets a new cookie, which is not kept here).
async fn post_login(
    c: &Client,
    token: &str,
    login: &str,
    password: &str,
    from: &str,
) -> StatusCode {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/login", c.base))
        .header("cookie", format!("fika_login={token}"))
        .header("x-forwarded-for", from)
        .form(&[("login", login), ("password", password), ("csrf", token)])
        .send()
        .await
        .unwrap()
        .status()
}

fn tally(statuses: &[StatusCode]) -> (usize, usize, usize) {
    let n = |s: StatusCode| statuses.iter().filter(|x| **x == s).count();
    (
        n(StatusCode::UNAUTHORIZED),
        n(StatusCode::TOO_MANY_REQUESTS),
        n(StatusCode::SERVICE_UNAVAILABLE),
    )
}

fn config() -> fika_web::Config {
    fika_web::Config {
        behind_proxy: true,
        // Every guess waits for its check rather than being shed: this test is about counting.
        password_check_wait: Duration::from_secs(60),
        ..Default::default()
    }
}

#[tokio::test]
async fn guesses_sent_at_once_are_counted_before_the_password_is_checked() {
    for app in spawn_apps_with(
        "guesses_sent_at_once_are_counted_before_the_password_is_checked",
        config(),
    )
    .await
    {
        // 30 guesses at one account from one address, all at once.
        let c = client(&app);
        let token = login_form(&c).await;
        let guesses = (0..30).map(|i| {
            let (c, token) = (&c, &token);
            async move { post_login(c, token, "coach1", &format!("guess {i}"), "10.0.0.1").await }
        });
        let statuses = futures_join_all(guesses).await;
        let (wrong, refused, _) = tally(&statuses);
        assert_eq!((wrong, refused), (5, 25), "{} {statuses:?}", app.backend);
        // Even the right password is refused now.
        assert_eq!(
            post_login(&c, &token, "coach1", PASSWORD, "10.0.0.9").await,
            StatusCode::TOO_MANY_REQUESTS
        );

        // 30 guesses at one account from 30 addresses: the account's limit holds.
        let guesses = (0..30).map(|i| {
            let (c, token) = (&c, &token);
            async move { post_login(c, token, "coach2", "guess", &format!("10.1.0.{i}")).await }
        });
        let (wrong, refused, _) = tally(&futures_join_all(guesses).await);
        assert_eq!((wrong, refused), (5, 25), "{}", app.backend);

        // 30 guesses from one address at 30 accounts: the address's limit holds.
        let guesses = (0..30).map(|i| {
            let (c, token) = (&c, &token);
            async move { post_login(c, token, &format!("nobody{i}"), "guess", "10.2.0.1").await }
        });
        let (wrong, refused, _) = tally(&futures_join_all(guesses).await);
        assert_eq!((wrong, refused), (5, 25), "{}", app.backend);

        // A sign-in that succeeds does not count against the account.
        for _ in 0..6 {
            assert_eq!(
                post_login(&c, &token, "coach3", PASSWORD, "10.3.0.1").await,
                StatusCode::SEE_OTHER
            );
        }
    }
}

#[tokio::test]
async fn the_limit_holds_across_two_servers_on_one_database() {
    for app in spawn_apps_with(
        "the_limit_holds_across_two_servers_on_one_database",
        config(),
    )
    .await
    {
        let other = second_server(&app, config()).await;
        let (a, b) = (client(&app), client_at(other));
        let (ta, tb) = (login_form(&a).await, login_form(&b).await);
        let guesses = (0..20).map(|i| {
            let (c, t) = if i % 2 == 0 { (&a, &ta) } else { (&b, &tb) };
            async move { post_login(c, t, "coach1", "guess", "10.0.0.1").await }
        });
        let (wrong, refused, _) = tally(&futures_join_all(guesses).await);
        assert_eq!((wrong, refused), (5, 15), "{}", app.backend);
    }
}

#[tokio::test]
async fn password_checks_beyond_the_bound_are_shed_with_503() {
    let app = spawn_with(fika_web::Config {
        behind_proxy: true,
        password_checks: 1,
        password_check_wait: Duration::from_millis(1),
        ..Default::default()
    })
    .await;
    let c = client(&app);
    let token = login_form(&c).await;
    // Different accounts from different addresses: no limit applies, only the bound.
    let guesses = (0..12).map(|i| {
        let (c, token) = (&c, &token);
        async move {
            let r = reqwest::Client::new()
                .post(format!("{}/login", c.base))
                .header("cookie", format!("fika_login={token}"))
                .header("x-forwarded-for", format!("10.9.0.{i}"))
                .form(&[
                    ("login", format!("nobody{i}").as_str()),
                    ("password", "guess"),
                    ("csrf", token),
                ])
                .send()
                .await
                .unwrap();
            let retry = r.headers().get("retry-after").is_some();
            (r.status(), retry)
        }
    });
    let answers = futures_join_all(guesses).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|a| a.0).collect();
    let (wrong, refused, busy) = tally(&statuses);
    assert!(wrong >= 1 && busy >= 1 && refused == 0, "{statuses:?}");
    assert_eq!(wrong + busy, 12);
    assert!(
        answers
            .iter()
            .all(|(s, retry)| *s != StatusCode::SERVICE_UNAVAILABLE || *retry)
    );
    // A shed attempt was never checked, so it does not count: the right password works.
    let busy_login = statuses
        .iter()
        .position(|s| *s == StatusCode::SERVICE_UNAVAILABLE)
        .unwrap();
    let from = format!("10.9.0.{busy_login}");
    for _ in 0..5 {
        post_login(&c, &token, "coach1", "guess", &from).await;
    }
    // 5 failures from that address (not 6): the sixth is refused only now.
    assert_eq!(
        post_login(&c, &token, "coach2", PASSWORD, &from).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// Joins futures on this task (reqwest's requests run on the test's runtime).
async fn futures_join_all<F: std::future::Future>(
    fs: impl IntoIterator<Item = F>,
) -> Vec<F::Output> {
    let mut pending: Vec<_> = fs.into_iter().map(|f| Some(Box::pin(f))).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, f) in pending.iter_mut().enumerate() {
            if let Some(fut) = f {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *f = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    results.into_iter().map(Option::unwrap).collect()
}

fn short_limits() -> fika_web::Config {
    fika_web::Config {
        limits: fika_web::server::Limits {
            header_read_timeout: Duration::from_millis(500),
            request_timeout: Duration::from_millis(800),
            max_connections: 4,
            shutdown_grace: Duration::from_secs(1),
        },
        ..Default::default()
    }
}

/// Whether the server closes the connection within `within` (reads up to EOF).
async fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    tokio::time::timeout(within, async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn a_slow_header_connection_is_closed() {
    let app = spawn_with(short_limits()).await;
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    s.write_all(b"GET /login HTTP/1.1\r\nHost: fika\r\n")
        .await
        .unwrap();
    assert!(closed_within(&mut s, Duration::from_secs(5)).await);
    // A silent one too.
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    assert!(closed_within(&mut s, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let app = spawn_with(short_limits()).await;
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    s.write_all(b"GET /login HTTP/1.1\r\nHost: fika\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 256];
    let n = s.read(&mut buf).await.unwrap();
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    assert!(closed_within(&mut s, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn a_half_sent_body_is_answered_within_the_request_timeout() {
    let app = spawn_with(fika_web::Config {
        limits: fika_web::server::Limits {
            header_read_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_millis(800),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let mut s = TcpStream::connect(app.addr).await.unwrap();
    s.write_all(
        b"POST /login HTTP/1.1\r\nHost: fika\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nlogin=a",
    )
    .await
    .unwrap();
    let mut buf = [0u8; 256];
    let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
        .await
        .expect("an answer within the request timeout")
        .unwrap();
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 503"),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    assert!(closed_within(&mut s, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn connections_past_the_cap_wait_for_one_to_close() {
    let app = spawn_with(fika_web::Config {
        limits: fika_web::server::Limits {
            header_read_timeout: Duration::from_secs(2),
            max_connections: 2,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let _held: Vec<TcpStream> = vec![
        TcpStream::connect(app.addr).await.unwrap(),
        TcpStream::connect(app.addr).await.unwrap(),
    ];
    tokio::time::sleep(Duration::from_millis(100)).await;
    let c = client(&app);
    let started = std::time::Instant::now();
    let r = c.get("/login").await;
    assert_eq!(r.status(), StatusCode::OK);
    // Served only once the held connections were closed by their header timeout.
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_sign_in_token_the_server_did_not_make_is_refused() {
    for app in spawn_apps("a_sign_in_token_the_server_did_not_make_is_refused").await {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let forged = |token: &'static str| {
            let http = &http;
            let url = format!("http://{}/login", app.addr);
            async move {
                http.post(url)
                    .header("cookie", format!("fika_login={token}"))
                    .form(&[("login", "coach1"), ("password", PASSWORD), ("csrf", token)])
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(
            forged("abc").await,
            StatusCode::FORBIDDEN,
            "{}",
            app.backend
        );
        let fake =
            "0000000000000000000000000000000000000000000000000000000000000000.99999999999.00";
        assert_eq!(forged(fake).await, StatusCode::FORBIDDEN);
        // A real token works, on this server and on another one on the same database.
        let mut c = client(&app);
        assert_eq!(c.try_login("coach1", PASSWORD).await, StatusCode::SEE_OTHER);
        let other = second_server(&app, fika_web::Config::default()).await;
        let b = client_at(other);
        let (_, page) = c.text("/login").await;
        let token = csrf_of(&page).unwrap();
        let r = b
            .http
            .post(format!("{}/login", b.base))
            .header("cookie", format!("fika_login={token}"))
            .form(&[
                ("login", "coach2"),
                ("password", PASSWORD),
                ("csrf", &token),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.backend);
        // A token of another database is not: it was signed with another key.
        let elsewhere = spawn_app().await;
        let e = client(&elsewhere);
        let (_, page) = e.text("/login").await;
        let foreign = csrf_of(&page).unwrap();
        let r = b
            .http
            .post(format!("{}/login", b.base))
            .header("cookie", format!("fika_login={foreign}"))
            .form(&[
                ("login", "coach2"),
                ("password", PASSWORD),
                ("csrf", &foreign),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // And a token expires after 12 hours.
        app.clock.advance(chrono::Duration::hours(13));
        let r = b
            .http
            .post(format!("{}/login", b.base))
            .header("cookie", format!("fika_login={token}"))
            .form(&[
                ("login", "coach2"),
                ("password", PASSWORD),
                ("csrf", &token),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_language_switch_returns_only_to_a_page_of_the_app() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    let back_to = |back: &'static str| {
        let c = &c;
        async move {
            let r = c
                .post("/language", &[("locale", "en"), ("back", back)])
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{back}");
            r.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    for bad in [
        "/\\evil.example",
        "//evil.example",
        "///evil.example",
        "https://evil.example",
        "http:evil.example",
        "evil.example",
        "/%5Cevil.example",
        "/%2F%2Fevil.example",
        "/\tevil",
        "/day/../..//evil",
        "/nowhere",
        "",
        "/?x=<script>",
    ] {
        assert_eq!(back_to(bad).await, "/", "{bad:?}");
    }
    for good in [
        "/",
        "/day",
        "/participants/A1",
        "/participants/A1/meeting",
        "/qual/Q1/codes/C-1",
        "/program?quarter=2026-Q1",
    ] {
        assert_eq!(back_to(good).await, good);
    }
}

#[tokio::test]
async fn new_passwords_follow_sp_800_63b_in_both_languages() {
    let app = spawn_app().await;
    let mut admin = signed_in(&app, "admin").await;
    async fn add(admin: &Client, password: String) -> (StatusCode, String) {
        {
            let r = admin
                .post(
                    "/admin/users",
                    &[
                        ("login", "newcoach9"),
                        ("role", "evaluator"),
                        ("password", &password),
                    ],
                )
                .await;
            (r.status(), r.text().await.unwrap())
        }
    }
    for (password, says) in [
        ("1234567890".to_owned(), "at least 12 characters"),
        ("password12".to_owned(), "at least 12 characters"),
        ("password1234".to_owned(), "most used"),
        ("123456789012".to_owned(), "most used"),
        (
            "my newcoach9 words".to_owned(),
            "must not contain the sign-in name",
        ),
        ("x".repeat(129), "at most 128 characters"),
        ("y".repeat(500_000), "at most 128 characters"),
    ] {
        let (status, page) = add(&admin, password.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            &password[..20.min(password.len())]
        );
        assert!(page.contains(says), "{says}: {page}");
    }
    admin
        .post("/language", &[("locale", "sv"), ("back", "/")])
        .await;
    admin.refresh_csrf().await;
    let (_, page) = add(&admin, "password1234".to_owned()).await;
    assert!(page.contains("hör till de mest använda"), "{page}");
    let (status, _) = add(&admin, "a walk by the river".to_owned()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut c = client(&app);
    assert_eq!(
        c.try_login("newcoach9", "a walk by the river").await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn every_account_change_is_audited() {
    for app in spawn_apps("every_account_change_is_audited").await {
        let admin = signed_in(&app, "admin").await;
        let before = audit(&app).await.len();
        let r = admin
            .post(
                "/admin/users",
                &[
                    ("login", "newcoach"),
                    ("role", "coach"),
                    ("coach", "C2"),
                    ("password", "a walk by the river"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        admin.post("/admin/users/U-coach1/disable", &[]).await;
        admin.post("/admin/users/U-coach1/enable", &[]).await;
        let rows = audit(&app).await;
        let new: Vec<(&str, &str)> = rows[before..]
            .iter()
            .map(|(who, action, p)| {
                assert_eq!(*p, None, "no participant in an account change");
                (who.as_str(), action.as_str())
            })
            .collect();
        assert_eq!(
            new,
            [
                ("U-admin", "user.add"),
                ("U-admin", "user.disable"),
                ("U-admin", "user.enable"),
            ],
            "{}",
            app.backend
        );
        // Nothing audited when nothing changed.
        let r = admin.post("/admin/users/U-nobody/disable", &[]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(audit(&app).await.len(), before + 3);
        // The command line's users are audited too.
        let log = {
            let store = app.store.clone();
            tokio::task::spawn_blocking(move || store.audit_log().unwrap())
                .await
                .unwrap()
        };
        assert!(log.iter().any(|r| r.who == "command-line"
            && r.action == "user.add"
            && r.detail.contains("U-coach1 coach1 role=coach coach=C1")));
        let added = log.iter().rev().find(|r| r.action == "user.add").unwrap();
        assert!(
            added.detail.contains("newcoach role=coach coach=C2"),
            "{}",
            added.detail
        );
        assert!(!added.detail.contains("river"));
    }
}
