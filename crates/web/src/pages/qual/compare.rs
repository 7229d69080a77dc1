//! The comparison of a project's coders. Before it opens, the owner sees who has coded how
//! much (counts, never the coding) and opens it when everyone is done. Then every member
//! sees the agreement figures per code and overall — percent agreement, Cohen's kappa (two
//! coders) and Krippendorff's alpha, over characters, from `fika_qual::agreement` — and
//! every disagreement; the owner decides each one (keep the code there, or drop it), and
//! fika stores the consensus coding `fika_qual::consensus` builds, as coded by a user named
//! "consensus". Deciding again replaces the consensus.

use std::collections::HashSet;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use fika_qual::agreement::{Agreement, Figures};
use fika_qual::{
    Comparison, Decision, Guid, Project, User, add_consensus, compare_coders, consensus,
};
use fika_store::{QualRole, WriteError};

use super::{CONSENSUS_ID, load, load_as_owner, refuse, user_name};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::pages::{Fields, Layout, field};

/// The coders compared: every user who coded a segment, the consensus aside, in the order
/// of the project's users.
pub fn coders(p: &Project) -> Vec<Guid> {
    let coded: HashSet<&Guid> = p
        .sources
        .iter()
        .flat_map(|s| &s.selections)
        .flat_map(|sel| sel.codings.iter().filter_map(|c| p.coder_of(sel, c)))
        .collect();
    p.users
        .iter()
        .filter(|u| coded.contains(&u.guid) && u.id.as_deref() != Some(CONSENSUS_ID))
        .map(|u| u.guid.clone())
        .collect()
}

/// The comparison of every coder, when there are two or more.
fn comparison(p: &Project) -> Option<Comparison> {
    let coders = coders(p);
    (coders.len() >= 2)
        .then(|| compare_coders(p, &coders).ok())
        .flatten()
}

/// A figure as the page shows it: percent agreement in percent with one decimal, kappa and
/// alpha with three decimals (the command line's table shows the same three decimals).
pub fn percent(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}
pub fn decimal(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.3}"))
}

pub struct FigureRow {
    pub name: String,
    pub agreement: String,
    pub kappa: String,
    pub alpha: String,
}

fn row(name: String, f: &Figures) -> FigureRow {
    FigureRow {
        name,
        agreement: percent(f.percent_agreement),
        kappa: decimal(f.kappa),
        alpha: decimal(f.alpha),
    }
}

/// A coder and how many segments they have coded.
pub struct Progress {
    pub name: String,
    pub segments: usize,
}

pub struct DisagreementRow {
    pub source_guid: String,
    pub source: String,
    pub code: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub applied_by: String,
    pub not_by: String,
}

#[derive(Template)]
#[template(path = "qual_compare.html")]
struct ComparePage {
    l: Layout,
    project_id: String,
    project_name: String,
    owner: bool,
    open: bool,
    /// Before the comparison opens: each coder and how many segments they coded.
    progress: Vec<Progress>,
    coders: Vec<String>,
    total_chars: usize,
    figures: Vec<FigureRow>,
    overall: Option<FigureRow>,
    disagreements: Vec<DisagreementRow>,
    /// Coded segments of the stored consensus, if there is one.
    consensus: Option<usize>,
}

/// The longest piece of text a disagreement shows.
const SHOWN: usize = 400;

/// `/qual/{project}/compare`.
pub async fn page(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (a, p) = load(&st, &me, &id).await?;
    let owner = a.role == QualRole::Owner;
    if !owner && !a.comparison_open {
        return Err(AppError::Forbidden);
    }
    let consensus_user = p
        .users
        .iter()
        .find(|u| u.id.as_deref() == Some(CONSENSUS_ID));
    let consensus = consensus_user.map(|u| {
        p.sources
            .iter()
            .flat_map(|s| &s.selections)
            .filter(|sel| sel.creating_user.as_ref() == Some(&u.guid))
            .count()
    });
    let coder_list = coders(&p);
    let progress = coder_list
        .iter()
        .map(|g| {
            let n = p
                .sources
                .iter()
                .flat_map(|s| &s.selections)
                .filter(|sel| sel.codings.iter().any(|c| p.coder_of(sel, c) == Some(g)))
                .count();
            Progress {
                name: user_name(&p, Some(g)),
                segments: n,
            }
        })
        .collect();
    let mut page = ComparePage {
        l: Layout::new(
            &me,
            &format!("/qual/{}/compare", a.id),
            "qual-compare-title",
        ),
        project_id: a.id.clone(),
        project_name: a.name.clone(),
        owner,
        open: a.comparison_open,
        progress,
        coders: coder_list.iter().map(|g| user_name(&p, Some(g))).collect(),
        total_chars: 0,
        figures: Vec::new(),
        overall: None,
        disagreements: Vec::new(),
        consensus,
    };
    if a.comparison_open
        && let Some(c) = comparison(&p)
    {
        let report = Agreement::from_comparison(&p, &c);
        page.total_chars = usize::try_from(report.total_characters).unwrap_or(usize::MAX);
        page.figures = report
            .codes
            .iter()
            .map(|k| {
                row(
                    k.name.clone().unwrap_or_else(|| k.code.to_string()),
                    &k.figures,
                )
            })
            .collect();
        page.overall = Some(row(String::new(), &report.overall));
        page.disagreements = c
            .disagreements
            .iter()
            .map(|d| {
                let source = p.source(&d.span.source);
                let text = source
                    .and_then(|s| s.slice(d.span.start, d.span.end))
                    .unwrap_or_default();
                let mut shown: String = text.chars().take(SHOWN).collect();
                if text.chars().count() > SHOWN {
                    shown.push('…');
                }
                let names = |yes: bool| {
                    c.coders
                        .iter()
                        .filter(|g| d.applied_by.contains(g) == yes)
                        .map(|g| user_name(&p, Some(g)))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                DisagreementRow {
                    source_guid: d.span.source.to_string(),
                    source: source.map(|s| s.name.clone()).unwrap_or_default(),
                    code: p
                        .code(&d.span.code)
                        .map(|k| k.name.clone())
                        .unwrap_or_default(),
                    start: d.span.start,
                    end: d.span.end,
                    text: shown,
                    applied_by: names(true),
                    not_by: names(false),
                }
            })
            .collect();
    }
    Ok(Html(page.render()?))
}

/// `POST /qual/{project}/compare/open`: the owner opens the comparison.
pub async fn open(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Redirect, AppError> {
    let a = load_as_owner(&st, &me, &id).await?;
    let (pid, login) = (a.id.clone(), me.user.login.clone());
    st.db(move |s| s.open_qual_comparison(&pid, &login))
        .await??;
    Ok(Redirect::to(&format!("/qual/{}/compare", a.id)))
}

/// `POST /qual/{project}/compare/consensus`: the owner's decision on every disagreement
/// (`d0`, `d1`, … = `keep` or `drop`, and `n`, the number of disagreements they saw).
pub async fn decide(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let a = load_as_owner(&st, &me, &id).await?;
    let seen: usize = field(&f, "n")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| AppError::Rule("rule-qual-decisions-stale".into()))?;
    let mut decisions = Vec::with_capacity(seen);
    for i in 0..seen {
        decisions.push(match field(&f, &format!("d{i}")) {
            Some("keep") => Decision::Keep,
            Some("drop") => Decision::Drop,
            _ => return Err(AppError::Rule("rule-qual-decide-every".into())),
        });
    }
    let (pid, login) = (a.id.clone(), me.user.login.clone());
    st.db(move |s| {
        s.change_qual_project(&pid, &login, &mut |p, access| {
            if access.role != QualRole::Owner || !access.comparison_open {
                return Err(WriteError::NotFound);
            }
            // Compared again inside the transaction: the decisions must be about what is
            // stored now.
            let c = comparison(p).ok_or_else(|| refuse("qual-two-coders"))?;
            if c.disagreements.len() != decisions.len() {
                return Err(refuse("qual-decisions-stale"));
            }
            let user = match p
                .users
                .iter()
                .find(|u| u.id.as_deref() == Some(CONSENSUS_ID))
            {
                Some(u) => u.clone(),
                None => User {
                    guid: Guid::new_v4(),
                    name: Some("consensus".into()),
                    id: Some(CONSENSUS_ID.into()),
                },
            };
            let selections = consensus(&c, &decisions, &user.guid)
                .map_err(|_| refuse("qual-decisions-stale"))?;
            for s in &mut p.sources {
                s.selections
                    .retain(|sel| sel.creating_user.as_ref() != Some(&user.guid));
            }
            add_consensus(p, user.clone(), selections);
            Ok(())
        })
    })
    .await??;
    Ok(Redirect::to(&format!("/qual/{}/compare#consensus", a.id)))
}
