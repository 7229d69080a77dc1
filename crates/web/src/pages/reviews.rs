//! Fidelity reviews in the web, over the store functions `fika review` uses
//! (`create_review`, `review`, `update_review`, `reviews`) and `fika-core`'s review rules:
//! a lead (their own program) or an evaluator (any program) starts a review on a date with
//! the computed items pre-filled; each reviewer — named by their sign-in name — rates the
//! items on their own and sees the others' ratings only once every reviewer has rated every
//! item; then the consensus per item, the total and band, the trend over earlier reviews,
//! and a report page to print.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect};
use chrono::NaiveDate as Date;
use fika_core::ProgramId;
use fika_core::review::{FidelityReview, Rating, ReviewProblem, ReviewTotal, ReviewType, trend};
use fika_core::scale::{Band, ItemId};
use fika_report::Table;
use fika_store::{Role, StoreError};

use super::questionnaires::report_lang;
use super::{Fields, Layout, bad, bad_choice, field, fields, form_date};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};

/// The program a lead answers for; an evaluator may choose any.
fn program_for(me: &SignedIn, asked: Option<&str>) -> Result<Option<ProgramId>, AppError> {
    match me.user.role {
        Role::Lead => Ok(Some(me.user.program.clone().ok_or(AppError::Forbidden)?)),
        Role::Evaluator => asked
            .map(|p| ProgramId::parse(p).map_err(|_| AppError::NotFound))
            .transpose(),
        _ => Err(AppError::Forbidden),
    }
}

/// A review the signed-in user may see: a lead's own program's, any for an evaluator.
async fn load(st: &AppState, me: &SignedIn, id: &str) -> Result<FidelityReview, AppError> {
    me.require(&[Role::Lead, Role::Evaluator])?;
    let wanted = id.to_owned();
    let review = st
        .db(move |s| s.review(&wanted))
        .await??
        .ok_or(AppError::NotFound)?;
    if me.user.role == Role::Lead && me.user.program.as_ref() != Some(&review.program) {
        // Another program's review is as if it did not exist.
        return Err(AppError::NotFound);
    }
    Ok(review)
}

fn kind_key(k: ReviewType) -> &'static str {
    match k {
        ReviewType::SelfAssessment => "review-kind-self",
        ReviewType::GuidedSelfAssessment => "review-kind-guided",
        ReviewType::External => "review-kind-external",
    }
}

fn band_key(b: Band) -> &'static str {
    match b {
        Band::Exemplary => "review-band-exemplary",
        Band::Good => "review-band-good",
        Band::Fair => "review-band-fair",
        Band::NotIps => "review-band-not-ips",
    }
}

/// A total as people read it: `112 (good)`, or what is still missing.
fn total_text(me: &SignedIn, t: &ReviewTotal) -> String {
    let tr = me.tr();
    match t {
        ReviewTotal::Complete { total, band } => tr.args(
            "review-total-complete",
            &[
                ("total", total.to_string()),
                ("band", tr.t(band_key(*band))),
            ],
        ),
        ReviewTotal::Incomplete {
            scored_total,
            missing,
            ..
        } => tr.args(
            "review-total-incomplete",
            &[
                ("scored", scored_total.to_string()),
                ("missing", missing.len().to_string()),
            ],
        ),
    }
}

fn rating_text(me: &SignedIn, r: Option<Rating>) -> String {
    match r {
        Some(Rating::Score(s)) => s.to_string(),
        Some(Rating::CannotRate) => me.tr().t("review-cannot-rate"),
        None => "–".into(),
    }
}

/// Whether every reviewer has rated every item: until then each sees only their own.
fn revealed(review: &FidelityReview) -> bool {
    !review
        .problems()
        .iter()
        .any(|p| matches!(p, ReviewProblem::NotRated { .. }))
}

pub struct ReviewLine {
    pub id: String,
    pub date: Date,
    pub kind: String,
    pub total: String,
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct ReviewsPage {
    l: Layout,
    evaluator: bool,
    programs: Vec<fika_core::Program>,
    program: Option<fika_core::Program>,
    reviews: Vec<ReviewLine>,
    /// The totals over the reviews, drawn with their table (when any is complete).
    trend: String,
    today: Date,
}

#[derive(serde::Deserialize)]
pub struct ReviewsQuery {
    program: Option<String>,
}

/// A program's reviews (the trend) and the form to start one.
pub async fn list(
    State(st): State<AppState>,
    me: SignedIn,
    Query(q): Query<ReviewsQuery>,
) -> Result<Html<String>, AppError> {
    me.require(&[Role::Lead, Role::Evaluator])?;
    let chosen = program_for(&me, q.program.as_deref().filter(|p| !p.is_empty()))?;
    let (programs, reviews) = st
        .db(move |s| -> Result<_, StoreError> {
            let programs = s.programs()?;
            let reviews = match &chosen {
                Some(p) => s.reviews(p)?,
                None => Vec::new(),
            };
            Ok((programs, reviews))
        })
        .await??;
    let program = match (&q.program, me.user.role) {
        (_, Role::Lead) => programs
            .iter()
            .find(|p| Some(&p.id) == me.user.program.as_ref())
            .cloned(),
        (Some(p), _) if !p.is_empty() => Some(
            programs
                .iter()
                .find(|x| x.id.as_str() == p)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        _ => None,
    };
    let lang = report_lang(&me);
    let points = trend(reviews.iter().map(|(_, r)| r));
    let chart = fika_report::Chart {
        id: "review-trend".into(),
        title: me.tr().t("review-trend-title"),
        description: me.tr().t("review-trend-text"),
        kind: fika_report::ChartKind::Lines,
        category_label: me.tr().t("review-date"),
        categories: points.iter().map(|p| p.date.to_string()).collect(),
        series: vec![fika_report::Series {
            name: me.tr().t("review-total"),
            values: points
                .iter()
                .map(|p| match p.total {
                    ReviewTotal::Complete { total, .. } => Some(f64::from(total)),
                    ReviewTotal::Incomplete { .. } => None,
                })
                .collect(),
        }],
        references: vec![
            fika_report::Reference {
                label: me.tr().t("review-band-good"),
                value: 100.0,
            },
            fika_report::Reference {
                label: me.tr().t("review-band-exemplary"),
                value: 115.0,
            },
        ],
        percent: false,
        max: Some(125.0),
    };
    let page = ReviewsPage {
        l: Layout::new(&me, "/reviews", "review-nav"),
        evaluator: me.user.role == Role::Evaluator,
        trend: if points.is_empty() {
            String::new()
        } else {
            chart.figure(lang)
        },
        reviews: reviews
            .iter()
            .map(|(id, r)| ReviewLine {
                id: id.clone(),
                date: r.date,
                kind: me.tr().t(kind_key(r.kind)),
                total: total_text(&me, &r.total()),
            })
            .collect(),
        programs,
        program,
        today: st.clock.today(),
    };
    Ok(Html(page.render()?))
}

/// Starts a review: the computed items pre-filled from the records on the review date.
pub async fn create(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Lead, Role::Evaluator])?;
    let program =
        program_for(&me, field(&f, "program"))?.ok_or_else(|| bad("bad-review-program"))?;
    let at = form_date(field(&f, "date"), st.clock.today())?;
    let kind = match field(&f, "kind").unwrap_or("") {
        "self" => ReviewType::SelfAssessment,
        "guided" => ReviewType::GuidedSelfAssessment,
        "external" => ReviewType::External,
        other => return Err(bad_choice("review-kind", other)),
    };
    let reviewers: Vec<String> = fields(&f, "reviewers")
        .flat_map(|v| v.split([',', '\n']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let id = st
        .db(move |s| -> Result<_, AppError> {
            let data = s.fidelity_data(&program, at)?.ok_or(AppError::NotFound)?;
            let report = fika_core::fidelity::fidelity(&data.records(), at);
            let review = FidelityReview::from_report(&report, kind, reviewers);
            if let Some(p) = review.problems().into_iter().find(|p| {
                matches!(
                    p,
                    ReviewProblem::TooFewReviewers { .. } | ReviewProblem::DuplicateReviewer { .. }
                )
            }) {
                return Err(match p {
                    ReviewProblem::DuplicateReviewer { name } => {
                        AppError::BadInput(Say::new("bad-review-reviewer-twice").text("name", name))
                    }
                    _ => bad("bad-review-reviewers"),
                });
            }
            let id = s.create_review(&review)?.ok_or(AppError::NotFound)?;
            Ok(id)
        })
        .await??;
    Ok(Redirect::to(&format!("/reviews/{id}")))
}

/// One item on the review page.
pub struct ItemLine {
    pub id: &'static str,
    pub name: &'static str,
    /// fika's value, suggested score and count, for a computed item.
    pub computed_text: String,
    /// The records behind a computed item (coaches, participants by ID, jobs), as HTML
    /// tables rendered by `fika-report`; empty for an item reviewers score.
    pub evidence: String,
    /// The signed-in reviewer's rating and rationale (for the form).
    pub mine: String,
    pub my_rationale: String,
    /// Every reviewer's rating and rationale, once revealed.
    pub others: Vec<(String, String, String)>,
    pub consensus: String,
    pub consensus_value: String,
    pub consensus_rationale: String,
}

impl ItemLine {
    pub fn mine_is(&self, v: &str) -> bool {
        self.mine == v
    }
    pub fn consensus_is(&self, v: &str) -> bool {
        self.consensus_value == v
    }
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    l: Layout,
    id: String,
    program: String,
    date: Date,
    kind: String,
    reviewers: String,
    /// Whether the signed-in user is one of the reviewers.
    reviewer: bool,
    revealed: bool,
    /// Reviewers who have not rated every item yet.
    waiting: String,
    items: Vec<ItemLine>,
    total: String,
    agreement: String,
    report: bool,
    footer: String,
    /// Caseloads against 20 and the share of in-person minutes in the community, drawn from
    /// the computed items' records, each with its table.
    charts: String,
}

fn item_lines(me: &SignedIn, review: &FidelityReview, show_all: bool) -> Vec<ItemLine> {
    let lang = report_lang(me);
    let login = &me.user.login;
    review
        .items
        .iter()
        .map(|i| {
            let mine = i.ratings.iter().find(|r| &r.reviewer == login);
            let opt = |v: Option<String>| v.unwrap_or_else(|| "–".into());
            ItemLine {
                id: i.id.as_str(),
                name: i.id.item().name(lang),
                computed_text: match &i.computed {
                    None => "–".into(),
                    Some(c) => me.tr().args(
                        "review-computed-line",
                        &[
                            ("value", opt(c.value.map(|v| format!("{v:.2}")))),
                            ("score", opt(c.suggested_score.map(|s| s.to_string()))),
                            ("n", opt(c.n.map(|n| n.to_string()))),
                        ],
                    ),
                },
                evidence: i
                    .computed
                    .as_ref()
                    .map(|c| evidence_html(&c.evidence, lang))
                    .unwrap_or_default(),
                mine: match mine.map(|r| r.rating) {
                    Some(Rating::Score(s)) => s.to_string(),
                    Some(Rating::CannotRate) => "cannot".into(),
                    None => String::new(),
                },
                my_rationale: mine.map(|r| r.rationale.clone()).unwrap_or_default(),
                others: if show_all {
                    i.ratings
                        .iter()
                        .map(|r| {
                            (
                                r.reviewer.clone(),
                                rating_text(me, Some(r.rating)),
                                r.rationale.clone(),
                            )
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                consensus: rating_text(me, i.consensus),
                consensus_rationale: i.consensus_rationale.clone(),
                consensus_value: match i.consensus {
                    Some(Rating::Score(s)) => s.to_string(),
                    Some(Rating::CannotRate) => "cannot".into(),
                    None => String::new(),
                },
            }
        })
        .collect()
}

async fn render(
    st: &AppState,
    me: &SignedIn,
    id: &str,
    report: bool,
) -> Result<Html<String>, AppError> {
    let review = load(st, me, id).await?;
    let open = revealed(&review);
    let waiting: Vec<&str> = review
        .reviewers
        .iter()
        .filter(|name| {
            review
                .items
                .iter()
                .any(|i| !i.ratings.iter().any(|r| &r.reviewer == *name))
        })
        .map(String::as_str)
        .collect();
    let (same, rated) = review.items_in_agreement();
    let page = ReviewPage {
        l: Layout::new(
            me,
            &format!("/reviews/{id}"),
            if report {
                "review-report-title"
            } else {
                "review-title"
            },
        ),
        id: id.to_owned(),
        program: review.program.to_string(),
        date: review.date,
        kind: me.tr().t(kind_key(review.kind)),
        reviewers: review.reviewers.join(", "),
        reviewer: review.reviewers.contains(&me.user.login),
        revealed: open,
        waiting: me
            .tr()
            .args("review-waiting", &[("names", waiting.join(", "))]),
        items: item_lines(me, &review, open),
        total: total_text(me, &review.total()),
        agreement: me.tr().args(
            "review-agreement",
            &[("same", same.to_string()), ("rated", rated.to_string())],
        ),
        report,
        charts: charts(&review, report_lang(me)),
        footer: me.tr().args(
            "review-print-footer",
            &[
                ("id", id.to_owned()),
                ("date", me.tr().date(&review.date)),
                ("rules", fika_core::scale::RULES_VERSION.to_string()),
            ],
        ),
    };
    Ok(Html(page.render()?))
}

/// The review: computed items with their evidence figures, the reviewer's own ratings,
/// everyone's once all have rated, and the consensus.
pub async fn page(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    render(&st, &me, &id, false).await
}

/// What reviewers send after a visit: the scored scale with each item's consensus, the
/// reviewers' ratings and rationales (observations), the total and band; made for print.
pub async fn report(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    render(&st, &me, &id, true).await
}

/// The charts of the computed items, from the evidence stored with the review (what
/// `fika fidelity --format xlsx` draws from the report on the same date).
fn charts(review: &FidelityReview, lang: fika_core::scale::Lang) -> String {
    use fika_core::fidelity::{Evidence, FidelityReport, ItemResult};
    let report = FidelityReport {
        program: review.program.clone(),
        at: review.date,
        scale: String::new(),
        rules: fika_core::scale::RULES_VERSION,
        items: review
            .items
            .iter()
            .map(|i| match &i.computed {
                Some(c) => ItemResult {
                    id: i.id,
                    value: c.value,
                    score: c.suggested_score,
                    n: c.n,
                    evidence: c.evidence.clone(),
                },
                None => ItemResult {
                    id: i.id,
                    value: None,
                    score: None,
                    n: None,
                    evidence: Evidence::None,
                },
            })
            .collect(),
        computed_total: 0,
    };
    [
        fika_report::fidelity::caseload_chart(&report, lang),
        fika_report::fidelity::community_chart(&report, lang),
    ]
    .into_iter()
    .flatten()
    .map(|c| c.figure(lang))
    .collect()
}

/// An item's evidence as tables: each list of records (coaches, participants, jobs) one
/// table whose columns are the records' fields, as `fika fidelity --evidence` names them.
fn evidence_html(e: &fika_core::fidelity::Evidence, lang: fika_core::scale::Lang) -> String {
    use fika_report::{Cell, Column};
    use serde_json::Value;
    let Ok(v) = serde_json::to_value(e) else {
        return String::new();
    };
    let cell = |v: &Value| match v {
        Value::Null => Cell::Empty,
        Value::Number(n) if n.is_i64() => Cell::Int(n.as_i64().unwrap_or_default()),
        Value::Number(n) => Cell::opt_number(n.as_f64(), 2),
        Value::String(s) => Cell::text(s),
        Value::Array(a) => Cell::text(
            a.iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(" "),
        ),
        other => Cell::text(other.to_string()),
    };
    let table = |name: &str, rows: &[Value]| -> String {
        let mut keys: Vec<String> = Vec::new();
        for r in rows {
            if let Value::Object(o) = r {
                for k in o.keys() {
                    if !keys.contains(k) {
                        keys.push(k.clone());
                    }
                }
            }
        }
        if keys.is_empty() {
            return String::new();
        }
        let mut t = Table::new(
            name,
            name,
            keys.iter().map(|k| Column::new(k, k, 12.0)).collect(),
        );
        for r in rows {
            t.rows.push(
                keys.iter()
                    .map(|k| cell(r.get(k).unwrap_or(&Value::Null)))
                    .collect(),
            );
        }
        fika_report::html::table(&t, lang)
    };
    let mut out = String::new();
    match v.get("lines") {
        Some(Value::Array(rows)) => out.push_str(&table(v["kind"].as_str().unwrap_or(""), rows)),
        Some(Value::Object(parts)) => {
            for (name, part) in parts {
                match part {
                    Value::Array(rows) if rows.iter().all(Value::is_object) => {
                        out.push_str(&table(name, rows));
                    }
                    other => {
                        let _ = std::fmt::Write::write_fmt(
                            &mut out,
                            format_args!(
                                "<p>{}: {}</p>",
                                fika_report::html::escape(name),
                                fika_report::html::escape(&cell(other).shown(lang))
                            ),
                        );
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// A rating from a form: `1`–`5`, `cannot`, or nothing (left as it is).
fn rating_field(item: ItemId, v: Option<&str>) -> Result<Option<Rating>, AppError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some("cannot") => Ok(Some(Rating::CannotRate)),
        Some(s) => match s.parse::<u8>() {
            Ok(n @ 1..=5) => Ok(Some(Rating::Score(n))),
            _ => Err(AppError::BadInput(
                Say::new("bad-review-score")
                    .text("item", item.as_str())
                    .text("value", s),
            )),
        },
    }
}

/// The signed-in reviewer's ratings: `score_ID` (1–5 or `cannot`) and `rationale_ID` for
/// each item they rate now. Every score is checked before anything is saved.
pub async fn rate(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let review = load(&st, &me, &id).await?;
    let login = me.user.login.clone();
    if !review.reviewers.contains(&login) {
        return Err(AppError::Forbidden);
    }
    let mut changes = Vec::new();
    for item in ItemId::ALL {
        let key = format!("score_{}", item.as_str());
        if let Some(r) = rating_field(item, field(&f, &key))? {
            let rationale = field(&f, &format!("rationale_{}", item.as_str()))
                .unwrap_or("")
                .trim()
                .to_owned();
            changes.push((item, r, rationale));
        }
    }
    // Read, changed and written in one transaction: the other reviewer's ratings saved
    // meanwhile are kept.
    let wanted = id.clone();
    st.db(move |s| {
        s.change_review(&wanted, &mut |review| {
            for (item, r, rationale) in &changes {
                review.rate(*item, &login, *r, rationale);
            }
            !changes.is_empty()
        })
    })
    .await??
    .ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&format!("/reviews/{id}")))
}

/// The consensus, once every reviewer has rated every item: `consensus_ID` per item.
pub async fn agree(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let review = load(&st, &me, &id).await?;
    if !review.reviewers.contains(&me.user.login) {
        return Err(AppError::Forbidden);
    }
    let mut changes = Vec::new();
    for item in ItemId::ALL {
        if let Some(r) = rating_field(item, field(&f, &format!("consensus_{}", item.as_str())))? {
            let why = field(&f, &format!("consensus_rationale_{}", item.as_str()))
                .unwrap_or("")
                .trim()
                .to_owned();
            changes.push((item, r, why));
        }
    }
    // Whether everyone has rated everything is decided on the review as it is in the
    // transaction that stores the consensus.
    let wanted = id.clone();
    let stored = st
        .db(move |s| {
            let mut blind = false;
            let r = s.change_review(&wanted, &mut |review| {
                if !revealed(review) {
                    blind = true;
                    return false;
                }
                for (item, r, why) in &changes {
                    review.agree_with_rationale(*item, *r, why);
                }
                !changes.is_empty()
            });
            r.map(|r| (r, blind))
        })
        .await??;
    match stored {
        (None, _) => Err(AppError::NotFound),
        (Some(_), true) => Err(AppError::Rule("rule-review-not-all-rated".into())),
        (Some(_), false) => Ok(Redirect::to(&format!("/reviews/{id}"))),
    }
}
