//! Fidelity reviews: two or more reviewers score every item of the scale, then agree a
//! consensus score per item (METRICS.md: "a fidelity review has two reviewers who score
//! independently and then agree a consensus score"). The computed items arrive pre-filled
//! with fika's value, evidence and suggested score ([`FidelityReview::from_report`]); the
//! reviewers decide.
//!
//! Readings chosen here:
//! - The consensus is agreed freely: it need not lie between the reviewers' scores; only
//!   1–5 is checked.
//! - A total, and so a band, exists only when all 25 items have a consensus score. With any
//!   item missing or agreed as "cannot rate", the total is [`ReviewTotal::Incomplete`]: the
//!   items still missing and the sum of those scored, never a band, since the bands are
//!   defined on 25 scores.
//!
//! A plain value: storage and screens come from the store and web crates.

use std::collections::BTreeSet;

use chrono::NaiveDate as Date;
use serde::{Deserialize, Serialize};

use crate::fidelity::{Evidence, FidelityReport};
use crate::id::ProgramId;
use crate::scale::{Band, ITEMS, ItemId, MAX_SCORE, MIN_SCORE};

/// Who reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewType {
    /// The program's own team.
    SelfAssessment,
    /// The team, guided by someone from outside.
    GuidedSelfAssessment,
    /// Reviewers from outside the program.
    External,
}

/// One reviewer's or the consensus rating of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// 1–5.
    Score(u8),
    /// The reviewer could not rate the item (e.g. nothing to see during the visit).
    CannotRate,
}

impl Rating {
    pub fn score(self) -> Option<u8> {
        match self {
            Rating::Score(s) => Some(s),
            Rating::CannotRate => None,
        }
    }
}

/// One reviewer's rating of an item, with a short rationale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerRating {
    /// The reviewer's name as listed in [`FidelityReview::reviewers`].
    pub reviewer: String,
    pub rating: Rating,
    pub rationale: String,
}

/// What fika computed for an item, shown to the reviewers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Computed {
    pub value: Option<f64>,
    pub n: Option<u32>,
    /// The score the rules give; `None` for V12 and where nothing counted.
    pub suggested_score: Option<u8>,
    pub evidence: Evidence,
}

/// One item of a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub id: ItemId,
    pub computed: Option<Computed>,
    pub ratings: Vec<ReviewerRating>,
    /// The agreed rating; `None` until agreed.
    pub consensus: Option<Rating>,
    /// Why the reviewers agreed on it: the observations and recommendations the report
    /// sends (empty when none was given; left out of the JSON then, so reviews stored
    /// before it read and write as they did).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub consensus_rationale: String,
}

/// A fidelity review of one program on one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FidelityReview {
    pub program: ProgramId,
    pub date: Date,
    pub kind: ReviewType,
    pub reviewers: Vec<String>,
    /// The 25 items in scale order.
    pub items: Vec<ReviewItem>,
}

/// The total of a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ReviewTotal {
    /// All 25 items have a consensus score.
    Complete { total: u32, band: Band },
    /// Some items have no consensus score yet, or were agreed as "cannot rate".
    Incomplete {
        /// Sum of the consensus scores there are (not comparable with the bands).
        scored_total: u32,
        scored: u32,
        missing: Vec<ItemId>,
    },
}

/// A broken rule of a review.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ReviewProblem {
    #[error("a review needs at least two reviewers; it has {count}")]
    TooFewReviewers { count: usize },
    #[error("reviewer {name:?} is listed twice")]
    DuplicateReviewer { name: String },
    #[error("a review holds the 25 items of the scale in scale order, S1 to V14")]
    ItemsNotInScaleOrder,
    #[error("{item}: a score is a whole number from 1 to 5, not {score}")]
    ScoreOutOfRange { item: ItemId, score: u8 },
    #[error("{item}: {name:?} is not one of the review's reviewers")]
    UnknownReviewer { item: ItemId, name: String },
    #[error("{item}: {name:?} rated it more than once")]
    RatedTwice { item: ItemId, name: String },
    #[error("{item}: {name:?} has not rated it yet (a score or \"cannot rate\")")]
    NotRated { item: ItemId, name: String },
}

impl FidelityReview {
    /// An empty review: 25 items, nothing rated.
    pub fn new(program: ProgramId, date: Date, kind: ReviewType, reviewers: Vec<String>) -> Self {
        FidelityReview {
            program,
            date,
            kind,
            reviewers,
            items: ITEMS
                .iter()
                .map(|i| ReviewItem {
                    id: i.id,
                    computed: None,
                    ratings: Vec::new(),
                    consensus: None,
                    consensus_rationale: String::new(),
                })
                .collect(),
        }
    }

    /// A review with the computed items pre-filled from fika's report on the review date.
    pub fn from_report(report: &FidelityReport, kind: ReviewType, reviewers: Vec<String>) -> Self {
        let mut review = Self::new(report.program.clone(), report.at, kind, reviewers);
        for (item, result) in review.items.iter_mut().zip(&report.items) {
            if result.n.is_some() {
                item.computed = Some(Computed {
                    value: result.value,
                    n: result.n,
                    suggested_score: result.score,
                    evidence: result.evidence.clone(),
                });
            }
        }
        review
    }

    pub fn item(&self, id: ItemId) -> Option<&ReviewItem> {
        self.items.iter().find(|i| i.id == id)
    }

    fn item_mut(&mut self, id: ItemId) -> Option<&mut ReviewItem> {
        self.items.iter_mut().find(|i| i.id == id)
    }

    /// Records (or replaces) a reviewer's rating of an item.
    pub fn rate(&mut self, id: ItemId, reviewer: &str, rating: Rating, rationale: &str) {
        if let Some(item) = self.item_mut(id) {
            item.ratings.retain(|r| r.reviewer != reviewer);
            item.ratings.push(ReviewerRating {
                reviewer: reviewer.to_owned(),
                rating,
                rationale: rationale.to_owned(),
            });
        }
    }

    /// Records the agreed rating of an item.
    pub fn agree(&mut self, id: ItemId, consensus: Rating) {
        if let Some(item) = self.item_mut(id) {
            item.consensus = Some(consensus);
        }
    }

    /// Records the agreed rating of an item with the reviewers' rationale for it.
    pub fn agree_with_rationale(&mut self, id: ItemId, consensus: Rating, rationale: &str) {
        if let Some(item) = self.item_mut(id) {
            item.consensus = Some(consensus);
            rationale.clone_into(&mut item.consensus_rationale);
        }
    }

    /// Every broken rule: at least two distinct reviewers, the 25 items in scale order, every
    /// score 1–5, and (for a finished review) every reviewer has rated every item.
    pub fn problems(&self) -> Vec<ReviewProblem> {
        let mut out = Vec::new();
        if self.reviewers.len() < 2 {
            out.push(ReviewProblem::TooFewReviewers {
                count: self.reviewers.len(),
            });
        }
        let mut names = BTreeSet::new();
        for name in &self.reviewers {
            if !names.insert(name.as_str()) {
                out.push(ReviewProblem::DuplicateReviewer { name: name.clone() });
            }
        }
        if !self.items.iter().map(|i| i.id).eq(ItemId::ALL) {
            out.push(ReviewProblem::ItemsNotInScaleOrder);
        }
        let check = |item: ItemId, r: Rating, out: &mut Vec<ReviewProblem>| {
            if let Rating::Score(score) = r
                && !(MIN_SCORE..=MAX_SCORE).contains(&score)
            {
                out.push(ReviewProblem::ScoreOutOfRange { item, score });
            }
        };
        for item in &self.items {
            let mut seen = BTreeSet::new();
            for r in &item.ratings {
                check(item.id, r.rating, &mut out);
                if !names.contains(r.reviewer.as_str()) {
                    out.push(ReviewProblem::UnknownReviewer {
                        item: item.id,
                        name: r.reviewer.clone(),
                    });
                } else if !seen.insert(r.reviewer.as_str()) {
                    out.push(ReviewProblem::RatedTwice {
                        item: item.id,
                        name: r.reviewer.clone(),
                    });
                }
            }
            for name in names.iter().filter(|n| !seen.contains(*n)) {
                out.push(ReviewProblem::NotRated {
                    item: item.id,
                    name: (*name).to_owned(),
                });
            }
            if let Some(c) = item.consensus {
                check(item.id, c, &mut out);
            }
        }
        out
    }

    /// The total and band, or what is still missing (see the module's readings).
    pub fn total(&self) -> ReviewTotal {
        let mut total = 0;
        let mut scored = 0;
        let mut missing = Vec::new();
        for id in ItemId::ALL {
            match self
                .item(id)
                .and_then(|i| i.consensus)
                .and_then(Rating::score)
                .filter(|s| (MIN_SCORE..=MAX_SCORE).contains(s))
            {
                Some(s) => {
                    total += u32::from(s);
                    scored += 1;
                }
                None => missing.push(id),
            }
        }
        if missing.is_empty() {
            ReviewTotal::Complete {
                total,
                band: Band::of_total(total),
            }
        } else {
            ReviewTotal::Incomplete {
                scored_total: total,
                scored,
                missing,
            }
        }
    }

    /// Items on which all reviewers gave the same rating, out of the items rated by all.
    pub fn items_in_agreement(&self) -> (u32, u32) {
        let mut same = 0;
        let mut rated = 0;
        for item in &self.items {
            if item.ratings.len() >= 2 && item.ratings.len() == self.reviewers.len() {
                rated += 1;
                if item
                    .ratings
                    .iter()
                    .all(|r| r.rating == item.ratings[0].rating)
                {
                    same += 1;
                }
            }
        }
        (same, rated)
    }
}

/// One point of a program's fidelity trend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub date: Date,
    pub kind: ReviewType,
    pub total: ReviewTotal,
}

/// Totals of several reviews, oldest first (ties keep the order given).
pub fn trend<'a>(reviews: impl IntoIterator<Item = &'a FidelityReview>) -> Vec<TrendPoint> {
    let mut points: Vec<TrendPoint> = reviews
        .into_iter()
        .map(|r| TrendPoint {
            date: r.date,
            kind: r.kind,
            total: r.total(),
        })
        .collect();
    points.sort_by_key(|p| p.date);
    points
}
