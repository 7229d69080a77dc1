//! Qualitative projects as the web pages reach them: members, access by membership, changes
//! made in one transaction, the comparison opened by the owner.

use fika_qual::{Code, Guid, Project, TextSource};
use fika_store::accounts::{NewUser, Role};
use fika_store::{QualRole, WriteError};

use super::fixture::{TestDb, base};
use crate::conformance;

conformance!(
    members_are_evaluators_named_by_owners,
    only_members_reach_a_project,
    a_change_is_stored_whole_or_not_at_all,
    only_the_owner_opens_the_comparison,
    uploaded_sources_keep_their_documents_all_or_none,
);

fn user(db: &TestDb, login: &str, role: Role) {
    let (coach, program) = match role {
        Role::Coach => (Some("C1".parse().unwrap()), None),
        Role::Lead => (None, Some("P1".parse().unwrap())),
        _ => (None, None),
    };
    db.store
        .add_user(
            &NewUser {
                id: format!("U-{login}"),
                login: login.into(),
                role,
                coach,
                program,
                password_hash: "x".into(),
                locale: "en".into(),
            },
            "2026-01-01T00:00:00Z",
        )
        .unwrap();
}

/// A project "Intervjuer" with one code and one transcript, and users of every role.
fn setup(db: &TestDb) -> String {
    db.import(&base()).unwrap();
    for (login, role) in [
        ("eva", Role::Evaluator),
        ("erik", Role::Evaluator),
        ("ella", Role::Evaluator),
        ("coach", Role::Coach),
        ("lead", Role::Lead),
        ("admin", Role::Admin),
    ] {
        user(db, login, role);
    }
    let mut p = Project::new("Intervjuer");
    p.codes.push(Code::new(Guid::new_v4(), "Fika"));
    p.sources.push(TextSource::new(
        Guid::new_v4(),
        "i1.txt",
        "Vi ses på café 😀",
    ));
    db.store.create_qual_project(&p).unwrap().unwrap()
}

fn rule(e: WriteError) -> &'static str {
    match e {
        WriteError::Rule { rule, .. } => rule,
        other => panic!("expected a rule, got {other:?}"),
    }
}

fn members_are_evaluators_named_by_owners(db: &TestDb) {
    let id = setup(db);
    let s = &db.store;
    s.add_qual_member(&id, None, "eva", QualRole::Owner)
        .unwrap();
    s.add_qual_member(&id, Some("eva"), "erik", QualRole::Coder)
        .unwrap();
    // Only evaluators: the people interviewed must not read the transcripts.
    for login in ["coach", "lead", "admin"] {
        assert_eq!(
            rule(
                s.add_qual_member(&id, Some("eva"), login, QualRole::Coder)
                    .unwrap_err()
            ),
            "qual-member-role"
        );
    }
    assert_eq!(
        rule(
            s.add_qual_member(&id, Some("eva"), "nobody", QualRole::Coder)
                .unwrap_err()
        ),
        "qual-no-such-user"
    );
    // A coder cannot name members; nor can anyone for a project that does not exist.
    assert!(matches!(
        s.add_qual_member(&id, Some("erik"), "ella", QualRole::Coder),
        Err(WriteError::NotFound)
    ));
    assert!(matches!(
        s.add_qual_member("Q99", None, "ella", QualRole::Coder),
        Err(WriteError::NotFound)
    ));
    // A second role replaces the first.
    s.add_qual_member(&id, Some("eva"), "erik", QualRole::Owner)
        .unwrap();
    let members: Vec<(String, QualRole)> = s
        .qual_members(&id)
        .unwrap()
        .into_iter()
        .map(|m| (m.login, m.role))
        .collect();
    assert_eq!(
        members,
        [
            ("erik".to_owned(), QualRole::Owner),
            ("eva".to_owned(), QualRole::Owner)
        ]
    );
}

fn only_members_reach_a_project(db: &TestDb) {
    let id = setup(db);
    let s = &db.store;
    let other = s
        .create_qual_project(&Project::new("Enkät"))
        .unwrap()
        .unwrap();
    s.add_qual_member(&id, None, "eva", QualRole::Owner)
        .unwrap();
    s.add_qual_member(&id, None, "erik", QualRole::Coder)
        .unwrap();
    s.add_qual_member(&other, None, "erik", QualRole::Owner)
        .unwrap();

    let (access, project) = s.qual_project_for(&id, "erik").unwrap().unwrap();
    assert_eq!(
        (access.id.as_str(), access.name.as_str(), access.role),
        (id.as_str(), "Intervjuer", QualRole::Coder)
    );
    assert!(!access.comparison_open);
    assert_eq!(project.sources[0].text, "Vi ses på café 😀");
    assert!(s.qual_project_for(&id, "ella").unwrap().is_none());
    assert!(s.qual_project_for("Q99", "eva").unwrap().is_none());
    // By ID only: a name does not reach a project in the web pages.
    assert!(s.qual_project_for("Intervjuer", "eva").unwrap().is_none());

    let names = |login: &str| -> Vec<(String, QualRole)> {
        s.qual_projects_of(login)
            .unwrap()
            .into_iter()
            .map(|a| (a.name, a.role))
            .collect()
    };
    assert_eq!(
        names("erik"),
        [
            ("Intervjuer".to_owned(), QualRole::Coder),
            ("Enkät".to_owned(), QualRole::Owner)
        ]
    );
    assert_eq!(names("ella"), []);
}

fn a_change_is_stored_whole_or_not_at_all(db: &TestDb) {
    let id = setup(db);
    let s = &db.store;
    s.add_qual_member(&id, None, "eva", QualRole::Owner)
        .unwrap();
    s.change_qual_project(&id, "eva", &mut |p, access| {
        assert_eq!(access.role, QualRole::Owner);
        p.codes.push(Code::new(Guid::new_v4(), "Tid"));
        Ok(())
    })
    .unwrap();
    // A refused change leaves nothing behind.
    let refused = s.change_qual_project(&id, "eva", &mut |p, _| {
        p.codes.clear();
        Err(WriteError::Rule {
            rule: "qual-unknown-code",
            text: "no".into(),
        })
    });
    assert_eq!(rule(refused.unwrap_err()), "qual-unknown-code");
    // Nor may anyone but a member change it.
    assert!(matches!(
        s.change_qual_project(&id, "erik", &mut |_, _| Ok(())),
        Err(WriteError::NotFound)
    ));
    let (_, p) = s.qual_project(&id).unwrap().unwrap();
    let codes: Vec<&str> = p.codes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(codes, ["Fika", "Tid"]);
}

fn only_the_owner_opens_the_comparison(db: &TestDb) {
    let id = setup(db);
    let s = &db.store;
    s.add_qual_member(&id, None, "eva", QualRole::Owner)
        .unwrap();
    s.add_qual_member(&id, None, "erik", QualRole::Coder)
        .unwrap();
    assert!(matches!(
        s.open_qual_comparison(&id, "erik"),
        Err(WriteError::NotFound)
    ));
    assert!(matches!(
        s.open_qual_comparison(&id, "ella"),
        Err(WriteError::NotFound)
    ));
    assert!(
        !s.qual_project_for(&id, "erik")
            .unwrap()
            .unwrap()
            .0
            .comparison_open
    );
    s.open_qual_comparison(&id, "eva").unwrap();
    s.open_qual_comparison(&id, "eva").unwrap();
    assert!(
        s.qual_project_for(&id, "erik")
            .unwrap()
            .unwrap()
            .0
            .comparison_open
    );
    assert!(s.qual_projects_of("eva").unwrap()[0].comparison_open);
}

fn uploaded_sources_keep_their_documents_all_or_none(db: &TestDb) {
    let id = setup(db);
    let s = &db.store;
    s.add_qual_member(&id, None, "eva", QualRole::Owner)
        .unwrap();
    s.add_qual_member(&id, None, "erik", QualRole::Coder)
        .unwrap();
    let with_document = |name: &str, bytes: &[u8]| {
        let mut t = TextSource::new(Guid::new_v4(), name, "Anna: hej");
        t.rich_text = Some((format!("{}.docx", t.guid), bytes.to_vec()));
        t
    };
    let a = with_document("a.docx", b"PK\x03\x04 first");
    let b = TextSource::new(Guid::new_v4(), "b.vtt", "Bo: ja");
    // A coder adds two at once; the original document goes to the files.
    s.add_qual_sources(&id, "erik", &[a.clone(), b.clone()])
        .unwrap();
    let (_, p) = s.qual_project(&id).unwrap().unwrap();
    let names: Vec<&str> = p.sources.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["i1.txt", "a.docx", "b.vtt"]);
    assert_eq!(p.sources[1], a, "the document comes back with its bytes");
    // A later change of the document keeps the files.
    s.change_qual_project(&id, "eva", &mut |p, _| {
        p.codes.push(Code::new(Guid::new_v4(), "Tid"));
        Ok(())
    })
    .unwrap();
    let c = with_document("c.docx", b"second");
    s.add_qual_sources(&id, "eva", std::slice::from_ref(&c))
        .unwrap();
    let (_, p) = s.qual_project(&id).unwrap().unwrap();
    assert_eq!(p.sources[1], a);
    assert_eq!(p.sources[3], c);
    // Refused whole: a name taken (among the new ones or already there), a non-member,
    // an open comparison. Nothing of the batch is stored.
    let before = s.qual_project(&id).unwrap().unwrap();
    let fresh = with_document("d.docx", b"third");
    let taken = TextSource::new(Guid::new_v4(), "b.vtt", "x");
    let e = s.add_qual_sources(&id, "eva", &[fresh.clone(), taken]);
    assert_eq!(rule(e.unwrap_err()), "qual-source-name-taken");
    let twice = [fresh.clone(), with_document("d.docx", b"again")];
    assert_eq!(
        rule(s.add_qual_sources(&id, "eva", &twice).unwrap_err()),
        "qual-source-name-taken"
    );
    for outsider in ["ella", "coach", "nobody"] {
        assert!(matches!(
            s.add_qual_sources(&id, outsider, std::slice::from_ref(&fresh)),
            Err(WriteError::NotFound)
        ));
    }
    s.open_qual_comparison(&id, "eva").unwrap();
    assert_eq!(
        rule(
            s.add_qual_sources(&id, "erik", std::slice::from_ref(&fresh))
                .unwrap_err()
        ),
        "qual-comparison-open"
    );
    assert_eq!(s.qual_project(&id).unwrap().unwrap(), before);
}
