//! Fidelity reviews: ratings, consensus, totals and bands.

use fika_core::review::*;
use fika_core::scale::{Band, ItemId};
use fika_core::*;

use crate::support::*;

fn reviewers() -> Vec<String> {
    vec!["Anna".into(), "Bo".into()]
}

fn review_with_consensus(score: impl Fn(ItemId) -> u8) -> FidelityReview {
    let mut r = FidelityReview::new(
        ProgramId::parse("P1").unwrap(),
        d("2025-06-30"),
        ReviewType::External,
        reviewers(),
    );
    for id in ItemId::ALL {
        r.rate(id, "Anna", Rating::Score(score(id)), "seen in the records");
        r.rate(id, "Bo", Rating::Score(score(id)), "heard from the team");
        r.agree(id, Rating::Score(score(id)));
    }
    r
}

#[test]
fn totals_and_bands() {
    for (fives, total, band) in [
        (25, 125, Band::Exemplary),
        (15, 115, Band::Exemplary),
        (14, 114, Band::Good),
        (0, 100, Band::Good),
    ] {
        // `fives` items score 5, the rest 4.
        let r = review_with_consensus(|id| if id.index() < fives { 5 } else { 4 });
        assert_eq!(r.total(), ReviewTotal::Complete { total, band }, "{fives}");
        assert!(r.problems().is_empty());
    }
    let r = review_with_consensus(|id| if id.index() < 24 { 3 } else { 2 });
    assert_eq!(
        r.total(),
        ReviewTotal::Complete {
            total: 74,
            band: Band::Fair
        }
    );
    let r = review_with_consensus(|id| if id.index() < 23 { 3 } else { 2 });
    assert_eq!(
        r.total(),
        ReviewTotal::Complete {
            total: 73,
            band: Band::NotIps
        }
    );
}

#[test]
fn a_review_with_items_missing_or_cannot_rate_has_no_band() {
    let mut r = review_with_consensus(|_| 4);
    r.agree(ItemId::O3, Rating::CannotRate);
    r.items[ItemId::V7.index()].consensus = None;
    assert_eq!(
        r.total(),
        ReviewTotal::Incomplete {
            scored_total: 92,
            scored: 23,
            missing: vec![ItemId::O3, ItemId::V7]
        }
    );
}

#[test]
fn validation() {
    let mut r = review_with_consensus(|_| 4);
    assert!(r.problems().is_empty());
    r.rate(ItemId::S2, "Anna", Rating::Score(6), "");
    r.rate(ItemId::S3, "Cecilia", Rating::Score(3), "");
    r.agree(ItemId::O1, Rating::Score(0));
    r.items[ItemId::O2.index()]
        .ratings
        .retain(|x| x.reviewer != "Bo");
    let problems = r.problems();
    assert!(problems.contains(&ReviewProblem::ScoreOutOfRange {
        item: ItemId::S2,
        score: 6
    }));
    assert!(problems.contains(&ReviewProblem::UnknownReviewer {
        item: ItemId::S3,
        name: "Cecilia".into()
    }));
    assert!(problems.contains(&ReviewProblem::ScoreOutOfRange {
        item: ItemId::O1,
        score: 0
    }));
    assert!(problems.contains(&ReviewProblem::NotRated {
        item: ItemId::O2,
        name: "Bo".into()
    }));
    assert_eq!(problems.len(), 4, "{problems:?}");

    // The consensus is agreed freely: outside the reviewers' range is fine.
    let mut r = review_with_consensus(|_| 4);
    r.agree(ItemId::S1, Rating::Score(1));
    assert!(r.problems().is_empty());

    let one = FidelityReview::new(
        ProgramId::parse("P1").unwrap(),
        d("2025-06-30"),
        ReviewType::SelfAssessment,
        vec!["Anna".into()],
    );
    assert!(
        one.problems()
            .contains(&ReviewProblem::TooFewReviewers { count: 1 })
    );
    let twice = FidelityReview::new(
        ProgramId::parse("P1").unwrap(),
        d("2025-06-30"),
        ReviewType::SelfAssessment,
        vec!["Anna".into(), "Anna".into()],
    );
    assert!(
        twice
            .problems()
            .contains(&ReviewProblem::DuplicateReviewer {
                name: "Anna".into()
            })
    );
    // "Cannot rate" is a rating.
    let mut r = review_with_consensus(|_| 4);
    r.rate(
        ItemId::V2,
        "Bo",
        Rating::CannotRate,
        "not discussed during the visit",
    );
    assert!(r.problems().is_empty());
    assert_eq!(r.items_in_agreement(), (24, 25));
}

#[test]
fn computed_items_arrive_prefilled() {
    let mut w = World::default();
    w.coach("C1", 1.0, d("2020-01-01"), None)
        .caseload("C1", 12, d("2024-01-01"));
    let report = w.fidelity(d("2025-06-30"));
    let r = FidelityReview::from_report(&report, ReviewType::GuidedSelfAssessment, reviewers());
    let s1 = r.item(ItemId::S1).unwrap().computed.as_ref().unwrap();
    assert_eq!(
        (s1.value, s1.n, s1.suggested_score),
        (Some(12.0), Some(1), Some(5))
    );
    let v12 = r.item(ItemId::V12).unwrap().computed.as_ref().unwrap();
    assert_eq!(
        (v12.value, v12.n, v12.suggested_score),
        (None, Some(0), None)
    );
    assert!(r.item(ItemId::S2).unwrap().computed.is_none());
    assert_eq!(r.date, d("2025-06-30"));
    // A plain value: it round-trips through JSON.
    let back: FidelityReview = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}

#[test]
fn trend_orders_reviews_by_date() {
    let mut later = review_with_consensus(|_| 5);
    later.date = d("2026-06-30");
    let mut earlier = review_with_consensus(|_| 3);
    earlier.date = d("2025-06-30");
    let t = trend([&later, &earlier]);
    assert_eq!(
        t.iter().map(|p| p.date).collect::<Vec<_>>(),
        [d("2025-06-30"), d("2026-06-30")]
    );
    assert_eq!(
        t[0].total,
        ReviewTotal::Complete {
            total: 75,
            band: Band::Fair
        }
    );
    assert_eq!(
        t[1].total,
        ReviewTotal::Complete {
            total: 125,
            band: Band::Exemplary
        }
    );
}
