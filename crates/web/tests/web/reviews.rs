//! Fidelity reviews in the web (`/reviews`): started with the computed items pre-filled,
//! rated blind by two reviewers, agreed, totalled and reported — over the store functions
//! `fika review` uses.

use reqwest::StatusCode;

use super::helpers::*;

/// A fidelity review in the web: a lead starts one with the computed items pre-filled, two
/// reviewers rate blind until both have rated everything, agree a consensus, and the total,
/// band and report follow — what `fika review` stores, read back through the store.
#[tokio::test]
async fn a_fidelity_review_two_reviewers_blind_then_consensus_and_report() {
    for app in spawn_apps("a_fidelity_review_two_reviewers_blind_then_consensus_and_report").await {
        let lead = signed_in(&app, "lead1").await;
        let (status, page) = lead.text("/reviews").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page.contains("No review of this program yet."));
        // One reviewer is not enough; a name twice neither; nothing is stored.
        for reviewers in ["lead1", "lead1, lead1"] {
            let r = lead
                .post(
                    "/reviews",
                    &[
                        ("program", "P1"),
                        ("date", "2026-03-01"),
                        ("kind", "external"),
                        ("reviewers", reviewers),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{reviewers}");
        }
        let r = lead
            .post(
                "/reviews",
                &[
                    // A lead's program is their own, whatever the form says.
                    ("program", "P2"),
                    ("date", "2026-03-01"),
                    ("kind", "external"),
                    ("reviewers", "lead1, evaluator"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let at = r.headers()["location"].to_str().unwrap().to_owned();
        let id = at.trim_start_matches("/reviews/").to_owned();
        let stored = {
            let (store, id) = (app.store.clone(), id.clone());
            tokio::task::spawn_blocking(move || store.review(&id).unwrap().unwrap())
                .await
                .unwrap()
        };
        assert_eq!(stored.program.as_str(), "P1");
        assert_eq!(stored.reviewers, ["lead1", "evaluator"]);
        // The computed items arrive pre-filled: S1 (caseload) has fika's figures.
        let (_, page) = lead.text(&at).await;
        assert!(page.contains("suggested score"), "{page}");
        assert!(page.contains("Still rating: lead1, evaluator"));
        // The lead rates every item 4, S1 with a rationale.
        let mut form: Vec<(String, String)> = fika_core::scale::ItemId::ALL
            .iter()
            .map(|i| (format!("score_{}", i.as_str()), "4".to_owned()))
            .collect();
        form.push(("rationale_S1".into(), "Small caseloads, seen".into()));
        let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = lead.post(&format!("{at}/ratings"), &f).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // The evaluator sees the review but not the lead's ratings yet.
        let ev = signed_in(&app, "evaluator").await;
        let (_, page) = ev.text(&at).await;
        assert!(
            !page.contains("Small caseloads, seen"),
            "blind until both rated"
        );
        assert!(page.contains("Still rating: evaluator"));
        // The caseload chart from S1's records, with its title, description and table.
        assert!(page.contains("<desc id=\"caseloads-desc\">"), "{page}");
        // Each computed item's records: S1's coaches with their participants by ID, no
        // participant's name.
        assert!(page.contains("The records counted"));
        assert!(page.contains("<th scope=\"row\">C1</th>"), "{page}");
        assert!(page.contains("A1 A3"), "{page}");
        for name in ["Amal", "Aron", "Alva", "Bertil"] {
            assert!(
                !page.contains(name),
                "{name} on the evaluator's review page"
            );
        }
        // Consensus before both have rated is refused.
        let r = ev
            .post(&format!("{at}/consensus"), &[("consensus_S1", "4")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // A score out of range is refused and nothing is saved.
        let r = ev
            .post(&format!("{at}/ratings"), &[("score_S1", "6")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // The evaluator rates everything 5 but S2, which they cannot rate.
        let mut form: Vec<(String, String)> = fika_core::scale::ItemId::ALL
            .iter()
            .map(|i| {
                let v = if i.as_str() == "S2" { "cannot" } else { "5" };
                (format!("score_{}", i.as_str()), v.to_owned())
            })
            .collect();
        form.push(("rationale_S1".into(), "Caseloads under 20".into()));
        let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = ev.post(&format!("{at}/ratings"), &f).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = lead.text(&at).await;
        assert!(page.contains("Small caseloads, seen") && page.contains("Caseloads under 20"));
        assert!(page.contains("the reviewers gave the same rating on 0 of 25 items"));
        // Consensus: 4 on every item, the total 100, band good.
        let mut form: Vec<(String, String)> = fika_core::scale::ItemId::ALL
            .iter()
            .map(|i| (format!("consensus_{}", i.as_str()), "4".to_owned()))
            .collect();
        form.push((
            "consensus_rationale_S1".into(),
            "Keep caseloads under 20 as the team grows".into(),
        ));
        let f: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let r = ev.post(&format!("{at}/consensus"), &f).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (status, report) = lead.text(&format!("{at}/report")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(report.contains("100 (good)"), "{report}");
        assert!(report.contains("rules version 1"));
        assert!(report.contains("Keep caseloads under 20 as the team grows"));
        // The same as the store says `fika review show` would print.
        let stored = {
            let (store, id) = (app.store.clone(), id.clone());
            tokio::task::spawn_blocking(move || store.review(&id).unwrap().unwrap())
                .await
                .unwrap()
        };
        assert_eq!(
            stored.items[0].consensus_rationale,
            "Keep caseloads under 20 as the team grows"
        );
        assert_eq!(
            stored.total(),
            fika_core::review::ReviewTotal::Complete {
                total: 100,
                band: fika_core::scale::Band::Good
            }
        );
        // The trend on the list, with its chart.
        let (_, list) = lead.text("/reviews").await;
        assert!(list.contains(&id) && list.contains("100 (good)"));
        assert!(list.contains("<desc id=\"review-trend-desc\">"));
        // Someone not named as a reviewer cannot rate; a coach is refused; another
        // program's lead would not find it.
        let coach = signed_in(&app, "coach1").await;
        assert_eq!(coach.get(&at).await.status(), StatusCode::FORBIDDEN);
        let r = ev
            .post(
                "/reviews",
                &[
                    ("program", "P2"),
                    ("date", "2026-03-01"),
                    ("kind", "self"),
                    ("reviewers", "evaluator, lead1"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let other = r.headers()["location"].to_str().unwrap().to_owned();
        assert_eq!(lead.get(&other).await.status(), StatusCode::NOT_FOUND);
        let r = lead
            .post(&format!("{other}/ratings"), &[("score_S1", "3")])
            .await;
        assert_eq!(
            r.status(),
            StatusCode::NOT_FOUND,
            "nothing of P2's review for P1's lead"
        );
        // A reviewer not named on a review cannot rate it.
        let r = ev
            .post(
                "/reviews",
                &[
                    ("program", "P1"),
                    ("date", "2026-03-02"),
                    ("kind", "guided"),
                    ("reviewers", "evaluator, someone"),
                ],
            )
            .await;
        let third = r.headers()["location"].to_str().unwrap().to_owned();
        let r = lead
            .post(&format!("{third}/ratings"), &[("score_S1", "3")])
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // Swedish.
        let mut ev = ev;
        ev.post("/language", &[("locale", "sv")]).await;
        ev.refresh_csrf().await;
        let (_, sv) = ev.text(&format!("{at}/report")).await;
        assert!(
            sv.contains("100 (god)") && sv.contains("Gemensam poäng"),
            "{sv}"
        );
    }
}

/// Two reviewers saving their ratings at the same moment both keep them: the review is
/// read, changed and written in one transaction.
#[tokio::test]
async fn ratings_saved_at_once_by_two_reviewers_are_both_kept() {
    for app in spawn_apps("ratings_saved_at_once_by_two_reviewers_are_both_kept").await {
        let lead = signed_in(&app, "lead1").await;
        let ev = signed_in(&app, "evaluator").await;
        let mut ids = Vec::new();
        for _ in 0..3 {
            let r = lead
                .post(
                    "/reviews",
                    &[
                        ("date", "2026-03-01"),
                        ("kind", "guided"),
                        ("reviewers", "lead1, evaluator"),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            ids.push(r.headers()["location"].to_str().unwrap().to_owned());
        }
        let all = |v: &'static str| -> Vec<(String, String)> {
            fika_core::scale::ItemId::ALL
                .iter()
                .map(|i| (format!("score_{}", i.as_str()), v.to_owned()))
                .collect()
        };
        let (a, b) = (all("3"), all("4"));
        let fa: Vec<(&str, &str)> = a.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let fb: Vec<(&str, &str)> = b.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for at in &ids {
            let path = format!("{at}/ratings");
            let (x, y) = tokio::join!(lead.post(&path, &fa), ev.post(&path, &fb));
            assert_eq!(x.status(), StatusCode::SEE_OTHER);
            assert_eq!(y.status(), StatusCode::SEE_OTHER);
            let id = at.trim_start_matches("/reviews/").to_owned();
            let store = app.store.clone();
            let review = tokio::task::spawn_blocking(move || store.review(&id).unwrap().unwrap())
                .await
                .unwrap();
            for item in &review.items {
                assert_eq!(item.ratings.len(), 2, "{}: {at} {:?}", app.backend, item.id);
            }
        }
    }
}
