//! The 25-item IPS Supported Employment Fidelity Scale (2008 revision) as versioned data.
//!
//! The scale's item wording and its manual are copyrighted by their authors, so fika keeps
//! only short names of its own, the sections, which items it computes, and the numeric
//! anchors of METRICS.md; people read the scale itself at [`SCALE_URL`]. A rule change
//! means a new [`RULES_VERSION`] (METRICS.md: "a later version of this page may change a
//! rule only with a new `rules` version in the output").

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::values::ValueError;

/// The scale this table describes, as written in every fidelity report.
pub const SCALE_ID: &str = "ips-25-2008";
/// The version of the rules of METRICS.md implemented here.
pub const RULES_VERSION: u32 = 1;
/// Where the published scale and its manual can be read (the IPS Employment Center).
pub const SCALE_URL: &str = "https://ipsworks.org/";

/// Scores run 1–5 on every item; the total runs 25–125.
pub const MIN_SCORE: u8 = 1;
pub const MAX_SCORE: u8 = 5;

/// The three sections of the scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Staffing,
    Organisation,
    Services,
}

macro_rules! item_ids {
    ($($id:ident),+ $(,)?) => {
        /// An item of the scale, S1…S3, O1…O8, V1…V14. Ordered in scale order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum ItemId { $($id),+ }

        impl ItemId {
            /// Every item, in scale order.
            pub const ALL: [ItemId; 25] = [$(ItemId::$id),+];

            pub const fn as_str(self) -> &'static str {
                match self { $(ItemId::$id => stringify!($id)),+ }
            }

            pub fn parse(s: &str) -> Result<Self, ValueError> {
                match s {
                    $(stringify!($id) => Ok(ItemId::$id),)+
                    _ => Err(ValueError(
                        "must be an item of the fidelity scale: S1–S3, O1–O8 or V1–V14".into(),
                    )),
                }
            }
        }
    };
}

item_ids!(
    S1, S2, S3, O1, O2, O3, O4, O5, O6, O7, O8, V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12,
    V13, V14,
);

impl ItemId {
    /// Position in scale order, 0–24.
    pub fn index(self) -> usize {
        self as usize
    }

    /// This item's row of [`ITEMS`].
    pub fn item(self) -> &'static ScaleItem {
        &ITEMS[self.index()]
    }
}

impl std::str::FromStr for ItemId {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        Self::parse(s)
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way a computed value is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Smaller is better: score 5 when value ≤ the first step (caseload, days).
    AtMost,
    /// Larger is better: score 5 when value ≥ the first step (rates, shares).
    AtLeast,
}

/// The numeric anchors of a computed item: the steps for scores 5, 4, 3 and 2; anything
/// beyond the last step scores 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Anchors {
    pub direction: Direction,
    /// Steps for scores 5, 4, 3, 2, in that order.
    pub steps: [f64; 4],
}

/// Room for binary rounding when a value is compared with a step: 3 / 0.1 is
/// 30.000000000000004 in floating point, but a person reading "3 participants at fte 0.1"
/// means 30. Far below the 0.01 that values are reported in.
const STEP_TOLERANCE: f64 = 1e-9;

impl Anchors {
    /// The score 1–5 of an exact (unrounded) value.
    pub fn score(&self, value: f64) -> u8 {
        let reached = |step: f64| match self.direction {
            Direction::AtMost => value <= step + STEP_TOLERANCE,
            Direction::AtLeast => value >= step - STEP_TOLERANCE,
        };
        self.steps
            .iter()
            .position(|&s| reached(s))
            .map_or(MIN_SCORE, |i| MAX_SCORE - i as u8)
    }
}

/// How an item gets its score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ItemRule {
    /// Scored by reviewers only.
    Reviewers,
    /// Scored from records by the anchors; `per_coach` items score each coach and take the
    /// mean of the coach scores rounded half up.
    Computed { per_coach: bool, anchors: Anchors },
    /// A value is computed as evidence for reviewers, who score the item (V12).
    Indicator,
}

/// One row of the scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScaleItem {
    pub id: ItemId,
    pub section: Section,
    /// Short English name (fika's own words, not the scale's text).
    pub name_en: &'static str,
    /// Short Swedish name.
    pub name_sv: &'static str,
    pub rule: ItemRule,
}

impl ScaleItem {
    pub fn is_computed(&self) -> bool {
        matches!(self.rule, ItemRule::Computed { .. })
    }

    /// The anchors of a computed item.
    pub fn anchors(&self) -> Option<&'static Anchors> {
        anchors(self.id)
    }

    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.name_en,
            Lang::Sv => self.name_sv,
        }
    }
}

/// The languages item names are kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    En,
    Sv,
}

const fn at_most(steps: [f64; 4]) -> Anchors {
    Anchors {
        direction: Direction::AtMost,
        steps,
    }
}
const fn at_least(steps: [f64; 4]) -> Anchors {
    Anchors {
        direction: Direction::AtLeast,
        steps,
    }
}

/// METRICS.md, the anchors of every computed item. The computations take their score steps
/// from here and nowhere else.
pub const ANCHORS: [(ItemId, Anchors); 7] = [
    // S1: caseload ≤ 20 → 5; ≤ 25 → 4; ≤ 30 → 3; ≤ 40 → 2.
    (ItemId::S1, at_most([20.0, 25.0, 30.0, 40.0])),
    // V4: days ≤ 30 → 5; ≤ 60 → 4; ≤ 150 → 3; ≤ 270 → 2.
    (ItemId::V4, at_most([30.0, 60.0, 150.0, 270.0])),
    // V6: contacts per week per full-time coach ≥ 6 → 5; ≥ 5 → 4; ≥ 4 → 3; ≥ 2 → 2.
    (ItemId::V6, at_least([6.0, 5.0, 4.0, 2.0])),
    // V8, V9: ≥ 85 → 5; ≥ 70 → 4; ≥ 60 → 3; ≥ 50 → 2.
    (ItemId::V8, at_least([85.0, 70.0, 60.0, 50.0])),
    (ItemId::V9, at_least([85.0, 70.0, 60.0, 50.0])),
    // V10: ≥ 95 → 5; ≥ 85 → 4; ≥ 75 → 3; ≥ 64 → 2.
    (ItemId::V10, at_least([95.0, 85.0, 75.0, 64.0])),
    // V13: ≥ 65 → 5; ≥ 50 → 4; ≥ 40 → 3; ≥ 30 → 2.
    (ItemId::V13, at_least([65.0, 50.0, 40.0, 30.0])),
];

/// The anchors of a computed item (S1, V4, V6, V8, V9, V10, V13); `None` for the others.
pub fn anchors(id: ItemId) -> Option<&'static Anchors> {
    ANCHORS.iter().find(|(i, _)| *i == id).map(|(_, a)| a)
}

/// The anchors of a computed item; panics for an item that is not computed, which is a
/// programming error (the computed items are fixed by this table).
pub(crate) fn anchors_of(id: ItemId) -> &'static Anchors {
    anchors(id).expect("a computed item has anchors in scale::ANCHORS")
}

const fn computed(id: ItemId, per_coach: bool) -> ItemRule {
    let mut i = 0;
    while i < ANCHORS.len() {
        if ANCHORS[i].0 as u8 == id as u8 {
            return ItemRule::Computed {
                per_coach,
                anchors: ANCHORS[i].1,
            };
        }
        i += 1;
    }
    panic!("computed item without anchors");
}

const fn item(
    id: ItemId,
    section: Section,
    name_en: &'static str,
    name_sv: &'static str,
    rule: ItemRule,
) -> ScaleItem {
    ScaleItem {
        id,
        section,
        name_en,
        name_sv,
        rule,
    }
}

use ItemId::*;
use ItemRule::{Indicator, Reviewers};
use Section::*;

/// The 25 items in scale order.
pub const ITEMS: [ScaleItem; 25] = [
    item(
        S1,
        Staffing,
        "Caseload size",
        "Ärendemängd",
        computed(S1, true),
    ),
    item(
        S2,
        Staffing,
        "Employment services staff",
        "Personal för arbetsstöd",
        Reviewers,
    ),
    item(
        S3,
        Staffing,
        "Vocational generalists",
        "Generalister i arbetsstödet",
        Reviewers,
    ),
    item(
        O1,
        Organisation,
        "Integration through team assignment",
        "Integration genom teamtillhörighet",
        Reviewers,
    ),
    item(
        O2,
        Organisation,
        "Integration through team contact",
        "Integration genom teamkontakt",
        Reviewers,
    ),
    item(
        O3,
        Organisation,
        "Collaboration with vocational rehabilitation",
        "Samverkan med arbetslivsinriktad rehabilitering",
        Reviewers,
    ),
    item(
        O4,
        Organisation,
        "Vocational unit",
        "Sammanhållen IPS-enhet",
        Reviewers,
    ),
    item(
        O5,
        Organisation,
        "Role of the employment supervisor",
        "Arbetsledarens roll",
        Reviewers,
    ),
    item(
        O6,
        Organisation,
        "Zero exclusion criteria",
        "Inga uteslutningskriterier",
        Reviewers,
    ),
    item(
        O7,
        Organisation,
        "Agency focus on competitive employment",
        "Verksamhetens fokus på arbete på öppna marknaden",
        Reviewers,
    ),
    item(
        O8,
        Organisation,
        "Executive team support",
        "Ledningens stöd",
        Reviewers,
    ),
    item(
        V1,
        Services,
        "Work incentives planning",
        "Planering kring ersättningar",
        Reviewers,
    ),
    item(
        V2,
        Services,
        "Disclosure",
        "Öppenhet mot arbetsgivare",
        Reviewers,
    ),
    item(
        V3,
        Services,
        "Ongoing work-based assessment",
        "Löpande arbetsbaserad kartläggning",
        Reviewers,
    ),
    item(
        V4,
        Services,
        "Rapid job search",
        "Snabb jobbsökning",
        computed(V4, false),
    ),
    item(
        V5,
        Services,
        "Individualised job search",
        "Individanpassad jobbsökning",
        Reviewers,
    ),
    item(
        V6,
        Services,
        "Job development: frequent employer contact",
        "Jobbutveckling: täta arbetsgivarkontakter",
        computed(V6, true),
    ),
    item(
        V7,
        Services,
        "Job development: quality of employer contact",
        "Jobbutveckling: kvalitet i arbetsgivarkontakter",
        Reviewers,
    ),
    item(
        V8,
        Services,
        "Diversity of job types",
        "Variation i yrken",
        computed(V8, false),
    ),
    item(
        V9,
        Services,
        "Diversity of employers",
        "Variation i arbetsgivare",
        computed(V9, false),
    ),
    item(
        V10,
        Services,
        "Competitive jobs",
        "Arbeten på öppna marknaden",
        computed(V10, false),
    ),
    item(
        V11,
        Services,
        "Individualised follow-along supports",
        "Individanpassat stöd i arbetet",
        Reviewers,
    ),
    item(
        V12,
        Services,
        "Time-unlimited follow-along supports",
        "Tidsobegränsat stöd i arbetet",
        Indicator,
    ),
    item(
        V13,
        Services,
        "Community-based services",
        "Stöd ute i samhället",
        computed(V13, true),
    ),
    item(
        V14,
        Services,
        "Assertive engagement and outreach",
        "Aktivt uppsökande arbete",
        Reviewers,
    ),
];

/// Bands of the total score (METRICS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// 115–125.
    Exemplary,
    /// 100–114.
    Good,
    /// 74–99.
    Fair,
    /// 73 and below.
    NotIps,
}

/// The lowest total of each band, best first.
pub const BANDS: [(u32, Band); 4] = [
    (115, Band::Exemplary),
    (100, Band::Good),
    (74, Band::Fair),
    (0, Band::NotIps),
];

impl Band {
    /// The band of a total of all 25 item scores.
    pub fn of_total(total: u32) -> Band {
        BANDS
            .iter()
            .find(|(low, _)| total >= *low)
            .map_or(Band::NotIps, |(_, b)| *b)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Band::Exemplary => "exemplary",
            Band::Good => "good",
            Band::Fair => "fair",
            Band::NotIps => "not_ips",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_in_scale_order() {
        for (i, it) in ITEMS.iter().enumerate() {
            assert_eq!(it.id.index(), i);
            assert_eq!(ItemId::parse(it.id.as_str()), Ok(it.id));
        }
        let computed: Vec<_> = ITEMS
            .iter()
            .filter(|i| i.is_computed())
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(computed, ["S1", "V4", "V6", "V8", "V9", "V10", "V13"]);
        assert_eq!(V12.item().rule, ItemRule::Indicator);
        assert_eq!(S1.item().anchors(), Some(anchors_of(S1)));
        assert_eq!(ITEMS.iter().filter(|i| i.section == Staffing).count(), 3);
        assert_eq!(
            ITEMS.iter().filter(|i| i.section == Organisation).count(),
            8
        );
        assert_eq!(ITEMS.iter().filter(|i| i.section == Services).count(), 14);
    }

    #[test]
    fn bands() {
        assert_eq!(Band::of_total(125), Band::Exemplary);
        assert_eq!(Band::of_total(115), Band::Exemplary);
        assert_eq!(Band::of_total(114), Band::Good);
        assert_eq!(Band::of_total(100), Band::Good);
        assert_eq!(Band::of_total(99), Band::Fair);
        assert_eq!(Band::of_total(74), Band::Fair);
        assert_eq!(Band::of_total(73), Band::NotIps);
        assert_eq!(Band::of_total(25), Band::NotIps);
    }
}
