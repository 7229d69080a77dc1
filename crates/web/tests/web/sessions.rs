//! Sessions, CSRF, security headers, rate limiting, and all-or-nothing writes.

use std::time::Duration as StdDuration;

use chrono::Duration;
use reqwest::StatusCode;

use super::helpers::*;

fn goes_to_login(r: &reqwest::Response) -> bool {
    r.status() == StatusCode::SEE_OTHER && r.headers()["location"] == "/login"
}

#[tokio::test]
async fn a_session_ends_after_30_idle_minutes() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(c.get("/day").await.status(), StatusCode::OK);
    // Each request restarts the idle time.
    app.clock.advance(Duration::minutes(29));
    assert_eq!(c.get("/day").await.status(), StatusCode::OK);
    app.clock.advance(Duration::minutes(30));
    assert!(goes_to_login(&c.get("/day").await));
    // And it is gone for good.
    app.clock.advance(Duration::minutes(-30));
    assert!(goes_to_login(&c.get("/day").await));
}

#[tokio::test]
async fn the_idle_time_restarts_at_most_once_a_minute_and_never_runs_long() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    // A request within the minute after the last-seen time does not move it (no write per
    // page), so the idle timeout may end a session up to a minute early, never late.
    app.clock.advance(Duration::seconds(30));
    assert_eq!(c.get("/day").await.status(), StatusCode::OK);
    app.clock
        .advance(Duration::minutes(29) + Duration::seconds(45));
    assert!(goes_to_login(&c.get("/day").await));

    // A request a minute or more after it restarts the idle time.
    let c = signed_in(&app, "coach1").await;
    app.clock.advance(Duration::seconds(61));
    assert_eq!(c.get("/day").await.status(), StatusCode::OK);
    app.clock
        .advance(Duration::minutes(29) + Duration::seconds(45));
    assert_eq!(c.get("/day").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_session_ends_12_hours_after_sign_in_however_busy() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    for _ in 0..28 {
        app.clock.advance(Duration::minutes(25));
        assert_eq!(c.get("/day").await.status(), StatusCode::OK);
    }
    // 11 h 40 min so far.
    app.clock.advance(Duration::minutes(20));
    assert!(goes_to_login(&c.get("/day").await));
}

#[tokio::test]
async fn timeouts_are_configurable() {
    let app = spawn_with(fika_web::Config {
        idle_timeout: StdDuration::from_secs(60),
        ..Default::default()
    })
    .await;
    let c = signed_in(&app, "coach1").await;
    app.clock.advance(Duration::seconds(61));
    assert!(goes_to_login(&c.get("/day").await));
}

#[tokio::test]
async fn sign_out_ends_the_session_even_for_a_copied_cookie() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    assert_eq!(c.get("/day").await.status(), StatusCode::OK);
    let r = c.post("/logout", &[]).await;
    assert!(goes_to_login(&r));
    let set = r.headers()["set-cookie"].to_str().unwrap();
    assert!(set.contains("Max-Age=0"), "{set}");
    assert!(goes_to_login(&c.get("/day").await));
}

#[tokio::test]
async fn a_stolen_session_cookie_is_useless_after_sign_out() {
    let app = spawn_app().await;
    let mut c = client(&app);
    let (_, page) = c.text("/login").await;
    let token = csrf_of(&page).unwrap();
    let r = c
        .post_raw(
            "/login",
            &[
                ("login", "coach1"),
                ("password", PASSWORD),
                ("csrf", &token),
            ],
        )
        .await;
    let set = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "not over TLS here");
    let secret = set.split(';').next().unwrap().to_owned();
    c.refresh_csrf().await;
    let thief = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let day = format!("{}/day", c.base);
    assert_eq!(
        thief
            .get(&day)
            .header("cookie", &secret)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    c.post("/logout", &[]).await;
    let r = thief
        .get(&day)
        .header("cookie", &secret)
        .send()
        .await
        .unwrap();
    assert!(goes_to_login(&r));
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let app = spawn_with(fika_web::Config {
        secure_cookies: true,
        ..Default::default()
    })
    .await;
    let c = client(&app);
    let r = c.get("/login").await;
    let set = r.headers()["set-cookie"].to_str().unwrap();
    assert!(set.contains("Secure"), "{set}");
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_stops_sign_in() {
    for app in spawn_apps("disabling_a_user_ends_their_sessions_and_stops_sign_in").await {
        let coach = signed_in(&app, "coach1").await;
        let admin = signed_in(&app, "admin").await;
        let r = admin.post("/admin/users/U-coach1/disable", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(goes_to_login(&coach.get("/day").await));
        let mut again = client(&app);
        assert_eq!(
            again.try_login("coach1", PASSWORD).await,
            StatusCode::UNAUTHORIZED
        );
        admin.post("/admin/users/U-coach1/enable", &[]).await;
        assert_eq!(
            again.try_login("coach1", PASSWORD).await,
            StatusCode::SEE_OTHER
        );
    }
}

#[tokio::test]
async fn a_post_without_the_right_csrf_token_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    let before = (audit(&app).await.len(), meetings(&app).await);
    let form = [("place", "cafe"), ("minutes", "30")];
    let r = c.post_raw("/participants/A1/meeting", &form).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post_raw(
            "/participants/A1/meeting",
            &[("place", "cafe"), ("minutes", "30"), ("csrf", "0000")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .http
        .post(format!("{}/participants/A1/meeting", c.base))
        .header("x-csrf-token", "wrong")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!((audit(&app).await.len(), meetings(&app).await), before);
    // The header htmx sends is accepted.
    let r = c
        .http
        .post(format!("{}/participants/A1/meeting", c.base))
        .header("x-csrf-token", &c.csrf)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Sign-in itself needs the token of its form.
    let fresh = client(&app);
    let r = fresh
        .post_raw(
            "/login",
            &[("login", "coach1"), ("password", PASSWORD), ("csrf", "x")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn security_headers_on_every_route() {
    let app = spawn_app().await;
    let anon = client(&app);
    let coach = signed_in(&app, "coach1").await;
    let lead = signed_in(&app, "lead1").await;
    let admin = signed_in(&app, "admin").await;
    let paths = [
        "/",
        "/login",
        "/day",
        "/program",
        "/evaluation",
        "/employers",
        "/participants/A1",
        "/participants/A1/meeting",
        "/admin/users",
        "/assets/fika.css",
        "/assets/htmx.min.js",
        "/nowhere",
    ];
    for c in [&anon, &coach, &lead, &admin] {
        for p in paths {
            let r = c.get(p).await;
            let h = r.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(
                csp.starts_with("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
                "{p}"
            );
            assert!(!csp.contains("unsafe-inline"), "{p}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{p}");
            assert_eq!(h["referrer-policy"], "no-referrer", "{p}");
            assert!(
                h.get("strict-transport-security").is_none(),
                "not over TLS here"
            );
            if !p.starts_with("/assets/") {
                assert_eq!(h["cache-control"], "no-store", "{p}");
            }
        }
    }
    // A POST's answer too.
    let r = coach
        .post("/participants/A1/benefits", &[("status", "offered")])
        .await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    // No inline script anywhere: every <script> has a src.
    let (_, page) = coach.text("/participants/A1").await;
    assert!(!page.contains("<script>") && !page.contains("style=\""));
}

#[tokio::test]
async fn five_failed_sign_ins_lock_the_account_for_15_minutes() {
    let app = spawn_app().await;
    let mut c = client(&app);
    for _ in 0..5 {
        assert_eq!(
            c.try_login("coach1", "wrong password").await,
            StatusCode::UNAUTHORIZED
        );
    }
    // Even the right password is refused now.
    assert_eq!(
        c.try_login("coach1", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    app.clock.advance(Duration::minutes(16));
    assert_eq!(c.try_login("coach1", PASSWORD).await, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn five_failed_sign_ins_from_one_address_lock_that_address() {
    let app = spawn_app().await;
    let mut c = client(&app);
    for name in ["a", "b", "c", "d", "e"] {
        assert_eq!(c.try_login(name, "guess").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        c.try_login("coach2", PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_write_that_fails_leaves_neither_data_nor_audit_row() {
    for app in spawn_apps("a_write_that_fails_leaves_neither_data_nor_audit_row").await {
        let c = signed_in(&app, "coach1").await;
        let before = (audit(&app).await, meetings(&app).await);
        // Ticking off another participant's step fails after the meeting was written.
        let r = c
            .post(
                "/participants/A1/meeting",
                &[
                    ("place", "cafe"),
                    ("minutes", "30"),
                    ("step0_text", "Ring"),
                    ("done", "S-A2"),
                ],
            )
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        // A meeting before the enrolment.
        let r = c
            .post(
                "/participants/A1/meeting",
                &[("place", "cafe"), ("minutes", "30"), ("date", "2025-01-01")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("outside the participant's time in the program"),
            "{page}"
        );
        // The form is shown again, which reads the record (one `participant.read` each);
        // nothing of the refused writes is left.
        let (rows, n) = (audit(&app).await, meetings(&app).await);
        let read = (
            "U-coach1".to_owned(),
            "participant.read".to_owned(),
            Some("A1".to_owned()),
        );
        assert_eq!(rows[..before.0.len()], before.0[..], "{}", app.backend);
        assert_eq!(
            rows[before.0.len()..],
            [read.clone(), read],
            "{}",
            app.backend
        );
        assert_eq!(n, before.1, "{}", app.backend);
    }
}

#[tokio::test]
async fn behind_a_proxy_the_limit_counts_the_forwarded_address() {
    let app = spawn_with(fika_web::Config {
        behind_proxy: true,
        ..Default::default()
    })
    .await;
    let c = client(&app);
    let attempt = |login: &'static str, password: &'static str, from: &'static str| {
        let c = &c;
        async move {
            let (_, page) = c.text("/login").await;
            let token = csrf_of(&page).unwrap();
            c.http
                .post(format!("{}/login", c.base))
                // A client may send its own header; the proxy appends the real address.
                .header("x-forwarded-for", format!("1.2.3.4, {from}"))
                .form(&[("login", login), ("password", password), ("csrf", &token)])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for name in ["a", "b", "c", "d", "e"] {
        assert_eq!(
            attempt(name, "guess", "10.0.0.1").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attempt("coach1", PASSWORD, "10.0.0.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        attempt("coach1", PASSWORD, "10.0.0.2").await,
        StatusCode::SEE_OTHER
    );
}
