//! `spawn_app()`: the real app on port 0 with a fresh database (SQLite always, PostgreSQL in
//! a fresh schema when `FIKA_TEST_POSTGRES_URL` is set), seeded with a small fixture, and a
//! clock the test moves.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock};

use chrono::{TimeZone, Utc};
use fika_interchange::FolderReader;
use fika_store::Store;
use fika_store::accounts::{NewUser, Role};
use fika_web::{AppState, Config, ManualClock};
use reqwest::StatusCode;
use reqwest::redirect::Policy;

pub const PASSWORD: &str = "correct horse battery";

/// The fixture's day: Monday 2 March 2026, 09:00 UTC.
pub fn start_time() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// Two programs. P1 has coaches C1 (Åsa) and C2 (Bo); P2 has C3 (Cia).
/// A1, A3 are C1's; A2 is C2's; B1 is C3's (program P2).
const FOLDER: &[(&str, &str)] = &[
    (
        "programs.csv",
        "program_id,name\nP1,Göteborg IPS\nP2,Malmö IPS\n",
    ),
    (
        "coaches.csv",
        "coach_id,program_id,name,started_on\nC1,P1,Åsa,2024-01-01\nC2,P1,Bo,2024-01-01\nC3,P2,Cia,2024-01-01\n",
    ),
    (
        "participants.csv",
        "participant_id,program_id,coach_id,name,referral_source,enrolled_on\n\
         A1,P1,C1,Amal,self,2026-01-05\n\
         A3,P1,C1,Aron,social_services,2026-02-20\n\
         A2,P1,C2,Alva,mental_health_team,2026-01-05\n\
         B1,P2,C3,Bertil,self,2026-01-05\n",
    ),
    (
        "goals.csv",
        "goal_id,participant_id,set_on,text\nG1,A1,2026-01-05,I want to work with animals\nG2,A2,2026-01-05,Kitchen work\n",
    ),
    (
        "meetings.csv",
        "meeting_id,participant_id,coach_id,date,minutes,place\n\
         M1,A1,C1,2026-02-10,30,cafe\n\
         M2,A2,C2,2026-02-10,30,cafe\n",
    ),
    (
        "next_steps.csv",
        "step_id,participant_id,meeting_id,owner,text,agreed_on,due_on\n\
         S-A1a,A1,M1,participant,Call the stables,2026-02-10,2026-02-24\n\
         S-A1b,A1,M1,coach,Ask about hours,2026-02-10,\n\
         S-A2,A2,M2,participant,Update CV,2026-02-10,\n\
         S-B1,B1,,participant,Visit the library,2026-02-10,\n",
    ),
    ("employers.csv", "employer_id,name\nE1,Stall Ekbacken\n"),
];

/// The fixture's users, one per role and coach. Login name = key.
pub const USERS: &[(&str, Role, Option<&str>, Option<&str>)] = &[
    ("admin", Role::Admin, None, None),
    ("lead1", Role::Lead, None, Some("P1")),
    ("coach1", Role::Coach, Some("C1"), None),
    ("coach2", Role::Coach, Some("C2"), None),
    ("coach3", Role::Coach, Some("C3"), None),
    ("evaluator", Role::Evaluator, None, None),
];

/// One hash for every fixture user (hashing is slow on purpose).
static HASH: LazyLock<String> = LazyLock::new(|| fika_web::auth::hash_password(PASSWORD));

pub struct TestApp {
    pub addr: SocketAddr,
    /// Where this server's metrics are served (`GET /metrics`).
    pub metrics: SocketAddr,
    /// The database URL the store was opened with (on PostgreSQL with its schema).
    pub url: String,
    pub store: Arc<dyn Store>,
    pub clock: Arc<ManualClock>,
    pub backend: &'static str,
    _dir: tempfile::TempDir,
    schema: Option<(String, String)>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((url, schema)) = &self.schema {
            let url = url.split('?').next().unwrap().to_owned();
            let schema = schema.clone();
            // Off the async runtime: the postgres client blocks.
            let _ = std::thread::spawn(move || {
                if let Ok(mut c) = postgres::Client::connect(&url, postgres::NoTls) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"));
                }
            })
            .join();
        }
    }
}

/// The app on SQLite, and on PostgreSQL when `FIKA_TEST_POSTGRES_URL` is set.
pub async fn spawn_apps(test: &str) -> Vec<TestApp> {
    let mut apps = vec![spawn_app().await];
    match std::env::var("FIKA_TEST_POSTGRES_URL") {
        Ok(url) => apps.push(spawn_on(Some(url), Config::default()).await),
        Err(_) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED (no FIKA_TEST_POSTGRES_URL): {test}"
            );
        }
    }
    apps
}

pub async fn spawn_app() -> TestApp {
    spawn_on(None, Config::default()).await
}

pub async fn spawn_with(config: Config) -> TestApp {
    spawn_on(None, config).await
}

/// The app with this configuration on SQLite, and on PostgreSQL when
/// `FIKA_TEST_POSTGRES_URL` is set.
pub async fn spawn_apps_with(test: &str, config: Config) -> Vec<TestApp> {
    let mut apps = vec![spawn_on(None, config.clone()).await];
    match std::env::var("FIKA_TEST_POSTGRES_URL") {
        Ok(url) => apps.push(spawn_on(Some(url), config).await),
        Err(_) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED (no FIKA_TEST_POSTGRES_URL): {test}"
            );
        }
    }
    apps
}

async fn spawn_on(postgres: Option<String>, config: Config) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (url, schema, backend) = match postgres {
        None => (
            dir.path().join("fika.db").to_str().unwrap().to_owned(),
            None,
            "sqlite",
        ),
        Some(url) => {
            static N: AtomicU32 = AtomicU32::new(0);
            let schema = format!(
                "fika_web_test_{}_{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            );
            let sep = if url.contains('?') { '&' } else { '?' };
            (
                format!("{url}{sep}schema={schema}"),
                Some((url, schema)),
                "postgres",
            )
        }
    };
    let folder = dir.path().join("fixture");
    std::fs::create_dir(&folder).unwrap();
    for (name, text) in FOLDER {
        std::fs::write(folder.join(name), text).unwrap();
    }
    // One setup at a time: creating and filling a whole schema takes many locks, and
    // PostgreSQL's lock table is small by default.
    static SETUP: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _setup = SETUP.lock().await;
    let opened = url.clone();
    let store: Arc<dyn Store> = tokio::task::spawn_blocking(move || {
        let store: Arc<dyn Store> = fika_store::open(&opened).unwrap().into();
        let mut reader = FolderReader::open(&folder).unwrap();
        store.import(&mut reader).unwrap();
        for (login, role, coach, program) in USERS {
            store
                .add_user(
                    &NewUser {
                        id: format!("U-{login}"),
                        login: (*login).to_owned(),
                        role: *role,
                        coach: coach.map(|c| c.parse().unwrap()),
                        program: program.map(|p| p.parse().unwrap()),
                        password_hash: HASH.clone(),
                        locale: "en".into(),
                    },
                    "2026-01-01T00:00:00Z",
                )
                .unwrap();
        }
        store
    })
    .await
    .unwrap();
    let clock = Arc::new(ManualClock::new(start_time()));
    let mut state = AppState::new(store.clone(), config);
    state.clock = clock.clone();
    let (addr, metrics) = serve_with_metrics(state).await;
    TestApp {
        addr,
        metrics,
        url,
        store,
        clock,
        backend,
        _dir: dir,
        schema,
    }
}

/// The server `fika serve` runs (its limits and timeouts), until the test ends.
async fn serve_state(listener: tokio::net::TcpListener, state: AppState) {
    fika_web::server::serve_on(listener, state, std::future::pending())
        .await
        .unwrap();
}

/// Serves the app and its metrics on two free ports, until the test ends.
pub async fn serve_with_metrics(state: AppState) -> (SocketAddr, SocketAddr) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let metrics = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_addr = metrics.local_addr().unwrap();
    tokio::spawn(fika_web::metrics::serve_on(
        metrics,
        state.clone(),
        std::future::pending(),
    ));
    tokio::spawn(serve_state(listener, state));
    (addr, metrics_addr)
}

/// The app on PostgreSQL only, when `FIKA_TEST_POSTGRES_URL` is set; else `None`, with a
/// `SKIPPED` line.
pub async fn spawn_postgres(test: &str, config: Config) -> Option<TestApp> {
    match std::env::var("FIKA_TEST_POSTGRES_URL") {
        Ok(url) => Some(spawn_on(Some(url), config).await),
        Err(_) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED (no FIKA_TEST_POSTGRES_URL): {test}"
            );
            None
        }
    }
}

/// Runs SQL statements on `app`'s database directly, as an operator with a database shell
/// would (on PostgreSQL in the app's schema).
pub async fn run_sql(app: &TestApp, sql: &str) {
    let (url, sql) = (app.url.clone(), sql.to_owned());
    let schema = app.schema.as_ref().map(|(_, s)| s.clone());
    tokio::task::spawn_blocking(move || match schema {
        None => rusqlite::Connection::open(&url)
            .unwrap()
            .execute_batch(&sql)
            .unwrap(),
        Some(schema) => {
            let base = url.split('?').next().unwrap();
            let mut c = postgres::Client::connect(base, postgres::NoTls).unwrap();
            c.batch_execute(&format!("SET search_path = \"{schema}\"; {sql}"))
                .unwrap();
        }
    })
    .await
    .unwrap();
}

/// A second server on the same database as `app`, as behind a load balancer: its own
/// process state (keys read from the database, password checks), the same store.
pub async fn second_server(app: &TestApp, config: Config) -> SocketAddr {
    let mut state = AppState::new(app.store.clone(), config);
    state.clock = app.clock.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve_state(listener, state));
    addr
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

pub fn client(app: &TestApp) -> Client {
    client_at(app.addr)
}

/// A browser-like client of the server at `addr`.
pub fn client_at(addr: SocketAddr) -> Client {
    Client {
        http: reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap(),
        base: format!("http://{addr}"),
        csrf: String::new(),
    }
}

/// The value of the first `name="csrf" value="…"` in a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_owned())
}

impl Client {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        (r.status(), r.text().await.unwrap())
    }

    /// POSTs a form with this client's CSRF token added.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut f: Vec<(&str, &str)> = form.to_vec();
        f.push(("csrf", &self.csrf));
        self.post_raw(path, &f).await
    }

    /// POSTs a form exactly as given.
    pub async fn post_raw(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Signs in; returns the status of the sign-in POST.
    pub async fn try_login(&mut self, login: &str, password: &str) -> StatusCode {
        let (_, page) = self.text("/login").await;
        let token = csrf_of(&page).unwrap();
        let r = self
            .post_raw(
                "/login",
                &[("login", login), ("password", password), ("csrf", &token)],
            )
            .await;
        r.status()
    }

    /// Signs in and picks up the session's CSRF token from the start page.
    pub async fn login(&mut self, login: &str) {
        assert_eq!(
            self.try_login(login, PASSWORD).await,
            StatusCode::SEE_OTHER,
            "sign in {login}"
        );
        self.refresh_csrf().await;
    }

    pub async fn refresh_csrf(&mut self) {
        let home = self.get("/").await;
        let status = home.status();
        let Some(to) = home
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
        else {
            panic!("{status}: {}", home.text().await.unwrap());
        };
        let (status, page) = self.text(&to).await;
        assert_eq!(status, StatusCode::OK, "{to}");
        self.csrf = csrf_of(&page).expect("a CSRF token on the start page");
    }
}

pub async fn signed_in(app: &TestApp, login: &str) -> Client {
    let mut c = client(app);
    c.login(login).await;
    c
}

/// The audit rows as (who, action, participant).
pub async fn audit(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || store.audit_log().unwrap())
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.who, r.action, r.participant))
        .collect()
}

pub async fn meetings(app: &TestApp) -> u64 {
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || store.counts().unwrap().get(fika_core::File::Meetings))
        .await
        .unwrap()
}

/// Adds an evaluator (password [`PASSWORD`]).
pub async fn add_evaluator(app: &TestApp, login: &str) {
    let store = app.store.clone();
    let login = login.to_owned();
    tokio::task::spawn_blocking(move || {
        store
            .add_user(
                &NewUser {
                    id: format!("U-{login}"),
                    login: login.clone(),
                    role: Role::Evaluator,
                    coach: None,
                    program: None,
                    password_hash: HASH.clone(),
                    locale: "en".into(),
                },
                "2026-01-01T00:00:00Z",
            )
            .unwrap();
    })
    .await
    .unwrap();
}

/// Gives participant `participant` an account named `login` (password [`PASSWORD`]), made
/// the way a participant makes one: from an invitation.
pub async fn add_participant_user(app: &TestApp, participant: &str, login: &str) {
    use fika_store::participant_view::{Join, NewInvitation};
    let store = app.store.clone();
    let (participant, login) = (participant.to_owned(), login.to_owned());
    tokio::task::spawn_blocking(move || {
        let actor = fika_store::Actor {
            user: "U-admin".into(),
            at: "2026-03-01T00:00:00Z".into(),
        };
        let p: fika_core::ParticipantId = participant.parse().unwrap();
        let program = if participant.starts_with('B') {
            "P2"
        } else {
            "P1"
        };
        let reach = fika_store::Reach::Program(program.parse().unwrap());
        let code_hash = format!("fixture-{login}");
        store
            .create_invitation(
                &actor,
                &reach,
                &NewInvitation {
                    id: format!("I-{login}"),
                    participant: p,
                    code_hash: code_hash.clone(),
                    expires_at: "2026-03-15T00:00:00Z".into(),
                },
            )
            .unwrap();
        store
            .accept_invitation(
                &code_hash,
                "2026-03-01T00:00:00Z",
                &Join {
                    user_id: format!("U-{login}"),
                    login: login.clone(),
                    password_hash: HASH.clone(),
                    locale: "en".into(),
                },
            )
            .unwrap();
    })
    .await
    .unwrap();
}
