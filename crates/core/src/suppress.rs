//! Small-cell suppression for published figures: counts under a threshold `n` are shown as
//! `<n`, and further cells are suppressed where the hidden ones could be worked out from
//! those still shown (complementary suppression). Pure: it takes the figures of a table and
//! says which to hide.
//!
//! The rule, for a threshold `n` (5 unless said otherwise):
//! 1. **Primary**: every count below `n` (0 included: "nobody" is a disclosure too) is hidden.
//! 2. **Complementary**: a group is a total and parts that add up to it, perhaps with a
//!    remainder that is not shown (`served` = `served_not_employed_at_entry` + those employed
//!    at entry). A remainder below `n` counts as hidden, since subtracting would reveal it.
//!    Where a group has exactly one hidden member, the smallest other shown member is hidden
//!    too (a part before the total), until no group has exactly one.
//! 3. **Rates**: a rate is hidden when its numerator or its denominator is.

/// The usual threshold.
pub const DEFAULT_THRESHOLD: u64 = 5;

/// A total and parts that add up to it (with a remainder that is not shown when
/// `remainder`). Cells are indexes into the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub total: usize,
    pub parts: Vec<usize>,
    /// The parts do not cover the total: `total − Σ parts` is a count nobody is shown.
    pub remainder: bool,
}

/// A rate: `numerator / denominator`, indexes into the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub numerator: usize,
    pub denominator: usize,
}

/// Which counts and rates to hide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    /// Per count: hidden because it is below the threshold.
    pub primary: Vec<bool>,
    /// Per count: hidden so that a primary cell cannot be worked out.
    pub complementary: Vec<bool>,
    /// Per rate: hidden.
    pub rates: Vec<bool>,
}

impl Suppressed {
    pub fn hidden(&self, count: usize) -> bool {
        self.primary[count] || self.complementary[count]
    }
    /// Whether anything at all was hidden.
    pub fn any(&self) -> bool {
        self.primary.iter().chain(&self.complementary).any(|h| *h)
    }
}

/// What a count hidden so that another cannot be worked out is shown as (it is not under
/// the threshold, so `<5` would be untrue).
pub const HIDDEN: &str = "(hidden)";

/// What a count under the threshold is shown as: `<5`.
pub fn label(threshold: u64) -> String {
    format!("<{threshold}")
}

/// Decides which of `counts` (and of `rates` over them) to hide for threshold `n`. Groups
/// and rates name counts by index; an index out of range is a programming error.
pub fn suppress(counts: &[u64], groups: &[Group], rates: &[Rate], n: u64) -> Suppressed {
    let primary: Vec<bool> = counts.iter().map(|&c| c < n).collect();
    let mut hidden = primary.clone();
    let remainder_hidden: Vec<bool> = groups
        .iter()
        .map(|g| {
            g.remainder && {
                let parts: u64 = g.parts.iter().map(|&p| counts[p]).sum();
                counts[g.total].saturating_sub(parts) < n
            }
        })
        .collect();
    loop {
        let mut changed = false;
        for (g, &rem) in groups.iter().zip(&remainder_hidden) {
            let members: Vec<usize> = g.parts.iter().copied().chain([g.total]).collect();
            let hidden_members = members.iter().filter(|&&m| hidden[m]).count() + rem as usize;
            if hidden_members != 1 {
                continue;
            }
            // Hide the smallest shown part (the first of equals), else the total.
            let shown_parts = g.parts.iter().copied().filter(|&p| !hidden[p]);
            let pick = shown_parts
                .min_by_key(|&p| counts[p])
                .or((!hidden[g.total]).then_some(g.total));
            if let Some(p) = pick {
                hidden[p] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let complementary = hidden
        .iter()
        .zip(&primary)
        .map(|(h, p)| *h && !*p)
        .collect();
    let rates = rates
        .iter()
        .map(|r| hidden[r.numerator] || hidden[r.denominator])
        .collect();
    Suppressed {
        primary,
        complementary,
        rates,
    }
}

/// The quarterly outcome figures of METRICS.md, each as published: its value, `<n` for a
/// count under the threshold, [`HIDDEN`] for a count hidden with it, or `None` for a hidden rate (and a rate with nobody to divide by). In the
/// order of [`crate::outcomes::Figures`]'s fields.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownOutcomes {
    /// `(name, shown)` per figure; a rate's value is its fraction as text.
    pub figures: Vec<(&'static str, Option<String>)>,
    /// Whether anything was hidden.
    pub any: bool,
}

/// Suppression of one line of quarterly outcomes. The groups: `served` holds
/// `served_not_employed_at_entry` and `working_paid`; `working_paid` holds
/// `working_competitive`; `working_competitive` and `served_not_employed_at_entry` each hold
/// `working_competitive_not_employed_at_entry`; `job_starts` holds `first_job_starts` — each
/// with a remainder nobody is shown. The three rates are hidden with their counts.
pub fn outcomes(f: &crate::outcomes::Figures, n: u64) -> ShownOutcomes {
    // Counts by index.
    const SERVED: usize = 0;
    const WC: usize = 1;
    const WP: usize = 2;
    const SNE: usize = 3;
    const WCNE: usize = 4;
    const STARTS: usize = 5;
    const FIRST: usize = 6;
    let counts = [
        f.served,
        f.working_competitive,
        f.working_paid,
        f.served_not_employed_at_entry,
        f.working_competitive_not_employed_at_entry,
        f.job_starts,
        f.first_job_starts,
        f.in_education,
        f.enrolled,
        f.exited,
    ]
    .map(u64::from);
    let g = |total, part| Group {
        total,
        parts: vec![part],
        remainder: true,
    };
    let groups = [
        g(SERVED, SNE),
        g(SERVED, WP),
        g(WP, WC),
        g(WC, WCNE),
        g(SNE, WCNE),
        g(STARTS, FIRST),
    ];
    let r = |numerator, denominator| Rate {
        numerator,
        denominator,
    };
    let rates = [r(WC, SERVED), r(WP, SERVED), r(WCNE, SNE)];
    let s = suppress(&counts, &groups, &rates, n);
    let count = |i: usize| {
        Some(if s.primary[i] {
            label(n)
        } else if s.complementary[i] {
            HIDDEN.to_owned()
        } else {
            counts[i].to_string()
        })
    };
    let rate = |i: usize, v: Option<f64>| {
        if s.rates[i] {
            None
        } else {
            v.map(|v| v.to_string())
        }
    };
    ShownOutcomes {
        figures: vec![
            ("served", count(SERVED)),
            ("working_competitive", count(WC)),
            ("employment_rate", rate(0, f.employment_rate)),
            ("working_paid", count(WP)),
            ("paid_employment_rate", rate(1, f.paid_employment_rate)),
            ("served_not_employed_at_entry", count(SNE)),
            ("working_competitive_not_employed_at_entry", count(WCNE)),
            (
                "employment_rate_not_employed_at_entry",
                rate(2, f.employment_rate_not_employed_at_entry),
            ),
            ("job_starts", count(STARTS)),
            ("first_job_starts", count(FIRST)),
            ("in_education", count(7)),
            ("enrolled", count(8)),
            ("exited", count(9)),
        ],
        any: s.any(),
    }
}

/// The note that goes with a suppressed table.
pub fn note(n: u64) -> String {
    format!(
        "Counts under {n} are shown as <{n}; further counts are hidden where the hidden ones \
         could be worked out from them (shown as {HIDDEN}), and rates are hidden with their counts."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(total: usize, parts: &[usize], remainder: bool) -> Group {
        Group {
            total,
            parts: parts.to_vec(),
            remainder,
        }
    }

    #[test]
    fn outcome_lines_hide_small_counts_their_complements_and_rates() {
        let f = crate::outcomes::Figures {
            served: 40,
            working_competitive: 12,
            employment_rate: Some(0.3),
            working_paid: 15,
            paid_employment_rate: Some(0.375),
            served_not_employed_at_entry: 36,
            working_competitive_not_employed_at_entry: 12,
            employment_rate_not_employed_at_entry: Some(0.3333),
            job_starts: 4,
            first_job_starts: 3,
            in_education: 5,
            enrolled: 0,
            exited: 6,
        };
        let shown = outcomes(&f, 5);
        let get = |name: &str| {
            shown
                .figures
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap()
                .1
                .clone()
        };
        assert!(shown.any);
        assert_eq!(get("served"), Some("40".into()));
        // 40 − 36 = 4 employed at entry: the 36 is hidden, and 12 − 12 = 0 of them
        // working hides the 12 of `working_competitive_not_employed_at_entry`.
        assert_eq!(get("served_not_employed_at_entry"), Some(HIDDEN.into()));
        assert_eq!(
            get("working_competitive_not_employed_at_entry"),
            Some(HIDDEN.into())
        );
        assert_eq!(get("employment_rate_not_employed_at_entry"), None);
        // 15 − 12 = 3 in subsidised or transitional jobs: the 12 goes.
        assert_eq!(get("working_competitive"), Some(HIDDEN.into()));
        assert_eq!(get("employment_rate"), None);
        assert_eq!(get("working_paid"), Some("15".into()));
        assert_eq!(get("paid_employment_rate"), Some("0.375".into()));
        assert_eq!(get("job_starts"), Some("<5".into()));
        assert_eq!(get("first_job_starts"), Some("<5".into()));
        // 5 is shown, 4 is not; 0 is under 5.
        assert_eq!(get("in_education"), Some("5".into()));
        assert_eq!(get("enrolled"), Some("<5".into()));
        assert_eq!(get("exited"), Some("6".into()));
        assert_eq!(shown.figures.len(), 13);
        // Nothing small: nothing hidden.
        let big = crate::outcomes::Figures {
            served: 100,
            working_competitive: 40,
            working_paid: 50,
            served_not_employed_at_entry: 90,
            working_competitive_not_employed_at_entry: 30,
            job_starts: 20,
            first_job_starts: 10,
            in_education: 10,
            enrolled: 10,
            exited: 10,
            ..f
        };
        assert!(!outcomes(&big, 5).any);
    }

    #[test]
    fn four_is_hidden_five_is_shown() {
        let s = suppress(&[4, 5, 0, 120], &[], &[], 5);
        assert_eq!(s.primary, vec![true, false, true, false]);
        assert_eq!(s.complementary, vec![false; 4]);
        assert_eq!(label(5), "<5");
    }

    #[test]
    fn a_complementary_cell_is_hidden_where_subtraction_would_reveal() {
        // 20 = 4 + 16: the 4 is hidden, and the 16 with it (else 20 − 16 = 4).
        let s = suppress(&[20, 4, 16], &[group(0, &[1, 2], false)], &[], 5);
        assert_eq!(s.primary, vec![false, true, false]);
        assert_eq!(s.complementary, vec![false, false, true]);
        // Two hidden parts: nothing more to hide.
        let s = suppress(&[20, 4, 3, 13], &[group(0, &[1, 2, 3], false)], &[], 5);
        assert_eq!(s.complementary, vec![false; 4]);
    }

    #[test]
    fn a_small_remainder_hides_the_part() {
        // served 12, not employed at entry 9: 3 were employed at entry.
        let s = suppress(&[12, 9], &[group(0, &[1], true)], &[], 5);
        assert_eq!(s.complementary, vec![false, true]);
        // served 12, not employed at entry 7: the 5 others may be shown.
        let s = suppress(&[12, 7], &[group(0, &[1], true)], &[], 5);
        assert!(!s.any());
        // A hidden part with a remainder that is itself hidden: two hidden, nothing more.
        let s = suppress(&[6, 3], &[group(0, &[1], true)], &[], 5);
        assert_eq!(
            (s.primary, s.complementary),
            (vec![false, true], vec![false, false])
        );
    }

    #[test]
    fn rates_over_hidden_counts_are_hidden() {
        let rates = [
            Rate {
                numerator: 1,
                denominator: 0,
            },
            Rate {
                numerator: 2,
                denominator: 0,
            },
        ];
        let s = suppress(&[30, 4, 10], &[], &rates, 5);
        assert_eq!(s.rates, vec![true, false]);
    }

    #[test]
    fn suppression_spreads_across_groups_until_none_has_one_hidden() {
        // 0 = 1 + 2 (+ remainder), 2 = 3 + 4: hiding 3 hides 4; then 2 has... 4 hidden is
        // not in the first group, so the first group stays as it is.
        let groups = [group(0, &[1, 2], false), group(2, &[3, 4], false)];
        let s = suppress(&[40, 20, 20, 2, 18], &groups, &[], 5);
        assert_eq!(s.primary, vec![false, false, false, true, false]);
        assert_eq!(s.complementary, vec![false, false, false, false, true]);
        // A chain: 1 is small, so 2 goes with it; 2 is then hidden in the second group,
        // whose smallest shown part goes too.
        let s = suppress(&[30, 3, 27, 20, 7], &groups, &[], 5);
        assert_eq!(s.primary, vec![false, true, false, false, false]);
        assert_eq!(s.complementary, vec![false, false, true, false, true]);
    }
}
