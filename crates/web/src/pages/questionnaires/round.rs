//! A round, as the evaluator follows it: who has answered, who is late, the results per
//! question across programs (a chart with the same numbers in a table beside it, the
//! free-text answers by program), filtered by organisation, and the downloads.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Redirect, Response};
use chrono::NaiveDate as Date;
use fika_core::ProgramId;
use fika_core::questionnaire::results::{ProgramAnswers, Summary, long, results, wide};
use fika_core::questionnaire::{Kind, Questionnaire, format_number};
use fika_store::Role;
use fika_store::questionnaires::{Answers, ResponseStatus, Round, RoundProgram};

use super::{code, download, report_lang};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::error::Say;
use crate::pages::{Fields, Layout, actor, bad, field};

pub struct StatusRow {
    pub program: String,
    pub name: String,
    pub organisation: String,
    /// `submitted`, `late`, `started` or `unstarted`.
    pub status: &'static str,
    pub status_text: String,
    pub answered: u32,
    pub submitted: bool,
}

/// One question's results, ready to show.
pub struct ResultBlock {
    pub name: String,
    pub label: String,
    /// "N of M programs answered".
    pub answered: String,
    /// The chart's SVG and its table (HTML), for choices, numbers and scales.
    pub figure: String,
    /// Median, mean and range of a number or scale.
    pub numbers: String,
    /// Free-text answers, by program name.
    pub texts: Vec<(String, String)>,
    /// A free-text question, whose answers can be sent to a qualitative project.
    pub free_text: bool,
}

/// A qualitative project the evaluator is a member of: where free-text answers can go.
pub struct ProjectChoice {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    l: Layout,
    round: Round,
    title: String,
    statuses: Vec<StatusRow>,
    blocks: Vec<ResultBlock>,
    organisations: Vec<String>,
    organisation: String,
    /// "N of M programs have submitted; K are late".
    summary: String,
    /// The qualitative projects the evaluator is a member of.
    projects: Vec<ProjectChoice>,
    /// The bound questions the results can be filtered by, and the filter as asked.
    figures: Vec<FigureFilter>,
    figure: String,
    min: String,
    max: String,
    /// The filter as a query string, for the downloads.
    query: String,
    /// Respondents named besides the leads: (program, program's name, login name).
    respondents: Vec<(String, String, String)>,
    /// What the last sending of answers to a project came to, said in the user's language.
    sent: Option<String>,
}

/// A question bound to a figure, by which the results can be filtered.
pub struct FigureFilter {
    pub question: String,
    pub label: String,
}

#[derive(serde::Deserialize, Default)]
pub struct RoundQuery {
    org: Option<String>,
    /// Only programs whose figure fika computed for this (bound) question when the round
    /// was sent is at least `min` and at most `max` (either may be left out).
    figure: Option<String>,
    min: Option<String>,
    max: Option<String>,
    /// After answers were sent to a qualitative project: its ID and how many sources were
    /// added and how many were there already (numbers and a project ID only, so that the
    /// address cannot put words on the page).
    to_qual: Option<String>,
    added: Option<u32>,
    already: Option<u32>,
}

/// What the results are filtered by: an organisation, and a range of a figure fika computed
/// for a bound question.
struct Filter {
    organisation: Option<String>,
    figure: Option<(String, Option<f64>, Option<f64>)>,
}

impl Filter {
    /// The filter the query asks for; a bound that is not a number is refused.
    fn of(q: &RoundQuery) -> Result<Filter, AppError> {
        let bound = |s: &Option<String>| -> Result<Option<f64>, AppError> {
            match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(v) => fika_core::questionnaire::parse_number(v)
                    .map(|(n, _)| Some(n))
                    .ok_or_else(|| {
                        AppError::BadInput(Say::new("qn-design-bad-number").text("value", v))
                    }),
            }
        };
        let (min, max) = (bound(&q.min)?, bound(&q.max)?);
        Ok(Filter {
            organisation: q.org.clone().filter(|o| !o.is_empty()),
            figure: q
                .figure
                .clone()
                .filter(|f| !f.is_empty() && (min.is_some() || max.is_some()))
                .map(|f| (f, min, max)),
        })
    }

    /// The query string that asks for this filter again (for the downloads).
    fn query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(o) = &self.organisation {
            pairs.push(("org", o.clone()));
        }
        if let Some((f, min, max)) = &self.figure {
            pairs.push(("figure", f.clone()));
            if let Some(v) = min {
                pairs.push(("min", v.to_string()));
            }
            if let Some(v) = max {
                pairs.push(("max", v.to_string()));
            }
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }
}

/// The round, its questionnaire and the responses of the programs the filter keeps, with
/// every organisation of the round.
async fn load(
    st: &AppState,
    id: &str,
    filter: &Filter,
) -> Result<(Round, Questionnaire, Vec<Entry>, Vec<String>), AppError> {
    let key = id.to_owned();
    let (round, q, mut responses) = st
        .db(move |s| -> Result<_, fika_store::StoreError> {
            let Some(round) = s.round(&key)? else {
                return Ok((None, None, Vec::new()));
            };
            let q = s.questionnaire(&round.questionnaire)?;
            let responses = s.round_results(&key)?;
            Ok((Some(round), q, responses))
        })
        .await??;
    let (Some(round), Some(q)) = (round, q) else {
        return Err(AppError::NotFound);
    };
    let mut organisations: Vec<String> = responses
        .iter()
        .filter_map(|(p, _)| p.organisation.clone())
        .collect();
    organisations.sort();
    organisations.dedup();
    if let Some(o) = &filter.organisation {
        responses.retain(|(p, _)| p.organisation.as_deref() == Some(o.as_str()));
    }
    if let Some((question, min, max)) = &filter.figure {
        if q.questionnaire
            .question(question)
            .is_none_or(|x| x.prefill.is_none())
        {
            return Err(AppError::BadInput(
                Say::new("bad-choice")
                    .message("field", "qn-filter-figure")
                    .text("value", question),
            ));
        }
        // A program fika could compute no figure for is outside every range.
        responses.retain(|(_, a)| {
            a.computed
                .get(question)
                .copied()
                .flatten()
                .is_some_and(|v| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m))
        });
    }
    Ok((round, q.questionnaire, responses, organisations))
}

/// A program of the round with its answers as the results read them.
type Entry = (RoundProgram, Answers);

fn status(p: &RoundProgram, deadline: Date, today: Date) -> &'static str {
    match p.status {
        ResponseStatus::Submitted => "submitted",
        _ if today > deadline => "late",
        ResponseStatus::InProgress => "started",
        ResponseStatus::NotStarted => "unstarted",
    }
}

pub async fn page(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<RoundQuery>,
) -> Result<Html<String>, AppError> {
    me.require(&[Role::Evaluator])?;
    let organisation = q.org.clone().unwrap_or_default();
    let filter = Filter::of(&q)?;
    let (round, form, responses, organisations) = load(&st, &id, &filter).await?;
    let today = st.clock.today();
    let lang = report_lang(&me);
    let l = code(&me);
    let views: Vec<ProgramAnswers<'_>> = responses.iter().map(|(_, a)| a.view()).collect();
    let names: std::collections::BTreeMap<&str, &str> = responses
        .iter()
        .map(|(p, _)| (p.program.as_str(), p.name.as_str()))
        .collect();
    let blocks = results(&form, &views)
        .iter()
        .filter_map(|r| {
            let question = form.question(&r.question)?;
            if matches!(question.kind, Kind::Info) {
                return None;
            }
            let figure = fika_report::questionnaire::chart(&form, r, lang)
                .map(|c| c.figure(lang))
                .unwrap_or_default();
            let numbers = match &r.summary {
                Summary::Numbers {
                    distribution: Some(d),
                    ..
                }
                | Summary::Scale {
                    distribution: Some(d),
                    ..
                } => me.tr().args(
                    "qn-result-numbers",
                    &[
                        ("median", format_number(d.median, l)),
                        ("mean", format_number(d.mean, l)),
                        ("min", format_number(d.min, l)),
                        ("max", format_number(d.max, l)),
                    ],
                ),
                Summary::Dates {
                    earliest: Some(a),
                    latest: Some(b),
                    ..
                } => format!("{a} – {b}"),
                _ => String::new(),
            };
            let texts = match &r.summary {
                Summary::Texts { answers } => answers
                    .iter()
                    .map(|(p, t)| {
                        (
                            names.get(p.as_str()).unwrap_or(&p.as_str()).to_string(),
                            t.clone(),
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Some(ResultBlock {
                name: r.question.clone(),
                label: question.label.get(l).to_owned(),
                answered: me.tr().args(
                    "qn-result-answered",
                    &[
                        ("answered", r.answered.to_string()),
                        ("asked", r.asked.to_string()),
                    ],
                ),
                figure,
                numbers,
                texts,
                free_text: matches!(question.kind, Kind::ShortText | Kind::LongText),
            })
        })
        .collect();
    let statuses: Vec<StatusRow> = responses
        .iter()
        .map(|(p, _)| StatusRow {
            program: p.program.to_string(),
            name: p.name.clone(),
            organisation: p.organisation.clone().unwrap_or_default(),
            status: status(p, round.deadline, today),
            status_text: me
                .tr()
                .t(&format!("qn-status-{}", status(p, round.deadline, today))),
            answered: p.answered,
            submitted: p.status == ResponseStatus::Submitted,
        })
        .collect();
    let key = id.clone();
    let named = st.db(move |s| s.respondents(&key)).await??;
    let respondents = named
        .into_iter()
        .map(|(p, login)| {
            let name = names
                .get(p.as_str())
                .copied()
                .unwrap_or_default()
                .to_owned();
            (p.to_string(), name, login)
        })
        .collect();
    let login = me.user.login.clone();
    let projects: Vec<ProjectChoice> = st
        .db(move |s| s.qual_projects_of(&login))
        .await??
        .into_iter()
        .map(|a| ProjectChoice {
            id: a.id,
            name: a.name,
        })
        .collect();
    let sent = q.to_qual.as_deref().and_then(|pid| {
        let project = projects.iter().find(|p| p.id == pid)?;
        Some(me.tr().counts(
            "qn-to-qual-sent",
            &[("project", project.name.clone())],
            &[
                ("added", q.added.unwrap_or(0) as usize),
                ("already", q.already.unwrap_or(0) as usize),
            ],
        ))
    });
    let figures: Vec<FigureFilter> = form
        .questions()
        .filter(|x| x.prefill.is_some())
        .map(|x| FigureFilter {
            question: x.name.clone(),
            label: x.label.get(l).to_owned(),
        })
        .collect();
    let page = RoundPage {
        l: Layout::new(&me, &format!("/rounds/{id}"), "qn-round-title"),
        figures,
        figure: q.figure.clone().unwrap_or_default(),
        min: q.min.clone().unwrap_or_default(),
        max: q.max.clone().unwrap_or_default(),
        query: filter.query(),
        respondents,
        projects,
        sent,
        title: round.title.clone(),
        summary: me.tr().args(
            "qn-round-summary",
            &[
                (
                    "submitted",
                    statuses.iter().filter(|s| s.submitted).count().to_string(),
                ),
                ("all", statuses.len().to_string()),
                (
                    "late",
                    statuses
                        .iter()
                        .filter(|s| s.status == "late")
                        .count()
                        .to_string(),
                ),
            ],
        ),
        statuses,
        blocks,
        organisations,
        organisation,
        round,
    };
    Ok(Html(page.render()?))
}

/// `programs.csv`, `long.csv` or `results.xlsx`: one row per program with REDCap's
/// column names, the long format, or a workbook of both with a sheet per chart.
pub async fn download_results(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, file)): Path<(String, String)>,
    Query(q): Query<RoundQuery>,
) -> Result<Response, AppError> {
    me.require(&[Role::Evaluator])?;
    let (round, form, responses, _) = load(&st, &id, &Filter::of(&q)?).await?;
    let views: Vec<ProgramAnswers<'_>> = responses.iter().map(|(_, a)| a.view()).collect();
    let (w, lg) = (wide(&form, &views), long(&form, &views));
    let csv = |t| fika_report::csv::table(&t).into_bytes();
    match file.as_str() {
        "programs.csv" => Ok(download(
            csv(fika_report::questionnaire::table(
                &form,
                &w,
                "Programs",
                &round.title,
            )),
            "text/csv; charset=utf-8",
            &format!("{id}_programs.csv"),
        )),
        "long.csv" => Ok(download(
            csv(fika_report::questionnaire::table(
                &form,
                &lg,
                "Long",
                &round.title,
            )),
            "text/csv; charset=utf-8",
            &format!("{id}_long.csv"),
        )),
        "results.xlsx" => {
            let lang = report_lang(&me);
            let report = fika_report::questionnaire::report(
                &round.title,
                &form,
                round.reference_date,
                &w,
                &lg,
                &results(&form, &views),
                lang,
            );
            let bytes = fika_report::xlsx::workbook(&report)
                .map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
            Ok(download(
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{id}_results.xlsx"),
            ))
        }
        _ => Err(AppError::NotFound),
    }
}

/// Sends the answers to a free-text question to a qualitative project the evaluator is a
/// member of, as sources to code, one per program; those already there are left as they
/// are. Back to the round, saying how many were added and how many were there already.
pub async fn to_qual(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, question)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let project = field(&f, "project")
        .ok_or_else(|| bad("bad-qual-project-missing"))?
        .to_owned();
    let actor = actor(&st, &me);
    let login = me.user.login.clone();
    let key = id.clone();
    let q = question.clone();
    let sent = st
        .db(move |s| s.answers_to_qual(&actor, &key, &q, &project, Some(&login)))
        .await??;
    Ok(Redirect::to(&format!(
        "/rounds/{id}?to_qual={}&added={}&already={}#result-{question}",
        sent.project,
        sent.added.len(),
        sent.already.len()
    )))
}

/// Names a user of a program (a coach, say) as a respondent for it in this round.
pub async fn name_respondent(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let (program, login) = respondent_fields(&f)?;
    let actor = actor(&st, &me);
    let key = id.clone();
    st.db(move |s| s.name_respondent(&actor, &key, &program, &login))
        .await??;
    Ok(Redirect::to(&format!("/rounds/{id}#respondents")))
}

/// Takes a named respondent off.
pub async fn remove_respondent(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let (program, login) = respondent_fields(&f)?;
    let actor = actor(&st, &me);
    let key = id.clone();
    st.db(move |s| s.remove_respondent(&actor, &key, &program, &login))
        .await??;
    Ok(Redirect::to(&format!("/rounds/{id}#respondents")))
}

fn respondent_fields(f: &Fields) -> Result<(ProgramId, String), AppError> {
    let p = field(f, "program").ok_or_else(|| bad("bad-choice"))?;
    let program = ProgramId::parse(p).map_err(|_| {
        AppError::BadInput(
            Say::new("bad-choice")
                .message("field", "qn-col-program")
                .text("value", p),
        )
    })?;
    let login = field(f, "login")
        .ok_or_else(|| bad("bad-respondent-missing"))?
        .trim()
        .to_owned();
    Ok((program, login))
}

/// Opens one program's submitted answers again, for the program to change them.
pub async fn reopen(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, program)): Path<(String, String)>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Evaluator])?;
    let program = ProgramId::parse(&program).map_err(|_| AppError::NotFound)?;
    let actor = actor(&st, &me);
    let key = id.clone();
    st.db(move |s| s.reopen_response(&actor, &key, &program))
        .await??;
    Ok(Redirect::to(&format!("/rounds/{id}")))
}
