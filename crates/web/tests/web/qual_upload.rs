//! Transcripts uploaded in the web (txt, Markdown, WebVTT, SRT, Word), all or none, with a
//! message per file in the user's language; and the readable document of excerpts by theme
//! → subtheme → code, as a page to print and as a `.docx`. Only the project's members reach
//! either; refused requests write nothing.

use std::io::{Cursor, Read, Write};

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use super::helpers::*;
use super::qual::{FIKA, THEME, code, project, setup};

/// A `.docx` as a transcription service writes one: bold speaker names, then the words.
pub fn transcript_docx() -> Vec<u8> {
    let para = |speaker: &str, words: &str| {
        format!(
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{speaker}:</w:t></w:r><w:r><w:t xml:space=\"preserve\"> {words}</w:t></w:r></w:p>"
        )
    };
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{}{}{}</w:body></w:document>",
        para("Intervjuare", "Hur har veckan varit?"),
        para("Åsa", "Bra, jag började på bageriet i måndags 😀."),
        "<w:p><w:r><w:t>Det var en lång dag.</w:t></w:r></w:p>",
    );
    zip_of(&[
        (
            "[Content_Types].xml",
            b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
        ),
        ("word/document.xml", document.as_bytes()),
    ])
}

pub const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Kim>Hej, välkommen.</v>\n\n00:00:03.500 --> 00:00:06.000\n<v Bo>Tack! Jag tog med fika.</v>\n";

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Uploads `files` (name, bytes) to project `project`, with the client's CSRF token.
pub async fn upload_to(c: &Client, project: &str, files: &[(&str, Vec<u8>)]) -> reqwest::Response {
    let mut form = Form::new().text("csrf", c.csrf.clone());
    for (name, bytes) in files {
        form = form.part(
            "files",
            Part::bytes(bytes.clone()).file_name((*name).to_owned()),
        );
    }
    c.http
        .post(format!("{}/qual/{project}/upload", c.base))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn upload(c: &Client, files: &[(&str, Vec<u8>)]) -> reqwest::Response {
    upload_to(c, "Q1", files).await
}

#[tokio::test]
async fn a_member_uploads_transcripts_of_every_format_with_their_speakers() {
    for app in spawn_apps("a_member_uploads_transcripts_of_every_format").await {
        setup(&app).await;
        let erik = signed_in(&app, "erik").await;
        let (status, form) = erik.text("/qual/Q1/upload").await;
        assert_eq!(status, 200);
        assert!(form.contains("enctype=\"multipart/form-data\""), "{form}");
        assert!(form.contains("4 MB per file"), "{form}");
        let docx = transcript_docx();
        let r = upload(
            &erik,
            &[
                ("a.txt", "Intervjuare: Hej!\r\nDeltagare: Hej 😀\n".into()),
                ("b.md", "# Intervju\n\n**Coach:** fika?\n".into()),
                ("c.vtt", VTT.into()),
                (
                    "d.srt",
                    "1\n00:00:01,000 --> 00:00:02,000\nAnna: Hej\n".into(),
                ),
                ("e.docx", docx.clone()),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/qual/Q1#h-sources");
        let p = project(&app).await;
        let names: Vec<&str> = p.sources.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "intervju-1.txt",
                "a.txt",
                "b.md",
                "c.vtt",
                "d.srt",
                "e.docx"
            ]
        );
        assert_eq!(
            p.sources[1].text,
            "Intervjuare: Hej!\r\nDeltagare: Hej 😀\n"
        );
        assert_eq!(
            p.sources[3].text,
            "Kim: Hej, välkommen.\nBo: Tack! Jag tog med fika."
        );
        assert_eq!(p.sources[4].turns[0].speaker.as_deref(), Some("Anna"));
        let e = &p.sources[5];
        assert_eq!(
            e.text,
            "Intervjuare: Hur har veckan varit?\nÅsa: Bra, jag började på bageriet i måndags 😀.\nDet var en lång dag."
        );
        let speakers: Vec<&str> = e
            .turns
            .iter()
            .filter_map(|t| t.speaker.as_deref())
            .collect();
        assert_eq!(speakers, ["Intervjuare", "Åsa"]);
        assert_eq!(
            e.turns[1].text_end,
            e.len_chars(),
            "the last paragraph is Åsa's"
        );
        // The Word file is kept as the source's original document, bytes and all.
        assert_eq!(e.rich_text.as_ref().unwrap().1, docx);
        assert!(p.sources[1..].iter().all(|s| s.created.is_some()));
        assert!(p.validate().is_ok());
        // Every member sees them, speakers shown, and can code them.
        let owner = signed_in(&app, "evaluator").await;
        let (_, page) = owner.text("/qual/Q1").await;
        assert!(page.contains("e.docx") && page.contains("c.vtt"), "{page}");
        let (status, page) = owner.text(&format!("/qual/Q1/sources/{}", e.guid)).await;
        assert_eq!(status, 200);
        assert!(page.contains("<b>Åsa: </b>"), "{page}");
        // Uploading the same names again is refused, naming each file.
        let r = upload(&erik, &[("c.vtt", VTT.into())]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("already has a transcript named"), "{page}");
        assert!(page.contains("c.vtt"), "{page}");
        assert_eq!(project(&app).await.sources.len(), 6);
    }
}

#[tokio::test]
async fn one_bad_file_refuses_the_upload_with_a_message_per_file_in_both_languages() {
    for app in spawn_apps("one_bad_file_refuses_the_upload").await {
        setup(&app).await;
        let before = project(&app).await;
        let mut erik = signed_in(&app, "erik").await;
        let files = || {
            vec![
                ("good.vtt", VTT.as_bytes().to_vec()),
                ("fake.docx", b"this is no zip".to_vec()),
                ("scan.pdf", b"%PDF-1.4".to_vec()),
                ("big.txt", vec![b'a'; (4 << 20) + 1]),
                ("intervju-1.txt", b"taken".to_vec()),
                ("latin1.txt", b"K\xf6ket".to_vec()),
                ("empty.srt", b"\n\n".to_vec()),
                ("broken.vtt", b"WEBVTT\n\nsoon\nhej\n".to_vec()),
                ("good.vtt", VTT.as_bytes().to_vec()),
            ]
        };
        let r = upload(&erik, &files()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        for said in [
            "Nothing was added",
            "fake.docx",
            "is not a Word document",
            "scan.pdf",
            ".txt, .md, .vtt, .srt or .docx",
            "big.txt",
            "larger than 4 MB",
            "already has a transcript named",
            "latin1.txt",
            "not UTF-8",
            "empty.srt",
            "holds no text",
            "broken.vtt",
            "line 3",
            "is chosen twice",
        ] {
            assert!(page.contains(said), "{said}: {page}");
        }
        assert!(!page.contains("good.vtt:"), "the good file has no message");
        assert_eq!(project(&app).await, before, "nothing stored");
        // The same in Swedish.
        erik.post("/language", &[("locale", "sv")]).await;
        erik.refresh_csrf().await;
        let r = upload(&erik, &files()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        for said in [
            "Ingenting lades till",
            "är inget Word-dokument",
            "större än 4 MB",
            "har redan en utskrift som heter",
            "inte UTF-8-text",
            "innehåller ingen text",
            "rad 3",
            "är vald två gånger",
        ] {
            assert!(page.contains(said), "{said}: {page}");
        }
        // No file at all.
        let r = upload(&erik, &[]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("Välj minst en fil"));
        assert_eq!(project(&app).await, before, "nothing stored");
    }
}

#[tokio::test]
async fn a_request_over_the_limit_and_a_hostile_docx_store_nothing() {
    for app in spawn_apps("a_request_over_the_limit_and_a_hostile_docx").await {
        setup(&app).await;
        let before = project(&app).await;
        let erik = signed_in(&app, "erik").await;
        // Five files of 3.5 MB each: each under the file limit, together over 16 MB.
        let part = vec![b'a'; 3_500_000];
        let files: Vec<(String, Vec<u8>)> =
            (0..5).map(|i| (format!("{i}.txt"), part.clone())).collect();
        let refs: Vec<(&str, Vec<u8>)> =
            files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let r = upload(&erik, &refs).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("too large"));
        // A zip bomb: 40 MB of spaces compressed into a small .docx.
        let bomb = zip_of(&[("word/document.xml", " ".repeat(40 << 20).as_bytes())]);
        assert!(bomb.len() < 1 << 20);
        // A million nested elements.
        let deep = format!(
            "<w:document xmlns:w=\"x\">{}{}</w:document>",
            "<w:sdt>".repeat(1_000_000),
            "</w:sdt>".repeat(1_000_000)
        );
        let deep = zip_of(&[("word/document.xml", deep.as_bytes())]);
        let r = upload(
            &erik,
            &[
                ("bomb.docx", bomb),
                ("deep.docx", deep),
                ("ok.vtt", VTT.into()),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("bomb.docx") && page.contains("more than 32 MB"),
            "{page}"
        );
        assert!(
            page.contains("deep.docx") && page.contains("is damaged"),
            "{page}"
        );
        assert_eq!(project(&app).await, before, "nothing stored");
    }
}

#[tokio::test]
async fn only_members_upload_and_read_the_document_and_refused_requests_write_nothing() {
    for app in spawn_apps("only_members_upload_and_read_the_document").await {
        setup(&app).await;
        let before = project(&app).await;
        let pages = [
            "/qual/Q1/upload".to_owned(),
            "/qual/Q1/document".to_owned(),
            "/qual/Q1/document.docx".to_owned(),
            format!("/qual/Q1/document?code={FIKA}"),
            format!("/qual/Q1/document.docx?code={FIKA}"),
        ];
        for login in ["admin", "lead1", "coach1"] {
            let c = signed_in(&app, login).await;
            for p in &pages {
                assert_eq!(c.get(p).await.status(), 403, "{login} {p}");
            }
            let r = upload(&c, &[("x.vtt", VTT.into())]).await;
            assert_eq!(r.status(), 403, "{login}");
        }
        // An evaluator outside the project: the same answer as no project at all.
        let ella = signed_in(&app, "ella").await;
        for p in &pages {
            assert_eq!(ella.get(p).await.status(), 404, "ella {p}");
            assert_eq!(ella.get(&p.replace("Q1", "Q9")).await.status(), 404);
        }
        let r = upload(&ella, &[("x.vtt", VTT.into())]).await;
        assert_eq!(r.status(), 404);
        let r = upload_to(&ella, "Q9", &[("x.vtt", VTT.into())]).await;
        assert_eq!(r.status(), 404);
        // Without the CSRF token, a member is refused too.
        let erik = signed_in(&app, "erik").await;
        let form = Form::new().part(
            "files",
            Part::bytes(VTT.as_bytes().to_vec()).file_name("x.vtt"),
        );
        let r = erik
            .http
            .post(format!("{}/qual/Q1/upload", erik.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // An unknown code, or one that is no GUID, is not there.
        for p in [
            "/qual/Q1/document?code=10000000-0000-4000-8000-000000000009",
            "/qual/Q1/document.docx?code=nope",
        ] {
            assert_eq!(erik.get(p).await.status(), 404, "{p}");
        }
        assert_eq!(project(&app).await, before, "nothing changed");
        // Once the comparison is open, transcripts are no longer added.
        let owner = signed_in(&app, "evaluator").await;
        owner.post("/qual/Q1/compare/open", &[]).await;
        let (_, form) = erik.text("/qual/Q1/upload").await;
        assert!(form.contains("comparison is open") && !form.contains("type=\"file\""));
        let r = upload(&erik, &[("x.vtt", VTT.into())]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(project(&app).await, before, "nothing changed");
    }
}

/// The text of every `<w:t>` of a `.docx`'s document, one paragraph a line.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/styles.xml"
        ]
    );
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let paragraphs = fika_qual::docx::read_paragraphs(bytes).unwrap();
    assert!(xml.contains("<w:pStyle w:val=\"Heading1\"/>"), "{xml}");
    paragraphs
        .into_iter()
        .map(|p| p.text)
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn the_excerpts_document_as_a_page_and_a_docx_in_both_languages() {
    for app in spawn_apps("the_excerpts_document_as_a_page_and_a_docx").await {
        setup(&app).await;
        let mut erik = signed_in(&app, "erik").await;
        // A transcript with speakers, coded with the code under the theme.
        let r = upload(&erik, &[("samtal.vtt", VTT.into())]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let vtt = project(&app).await.sources[1].guid.to_string();
        let r = erik
            .post(
                &format!("/qual/Q1/sources/{vtt}/codings"),
                &[
                    ("start", "21"),
                    ("end", "47"),
                    ("quote", "Bo: Tack! Jag tog med fika"),
                    ("code", FIKA),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(code(&erik, "café ☕", &[FIKA]).await.status(), 303);

        let (status, page) = erik.text("/qual/Q1/document").await;
        assert_eq!(status, 200);
        assert!(page.contains("/assets/document.css"), "the print style");
        assert!(!page.contains("<script src=\"/assets/qual.js\""));
        let theme = page.find("<h2>Relation</h2>").expect("the theme");
        let code_at = page.find("<h3>Fika ☕</h3>").expect("the code under it");
        let quote = page
            .find("<blockquote>Bo: Tack! Jag tog med fika</blockquote>")
            .expect("the excerpt");
        assert!(theme < code_at && code_at < quote, "{page}");
        assert!(page.contains("Source: samtal.vtt · Speaker: Bo"), "{page}");
        assert!(page.contains("<blockquote>café ☕</blockquote>"));
        assert!(
            page.contains("Source: intervju-1.txt<"),
            "no speaker: {page}"
        );
        assert!(!page.contains("Coded by"), "one's own coding only");
        assert!(
            !page.contains("Arbete"),
            "a code without excerpts is left out"
        );
        assert!(page.contains("/qual/Q1/document.docx"));
        // Another member sees none of it before the comparison opens.
        let owner = signed_in(&app, "evaluator").await;
        let (_, other) = owner.text("/qual/Q1/document").await;
        assert!(!other.contains("Tack!") && other.contains("No excerpts yet."));

        let r = erik.get("/qual/Q1/document.docx").await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert!(
            r.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("excerpts.docx")
        );
        let text = docx_text(&r.bytes().await.unwrap());
        assert!(
            text.starts_with("Excerpts by theme\nIntervjuer · "),
            "{text}"
        );
        assert!(text.contains(
            "Relation\nFika ☕\ncafé ☕\nSource: intervju-1.txt\nBo: Tack! Jag tog med fika\nSource: samtal.vtt · Speaker: Bo"
        ), "{text}");

        // One code, in Swedish; after the comparison opens, with who coded.
        owner.post("/qual/Q1/compare/open", &[]).await;
        erik.post("/language", &[("locale", "sv")]).await;
        erik.refresh_csrf().await;
        let (_, page) = erik.text(&format!("/qual/Q1/document?code={FIKA}")).await;
        assert!(page.contains("<h1>Utdrag: Fika ☕</h1>"), "{page}");
        assert!(
            page.contains("<h2>Fika ☕</h2>"),
            "the code is the top: {page}"
        );
        assert!(
            page.contains("Källa: samtal.vtt · Talare: Bo · Kodad av: erik"),
            "{page}"
        );
        assert!(page.contains(&format!("document.docx?code={FIKA}")));
        let r = erik
            .get(&format!("/qual/Q1/document.docx?code={FIKA}"))
            .await;
        let text = docx_text(&r.bytes().await.unwrap());
        assert!(text.starts_with("Utdrag: Fika ☕\nIntervjuer · "), "{text}");
        assert!(
            text.contains("Källa: samtal.vtt · Talare: Bo · Kodad av: erik"),
            "{text}"
        );
        let r = erik
            .get(&format!("/qual/Q1/document.docx?code={THEME}"))
            .await;
        assert!(docx_text(&r.bytes().await.unwrap()).contains("Relation\nFika ☕"));
        // The code page and the project page link to it.
        let (_, page) = erik.text(&format!("/qual/Q1/codes/{FIKA}")).await;
        assert!(page.contains(&format!("/qual/Q1/document?code={FIKA}")));
        let (_, page) = erik.text("/qual/Q1").await;
        assert!(page.contains("/qual/Q1/document\""));
    }
}
