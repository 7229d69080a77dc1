//! A lead's view of their program: every participant with their designated coach, caseload
//! sizes, and stand-ins (cover while a coach is away). And the evaluator's page.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, Redirect};
use chrono::NaiveDate as Date;
use fika_core::*;
use fika_store::Role;
use fika_store::questionnaires::{Round, RoundProgram};
use fika_store::register::StandIn;

use super::{Fields, Layout, actor, bad, bad_choice, field, form_date, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::day::CASELOAD_MAX;
use crate::error::AppError;
use crate::ids::new_id;

pub struct CoachLoad {
    pub coach: Coach,
    pub caseload: usize,
}

#[derive(Template)]
#[template(path = "program.html")]
struct ProgramPage {
    l: Layout,
    participants: Vec<(Participant, String)>,
    coaches: Vec<CoachLoad>,
    stand_ins: Vec<(StandIn, String, String)>,
    /// The questionnaire rounds the program has not submitted yet, with their answers so
    /// far: the lead's start page is where they see what is waiting.
    rounds: Vec<(Round, RoundProgram)>,
    today: Date,
    caseload_max: usize,
}

pub async fn program(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Lead])?;
    let reach = reach(&st, &me)?;
    let program = me.user.program.clone().ok_or(AppError::Forbidden)?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    let (caseload, coaches, stand_ins, mut rounds) = st
        .db(move |s| -> Result<_, fika_store::StoreError> {
            Ok((
                s.caseload(&actor, &reach, today, today)?,
                s.coaches(Some(&program))?,
                s.stand_ins(&program)?,
                s.rounds_of_program(&program)?,
            ))
        })
        .await??;
    rounds.retain(|(_, rp)| rp.submitted_at.is_none());
    rounds.sort_by_key(|(r, _)| (r.deadline, r.id.clone()));
    let name = |id: &CoachId| {
        coaches
            .iter()
            .find(|c| &c.id == id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    };
    let page = ProgramPage {
        l: Layout::new(&me, "/program", "program-title"),
        participants: caseload
            .participants
            .iter()
            .map(|p| (p.clone(), name(&p.coach)))
            .collect(),
        stand_ins: stand_ins
            .into_iter()
            .map(|s| {
                let (a, b) = (name(&s.coach), name(&s.stand_in));
                (s, a, b)
            })
            .collect(),
        coaches: coaches
            .iter()
            .map(|c| CoachLoad {
                coach: c.clone(),
                caseload: caseload
                    .participants
                    .iter()
                    .filter(|p| p.coach == c.id)
                    .count(),
            })
            .collect(),
        rounds,
        today,
        caseload_max: CASELOAD_MAX,
    };
    Ok(Html(page.render()?))
}

pub async fn add_stand_in(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Lead])?;
    let program = me.user.program.clone().ok_or(AppError::Forbidden)?;
    let coach_field = |name: &str| {
        let c = field(&f, name).ok_or_else(|| bad("bad-stand-in-coaches-missing"))?;
        let label = if name == "coach" {
            "stand-in-away"
        } else {
            "stand-in-cover"
        };
        CoachId::parse(c).map_err(|_| bad_choice(label, c))
    };
    let today = st.clock.today();
    let s = StandIn {
        id: new_id("SI"),
        coach: coach_field("coach")?,
        stand_in: coach_field("stand_in")?,
        from: form_date(field(&f, "from"), today)?,
        to: form_date(field(&f, "to"), today)?,
    };
    let actor = actor(&st, &me);
    st.db(move |st| st.add_stand_in(&actor, &program, &s))
        .await??;
    Ok(Redirect::to("/program"))
}

/// One computed fidelity item, as the evaluator's table shows it.
pub struct FigureRow {
    pub id: String,
    pub name: &'static str,
    pub value: String,
    pub score: String,
    pub n: String,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct EvaluationPage {
    l: Layout,
    programs: Vec<Program>,
    program: Option<Program>,
    at: Date,
    rows: Vec<FigureRow>,
    total: u32,
    /// Caseloads against 20 and the share of in-person minutes in the community, each
    /// with its table (fika-report).
    charts: String,
}

#[derive(serde::Deserialize)]
pub struct EvaluationQuery {
    program: Option<String>,
}

/// Evaluators see figures — the computed IPS fidelity items of a program today (METRICS.md),
/// from `fika-core` — never a participant's record.
pub async fn evaluation(
    State(st): State<AppState>,
    me: SignedIn,
    axum::extract::Query(q): axum::extract::Query<EvaluationQuery>,
) -> Result<Html<String>, AppError> {
    me.require(&[Role::Evaluator])?;
    let at = st.clock.today();
    let wanted = q.program.clone();
    let (programs, data) = st
        .db(move |s| -> Result<_, fika_store::StoreError> {
            let programs = s.programs()?;
            let chosen = match &wanted {
                Some(w) => programs.iter().find(|p| p.id.as_str() == w),
                None => programs.first(),
            };
            // Only the records the computed items look at on that date.
            let data = match chosen {
                Some(p) => s.fidelity_data(&p.id, at)?,
                None => None,
            };
            Ok((programs, data))
        })
        .await??;
    if q.program.is_some() && data.is_none() {
        return Err(AppError::NotFound);
    }
    let lang = match me.tr().lang {
        crate::i18n::Lang::En => fika_core::scale::Lang::En,
        crate::i18n::Lang::Sv => fika_core::scale::Lang::Sv,
    };
    let (rows, total, charts) = match &data {
        Some(d) => {
            let report = fika_core::fidelity::fidelity(&d.records(), at);
            let opt = |v: Option<String>| v.unwrap_or_else(|| "–".into());
            let rows = report
                .items
                .iter()
                .filter(|i| i.id.item().is_computed())
                .map(|i| FigureRow {
                    id: i.id.as_str().to_owned(),
                    name: i.id.item().name(lang),
                    value: opt(i.value.map(|v| v.to_string())),
                    score: opt(i.score.map(|v| v.to_string())),
                    n: opt(i.n.map(|v| v.to_string())),
                })
                .collect();
            let charts = [
                fika_report::fidelity::caseload_chart(&report, lang),
                fika_report::fidelity::community_chart(&report, lang),
            ]
            .into_iter()
            .flatten()
            .map(|c| c.figure(lang))
            .collect();
            (rows, report.computed_total, charts)
        }
        None => (Vec::new(), 0, String::new()),
    };
    let page = EvaluationPage {
        l: Layout::new(&me, "/evaluation", "evaluation-title"),
        program: data.map(|d| d.program),
        programs,
        at,
        rows,
        total,
        charts,
    };
    Ok(Html(page.render()?))
}
