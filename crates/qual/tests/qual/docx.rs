//! Word documents: transcripts as transcribers deliver them (built here by hand, zip and
//! WordprocessingML), hostile ones refused within bounds, and the excerpts document fika
//! writes opening as a package with the expected XML and text.

use std::io::{Cursor, Read};

use fika_qual::docx::{self, Block, DocxError};
use fika_qual::report::{self, Labels};
use fika_qual::transcript::{TranscriptError, TranscriptFormat, read_transcript};
use fika_qual::{Code, Turn};

use crate::common::{ANNA, BJORN, code, guid, project, zip_of};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A `.docx` whose body is `body` (WordprocessingML inside `<w:body>`), with the parts
/// Word writes around it.
pub fn docx_of(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    zip_of(&[
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#,
        ),
        ("word/document.xml", document.as_bytes()),
    ])
}

/// A paragraph: runs of `(bold, text)`.
fn p(runs: &[(bool, &str)]) -> String {
    let mut out = String::from("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>");
    for (bold, text) in runs {
        out.push_str("<w:r>");
        if *bold {
            out.push_str("<w:rPr><w:b/></w:rPr>");
        }
        out.push_str(&format!("<w:t xml:space=\"preserve\">{text}</w:t></w:r>"));
    }
    out.push_str("</w:p>");
    out
}

fn turn(speaker: &str, start_ms: u64, text_start: usize, text_end: usize) -> Turn {
    Turn {
        speaker: Some(speaker.into()),
        start_ms,
        end_ms: start_ms,
        text_start,
        text_end,
    }
}

#[test]
fn a_transcribers_docx_becomes_turns_with_speakers() {
    let body = [
        // A heading before anyone speaks: a line without a speaker.
        p(&[(true, "Intervju 3 &amp; uppföljning")]),
        p(&[(false, "")]),
        // A bold name with its colon, the words in plain runs (split as Word splits them).
        p(&[(true, "Intervjuare:"), (false, " Hur "), (false, "började det?")]),
        // A plain "Name: " label.
        p(&[(false, "Deltagare: Vi sågs på ett café ☕ 😀.")]),
        // A continuation paragraph of the same speaker.
        p(&[(false, "Sen\tpratade vi om jobb.")]),
        // A bold name alone on its paragraph with a time; its words follow.
        p(&[(true, "Åsa Berg (00:01:05)")]),
        p(&[(false, "Och nu jobbar jag i köket.")]),
        // Bold words without a colon are emphasis, not a speaker.
        p(&[(true, "Aldrig"), (false, " hade jag trott det.")]),
        // A table cell, a hyperlink, a tracked insertion and a tracked deletion.
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Intervjuare: I tabellen</w:t></w:r></w:p></w:tc></w:tr></w:tbl>".into(),
        "<w:p><w:hyperlink r:id=\"rId9\"><w:r><w:t>Deltagare: länk</w:t></w:r></w:hyperlink><w:ins><w:r><w:t> och mer</w:t></w:r></w:ins><w:del><w:r><w:delText>BORTTAGET</w:delText></w:r></w:del></w:p>".into(),
    ]
    .concat();
    let bytes = docx_of(&body);
    let s = read_transcript("intervju-3.docx", &bytes, TranscriptFormat::Docx).unwrap();
    let lines: Vec<&str> = s.text.lines().collect();
    assert_eq!(
        lines,
        [
            "Intervju 3 & uppföljning",
            "Intervjuare: Hur började det?",
            "Deltagare: Vi sågs på ett café ☕ 😀.",
            "Sen\tpratade vi om jobb.",
            "Åsa Berg: Och nu jobbar jag i köket.",
            "Aldrig hade jag trott det.",
            "Intervjuare: I tabellen",
            "Deltagare: länk och mer",
        ]
    );
    // Positions in code points: each turn spans its line, continuations included.
    let starts: Vec<usize> = {
        let mut at = 0;
        lines
            .iter()
            .map(|l| {
                let s = at;
                at += l.chars().count() + 1;
                s
            })
            .collect()
    };
    let end = |i: usize| starts[i] + lines[i].chars().count();
    assert_eq!(
        s.turns,
        [
            turn("Intervjuare", 0, starts[1], end(1)),
            // A turn without a time of its own ends where the next one with a time starts.
            Turn {
                end_ms: 65_000,
                ..turn("Deltagare", 0, starts[2], end(3))
            },
            turn("Åsa Berg", 65_000, starts[4], end(5)),
            turn("Intervjuare", 65_000, starts[6], end(6)),
            turn("Deltagare", 65_000, starts[7], end(7)),
        ]
    );
    for t in &s.turns {
        let label = format!("{}: ", t.speaker.as_deref().unwrap());
        assert!(
            s.slice(t.text_start, t.text_end)
                .unwrap()
                .starts_with(&label)
        );
    }
    // The document itself is kept as the source's original document.
    let (file, kept) = s.rich_text.as_ref().unwrap();
    assert_eq!(file, &format!("{}.docx", s.guid));
    assert_eq!(kept, &bytes);
}

#[test]
fn otter_style_names_with_times_and_line_breaks() {
    // "Speaker 1  0:05" bold on a line, a line break, then the words in the same paragraph.
    let body = "<w:p><w:r><w:rPr><w:b w:val=\"true\"/></w:rPr><w:t>Speaker 1  0:05</w:t></w:r><w:r><w:br/><w:t>Hello there.</w:t></w:r></w:p>\
                <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Speaker 2  1:02:03</w:t></w:r><w:r><w:br/><w:t>Hi!</w:t></w:r></w:p>\
                <w:p><w:r><w:rPr><w:b w:val=\"0\"/></w:rPr><w:t>Not bold: still a label</w:t></w:r></w:p>";
    let s = read_transcript("otter.docx", &docx_of(body), TranscriptFormat::Docx).unwrap();
    assert_eq!(
        s.text,
        "Speaker 1: Hello there.\nSpeaker 2: Hi!\nNot bold: still a label"
    );
    let times: Vec<(u64, u64)> = s.turns.iter().map(|t| (t.start_ms, t.end_ms)).collect();
    assert_eq!(
        times,
        [
            (5_000, 3_723_000),
            (3_723_000, 3_723_000),
            (3_723_000, 3_723_000)
        ]
    );
    assert_eq!(s.turns[2].speaker.as_deref(), Some("Not bold"));
}

#[test]
fn a_docx_without_speakers_is_its_paragraphs() {
    let body = [p(&[(false, "Första stycket.")]), p(&[(false, "Andra.")])].concat();
    let s = read_transcript("a.docx", &docx_of(&body), TranscriptFormat::Docx).unwrap();
    assert_eq!(s.text, "Första stycket.\nAndra.");
    assert!(s.turns.is_empty());
}

#[test]
fn files_that_are_no_transcript_say_what_to_do() {
    let err = |bytes: &[u8], format| read_transcript("x", bytes, format).unwrap_err();
    assert!(matches!(
        err(b"PK not really", TranscriptFormat::Docx),
        TranscriptError::Docx(DocxError::NotDocx { .. })
    ));
    let no_document = zip_of(&[("word/styles.xml", b"<w:styles/>")]);
    let e = err(&no_document, TranscriptFormat::Docx);
    assert!(e.to_string().contains("word/document.xml"), "{e}");
    assert!(e.to_string().contains("save it"), "{e}");
    let e = err(&docx_of(&p(&[(false, "  ")])), TranscriptFormat::Docx);
    assert_eq!(e, TranscriptError::Empty);
    assert_eq!(
        err(b"\xff\xfeH\0e\0j\0", TranscriptFormat::PlainText),
        TranscriptError::NotUtf8
    );
    assert!(matches!(
        err(b"WEBVTT\n\nnot a timing\nhej\n", TranscriptFormat::WebVtt),
        TranscriptError::BadTiming { line: 3, .. }
    ));
    let ok = read_transcript(
        "b.txt",
        "\u{feff}Hej".as_bytes(),
        TranscriptFormat::PlainText,
    );
    assert_eq!(ok.unwrap().text, "\u{feff}Hej", "text kept exactly");
}

#[test]
fn a_zip_bomb_entry_is_refused_before_it_fills_memory() {
    // Honest sizes over the limit: refused from the sizes the archive declares.
    let big = format!(
        "<w:document xmlns:w=\"{W}\"><w:body>{}</w:body></w:document>",
        " ".repeat(3_000_000)
    );
    let bytes = zip_of(&[("word/document.xml", big.as_bytes())]);
    assert!(bytes.len() < 100_000, "it compresses to {}", bytes.len());
    let e = docx::read_paragraphs_within(&bytes, 1_000_000).unwrap_err();
    assert_eq!(e, DocxError::TooLarge { limit: 1_000_000 });
    assert!(e.to_string().contains("1 MB"), "{e}");
    // Lying sizes: headers claim 10 bytes; reading stops at byte 11.
    let mut lying = bytes.clone();
    lying[22..26].copy_from_slice(&10u32.to_le_bytes());
    let central = lying.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    lying[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
    let e = docx::read_paragraphs(&lying).unwrap_err();
    assert!(
        matches!(&e, DocxError::Damaged { detail } if detail.contains("more than the 10 bytes")),
        "{e}"
    );
    // The default limit is what the module says.
    assert_eq!(docx::MAX_UNCOMPRESSED_BYTES, 32 * 1024 * 1024);
}

#[test]
fn deep_xml_and_escaping_entries_are_refused_not_a_crash() {
    // A million nested content controls in a few kilobytes compressed.
    let depth = 1_000_000;
    let deep = format!(
        "<w:document xmlns:w=\"{W}\"><w:body>{}{}</w:body></w:document>",
        "<w:sdt>".repeat(depth),
        "</w:sdt>".repeat(depth)
    );
    let bytes = zip_of(&[("word/document.xml", deep.as_bytes())]);
    let e = docx::read_paragraphs(&bytes).unwrap_err();
    assert!(
        matches!(&e, DocxError::Damaged { detail } if detail.contains("256 levels")),
        "{e}"
    );
    let many_attributes = format!(
        "<w:document xmlns:w=\"{W}\"><w:body><w:p {}/></w:body></w:document>",
        (0..2_000)
            .map(|i| format!("a{i}=\"x\" "))
            .collect::<String>()
    );
    let bytes = zip_of(&[("word/document.xml", many_attributes.as_bytes())]);
    assert!(matches!(
        docx::read_paragraphs(&bytes),
        Err(DocxError::Damaged { .. })
    ));
    let escaping = zip_of(&[
        ("../word/document.xml", b"<w:document/>"),
        ("word/document.xml", b"<w:document/>"),
    ]);
    let e = docx::read_paragraphs(&escaping).unwrap_err();
    assert!(
        matches!(&e, DocxError::Damaged { detail } if detail.contains("outside")),
        "{e}"
    );
    let not_xml = zip_of(&[("word/document.xml", b"<w:document><w:body>")]);
    assert!(matches!(
        docx::read_paragraphs(&not_xml),
        Err(DocxError::Damaged { .. })
    ));
}

#[test]
fn a_million_empty_paragraphs_are_read_as_nothing() {
    // Elements by the million in a few kilobytes: read as a stream, nothing of them kept.
    let body = "<w:p/>".repeat(1_000_000) + &"<w:p><w:r><w:t/></w:r></w:p>".repeat(100_000);
    let bytes = docx_of(&body);
    assert!(bytes.len() < 200_000, "{}", bytes.len());
    assert_eq!(docx::read_paragraphs(&bytes).unwrap(), []);
    assert_eq!(
        read_transcript("tom.docx", &bytes, TranscriptFormat::Docx).unwrap_err(),
        TranscriptError::Empty
    );
}

/// Entry `name` of a zip, as text.
fn entry(zip: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut out = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    out
}

#[test]
fn the_excerpts_document_goes_theme_subtheme_code_with_source_and_speaker() {
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Åsa>Vi tog en fika &amp; &lt;pratade&gt;.</v>\n\n00:00:04.000 --> 00:00:06.000\n<v Kim>Sen jobb.</v>\n";
    let mut p = project(&["Ingen talare här."]);
    p.sources.push(
        fika_qual::parse_transcript("intervju-2.vtt", vtt, fika_qual::TranscriptFormat::WebVtt)
            .unwrap(),
    );
    // Theme 201 "Café" › subtheme 203 › code 204; 202 "Tid" is a theme of its own, and
    // 205 under it has no excerpt.
    let mut sub = Code::new(guid(203), "Möten");
    sub.description = Some("Var de träffas".into());
    sub.children.push(Code::new(guid(204), "Fika <&>"));
    p.codes[0].children.push(sub);
    p.codes[1].children.push(Code::new(guid(205), "Tom"));
    // "Åsa: Vi tog en fika & <pratade>." — the excerpt "Vi tog en fika" at 5..19.
    code(&mut p, 1, ANNA, 204, 5, 19);
    code(&mut p, 1, BJORN, 201, 5, 19);
    code(&mut p, 0, ANNA, 202, 0, 5);
    code(&mut p, 1, ANNA, 202, 33, 47);
    p.validate().unwrap();

    let all = report::outline(&p, None, |_| true).unwrap();
    let heads: Vec<(usize, &str, usize, usize)> = all
        .iter()
        .map(|s| (s.depth, s.name.as_str(), s.excerpts.len(), s.total))
        .collect();
    assert_eq!(
        heads,
        [
            (0, "Café", 1, 2),
            (1, "Möten", 0, 1),
            (2, "Fika <&>", 1, 1),
            (0, "Tid", 2, 2)
        ]
    );
    assert_eq!(all[2].excerpts[0].speaker.as_deref(), Some("Åsa"));
    assert_eq!(all[3].excerpts[0].source_name, "Intervju 1");
    assert_eq!(all[3].excerpts[1].text, "Kim: Sen jobb.");
    // One code and what is below it; a filter (the reader's own coding) leaves codes out.
    let one = report::outline(&p, Some(&guid(203)), |e| e.coder == Some(guid(ANNA))).unwrap();
    assert_eq!(one.len(), 2);
    assert_eq!((one[0].depth, one[1].depth), (0, 1));
    let bjorn = report::outline(&p, Some(&guid(203)), |e| e.coder == Some(guid(BJORN)));
    assert_eq!(bjorn, Some(vec![]));
    assert_eq!(report::outline(&p, Some(&guid(999)), |_| true), None);

    let labels = Labels {
        title: "Utdrag <1>".into(),
        subtitle: "Test".into(),
        none: "Inga utdrag".into(),
        source: "Källa".into(),
        speaker: "Talare".into(),
        coder: "Kodad av".into(),
        memo: "Memo".into(),
    };
    let blocks = report::to_blocks(&all, &labels, true);
    assert_eq!(blocks[0], Block::Title("Utdrag <1>".into()));
    assert_eq!(blocks[2], Block::Heading(1, "Café".into()));
    assert!(blocks.contains(&Block::Heading(3, "Fika <&>".into())));
    assert!(blocks.contains(&Block::Quote("Vi tog en fika".into())));
    assert!(blocks.contains(&Block::Caption(
        "Källa: intervju-2.vtt · Talare: Åsa · Kodad av: Anna".into()
    )));
    let bytes = docx::write_document(&blocks, "sv-SE").unwrap();

    // The package: the parts every reader needs, the document well-formed, text escaped.
    let archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    let mut names: Vec<&str> = names.iter().map(String::as_str).collect();
    names.sort_unstable();
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
    assert!(entry(&bytes, "[Content_Types].xml").contains(
        "PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\""
    ));
    assert!(entry(&bytes, "_rels/.rels").contains("Target=\"word/document.xml\""));
    let document = entry(&bytes, "word/document.xml");
    let mut reader = quick_xml::Reader::from_str(&document);
    reader.config_mut().check_end_names = true;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("document.xml is not well-formed: {e}\n{document}"),
        }
    }
    assert!(document.contains("<w:pStyle w:val=\"Heading3\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Fika &lt;&amp;&gt;</w:t>"));
    assert!(!document.contains("<pratade>"));
    assert!(entry(&bytes, "word/styles.xml").contains("w:styleId=\"Heading1\""));
    assert!(entry(&bytes, "word/styles.xml").contains("<w:lang w:val=\"sv-SE\"/>"));
    // Read back with the reader transcripts go through: every paragraph in order.
    let texts: Vec<String> = docx::read_paragraphs(&bytes)
        .unwrap()
        .into_iter()
        .map(|p| p.text)
        .collect();
    assert_eq!(
        texts,
        [
            "Utdrag <1>",
            "Test",
            "Café",
            "Vi tog en fika",
            "Källa: intervju-2.vtt · Talare: Åsa · Kodad av: Björn",
            "Möten",
            "Var de träffas",
            "Fika <&>",
            "Vi tog en fika",
            "Källa: intervju-2.vtt · Talare: Åsa · Kodad av: Anna",
            "Tid",
            "Ingen",
            "Källa: Intervju 1 · Kodad av: Anna",
            "Kim: Sen jobb.",
            "Källa: intervju-2.vtt · Talare: Kim · Kodad av: Anna",
        ]
    );
    // Without coders (before a comparison opens, a reader sees only their own).
    let blocks = report::to_blocks(&[], &labels, false);
    assert_eq!(
        blocks,
        [
            Block::Title("Utdrag <1>".into()),
            Block::Text("Test".into()),
            Block::Text("Inga utdrag".into())
        ]
    );
}
