//! The coach's day: the start page.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use chrono::Duration;
use fika_store::Role;

use super::{Layout, actor, reach};
use crate::AppState;
use crate::auth::SignedIn;
use crate::day::{self, CASELOAD_MAX, Day, WEEKLY_CONTACTS};
use crate::error::AppError;

#[derive(Template)]
#[template(path = "day.html")]
struct DayPage {
    l: Layout,
    day: Day,
    today: chrono::NaiveDate,
    caseload_max: usize,
    weekly_contacts: usize,
    /// "I'd like to talk" from participants of the caseload.
    talk: Vec<fika_store::participant_view::TalkRequest>,
}

pub async fn day(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Coach])?;
    let reach = reach(&st, &me)?;
    let coach = me.user.coach.clone().ok_or(AppError::Forbidden)?;
    let today = st.clock.today();
    let actor = actor(&st, &me);
    let since = day::week_start(today) - Duration::days(7);
    let (caseload, talk) = st
        .db(move |s| -> Result<_, fika_store::StoreError> {
            Ok((
                s.caseload(&actor, &reach, today, since)?,
                s.talk_requests(&reach)?,
            ))
        })
        .await??;
    let page = DayPage {
        l: Layout::new(&me, "/day", "day-title"),
        day: day::compute(&caseload, &coach, today),
        today,
        caseload_max: CASELOAD_MAX,
        weekly_contacts: WEEKLY_CONTACTS,
        talk,
    };
    Ok(Html(page.render()?))
}
