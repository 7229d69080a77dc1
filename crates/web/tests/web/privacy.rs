//! Erasure and restriction from the participant page: a lead erases a record after a
//! confirmation, in English or Swedish, and the audit log keeps a tombstone and verifies;
//! a legal hold or a retention rule refuses it with its reason; a restricted record leaves
//! the day and opens only with a stated reason, which the audit row keeps.

use fika_core::{ParticipantId, ProgramId};
use fika_store::erasure::Scope;
use fika_store::{Actor, Reach};
use reqwest::StatusCode;

use super::helpers::*;

fn lead_actor() -> Actor {
    Actor {
        user: "U-lead1".into(),
        at: "2026-03-02T08:00:00Z".into(),
    }
}

fn p1() -> ProgramId {
    ProgramId::parse("P1").unwrap()
}

/// The last audit row: (who, action, participant, detail).
async fn last_row(app: &TestApp) -> (String, String, Option<String>, String) {
    let store = app.store.clone();
    let r = tokio::task::spawn_blocking(move || store.audit_log().unwrap().pop().unwrap())
        .await
        .unwrap();
    (r.who, r.action, r.participant, r.detail)
}

#[tokio::test]
async fn a_lead_erases_a_record_after_confirming_it_in_either_language() {
    for app in spawn_apps("a_lead_erases_a_record_after_confirming_it_in_either_language").await {
        let lead = signed_in(&app, "lead1").await;
        let (status, page) = lead.text("/participants/A3").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("action=\"/participants/A3/erase\""), "{page}");
        let coach = signed_in(&app, "coach1").await;
        let (_, page) = coach.text("/participants/A3").await;
        assert!(!page.contains("/erase"), "a coach is offered no erasure");

        // The confirmation: what will go; nothing is erased yet.
        let r = lead
            .post("/participants/A3/erase", &[("reference", "KS 2026/9")])
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        assert!(page.contains("Erase the record?"), "{page}");
        assert!(page.contains("Aron"), "{page}");
        assert!(page.contains("name=\"confirm\" value=\"yes\""), "{page}");
        assert_eq!(last_row(&app).await.1, "participant.read");

        let r = lead
            .post(
                "/participants/A3/erase",
                &[("reference", "KS 2026/9"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page = r.text().await.unwrap();
        assert!(page.contains("The record of A3 is erased"), "{page}");
        let (who, action, p, detail) = last_row(&app).await;
        assert_eq!(
            (who.as_str(), action.as_str(), p.as_deref()),
            ("U-lead1", "participant.erase", Some("A3"))
        );
        assert!(detail.contains("KS 2026/9"), "{detail}");
        assert_eq!(lead.text("/participants/A3").await.0, StatusCode::NOT_FOUND);
        let store = app.store.clone();
        let verdict = tokio::task::spawn_blocking(move || store.verify_audit().unwrap())
            .await
            .unwrap();
        assert_eq!(
            verdict.problems,
            vec![],
            "the chain verifies after an erasure"
        );

        // In Swedish.
        lead.post("/language", &[("locale", "sv"), ("back", "/program")])
            .await;
        let page = lead
            .post("/participants/A2/erase", &[("reference", "KS 2026/10")])
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Radera uppgifterna?"), "{page}");
        let page = lead
            .post(
                "/participants/A2/erase",
                &[("reference", "KS 2026/10"), ("confirm", "yes")],
            )
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Uppgifterna om A2 är raderade"), "{page}");
    }
}

#[tokio::test]
async fn an_erasure_is_refused_with_its_reason() {
    for app in spawn_apps("an_erasure_is_refused_with_its_reason").await {
        let lead = signed_in(&app, "lead1").await;
        let n = audit(&app).await.len();
        let r = lead
            .post(
                "/participants/A1/erase",
                &[("reference", " "), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("Give the request's reference")
        );
        let store = app.store.clone();
        let hold = tokio::task::spawn_blocking(move || {
            store
                .place_hold(
                    &lead_actor(),
                    &Reach::Program(p1()),
                    &Scope::Program(p1()),
                    "JO 2026-7",
                )
                .unwrap()
                .unwrap()
        })
        .await
        .unwrap();
        let r = lead
            .post(
                "/participants/A1/erase",
                &[("reference", "KS 1"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = r.text().await.unwrap();
        assert!(
            text.contains(&format!("legal hold {hold} (JO 2026-7) applies")),
            "{text}"
        );
        let store = app.store.clone();
        tokio::task::spawn_blocking(move || {
            store
                .lift_hold(&lead_actor(), &Reach::Program(p1()), hold)
                .unwrap()
                .unwrap();
            store
                .set_retention(
                    &lead_actor(),
                    &Reach::Program(p1()),
                    &Scope::Program(p1()),
                    Some(5),
                )
                .unwrap()
                .unwrap();
        })
        .await
        .unwrap();
        let r = lead
            .post(
                "/participants/A1/erase",
                &[("reference", "KS 1"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("keeps records 5 year(s) after the exit, and this person has not left")
        );
        // Still there; the refusals wrote nothing of their own.
        assert_eq!(lead.text("/participants/A1").await.0, StatusCode::OK);
        let actions: Vec<String> = audit(&app).await[n..].iter().map(|r| r.1.clone()).collect();
        assert_eq!(
            actions,
            [
                "hold.place",
                "hold.lift",
                "retention.set",
                "participant.read"
            ]
        );
    }
}

#[tokio::test]
async fn a_restricted_record_opens_only_with_a_stated_reason() {
    for app in spawn_apps("a_restricted_record_opens_only_with_a_stated_reason").await {
        let coach = signed_in(&app, "coach1").await;
        let (_, day) = coach.text("/day").await;
        assert!(day.contains("Amal"), "{day}");
        let store = app.store.clone();
        tokio::task::spawn_blocking(move || {
            store
                .restrict(
                    &lead_actor(),
                    &Reach::Program(p1()),
                    &ParticipantId::parse("A1").unwrap(),
                    "KS 2026/11",
                )
                .unwrap()
                .unwrap();
        })
        .await
        .unwrap();
        let (_, day) = coach.text("/day").await;
        assert!(!day.contains("Amal"), "off the day view: {day}");

        let n = audit(&app).await.len();
        let (status, page) = coach.text("/participants/A1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("KS 2026/11"), "{page}");
        assert!(!page.contains("I want to work with animals"), "{page}");
        assert_eq!(audit(&app).await.len(), n, "nothing of the record was read");

        assert!(
            page.contains("method=\"get\" action=\"/participants/A1\""),
            "{page}"
        );
        let (status, _) = coach.text("/participants/A1?reason=").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = coach.text("/participants/A1?reason=curiosity").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(audit(&app).await.len(), n);

        let (status, page) = coach.text("/participants/A1?reason=consent").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("I want to work with animals"), "{page}");
        assert!(page.contains("This record is restricted"), "{page}");
        let (who, action, p, detail) = last_row(&app).await;
        assert_eq!(
            (who.as_str(), action.as_str(), p.as_deref(), detail.as_str()),
            (
                "U-coach1",
                "participant.read_restricted",
                Some("A1"),
                "reason consent"
            )
        );
        assert_eq!(audit(&app).await.len(), n + 1, "one audit row");

        // Every staff page of the record asks, and comes back to itself.
        let (_, page) = coach.text("/participants/A1/meeting").await;
        assert!(
            page.contains("action=\"/participants/A1/meeting\""),
            "{page}"
        );
        assert!(page.contains("name=\"reason\""), "{page}");
        let (_, page) = coach.text("/participants/A1/correct/goal/G1").await;
        assert!(
            page.contains("action=\"/participants/A1/correct/goal/G1\""),
            "{page}"
        );
        assert_eq!(
            audit(&app).await.len(),
            n + 1,
            "nothing read without a reason"
        );
        let (status, page) = coach
            .text("/participants/A1/correct/goal/G1?reason=check_request")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("I want to work with animals"), "{page}");

        // Nothing new is recorded while it is restricted; a correction still is.
        let r = coach
            .post(
                "/participants/A1/goals",
                &[("text", "Work outdoors"), ("once", "G-new")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text().await.unwrap().contains("The record is restricted"),
            "refused with its reason"
        );

        // Another coach's participant stays out of reach, reason or not.
        let (status, _) = coach.text("/participants/A2?reason=consent").await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // In Swedish the form asks in Swedish.
        coach
            .post("/language", &[("locale", "sv"), ("back", "/day")])
            .await;
        let (_, page) = coach.text("/participants/A1").await;
        assert!(page.contains("Varför öppnar du dem?"), "{page}");
    }
}

#[tokio::test]
async fn the_servers_purge_erases_what_is_due_and_keeps_what_is_held() {
    for app in spawn_apps("the_servers_purge_erases_what_is_due_and_keeps_what_is_held").await {
        let store = app.store.clone();
        tokio::task::spawn_blocking(move || {
            let p2 = ProgramId::parse("P2").unwrap();
            let reach = Reach::Program(p2.clone());
            let b1 = ParticipantId::parse("B1").unwrap();
            store
                .record_exit(
                    &lead_actor(),
                    &reach,
                    &b1,
                    fika_core::Exit {
                        on: fika_core::parse_date("2026-02-27").unwrap(),
                        reason: fika_core::ExitReason::Moved,
                    },
                )
                .unwrap();
            store
                .set_retention(&lead_actor(), &reach, &Scope::Program(p2.clone()), Some(1))
                .unwrap()
                .unwrap();
            let at = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
            // The day before the anniversary: nothing.
            let p =
                fika_web::purge_retention_now(store.as_ref(), at("2027-02-26T03:00:00Z")).unwrap();
            assert!(p.erased.is_empty() && p.held.is_empty());
            // Held on the day: kept, and said.
            let hold = store
                .place_hold(
                    &lead_actor(),
                    &reach,
                    &Scope::Participant(b1.clone()),
                    "JO 1",
                )
                .unwrap()
                .unwrap();
            let p =
                fika_web::purge_retention_now(store.as_ref(), at("2027-02-27T03:00:00Z")).unwrap();
            assert!(p.erased.is_empty());
            assert_eq!(p.held.len(), 1);
            store
                .lift_hold(&lead_actor(), &reach, hold)
                .unwrap()
                .unwrap();
            let p =
                fika_web::purge_retention_now(store.as_ref(), at("2027-02-28T03:00:00Z")).unwrap();
            assert_eq!(p.erased.len(), 1);
            assert_eq!(store.participant_program(&b1).unwrap(), None);
            let last = store.audit_log().unwrap().pop().unwrap();
            assert_eq!(
                (last.who.as_str(), last.action.as_str()),
                ("server", "participant.erase")
            );
            assert!(
                last.detail.contains("retention purge 2027-02-28"),
                "{}",
                last.detail
            );
        })
        .await
        .unwrap();
    }
}
