//! The evaluation workspace: qualitative projects in the web pages — who sees a project,
//! coding a span by its code-point positions, coders kept apart until the owner opens the
//! comparison, the code tree's counts, excerpts and their CSV, and agreement figures and
//! consensus equal to `fika-qual`'s.

use fika_qual::agreement::Agreement;
use fika_qual::{Code, Decision, Guid, Project, TextSource, compare_coders, consensus};
use fika_store::QualRole;
use reqwest::StatusCode;

use super::helpers::*;

/// A transcript with Swedish letters and emoji, so that code points, UTF-16 units and bytes
/// all differ.
pub const TEXT: &str = "Intervjuare: Hur började det?\n\
     Deltagare: Vi sågs på ett café ☕ och pratade om jobb 😀 i åtta veckor.\n\
     Intervjuare: Och nu?\n\
     Deltagare: Nu jobbar jag i köket på Ölands bageri.";

pub const THEME: &str = "10000000-0000-4000-8000-000000000001";
pub const FIKA: &str = "10000000-0000-4000-8000-000000000002";
pub const WORK: &str = "10000000-0000-4000-8000-000000000003";
pub const SOURCE: &str = "20000000-0000-4000-8000-000000000001";

/// Code points `(start, end)` of the first `needle` in [`TEXT`].
pub fn span(needle: &str) -> (usize, usize) {
    let byte = TEXT.find(needle).unwrap();
    let start = TEXT[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// Project Q1 "Intervjuer" owned by `evaluator`, coded by `erik`; `ella` is an evaluator
/// without a role in it. A second project, Q2, is `ella`'s alone.
pub async fn setup(app: &TestApp) {
    add_evaluator(app, "erik").await;
    add_evaluator(app, "ella").await;
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || {
        let mut p = Project::new("Intervjuer");
        let mut theme = Code::new(THEME.parse().unwrap(), "Relation");
        theme.is_codable = false;
        theme
            .children
            .push(Code::new(FIKA.parse().unwrap(), "Fika ☕"));
        p.codes.push(theme);
        p.codes.push(Code::new(WORK.parse().unwrap(), "Arbete"));
        p.sources.push(TextSource::new(
            SOURCE.parse().unwrap(),
            "intervju-1.txt",
            TEXT,
        ));
        let q1 = store.create_qual_project(&p).unwrap().unwrap();
        assert_eq!(q1, "Q1");
        store
            .add_qual_member("Q1", None, "evaluator", QualRole::Owner)
            .unwrap();
        store
            .add_qual_member("Q1", Some("evaluator"), "erik", QualRole::Coder)
            .unwrap();
        let q2 = store
            .create_qual_project(&Project::new("Ellas projekt"))
            .unwrap()
            .unwrap();
        store
            .add_qual_member(&q2, None, "ella", QualRole::Owner)
            .unwrap();
    })
    .await
    .unwrap();
}

pub async fn project(app: &TestApp) -> Project {
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || store.qual_project("Q1").unwrap().unwrap().1)
        .await
        .unwrap()
}

/// Codes `needle` with `codes` through the form, as the script sends it.
pub async fn code(c: &Client, needle: &str, codes: &[&str]) -> reqwest::Response {
    let (s, e) = span(needle);
    let (s, e) = (s.to_string(), e.to_string());
    let mut form = vec![
        ("start", s.as_str()),
        ("end", e.as_str()),
        ("quote", needle),
    ];
    form.extend(codes.iter().map(|c| ("code", *c)));
    c.post(&format!("/qual/Q1/sources/{SOURCE}/codings"), &form)
        .await
}

const PAGES: &[&str] = &[
    "/qual/Q1",
    "/qual/Q1/sources/20000000-0000-4000-8000-000000000001",
    "/qual/Q1/codes/10000000-0000-4000-8000-000000000002",
    "/qual/Q1/codes/10000000-0000-4000-8000-000000000002/excerpts.csv",
    "/qual/Q1/compare",
];

#[tokio::test]
async fn only_the_projects_members_see_it() {
    for app in spawn_apps("only_the_projects_members_see_it").await {
        setup(&app).await;
        let before = project(&app).await;
        // Roles that cannot have a role in a project: the whole area is not theirs.
        for login in ["admin", "lead1", "coach1"] {
            let c = signed_in(&app, login).await;
            for p in ["/qual"].iter().chain(PAGES) {
                assert_eq!(c.get(p).await.status(), 403, "{login} {p}");
            }
            let r = code(&c, "café ☕", &[FIKA]).await;
            assert_eq!(r.status(), 403, "{login}");
        }
        // An evaluator without a role in the project: the same answer as no project at all.
        let ella = signed_in(&app, "ella").await;
        let (_, list) = ella.text("/qual").await;
        assert!(
            list.contains("Ellas projekt") && !list.contains("Intervjuer"),
            "{list}"
        );
        for p in PAGES {
            assert_eq!(ella.get(p).await.status(), 404, "ella {p}");
            let missing = p.replace("Q1", "Q9");
            assert_eq!(ella.get(&missing).await.status(), 404, "ella {missing}");
        }
        for (path, form) in [
            (
                format!("/qual/Q1/sources/{SOURCE}/codings"),
                vec![("start", "0"), ("end", "3"), ("code", FIKA)],
            ),
            ("/qual/Q1/codes".to_owned(), vec![("name", "Intrång")]),
            (
                "/qual/Q1/members".to_owned(),
                vec![("login", "ella"), ("role", "owner")],
            ),
            ("/qual/Q1/compare/open".to_owned(), vec![]),
        ] {
            assert_eq!(ella.post(&path, &form).await.status(), 404, "{path}");
        }
        assert_eq!(project(&app).await, before, "nothing changed");
        // The members see every page (the comparison is the owner's until it opens).
        let owner = signed_in(&app, "evaluator").await;
        let erik = signed_in(&app, "erik").await;
        for p in PAGES {
            assert_eq!(owner.get(p).await.status(), 200, "owner {p}");
            let coder = if p.ends_with("/compare") { 403 } else { 200 };
            assert_eq!(erik.get(p).await.status(), coder, "erik {p}");
        }
        let (_, list) = erik.text("/qual").await;
        assert!(list.contains("Intervjuer") && !list.contains("Ellas projekt"));
        // Unknown sources and codes, and IDs that are no GUID, are not there either.
        for p in [
            "/qual/Q1/sources/20000000-0000-4000-8000-000000000009",
            "/qual/Q1/sources/nope",
            "/qual/Q1/codes/10000000-0000-4000-8000-000000000009",
        ] {
            assert_eq!(erik.get(p).await.status(), 404, "{p}");
        }
    }
}

#[tokio::test]
async fn a_span_is_stored_in_code_points() {
    for app in spawn_apps("a_span_is_stored_in_code_points").await {
        setup(&app).await;
        let erik = signed_in(&app, "erik").await;
        // After "café" and before "😀": a byte, a UTF-16 and a code-point count all differ.
        let r = code(&erik, "☕ och pratade om jobb 😀 i åtta", &[FIKA, WORK]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let to = r.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            to.starts_with(&format!("/qual/Q1/sources/{SOURCE}#s-")),
            "{to}"
        );
        let p = project(&app).await;
        let sel = &p.sources[0].selections[0];
        let (s, e) = span("☕ och pratade om jobb 😀 i åtta");
        assert_eq!((sel.start, sel.end), (s, e));
        assert_eq!((s, e), (61, 91));
        assert_eq!(
            p.sources[0].slice(sel.start, sel.end),
            Some("☕ och pratade om jobb 😀 i åtta")
        );
        let codes: Vec<String> = sel.codings.iter().map(|c| c.code.to_string()).collect();
        assert_eq!(codes, [FIKA, WORK]);
        let erik_guid = &p
            .users
            .iter()
            .find(|u| u.name.as_deref() == Some("erik"))
            .unwrap()
            .guid;
        assert_eq!(sel.creating_user.as_ref(), Some(erik_guid));
        assert!(p.validate().is_ok());

        // A whole speaker turn with the keyboard: the paragraph list, with a memo.
        let (s, e) = span("Deltagare: Nu jobbar jag i köket på Ölands bageri.");
        let turn = format!("{s}:{e}");
        let r = erik
            .post(
                &format!("/qual/Q1/sources/{SOURCE}/codings"),
                &[
                    ("paragraph", &turn),
                    ("code", WORK),
                    ("memo", "Arbete i kök – ett mål nått"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let p = project(&app).await;
        let sel = &p.sources[0].selections[1];
        assert_eq!((sel.start, sel.end), (s, e));
        assert_eq!(p.notes.len(), 1);
        assert_eq!(p.notes[0].text, "Arbete i kök – ett mål nått");
        assert_eq!(sel.notes, [p.notes[0].guid.clone()]);

        // The page shows the coding highlighted, each code in its colour (two codes on
        // one span: two bands, one a level below the other), and offers the turn for
        // keyboard coding.
        let (_, page) = erik.text(&format!("/qual/Q1/sources/{SOURCE}")).await;
        assert!(
            page.contains(
                "<mark class=\"hl level-1 code-10000000000040008000000000000003\">\
                 <mark class=\"hl level-0 code-10000000000040008000000000000002\">\
                 ☕ och pratade om jobb 😀 i åtta</mark></mark>"
            ),
            "{page}"
        );
        assert!(page.contains(&format!("<option value=\"{turn}\">")));
        assert!(page.contains("Arbete i kök – ett mål nått"));
        assert!(page.contains("src=\"/assets/qual.js\""));

        // Taking back one's own coding.
        let gone = p.sources[0].selections[1].guid.clone();
        let r = erik
            .post(
                &format!("/qual/Q1/sources/{SOURCE}/selections/{gone}/delete"),
                &[],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let p = project(&app).await;
        assert_eq!(p.sources[0].selections.len(), 1);
        assert!(p.notes.is_empty(), "its memo goes with it");
    }
}

#[tokio::test]
async fn bad_spans_are_refused_and_change_nothing() {
    for app in spawn_apps("bad_spans_are_refused_and_change_nothing").await {
        setup(&app).await;
        let erik = signed_in(&app, "erik").await;
        let before = project(&app).await;
        let len = TEXT.chars().count().to_string();
        let beyond = (TEXT.chars().count() + 1).to_string();
        let path = format!("/qual/Q1/sources/{SOURCE}/codings");
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("start", "10"), ("end", "5"), ("code", FIKA)],
                "ends where it starts or before",
            ),
            (
                &[("start", "5"), ("end", "5"), ("code", FIKA)],
                "ends where it starts or before",
            ),
            (
                &[("start", "0"), ("end", &beyond), ("code", FIKA)],
                "beyond the end of the text",
            ),
            (
                &[
                    ("start", "0"),
                    ("end", "3"),
                    ("code", "10000000-0000-4000-8000-000000000009"),
                ],
                "not in this project",
            ),
            (
                &[("start", "0"), ("end", "3"), ("code", "Fika")],
                "not in this project",
            ),
            (
                &[("start", "0"), ("end", "3"), ("code", THEME)],
                "a heading in the codebook",
            ),
            (&[("start", "0"), ("end", "3")], "at least one code"),
            (
                &[("start", ""), ("end", "3"), ("code", FIKA)],
                "Select the text to code",
            ),
            (
                &[("start", "-1"), ("end", "3"), ("code", FIKA)],
                "Select the text to code",
            ),
            (
                &[
                    ("start", "0"),
                    ("end", "5"),
                    ("quote", "Inter"),
                    ("code", FIKA),
                ],
                "do not match",
            ),
        ];
        // The last one's quote is right; make it wrong by one code point.
        for (form, says) in cases {
            let mut form = form.to_vec();
            if form.iter().any(|(k, _)| *k == "quote") {
                form[2] = ("quote", "Intr");
            }
            let r = erik.post(&path, &form).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
            let body = r.text().await.unwrap();
            assert!(body.contains(says), "{form:?}: {body}");
            assert!(body.contains("Nothing was saved"), "{body}");
        }
        // The whole text is fine as a span; without the CSRF token nothing is.
        let r = erik
            .post_raw(&path, &[("start", "0"), ("end", &len), ("code", FIKA)])
            .await;
        assert_eq!(r.status(), 403);
        assert_eq!(project(&app).await, before, "nothing changed");
        let r = erik
            .post(&path, &[("start", "0"), ("end", &len), ("code", FIKA)])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // In Swedish too.
        erik.post("/language", &[("locale", "sv")]).await;
        let r = erik
            .post(&path, &[("start", "9"), ("end", "3"), ("code", FIKA)])
            .await;
        let body = r.text().await.unwrap();
        assert!(
            body.contains("Avsnittet slutar där det börjar eller före"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn coders_see_only_their_own_until_the_comparison_opens() {
    for app in spawn_apps("coders_see_only_their_own_until_the_comparison_opens").await {
        setup(&app).await;
        let owner = signed_in(&app, "evaluator").await;
        let erik = signed_in(&app, "erik").await;
        code(&owner, "ett café ☕", &[FIKA]).await;
        code(&owner, "jobbar jag i köket", &[WORK]).await;
        code(&erik, "café ☕ och pratade", &[FIKA]).await;

        // Each sees their own: on the transcript, in the code tree, among the excerpts.
        let src = format!("/qual/Q1/sources/{SOURCE}");
        let (_, mine) = erik.text(&src).await;
        assert!(mine.contains("café ☕ och pratade") && !mine.contains("<mark>ett "));
        assert!(
            !mine.contains("jobbar jag i köket</q>"),
            "the owner's coding is hidden"
        );
        let (_, theirs) = owner.text(&src).await;
        assert!(
            theirs.contains("<q>ett café ☕</q>") && !theirs.contains("<q>café ☕ och pratade</q>")
        );
        let (_, tree) = erik.text("/qual/Q1").await;
        assert!(
            tree.contains(&format!(
                "{FIKA}\">Fika ☕</a> <span class=\"count\" aria-label=\"1 coded segment\">1</span>"
            )),
            "{tree}"
        );
        assert!(
            tree.contains(&format!(
                "{WORK}\">Arbete</a> <span class=\"count\" aria-label=\"0 coded segments\">0</span>"
            )),
            "{tree}"
        );
        assert!(
            tree.contains("1 with the codes below"),
            "the theme sums its codes"
        );
        let (_, tree) = owner.text("/qual/Q1").await;
        assert!(
            tree.contains(&format!(
                "{WORK}\">Arbete</a> <span class=\"count\" aria-label=\"1 coded segment\">1</span>"
            )),
            "{tree}"
        );
        let excerpts = format!("/qual/Q1/codes/{FIKA}");
        let (_, page) = erik.text(&excerpts).await;
        assert!(page.contains("café ☕ och pratade") && !page.contains("ett café ☕</blockquote>"));
        let csv = erik.get(&format!("{excerpts}/excerpts.csv")).await;
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        let (s, e) = span("café ☕ och pratade");
        assert_eq!(
            csv.text().await.unwrap(),
            format!(
                "source,code,coder,start,end,speaker,text,memos\r\nintervju-1.txt,Fika ☕,erik,{s},{e},,café ☕ och pratade,\r\n"
            )
        );
        // With the theme's subcodes.
        let (_, page) = owner
            .text(&format!("/qual/Q1/codes/{THEME}?subcodes=1"))
            .await;
        assert!(
            page.contains("1 excerpt") && page.contains("ett café ☕"),
            "{page}"
        );

        // Only the owner opens the comparison; the coder cannot even look before.
        assert_eq!(erik.get("/qual/Q1/compare").await.status(), 403);
        assert_eq!(erik.post("/qual/Q1/compare/open", &[]).await.status(), 403);
        let (_, page) = owner.text("/qual/Q1/compare").await;
        assert!(
            page.contains("erik <span class=\"muted\">· 1 coded segment"),
            "{page}"
        );
        assert!(
            !page.contains("café ☕ och pratade"),
            "counts, not the coding"
        );
        let r = owner.post("/qual/Q1/compare/open", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // Now everyone sees everyone's, and coding is closed.
        let (_, page) = erik.text(&src).await;
        assert!(page.contains("<q>ett café ☕</q>") && page.contains("<q>café ☕ och pratade</q>"));
        let (_, tree) = erik.text("/qual/Q1").await;
        assert!(tree.contains(&format!(
            "{FIKA}\">Fika ☕</a> <span class=\"count\" aria-label=\"2 coded segments\">2</span>"
        )));
        let csv = erik
            .get(&format!("{excerpts}/excerpts.csv"))
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(csv.lines().count(), 3, "{csv}");
        assert_eq!(erik.get("/qual/Q1/compare").await.status(), 200);
        let before = project(&app).await;
        let r = code(&erik, "Hur började det?", &[WORK]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("coding is closed"));
        assert_eq!(project(&app).await, before);
    }
}

#[tokio::test]
async fn agreement_and_consensus_are_fika_quals() {
    for app in spawn_apps("agreement_and_consensus_are_fika_quals").await {
        setup(&app).await;
        let owner = signed_in(&app, "evaluator").await;
        let erik = signed_in(&app, "erik").await;
        code(&owner, "ett café ☕", &[FIKA]).await;
        code(&owner, "jobbar jag i köket", &[WORK]).await;
        code(&erik, "café ☕ och pratade", &[FIKA]).await;
        code(&erik, "jobbar jag i köket", &[WORK]).await;
        owner.post("/qual/Q1/compare/open", &[]).await;

        let p = project(&app).await;
        let coders: Vec<Guid> = ["evaluator", "erik"]
            .iter()
            .map(|n| {
                p.users
                    .iter()
                    .find(|u| u.name.as_deref() == Some(*n))
                    .unwrap()
                    .guid
                    .clone()
            })
            .collect();
        let comparison = compare_coders(&p, &coders).unwrap();
        let expected = Agreement::from_comparison(&p, &comparison);
        let (status, page) = owner.text("/qual/Q1/compare").await;
        assert_eq!(status, 200);
        let row = |name: &str, f: &fika_qual::agreement::Figures| {
            format!(
                "<th scope=\"row\">{name}</th><td>{:.1} %</td><td>{:.3}</td><td>{:.3}</td>",
                f.percent_agreement * 100.0,
                f.kappa.unwrap(),
                f.alpha.unwrap()
            )
        };
        for c in &expected.codes {
            let r = row(c.name.as_deref().unwrap(), &c.figures);
            assert!(page.contains(&r), "{r} in {page}");
        }
        assert!(page.contains(&row("Overall", &expected.overall)), "{page}");
        // Work: the same span by both, so full agreement.
        assert!(
            page.contains(
                "<th scope=\"row\">Arbete</th><td>100.0 %</td><td>1.000</td><td>1.000</td>"
            )
        );
        // Fika: "ett " only by the owner, " och pratade" only by erik.
        assert_eq!(comparison.disagreements.len(), 2);
        assert!(page.contains("2 disagreements"));
        assert!(
            page.contains("<q>ett </q>") && page.contains("<q> och pratade</q>"),
            "{page}"
        );
        assert!(page.contains("applied by evaluator") && page.contains("not by erik"));

        // Every disagreement must be decided.
        let r = owner
            .post("/qual/Q1/compare/consensus", &[("n", "2"), ("d0", "keep")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("Decide every disagreement")
        );
        // Decisions about another set of disagreements are refused.
        let r = owner
            .post("/qual/Q1/compare/consensus", &[("n", "1"), ("d0", "keep")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // A coder cannot decide.
        let r = erik
            .post(
                "/qual/Q1/compare/consensus",
                &[("n", "2"), ("d0", "keep"), ("d1", "drop")],
            )
            .await;
        assert_eq!(r.status(), 403);
        assert_eq!(project(&app).await, p);

        // Keep the first, drop the second: the consensus is fika-qual's, stored once even
        // when decided twice.
        for _ in 0..2 {
            let r = owner
                .post(
                    "/qual/Q1/compare/consensus",
                    &[("n", "2"), ("d0", "keep"), ("d1", "drop")],
                )
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        let after = project(&app).await;
        let consensus_user = after
            .users
            .iter()
            .find(|u| u.id.as_deref() == Some("fika:consensus"))
            .unwrap();
        assert_eq!(consensus_user.name.as_deref(), Some("consensus"));
        let stored: Vec<(usize, usize, Guid)> = after.sources[0]
            .selections
            .iter()
            .filter(|s| s.creating_user.as_ref() == Some(&consensus_user.guid))
            .map(|s| (s.start, s.end, s.codings[0].code.clone()))
            .collect();
        let built: Vec<(usize, usize, Guid)> = consensus(
            &comparison,
            &[Decision::Keep, Decision::Drop],
            &consensus_user.guid,
        )
        .unwrap()
        .into_iter()
        .map(|(_, s)| (s.start, s.end, s.codings[0].code.clone()))
        .collect();
        assert_eq!(stored, built);
        let (s, _) = span("ett café ☕");
        let (_, e) = span("café ☕");
        assert!(
            stored.contains(&(s, e, FIKA.parse().unwrap())),
            "{stored:?}"
        );
        assert!(after.validate().is_ok());
        // The figures stay those of the two coders.
        let (_, page) = owner.text("/qual/Q1/compare").await;
        assert!(page.contains(&row("Overall", &expected.overall)));
        assert!(
            page.contains("A consensus coding is stored: 2 coded segments."),
            "{page}"
        );
    }
}

#[tokio::test]
async fn the_owner_keeps_codebook_and_members() {
    let app = spawn_app().await;
    setup(&app).await;
    let owner = signed_in(&app, "evaluator").await;
    let erik = signed_in(&app, "erik").await;
    let r = owner
        .post(
            "/qual/Q1/codes",
            &[("name", "Stöd på jobbet"), ("parent", THEME)],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = owner
        .post(
            "/qual/Q1/codes",
            &[("name", "Stöd på jobbet"), ("parent", THEME)],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a sibling of the same name"
    );
    let p = project(&app).await;
    assert_eq!(p.codes[0].children[1].name, "Stöd på jobbet");
    assert_eq!(
        erik.post("/qual/Q1/codes", &[("name", "Mitt")])
            .await
            .status(),
        403
    );
    assert_eq!(
        erik.post("/qual/Q1/members", &[("login", "ella")])
            .await
            .status(),
        403
    );
    // Only evaluators can be members.
    let r = owner
        .post(
            "/qual/Q1/members",
            &[("login", "coach1"), ("role", "coder")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Only evaluators"));
    let r = owner
        .post("/qual/Q1/members", &[("login", "ella"), ("role", "coder")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let ella = signed_in(&app, "ella").await;
    assert_eq!(ella.get("/qual/Q1").await.status(), 200);
    let (_, page) = owner.text("/qual/Q1").await;
    assert!(
        page.contains("ella <span class=\"muted\">· Coder"),
        "{page}"
    );
}

/// Words that would betray an untranslated English text on a Swedish page.
const ENGLISH: &[&str] = &[
    "Transcript",
    "Code",
    "Members",
    "coded",
    "Agreement",
    "Overall",
    "Select",
    "Download",
    "excerpt",
    "Coder",
    "Owner",
    "Remove",
    "comparison",
];

#[tokio::test]
async fn the_pages_speak_swedish() {
    let app = spawn_app().await;
    setup(&app).await;
    let mut owner = signed_in(&app, "evaluator").await;
    code(&owner, "ett café ☕", &[FIKA]).await;
    owner.post("/language", &[("locale", "sv")]).await;
    owner.refresh_csrf().await;
    let src = format!("/qual/Q1/sources/{SOURCE}");
    let excerpts = format!("/qual/Q1/codes/{FIKA}");
    for p in [
        "/qual",
        "/qual/Q1",
        src.as_str(),
        excerpts.as_str(),
        "/qual/Q1/compare",
    ] {
        let (status, page) = owner.text(p).await;
        assert_eq!(status, 200, "{p}");
        let text = page.replace("English", "");
        let visible: String = text
            .split('<')
            .filter_map(|s| s.split_once('>').map(|(_, t)| t))
            .collect();
        for w in ENGLISH {
            assert!(!visible.contains(w), "{p}: {w:?} in {visible}");
        }
    }
    owner.post("/qual/Q1/compare/open", &[]).await;
    let (_, page) = owner.text("/qual/Q1/compare").await;
    assert!(
        page.contains("Samstämmighet kräver minst två kodare"),
        "{page}"
    );
}
