//! The evaluation workspace's codebook: codes in their colour (`codes.css`, the highlights,
//! the legend), memos on codes, transcripts and coded segments, and themes built from codes
//! (rename, move, merge) — who may do what, nothing written when refused, both languages.

use fika_qual::Guid;
use fika_qual::colour;
use reqwest::StatusCode;

use super::helpers::*;
use super::qual::{FIKA, SOURCE, THEME, WORK, code, project, setup};

fn class(guid: &str) -> String {
    colour::class(&guid.parse::<Guid>().unwrap())
}

#[tokio::test]
async fn codes_css_carries_each_codes_colour_and_an_etag() {
    let app = spawn_app().await;
    setup(&app).await;
    let owner = signed_in(&app, "evaluator").await;
    let r = owner.get("/qual/Q1/codes.css").await;
    assert_eq!(r.status(), 200);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "text/css; charset=utf-8");
    assert_eq!(h["cache-control"], "private, no-cache");
    let etag = h["etag"].to_str().unwrap().to_owned();
    let css = r.text().await.unwrap();
    // Codes without a colour get their palette colour; every code has its class.
    for g in [THEME, FIKA, WORK] {
        let c = colour::palette_color(&g.parse().unwrap());
        assert!(
            css.contains(&format!(".{}{{--color:{c};", class(g))),
            "{css}"
        );
    }
    // The same stylesheet again: 304 without a body.
    let again = owner
        .http
        .get(format!("{}/qual/Q1/codes.css", owner.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.text().await.unwrap().is_empty());
    // The owner gives Fika its own colour: a new stylesheet, a new ETag.
    let r = owner
        .post(
            &format!("/qual/Q1/codes/{FIKA}/edit"),
            &[("name", "Fika ☕"), ("parent", THEME), ("color", "#FFFF00")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        project(&app)
            .await
            .code(&FIKA.parse().unwrap())
            .unwrap()
            .color
            .as_deref(),
        Some("#ffff00")
    );
    let r = owner
        .http
        .get(format!("{}/qual/Q1/codes.css", owner.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_ne!(r.headers()["etag"].to_str().unwrap(), etag);
    let css = r.text().await.unwrap();
    let yellow = colour::shades("#ffff00");
    assert!(
        css.contains(&format!(
            ".{}{{--color:#ffff00;--band:{};--tint:{}}}",
            class(FIKA),
            yellow.band,
            yellow.tint
        )),
        "{css}"
    );
    // Pages keep their policy: no inline style, no cache.
    let page = owner.get("/qual/Q1").await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(!html.contains("style="), "no inline style");
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/qual/Q1/codes.css\">"));
    // Outside the project: 404, as for every page of it.
    let ella = signed_in(&app, "ella").await;
    assert_eq!(ella.get("/qual/Q1/codes.css").await.status(), 404);
    assert_eq!(
        signed_in(&app, "coach1")
            .await
            .get("/qual/Q1/codes.css")
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_transcript_shows_each_code_in_its_colour_with_a_legend() {
    let app = spawn_app().await;
    setup(&app).await;
    let erik = signed_in(&app, "erik").await;
    // Two overlapping spans with different codes.
    assert_eq!(code(&erik, "ett café ☕ och", &[FIKA]).await.status(), 303);
    assert_eq!(
        code(&erik, "☕ och pratade om jobb", &[WORK])
            .await
            .status(),
        303
    );
    let (_, page) = erik.text(&format!("/qual/Q1/sources/{SOURCE}")).await;
    let (fika, work) = (class(FIKA), class(WORK));
    assert!(
        page.contains(&format!(
            "<mark class=\"hl level-0 {fika}\">ett café </mark>"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "<mark class=\"hl level-1 {work}\"><mark class=\"hl level-0 {fika}\">☕ och</mark></mark>"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "<mark class=\"hl level-1 {work}\"> pratade om jobb</mark>"
        )),
        "{page}"
    );
    // The legend names the codes of the highlights, in the codebook's order.
    let legend = page
        .split("class=\"legend\"")
        .nth(1)
        .unwrap()
        .split("</ul>")
        .next()
        .unwrap();
    let f = legend.find("Fika ☕").unwrap();
    let w = legend.find("Arbete").unwrap();
    assert!(
        f < w && legend.contains(&fika) && legend.contains(&work),
        "{legend}"
    );
    // Nobody else's coding is highlighted for a coder until the comparison opens.
    let owner = signed_in(&app, "evaluator").await;
    let (_, page) = owner.text(&format!("/qual/Q1/sources/{SOURCE}")).await;
    assert!(!page.contains("<mark"), "{page}");
    assert!(!page.contains("class=\"legend\""));
}

#[tokio::test]
async fn memos_are_read_by_members_and_written_where_they_may() {
    for app in spawn_apps("memos_are_read_by_members_and_written_where_they_may").await {
        setup(&app).await;
        let owner = signed_in(&app, "evaluator").await;
        let erik = signed_in(&app, "erik").await;
        let ella = signed_in(&app, "ella").await;
        code(&erik, "ett café ☕", &[FIKA]).await;
        let p = project(&app).await;
        let segment = p.sources[0].selections[0].guid.to_string();
        let code_memos = format!("/qual/Q1/codes/{FIKA}/memos");
        let source_memos = format!("/qual/Q1/sources/{SOURCE}/memos");
        let segment_memos = format!("/qual/Q1/sources/{SOURCE}/selections/{segment}/memos");

        // Outside the project, a segment one does not see, empty and long memos: refused,
        // nothing written.
        let before = project(&app).await;
        for path in [&code_memos, &source_memos, &segment_memos] {
            assert_eq!(
                ella.post(path, &[("memo", "x")]).await.status(),
                404,
                "{path}"
            );
        }
        assert_eq!(
            owner
                .post(&segment_memos, &[("memo", "Erik's segment")])
                .await
                .status(),
            404,
            "the owner does not see Erik's segment before the comparison"
        );
        let long = "å".repeat(10_001);
        for (memo, says) in [("  ", "Write the memo"), (long.as_str(), "at most 10,000")] {
            let r = erik.post(&code_memos, &[("memo", memo)]).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.text().await.unwrap().contains(says));
        }
        let unknown = format!(
            "/qual/Q1/codes/{}/memos",
            "10000000-0000-4000-8000-000000000009"
        );
        assert_eq!(erik.post(&unknown, &[("memo", "x")]).await.status(), 404);
        assert_eq!(project(&app).await, before, "nothing written");

        // Members write on codes and transcripts, the coder on their segment.
        for (c, path, text) in [
            (&owner, &code_memos, "Fika: möten utanför kontoret"),
            (&erik, &source_memos, "Lugn intervju, mycket skratt"),
            (&erik, &segment_memos, "Caféet som mötesplats"),
        ] {
            assert_eq!(
                c.post(path, &[("memo", text)]).await.status(),
                303,
                "{path}"
            );
        }
        let p = project(&app).await;
        let text_of = |refs: &[Guid]| -> Vec<String> {
            fika_qual::codebook::memos(&p, refs)
                .iter()
                .map(|n| n.text.clone())
                .collect()
        };
        assert_eq!(
            text_of(&p.code(&FIKA.parse().unwrap()).unwrap().notes),
            ["Fika: möten utanför kontoret"]
        );
        assert_eq!(
            text_of(&p.sources[0].notes),
            ["Lugn intervju, mycket skratt"]
        );
        assert_eq!(
            text_of(&p.sources[0].selections[0].notes),
            ["Caféet som mötesplats"]
        );
        assert!(p.validate().is_ok());

        // Every member reads the memos on codes and transcripts; the segment's only its coder.
        let (_, code_page) = erik.text(&format!("/qual/Q1/codes/{FIKA}")).await;
        assert!(
            code_page.contains("Fika: möten utanför kontoret") && code_page.contains("evaluator")
        );
        let (_, src) = owner.text(&format!("/qual/Q1/sources/{SOURCE}")).await;
        assert!(src.contains("Lugn intervju, mycket skratt"));
        assert!(!src.contains("Caféet som mötesplats"));
        let (_, src) = erik.text(&format!("/qual/Q1/sources/{SOURCE}")).await;
        assert!(src.contains("Caféet som mötesplats"));

        // Only the writer removes a memo.
        let memo = p.sources[0].notes[0].to_string();
        let delete = format!("/qual/Q1/memos/{memo}/delete");
        assert_eq!(owner.post(&delete, &[]).await.status(), 404);
        assert_eq!(ella.post(&delete, &[]).await.status(), 404);
        assert_eq!(project(&app).await, p, "nothing removed");
        let back = format!("/qual/Q1/sources/{SOURCE}#memos");
        let r = erik.post(&delete, &[("back", &back)]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], back.as_str());
        let p = project(&app).await;
        assert!(p.sources[0].notes.is_empty() && p.notes.len() == 2);
        // A page to come back to outside the project is not followed.
        let memo = p.notes[1].guid.to_string();
        let r = erik
            .post(
                &format!("/qual/Q1/memos/{memo}/delete"),
                &[("back", "//evil.example/qual/Q1/x")],
            )
            .await;
        assert_eq!(r.headers()["location"], "/qual/Q1");
    }
}

#[tokio::test]
async fn the_owner_builds_themes_and_coders_cannot() {
    for app in spawn_apps("the_owner_builds_themes_and_coders_cannot").await {
        setup(&app).await;
        let owner = signed_in(&app, "evaluator").await;
        let erik = signed_in(&app, "erik").await;
        let ella = signed_in(&app, "ella").await;
        code(&erik, "ett café ☕", &[FIKA]).await;
        code(&erik, "ett café ☕", &[WORK]).await;
        code(&erik, "jobb 😀", &[WORK]).await;
        let edit = format!("/qual/Q1/codes/{WORK}/edit");
        let merge = format!("/qual/Q1/codes/{WORK}/merge");
        let before = project(&app).await;

        // Coders: 403; outside the project: 404; nothing written.
        let move_under_theme = [("name", "Arbete"), ("parent", THEME), ("color", "")];
        assert_eq!(erik.post(&edit, &move_under_theme).await.status(), 403);
        assert_eq!(erik.post(&merge, &[("into", FIKA)]).await.status(), 403);
        assert_eq!(ella.post(&edit, &move_under_theme).await.status(), 404);
        assert_eq!(ella.post(&merge, &[("into", FIKA)]).await.status(), 404);
        // Refused by the rules, with the message saying what to do.
        let theme_edit = format!("/qual/Q1/codes/{THEME}/edit");
        for (path, form, says) in [
            (
                &theme_edit,
                vec![("name", "Relation"), ("parent", FIKA)],
                "cannot go under itself",
            ),
            (
                &edit,
                vec![("name", "Relation"), ("parent", "")],
                "or merge the two codes",
            ),
            (
                &edit,
                vec![("name", " "), ("parent", "")],
                "Give the code a name",
            ),
            (
                &edit,
                vec![("name", "Arbete"), ("color", "grön")],
                "a colour such as",
            ),
            (&merge, vec![("into", WORK)], "cannot be merged into itself"),
            (&merge, vec![("into", THEME)], "is a heading"),
            (&merge, vec![("into", "nope")], "not in this project"),
        ] {
            let r = owner.post(path, &form).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
            let body = r.text().await.unwrap();
            assert!(body.contains(says), "{form:?}: {says}");
        }
        let r = owner
            .post(
                &edit,
                &[("name", "Arbetet"), ("parent", THEME), ("color", "grön")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            project(&app).await,
            before,
            "a refused change writes nothing, not even its valid part"
        );

        // Move a code under a theme and rename it: the coded segments follow.
        let r = owner
            .post(
                &edit,
                &[
                    ("name", "Arbete och jobb"),
                    ("parent", THEME),
                    ("color", "#2ca02c"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let p = project(&app).await;
        let theme = p.code(&THEME.parse().unwrap()).unwrap();
        let names: Vec<&str> = theme.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Fika ☕", "Arbete och jobb"]);
        assert_eq!(p.codes.len(), 1);
        let (_, tree) = owner.text("/qual/Q1").await;
        let nested = tree
            .split("aria-label=\"Under Relation\">")
            .nth(1)
            .unwrap()
            .split("</ul>")
            .next()
            .unwrap();
        assert!(
            nested.contains("Fika ☕") && nested.contains("Arbete och jobb"),
            "{tree}"
        );

        // Merge Arbete into Fika: Erik's same span with both becomes one coding.
        let r = owner.post(&merge, &[("into", FIKA)]).await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            r.headers()["location"],
            format!("/qual/Q1/codes/{FIKA}").as_str()
        );
        let p = project(&app).await;
        assert!(p.code(&WORK.parse().unwrap()).is_none());
        let coded: Vec<(usize, usize, String)> = p.sources[0]
            .selections
            .iter()
            .flat_map(|s| {
                s.codings
                    .iter()
                    .map(|c| (s.start, s.end, c.code.to_string()))
            })
            .collect();
        let (a, b) = super::qual::span("ett café ☕");
        let (c, d) = super::qual::span("jobb 😀");
        assert_eq!(coded, [(a, b, FIKA.to_owned()), (c, d, FIKA.to_owned())]);
        assert!(p.validate().is_ok());
        let (_, page) = erik.text(&format!("/qual/Q1/codes/{FIKA}")).await;
        assert!(page.contains("2 excerpts"), "{page}");
        assert!(
            !page.contains("Change the code"),
            "the coder has no restructuring forms"
        );

        // A new theme that is only a heading, and a code moved under it.
        let r = owner
            .post("/qual/Q1/codes", &[("name", "Arbetsliv"), ("heading", "1")])
            .await;
        assert_eq!(r.status(), 303);
        let p = project(&app).await;
        let heading = p.codes.iter().find(|c| c.name == "Arbetsliv").unwrap();
        assert!(!heading.is_codable);
        let r = owner
            .post(
                &format!("/qual/Q1/codes/{FIKA}/edit"),
                &[("name", "Fika ☕"), ("parent", heading.guid.as_str())],
            )
            .await;
        assert_eq!(r.status(), 303);
        let p = project(&app).await;
        let heading = p.codes.iter().find(|c| c.name == "Arbetsliv").unwrap();
        assert_eq!(heading.children[0].guid.to_string(), FIKA);
        assert!(p.code(&THEME.parse().unwrap()).unwrap().children.is_empty());
        assert_eq!(p.sources[0].selections.len(), 2, "the coded segments stay");
        // A form without `parent` leaves the code where it is; an empty one moves it to
        // the top.
        let fika_edit = format!("/qual/Q1/codes/{FIKA}/edit");
        owner.post(&fika_edit, &[("name", "Fika")]).await;
        let p = project(&app).await;
        let heading = p.codes.iter().find(|c| c.name == "Arbetsliv").unwrap();
        assert_eq!(heading.children[0].name, "Fika");
        owner
            .post(&fika_edit, &[("name", "Fika"), ("parent", "")])
            .await;
        let p = project(&app).await;
        assert!(p.codes.iter().any(|c| c.name == "Fika"));
    }
}

#[tokio::test]
async fn the_codebook_pages_speak_swedish() {
    let app = spawn_app().await;
    setup(&app).await;
    let mut owner = signed_in(&app, "evaluator").await;
    owner.post("/language", &[("locale", "sv")]).await;
    owner.refresh_csrf().await;
    let (_, page) = owner.text(&format!("/qual/Q1/codes/{FIKA}")).await;
    for w in [
        "Memon om den här koden",
        "Ändra koden",
        "Färg",
        "Slå ihop med en annan kod",
    ] {
        assert!(page.contains(w), "{w}");
    }
    let (_, page) = owner.text("/qual/Q1").await;
    assert!(
        page.contains("Kodboken som ett träd") && page.contains("aria-label=\"Under Relation\"")
    );
    let r = owner
        .post(
            &format!("/qual/Q1/codes/{THEME}/edit"),
            &[("name", "Relation"), ("parent", FIKA)],
        )
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("En kod kan inte läggas under sig själv")
    );
    let r = owner
        .post(&format!("/qual/Q1/codes/{FIKA}/memos"), &[("memo", " ")])
        .await;
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Skriv memot innan du sparar det")
    );
}
