//! METRICS.md "Quarterly outcomes".

use fika_core::outcomes::*;
use fika_core::*;

use crate::support::*;

fn q(s: &str) -> Quarter {
    Quarter::parse(s).unwrap()
}

#[test]
fn quarters_parse_and_bound() {
    for (text, first, last) in [
        ("2025Q1", "2025-01-01", "2025-03-31"),
        ("2025Q2", "2025-04-01", "2025-06-30"),
        ("2025Q3", "2025-07-01", "2025-09-30"),
        ("2025Q4", "2025-10-01", "2025-12-31"),
        ("2024Q1", "2024-01-01", "2024-03-31"),
    ] {
        let quarter = q(text);
        assert_eq!(
            (quarter.first_day(), quarter.last_day()),
            (d(first), d(last)),
            "{text}"
        );
        assert_eq!(quarter.to_string(), text);
        assert_eq!(Quarter::of(d(first)), quarter);
        assert_eq!(Quarter::of(d(last)), quarter);
    }
    assert_eq!(Quarter::of(d("2024-02-29")), q("2024Q1"));
    for bad in [
        "2025Q5", "2025Q0", "2025q2", "2025-Q2", "25Q2", "2025Q", "", " 2025Q2", "2025Q22",
    ] {
        let err = Quarter::parse(bad).unwrap_err();
        assert!(err.to_string().contains("YYYYQn"), "{bad}: {err}");
    }
    assert_eq!(q("2024Q3").through(q("2025Q2")).len(), 4);
    assert_eq!(q("2024Q4").next(), q("2025Q1"));
    assert_eq!(serde_json::to_string(&q("2025Q2")).unwrap(), r#""2025Q2""#);
}

fn figures(w: &World, quarter: &str) -> Figures {
    outcomes(&w.records(), q(quarter)).figures
}

#[test]
fn served_counts_participants_active_on_a_day_of_the_quarter() {
    let mut w = World::default();
    w.participant("enrolled-last-day", "C1", d("2025-03-31"), None)
        .participant("enrolled-next-quarter", "C1", d("2025-04-01"), None)
        .participant(
            "exited-first-day",
            "C1",
            d("2024-01-01"),
            Some(d("2025-01-01")),
        )
        .participant(
            "exited-before",
            "C1",
            d("2024-01-01"),
            Some(d("2024-12-31")),
        );
    let f = figures(&w, "2025Q1");
    assert_eq!((f.served, f.enrolled, f.exited), (2, 1, 1));
    let f = figures(&w, "2025Q2");
    assert_eq!((f.served, f.enrolled, f.exited), (2, 1, 0));
}

#[test]
fn leap_year_first_quarter_includes_29_february() {
    let mut w = World::default();
    w.participant("X", "C1", d("2024-02-29"), Some(d("2024-02-29")))
        .job(
            "J",
            "X",
            JobKind::Competitive,
            "E",
            None,
            d("2024-02-29"),
            Some(d("2024-02-29")),
        );
    let f = figures(&w, "2024Q1");
    assert_eq!(
        (
            f.served,
            f.working_competitive,
            f.job_starts,
            f.enrolled,
            f.exited
        ),
        (1, 1, 1, 1, 1)
    );
}

#[test]
fn working_and_rates() {
    let mut w = World::default();
    for p in ["A", "B", "C", "D", "E", "F", "G"] {
        w.participant(p, "C1", d("2024-01-01"), None);
    }
    w.job(
        "JA",
        "A",
        JobKind::Competitive,
        "E",
        None,
        d("2025-03-31"),
        None,
    ) // starts on Q1's last day
    .job(
        "JB",
        "B",
        JobKind::Subsidized,
        "E",
        None,
        d("2024-05-01"),
        Some(d("2025-04-01")),
    ) // ends on Q2's first day
    .job(
        "JC",
        "C",
        JobKind::Transitional,
        "E",
        None,
        d("2025-07-01"),
        None,
    ) // after Q2
    .job(
        "JD",
        "D",
        JobKind::Placement,
        "E",
        None,
        d("2025-05-01"),
        None,
    ) // unpaid
    .job(
        "JE",
        "E",
        JobKind::Education,
        "E",
        None,
        d("2025-05-01"),
        Some(d("2025-05-31")),
    )
    .job(
        "JF",
        "F",
        JobKind::Competitive,
        "E",
        None,
        d("2024-01-01"),
        Some(d("2025-03-31")),
    ); // ended in Q1
    let f = figures(&w, "2025Q2");
    assert_eq!(f.served, 7);
    assert_eq!(f.working_competitive, 1); // A
    assert_eq!(f.working_paid, 2); // A, B
    assert_eq!(f.employment_rate, Some(0.1429)); // 1/7
    assert_eq!(f.paid_employment_rate, Some(0.2857)); // 2/7
    assert_eq!(f.in_education, 1); // E
    assert_eq!(f.job_starts, 0);
    let f = figures(&w, "2025Q1");
    assert_eq!(
        (f.working_competitive, f.working_paid, f.job_starts),
        (2, 3, 1)
    ); // A, F; + B; JA
}

#[test]
fn rates_are_null_when_nobody_is_served() {
    let f = figures(&World::default(), "2025Q2");
    assert_eq!(f, Figures::default());
    assert_eq!(f.employment_rate, None);
    assert_eq!(rate(2, 3), Some(0.6667));
    assert_eq!(rate(1, 8), Some(0.125));
    assert_eq!(rate(0, 0), None);
}

#[test]
fn not_employed_at_entry_restriction() {
    let mut w = World::default();
    for p in ["A", "B", "C"] {
        w.participant(p, "C1", d("2024-01-01"), None);
    }
    w.employed_at_entry("A")
        .job(
            "JA",
            "A",
            JobKind::Competitive,
            "E",
            None,
            d("2025-01-01"),
            None,
        )
        .job(
            "JB",
            "B",
            JobKind::Competitive,
            "E",
            None,
            d("2025-01-01"),
            None,
        );
    let f = figures(&w, "2025Q2");
    assert_eq!(
        (f.served, f.working_competitive, f.employment_rate),
        (3, 2, Some(0.6667))
    );
    assert_eq!(
        (
            f.served_not_employed_at_entry,
            f.working_competitive_not_employed_at_entry,
            f.employment_rate_not_employed_at_entry
        ),
        (2, 1, Some(0.5))
    );
}

#[test]
fn job_starts_and_first_job_starts() {
    let mut w = World::default();
    for p in ["A", "B", "C"] {
        w.participant(p, "C1", d("2024-01-01"), None);
    }
    // A: first paid job in Q2, a second one in Q2 too.
    w.job(
        "A1",
        "A",
        JobKind::Competitive,
        "E",
        None,
        d("2025-04-01"),
        Some(d("2025-04-30")),
    )
    .job(
        "A2",
        "A",
        JobKind::Subsidized,
        "E",
        None,
        d("2025-06-30"),
        None,
    )
    // B: a paid job in 2024, a new one in Q2 — not a first start. An earlier placement
    // does not count as a paid job.
    .job(
        "B0",
        "B",
        JobKind::Transitional,
        "E",
        None,
        d("2024-06-01"),
        Some(d("2024-08-01")),
    )
    .job(
        "B1",
        "B",
        JobKind::Competitive,
        "E",
        None,
        d("2025-05-01"),
        None,
    )
    .job(
        "C0",
        "C",
        JobKind::Placement,
        "E",
        None,
        d("2024-06-01"),
        None,
    )
    .job(
        "C1",
        "C",
        JobKind::Competitive,
        "E",
        None,
        d("2025-05-01"),
        None,
    )
    .job(
        "C2",
        "C",
        JobKind::Volunteer,
        "E",
        None,
        d("2025-05-01"),
        None,
    );
    let f = figures(&w, "2025Q2");
    assert_eq!((f.job_starts, f.first_job_starts), (4, 2)); // A1, A2, B1, C1; A1, C1
}

#[test]
fn other_programs_records_change_nothing() {
    let mut w = World::default();
    w.participant("A", "C1", d("2024-01-01"), None).job(
        "JA",
        "A",
        JobKind::Competitive,
        "E",
        None,
        d("2025-05-01"),
        None,
    );
    let before = outcomes(&w.records(), q("2025Q2"));
    w.program = ProgramId::parse("P2").unwrap();
    w.participant("B", "C9", d("2024-01-01"), None).job(
        "JB",
        "B",
        JobKind::Competitive,
        "E",
        None,
        d("2025-05-01"),
        None,
    );
    w.program = ProgramId::parse("P1").unwrap();
    assert_eq!(outcomes(&w.records(), q("2025Q2")), before);
}

#[test]
fn by_program_in_one_pass_equals_one_program_at_a_time() {
    let mut w = World::default();
    for (program, n) in [("P1", 3), ("P2", 5), ("P3", 1)] {
        w.program = ProgramId::parse(program).unwrap();
        for i in 0..n {
            let p = format!("{program}-{i}");
            w.participant(&p, "C1", d("2024-01-01"), None);
            if i % 2 == 0 {
                w.job(
                    &format!("{p}-j"),
                    &p,
                    JobKind::Competitive,
                    "E",
                    None,
                    d("2025-05-01"),
                    None,
                );
            }
        }
    }
    let all = outcomes_by_program(&w.participants, &w.jobs, q("2025Q2"));
    assert_eq!(all.len(), 3);
    for (program, o) in &all {
        w.program = program.clone();
        assert_eq!(&outcomes(&w.records(), q("2025Q2")), o);
    }
    let group = group_outcomes(q("2025Q2"), all.values());
    assert_eq!(group.programs.len(), 3);
    // 2 + 3 + 1 working of 3 + 5 + 1 served: rates recomputed from the sums.
    assert_eq!(
        (group.figures.served, group.figures.working_competitive),
        (9, 6)
    );
    assert_eq!(group.figures.employment_rate, Some(0.6667));
}

#[test]
fn one_coach_caseload() {
    let mut w = World::default();
    w.participant("A", "C1", d("2024-01-01"), None)
        .participant("B", "C2", d("2024-01-01"), None)
        .job(
            "JB",
            "B",
            JobKind::Competitive,
            "E",
            None,
            d("2025-05-01"),
            None,
        );
    let c2 = CoachId::parse("C2").unwrap();
    let o = coach_outcomes(&w.records(), &c2, q("2025Q2"));
    assert_eq!(
        (
            o.figures.served,
            o.figures.working_competitive,
            o.figures.employment_rate
        ),
        (1, 1, Some(1.0))
    );
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(json["coach"], "C2");
}

#[test]
fn time_series_over_quarters() {
    let mut w = World::default();
    w.participant("A", "C1", d("2025-02-01"), Some(d("2025-08-15")))
        .job(
            "JA",
            "A",
            JobKind::Competitive,
            "E",
            None,
            d("2025-05-01"),
            None,
        );
    let series = outcome_series(&w.records(), &q("2024Q4").through(q("2025Q4")));
    let served: Vec<u32> = series.iter().map(|o| o.figures.served).collect();
    let working: Vec<u32> = series
        .iter()
        .map(|o| o.figures.working_competitive)
        .collect();
    assert_eq!(served, [0, 1, 1, 1, 0]);
    assert_eq!(working, [0, 0, 1, 1, 0]);
    for (o, quarter) in series.iter().zip(q("2024Q4").through(q("2025Q4"))) {
        assert_eq!(o, &outcomes(&w.records(), quarter));
    }
}

#[test]
fn reference_points() {
    use fika_core::outcomes::reference::*;
    for (rate, level) in [
        (0.0, Level::BelowMinimal),
        (0.3099, Level::BelowMinimal),
        (0.31, Level::Minimal),
        (0.4099, Level::Minimal),
        (0.41, Level::Average),
        (0.4999, Level::Average),
        (0.50, Level::Excellent),
        (1.0, Level::Excellent),
    ] {
        assert_eq!(place(rate), level, "{rate}");
    }
}

#[test]
fn json_has_program_quarter_and_every_figure_by_name() {
    let mut w = World::default();
    w.participant("A", "C1", d("2024-01-01"), None);
    let json = serde_json::to_value(outcomes(&w.records(), q("2025Q2"))).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec![
        "program",
        "quarter",
        "served",
        "working_competitive",
        "employment_rate",
        "working_paid",
        "paid_employment_rate",
        "served_not_employed_at_entry",
        "working_competitive_not_employed_at_entry",
        "employment_rate_not_employed_at_entry",
        "job_starts",
        "first_job_starts",
        "in_education",
        "enrolled",
        "exited",
    ];
    let mut keys_sorted = keys.clone();
    keys_sorted.sort();
    expected.sort();
    assert_eq!(keys_sorted, expected);
    assert_eq!(json["program"], "P1");
    assert_eq!(json["quarter"], "2025Q2");
    assert_eq!(json["employment_rate"], 0.0);
}
