//! `fika participant invite`: the link on the last line, working once, for 14 days.

use crate::{Database, fika_fails, fika_ok, write_folder};

fn invite_prints_a_working_link(db: &Database) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    write_folder(&src, "cafe");
    fika_ok(&["--db", &db.url, "import", src.to_str().unwrap()]);
    let out = fika_ok(&[
        "--db",
        &db.url,
        "participant",
        "invite",
        "X1",
        "--base-url",
        "https://fika.example/",
    ]);
    let last = out.lines().last().unwrap();
    let code = last
        .strip_prefix("https://fika.example/join/")
        .unwrap_or_else(|| panic!("{out}"));
    assert!(out.contains(&format!("code {code}")), "{out}");
    let store = fika_store::open(&db.url).unwrap();
    let hash = fika_web::invitation::hash(code).unwrap();
    let now = fika_web::clock::stamp(chrono::Utc::now());
    assert!(store.invitation_works(&hash, &now).unwrap());
    let later = fika_web::clock::stamp(chrono::Utc::now() + chrono::Duration::days(15));
    assert!(!store.invitation_works(&hash, &later).unwrap(), "14 days");
    let audit = store.audit_log().unwrap();
    assert_eq!(audit.last().unwrap().action, "invitation.create");
    assert_eq!(audit.last().unwrap().participant.as_deref(), Some("X1"));

    fika_fails(
        &["--db", &db.url, "participant", "invite", "NOBODY"],
        "there is no participant with ID NOBODY",
    );
    fika_fails(
        &[
            "--db",
            &db.url,
            "participant",
            "invite",
            "X1",
            "--base-url",
            "fika.example",
        ],
        "give the address with http:// or https://",
    );
}

#[test]
fn invite_on_sqlite_prints_a_working_link() {
    invite_prints_a_working_link(&Database::sqlite());
}

#[test]
fn invite_on_postgres_prints_a_working_link() {
    if let Some(db) = Database::postgres("invite_on_postgres_prints_a_working_link") {
        invite_prints_a_working_link(&db);
    }
}
