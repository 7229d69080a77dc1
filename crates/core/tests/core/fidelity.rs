//! METRICS.md "The 25 items": one case per rule and edge.

use fika_core::fidelity::{Evidence, RapidSearchLine};
use fika_core::round::mean_score_half_up;
use fika_core::scale::{ItemId, anchors};
use fika_core::*;

use crate::support::*;

const AT: &str = "2025-06-30";

fn at() -> Date {
    d(AT)
}

/// A program with one full-time coach in post since long before the review date.
fn one_coach() -> World {
    let mut w = World::default();
    w.coach("C1", 1.0, d("2020-01-01"), None);
    w
}

// ---- Anchors: both sides of every step, straight from the scale table ----

#[test]
fn anchor_steps_on_both_sides() {
    #[rustfmt::skip]
    let cases: &[(ItemId, f64, u8)] = &[
        (ItemId::S1, 20.0, 5), (ItemId::S1, 20.01, 4), (ItemId::S1, 25.0, 4), (ItemId::S1, 25.01, 3),
        (ItemId::S1, 30.0, 3), (ItemId::S1, 30.01, 2), (ItemId::S1, 40.0, 2), (ItemId::S1, 40.01, 1),
        (ItemId::S1, 0.0, 5),
        (ItemId::V4, 30.0, 5), (ItemId::V4, 31.0, 4), (ItemId::V4, 60.0, 4), (ItemId::V4, 61.0, 3),
        (ItemId::V4, 150.0, 3), (ItemId::V4, 151.0, 2), (ItemId::V4, 270.0, 2), (ItemId::V4, 271.0, 1),
        (ItemId::V6, 6.0, 5), (ItemId::V6, 5.99, 4), (ItemId::V6, 5.0, 4), (ItemId::V6, 4.99, 3),
        (ItemId::V6, 4.0, 3), (ItemId::V6, 3.99, 2), (ItemId::V6, 2.0, 2), (ItemId::V6, 1.99, 1),
        (ItemId::V6, 0.0, 1),
        (ItemId::V8, 85.0, 5), (ItemId::V8, 84.99, 4), (ItemId::V8, 70.0, 4), (ItemId::V8, 69.99, 3),
        (ItemId::V8, 60.0, 3), (ItemId::V8, 59.99, 2), (ItemId::V8, 50.0, 2), (ItemId::V8, 49.99, 1),
        (ItemId::V9, 85.0, 5), (ItemId::V9, 84.99, 4), (ItemId::V9, 70.0, 4), (ItemId::V9, 69.99, 3),
        (ItemId::V9, 60.0, 3), (ItemId::V9, 59.99, 2), (ItemId::V9, 50.0, 2), (ItemId::V9, 49.99, 1),
        (ItemId::V10, 95.0, 5), (ItemId::V10, 94.99, 4), (ItemId::V10, 85.0, 4), (ItemId::V10, 84.99, 3),
        (ItemId::V10, 75.0, 3), (ItemId::V10, 74.99, 2), (ItemId::V10, 64.0, 2), (ItemId::V10, 63.99, 1),
        (ItemId::V13, 65.0, 5), (ItemId::V13, 64.99, 4), (ItemId::V13, 50.0, 4), (ItemId::V13, 49.99, 3),
        (ItemId::V13, 40.0, 3), (ItemId::V13, 39.99, 2), (ItemId::V13, 30.0, 2), (ItemId::V13, 29.99, 1),
    ];
    for &(item, value, score) in cases {
        assert_eq!(
            anchors(item).unwrap().score(value),
            score,
            "{item} at {value}"
        );
    }
    assert!(anchors(ItemId::V12).is_none());
    assert!(anchors(ItemId::S2).is_none());
}

// ---- S1 Caseload size ----

#[test]
fn s1_caseload_steps_from_records() {
    for (participants, fte, value, score) in [
        (20, 1.0, 20.0, 5),
        (21, 1.0, 21.0, 4),
        (25, 1.0, 25.0, 4),
        (26, 1.0, 26.0, 3),
        (30, 1.0, 30.0, 3),
        (31, 1.0, 31.0, 2),
        (40, 1.0, 40.0, 2),
        (41, 1.0, 41.0, 1),
        // 20 / 0.9995 = 20.010005: just over the step.
        (20, 0.9995, 20.01, 4),
        // 3 / 0.1 is 30.000000000000004 in binary; a person means 30.
        (3, 0.1, 30.0, 3),
    ] {
        let mut w = World::default();
        w.coach("C1", fte, d("2020-01-01"), None)
            .caseload("C1", participants, d("2025-01-01"));
        let r = w.item(ItemId::S1, at());
        assert_eq!(
            vsn(&r),
            (Some(value), Some(score), Some(1)),
            "{participants} at fte {fte}"
        );
    }
}

#[test]
fn s1_half_time_coach_doubles_the_caseload() {
    let mut w = World::default();
    w.coach("C1", 0.5, d("2020-01-01"), None)
        .caseload("C1", 12, d("2025-01-01"));
    assert_eq!(
        vsn(&w.item(ItemId::S1, at())),
        (Some(24.0), Some(4), Some(1))
    );
}

#[test]
fn s1_counts_participants_active_on_the_review_date_inclusive() {
    let mut w = one_coach();
    w.participant("enrolled-on-d", "C1", at(), None)
        .participant("enrolled-after-d", "C1", shift(at(), 1), None)
        .participant("exited-on-d", "C1", d("2025-01-01"), Some(at()))
        .participant(
            "exited-before-d",
            "C1",
            d("2025-01-01"),
            Some(shift(at(), -1)),
        );
    let r = w.item(ItemId::S1, at());
    assert_eq!(vsn(&r), (Some(2.0), Some(5), Some(1)));
    let Evidence::Caseload(lines) = &r.evidence else {
        panic!()
    };
    let ids: Vec<_> = lines[0].participants.iter().map(|p| p.as_str()).collect();
    assert_eq!(ids, ["enrolled-on-d", "exited-on-d"]);
}

#[test]
fn s1_coaches_in_post_on_the_review_date_inclusive() {
    let mut w = World::default();
    w.coach("ends-on-d", 1.0, d("2020-01-01"), Some(at()))
        .coach("ended-before", 1.0, d("2020-01-01"), Some(shift(at(), -1)))
        .coach("starts-on-d", 1.0, at(), None)
        .coach("starts-after", 1.0, shift(at(), 1), None)
        .caseload("ends-on-d", 10, d("2025-01-01"))
        .caseload("ended-before", 50, d("2025-01-01"))
        .caseload("starts-after", 50, d("2025-01-01"));
    // ends-on-d: 10, starts-on-d: 0 → mean 5.
    assert_eq!(
        vsn(&w.item(ItemId::S1, at())),
        (Some(5.0), Some(5), Some(2))
    );
}

#[test]
fn s1_not_scored_when_no_coach_is_in_post() {
    let mut w = World::default();
    w.coach("C1", 1.0, d("2020-01-01"), Some(d("2024-12-31")))
        .caseload("C1", 5, d("2024-01-01"));
    assert_eq!(vsn(&w.item(ItemId::S1, at())), (None, None, Some(0)));
}

#[test]
fn per_coach_scores_are_averaged_and_rounded_half_up() {
    // 10 → 5 and 22 → 4: mean score 4.5 → 5; value mean caseload 16.
    let mut w = World::default();
    w.coach("A", 1.0, d("2020-01-01"), None)
        .coach("B", 1.0, d("2020-01-01"), None)
        .caseload("A", 10, d("2025-01-01"))
        .caseload("B", 22, d("2025-01-01"));
    assert_eq!(
        vsn(&w.item(ItemId::S1, at())),
        (Some(16.0), Some(5), Some(2))
    );
    // 5, 4, 4 → 4.33 → 4; value (10 + 22 + 22) / 3 = 18.
    w.coach("C", 1.0, d("2020-01-01"), None)
        .caseload("C", 22, d("2025-01-01"));
    assert_eq!(
        vsn(&w.item(ItemId::S1, at())),
        (Some(18.0), Some(4), Some(3))
    );
    // 10, 10, 31 → 35 / 3 = 11.666… reported 11.67.
    let mut w = World::default();
    for c in ["A", "B"] {
        w.coach(c, 1.0, d("2020-01-01"), None)
            .caseload(c, 10, d("2025-01-01"));
    }
    w.coach("C", 1.0, d("2020-01-01"), None)
        .caseload("C", 15, d("2025-01-01"));
    assert_eq!(w.item(ItemId::S1, at()).value, Some(11.67));
}

#[test]
fn mean_of_coach_scores_half_up() {
    assert_eq!(mean_score_half_up(&[5, 4]), Some(5)); // 4.5 → 5
    let mut s = vec![5u8; 49];
    s.extend([4u8; 51]); // 4.49 → 4
    assert_eq!(mean_score_half_up(&s), Some(4));
    assert_eq!(mean_score_half_up(&[3, 4, 4, 4]), Some(4)); // 3.75 → 4
    assert_eq!(mean_score_half_up(&[2, 3]), Some(3)); // 2.5 → 3
}

// ---- V4 Rapid job search ----

fn v4_with_first_contact_after(days: i64) -> World {
    let mut w = one_coach();
    let enrolled = shift(at(), -300);
    w.participant("X", "C1", enrolled, None).coach_contact(
        "K1",
        "C1",
        Some("X"),
        shift(enrolled, days),
        true,
    );
    w
}

#[test]
fn v4_days_to_first_contact_steps() {
    for (days, score) in [
        (0, 5),
        (30, 5),
        (31, 4),
        (60, 4),
        (61, 3),
        (150, 3),
        (151, 2),
        (270, 2),
        (271, 1),
    ] {
        let r = v4_with_first_contact_after(days).item(ItemId::V4, at());
        assert_eq!(
            vsn(&r),
            (Some(days as f64), Some(score), Some(1)),
            "{days} days"
        );
    }
}

#[test]
fn v4_no_contact_yet_counts_only_after_30_days() {
    let mut w = one_coach();
    w.participant("X", "C1", shift(at(), -30), None);
    let r = w.item(ItemId::V4, at());
    assert_eq!(
        vsn(&r),
        (None, None, Some(0)),
        "30 days: left out, within target"
    );
    let Evidence::RapidJobSearch(lines) = &r.evidence else {
        panic!()
    };
    assert_eq!(
        lines[0].line,
        RapidSearchLine::LeftOutWithinTarget { days_so_far: 30 }
    );

    let mut w = one_coach();
    w.participant("X", "C1", shift(at(), -31), None);
    let r = w.item(ItemId::V4, at());
    assert_eq!(
        vsn(&r),
        (Some(31.0), Some(4), Some(1)),
        "31 days: counted with 31"
    );
    let Evidence::RapidJobSearch(lines) = &r.evidence else {
        panic!()
    };
    assert_eq!(lines[0].line, RapidSearchLine::NoneYet { days: 31 });
}

#[test]
fn v4_which_contacts_count() {
    let enrolled = shift(at(), -100);
    let base = || {
        let mut w = one_coach();
        w.coach("C2", 1.0, d("2020-01-01"), None)
            .participant("X", "C1", enrolled, None);
        w
    };
    let days = |w: &World| w.item(ItemId::V4, at()).value;
    // No contact: d − enrolled_on = 100.
    assert_eq!(days(&base()), Some(100.0));

    let mut w = base();
    w.participant_contact("K", "X", shift(enrolled, 10), true);
    assert_eq!(days(&w), Some(10.0), "made by the participant");

    let mut w = base();
    w.coach_contact("K", "C2", Some("X"), shift(enrolled, 12), true);
    assert_eq!(
        days(&w),
        Some(12.0),
        "made by any coach for this participant"
    );

    let mut w = base();
    w.coach_contact("K", "C1", Some("X"), shift(enrolled, 10), false);
    assert_eq!(days(&w), Some(100.0), "a phone contact does not count");

    let mut w = base();
    w.coach_contact("K", "C1", None, shift(enrolled, 10), true);
    assert_eq!(days(&w), Some(100.0), "a general contact is for nobody");

    let mut w = base();
    w.coach_contact("K", "C1", Some("Y"), shift(enrolled, 10), true);
    assert_eq!(days(&w), Some(100.0), "a contact for someone else");

    let mut w = base();
    w.participant_contact("K", "X", shift(enrolled, -1), true);
    assert_eq!(days(&w), Some(100.0), "before enrolment");

    let mut w = base();
    w.participant_contact("K", "X", enrolled, true);
    assert_eq!(days(&w), Some(0.0), "on the day of enrolment");

    let mut w = base();
    w.participant_contact("K", "X", shift(at(), 1), true);
    assert_eq!(days(&w), Some(100.0), "after the review date");

    let mut w = base();
    w.participant_contact("K2", "X", shift(enrolled, 40), true)
        .coach_contact("K1", "C1", Some("X"), shift(enrolled, 20), true);
    assert_eq!(days(&w), Some(20.0), "the earliest");
}

#[test]
fn v4_cohort_is_enrolled_in_the_year_before_the_review_date() {
    let mut w = one_coach();
    w.participant("in", "C1", shift(at(), -365), None)
        .participant("out", "C1", shift(at(), -366), None)
        .participant("later", "C1", shift(at(), 1), None);
    let r = w.item(ItemId::V4, at());
    assert_eq!(vsn(&r), (Some(365.0), Some(1), Some(1)));
}

#[test]
fn v4_mean_over_counted_participants() {
    let mut w = one_coach();
    let e = shift(at(), -200);
    w.participant("A", "C1", e, None)
        .participant("B", "C1", e, None)
        .participant("C", "C1", shift(at(), -5), None)
        .participant_contact("KA", "A", shift(e, 10), true)
        .participant_contact("KB", "B", shift(e, 51), true);
    // A 10, B 51, C left out: (10 + 51) / 2 = 30.5 → 4.
    assert_eq!(
        vsn(&w.item(ItemId::V4, at())),
        (Some(30.5), Some(4), Some(2))
    );
}

// ---- V6 Job development: frequent employer contact ----

fn v6_with_contacts(n: usize, fte: f64) -> World {
    let mut w = World::default();
    w.coach("C1", fte, d("2020-01-01"), None);
    for i in 0..n {
        w.coach_contact(
            &format!("K{i}"),
            "C1",
            None,
            shift(at(), -(i as i64 % 28)),
            true,
        );
    }
    w
}

#[test]
fn v6_rate_steps_from_records() {
    for (n, fte, value, score) in [
        (24, 1.0, 6.0, 5),
        (23, 1.0, 5.75, 4),
        (20, 1.0, 5.0, 4),
        (19, 1.0, 4.75, 3),
        (16, 1.0, 4.0, 3),
        (15, 1.0, 3.75, 2),
        (8, 1.0, 2.0, 2),
        (7, 1.0, 1.75, 1),
        (0, 1.0, 0.0, 1),
        // Half time doubles the rate.
        (12, 0.5, 6.0, 5),
        (11, 0.5, 5.5, 4),
    ] {
        let r = v6_with_contacts(n, fte).item(ItemId::V6, at());
        assert_eq!(
            vsn(&r),
            (Some(value), Some(score), Some(1)),
            "{n} contacts at fte {fte}"
        );
    }
}

#[test]
fn v6_window_is_four_weeks_ending_on_the_review_date() {
    let mut w = one_coach();
    w.coach_contact("in-27", "C1", None, shift(at(), -27), true)
        .coach_contact("in-0", "C1", None, at(), true)
        .coach_contact("out-28", "C1", None, shift(at(), -28), true)
        .coach_contact("out-after", "C1", None, shift(at(), 1), true)
        .coach_contact("phone", "C1", None, shift(at(), -3), false)
        .participant_contact("by-participant", "X", shift(at(), -3), true)
        .coach_contact("for-someone", "C1", Some("X"), shift(at(), -2), true);
    let r = w.item(ItemId::V6, at());
    assert_eq!(vsn(&r), (Some(0.75), Some(1), Some(1)));
    let Evidence::EmployerContacts(lines) = &r.evidence else {
        panic!()
    };
    let ids: Vec<_> = lines[0].contacts.iter().map(|c| c.as_str()).collect();
    assert_eq!(ids, ["in-27", "for-someone", "in-0"]);
}

#[test]
fn v6_not_scored_without_a_coach_in_post() {
    let w = World::default();
    assert_eq!(vsn(&w.item(ItemId::V6, at())), (None, None, Some(0)));
}

// ---- V8, V9, V10 ----

/// `n` paid jobs started in the year, the first `distinct` with their own code and employer,
/// the rest sharing code 9999 and employer "same".
fn jobs_world(n: usize, distinct: usize) -> World {
    let mut w = one_coach();
    w.participant("X", "C1", d("2024-01-01"), None);
    for i in 0..n {
        let (code, employer) = if i < distinct {
            (format!("{:04}", 1000 + i), format!("E{i}"))
        } else {
            ("9999".into(), "same".into())
        };
        w.job(
            &format!("J{i:03}"),
            "X",
            JobKind::Competitive,
            &employer,
            Some(&code),
            d("2025-01-01"),
            None,
        );
    }
    w
}

#[test]
fn v8_v9_diversity_steps_from_records() {
    // The first `distinct - 1` unique, then all the same: distinct values = `distinct`.
    for (n, distinct, value, score) in [
        (20, 17, 85.0, 5),
        (20, 16, 80.0, 4),
        (10, 7, 70.0, 4),
        (10, 6, 60.0, 3),
        (20, 11, 55.0, 2),
        (10, 5, 50.0, 2),
        (10, 4, 40.0, 1),
        (7, 6, 85.71, 5),
    ] {
        let w = jobs_world(n, distinct - 1);
        for item in [ItemId::V8, ItemId::V9] {
            let r = w.item(item, at());
            assert_eq!(
                vsn(&r),
                (Some(value), Some(score), Some(n as u32)),
                "{item}: {distinct}/{n}"
            );
        }
    }
}

#[test]
fn v8_v9_count_paid_jobs_started_in_the_year() {
    let mut w = one_coach();
    w.participant("X", "C1", d("2024-01-01"), None);
    let year_ago = shift(at(), -365);
    w.job(
        "in-365",
        "X",
        JobKind::Competitive,
        "E1",
        Some("1111"),
        year_ago,
        None,
    )
    .job(
        "on-d",
        "X",
        JobKind::Subsidized,
        "E2",
        Some("2222"),
        at(),
        None,
    )
    .job(
        "transitional",
        "X",
        JobKind::Transitional,
        "E3",
        Some("3333"),
        d("2025-03-01"),
        None,
    )
    .job(
        "out-366",
        "X",
        JobKind::Competitive,
        "E4",
        Some("4444"),
        shift(at(), -366),
        None,
    )
    .job(
        "after-d",
        "X",
        JobKind::Competitive,
        "E5",
        Some("5555"),
        shift(at(), 1),
        None,
    )
    .job(
        "placement",
        "X",
        JobKind::Placement,
        "E6",
        Some("6666"),
        d("2025-03-01"),
        None,
    )
    .job(
        "education",
        "X",
        JobKind::Education,
        "E7",
        Some("7777"),
        d("2025-03-01"),
        None,
    )
    .job(
        "volunteer",
        "X",
        JobKind::Volunteer,
        "E8",
        Some("8888"),
        d("2025-03-01"),
        None,
    )
    .job(
        "no-code",
        "X",
        JobKind::Competitive,
        "E1",
        None,
        d("2025-03-01"),
        None,
    );
    // V8: in-365, on-d, transitional: 3 codes / 3 jobs; no-code is left out.
    assert_eq!(
        vsn(&w.item(ItemId::V8, at())),
        (Some(100.0), Some(5), Some(3))
    );
    // V9: in-365, on-d, transitional, no-code: 3 employers (E1 twice) / 4 jobs = 75.
    assert_eq!(
        vsn(&w.item(ItemId::V9, at())),
        (Some(75.0), Some(4), Some(4))
    );
}

#[test]
fn v8_v9_v10_not_scored_without_jobs() {
    let mut w = one_coach();
    w.participant("X", "C1", d("2024-01-01"), None).job(
        "unpaid",
        "X",
        JobKind::Placement,
        "E1",
        Some("1111"),
        d("2025-03-01"),
        None,
    );
    for item in [ItemId::V8, ItemId::V9, ItemId::V10] {
        assert_eq!(vsn(&w.item(item, at())), (None, None, Some(0)), "{item}");
    }
}

#[test]
fn v10_competitive_share_of_paid_jobs_held_on_the_review_date() {
    for (competitive, other, value, score) in [
        (19, 1, 95.0, 5),
        (18, 2, 90.0, 4),
        (17, 3, 85.0, 4),
        (16, 4, 80.0, 3),
        (15, 5, 75.0, 3),
        (14, 6, 70.0, 2),
        (16, 9, 64.0, 2),
        (12, 8, 60.0, 1),
    ] {
        let mut w = one_coach();
        w.participant("X", "C1", d("2024-01-01"), None);
        for i in 0..competitive {
            w.job(
                &format!("C{i}"),
                "X",
                JobKind::Competitive,
                "E",
                None,
                d("2020-01-01"),
                None,
            );
        }
        for i in 0..other {
            let kind = if i % 2 == 0 {
                JobKind::Subsidized
            } else {
                JobKind::Transitional
            };
            w.job(
                &format!("O{i}"),
                "X",
                kind,
                "E",
                None,
                d("2020-01-01"),
                Some(at()),
            );
        }
        let n = (competitive + other) as u32;
        assert_eq!(
            vsn(&w.item(ItemId::V10, at())),
            (Some(value), Some(score), Some(n))
        );
    }
}

#[test]
fn v10_held_on_the_review_date_inclusive() {
    let mut w = one_coach();
    w.participant("X", "C1", d("2024-01-01"), None)
        .job(
            "ends-on-d",
            "X",
            JobKind::Competitive,
            "E",
            None,
            d("2025-01-01"),
            Some(at()),
        )
        .job(
            "starts-on-d",
            "X",
            JobKind::Subsidized,
            "E",
            None,
            at(),
            None,
        )
        .job(
            "ended",
            "X",
            JobKind::Subsidized,
            "E",
            None,
            d("2025-01-01"),
            Some(shift(at(), -1)),
        )
        .job(
            "later",
            "X",
            JobKind::Subsidized,
            "E",
            None,
            shift(at(), 1),
            None,
        )
        .job(
            "placement",
            "X",
            JobKind::Placement,
            "E",
            None,
            d("2025-01-01"),
            None,
        );
    assert_eq!(
        vsn(&w.item(ItemId::V10, at())),
        (Some(50.0), Some(1), Some(2))
    );
}

// ---- V13 Community-based services ----

fn v13_with_minutes(community: u32, office: u32) -> World {
    let mut w = one_coach();
    w.participant("X", "C1", d("2024-01-01"), None);
    if community > 0 {
        w.meeting("M1", "X", "C1", shift(at(), -10), community, Place::Cafe);
    }
    if office > 0 {
        w.meeting("M2", "X", "C1", shift(at(), -10), office, Place::Office);
    }
    w
}

#[test]
fn v13_share_steps_from_records() {
    for (community, office, value, score) in [
        (65, 35, 65.0, 5),
        (64, 36, 64.0, 4),
        (50, 50, 50.0, 4),
        (49, 51, 49.0, 3),
        (40, 60, 40.0, 3),
        (39, 61, 39.0, 2),
        (30, 70, 30.0, 2),
        (29, 71, 29.0, 1),
        (0, 60, 0.0, 1),
        (60, 0, 100.0, 5),
        (1, 2, 33.33, 2),
    ] {
        let r = v13_with_minutes(community, office).item(ItemId::V13, at());
        assert_eq!(
            vsn(&r),
            (Some(value), Some(score), Some(1)),
            "{community}/{office}"
        );
    }
}

#[test]
fn v13_window_places_and_coaches_left_out() {
    let mut w = one_coach();
    w.coach("phone-only", 1.0, d("2020-01-01"), None)
        .participant("X", "C1", d("2024-01-01"), None)
        .meeting("in-90", "X", "C1", shift(at(), -90), 30, Place::Home)
        .meeting("on-d", "X", "C1", at(), 30, Place::Office)
        .meeting("out-91", "X", "C1", shift(at(), -91), 500, Place::Office)
        .meeting("after", "X", "C1", shift(at(), 1), 500, Place::Office)
        .meeting("video", "X", "C1", shift(at(), -5), 500, Place::Video)
        .meeting("ph", "X", "phone-only", shift(at(), -5), 30, Place::Phone);
    let r = w.item(ItemId::V13, at());
    assert_eq!(vsn(&r), (Some(50.0), Some(4), Some(1)));
    let Evidence::Community(e) = &r.evidence else {
        panic!()
    };
    assert_eq!(e.no_in_person_meeting.len(), 1);
    assert_eq!(e.no_in_person_meeting[0].as_str(), "phone-only");
    assert_eq!(e.coaches[0].in_person_minutes, 60);
}

#[test]
fn v13_not_scored_when_no_coach_counts() {
    let mut w = one_coach();
    w.participant("X", "C1", d("2024-01-01"), None).meeting(
        "M",
        "X",
        "C1",
        shift(at(), -5),
        30,
        Place::Phone,
    );
    assert_eq!(vsn(&w.item(ItemId::V13, at())), (None, None, Some(0)));
}

#[test]
fn v13_meetings_count_for_the_coach_who_held_them() {
    // C2 meets C1's participant in a café: it is C2's minute, not C1's.
    let mut w = one_coach();
    w.coach("C2", 1.0, d("2020-01-01"), None)
        .participant("X", "C1", d("2024-01-01"), None)
        .meeting("M1", "X", "C1", shift(at(), -5), 60, Place::Office)
        .meeting("M2", "X", "C2", shift(at(), -5), 60, Place::Cafe);
    // C1 0 % → 1, C2 100 % → 5: value 50, score mean 3.
    assert_eq!(
        vsn(&w.item(ItemId::V13, at())),
        (Some(50.0), Some(3), Some(2))
    );
}

// ---- V12 Time-unlimited follow-along supports (indicator) ----

/// A job started `started` days before the review date, meetings on the given days after
/// the start.
fn v12_world(ended_after: Option<i64>, meeting_days: &[i64], place: Place) -> World {
    let mut w = one_coach();
    let s = shift(at(), -100);
    w.participant("X", "C1", d("2024-01-01"), None).job(
        "J",
        "X",
        JobKind::Competitive,
        "E",
        None,
        s,
        ended_after.map(|n| shift(s, n)),
    );
    for (i, &day) in meeting_days.iter().enumerate() {
        w.meeting(&format!("M{i}"), "X", "C1", shift(s, day), 30, place);
    }
    w
}

#[test]
fn v12_followed_and_not_followed() {
    let full = [0, 7, 14, 21, 28];
    for (ended, days, place, followed) in [
        (None, &full[..], Place::Workplace, true),
        // Edges of each period: day 3, then days 1–7, 8–14, 15–21, 22–28.
        (None, &[3, 1, 8, 15, 22][..], Place::Cafe, true),
        (None, &[0, 8, 15, 22, 28][..], Place::Cafe, false), // days 1–7 missed
        // The first days and the first week overlap: one meeting on day 1–3 serves both.
        (None, &[2, 9, 16, 23][..], Place::Home, true),
        (None, &[4, 7, 14, 21, 28][..], Place::Cafe, false), // first days missed
        (None, &[0, 7, 14, 21][..], Place::Cafe, false),     // fourth week missed
        (None, &full[..], Place::Phone, false),              // not in person
        // The job ended on day 10: weeks starting on days 15 and 22 need no meeting.
        (Some(10), &[0, 7, 14][..], Place::Cafe, true),
        (Some(10), &[0, 7][..], Place::Cafe, false), // week of days 8–14 began before the end
        // Ended on day 15: the week that begins on day 15 still needs a meeting.
        (Some(15), &[0, 7, 14][..], Place::Cafe, false),
        (Some(0), &[0][..], Place::Cafe, true),
    ] {
        let r = v12_world(ended, days, place).item(ItemId::V12, at());
        let value = if followed { 100.0 } else { 0.0 };
        assert_eq!(
            vsn(&r),
            (Some(value), None, Some(1)),
            "ended {ended:?}, days {days:?}, {place}"
        );
    }
}

#[test]
fn v12_starts_between_a_year_and_four_weeks_before() {
    let mut w = one_coach();
    w.participant("X", "C1", d("2024-01-01"), None)
        .job(
            "in-28",
            "X",
            JobKind::Competitive,
            "E",
            None,
            shift(at(), -28),
            None,
        )
        .job(
            "in-365",
            "X",
            JobKind::Subsidized,
            "E",
            None,
            shift(at(), -365),
            None,
        )
        .job(
            "out-27",
            "X",
            JobKind::Competitive,
            "E",
            None,
            shift(at(), -27),
            None,
        )
        .job(
            "out-366",
            "X",
            JobKind::Competitive,
            "E",
            None,
            shift(at(), -366),
            None,
        )
        .job(
            "unpaid",
            "X",
            JobKind::Placement,
            "E",
            None,
            shift(at(), -100),
            None,
        )
        .meeting("M0", "X", "C1", shift(at(), -28), 30, Place::Workplace);
    for k in 0..4 {
        w.meeting(
            &format!("W{k}"),
            "X",
            "C1",
            shift(at(), -28 + 7 * k + 7),
            30,
            Place::Cafe,
        );
    }
    let r = w.item(ItemId::V12, at());
    assert_eq!(vsn(&r), (Some(50.0), None, Some(2)));
}

// ---- The whole report ----

#[test]
fn null_when_nothing_counts() {
    let r = World::default().fidelity(at());
    assert_eq!(r.items.len(), 25);
    for item in &r.items {
        let computed = item.id.item().is_computed() || item.id == ItemId::V12;
        let expected = if computed { Some(0) } else { None };
        assert_eq!(vsn(item), (None, None, expected), "{}", item.id);
    }
    assert_eq!(r.computed_total, 0);
}

#[test]
fn json_shape_of_metrics_md() {
    let mut w = World::default();
    w.coach("C1", 1.0, d("2020-01-01"), None)
        .coach("C2", 1.0, d("2020-01-01"), None)
        .coach("C3", 0.5, d("2020-01-01"), None)
        .caseload("C1", 14, d("2024-01-01"))
        .caseload("C2", 22, d("2024-01-01"))
        .caseload("C3", 4, d("2024-01-01"));
    let report = w.fidelity(at());
    let json = serde_json::to_value(report.summary()).unwrap();
    let s1 = serde_json::json!({"id": "S1", "value": 14.67, "score": 5, "n": 3});
    assert_eq!(json["items"][0], s1);
    assert_eq!(
        json["items"][1],
        serde_json::json!({"id": "S2", "value": null, "score": null, "n": null})
    );
    assert_eq!(
        json["items"][14],
        serde_json::json!({"id": "V4", "value": null, "score": null, "n": 0})
    );
    let text = serde_json::to_string(&report.summary()).unwrap();
    assert!(text.starts_with(r#"{"program":"P1","at":"2025-06-30","scale":"ips-25-2008","rules":1,"items":[{"id":"S1","value":14.67,"score":5,"n":3},"#), "{text}");
    // S1 5 (5, 4, 5 → 4.67 → 5) + V6 1 (no contacts); computed_total is the sum.
    assert!(text.ends_with(r#""computed_total":6}"#), "{text}");
    let ids: Vec<_> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<_> = ItemId::ALL.iter().map(|i| i.as_str().to_owned()).collect();
    assert_eq!(ids, expected);
    // The full report, evidence and all, round-trips.
    let full = serde_json::to_string(&report).unwrap();
    let back: fika_core::fidelity::FidelityReport = serde_json::from_str(&full).unwrap();
    assert_eq!(back, report);
}
