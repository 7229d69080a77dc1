//! The check-in in 30 seconds: four items on 0–10 (`fika_core::check_in::ITEMS`), optional
//! words, and who sees it. And the figures made of check-ins: a coach sees their own monthly
//! averages and count, a lead the program's, both under the small-cell rule. No page puts
//! coaches side by side.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{Html, Redirect};
use fika_core::CheckInId;
use fika_core::check_in::{ITEMS, MAX_SCORE, MonthFigure, Score, Sharing};
use fika_store::Role;
use fika_store::participant_view::{NewCheckIn, TrendOf};

use super::super::{Fields, Layout, actor, bad, field};
use super::own;
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};
use crate::i18n::Lang;
use crate::ids::new_id;

/// An item as the form asks it, in the user's language.
pub struct Asked {
    pub id: &'static str,
    pub text: &'static str,
}

#[derive(Template)]
#[template(path = "me_check_in.html")]
struct CheckInPage {
    l: Layout,
    items: Vec<Asked>,
    scores: Vec<u8>,
}

pub async fn form(me: SignedIn) -> Result<Html<String>, AppError> {
    own(&me)?;
    let l = Layout::new(&me, "/me/check-in", "me-check-in-title");
    let items = ITEMS
        .iter()
        .map(|i| Asked {
            id: i.id,
            text: if l.t.lang == Lang::Sv { i.sv } else { i.en },
        })
        .collect();
    let page = CheckInPage {
        l,
        items,
        scores: (0..=MAX_SCORE).collect(),
    };
    Ok(Html(page.render()?))
}

pub async fn save(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let pid = own(&me)?;
    let mut scores = [Score::new(0).expect("0 is a score"); 4];
    for (slot, item) in scores.iter_mut().zip(ITEMS) {
        let given = field(&f, &format!("score_{}", item.id))
            .ok_or_else(|| bad("me-check-in-answer-all"))?;
        *slot = Score::parse(given).map_err(|_| {
            AppError::BadInput(Say::new("me-check-in-bad-score").text("value", given))
        })?;
    }
    let sharing = field(&f, "sharing").ok_or_else(|| bad("me-check-in-choose-who"))?;
    let sharing = Sharing::parse(sharing).map_err(|_| bad("me-check-in-choose-who"))?;
    let check_in = NewCheckIn {
        id: CheckInId::parse(&new_id("CI")).expect("a new ID is an ID"),
        participant: pid,
        on: st.clock.today(),
        scores,
        words: field(&f, "words").map(|w| w.trim().to_owned()),
        sharing,
    };
    let actor = actor(&st, &me);
    st.db(move |s| s.add_check_in(&actor, &check_in)).await??;
    Ok(Redirect::to("/me?checked-in=1"))
}

#[derive(Template)]
#[template(path = "me_trend.html")]
struct TrendPage {
    l: Layout,
    months: Vec<MonthFigure>,
    items: Vec<&'static str>,
    /// `me-trend-own` or `me-trend-program`.
    whose: &'static str,
}

/// A coach's own monthly figures, or a lead's program's; nothing per coach for a lead.
pub async fn trend(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Coach, Role::Lead])?;
    let (of, whose) = match (me.user.role, &me.user.coach, &me.user.program) {
        (Role::Coach, Some(c), _) => (TrendOf::Coach(c.clone()), "me-trend-own"),
        (Role::Lead, _, Some(p)) => (TrendOf::Program(p.clone()), "me-trend-program"),
        _ => return Err(AppError::Forbidden),
    };
    let months = st.db(move |s| s.check_in_trend(&of)).await??;
    let l = Layout::new(&me, "/check-ins", "me-trend-title");
    let items = ITEMS
        .iter()
        .map(|i| if l.t.lang == Lang::Sv { i.sv } else { i.en })
        .collect();
    let page = TrendPage {
        l,
        months,
        items,
        whose,
    };
    Ok(Html(page.render()?))
}
