//! Bad files are refused as a whole, with a message naming what is wrong and where.

use std::io::Cursor;

use fika_qual::{ImportOptions, QdpxError, read_qdc, read_qdpx};

use crate::common::zip_of;

const USER: &str = "11111111-1111-4111-8111-111111111111";
const CODE: &str = "c0de0000-0000-4000-8000-000000000001";

/// A one-source project with inline text whose selection and reference can be varied.
fn qde(text: &str, start: &str, end: &str, code_ref: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Dålig">
  <Users><User guid="{USER}" name="A"/></Users>
  <CodeBook><Codes><Code guid="{CODE}" name="Fika" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="50000000-0000-4000-8000-000000000001" name="Intervju 1">
      <PlainTextContent>{text}</PlainTextContent>
      <PlainTextSelection guid="5e100000-0000-4000-8000-000000000001" startPosition="{start}" endPosition="{end}" creatingUser="{USER}">
        <Coding guid="c0d10000-0000-4000-8000-000000000001"><CodeRef targetGUID="{code_ref}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>
"#
    )
}

fn import(entries: &[(&str, &[u8])]) -> QdpxError {
    read_qdpx(Cursor::new(zip_of(entries)), &ImportOptions::default()).unwrap_err()
}

fn import_qde(xml: &str) -> String {
    import(&[("project.qde", xml.as_bytes())]).to_string()
}

fn assert_says(message: &str, parts: &[&str]) {
    for p in parts {
        assert!(message.contains(p), "message lacks {p:?}: {message}");
    }
}

#[test]
fn a_good_variant_of_the_test_file_imports() {
    let xml = qde("Åsa 😀 fika", "0", "9", CODE);
    read_qdpx(
        Cursor::new(zip_of(&[("project.qde", xml.as_bytes())])),
        &ImportOptions::default(),
    )
    .unwrap();
}

#[test]
fn not_a_zip() {
    let err = read_qdpx(
        Cursor::new(b"<Project/>".to_vec()),
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert_says(&err.to_string(), &["not a zip archive", "project.qde"]);
}

#[test]
fn no_project_file() {
    let err = import(&[
        ("sources/a.txt", b"hej"),
        ("sub/project.qde", b"<Project/>"),
    ])
    .to_string();
    assert_says(&err, &["no .qde project file at its root", "sources/a.txt"]);
}

#[test]
fn xml_that_is_not_well_formed() {
    let err = import_qde("<?xml version=\"1.0\"?>\n<Project name=\"x\">\n  <Users>\n</Project>");
    assert_says(&err, &["project.qde line", "not well-formed"]);
}

#[test]
fn missing_required_attribute() {
    let xml = qde("hej", "0", "1", CODE).replace(" name=\"Dålig\"", "");
    assert_says(
        &import_qde(&xml),
        &[
            "project.qde line 2",
            "<Project> lacks the required attribute \"name\"",
        ],
    );
}

#[test]
fn missing_required_element() {
    let xml = qde("hej", "0", "1", CODE).replace(&format!("<CodeRef targetGUID=\"{CODE}\"/>"), "");
    assert_says(
        &import_qde(&xml),
        &["project.qde line 9", "<Coding> lacks its <CodeRef>"],
    );
}

#[test]
fn guid_in_the_wrong_format() {
    let xml = qde("hej", "0", "1", CODE)
        .replace(&format!("<User guid=\"{USER}\""), "<User guid=\"user-1\"");
    assert_says(
        &import_qde(&xml),
        &["project.qde line 3", "<User guid=\"user-1\"> is not a GUID"],
    );
}

#[test]
fn selection_beyond_the_end_of_its_text() {
    // "Åsa 😀" is 5 code points (10 bytes): 6 is past the end even though 6 < 10.
    let err = import_qde(&qde("Åsa 😀", "0", "6", CODE));
    assert_says(
        &err,
        &[
            "project.qde line 8",
            "\"Intervju 1\"",
            "ends at 6",
            "5 characters",
        ],
    );
}

#[test]
fn selection_starting_after_its_end() {
    let err = import_qde(&qde("Åsa 😀", "4", "2", CODE));
    assert_says(
        &err,
        &[
            "project.qde line 8",
            "\"Intervju 1\"",
            "starts at 4, after its end 2",
        ],
    );
}

#[test]
fn negative_position() {
    let err = import_qde(&qde("Åsa", "-1", "2", CODE));
    assert_says(
        &err,
        &[
            "project.qde line 8",
            "startPosition=\"-1\"",
            "not a position",
        ],
    );
}

#[test]
fn reference_to_an_unknown_guid() {
    let unknown = "deadbeef-0000-4000-8000-000000000000";
    let err = import_qde(&qde("hej", "0", "1", unknown));
    assert_says(
        &err,
        &[
            "project.qde line 9",
            "<CodeRef> refers to code deadbeef-0000-4000-8000-000000000000",
            "does not contain",
        ],
    );
}

#[test]
fn duplicate_guid() {
    let xml = qde("hej", "0", "1", CODE).replace("c0d10000-0000-4000-8000-000000000001", CODE);
    assert_says(
        &import_qde(&xml),
        &["project.qde line 4", CODE, "element at line 9 also uses"],
    );
}

#[test]
fn source_file_that_is_not_utf8() {
    let xml = r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>
<TextSource guid="50000000-0000-4000-8000-000000000001" name="Latin-1" plainTextPath="internal://a.txt"/>
</Sources></Project>"#;
    let err = import(&[
        ("project.qde", xml.as_bytes()),
        ("sources/a.txt", b"K\xe5ffe"),
    ])
    .to_string();
    assert_says(&err, &["sources/a.txt", "not UTF-8", "offset 1"]);
}

#[test]
fn entry_path_escaping_the_archive_folder() {
    let xml = qde("hej", "0", "1", CODE);
    for evil in ["../evil.txt", "sources/../../evil.txt", "/etc/passwd"] {
        let err = import(&[("project.qde", xml.as_bytes()), (evil, b"x")]).to_string();
        assert_says(&err, &[evil, "outside the archive folder"]);
    }
}

#[test]
fn archive_declaring_more_than_the_limit() {
    let big = vec![b'a'; 200_000];
    let xml = qde("hej", "0", "1", CODE);
    let bytes = zip_of(&[("project.qde", xml.as_bytes()), ("sources/big.txt", &big)]);
    let options = ImportOptions {
        max_uncompressed_bytes: 100_000,
        ..ImportOptions::default()
    };
    let err = read_qdpx(Cursor::new(bytes), &options)
        .unwrap_err()
        .to_string();
    assert_says(
        &err,
        &["sources/big.txt", "beyond the limit of 100000 bytes"],
    );
}

#[test]
fn archive_lying_about_its_sizes() {
    // A 200 kB text whose local and central headers claim 10 bytes: the declared total is
    // under the limit, so only counting the bytes actually read can stop it.
    let big = "a".repeat(200_000);
    let xml = r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>
<TextSource guid="50000000-0000-4000-8000-000000000001" name="Stor" plainTextPath="internal://big.txt"/>
</Sources></Project>"#;
    let mut bytes = zip_of(&[
        ("sources/big.txt", big.as_bytes()),
        ("project.qde", xml.as_bytes()),
    ]);
    // First entry: local header at 0 (uncompressed size at +22); central header at the
    // first PK\x01\x02 (uncompressed size at +24).
    bytes[22..26].copy_from_slice(&10u32.to_le_bytes());
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
    let options = ImportOptions {
        max_uncompressed_bytes: 100_000,
        ..ImportOptions::default()
    };
    let err = read_qdpx(Cursor::new(bytes), &options).unwrap_err();
    assert!(
        matches!(&err, QdpxError::SizeMismatch { entry, .. } if entry == "sources/big.txt"),
        "{err}"
    );
}

#[test]
fn codebook_with_a_bad_member() {
    let qdc = format!(
        r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{CODE}" name="Fika" isCodable="true"/></Codes>
<Sets><Set guid="5e700000-0000-4000-8000-000000000001" name="S"><MemberCode guid="deadbeef-0000-4000-8000-000000000000"/></Set></Sets></CodeBook>"#
    );
    let err = read_qdc(qdc.as_bytes()).unwrap_err().to_string();
    assert_says(
        &err,
        &[
            "codebook.qdc line 2",
            "<MemberCode> refers to code deadbeef",
        ],
    );
}

#[test]
fn damaged_archives_give_errors_never_panics() {
    // Every truncation and a sweep of flipped bytes of a good export: each read either
    // succeeds or returns an error.
    let project = crate::round_trip::rich_project();
    let good = fika_qual::write_qdpx(&project, Cursor::new(Vec::new()), "2026-11-26T10:00:00Z")
        .unwrap()
        .into_inner();
    let options = ImportOptions::default();
    for cut in (0..good.len()).step_by(7) {
        let _ = read_qdpx(Cursor::new(&good[..cut]), &options);
    }
    for at in (0..good.len()).step_by(3) {
        let mut bad = good.clone();
        bad[at] ^= 0x5a;
        let _ = read_qdpx(Cursor::new(bad), &options);
    }
}

#[test]
fn damaged_project_files_give_errors_never_panics() {
    let xml = qde("Åsa 😀 fika på café", "0", "9", CODE);
    // Cuts inside a multi-byte character leave invalid UTF-8: also an error.
    for cut in 0..xml.len() {
        let entries = [("project.qde", &xml.as_bytes()[..cut])];
        let _ = read_qdpx(Cursor::new(zip_of(&entries)), &ImportOptions::default());
    }
}

#[test]
fn entry_holding_more_than_it_declares_is_refused_at_its_declared_size() {
    // 5 MB of text whose headers claim 10 bytes, under the default limit: reading stops
    // at byte 11, so a zip bomb that lies about its sizes never fills memory.
    let big = "a".repeat(5_000_000);
    let xml = r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>
<TextSource guid="50000000-0000-4000-8000-000000000001" name="Stor" plainTextPath="internal://big.txt"/>
</Sources></Project>"#;
    let mut bytes = zip_of(&[
        ("sources/big.txt", big.as_bytes()),
        ("project.qde", xml.as_bytes()),
    ]);
    bytes[22..26].copy_from_slice(&10u32.to_le_bytes());
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
    let err = read_qdpx(Cursor::new(bytes), &ImportOptions::default()).unwrap_err();
    assert!(
        matches!(&err, QdpxError::SizeMismatch { entry, declared: 10 } if entry == "sources/big.txt"),
        "{err}"
    );
    assert_says(
        &err.to_string(),
        &["sources/big.txt", "more than the 10 bytes", "fresh export"],
    );
}

#[test]
fn the_default_limit_refuses_an_honest_entry_before_reading_it() {
    // An entry declaring one byte over the default limit is refused from the sizes the
    // archive declares, before a byte of it is decompressed (the entry really holds
    // three bytes: had it been read, it would have been refused as a lie instead).
    let limit = fika_qual::refi::DEFAULT_MAX_UNCOMPRESSED_BYTES;
    assert_eq!(limit, 200 * 1024 * 1024);
    let mut bytes = zip_of(&[("sources/big.txt", b"hej"), ("project.qde", b"<Project/>")]);
    let declared = u32::try_from(limit + 1).unwrap().to_le_bytes();
    bytes[22..26].copy_from_slice(&declared);
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&declared);
    let err = read_qdpx(Cursor::new(bytes), &ImportOptions::default()).unwrap_err();
    assert!(matches!(&err, QdpxError::TooLarge { .. }), "{err}");
    assert_says(
        &err.to_string(),
        &["sources/big.txt", "200 MB", "--max-uncompressed-mb"],
    );
}

/// `depth` nested `<Description>` elements inside a project.
fn nested(depth: usize) -> String {
    let mut xml = String::with_capacity(depth * 30 + 200);
    xml.push_str(r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x">"#);
    for _ in 0..depth {
        xml.push_str("<a>");
    }
    for _ in 0..depth {
        xml.push_str("</a>");
    }
    xml.push_str("</Project>");
    xml
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    // 200,000 levels used to overflow the stack and abort the process.
    let err = import_qde(&nested(200_000));
    assert_says(
        &err,
        &["project.qde line 1", "nested more than 256 levels deep"],
    );
    let err = read_qdc(nested(200_000).replace("Project", "CodeBook").as_bytes())
        .unwrap_err()
        .to_string();
    assert_says(&err, &["codebook.qdc", "nested more than 256 levels deep"]);
}

#[test]
fn a_million_levels_in_a_few_kilobytes_are_refused() {
    let xml = nested(1_000_000);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_level(Some(9));
    zip.start_file("project.qde", options).unwrap();
    std::io::Write::write_all(&mut zip, xml.as_bytes()).unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
    let err = read_qdpx(Cursor::new(bytes), &ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert_says(&err, &["nested more than 256 levels deep"]);
}

#[test]
fn a_code_tree_near_the_depth_limit_imports_and_exports() {
    // Project › CodeBook › Codes and 250 nested codes: 253 levels, inside the limit.
    let mut codes = String::new();
    for i in 0..250 {
        codes.push_str(&format!(
            r#"<Code guid="c0de0000-0000-4000-8000-{i:012x}" name="Kod {i}" isCodable="true">"#
        ));
    }
    codes.push_str(&"</Code>".repeat(250));
    let xml = format!(
        r#"<Project xmlns="urn:QDA-XML:project:1.0" name="Djup"><CodeBook><Codes>{codes}</Codes></CodeBook></Project>"#
    );
    let imported = read_qdpx(
        Cursor::new(zip_of(&[("project.qde", xml.as_bytes())])),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(imported.project.codes_flat().len(), 250);
    let out = fika_qual::write_qdpx(
        &imported.project,
        Cursor::new(Vec::new()),
        "2026-12-04T10:00:00Z",
    )
    .unwrap()
    .into_inner();
    let again = read_qdpx(Cursor::new(out), &ImportOptions::default()).unwrap();
    assert_eq!(again.project.codes, imported.project.codes);
}

#[test]
fn names_that_nest_codes_past_the_depth_limit_are_refused() {
    // 250 nested codes, the deepest named `A::B`: 251 levels of codes once the name is
    // nested, whose export the XML bound would refuse (a fuzz finding).
    let mut codes = String::new();
    for i in 0..250 {
        let name = if i == 249 {
            "A::B".to_owned()
        } else {
            format!("Kod {i}")
        };
        codes.push_str(&format!(
            r#"<Code guid="c0de0000-0000-4000-8000-{i:012x}" name="{name}" isCodable="true">"#
        ));
    }
    codes.push_str(&"</Code>".repeat(250));
    let book =
        format!(r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{codes}</Codes></CodeBook>"#);
    // (Not `unwrap_err`: a tree this deep, printed, would fill the log.)
    let Err(err) = read_qdc(book.as_bytes()) else {
        panic!("a code tree of 251 levels must be refused");
    };
    let err = err.to_string();
    assert_says(&err, &["codebook.qdc", "nested more than 250 levels deep"]);
    // One code whose name alone would nest a million levels: refused, not a stack overflow.
    let name = "x::".repeat(1_000_000);
    let book = format!(
        r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="c0de0000-0000-4000-8000-000000000001" name="{name}y" isCodable="true"/></Codes></CodeBook>"#
    );
    let err = read_qdc(book.as_bytes()).unwrap_err().to_string();
    assert_says(&err, &["nested more than 250 levels deep"]);
    // Within the bound, the names nest and the codebook is written and read back.
    let book = format!(
        r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="c0de0000-0000-4000-8000-000000000001" name="{}y" isCodable="true"/></Codes></CodeBook>"#,
        "x::".repeat(249)
    );
    let read = read_qdc(book.as_bytes()).unwrap();
    let written = fika_qual::write_qdc(&read).unwrap();
    // (The export gives repeated names a unique form; exported again, nothing changes.)
    let again = fika_qual::write_qdc(&read_qdc(written.as_bytes()).unwrap()).unwrap();
    assert_eq!(again, written);
}

#[test]
fn too_many_attributes_on_one_element_are_refused_quickly() {
    // 80,000 attributes on one tag took 38.5 s (release build) with the quadratic
    // duplicate check; refused at the 1,001st, it takes milliseconds. The bound leaves
    // room for a debug build on a loaded machine.
    let mut xml = String::from(r#"<Project xmlns="urn:QDA-XML:project:1.0" name="x""#);
    for i in 0..80_000 {
        xml.push_str(&format!(" a{i}=\"v\""));
    }
    xml.push_str("/>");
    let started = std::time::Instant::now();
    let err = import_qde(&xml);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_says(&err, &["<Project> has more than 1000 attributes"]);
    // A thousand attributes, far more than any REFI-QDA element has, still parse.
    let mut xml = String::from(r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0""#);
    for i in 0..998 {
        xml.push_str(&format!(" a{i}=\"v\""));
    }
    xml.push_str(r#"><Codes><Code guid="aaaa0000-0000-4000-8000-000000000001" name="c" isCodable="true"/></Codes></CodeBook>"#);
    read_qdc(xml.as_bytes()).unwrap();
}

/// Found by fuzzing (fuzz/corpus/qdc/crash_control_character): a character XML 1.0 forbids
/// (here U+001E, raw or as a reference) was read as it was but written as U+FFFD, so a
/// codebook exported and read again differed. It is read as U+FFFD, as it is written.
#[test]
fn characters_xml_forbids_are_read_as_they_are_written() {
    for name in ["Ta den t\u{1e}id", "Ta den t&#x1E;id"] {
        let xml = format!(
            r#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="aaaa0000-0000-4000-8000-000000000001" name="{name}" isCodable="true"><Description>a&#1;b</Description></Code></Codes></CodeBook>"#
        );
        let book = read_qdc(xml.as_bytes()).unwrap();
        assert_eq!(book.codes[0].name, "Ta den t\u{fffd}id");
        assert_eq!(book.codes[0].description.as_deref(), Some("a\u{fffd}b"));
        let again = read_qdc(fika_qual::write_qdc(&book).unwrap().as_bytes()).unwrap();
        assert_eq!((again.codes, again.sets), (book.codes, book.sets));
    }
}

/// Found by fuzzing (fuzz/corpus/qdc/crash_no_codes): a codebook without codes was read,
/// though the schema asks for one and fika cannot write it back. It is refused, saying so.
#[test]
fn a_codebook_without_codes_is_refused() {
    let err = read_qdc(br#"<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>"#)
        .unwrap_err()
        .to_string();
    assert_says(&err, &["<Codes> holds no <Code>", "at least one code"]);
}
