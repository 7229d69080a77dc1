//! `fika demo`: on a fresh database it stores a region that `fika export` writes out and
//! `fika import` accepts into an empty database, with byte-identical files again.

use std::path::Path;

use crate::{Database, fika_ok};

/// Every file of folder `a` has the same bytes in folder `b`.
fn same_files(a: &Path, b: &Path) {
    for entry in std::fs::read_dir(a).unwrap() {
        let name = entry.unwrap().file_name();
        assert_eq!(
            std::fs::read(a.join(&name)).unwrap(),
            std::fs::read(b.join(&name)).unwrap(),
            "{name:?}"
        );
    }
}

fn demo_exports_and_imports(first: &Database, second: &Database) {
    let out = fika_ok(&[
        "--db",
        &first.url,
        "demo",
        "--today",
        "2025-06-30",
        "--no-serve",
    ]);
    assert!(out.contains("IPS Göteborg Nordost"), "{out}");
    // The demo's questionnaire went to the three programs; two have submitted.
    assert!(out.contains("round QR1; two have answered"), "{out}");
    let status = fika_ok(&["--db", &first.url, "questionnaire", "status", "QR1"]);
    assert_eq!(status.lines().count(), 3, "{status}");
    assert_eq!(status.matches("\tsubmitted\t").count(), 2, "{status}");
    // Its free-text answers go to a qualitative project, once.
    fika_ok(&["--db", &first.url, "qual", "new", "Enkätsvar"]);
    let to_qual = [
        "--db",
        &first.url,
        "questionnaire",
        "to-qual",
        "QR1",
        "story",
    ];
    let sent = fika_ok(&[&to_qual[..], &["Enkätsvar"]].concat());
    assert!(
        sent.starts_with("Added 2 source(s) to Q1:\n  QR1 · story · P1\n  QR1 · story · P2\n"),
        "{sent}"
    );
    let again = fika_ok(&[&to_qual[..], &["Q1"]].concat());
    assert!(
        again.starts_with("Added 0 source(s) to Q1:\nLeft 2 source(s) that Q1 held already:"),
        "{again}"
    );
    crate::fika_fails(
        &[
            "--db",
            &first.url,
            "questionnaire",
            "to-qual",
            "QR1",
            "team",
            "Q1",
        ],
        "not answered in free text",
    );
    crate::fika_fails(
        &[&to_qual[..], &["Q7"]].concat(),
        "there is no qualitative project \"Q7\"",
    );
    crate::fika_fails(
        &[
            "--db",
            &first.url,
            "questionnaire",
            "to-qual",
            "QR1",
            "nope",
            "Q1",
        ],
        "round QR1 has no question nope",
    );
    // A second run leaves the data as it is.
    let again = fika_ok(&[
        "--db",
        &first.url,
        "demo",
        "--today",
        "2025-06-30",
        "--no-serve",
    ]);
    assert!(again.contains("already holds records"), "{again}");
    // The participant's side of the demo, as `fika demo` adds it before serving: an account
    // and check-ins over six months, shared and only counted.
    {
        let store = fika_store::open(&first.url).unwrap();
        let today = fika_core::parse_date("2025-06-30").unwrap();
        let login = fika_web::demo::add_demo_participant(store.as_ref(), today).unwrap();
        assert!(login.is_some());
    }

    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    fika_ok(&["--db", &first.url, "export", a.to_str().unwrap()]);
    fika_ok(&["--db", &second.url, "import", a.to_str().unwrap()]);
    fika_ok(&["--db", &second.url, "export", b.to_str().unwrap()]);
    same_files(&a, &b);
    let meetings = std::fs::read_to_string(a.join("meetings.csv")).unwrap();
    assert!(meetings.lines().count() > 5_000);
    // The demo participants' check-ins travel too, shared and only counted.
    let check_ins = std::fs::read_to_string(a.join("check_ins.csv")).unwrap();
    assert!(check_ins.lines().count() > 10, "{check_ins}");
    assert!(check_ins.contains(",coach_and_me,") && check_ins.contains(",counted_only,"));
}

#[test]
fn demo_on_sqlite_exports_and_imports() {
    demo_exports_and_imports(&Database::sqlite(), &Database::sqlite());
}

#[test]
fn demo_on_postgres_exports_and_imports() {
    let (Some(first), Some(second)) = (
        Database::postgres("demo_on_postgres_exports_and_imports"),
        Database::postgres("demo_on_postgres_exports_and_imports (second)"),
    ) else {
        return;
    };
    demo_exports_and_imports(&first, &second);
}

#[test]
fn demo_folder_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        fika_ok(&[
            "demo",
            "--no-serve",
            "--seed",
            "7",
            "--today",
            "2025-06-30",
            "--out",
            dir.to_str().unwrap(),
        ]);
    }
    let db = Database::sqlite();
    fika_ok(&["--db", &db.url, "import", a.to_str().unwrap()]);
    same_files(&a, &b);
}

/// `fika demo` as the README's quick start runs it: the database, the logins, the web app.
#[test]
fn demo_serves_the_web_app_with_a_login_per_role() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let db = Database::sqlite();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_fika"))
        .args([
            "--db",
            &db.url,
            "demo",
            "--today",
            "2025-06-30",
            "--addr",
            &addr,
        ])
        .env_remove("FIKA_DATABASE_URL")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let started = Instant::now();
    // Read until the last login line (a coach) and the qualitative project are printed.
    while !printed.contains("The evaluator owns") && started.elapsed() < Duration::from_secs(120) {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        printed.push_str(&line);
    }
    let page = loop {
        if let Ok(mut s) = TcpStream::connect(&addr) {
            write!(
                s,
                "GET /login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut page = String::new();
            let _ = s.read_to_string(&mut page);
            break page;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no server on {addr}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        printed.contains(&format!("http://{addr}/login")),
        "{printed}"
    );
    for role in ["admin", "evaluator", "lead", "coach1"] {
        assert!(printed.contains(role), "no {role} login in: {printed}");
    }
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("<form"), "{page}");

    // The qualitative project: nine interviews, two coders who mostly agree, the
    // comparison open for its owner, the evaluator.
    assert!(
        printed.contains(&format!(
            "The evaluator owns Q1, nine interviews coded by two coders: http://{addr}/qual"
        )),
        "{printed}"
    );
    let list = crate::fika_ok(&["--db", &db.url, "qual", "list"]);
    assert_eq!(list, "Q1     IPS-intervjuer (demo)\n");
    assert_eq!(
        crate::fika_ok(&["--db", &db.url, "qual", "members", "Q1"]),
        "owner  evaluator\n"
    );
    let json: serde_json::Value = serde_json::from_str(&crate::fika_ok(&[
        "--db",
        &db.url,
        "qual",
        "agreement",
        "Q1",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["coders"].as_array().unwrap().len(), 2);
    let kappa = json["overall"]["kappa"].as_f64().unwrap();
    assert!(kappa > 0.5 && kappa < 1.0, "{json}");
}
