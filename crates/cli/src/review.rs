//! `fika review`: fidelity reviews — create one pre-filled with the computed items, record
//! each reviewer's ratings and the consensus, print or export it, and follow the trend.

use std::fmt::Write as _;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use fika_core::review::{FidelityReview, Rating, ReviewProblem, ReviewTotal, ReviewType, trend};
use fika_core::scale::{Band, ItemId, Lang};
use fika_core::{Date, ProgramId};
use fika_store::Store;

use crate::figures::{self, Format, csv_cell};
use crate::json;

#[derive(Subcommand)]
pub enum ReviewCommand {
    /// Start a review of a program on a date; computed items arrive pre-filled.
    Create {
        #[arg(long)]
        program: ProgramId,
        /// The review date, YYYY-MM-DD.
        #[arg(long, value_parser = figures::parse_date_arg)]
        at: Date,
        #[arg(long = "type", value_enum)]
        kind: Kind,
        /// A reviewer's name; give at least two.
        #[arg(long = "reviewer", required = true)]
        reviewers: Vec<String>,
    },
    /// Record one reviewer's rating of an item, with a short rationale.
    Rate {
        review: String,
        #[arg(long, value_parser = parse_item)]
        item: ItemId,
        #[arg(long)]
        reviewer: String,
        #[command(flatten)]
        rating: RatingArg,
        #[arg(long, default_value = "")]
        rationale: String,
    },
    /// Record the rating the reviewers agreed on for an item.
    Agree {
        review: String,
        #[arg(long, value_parser = parse_item)]
        item: ItemId,
        #[command(flatten)]
        rating: RatingArg,
    },
    /// Print a review: every item with each reviewer's rating, the consensus and the total.
    Show {
        review: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[arg(long, default_value = "en", value_parser = crate::parse_lang)]
        lang: Lang,
    },
    /// A program's reviews over time: date, type and total.
    List {
        #[arg(long)]
        program: ProgramId,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    #[value(name = "self")]
    SelfAssessment,
    Guided,
    External,
}

#[derive(Args)]
#[group(required = true, multiple = false)]
pub struct RatingArg {
    /// A score from 1 to 5.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
    score: Option<u8>,
    /// The item could not be rated.
    #[arg(long)]
    cannot_rate: bool,
}

impl RatingArg {
    fn rating(&self) -> Rating {
        self.score.map_or(Rating::CannotRate, Rating::Score)
    }
}

fn parse_item(s: &str) -> Result<ItemId, String> {
    ItemId::parse(s).map_err(|e| e.to_string())
}

fn load(store: &dyn Store, id: &str) -> anyhow::Result<FidelityReview> {
    store.review(id)?.with_context(|| {
        format!(
            "there is no review {id}; `fika review list --program ID` lists a program's reviews"
        )
    })
}

pub fn run(store: &dyn Store, command: ReviewCommand) -> anyhow::Result<String> {
    match command {
        ReviewCommand::Create {
            program,
            at,
            kind,
            reviewers,
        } => {
            let report = figures::fidelity_report(store, &program, at)?;
            let kind = match kind {
                Kind::SelfAssessment => ReviewType::SelfAssessment,
                Kind::Guided => ReviewType::GuidedSelfAssessment,
                Kind::External => ReviewType::External,
            };
            let review = FidelityReview::from_report(&report, kind, reviewers);
            let structural: Vec<String> = review
                .problems()
                .into_iter()
                .filter(|p| {
                    matches!(
                        p,
                        ReviewProblem::TooFewReviewers { .. }
                            | ReviewProblem::DuplicateReviewer { .. }
                    )
                })
                .map(|p| p.to_string())
                .collect();
            if !structural.is_empty() {
                bail!(
                    "{}; give each reviewer once with --reviewer NAME",
                    structural.join("; ")
                );
            }
            let id = store
                .create_review(&review)?
                .with_context(|| format!("there is no program with program_id {program}"))?;
            Ok(format!(
                "Created review {id} of {program} on {at}, with the computed items pre-filled.\n\
                 Next: fika review rate {id} --item S1 --reviewer NAME --score 1-5 --rationale TEXT\n"
            ))
        }
        ReviewCommand::Rate {
            review: id,
            item,
            reviewer,
            rating,
            rationale,
        } => {
            let mut review = load(store, &id)?;
            if !review.reviewers.contains(&reviewer) {
                bail!(
                    "{reviewer:?} is not a reviewer of {id}; its reviewers are {}",
                    review.reviewers.join(", ")
                );
            }
            review.rate(item, &reviewer, rating.rating(), &rationale);
            store.update_review(&id, &review)?;
            Ok(format!(
                "{id} {}: {reviewer} rated {}\n",
                item.as_str(),
                show_rating(Some(rating.rating()))
            ))
        }
        ReviewCommand::Agree {
            review: id,
            item,
            rating,
        } => {
            let mut review = load(store, &id)?;
            review.agree(item, rating.rating());
            store.update_review(&id, &review)?;
            Ok(format!(
                "{id} {}: agreed {}\n{}\n",
                item.as_str(),
                show_rating(Some(rating.rating())),
                total_line(&review.total())
            ))
        }
        ReviewCommand::Show {
            review: id,
            format,
            lang,
        } => {
            let review = load(store, &id)?;
            Ok(match format {
                Format::Xlsx => {
                    bail!("--format xlsx is for `fika outcomes` and `fika fidelity`; use csv here")
                }
                Format::Json => json::to_line(&review)? + "\n",
                Format::Csv => review_csv(&review),
                Format::Table => review_table(&id, &review, lang),
            })
        }
        ReviewCommand::List { program, format } => {
            let reviews = store.reviews(&program)?;
            let points = trend(reviews.iter().map(|(_, r)| r));
            Ok(match format {
                Format::Xlsx => {
                    bail!("--format xlsx is for `fika outcomes` and `fika fidelity`; use csv here")
                }
                Format::Json => json::to_line(&points)? + "\n",
                Format::Csv => {
                    let mut out = String::from("review_id,date,type,total,band,scored\n");
                    for ((id, r), p) in reviews.iter().zip(&points) {
                        let (total, band, scored) = total_cells(&p.total);
                        let _ = writeln!(
                            out,
                            "{id},{},{},{total},{band},{scored}",
                            r.date,
                            kind_name(r.kind)
                        );
                    }
                    out
                }
                Format::Table => {
                    if reviews.is_empty() {
                        return Ok(format!(
                            "{program} has no fidelity reviews yet; start one with `fika review create`.\n"
                        ));
                    }
                    let mut out = format!("Fidelity reviews of {program}\n");
                    for (id, r) in &reviews {
                        let _ = writeln!(
                            out,
                            "  {id:<5} {}  {:<24} {}",
                            r.date,
                            kind_name(r.kind),
                            total_line(&r.total())
                        );
                    }
                    out
                }
            })
        }
    }
}

fn kind_name(k: ReviewType) -> &'static str {
    match k {
        ReviewType::SelfAssessment => "self-assessment",
        ReviewType::GuidedSelfAssessment => "guided self-assessment",
        ReviewType::External => "external",
    }
}

fn band_name(b: Band) -> &'static str {
    match b {
        Band::Exemplary => "exemplary",
        Band::Good => "good",
        Band::Fair => "fair",
        Band::NotIps => "not IPS",
    }
}

fn show_rating(r: Option<Rating>) -> String {
    match r {
        Some(Rating::Score(s)) => s.to_string(),
        Some(Rating::CannotRate) => "cannot rate".into(),
        None => "–".into(),
    }
}

fn total_cells(t: &ReviewTotal) -> (u32, &'static str, u32) {
    match t {
        ReviewTotal::Complete { total, band } => (*total, band_name(*band), 25),
        ReviewTotal::Incomplete {
            scored_total,
            scored,
            ..
        } => (*scored_total, "", *scored),
    }
}

fn total_line(t: &ReviewTotal) -> String {
    match t {
        ReviewTotal::Complete { total, band } => {
            format!("total {total} of 125: {}", band_name(*band))
        }
        ReviewTotal::Incomplete {
            scored_total,
            scored,
            missing,
        } => format!(
            "{scored} of 25 items agreed (sum {scored_total}); no band until all are: {} still open",
            missing.len()
        ),
    }
}

fn review_csv(review: &FidelityReview) -> String {
    let mut out = String::from("item,computed_value,suggested_score,reviewer,rating,rationale\n");
    for item in &review.items {
        let (value, suggested) =
            item.computed
                .as_ref()
                .map_or((String::new(), String::new()), |c| {
                    (
                        c.value.map_or(String::new(), |v| v.to_string()),
                        c.suggested_score.map_or(String::new(), |s| s.to_string()),
                    )
                });
        for r in &item.ratings {
            let _ = writeln!(
                out,
                "{},{value},{suggested},{},{},{}",
                item.id.as_str(),
                csv_cell(&r.reviewer),
                show_rating(Some(r.rating)),
                csv_cell(&r.rationale)
            );
        }
        if let Some(c) = item.consensus {
            let _ = writeln!(
                out,
                "{},{value},{suggested},consensus,{},",
                item.id.as_str(),
                show_rating(Some(c))
            );
        }
    }
    out
}

fn review_table(id: &str, review: &FidelityReview, lang: Lang) -> String {
    let mut out = format!(
        "Review {id}: {} on {}, {}; reviewers {}\n\n",
        review.program,
        review.date,
        kind_name(review.kind),
        review.reviewers.join(", ")
    );
    let _ = write!(
        out,
        "{:<4} {:<44} {:>9} {:>9}",
        "", "", "computed", "suggested"
    );
    for r in &review.reviewers {
        let _ = write!(out, " {:>12}", truncate(r, 12));
    }
    let _ = writeln!(out, " {:>12}", "consensus");
    for item in &review.items {
        let (value, suggested) = item.computed.as_ref().map_or(("".into(), "".into()), |c| {
            (
                c.value.map_or("–".into(), |v| format!("{v:.2}")),
                show_rating(c.suggested_score.map(Rating::Score)),
            )
        });
        let _ = write!(
            out,
            "{:<4} {:<44} {value:>9} {suggested:>9}",
            item.id.as_str(),
            item.id.item().name(lang)
        );
        for r in &review.reviewers {
            let rating = item
                .ratings
                .iter()
                .find(|x| &x.reviewer == r)
                .map(|x| x.rating);
            let _ = write!(out, " {:>12}", show_rating(rating));
        }
        let _ = writeln!(out, " {:>12}", show_rating(item.consensus));
    }
    let (agree, of) = review.items_in_agreement();
    let _ = writeln!(
        out,
        "\n{}\nReviewers gave the same rating on {agree} of the {of} items all of them rated.",
        total_line(&review.total())
    );
    out
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
