//! The access extract from the participant page: a lead's ZIP of `extract.html` and
//! `extract.json` holding the participant's records and none of anyone else's; other roles
//! get 403 and a participant outside the lead's program 404, as on every lead route, and
//! nothing refused is audited; the download is audited with the request's reference.

use std::io::Read;

use reqwest::StatusCode;

use super::helpers::*;

/// The files of a ZIP, by name.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.insert(f.name().unwrap().into_owned(), s);
    }
    out
}

#[tokio::test]
async fn a_lead_downloads_the_extract_and_it_is_audited_with_the_reference() {
    for app in spawn_apps("a_lead_downloads_the_extract_and_it_is_audited_with_the_reference").await
    {
        let lead = signed_in(&app, "lead1").await;
        let (status, page) = lead.text("/participants/A1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("action=\"/participants/A1/access-extract\""),
            "{page}"
        );
        let coach = signed_in(&app, "coach1").await;
        let (_, page) = coach.text("/participants/A1").await;
        assert!(
            !page.contains("access-extract"),
            "a coach is offered no extract"
        );

        let before = audit(&app).await.len();
        let r = lead
            .post(
                "/participants/A1/access-extract",
                &[("reference", "KS 2026/0042"), ("lang", "sv")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/zip");
        assert_eq!(
            r.headers()["content-disposition"],
            "attachment; filename=\"access-extract-A1.zip\""
        );
        let files = unzip(&r.bytes().await.unwrap());
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            vec!["extract.html", "extract.json"]
        );
        let j: serde_json::Value = serde_json::from_str(&files["extract.json"]).unwrap();
        assert_eq!(j["participant"]["participant_id"], "A1");
        assert_eq!(j["goals"][0]["text"], "I want to work with animals");
        assert_eq!(j["meetings"][0]["meeting_id"], "M1");
        let steps: Vec<&str> = j["next_steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["step_id"].as_str().unwrap())
            .collect();
        assert_eq!(steps, vec!["S-A1a", "S-A1b"]);
        let html = &files["extract.html"];
        assert!(
            html.contains("<html lang=\"sv\">"),
            "the language asked for"
        );
        assert!(html.contains("I want to work with animals"));
        // Nobody else's records: not A2 (same program), A3, B1, their names or goals.
        for text in [&files["extract.json"], html] {
            for other in [
                "Alva",
                "Aron",
                "Bertil",
                "Kitchen work",
                "S-A2",
                "S-B1",
                "\"A2\"",
                "\"A3\"",
                "\"B1\"",
            ] {
                assert!(!text.contains(other), "{other}");
            }
        }
        // Audited: the lead, the participant, the reference.
        let rows = audit(&app).await;
        assert_eq!(rows.len(), before + 1);
        assert_eq!(
            rows.last().unwrap(),
            &(
                "U-lead1".to_owned(),
                "participant.access_extract".to_owned(),
                Some("A1".to_owned())
            )
        );
        let store = app.store.clone();
        let detail = tokio::task::spawn_blocking(move || store.audit_log().unwrap())
            .await
            .unwrap()
            .pop()
            .unwrap()
            .detail;
        assert_eq!(detail, "KS 2026/0042");
        // The extract's log names the lead by login and role, never by user ID.
        let last = j["audit_log"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["by"]["name"], "lead1");
        assert_eq!(last["by"]["role"], "lead");
        assert!(!files["extract.json"].contains("U-lead1"));

        // Without a language: the lead's own (English here).
        let r = lead
            .post("/participants/A1/access-extract", &[("reference", "")])
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let files = unzip(&r.bytes().await.unwrap());
        assert!(files["extract.html"].contains("<html lang=\"en\">"));
    }
}

#[tokio::test]
async fn only_a_lead_of_the_participants_program_gets_the_extract() {
    for app in spawn_apps("only_a_lead_of_the_participants_program_gets_the_extract").await {
        add_participant_user(&app, "A1", "amal").await;
        let before = audit(&app).await.len();
        for login in ["coach1", "coach2", "admin", "evaluator", "amal"] {
            let c = signed_in(&app, login).await;
            let r = c
                .post("/participants/A1/access-extract", &[("reference", "x")])
                .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{login}");
        }
        let lead = signed_in(&app, "lead1").await;
        for id in ["B1", "NOBODY"] {
            let r = lead
                .post(&format!("/participants/{id}/access-extract"), &[])
                .await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{id}");
        }
        let long = "x".repeat(201);
        let r = lead
            .post("/participants/A1/access-extract", &[("reference", &long)])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("at most 200 characters"));
        let r = lead
            .post("/participants/A1/access-extract", &[("lang", "de")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // Without the CSRF token: refused.
        let r = lead
            .post_raw("/participants/A1/access-extract", &[("reference", "x")])
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // Nothing refused was audited (sign-ins aside, which name no participant).
        let extracts = audit(&app).await[before..]
            .iter()
            .filter(|(_, a, _)| a == "participant.access_extract")
            .count();
        assert_eq!(extracts, 0);
    }
}
