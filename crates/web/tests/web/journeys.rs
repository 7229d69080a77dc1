//! A coach's day over HTTP: what each action changes on the pages.

use reqwest::StatusCode;

use super::helpers::*;

#[tokio::test]
async fn a_meeting_with_a_step_by_next_meeting_then_ticked_off_at_the_next() {
    for app in spawn_apps("a_meeting_with_a_step_by_next_meeting_then_ticked_off_at_the_next").await
    {
        let c = signed_in(&app, "coach1").await;
        let r = c
            .post(
                "/participants/A1/meeting",
                &[
                    ("place", "workplace"),
                    ("minutes", "45"),
                    ("note", "Visited the stables together"),
                    ("step0_text", "Send the application"),
                    ("step0_owner", "participant"),
                    ("step0_due", "next"),
                    ("next", "7"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.backend);
        let (_, day) = c.text("/day").await;
        assert!(day.contains("Send the application"));
        assert!(
            day.contains("2026-03-09"),
            "the next meeting and the step's due day"
        );
        // The next meeting: the form lists the open step to tick off.
        let (_, form) = c.text("/participants/A1/meeting").await;
        assert!(form.contains("Send the application"));
        let step = form
            .split("name=\"done\" value=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .find(|id| id.starts_with("S-") && !id.starts_with("S-A1"))
            .unwrap()
            .to_owned();
        app.clock.advance(chrono::Duration::days(7));
        let mut c = signed_in(&app, "coach1").await;
        c.refresh_csrf().await;
        let r = c
            .post(
                "/participants/A1/meeting",
                &[("place", "cafe"), ("minutes", "30"), ("done", &step)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, day) = c.text("/day").await;
        assert!(!day.contains("Send the application"));
        let (_, page) = c.text("/participants/A1").await;
        assert!(
            page.contains("Send the application"),
            "done steps stay in the timeline"
        );
    }
}

fn weekly(page: &str) -> String {
    let at = page.find("id=\"weekly-contacts\"").unwrap();
    page[at..]
        .split("<strong>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_employer_contact_moves_the_weekly_count() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    let (_, day) = c.text("/day").await;
    assert_eq!(weekly(&day), "0");
    assert!(
        day.contains("Amal"),
        "Amal has had no employer contact after 30 days"
    );
    let r = c
        .post(
            "/employers/contacts",
            &[
                ("employer", "E1"),
                ("face_to_face", "true"),
                ("purpose", "present_candidate"),
                ("participant", "A1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Not face to face: does not count.
    c.post(
        "/employers/contacts",
        &[("employer", "E1"), ("face_to_face", "false")],
    )
    .await;
    let (_, day) = c.text("/day").await;
    assert_eq!(weekly(&day), "1");
    let (_, employers) = c.text("/employers").await;
    assert_eq!(weekly(&employers), "1");
    assert!(employers.contains("Stall Ekbacken — Face to face, Present a job seeker · Amal"));
    assert!(employers.contains("Stall Ekbacken — Phone, mail or other"));
}

#[tokio::test]
async fn starting_a_job_brings_follow_along_reminders() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    let (_, day) = c.text("/day").await;
    assert!(!day.contains("Stable hand"));
    let r = c
        .post(
            "/participants/A1/jobs",
            &[
                ("kind", "competitive"),
                ("title", "Stable hand"),
                ("employer", "E1"),
                ("started_on", "2026-03-05"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, day) = c.text("/day").await;
    assert!(day.contains("Stable hand") && day.contains("starts a job on 2026-03-05"));
    app.clock.advance(chrono::Duration::days(4));
    let c = signed_in(&app, "coach1").await;
    let (_, day) = c.text("/day").await;
    assert!(day.contains("started on 2026-03-05: check in within 3 days"));
    // A paid job needs an employer, and fika says so in the coach's words.
    let r = c
        .post(
            "/participants/A1/jobs",
            &[("kind", "competitive"), ("title", "Groom")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("needs its employer"));
    let mut c = c;
    c.post("/language", &[("locale", "sv")]).await;
    c.refresh_csrf().await;
    let r = c
        .post(
            "/participants/A1/jobs",
            &[("kind", "competitive"), ("title", "Groom")],
        )
        .await;
    assert!(r.text().await.unwrap().contains("behöver sin arbetsgivare"));
}

/// Words that would betray an untranslated English text on a Swedish page.
const ENGLISH: &[&str] = &[
    "Meeting",
    "meeting",
    "Sign out",
    "Save",
    "Employer",
    "Open next",
    "Overdue",
    "Timeline",
    "Where",
    "How long",
    "Next step",
    "days since",
    "My day",
    "Participant",
    "week",
];

#[tokio::test]
async fn in_swedish_no_english_is_left() {
    let app = spawn_app().await;
    let mut c = signed_in(&app, "coach1").await;
    c.post(
        "/participants/A1/jobs",
        &[
            ("kind", "placement"),
            ("title", "Praktik i stallet"),
            ("started_on", "2026-03-04"),
        ],
    )
    .await;
    let r = c
        .post("/language", &[("locale", "sv"), ("back", "/day")])
        .await;
    assert_eq!(r.headers()["location"], "/day");
    c.refresh_csrf().await;
    for p in [
        "/day",
        "/participants/A1",
        "/participants/A1/meeting",
        "/employers",
    ] {
        let (status, page) = c.text(p).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("lang=\"sv\""));
        let text = visible_text(&page);
        for w in ENGLISH {
            assert!(!text.contains(w), "{p}: {w:?} in {text}");
        }
    }
}

/// The text of a page without tags, attributes, and the language switch (which names English).
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("English", "")
}

#[tokio::test]
async fn a_step_ticked_off_with_htmx_returns_only_its_line() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    let r = c
        .http
        .post(format!("{}/participants/A1/steps/S-A1b/done", c.base))
        .header("hx-request", "true")
        .header("x-csrf-token", &c.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.text().await.unwrap(),
        "<li class=\"done\">Marked as done.</li>"
    );
    let (_, page) = c.text("/participants/A1").await;
    let open = page
        .split("id=\"h-open\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(!open.contains("Ask about hours"));
    // Twice is not found: it is no longer open.
    let r = c.post("/participants/A1/steps/S-A1b/done", &[]).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn goals_in_their_own_words_stand_at_the_top() {
    let app = spawn_app().await;
    let c = signed_in(&app, "coach1").await;
    let r = c
        .post(
            "/participants/A1/goals",
            &[("text", "Work with horses, mornings")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = c.text("/participants/A1").await;
    let goals = page.find("Work with horses, mornings").unwrap();
    assert!(goals < page.find("id=\"h-open\"").unwrap());
    assert!(!page.to_lowercase().contains("diagnos"));
}

#[tokio::test]
async fn a_new_participant_joins_the_caseload_with_their_goal() {
    for app in spawn_apps("a_new_participant_joins_the_caseload_with_their_goal").await {
        let c = signed_in(&app, "coach1").await;
        let r = c
            .post(
                "/participants/new",
                &[
                    ("name", "Dana"),
                    ("referral_source", "family"),
                    ("goal", "Work in a bakery"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.backend);
        let to = r.headers()["location"].to_str().unwrap().to_owned();
        let (status, page) = c.text(&to).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Dana") && page.contains("Work in a bakery"));
        let (_, day) = c.text("/day").await;
        assert!(day.contains("Dana") && day.contains("<strong>3</strong> / 20"));
        // Another coach does not see Dana.
        let other = signed_in(&app, "coach2").await;
        assert_eq!(other.get(&to).await.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn errors_are_said_in_the_users_language() {
    let app = spawn_app().await;
    let mut c = signed_in(&app, "coach1").await;
    let (status, page) = c.text("/participants/B1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("not within your caseload") && !page.contains("Hittades"));
    c.post("/language", &[("locale", "sv")]).await;
    c.refresh_csrf().await;
    let (_, page) = c.text("/admin/users").await;
    assert!(page.contains("ingår inte i din roll") && page.contains("lang=\"sv\""));
    assert!(!page.contains("not part of your role"));
}

#[tokio::test]
async fn an_evaluator_sees_fidelity_figures_and_no_names() {
    for app in spawn_apps("an_evaluator_sees_fidelity_figures_and_no_names").await {
        let c = signed_in(&app, "evaluator").await;
        let (status, page) = c.text("/evaluation?program=P1").await;
        assert_eq!(status, StatusCode::OK, "{}", app.backend);
        assert!(
            page.contains("Göteborg IPS")
                && page.contains("S1")
                && page.contains("V4 Rapid job search")
        );
        for name in ["Amal", "Alva", "Aron", "Bertil", "animals"] {
            assert!(!page.contains(name), "{name}");
        }
        assert_eq!(
            c.get("/evaluation?program=P9").await.status(),
            StatusCode::NOT_FOUND
        );
        assert!(
            audit(&app)
                .await
                .iter()
                .all(|(who, _, _)| who != "U-evaluator")
        );
    }
}
