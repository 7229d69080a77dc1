//! The participant's own fika (role `participant`, reach: their own record only): their
//! plan in their own words, the next steps they tick off, "I'd like to talk", their
//! check-ins (`check_in`), who has read their record, signing out everywhere. The staff side
//! — invitations, access, the prompt and the figures — is in `invite` and `check_in`.
//!
//! Every page is phone first and works without JavaScript: plain forms and links.

pub mod check_in;
pub mod invite;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate as Date;
use fika_core::*;
use fika_store::participant_view::LogLine;
use fika_store::plan::Plan;
use fika_store::{Reach, Role};

use super::{Fields, Layout, actor, bad, field};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::ids::new_id;

/// The participant's own record: deny by default, every other role gets 403.
pub(crate) fn own(me: &SignedIn) -> Result<ParticipantId, AppError> {
    me.require(&[Role::Participant])?;
    me.user.participant.clone().ok_or(AppError::Forbidden)
}

/// The first word of a name: the coach and the participant go by first names.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// A next step as the participant reads it.
pub struct MyStep {
    pub step: NextStep,
    pub overdue: bool,
    /// Theirs to tick off (owner participant or both).
    pub mine: bool,
}

/// A step on the path toward their goal (a job, a placement, studies).
pub struct PathStep {
    pub from: Date,
    pub to: Option<Date>,
    pub kind: &'static str,
    pub title: String,
}

/// How many of the latest meetings the plan shows; the rest are on `/me/meetings`.
pub const PLAN_MEETINGS: usize = 10;

#[derive(Template)]
#[template(path = "me_plan.html")]
struct PlanPage {
    l: Layout,
    r: Plan,
    first: String,
    coach: String,
    /// Stand-ins covering today: first names and last days.
    stand_ins: Vec<(String, Date)>,
    steps: Vec<MyStep>,
    path: Vec<PathStep>,
}

/// The participant's start page: their plan, read with one statement (`fika_store::plan`).
pub async fn plan(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    let pid = own(&me)?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    let r = st
        .db(move |s| s.plan(&actor, &pid, today, PLAN_MEETINGS))
        .await??
        .ok_or(AppError::NotFound)?;
    let stand_ins = r
        .stand_ins
        .iter()
        .map(|(s, c)| (first_name(&c.name).to_owned(), s.to))
        .collect();
    let steps = r
        .open_steps
        .iter()
        .map(|s| MyStep {
            overdue: s.is_overdue_on(today),
            mine: matches!(s.owner, StepOwner::Participant | StepOwner::Both),
            step: s.clone(),
        })
        .collect();
    let mut path: Vec<PathStep> = r
        .jobs
        .iter()
        .map(|j| PathStep {
            from: j.started_on,
            to: j.ended_on,
            kind: j.kind.as_str(),
            title: j.title.clone(),
        })
        .collect();
    path.sort_by_key(|p| p.from);
    let page = PlanPage {
        l: Layout::new(&me, "/me", "me-plan-title"),
        first: first_name(&r.participant.name).to_owned(),
        coach: first_name(&r.coach.name).to_owned(),
        stand_ins,
        steps,
        path,
        r,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "me_meetings.html")]
struct MeetingsPage {
    l: Layout,
    /// Every meeting, latest first, with the notes the participant may read.
    meetings: Vec<Meeting>,
}

/// Every meeting of theirs, with its notes: the plan shows only the latest.
pub async fn meetings(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    let pid = own(&me)?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    let r = st
        .db(move |s| s.participant(&actor, &Reach::Own(pid.clone()), &pid, today))
        .await??
        .ok_or(AppError::NotFound)?;
    let mut meetings = r.meetings;
    // Latest first; on the same day, the one recorded later first.
    meetings.reverse();
    meetings.sort_by_key(|m| std::cmp::Reverse(m.date));
    let page = MeetingsPage {
        l: Layout::new(&me, "/me/meetings", "me-meetings-title"),
        meetings,
    };
    Ok(Html(page.render()?))
}

/// A goal of their own, in their own words.
pub async fn add_goal(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let pid = own(&me)?;
    let goal = Goal {
        id: GoalId::parse(&new_id("G")).expect("a valid ID"),
        participant: pid.clone(),
        set_on: st.clock.today(),
        text: field(&f, "text")
            .ok_or_else(|| bad("rule-goal-empty"))?
            .trim()
            .to_owned(),
        occupation_code: None,
        hours_per_week: None,
    };
    let actor = actor(&st, &me);
    st.db(move |s| s.add_goal(&actor, &Reach::Own(pid), &goal))
        .await??;
    Ok(Redirect::to("/me"))
}

/// Rewords a goal; the words before are kept and the coach sees that they changed it.
pub async fn reword_goal(
    State(st): State<AppState>,
    me: SignedIn,
    Path(goal): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let pid = own(&me)?;
    let goal = GoalId::parse(&goal).map_err(|_| AppError::NotFound)?;
    let text = field(&f, "text")
        .ok_or_else(|| bad("rule-goal-empty"))?
        .to_owned();
    let actor = actor(&st, &me);
    st.db(move |s| s.reword_goal(&actor, &Reach::Own(pid.clone()), &pid, &goal, &text))
        .await??;
    Ok(Redirect::to("/me"))
}

/// Ticks off a step of theirs.
pub async fn step_done(
    State(st): State<AppState>,
    me: SignedIn,
    Path(step): Path<String>,
) -> Result<Redirect, AppError> {
    let pid = own(&me)?;
    let step = StepId::parse(&step).map_err(|_| AppError::NotFound)?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    st.db(move |s| s.complete_own_step(&actor, &pid, &step, today))
        .await??;
    Ok(Redirect::to("/me"))
}

/// "I'd like to talk": a line on the coach's day until they next meet.
pub async fn talk(State(st): State<AppState>, me: SignedIn) -> Result<Redirect, AppError> {
    let pid = own(&me)?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    st.db(move |s| s.ask_to_talk(&actor, &pid, today)).await??;
    Ok(Redirect::to("/me"))
}

#[derive(Template)]
#[template(path = "me_log.html")]
struct LogPage {
    l: Layout,
    lines: Vec<LogLine>,
}

/// Who of the staff read or changed their record, and when (from the audit log).
pub async fn log(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    let pid = own(&me)?;
    let actor = actor(&st, &me);
    let lines = st.db(move |s| s.record_log(&actor, &pid)).await??;
    let page = LogPage {
        l: Layout::new(&me, "/me/log", "me-log-title"),
        lines,
    };
    Ok(Html(page.render()?))
}

/// Signs out on every phone and computer at once.
pub async fn sign_out_everywhere(
    State(st): State<AppState>,
    me: SignedIn,
) -> Result<Response, AppError> {
    own(&me)?;
    let cookie = crate::auth::end_every_session(&st, &me).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/login".to_owned()),
        ],
    )
        .into_response())
}

/// The participant's routes, and the staff's routes of the participant's own fika.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/me", get(plan))
        .route("/me/goals", post(add_goal))
        .route("/me/goals/{goal}", post(reword_goal))
        .route("/me/steps/{step}/done", post(step_done))
        .route("/me/talk", post(talk))
        .route("/me/log", get(log))
        .route("/me/meetings", get(meetings))
        .route("/me/sign-out-everywhere", post(sign_out_everywhere))
        .route("/me/check-in", get(check_in::form).post(check_in::save))
        .route("/check-ins", get(check_in::trend))
        .route("/join", get(invite::join_code))
        .route("/join/{code}", get(invite::join_form).post(invite::join))
        .route("/participants/{id}/access", get(invite::access))
        .route("/participants/{id}/invitations", post(invite::create))
        .route(
            "/participants/{id}/invitations/{invitation}/withdraw",
            post(invite::withdraw),
        )
        .route("/participants/{id}/access/end", post(invite::end))
}
