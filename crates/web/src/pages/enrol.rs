//! A new participant. Zero exclusion: wanting to work is the only criterion, so the form asks
//! for no assessment — a name, how they came, and, if they like, their goal in their words.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, Redirect};
use chrono::NaiveDate as Date;
use fika_core::*;
use fika_store::Role;

use super::{Fields, Layout, actor, bad, bad_choice, field, form_date, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::ids::new_id;

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    l: Layout,
    sources: Vec<&'static str>,
    today: Date,
}

pub async fn form(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Coach])?;
    let page = EnrolPage {
        l: Layout::new(&me, "/participants/new", "enrol-title"),
        sources: ReferralSource::ALL.iter().map(|s| s.as_str()).collect(),
        today: st.clock.today(),
    };
    Ok(Html(page.render()?))
}

pub async fn save(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Coach])?;
    let reach = reach(&st, &me)?;
    let coach = me.user.coach.clone().ok_or(AppError::Forbidden)?;
    let program = me.user.program.clone().ok_or(AppError::Forbidden)?;
    let today = st.clock.today();
    let enrolled_on = form_date(field(&f, "enrolled_on"), today)?;
    let id = ParticipantId::parse(&crate::ids::once_id(&f, "D")).expect("a valid ID");
    let p = Participant {
        id: id.clone(),
        program,
        coach,
        name: field(&f, "name")
            .ok_or_else(|| bad("bad-name-missing"))?
            .trim()
            .to_owned(),
        referral_source: {
            let s = field(&f, "referral_source").unwrap_or("self");
            ReferralSource::parse(s).map_err(|_| bad_choice("enrol-source", s))?
        },
        referred_on: None,
        enrolled_on,
        employed_at_entry: field(&f, "employed_at_entry").is_some(),
        exit: None,
    };
    let goal = field(&f, "goal").map(|text| Goal {
        id: GoalId::parse(&new_id("G")).expect("a valid ID"),
        participant: id.clone(),
        set_on: enrolled_on,
        text: text.trim().to_owned(),
        occupation_code: None,
        hours_per_week: None,
    });
    let actor = actor(&st, &me);
    st.db(move |s| super::saved_once(s.enrol(&actor, &reach, &p, goal.as_ref())))
        .await??;
    Ok(Redirect::to(&format!("/participants/{id}?saved=enrolled")))
}
