//! Bad input at the edge: what a form names must exist, and text must fit its rule
//! (`fika_core::text`). Each is refused with a message in the user's language, never a 500,
//! and nothing is saved or audited — the same on both backends.

use reqwest::StatusCode;

use super::helpers::*;

#[tokio::test]
async fn hostile_values_in_forms_are_refused_with_a_message() {
    let long_note = "x".repeat(2001);
    let long_step = "y".repeat(501);
    // (what, path, form, English, Swedish)
    type Refusal<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Refusal> = vec![
        (
            "a job at an employer not in the register",
            "/participants/A1/jobs",
            vec![
                ("kind", "competitive"),
                ("title", "Stable hand"),
                ("employer", "E-none"),
                ("started_on", "2026-03-01"),
            ],
            "That employer is not in the register.",
            "Arbetsgivaren finns inte i registret.",
        ),
        (
            "a NUL byte in a meeting's note",
            "/participants/A1/meeting",
            vec![("place", "cafe"), ("minutes", "30"), ("note", "a\0b")],
            "control character",
            "styrtecken",
        ),
        (
            "a NUL byte in a step",
            "/participants/A1/meeting",
            vec![
                ("place", "cafe"),
                ("minutes", "30"),
                ("step0_text", "ring\0"),
            ],
            "control character",
            "styrtecken",
        ),
        (
            "a NUL byte in a goal",
            "/participants/A1/goals",
            vec![("text", "jobba\0")],
            "control character",
            "styrtecken",
        ),
        (
            "a note of 2,001 characters",
            "/participants/A1/meeting",
            vec![("place", "cafe"), ("minutes", "30"), ("note", &long_note)],
            "A note has at most 2,000 characters.",
            "En anteckning har högst 2 000 tecken.",
        ),
        (
            "a step of 501 characters",
            "/participants/A1/meeting",
            vec![
                ("place", "cafe"),
                ("minutes", "30"),
                ("step0_text", &long_step),
            ],
            "A next step has at most 500 characters.",
            "Ett nästa steg har högst 500 tecken.",
        ),
        (
            "an escape character in an employer's name",
            "/employers",
            vec![("name", "Bageriet \u{1b}[31mAB")],
            "control character",
            "styrtecken",
        ),
    ];
    for app in spawn_apps("hostile_values_in_forms_are_refused_with_a_message").await {
        for locale in ["en", "sv"] {
            let mut c = signed_in(&app, "coach1").await;
            c.post("/language", &[("locale", locale)]).await;
            c.refresh_csrf().await;
            for (what, path, form, en, sv) in &cases {
                let before = audit(&app).await.len();
                let meetings_before = meetings(&app).await;
                let r = c.post(path, form).await;
                let status = r.status();
                let page = r.text().await.unwrap();
                assert_eq!(
                    status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{}: {locale}: {what}: {page}",
                    app.backend
                );
                let said = if locale == "en" { en } else { sv };
                assert!(page.contains(said), "{locale}: {what}: {page}");
                // A refused participant form is shown again with the record, and that read
                // is audited; no write is.
                let written: Vec<String> = audit(&app).await[before..]
                    .iter()
                    .map(|(_, action, _)| action.clone())
                    .filter(|a| a != "participant.read")
                    .collect();
                assert!(
                    written.is_empty(),
                    "{what}: nothing written, audited {written:?}"
                );
                assert_eq!(
                    meetings(&app).await,
                    meetings_before,
                    "{what}: nothing saved"
                );
            }
        }
    }
}
