//! Saving twice stores once: a form that creates a record carries the new record's ID,
//! made when the form was shown, so that a double tap, a reload after a slow network or a
//! second server given the same submission keeps one record and answers as the first did.

use reqwest::StatusCode;

use super::helpers::*;

/// The `once` field of the first form after `action` in a page.
fn once_after(page: &str, action: &str) -> String {
    let at = page.find(&format!("action=\"{action}\"")).expect(action);
    let rest = &page[at..];
    let v =
        rest.find("name=\"once\" value=\"").expect("a once field") + "name=\"once\" value=\"".len();
    rest[v..].split('"').next().unwrap().to_owned()
}

async fn count(app: &TestApp, file: fika_core::File) -> u64 {
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || store.counts().unwrap().get(file))
        .await
        .unwrap()
}

#[tokio::test]
async fn the_same_meeting_form_sent_twice_stores_one_meeting() {
    for app in spawn_apps("the_same_meeting_form_sent_twice_stores_one_meeting").await {
        let coach = signed_in(&app, "coach1").await;
        let (_, form) = coach.text("/participants/A1/meeting").await;
        let once = once_after(&form, "/participants/A1/meeting");
        assert!(once.starts_with("M-") && once.len() == 14, "{once}");
        let before = meetings(&app).await;
        let steps = count(&app, fika_core::File::NextSteps).await;
        let form = [
            ("once", once.as_str()),
            ("place", "cafe"),
            ("minutes", "30"),
            ("step0_text", "Call the stables"),
            // Ticked off at the meeting: a second save must not be refused for it.
            ("done", "S-A1a"),
        ];
        let first = coach.post("/participants/A1/meeting", &form).await;
        assert_eq!(first.status(), StatusCode::SEE_OTHER);
        let second = coach.post("/participants/A1/meeting", &form).await;
        assert_eq!(
            second.status(),
            StatusCode::SEE_OTHER,
            "{}",
            second.text().await.unwrap()
        );
        assert_eq!(
            first.headers().get("location"),
            second.headers().get("location")
        );
        assert_eq!(meetings(&app).await, before + 1);
        assert_eq!(count(&app, fika_core::File::NextSteps).await, steps + 1);
        let recorded = audit(&app)
            .await
            .iter()
            .filter(|r| r.1 == "meeting.record")
            .count();
        assert_eq!(recorded, 1, "one audit row for the one meeting");
        // Two submissions of two forms are two meetings.
        let (_, page) = coach.text("/participants/A1/meeting").await;
        let other = once_after(&page, "/participants/A1/meeting");
        assert_ne!(other, once);
        let r = coach
            .post(
                "/participants/A1/meeting",
                &[
                    ("once", other.as_str()),
                    ("place", "home"),
                    ("minutes", "45"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(meetings(&app).await, before + 2);
        // A form without the field (or with one not made by the app) still saves.
        for once in ["", "M-not-hex-at-all"] {
            let r = coach
                .post(
                    "/participants/A1/meeting",
                    &[("once", once), ("place", "home"), ("minutes", "15")],
                )
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        assert_eq!(meetings(&app).await, before + 4);
    }
}

/// A form's path, its fields, and the file its record goes to.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, fika_core::File);

#[tokio::test]
async fn a_double_tap_at_once_stores_one_record_of_each_kind() {
    for app in spawn_apps("a_double_tap_at_once_stores_one_record_of_each_kind").await {
        let coach = signed_in(&app, "coach1").await;
        let (_, page) = coach.text("/participants/A1").await;
        let goal = once_after(&page, "/participants/A1/goals");
        let job = once_after(&page, "/participants/A1/jobs");
        let (_, page) = coach.text("/participants/new").await;
        let enrol = once_after(&page, "/participants/new");
        let (_, page) = coach.text("/employers").await;
        let contact = once_after(&page, "/employers/contacts");
        let employer = once_after(&page, "/employers");
        let (_, page) = coach.text("/participants/A1/meeting").await;
        let meeting = once_after(&page, "/participants/A1/meeting");
        use fika_core::File;
        let cases: Vec<Case> = vec![
            (
                "/participants/A1/meeting",
                vec![("once", &meeting), ("place", "cafe"), ("minutes", "30")],
                File::Meetings,
            ),
            (
                "/participants/A1/goals",
                vec![("once", &goal), ("text", "Work outdoors")],
                File::Goals,
            ),
            (
                "/participants/A1/jobs",
                vec![
                    ("once", &job),
                    ("kind", "placement"),
                    ("title", "Stable hand"),
                ],
                File::Jobs,
            ),
            (
                "/participants/new",
                vec![("once", &enrol), ("name", "Dana")],
                File::Participants,
            ),
            (
                "/employers/contacts",
                vec![
                    ("once", &contact),
                    ("employer", "E1"),
                    ("face_to_face", "true"),
                ],
                File::EmployerContacts,
            ),
            (
                "/employers",
                vec![("once", &employer), ("name", "Café Linné")],
                File::Employers,
            ),
        ];
        for (path, form, file) in cases {
            let before = count(&app, file).await;
            // Both sent at once, as a double tap does.
            let (a, b) = tokio::join!(coach.post(path, &form), coach.post(path, &form));
            assert_eq!(a.status(), StatusCode::SEE_OTHER, "{}: {path}", app.backend);
            assert_eq!(b.status(), StatusCode::SEE_OTHER, "{}: {path}", app.backend);
            assert_eq!(
                a.headers().get("location"),
                b.headers().get("location"),
                "{path}"
            );
            assert_eq!(
                count(&app, file).await,
                before + 1,
                "{}: {path}",
                app.backend
            );
        }
    }
}
