//! Who may sign in: users and their roles, server-side sessions and failed sign-ins.
//!
//! The store keeps what it is given and decides nothing about time or policy: the web layer
//! hashes passwords and session secrets, reads its own clock and passes times in as UTC text
//! `YYYY-MM-DDTHH:MM:SSZ`, which sorts as time does. Sessions live in the database so that
//! several fika servers behind a load balancer share them.

use std::fmt;

use fika_core::{CoachId, ParticipantId, ProgramId};

use crate::backend::{Backend, Runner, Tx};
use crate::caseload::Actor;
use crate::sql::{audit, count, exec, texts};
use crate::{Db, StoreError};

/// Who the audit log names for an account change made at the machine, with `fika user`
/// (or the demo): an administrator with a shell, not a user of the web app.
pub const COMMAND_LINE: &str = "command-line";

/// The PostgreSQL advisory lock a sign-in attempt holds while it counts and records itself
/// ("fikl"), so that attempts sent at once, to one server or to several, are counted one
/// after another.
const LOGIN_ATTEMPT_LOCK: i64 = 0x6669_6b6c;

/// What a user may do. Deny by default: each role names what it can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Manages users and programs; sees no participant record.
    Admin,
    /// Team lead or supervisor: sees every participant of one program.
    Lead,
    /// Employment specialist: their caseload and those they stand in for.
    Coach,
    /// Evaluator or researcher: figures only, no participant record.
    Evaluator,
    /// A participant: their own record and nothing else. Made only by accepting an
    /// invitation (see `participant_view`), never by `add_user`.
    Participant,
}

impl Role {
    /// The staff roles, which an administrator gives.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Lead, Role::Coach, Role::Evaluator];

    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Lead => "lead",
            Role::Coach => "coach",
            Role::Evaluator => "evaluator",
            Role::Participant => "participant",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .chain([Role::Participant])
            .find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person who can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub login: String,
    pub role: Role,
    /// The coach record of a coach.
    pub coach: Option<CoachId>,
    /// The program a lead sees (and, for a coach, their coach's program).
    pub program: Option<ProgramId>,
    /// The participant record of a participant's own account.
    pub participant: Option<ParticipantId>,
    /// `en` or `sv`.
    pub locale: String,
    pub disabled: bool,
}

/// A user to create; `password_hash` is a PHC string (argon2id).
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: String,
    pub login: String,
    pub role: Role,
    pub coach: Option<CoachId>,
    pub program: Option<ProgramId>,
    pub password_hash: String,
    pub locale: String,
}

/// Why a user was not created.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("the name {0:?} is taken; choose another")]
    LoginTaken(String),
    #[error("there is no coach with ID {0}")]
    NoSuchCoach(String),
    #[error("there is no program with ID {0}")]
    NoSuchProgram(String),
    #[error("a coach needs --coach ID, a lead needs --program ID")]
    MissingLink,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A session found by the hash of its secret.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub created_at: String,
    pub last_seen_at: String,
}

/// Users, sessions and failed sign-ins.
pub trait Accounts {
    /// Creates a user, audited as `user.add` in the same transaction, naming `by`.
    fn add_user_as(&self, by: &Actor, user: &NewUser) -> Result<User, UserError>;
    /// Creates a user from the command line ([`COMMAND_LINE`] in the audit log).
    fn add_user(&self, user: &NewUser, now: &str) -> Result<User, UserError> {
        let by = Actor {
            user: COMMAND_LINE.to_owned(),
            at: now.to_owned(),
        };
        self.add_user_as(&by, user)
    }
    fn users(&self) -> Result<Vec<User>, StoreError>;
    fn user(&self, id: &str) -> Result<Option<User>, StoreError>;
    /// The user with this login name and their password hash.
    fn user_by_login(&self, login: &str) -> Result<Option<(User, String)>, StoreError>;
    /// Disables (or enables) a user; disabling ends all their sessions at once. Audited as
    /// `user.disable` or `user.enable` in the same transaction. `false`: no such user.
    fn set_disabled(&self, by: &Actor, id: &str, disabled: bool) -> Result<bool, StoreError>;
    fn set_locale(&self, id: &str, locale: &str) -> Result<(), StoreError>;

    /// Failed sign-ins since `since` for this login name and for this address.
    fn login_failures(&self, login: &str, ip: &str, since: &str) -> Result<(u64, u64), StoreError>;
    fn add_login_failure(&self, login: &str, ip: &str, at: &str) -> Result<(), StoreError>;
    /// Counts a sign-in attempt before its password is checked, atomically: when fewer than
    /// `max` failures (attempts in flight included) were recorded since `since` for this
    /// login name and for this address, records this attempt as a failure and returns its
    /// number; otherwise records nothing and returns `None` (refused). Attempts sent at once,
    /// to one server or to several on one database, are counted one after another.
    fn login_attempt(
        &self,
        login: &str,
        ip: &str,
        at: &str,
        since: &str,
        max: u64,
    ) -> Result<Option<i64>, StoreError>;
    /// Forgets an attempt recorded by [`Accounts::login_attempt`]: it succeeded, or its
    /// password was never checked.
    fn forget_login_attempt(&self, attempt: i64) -> Result<(), StoreError>;

    /// The secret named `name` that every server on this database shares: the one stored,
    /// or `candidate`, stored now, when there is none yet.
    fn server_key(&self, name: &str, candidate: &str) -> Result<String, StoreError>;

    fn add_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf_token: &str,
        now: &str,
    ) -> Result<(), StoreError>;
    /// The session with this hash, if its user is enabled.
    fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError>;
    fn touch_session(&self, token_hash: &str, now: &str) -> Result<(), StoreError>;
    fn end_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Forgets sessions that started before `created_before` or were last used before
    /// `seen_before`, and failed sign-ins before `failed_before`.
    fn purge(
        &self,
        created_before: &str,
        seen_before: &str,
        failed_before: &str,
    ) -> Result<(), StoreError>;
}

const USER_COLUMNS: &str = "u.user_id, u.login, u.role, u.coach_id, COALESCE(u.program_id, c.program_id), u.locale, u.disabled_at, u.password_hash, u.participant_id";
const USER_FROM: &str = "app_user u LEFT JOIN coach c ON c.coach_id = u.coach_id";

fn user_of(cells: &[Option<String>]) -> Result<(User, String), StoreError> {
    let text = |i: usize| cells[i].clone().unwrap_or_default();
    let role = Role::parse(&text(2)).ok_or_else(|| StoreError::Corrupt("app_user.role".into()))?;
    let corrupt = |_| StoreError::Corrupt("app_user ID".into());
    Ok((
        User {
            id: text(0),
            login: text(1),
            role,
            coach: cells[3]
                .as_deref()
                .map(CoachId::parse)
                .transpose()
                .map_err(corrupt)?,
            program: cells[4]
                .as_deref()
                .map(ProgramId::parse)
                .transpose()
                .map_err(corrupt)?,
            locale: text(5),
            disabled: cells[6].is_some(),
            participant: cells[8]
                .as_deref()
                .map(ParticipantId::parse)
                .transpose()
                .map_err(corrupt)?,
        },
        text(7),
    ))
}

impl<R: Runner> Accounts for Db<R> {
    fn add_user_as(&self, by: &Actor, user: &NewUser) -> Result<User, UserError> {
        match (user.role, &user.coach, &user.program) {
            (Role::Coach, None, _) | (Role::Lead, _, None) => return Err(UserError::MissingLink),
            // A participant's account comes from an invitation (`accept_invitation`).
            (Role::Participant, _, _) => return Err(UserError::MissingLink),
            _ => {}
        }
        let outcome = self.0.run(true, |tx| {
            if count(tx, "app_user WHERE login = $1", &[&user.login])? > 0 {
                return Ok((Err(UserError::LoginTaken(user.login.clone())), false));
            }
            if let Some(c) = &user.coach
                && count(tx, "coach WHERE coach_id = $1", &[c.as_str()])? == 0
            {
                return Ok((Err(UserError::NoSuchCoach(c.to_string())), false));
            }
            if let Some(p) = &user.program
                && count(tx, "program WHERE program_id = $1", &[p.as_str()])? == 0
            {
                return Ok((Err(UserError::NoSuchProgram(p.to_string())), false));
            }
            exec(
                tx,
                "INSERT INTO app_user (user_id, login, role, coach_id, program_id, password_hash, locale, created_at) \
                 VALUES ($1, $2, $3, NULLIF($4, ''), NULLIF($5, ''), $6, $7, $8)",
                &[
                    &user.id,
                    &user.login,
                    user.role.as_str(),
                    user.coach.as_ref().map_or("", |c| c.as_str()),
                    user.program.as_ref().map_or("", |p| p.as_str()),
                    &user.password_hash,
                    &user.locale,
                    &by.at,
                ],
            )?;
            audit(
                tx,
                &by.user,
                &by.at,
                "user.add",
                None,
                &describe(&user.id, &user.login, user.role, &user.coach, &user.program),
            )?;
            Ok((Ok(()), true))
        })?;
        outcome?;
        Ok(self.user(&user.id)?.expect("just written"))
    }

    fn users(&self) -> Result<Vec<User>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                &format!("SELECT {USER_COLUMNS} FROM {USER_FROM} ORDER BY u.login"),
                &[],
            )?;
            let users = rows
                .iter()
                .map(|r| user_of(r).map(|u| u.0))
                .collect::<Result<_, _>>()?;
            Ok((users, false))
        })
    }

    fn user(&self, id: &str) -> Result<Option<User>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                &format!("SELECT {USER_COLUMNS} FROM {USER_FROM} WHERE u.user_id = $1"),
                &[id],
            )?;
            let user = rows.first().map(|r| user_of(r)).transpose()?.map(|u| u.0);
            Ok((user, false))
        })
    }

    fn user_by_login(&self, login: &str) -> Result<Option<(User, String)>, StoreError> {
        self.0.run(false, |tx| {
            let rows = texts(
                tx,
                &format!("SELECT {USER_COLUMNS} FROM {USER_FROM} WHERE u.login = $1"),
                &[login],
            )?;
            Ok((rows.first().map(|r| user_of(r)).transpose()?, false))
        })
    }

    fn set_disabled(&self, by: &Actor, id: &str, disabled: bool) -> Result<bool, StoreError> {
        self.0.run(true, |tx| {
            let changed = if disabled {
                exec(tx, "DELETE FROM app_session WHERE user_id = $1", &[id])?;
                exec(
                    tx,
                    "UPDATE app_user SET disabled_at = $2 WHERE user_id = $1 RETURNING CAST(1 AS TEXT)",
                    &[id, &by.at],
                )?
            } else {
                exec(
                    tx,
                    "UPDATE app_user SET disabled_at = NULL WHERE user_id = $1 RETURNING CAST(1 AS TEXT)",
                    &[id],
                )?
            };
            if changed == 0 {
                return Ok((false, false));
            }
            let action = if disabled { "user.disable" } else { "user.enable" };
            audit(tx, &by.user, &by.at, action, None, id)?;
            Ok((true, true))
        })
    }

    fn set_locale(&self, id: &str, locale: &str) -> Result<(), StoreError> {
        self.0.run(true, |tx| {
            exec(
                tx,
                "UPDATE app_user SET locale = $2 WHERE user_id = $1",
                &[id, locale],
            )?;
            Ok(((), true))
        })
    }

    fn login_failures(&self, login: &str, ip: &str, since: &str) -> Result<(u64, u64), StoreError> {
        self.0.run(false, |tx| {
            let by_login = count(
                tx,
                "login_failure WHERE login = $1 AND at >= $2",
                &[login, since],
            )?;
            let by_ip = count(tx, "login_failure WHERE ip = $1 AND at >= $2", &[ip, since])?;
            Ok(((by_login, by_ip), false))
        })
    }

    fn add_login_failure(&self, login: &str, ip: &str, at: &str) -> Result<(), StoreError> {
        self.0.run(true, |tx| {
            exec(
                tx,
                "INSERT INTO login_failure (login, ip, at) VALUES ($1, $2, $3)",
                &[login, ip, at],
            )?;
            Ok(((), true))
        })
    }

    fn login_attempt(
        &self,
        login: &str,
        ip: &str,
        at: &str,
        since: &str,
        max: u64,
    ) -> Result<Option<i64>, StoreError> {
        self.0.run(true, |tx| {
            // SQLite lets one writer in at a time; PostgreSQL serialises the attempts here.
            lock(tx, LOGIN_ATTEMPT_LOCK)?;
            let by_login = count(
                tx,
                "login_failure WHERE login = $1 AND at >= $2",
                &[login, since],
            )?;
            let by_ip = count(tx, "login_failure WHERE ip = $1 AND at >= $2", &[ip, since])?;
            if by_login >= max || by_ip >= max {
                return Ok((None, false));
            }
            let rows = texts(
                tx,
                "INSERT INTO login_failure (login, ip, at) VALUES ($1, $2, $3) \
                 RETURNING CAST(seq AS TEXT)",
                &[login, ip, at],
            )?;
            let seq = rows
                .first()
                .and_then(|r| r[0].as_deref())
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| StoreError::Corrupt("login_failure.seq".into()))?;
            Ok((Some(seq), true))
        })
    }

    fn forget_login_attempt(&self, attempt: i64) -> Result<(), StoreError> {
        let seq = attempt.to_string();
        self.0.run(true, |tx| {
            let b = tx.backend();
            let sql = match b {
                Backend::Sqlite => "DELETE FROM login_failure WHERE seq = $1",
                Backend::Postgres => {
                    "DELETE FROM login_failure WHERE seq = CAST(CAST($1 AS TEXT) AS BIGINT)"
                }
            };
            exec(tx, sql, &[&seq])?;
            Ok(((), true))
        })
    }

    fn server_key(&self, name: &str, candidate: &str) -> Result<String, StoreError> {
        self.0.run(true, |tx| {
            exec(
                tx,
                "INSERT INTO server_key (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                &[name, candidate],
            )?;
            let rows = texts(tx, "SELECT secret FROM server_key WHERE name = $1", &[name])?;
            let secret = rows
                .first()
                .and_then(|r| r[0].clone())
                .ok_or_else(|| StoreError::Corrupt("server_key".into()))?;
            Ok((secret, true))
        })
    }

    fn add_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf_token: &str,
        now: &str,
    ) -> Result<(), StoreError> {
        self.0.run(true, |tx| {
            exec(
                tx,
                "INSERT INTO app_session (token_hash, user_id, csrf_token, created_at, last_seen_at) \
                 VALUES ($1, $2, $3, $4, $4)",
                &[token_hash, user_id, csrf_token, now],
            )?;
            Ok(((), true))
        })
    }

    fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        // Every request reads its session: one statement, without a transaction around it.
        self.0.run_one(false, |tx| {
            let rows = texts(
                tx,
                &format!(
                    "SELECT {USER_COLUMNS}, s.csrf_token, s.created_at, s.last_seen_at \
                     FROM app_session s JOIN app_user u ON u.user_id = s.user_id \
                     LEFT JOIN coach c ON c.coach_id = u.coach_id \
                     WHERE s.token_hash = $1 AND u.disabled_at IS NULL"
                ),
                &[token_hash],
            )?;
            let Some(r) = rows.first() else {
                return Ok(None);
            };
            let (user, _) = user_of(r)?;
            let text = |i: usize| r[i].clone().unwrap_or_default();
            Ok(Some(Session {
                user,
                csrf_token: text(9),
                created_at: text(10),
                last_seen_at: text(11),
            }))
        })
    }

    fn touch_session(&self, token_hash: &str, now: &str) -> Result<(), StoreError> {
        self.0.run(true, |tx| {
            exec(
                tx,
                "UPDATE app_session SET last_seen_at = $2 WHERE token_hash = $1",
                &[token_hash, now],
            )?;
            Ok(((), true))
        })
    }

    fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.0.run(true, |tx| {
            exec(
                tx,
                "DELETE FROM app_session WHERE token_hash = $1",
                &[token_hash],
            )?;
            Ok(((), true))
        })
    }

    fn purge(
        &self,
        created_before: &str,
        seen_before: &str,
        failed_before: &str,
    ) -> Result<(), StoreError> {
        self.0.run(true, |tx| {
            exec(
                tx,
                "DELETE FROM app_session WHERE created_at < $1 OR last_seen_at < $2",
                &[created_before, seen_before],
            )?;
            exec(
                tx,
                "DELETE FROM login_failure WHERE at < $1",
                &[failed_before],
            )?;
            Ok(((), true))
        })
    }
}

/// Takes a transaction-level advisory lock on PostgreSQL (SQLite has one writer at a time).
fn lock(tx: &mut dyn Tx, key: i64) -> Result<(), StoreError> {
    if tx.backend() == Backend::Postgres {
        tx.execute(&format!("SELECT pg_advisory_xact_lock({key})"))?;
    }
    Ok(())
}

/// An account as the audit log describes it: IDs, login name and role, never a password.
fn describe(
    id: &str,
    login: &str,
    role: Role,
    coach: &Option<CoachId>,
    program: &Option<ProgramId>,
) -> String {
    let mut d = format!("{id} {login} role={role}");
    if let Some(c) = coach {
        d.push_str(&format!(" coach={c}"));
    }
    if let Some(p) = program {
        d.push_str(&format!(" program={p}"));
    }
    d
}
