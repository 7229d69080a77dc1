//! Putting a record right in the web app: the correction page holds the record, a refused
//! correction comes back with what was typed and the message beside its field (in the
//! user's language), a removal needs a reason, an open step is dropped, and the saved change
//! is confirmed in one line where the coach lands.

use reqwest::StatusCode;

use super::helpers::*;

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The last audit row's action and detail (as JSON).
async fn last_audit(app: &TestApp) -> (String, serde_json::Value) {
    let store = app.store.clone();
    let (action, detail) = tokio::task::spawn_blocking(move || {
        let row = store.audit_log().unwrap().pop().unwrap();
        // Since migration 0018 the audit row names the kept correction.
        let kept = store.correction_of(&row.detail).unwrap();
        (row.action, kept.unwrap_or(row.detail))
    })
    .await
    .unwrap();
    (
        action,
        serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
    )
}

fn meeting_form<'a>(date: &'a str, place: &'a str, minutes: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("meeting_id", "M1"),
        ("participant_id", "A1"),
        ("coach_id", "C1"),
        ("date", date),
        ("place", place),
        ("minutes", minutes),
        ("note", "Met at the stables"),
    ]
}

#[tokio::test]
async fn a_meeting_is_corrected_and_the_coach_lands_on_one_line_saying_so() {
    for app in spawn_apps("a_meeting_is_corrected_and_the_coach_lands_on_one_line_saying_so").await
    {
        let coach = signed_in(&app, "coach1").await;
        let (status, page) = coach.text("/participants/A1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("/participants/A1/correct/meeting/M1"),
            "{page}"
        );
        let (status, form) = coach.text("/participants/A1/correct/meeting/M1").await;
        assert_eq!(status, StatusCode::OK);
        // The record as stored: its date, place and length.
        assert!(form.contains("value=\"2026-02-10\""), "{form}");
        assert!(form.contains("value=\"cafe\" checked"), "{form}");
        assert!(form.contains("value=\"30\""), "{form}");
        let r = coach
            .post(
                "/participants/A1/correct/meeting/M1",
                &[
                    meeting_form("2026-02-11", "workplace", "45"),
                    vec![("reason", "wrong day")],
                ]
                .concat(),
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let to = location(&r);
        assert_eq!(to, "/participants/A1?saved=corrected");
        let (action, detail) = last_audit(&app).await;
        assert_eq!(action, "meeting.correct");
        assert_eq!(detail["before"]["place"], "cafe");
        assert_eq!(detail["after"]["place"], "workplace");
        assert_eq!(detail["after"]["date"], "2026-02-11");
        assert_eq!(detail["after"]["note"], "Met at the stables");
        assert_eq!(detail["reason"], "wrong day");
        let (_, page) = coach.text(&to).await;
        assert!(page.contains("role=\"status\">Correction saved."), "{page}");
        // An address cannot put its own words on the page.
        let (_, page) = coach.text("/participants/A1?saved=<b>hello</b>").await;
        assert!(!page.contains("hello"));
    }
}

#[tokio::test]
async fn a_refused_correction_keeps_what_was_typed_with_the_message_beside_the_field() {
    for app in
        spawn_apps("a_refused_correction_keeps_what_was_typed_with_the_message_beside_the_field")
            .await
    {
        let mut coach = signed_in(&app, "coach1").await;
        let before = audit(&app).await.len();
        // Before A1 joined (2026-01-05): the store's rule, beside the date.
        let r = coach
            .post(
                "/participants/A1/correct/meeting/M1",
                &meeting_form("2026-01-04", "home", "60"),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("role=\"alert\""), "{page}");
        assert!(page.contains("href=\"#f-date\""), "{page}");
        assert!(
            page.contains("id=\"f-date\" name=\"date\" type=\"date\" value=\"2026-01-04\" aria-invalid=\"true\" aria-describedby=\"e-date\""),
            "{page}"
        );
        assert!(
            page.contains(
                "id=\"e-date\">The date is outside the participant's time in the program."
            ),
            "{page}"
        );
        // What was typed is kept.
        assert!(page.contains("value=\"home\" checked"), "{page}");
        assert!(page.contains("value=\"60\""), "{page}");
        // A number out of its rule, beside the minutes; in Swedish.
        let r = coach
            .post("/language", &[("locale", "sv"), ("back", "/day")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        coach.refresh_csrf().await;
        let r = coach
            .post(
                "/participants/A1/correct/meeting/M1",
                &meeting_form("2026-02-10", "cafe", "9999"),
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("lang=\"sv\""));
        assert!(page.contains("id=\"e-minutes\""), "{page}");
        assert!(page.contains("Rätta följande"), "{page}");
        assert!(page.contains("value=\"9999\""), "{page}");
        // Nothing was written: only the reads of the pages shown again.
        let added: Vec<String> = audit(&app).await[before..]
            .iter()
            .map(|r| r.1.clone())
            .collect();
        assert!(added.iter().all(|a| a.ends_with(".read")), "{added:?}");
    }
}

#[tokio::test]
async fn a_removal_needs_a_reason_and_an_open_step_is_dropped() {
    for app in spawn_apps("a_removal_needs_a_reason_and_an_open_step_is_dropped").await {
        let coach = signed_in(&app, "coach1").await;
        let (_, form) = coach.text("/participants/A1/correct/step/S-A1b").await;
        assert!(
            form.contains("name=\"drop\""),
            "an open step is dropped: {form}"
        );
        let r = coach
            .post(
                "/participants/A1/remove/step/S-A1b",
                &[("drop", "1"), ("remove_reason", "  ")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"e-remove_reason\""), "{page}");
        let r = coach
            .post(
                "/participants/A1/remove/step/S-A1b",
                &[("drop", "1"), ("remove_reason", "Not needed any more")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/participants/A1?saved=dropped");
        let (action, detail) = last_audit(&app).await;
        assert_eq!(action, "next_step.drop");
        assert_eq!(detail["before"]["text"], "Ask about hours");
        let (_, page) = coach.text("/participants/A1?saved=dropped").await;
        assert!(!page.contains("Ask about hours"), "{page}");
        // The meeting goes with the steps agreed at it.
        let r = coach
            .post(
                "/participants/A1/remove/meeting/M1",
                &[("remove_reason", "Entered for the wrong person")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (action, detail) = last_audit(&app).await;
        assert_eq!(action, "meeting.remove");
        assert_eq!(detail["with"][0]["step_id"], "S-A1a");
        assert_eq!(meetings(&app).await, 1);
        // Gone: the page of a removed record is not found.
        let r = coach.get("/participants/A1/correct/meeting/M1").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_enrolment_and_the_exit_are_put_right() {
    for app in spawn_apps("the_enrolment_and_the_exit_are_put_right").await {
        let coach = signed_in(&app, "coach1").await;
        let (_, form) = coach.text("/participants/A1/correct/enrolment").await;
        assert!(form.contains("value=\"Amal\""), "{form}");
        let r = coach
            .post(
                "/participants/A1/correct/enrolment",
                &[
                    ("participant_id", "A1"),
                    ("program_id", "P1"),
                    ("coach_id", "C1"),
                    ("name", "Amal H."),
                    ("referral_source", "self"),
                    ("enrolled_on", "2026-01-06"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (action, detail) = last_audit(&app).await;
        assert_eq!(action, "enrolment.correct");
        assert_eq!(detail["before"]["name"], "Amal");
        assert_eq!(detail["after"]["name"], "Amal H.");
        assert_eq!(detail["after"]["enrolled_on"], "2026-01-06");
        // No exit yet: nothing to correct.
        let r = coach.get("/participants/A1/correct/exit").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let r = coach
            .post(
                "/participants/A1/exit",
                &[("exited_on", "2026-03-02"), ("exit_reason", "moved")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // An exit before the last meeting is refused beside the date.
        let r = coach
            .post(
                "/participants/A1/correct/exit",
                &[
                    ("participant_id", "A1"),
                    ("program_id", "P1"),
                    ("coach_id", "C1"),
                    ("name", "Amal H."),
                    ("referral_source", "self"),
                    ("enrolled_on", "2026-01-06"),
                    ("exited_on", "2026-02-01"),
                    ("exit_reason", "participant_choice"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"e-exited_on\""), "{page}");
        let r = coach
            .post(
                "/participants/A1/remove/exit",
                &[("remove_reason", "They stayed")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (action, _) = last_audit(&app).await;
        assert_eq!(action, "exit.remove");
        let (_, day) = coach.text("/day").await;
        assert!(day.contains("Amal H."), "on the day again: {day}");
    }
}

#[tokio::test]
async fn a_refused_meeting_form_comes_back_as_typed_in_both_languages() {
    for app in spawn_apps("a_refused_meeting_form_comes_back_as_typed_in_both_languages").await {
        let mut coach = signed_in(&app, "coach1").await;
        let before = meetings(&app).await;
        for (lang, summary, message) in [
            (
                "en",
                "Please correct the following",
                "A meeting lasts 1 to 1440 whole minutes",
            ),
            (
                "sv",
                "Rätta följande",
                "Ett möte varar 1 till 1440 hela minuter",
            ),
        ] {
            let r = coach
                .post("/language", &[("locale", lang), ("back", "/day")])
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            coach.refresh_csrf().await;
            let r = coach
                .post(
                    "/participants/A1/meeting",
                    &[
                        ("once", "M-0123456789ab"),
                        ("place", "home"),
                        ("minutes", "9999"),
                        ("note", "We talked about the stables"),
                        ("step0_text", "Call the stables"),
                        ("step0_owner", "coach"),
                        ("next", "14"),
                        ("done", "S-A1b"),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
            let page = r.text().await.unwrap();
            assert!(page.contains(&format!("lang=\"{lang}\"")));
            assert!(page.contains("role=\"alert\""), "{page}");
            assert!(page.contains(summary), "{page}");
            assert!(page.contains("href=\"#f-minutes\""), "{page}");
            assert!(
                page.contains(&format!("id=\"e-minutes\">{message}")),
                "{page}"
            );
            assert!(
                page.contains(
                    "id=\"f-minutes\" aria-invalid=\"true\" aria-describedby=\"e-minutes\""
                ),
                "{page}"
            );
            // What was typed is kept: the place, the note, the step, the next meeting, the
            // ticked step, and the form's own ID.
            assert!(page.contains("value=\"home\" checked"), "{page}");
            assert!(
                page.contains(">We talked about the stables</textarea>"),
                "{page}"
            );
            assert!(
                page.contains("name=\"step0_text\" value=\"Call the stables\""),
                "{page}"
            );
            assert!(
                page.contains("name=\"step0_owner\" value=\"coach\" checked"),
                "{page}"
            );
            assert!(
                page.contains("name=\"next\" value=\"14\" checked"),
                "{page}"
            );
            assert!(page.contains("value=\"S-A1b\" checked"), "{page}");
            assert!(
                page.contains("name=\"once\" value=\"M-0123456789ab\""),
                "{page}"
            );
        }
        assert_eq!(meetings(&app).await, before);
        // Sent again put right: saved, and confirmed in one line where the coach lands.
        let r = coach
            .post(
                "/participants/A1/meeting",
                &[
                    ("once", "M-0123456789ab"),
                    ("place", "home"),
                    ("minutes", "30"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let to = location(&r);
        assert_eq!(to, "/participants/A1?saved=meeting");
        let (_, page) = coach.text(&to).await;
        assert!(page.contains("role=\"status\">Mötet är sparat."), "{page}");
        assert_eq!(meetings(&app).await, before + 1);
    }
}

#[tokio::test]
async fn a_refused_enrolment_comes_back_as_typed_in_both_languages() {
    for app in spawn_apps("a_refused_enrolment_comes_back_as_typed_in_both_languages").await {
        let mut coach = signed_in(&app, "coach1").await;
        for (lang, message) in [
            ("en", "“2026-13-40” is not a date."),
            ("sv", "”2026-13-40” är inget datum."),
        ] {
            let r = coach
                .post("/language", &[("locale", lang), ("back", "/day")])
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            coach.refresh_csrf().await;
            let r = coach
                .post(
                    "/participants/new",
                    &[
                        ("name", "Dana"),
                        ("goal", "Something with my hands"),
                        ("referral_source", "family"),
                        ("employed_at_entry", "true"),
                        ("enrolled_on", "2026-13-40"),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
            let page = r.text().await.unwrap();
            assert!(page.contains("role=\"alert\""), "{page}");
            assert!(page.contains("href=\"#f-enrolled_on\""), "{page}");
            assert!(
                page.contains(&format!("id=\"e-enrolled_on\">{message}")),
                "{lang}: {page}"
            );
            assert!(
                page.contains("name=\"name\" required autocomplete=\"off\" value=\"Dana\""),
                "{page}"
            );
            assert!(
                page.contains(">Something with my hands</textarea>"),
                "{page}"
            );
            assert!(page.contains("value=\"family\" checked"), "{page}");
            assert!(
                page.contains("name=\"employed_at_entry\" value=\"true\" checked"),
                "{page}"
            );
            assert!(
                page.contains("value=\"2026-13-40\" aria-invalid=\"true\""),
                "{page}"
            );
        }
        // No name: beside the name.
        let r = coach.post("/participants/new", &[("name", " ")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("id=\"e-name\""));
    }
}

#[tokio::test]
async fn refused_goal_and_job_forms_come_back_as_typed_in_both_languages() {
    for app in spawn_apps("refused_goal_and_job_forms_come_back_as_typed_in_both_languages").await {
        let mut coach = signed_in(&app, "coach1").await;
        for (lang, paid, goal) in [
            (
                "en",
                "A competitive, subsidised or transitional job needs its employer.",
                "Write the goal as they put it.",
            ),
            ("sv", "arbetsgivare", "Skriv målet"),
        ] {
            let r = coach
                .post("/language", &[("locale", lang), ("back", "/day")])
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            coach.refresh_csrf().await;
            let r = coach
                .post(
                    "/participants/A1/jobs",
                    &[
                        ("kind", "competitive"),
                        ("title", "Stable hand"),
                        ("hours_per_week", "20"),
                        ("started_on", "2026-03-01"),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
            let page = r.text().await.unwrap();
            assert!(page.contains(&format!("lang=\"{lang}\"")));
            assert!(
                page.contains("role=\"alert\"") && page.contains("href=\"#job-employer\""),
                "{page}"
            );
            let at = page
                .find("id=\"e-employer\">")
                .expect("beside the employer");
            assert!(
                page[at..].split("</p>").next().unwrap().contains(paid),
                "{lang}: {page}"
            );
            assert!(
                page.contains("name=\"kind\" value=\"competitive\" checked"),
                "{page}"
            );
            assert!(
                page.contains("name=\"title\" required value=\"Stable hand\""),
                "{page}"
            );
            assert!(page.contains("value=\"20\""), "{page}");
            assert!(page.contains("value=\"2026-03-01\""), "{page}");
            let r = coach.post("/participants/A1/goals", &[("text", " ")]).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
            let page = r.text().await.unwrap();
            assert!(page.contains("href=\"#goal-text\""), "{page}");
            let at = page.find("id=\"e-text\">").expect("beside the goal");
            assert!(page[at..].contains(goal), "{lang}: {page}");
        }
    }
}
