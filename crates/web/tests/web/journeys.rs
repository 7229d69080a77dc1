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
        // S1's caseloads drawn against 20, with the same numbers in a table beside.
        assert!(page.contains("<desc id=\"caseloads-desc\">"), "{page}");
        assert!(page.contains("class=\"chart-pair\""));
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

/// The number on the day's caseload figure.
fn caseload(day: &str) -> String {
    let at = day.find("class=\"figure").unwrap();
    day[at..]
        .split("<strong>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

/// A refused form says what to change in the user's language, naming the field or the value
/// where it matters, and never in the other language.
#[tokio::test]
async fn refused_forms_are_said_in_the_users_language() {
    // (what, path, form, English, Swedish)
    type Refusal<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Refusal] = &[
        (
            "a meeting without a place",
            "/participants/A1/meeting",
            &[("minutes", "30")],
            "Choose where you met.",
            "Välj var ni träffades.",
        ),
        (
            "a meeting of no minutes",
            "/participants/A1/meeting",
            &[("place", "cafe"), ("minutes", "0")],
            "A meeting lasts 1 to 1440 whole minutes; “0” is not.",
            "Ett möte varar 1 till 1440 hela minuter; ”0” gör det inte.",
        ),
        (
            "a step due before the meeting (a rule within the record)",
            "/participants/A1/meeting",
            &[
                ("place", "cafe"),
                ("minutes", "30"),
                ("step0_text", "Ring"),
                ("step0_due", "date"),
                ("step0_date", "2026-03-01"),
            ],
            "A step is due on or after the day it was agreed.",
            "Ett steg ska vara klart samma dag som det bestämdes eller senare.",
        ),
        (
            "a date that is not one",
            "/participants/A1/next-meeting",
            &[("date", "2026-13-01")],
            "“2026-13-01” is not a date.",
            "”2026-13-01” är inget datum.",
        ),
        (
            "hours per week below zero",
            "/participants/A1/jobs",
            &[
                ("kind", "placement"),
                ("title", "Stable hand"),
                ("hours_per_week", "-3"),
            ],
            "Hours per week is a number above 0 and at most 168, e.g. 20 or 7.5; “-3” is not.",
            "Timmar per vecka är ett tal över 0 och högst 168, t.ex. 20 eller 7.5; ”-3” är det inte.",
        ),
        (
            "a kind of job that is not a choice, by its field",
            "/participants/A1/jobs",
            &[("kind", "astronaut"), ("title", "Moon")],
            "Kind: “astronaut” is not one of the choices.",
            "Slag: ”astronaut” är inte ett av valen.",
        ),
        (
            "a job without a title",
            "/participants/A1/jobs",
            &[("kind", "placement")],
            "Give the job or step a title.",
            "Ge jobbet eller steget en benämning.",
        ),
        (
            "an employer outside the register",
            "/employers/contacts",
            &[("employer", "E-none"), ("face_to_face", "true")],
            "Choose an employer from the register",
            "Välj en arbetsgivare i registret",
        ),
        (
            "an exit before the enrolment",
            "/participants/A1/exit",
            &[("exited_on", "2025-12-31"), ("exit_reason", "moved")],
            "The last day in the program is on or after the day they joined.",
            "Sista dagen i programmet är samma dag som personen började eller senare.",
        ),
        (
            "an exit before the last meeting",
            "/participants/A1/exit",
            &[("exited_on", "2026-02-09"), ("exit_reason", "moved")],
            "There is a meeting after that day.",
            "Det finns ett möte efter den dagen.",
        ),
        (
            "an exit without a reason",
            "/participants/A1/exit",
            &[],
            "Choose why they leave the program.",
            "Välj varför personen lämnar programmet.",
        ),
        (
            "an undo without an exit",
            "/participants/A1/reopen",
            &[],
            "They have not left the program",
            "Personen har inte lämnat programmet",
        ),
    ];
    for app in spawn_apps("refused_forms_are_said_in_the_users_language").await {
        for (locale, heading) in [("en", "Nothing was saved."), ("sv", "Inget sparades.")] {
            let mut c = signed_in(&app, "coach1").await;
            c.post("/language", &[("locale", locale)]).await;
            c.refresh_csrf().await;
            for (what, path, form, en, sv) in cases {
                let before = audit(&app).await.len();
                let r = c.post(path, form).await;
                let status = r.status();
                let page = r.text().await.unwrap();
                assert_eq!(
                    status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{}: {locale}: {what}: {page}",
                    app.backend
                );
                let (said, not) = if locale == "en" { (en, sv) } else { (sv, en) };
                assert!(
                    page.contains(said) && page.contains(heading),
                    "{locale}: {what}: {page}"
                );
                assert!(!page.contains(not), "{locale}: {what}: {page}");
                assert!(page.contains(&format!("lang=\"{locale}\"")));
                // Nothing written: a form shown again reads the record (and says so).
                let added = audit(&app).await;
                assert!(
                    added[before..].iter().all(|r| r.1 == "participant.read"),
                    "{what}: nothing but reads audited: {:?}",
                    &added[before..]
                );
            }
        }
    }
}

#[tokio::test]
async fn an_exit_ends_the_time_on_the_caseload_and_can_be_undone() {
    for app in spawn_apps("an_exit_ends_the_time_on_the_caseload_and_can_be_undone").await {
        let c = signed_in(&app, "coach1").await;
        let (_, day) = c.text("/day").await;
        let on_caseload = caseload(&day);
        let (_, page) = c.text("/participants/A1").await;
        for reason in [
            "participant_choice",
            "stepped_down",
            "moved",
            "deceased",
            "other",
        ] {
            assert!(
                page.contains(&format!("name=\"exit_reason\" value=\"{reason}\"")),
                "{reason}"
            );
        }
        assert!(
            !page.contains("value=\"missed"),
            "no reason for missed appointments"
        );
        let before = audit(&app).await.len();
        let r = c
            .post(
                "/participants/A1/exit",
                &[("exited_on", ""), ("exit_reason", "participant_choice")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", app.backend);
        assert_eq!(
            audit(&app).await[before..],
            [(
                "U-coach1".to_owned(),
                "participant.exit".to_owned(),
                Some("A1".to_owned())
            )]
        );
        let (_, page) = c.text("/participants/A1").await;
        assert!(page.contains("Left the program on 2026-03-02: Their own choice"));
        assert!(page.contains("/participants/A1/reopen"));
        // Today is their last day; from tomorrow they are off the day and the count.
        let (_, day) = c.text("/day").await;
        assert!(day.contains("Amal"));
        app.clock.advance(chrono::Duration::days(1));
        let c = signed_in(&app, "coach1").await;
        let (_, day) = c.text("/day").await;
        assert!(!day.contains("Amal"), "{day}");
        assert_eq!(
            caseload(&day),
            (on_caseload.parse::<u32>().unwrap() - 1).to_string()
        );
        // Recorded by mistake: the lead undoes it.
        let lead = signed_in(&app, "lead1").await;
        let before = audit(&app).await.len();
        let r = lead.post("/participants/A1/reopen", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            audit(&app).await[before..],
            [(
                "U-lead1".to_owned(),
                "participant.reopen".to_owned(),
                Some("A1".to_owned())
            )]
        );
        let (_, day) = c.text("/day").await;
        assert!(day.contains("Amal"));
        assert_eq!(caseload(&day), on_caseload);
    }
}
