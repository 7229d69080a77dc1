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

/// A participant's own login for the demonstration: the first participant on the first
/// coach's caseload today, with an account made from an invitation as a participant would,
/// and check-ins over the past months from several participants of that caseload (so that
/// the coach's own monthly figures pass the small-cell rule). `None` when there is no such
/// participant.
pub fn add_demo_participant(
    store: &dyn Store,
    today: chrono::NaiveDate,
) -> Result<Option<DemoLogin>, AddUserError> {
    use fika_core::check_in::{Score, Sharing};
    use fika_store::participant_view::{Join, NewCheckIn};
    use fika_store::{Actor, Reach};
    let store_err = fika_store::accounts::UserError::from;
    let Some(program) = store.programs().map_err(store_err)?.into_iter().next() else {
        return Ok(None);
    };
    let Some(coach) = store
        .coaches(Some(&program.id))
        .map_err(store_err)?
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let now = chrono::Utc::now();
    let demo = Actor {
        user: "demo".into(),
        at: crate::clock::stamp(now),
    };
    let reach = Reach::Coach {
        coach: coach.id.clone(),
        on: today,
    };
    let caseload = store
        .caseload(&demo, &reach, today, today)
        .map_err(store_err)?;
    let mut people: Vec<_> = caseload
        .participants
        .iter()
        .filter(|p| p.coach == coach.id)
        .collect();
    people.sort_by(|a, b| a.id.cmp(&b.id));
    let Some(first) = people.first() else {
        return Ok(None);
    };
    let fail = |e: fika_store::WriteError| match e {
        fika_store::WriteError::Store(e) => AddUserError::User(store_err(e)),
        other => AddUserError::User(store_err(fika_store::StoreError::Commit(other.to_string()))),
    };
    let made = crate::invitation::make(
        store,
        &demo,
        &Reach::Program(program.id.clone()),
        &first.id,
        "http://localhost",
        now,
    )
    .map_err(fail)?;
    let login = "participant".to_owned();
    let password = format!("fika-{}", &crate::new_id("x")[2..]);
    let user = store
        .accept_invitation(
            &crate::invitation::hash(&made.code).expect("a code made here"),
            &crate::clock::stamp(now),
            &Join {
                user_id: crate::new_id("U"),
                login: login.clone(),
                password_hash: crate::auth::hash_password(&password),
                locale: "en".into(),
            },
        )
        .map_err(|e| {
            AddUserError::User(store_err(fika_store::StoreError::Commit(e.to_string())))
        })?;
    // Six months back, a check-in a month from up to five participants; the demo
    // participant's own are hers, the others' are written by the demo.
    for (i, p) in people.iter().take(5).enumerate() {
        for month in (0..6u32).rev() {
            let on = today - chrono::Duration::days(i64::from(month) * 30 + i as i64 + 1);
            if on < p.enrolled_on {
                continue;
            }
            let base = 6 + ((i as u32 + month) % 4) as u8;
            let mut scores = [base, base + 1, base, (base + 1).min(10)];
            // Her latest check-in is low, so that the coach's next meeting shows the prompt.
            if i == 0 && month == 0 {
                scores = [7, 5, 7, 6];
            }
            let actor = Actor {
                user: if i == 0 {
                    user.id.clone()
                } else {
                    "demo".into()
                },
                at: crate::clock::stamp(now),
            };
            store
                .add_check_in(
                    &actor,
                    &NewCheckIn {
                        id: fika_core::CheckInId::parse(&crate::new_id("CI"))
                            .expect("a new ID is an ID"),
                        participant: p.id.clone(),
                        on,
                        scores: scores.map(|s| Score::new(s.min(10)).expect("0–10")),
                        words: None,
                        sharing: if i == 2 {
                            Sharing::CountedOnly
                        } else {
                            Sharing::CoachAndMe
                        },
                    },
                )
                .map_err(fail)?;
        }
    }
    Ok(Some(DemoLogin {
        login,
        role: Role::Participant,
        password,
        sees: format!("the own plan of {} ({})", first.name, first.id),
    }))
}
