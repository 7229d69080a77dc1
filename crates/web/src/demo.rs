//! Users for a demonstration database: one per role, so that each view can be tried. The
//! `fika demo` command calls [`add_demo_users`] after generating its records and prints the
//! logins it returns.

use fika_store::{Role, Store};

use crate::auth::{AddUserError, add_user};

/// A demonstration login.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub login: String,
    pub role: Role,
    pub password: String,
    /// What this user sees, in a few words.
    pub sees: String,
}

/// Adds an admin, an evaluator, a lead of the first program and a user for each of up to
/// three of its coaches. Passwords are random: a demo left running is not an open door.
pub fn add_demo_users(store: &dyn Store) -> Result<Vec<DemoLogin>, AddUserError> {
    let mut logins = Vec::new();
    let mut add =
        |login: String, role: Role, coach: Option<&str>, program: Option<&str>, sees: String| {
            let password = format!("fika-{}", &crate::new_id("x")[2..]);
            add_user(store, &login, role.as_str(), coach, program, &password)?;
            logins.push(DemoLogin {
                login,
                role,
                password,
                sees,
            });
            Ok::<(), AddUserError>(())
        };
    add("admin".into(), Role::Admin, None, None, "users".into())?;
    add(
        "evaluator".into(),
        Role::Evaluator,
        None,
        None,
        "figures only".into(),
    )?;
    let programs = store
        .programs()
        .map_err(fika_store::accounts::UserError::from)?;
    if let Some(p) = programs.first() {
        add(
            "lead".into(),
            Role::Lead,
            None,
            Some(p.id.as_str()),
            format!("program {}", p.name),
        )?;
        let coaches = store
            .coaches(Some(&p.id))
            .map_err(fika_store::accounts::UserError::from)?;
        for (i, c) in coaches.iter().take(3).enumerate() {
            add(
                format!("coach{}", i + 1),
                Role::Coach,
                Some(c.id.as_str()),
                None,
                format!("the caseload of {}", c.name),
            )?;
        }
    }
    Ok(logins)
}
