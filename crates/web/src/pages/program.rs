//! A lead's view of their program: every participant with their designated coach, caseload
//! sizes, and stand-ins (cover while a coach is away). And the evaluator's page.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, Redirect};
use chrono::NaiveDate as Date;
use fika_core::*;
use fika_store::Role;
use fika_store::register::StandIn;

use super::{Fields, Layout, actor, field, form_date, reach};
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
    today: Date,
    caseload_max: usize,
}

pub async fn program(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Lead])?;
    let reach = reach(&st, &me)?;
    let program = me.user.program.clone().ok_or(AppError::Forbidden)?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    let (caseload, coaches, stand_ins) = st
        .db(move |s| -> Result<_, fika_store::StoreError> {
            Ok((
                s.caseload(&actor, &reach, today, today)?,
                s.coaches(Some(&program))?,
                s.stand_ins(&program)?,
            ))
        })
        .await??;
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
    let bad = |s: &str| AppError::BadInput(s.to_owned());
    let coach_field = |name: &str| {
        CoachId::parse(field(&f, name).ok_or_else(|| bad("choose both coaches"))?)
            .map_err(|_| bad("coach"))
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

#[derive(Template)]
#[template(path = "evaluation.html")]
struct EvaluationPage {
    l: Layout,
}

/// Evaluators see figures, never a participant's record.
pub async fn evaluation(me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Evaluator])?;
    let page = EvaluationPage {
        l: Layout::new(&me, "/evaluation", "evaluation-title"),
    };
    Ok(Html(page.render()?))
}
