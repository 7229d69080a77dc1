//! Export → import gives the same project; export again gives the same bytes; exports
//! validate against the REFI-QDA schemas.

use std::io::Cursor;

use fika_qual::refi::ORIGIN;
use fika_qual::{
    Code, Codebook, ImportOptions, Note, Project, Set, read_qdc, read_qdpx, write_qdc, write_qdpx,
};

use crate::common::{ANNA, BJORN, assert_valid, code, guid, project, unzip};

const EXPORTED_AT: &str = "2026-11-26T10:00:00Z";

/// Swedish and emoji text, a theme → subtheme → code tree with colours, two coders, memos
/// on a code, a source and a coded segment, and a set.
pub fn rich_project() -> Project {
    let mut p = project(&[
        "Intervjuare: Hur var första mötet?\nDeltagare: Vi tog en fika på ett café ☕ — det kändes som att bli sedd som människa. 😊",
        "Coachen sa: \"Jag kollar upp det till nästa gång\" & det gjorde hon <faktiskt>.\r\nÅsa: Ja!",
    ]);
    p.name = "Svenska IPS-piloter".into();
    p.origin = Some(ORIGIN.into());
    p.created = Some("2013-05-01T09:30:00Z".into());
    p.modified = Some(EXPORTED_AT.into());
    p.creating_user = Some(guid(ANNA));
    p.description = Some("Tematisk analys, Braun & Clarke".into());
    let mut theme = Code::new(guid(300), "Något annorlunda – som människa");
    theme.is_codable = false;
    theme.color = Some("#aa3300".into());
    theme.description = Some("Tema 1".into());
    let mut sub = Code::new(guid(301), "Möten på många platser");
    sub.color = Some("#0a0".into());
    let mut leaf = Code::new(guid(302), "Fika på café");
    leaf.notes = vec![guid(401)];
    sub.children.push(leaf);
    theme.children.push(sub);
    p.codes.insert(0, theme);
    p.notes = vec![
        Note {
            selections: Vec::new(),
            description: None,
            modifying_user: None,
            modified: None,
            guid: guid(401),
            name: Some("Om koden".into()),
            text: "Första mötet över en kopp kaffe.\nRad två & <tecken>".into(),
            creating_user: Some(guid(ANNA)),
            created: Some("2013-05-02T10:00:00+02:00".into()),
        },
        Note {
            selections: Vec::new(),
            description: None,
            modifying_user: None,
            modified: None,
            guid: guid(402),
            name: None,
            text: "Minne om källan 😊".into(),
            creating_user: None,
            created: None,
        },
        Note {
            selections: Vec::new(),
            description: None,
            modifying_user: None,
            modified: None,
            guid: guid(403),
            name: Some("Segment".into()),
            text: "Viktigt citat".into(),
            creating_user: Some(guid(BJORN)),
            created: None,
        },
    ];
    p.sources[0].notes.push(guid(402));
    p.sources[0].description = Some("Deltagare, program A".into());
    p.sources[0].created = Some("2013-04-30T12:00:00Z".into());
    code(&mut p, 0, ANNA, 302, 46, 71);
    code(&mut p, 0, BJORN, 302, 50, 80);
    code(&mut p, 0, ANNA, 201, 0, 10);
    code(&mut p, 1, BJORN, 202, 13, 47);
    code(&mut p, 1, ANNA, 202, 0, 83);
    p.sources[0].selections[0].notes.push(guid(403));
    p.sources[0].selections[0].description = Some("Kaffe".into());
    p.sets.push(Set {
        guid: guid(500),
        name: "Deltagarintervjuer".into(),
        description: Some("Intervjuer med deltagare".into()),
        member_codes: vec![guid(302)],
        member_sources: vec![guid(101), guid(102)],
        member_notes: vec![guid(401)],
    });
    p.project_notes.push(guid(402));
    p.validate().unwrap();
    p
}

fn export(p: &Project) -> Vec<u8> {
    write_qdpx(p, Cursor::new(Vec::new()), EXPORTED_AT)
        .unwrap()
        .into_inner()
}

fn entry<'a>(entries: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &entries.iter().find(|(n, _)| n == name).unwrap().1
}

#[test]
fn export_then_import_gives_the_same_project() {
    let p = rich_project();
    let bytes = export(&p);
    let imported = read_qdpx(Cursor::new(&bytes), &ImportOptions::default()).unwrap();
    assert!(imported.missing_sources.is_empty() && imported.unsupported_sources.is_empty());
    assert_eq!(imported.project, p);
}

#[test]
fn export_import_export_gives_the_same_files() {
    let first = unzip(&export(&rich_project()));
    let again = read_qdpx(
        Cursor::new(export(&rich_project())),
        &ImportOptions::default(),
    )
    .unwrap();
    let second = unzip(&export(&again.project));
    assert_eq!(first, second);
    let qde = String::from_utf8(entry(&first, "project.qde").to_vec()).unwrap();
    assert!(qde.contains(&format!("origin=\"{ORIGIN}\"")));
    assert!(qde.contains(&format!("plainTextPath=\"internal://{}.txt\"", guid(101))));
    // Sources are UTF-8 files holding the text exactly, \r\n included.
    let text = entry(&first, &format!("sources/{}.txt", guid(102)));
    assert_eq!(text, rich_project().sources[1].text.as_bytes());
}

#[test]
fn exports_validate_against_the_schemas() {
    let entries = unzip(&export(&rich_project()));
    assert_valid("Project.xsd", entry(&entries, "project.qde"), "project.qde");
    let qdc = write_qdc(&Codebook::of_project(&rich_project())).unwrap();
    assert_valid("Codebook.xsd", qdc.as_bytes(), "codebook.qdc");
}

#[test]
fn codebook_round_trip() {
    let p = rich_project();
    let book = Codebook::of_project(&p);
    let read = read_qdc(write_qdc(&book).unwrap().as_bytes()).unwrap();
    // The codebook format has no memos.
    let mut expected = book.clone();
    fn strip(codes: &mut [Code]) {
        for c in codes {
            c.notes.clear();
            strip(&mut c.children);
        }
    }
    strip(&mut expected.codes);
    assert_eq!(read, expected);
    assert_eq!(read.sets[0].member_codes, vec![guid(302)]);
}

#[test]
fn duplicate_names_get_a_suffix_on_export() {
    let mut p = rich_project();
    p.codes[1].name = "Fika på café".into();
    p.sources[1].name = p.sources[0].name.clone();
    let entries = unzip(&export(&p));
    let qde = String::from_utf8(entry(&entries, "project.qde").to_vec()).unwrap();
    assert!(qde.contains("name=\"Fika på café (2)\""), "{qde}");
    assert!(qde.contains("name=\"Intervju 1 (2)\""));
    assert_valid("Project.xsd", qde.as_bytes(), "dedup.qde");
}

#[test]
fn export_refuses_an_inconsistent_project() {
    let mut p = rich_project();
    p.sources[0].selections[0].end = 10_000;
    let err = write_qdpx(&p, Cursor::new(Vec::new()), EXPORTED_AT)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("ends at 10000") && err.contains("Intervju 1"),
        "{err}"
    );
    let err = write_qdpx(&rich_project(), Cursor::new(Vec::new()), "igår")
        .unwrap_err()
        .to_string();
    assert!(err.contains("igår"), "{err}");
}

#[test]
fn a_project_survives_json_for_a_store() {
    let p = rich_project();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<Project>(&json).unwrap(), p);
    // GUIDs are checked on the way in too.
    let broken = json.replacen(guid(ANNA).as_str(), "not-a-guid", 1);
    assert!(serde_json::from_str::<Project>(&broken).is_err());
}

/// Memos written and themes built in fika (as the web does them) leave fika in the export
/// and come back: memos on a code, a source and a coded segment, a colour, a code moved
/// under a theme, two codes merged.
#[test]
fn memos_and_themes_made_in_fika_survive_a_round_trip() {
    use fika_qual::codebook::{MemoOn, add_memo, merge_codes, move_code, rename_code, set_color};
    let mut p = rich_project();
    let at = "2026-12-07T16:00:00Z";
    let segment = p.sources[1].selections[0].guid.clone();
    add_memo(
        &mut p,
        &MemoOn::Code(guid(202)),
        "Tid som tema",
        Some(&guid(ANNA)),
        at,
    )
    .unwrap();
    add_memo(
        &mut p,
        &MemoOn::Source(guid(102)),
        "Kort intervju",
        Some(&guid(BJORN)),
        at,
    )
    .unwrap();
    add_memo(
        &mut p,
        &MemoOn::Segment {
            source: guid(102),
            selection: segment.clone(),
        },
        "Löfte hållet",
        Some(&guid(BJORN)),
        at,
    )
    .unwrap();
    set_color(&mut p, &guid(202), Some("#1F77B4")).unwrap();
    move_code(&mut p, &guid(202), Some(&guid(300))).unwrap();
    rename_code(&mut p, &guid(202), "Tid och löften").unwrap();
    let merged = merge_codes(&mut p, &guid(201), &guid(302)).unwrap();
    assert_eq!(merged.codings, 1);
    p.validate().unwrap();

    let bytes = export(&p);
    let entries = unzip(&bytes);
    assert_valid("Project.xsd", entry(&entries, "project.qde"), "project.qde");
    let again = read_qdpx(Cursor::new(&bytes), &ImportOptions::default())
        .unwrap()
        .project;
    assert_eq!(again, p);
    let moved = again.code(&guid(202)).unwrap();
    assert_eq!(
        (moved.name.as_str(), moved.color.as_deref()),
        ("Tid och löften", Some("#1f77b4"))
    );
    assert!(
        again
            .codes
            .iter()
            .find(|c| c.guid == guid(300))
            .unwrap()
            .children
            .iter()
            .any(|c| c.guid == guid(202))
    );
    let memo_texts = |refs: &[fika_qual::Guid]| -> Vec<String> {
        fika_qual::codebook::memos(&again, refs)
            .iter()
            .map(|n| n.text.clone())
            .collect()
    };
    assert_eq!(memo_texts(&moved.notes), ["Tid som tema"]);
    assert_eq!(
        memo_texts(&again.source(&guid(102)).unwrap().notes),
        ["Kort intervju"]
    );
    let sel = again.sources[1]
        .selections
        .iter()
        .find(|s| s.guid == segment)
        .unwrap();
    assert_eq!(memo_texts(&sel.notes), ["Löfte hållet"]);
    assert!(again.code(&guid(201)).is_none());
}
