//! Users: an admin adds, disables and enables them. Disabling ends their sessions at once.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use fika_core::*;
use fika_store::accounts::{NewUser, UserError};
use fika_store::{Role, User};

use super::{Fields, Layout, actor, bad, bad_choice, field};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{AppError, Say};
use crate::ids::new_id;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<User>,
    coaches: Vec<Coach>,
    programs: Vec<Program>,
    roles: Vec<&'static str>,
}

pub async fn users(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Admin])?;
    let (users, coaches, programs) = st
        .db(|s| -> Result<_, fika_store::StoreError> {
            Ok((s.users()?, s.coaches(None)?, s.programs()?))
        })
        .await??;
    let page = UsersPage {
        l: Layout::new(&me, "/admin/users", "users-title"),
        users,
        coaches,
        programs,
        roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
    };
    Ok(Html(page.render()?))
}

pub async fn add_user(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Admin])?;
    let login = field(&f, "login")
        .ok_or_else(|| bad("bad-login-missing"))?
        .trim()
        .to_owned();
    let password = field(&f, "password")
        .ok_or_else(|| bad("bad-password-missing"))?
        .to_owned();
    crate::password::check(&password, &login).map_err(|r| AppError::Rule(r.key().into()))?;
    let role = field(&f, "role")
        .and_then(Role::parse)
        .ok_or_else(|| bad("bad-role-missing"))?;
    let new = NewUser {
        id: new_id("U"),
        login,
        role,
        coach: field(&f, "coach")
            .filter(|_| role == Role::Coach)
            .map(|c| CoachId::parse(c).map_err(|_| bad_choice("user-coach", c)))
            .transpose()?,
        program: field(&f, "program")
            .filter(|_| role == Role::Lead)
            .map(|p| ProgramId::parse(p).map_err(|_| bad_choice("user-program", p)))
            .transpose()?,
        password_hash: st.password_checks.hash(password).await?,
        locale: "en".into(),
    };
    let by = actor(&st, &me);
    st.db(move |s| s.add_user_as(&by, &new))
        .await?
        .map_err(|e| match e {
            UserError::Store(e) => e.into(),
            UserError::LoginTaken(login) => {
                AppError::BadInput(Say::new("bad-login-taken").text("login", login))
            }
            UserError::NoSuchCoach(c) => bad_choice("user-coach", &c),
            UserError::NoSuchProgram(p) => bad_choice("user-program", &p),
            UserError::MissingLink => bad("bad-user-link-missing"),
        })?;
    Ok(Redirect::to("/admin/users"))
}

async fn set_disabled(
    st: AppState,
    me: SignedIn,
    id: String,
    disabled: bool,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Admin])?;
    if disabled && id == me.user.id {
        return Err(bad("bad-disable-yourself"));
    }
    let by = actor(&st, &me);
    let found = st.db(move |s| s.set_disabled(&by, &id, disabled)).await??;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/admin/users"))
}

pub async fn disable(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Redirect, AppError> {
    set_disabled(st, me, id, true).await
}

pub async fn enable(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Redirect, AppError> {
    set_disabled(st, me, id, false).await
}

#[derive(Template)]
#[template(path = "programs.html")]
struct ProgramsPage {
    l: Layout,
    programs: Vec<(Program, Vec<Coach>)>,
}

pub async fn programs(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Admin])?;
    let (programs, coaches) = st
        .db(|s| -> Result<_, fika_store::StoreError> { Ok((s.programs()?, s.coaches(None)?)) })
        .await??;
    let page = ProgramsPage {
        l: Layout::new(&me, "/admin/programs", "programs-title"),
        programs: programs
            .into_iter()
            .map(|p| {
                let of: Vec<Coach> = coaches
                    .iter()
                    .filter(|c| c.program == p.id)
                    .cloned()
                    .collect();
                (p, of)
            })
            .collect(),
    };
    Ok(Html(page.render()?))
}

pub async fn add_program(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Admin])?;
    let p = Program {
        id: ProgramId::parse(&new_id("P")).expect("a valid ID"),
        name: field(&f, "name")
            .ok_or_else(|| bad("bad-program-name-missing"))?
            .trim()
            .to_owned(),
        organisation: field(&f, "organisation").map(|s| s.trim().to_owned()),
        started_on: Some(st.clock.today()),
    };
    let actor = actor(&st, &me);
    st.db(move |s| s.add_program(&actor, &p)).await??;
    Ok(Redirect::to("/admin/programs"))
}

pub async fn add_coach(
    State(st): State<AppState>,
    me: SignedIn,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    me.require(&[Role::Admin])?;
    let program = field(&f, "program").ok_or_else(|| bad("bad-program-missing"))?;
    let c = Coach {
        id: CoachId::parse(&new_id("K")).expect("a valid ID"),
        program: ProgramId::parse(program).map_err(|_| bad_choice("coach-program", program))?,
        name: field(&f, "name")
            .ok_or_else(|| bad("bad-coach-name-missing"))?
            .trim()
            .to_owned(),
        fte: match field(&f, "fte") {
            Some(v) => Fte::parse(v.trim())
                .map_err(|_| AppError::BadInput(Say::new("bad-fte").text("value", v.trim())))?,
            None => Fte::default(),
        },
        started_on: st.clock.today(),
        ended_on: None,
    };
    let actor = actor(&st, &me);
    st.db(move |s| s.add_coach(&actor, &c)).await??;
    Ok(Redirect::to("/admin/programs"))
}
