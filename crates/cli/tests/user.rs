//! `fika user add`: the first admin and other users from the command line.

use std::io::Write;
use std::process::{Command, Stdio};

fn fika_user_add(db: &str, args: &[&str], password: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fika"))
        .args(["--db", db, "user", "add", "--password-stdin"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn user_add_creates_the_first_admin_and_refuses_what_cannot_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fika.db");
    let db = db.to_str().unwrap();
    let (ok, out) = fika_user_add(
        db,
        &["--name", "admin", "--role", "admin"],
        "a long enough secret",
    );
    assert!(ok, "{out}");
    assert!(out.contains("Added admin (admin)"), "{out}");
    let (ok, out) = fika_user_add(
        db,
        &["--name", "admin", "--role", "admin"],
        "a long enough secret",
    );
    assert!(!ok && out.contains("taken"), "{out}");
    let (ok, out) = fika_user_add(db, &["--name", "x", "--role", "admin"], "short");
    assert!(!ok && out.contains("at least 12"), "{out}");
    let (ok, out) = fika_user_add(
        db,
        &["--name", "c", "--role", "coach"],
        "a long enough secret",
    );
    assert!(!ok && out.contains("--coach"), "{out}");
    let (ok, out) = fika_user_add(
        db,
        &["--name", "c", "--role", "coach", "--coach", "C9"],
        "a long enough secret",
    );
    assert!(!ok && out.contains("no coach with ID C9"), "{out}");
    let (ok, out) = fika_user_add(
        db,
        &["--name", "x", "--role", "boss"],
        "a long enough secret",
    );
    assert!(!ok && out.contains("role"), "{out}");
}
