//! A new participant. Zero exclusion: wanting to work is the only criterion, so the form asks
//! for no assessment — a name, how they came, and, if they like, their goal in their words.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate as Date;
use fika_core::*;
use fika_store::Role;

use super::{Fields, Layout, actor, bad, bad_choice, field, form_date, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::form::FormState;
use crate::ids::new_id;

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    l: Layout,
    sources: Vec<&'static str>,
    today: Date,
    /// Empty for a new form; what was typed and what was wrong after a refusal.
    v: FormState,
}

pub async fn form(State(st): State<AppState>, me: SignedIn) -> Result<Response, AppError> {
    me.require(&[Role::Coach])?;
    render(&st, &me, FormState::default(), StatusCode::OK)
}

fn render(
    st: &AppState,
    me: &SignedIn,
    v: FormState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let page = EnrolPage {
        l: Layout::new(me, "/participants/new", "enrol-title"),
        sources: ReferralSource::ALL.iter().map(|s| s.as_str()).collect(),
        today: st.clock.today(),
        v,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The field a refusal of the enrolment form concerns, by its message key.
fn field_of(key: &str) -> Option<&'static str> {
    match key {
        "bad-name-missing" => Some("name"),
        "bad-choice" => Some("referral_source"),
        "bad-date" | "rule-referred-after-enrolment" => Some("enrolled_on"),
        _ => None,
    }
}

pub async fn save(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    me.require(&[Role::Coach])?;
    match enrol(&st, &me, &f).await {
        Ok(r) => Ok(r.into_response()),
        Err(e) => {
            // Shown again with what was typed and the message beside its field.
            let v = FormState::refused(&f, e, field_of, &me.tr())?;
            render(&st, &me, v, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

async fn enrol(st: &AppState, me: &SignedIn, f: &Fields) -> Result<Redirect, AppError> {
    let reach = reach(st, me)?;
    let coach = me.user.coach.clone().ok_or(AppError::Forbidden)?;
    let program = me.user.program.clone().ok_or(AppError::Forbidden)?;
    let today = st.clock.today();
    let enrolled_on = form_date(field(f, "enrolled_on"), today)?;
    let id = ParticipantId::parse(&crate::ids::once_id(f, "D")).expect("a valid ID");
    let p = Participant {
        id: id.clone(),
        program,
        coach,
        name: field(f, "name")
            .ok_or_else(|| bad("bad-name-missing"))?
            .trim()
            .to_owned(),
        referral_source: {
            let s = field(f, "referral_source").unwrap_or("self");
            ReferralSource::parse(s).map_err(|_| bad_choice("enrol-source", s))?
        },
        referred_on: None,
        enrolled_on,
        employed_at_entry: field(f, "employed_at_entry").is_some(),
        exit: None,
    };
    let goal = field(f, "goal").map(|text| Goal {
        id: GoalId::parse(&new_id("G")).expect("a valid ID"),
        participant: id.clone(),
        set_on: enrolled_on,
        text: text.trim().to_owned(),
        occupation_code: None,
        hours_per_week: None,
    });
    let actor = actor(st, me);
    st.db(move |s| super::saved_once(s.enrol(&actor, &reach, &p, goal.as_ref())))
        .await??;
    Ok(Redirect::to(&format!("/participants/{id}?saved=enrolled")))
}
