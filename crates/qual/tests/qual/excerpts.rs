//! A code's excerpts as a data set: CSV and Markdown.

use fika_qual::excerpts::{gather, to_csv, to_markdown};
use fika_qual::transcript::{TranscriptFormat, parse_transcript};
use fika_qual::{Code, Note};

use crate::common::{ANNA, BJORN, code, guid, project};

#[test]
fn excerpts_of_a_code_and_its_subcodes() {
    let mut p = project(&["Vi tog en fika, \"på café\", sen jobb.\nRad två 😀"]);
    let mut sub = Code::new(guid(203), "Kafé");
    sub.notes.push(guid(401));
    p.codes[0].children.push(sub);
    p.codes[0].description = Some("Möten utanför kontoret".into());
    p.notes.push(Note {
        selections: Vec::new(),
        description: None,
        modifying_user: None,
        modified: None,
        guid: guid(401),
        name: None,
        text: "Underkod".into(),
        creating_user: None,
        created: None,
    });
    code(&mut p, 0, BJORN, 201, 16, 25);
    code(&mut p, 0, ANNA, 203, 3, 14);
    code(&mut p, 0, ANNA, 202, 0, 2);
    code(&mut p, 0, ANNA, 201, 37, 46);
    p.notes.push(Note {
        selections: Vec::new(),
        description: None,
        modifying_user: None,
        modified: None,
        guid: guid(402),
        name: None,
        text: "Citat, \"viktigt\"".into(),
        creating_user: None,
        created: None,
    });
    p.sources[0].selections[0].notes.push(guid(402));
    p.validate().unwrap();

    let only = gather(&p, &guid(201), false);
    assert_eq!(only.len(), 2);
    let all = gather(&p, &guid(201), true);
    let spans: Vec<_> = all
        .iter()
        .map(|e| (e.start, e.text.as_str(), e.code_name.as_str()))
        .collect();
    assert_eq!(
        spans,
        [
            (3, "tog en fika", "Kafé"),
            (16, "\"på café\"", "Café"),
            (37, "Rad två 😀", "Café")
        ]
    );

    let csv = to_csv(&all);
    let mut lines = csv.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("source,code,coder,start,end,speaker,text,memos")
    );
    assert_eq!(
        lines.next(),
        Some("Intervju 1,Kafé,Anna,3,14,,tog en fika,")
    );
    assert_eq!(
        lines.next(),
        Some("Intervju 1,Café,Björn,16,25,,\"\"\"på café\"\"\",\"Citat, \"\"viktigt\"\"\"")
    );

    let md = to_markdown(&p, &guid(201), &all);
    assert!(md.starts_with("# Café\n\nMöten utanför kontoret\n"), "{md}");
    assert!(
        md.contains("## Intervju 1\n\n> tog en fika\n\n— characters 3–14, Kafé, coded by Anna")
    );
    assert!(md.contains("*Memo:* Citat, \"viktigt\""));
}

#[test]
fn excerpts_name_the_speaker_of_a_transcript_turn() {
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Coach>Hej</v>\n\n00:00:02.000 --> 00:00:04.000\n<v Deltagare>Jag vill jobba i en butik.</v>\n";
    let mut p = project(&[]);
    p.sources
        .push(parse_transcript("Intervju", vtt, TranscriptFormat::WebVtt).unwrap());
    code(&mut p, 0, ANNA, 201, 26, 41);
    let e = &gather(&p, &guid(201), false)[0];
    assert_eq!(
        (e.text.as_str(), e.speaker.as_deref()),
        ("vill jobba i en", Some("Deltagare"))
    );
}

/// The CSV is opened in spreadsheets: an excerpt that reads as a formula is written with a
/// single quote in front (OWASP), and quoted as RFC 4180 asks.
#[test]
fn excerpts_that_read_as_formulas_are_made_harmless_in_csv() {
    let mut p = project(&["=HYPERLINK(\"http://evil.example\",\"klicka\") och +1 och @A1"]);
    code(&mut p, 0, ANNA, 201, 0, 42);
    let all = gather(&p, &guid(201), false);
    let csv = to_csv(&all);
    let row = csv.split("\r\n").nth(1).unwrap();
    assert_eq!(
        row,
        "Intervju 1,Café,Anna,0,42,,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"klicka\"\")\",",
        "{csv}"
    );
}
