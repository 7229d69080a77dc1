//! The way back from real tools: projects written by hand the way QualCoder, NVivo for
//! Windows and ATLAS.ti write them, read, exported, read again and compared element by
//! element and attribute by attribute. Every export validates against the schema.

use std::io::Cursor;

use fika_qual::{CoderFrom, Guid, ImportOptions, Imported, Project, read_qdpx, write_qdpx};

use crate::common::{assert_valid, unzip, zip_of};

const AT: &str = "2026-12-04T10:00:00Z";

fn g(s: &str) -> Guid {
    s.parse().unwrap()
}

fn import(entries: &[(&str, &[u8])], options: &ImportOptions) -> Imported {
    read_qdpx(Cursor::new(zip_of(entries)), options).unwrap_or_else(|e| panic!("{e}"))
}

fn export(p: &Project) -> Vec<u8> {
    write_qdpx(p, Cursor::new(Vec::new()), AT)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_inner()
}

fn qde_of(archive: &[u8]) -> String {
    let entries = unzip(archive);
    let qde = &entries.iter().find(|(n, _)| n == "project.qde").unwrap().1;
    String::from_utf8(qde.clone()).unwrap()
}

/// Export, check the schema, import again: the project comes back the same, save the
/// `modifiedDateTime` an export stamps on `<Project>`.
fn round_trip(p: &Project, label: &str) -> (Project, Vec<u8>) {
    let out = export(p);
    assert_valid("Project.xsd", qde_of(&out).as_bytes(), label);
    let again = read_qdpx(Cursor::new(&out), &ImportOptions::default())
        .unwrap_or_else(|e| panic!("the export of {label} does not re-import: {e}"));
    // The export names fika as its origin and stamps its own time; nothing else changes.
    let mut expected = p.clone();
    expected.modified = Some(AT.into());
    expected.origin = Some(fika_qual::refi::ORIGIN.into());
    assert_eq!(again.project, expected, "{label}");
    (again.project, out)
}

const QC_USER: &str = "7b1f0a9e-54c2-4d1b-9a0e-3c2b1a000001";
const QC_RANDOM: &str = "e3a0c5d2-9b14-4f7e-8a61-5d2c9b000000";
const QC_SOURCE: &str = "a1000000-54c2-4d1b-9a0e-3c2b1a000001";

/// QualCoder 3: a random `creatingUserGUID` on `<Project>` not among `<Users>`, the text
/// in `sources/`, an annotation as a note holding a `PlainTextSelection`, and a journal
/// whose text is a file in `sources/`.
fn qualcoder() -> Vec<(&'static str, Vec<u8>)> {
    let qde = format!(
        r##"<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="qualcoder_ips" origin="QualCoder-3.5" creatingUserGUID="{QC_RANDOM}" creationDateTime="2026-11-01T09:00:00Z" modifiedDateTime="2026-11-02T09:00:00Z">
<Users>
<User guid="{QC_USER}" name="default"/>
</Users>
<CodeBook>
<Codes>
<Code guid="c0de0001-54c2-4d1b-9a0e-3c2b1a000001" name="Fika" isCodable="true" color="#FF8800"><Description>Möten över kaffe</Description></Code>
</Codes>
</CodeBook>
<Sources>
<TextSource guid="{QC_SOURCE}" name="intervju1.txt" plainTextPath="internal://{QC_SOURCE}.txt" creatingUser="{QC_USER}" creationDateTime="2026-11-01T09:05:00Z">
<PlainTextSelection guid="5e100001-54c2-4d1b-9a0e-3c2b1a000001" name="Vi tog en fika" startPosition="0" endPosition="14" creatingUser="{QC_USER}" creationDateTime="2026-11-01T09:10:00Z">
<Coding guid="c0d10001-54c2-4d1b-9a0e-3c2b1a000001" creatingUser="{QC_USER}" creationDateTime="2026-11-01T09:10:00Z">
<CodeRef targetGUID="c0de0001-54c2-4d1b-9a0e-3c2b1a000001"/>
</Coding>
</PlainTextSelection>
<NoteRef targetGUID="a0000001-54c2-4d1b-9a0e-3c2b1a000001"/>
</TextSource>
</Sources>
<Notes>
<Note guid="a0000001-54c2-4d1b-9a0e-3c2b1a000001" name="Annotation" creatingUser="{QC_USER}" creationDateTime="2026-11-01T09:12:00Z">
<PlainTextContent>Första mötet</PlainTextContent>
<PlainTextSelection guid="5e1a0001-54c2-4d1b-9a0e-3c2b1a000001" startPosition="3" endPosition="14" creatingUser="{QC_USER}" creationDateTime="2026-11-01T09:12:00Z"/>
</Note>
<Note guid="b0000001-54c2-4d1b-9a0e-3c2b1a000001" name="Journal 1" creatingUser="{QC_USER}" creationDateTime="2026-11-01T10:00:00Z" plainTextPath="internal://b0000001-54c2-4d1b-9a0e-3c2b1a000001.txt"/>
</Notes>
</Project>
"##
    );
    vec![
        ("project.qde", qde.into_bytes()),
        (
            "sources/a1000000-54c2-4d1b-9a0e-3c2b1a000001.txt",
            "Vi tog en fika på ett café ☕.".as_bytes().to_vec(),
        ),
        (
            "sources/b0000001-54c2-4d1b-9a0e-3c2b1a000001.txt",
            "Journal: andra intervjun känns 😊.\nRad två."
                .as_bytes()
                .to_vec(),
        ),
    ]
}

fn entries<'a>(v: &'a [(&'static str, Vec<u8>)]) -> Vec<(&'static str, &'a [u8])> {
    v.iter().map(|(n, b)| (*n, b.as_slice())).collect()
}

#[test]
fn qualcoder_projects_import_with_a_warning_and_keep_annotations_and_journals() {
    let files = qualcoder();
    let imported = import(&entries(&files), &ImportOptions::default());
    // The unknown creatingUserGUID is kept, with a warning naming file, line and value.
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    let w = &imported.warnings[0];
    assert!(w.contains("project.qde line 2"), "{w}");
    assert!(w.contains(QC_RANDOM) && w.contains("kept"), "{w}");
    let p = &imported.project;
    assert_eq!(p.creating_user, Some(g(QC_RANDOM)));
    // The annotation keeps its range; the journal its text from the file.
    let annotation = &p.notes[0];
    assert_eq!(annotation.text, "Första mötet");
    assert_eq!(annotation.selections.len(), 1);
    assert_eq!(
        (annotation.selections[0].start, annotation.selections[0].end),
        (3, 14)
    );
    assert_eq!(annotation.selections[0].creating_user, Some(g(QC_USER)));
    let journal = &p.notes[1];
    assert_eq!(journal.text, "Journal: andra intervjun känns 😊.\nRad två.");

    let (again, out) = round_trip(p, "qualcoder.qde");
    // Notes go out as files in sources/, as QualCoder reads them, with no inline text.
    let qde = qde_of(&out);
    assert!(!qde.contains("<PlainTextContent>"), "{qde}");
    assert!(qde.contains(&format!("creatingUserGUID=\"{QC_RANDOM}\"")));
    let files = unzip(&out);
    for note in &again.notes {
        let name = format!("sources/{}.txt", note.guid);
        let (_, bytes) = files.iter().find(|(n, _)| *n == name).unwrap();
        assert_eq!(bytes, note.text.as_bytes());
        assert!(qde.contains(&format!("plainTextPath=\"internal://{}.txt\"", note.guid)));
    }
    assert!(qde.contains(r#"<PlainTextSelection guid="5e1a0001-54c2-4d1b-9a0e-3c2b1a000001" startPosition="3" endPosition="14""#), "{qde}");
}

/// NVivo 12 for Windows: a byte-order mark and CRLF line ends, `basePath`, `modifyingUser`
/// and `modifiedDateTime` on sources and selections, and the coder on the selection while
/// the coding names the project's owner.
fn nvivo_windows() -> Vec<u8> {
    let owner = "{0A1B2C3D-0000-4000-8000-00000000000A}";
    let coder = "{0A1B2C3D-0000-4000-8000-00000000000B}";
    let text = "Intervjuare: Hur började det?\r\nDeltagare: Med en kopp kaffe.\r\n";
    let qde = format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n\
<Project name=\"NVivo-projekt\" origin=\"NVivo 12 (Windows)\" creatingUserGUID=\"{owner}\" creationDateTime=\"2026-10-01T08:00:00Z\" modifyingUserGUID=\"{coder}\" modifiedDateTime=\"2026-10-03T08:00:00Z\" basePath=\"C:\\Users\\anna\\Documents\\IPS\" xmlns=\"urn:QDA-XML:project:1.0\">\r\n\
  <Users>\r\n    <User guid=\"{owner}\" name=\"Anna\" id=\"AN\" />\r\n    <User guid=\"{coder}\" name=\"Björn\" id=\"BJ\" />\r\n  </Users>\r\n\
  <CodeBook>\r\n    <Codes>\r\n      <Code guid=\"{{0C0DE000-0000-4000-8000-000000000001}}\" name=\"Här och nu\" isCodable=\"true\" color=\"#3366CC\" />\r\n    </Codes>\r\n  </CodeBook>\r\n\
  <Sources>\r\n\
    <TextSource guid=\"{{50000000-0000-4000-8000-000000000001}}\" name=\"Intervju 1\" plainTextPath=\"internal://50000000-0000-4000-8000-000000000001.txt\" creatingUser=\"{owner}\" creationDateTime=\"2026-10-01T08:10:00Z\" modifyingUser=\"{coder}\" modifiedDateTime=\"2026-10-02T08:10:00Z\">\r\n\
      <PlainTextSelection guid=\"{{5E100000-0000-4000-8000-000000000001}}\" name=\"kopp kaffe\" startPosition=\"49\" endPosition=\"59\" creatingUser=\"{coder}\" creationDateTime=\"2026-10-02T09:00:00Z\" modifyingUser=\"{coder}\" modifiedDateTime=\"2026-10-02T09:30:00Z\">\r\n\
        <Coding guid=\"{{C0D10000-0000-4000-8000-000000000001}}\" creatingUser=\"{owner}\" creationDateTime=\"2026-10-02T09:00:00Z\">\r\n\
          <CodeRef targetGUID=\"{{0C0DE000-0000-4000-8000-000000000001}}\" />\r\n\
        </Coding>\r\n\
      </PlainTextSelection>\r\n\
    </TextSource>\r\n\
    <PDFSource guid=\"{{9DF00000-0000-4000-8000-000000000001}}\" name=\"Manual\" path=\"relative://Manual.pdf\" />\r\n\
  </Sources>\r\n</Project>\r\n"
    );
    // The text file starts with a byte-order mark too; it is not part of the text.
    let file = format!("\u{feff}{text}");
    zip_of(&[
        ("project.qde", qde.as_bytes()),
        (
            "Sources/50000000-0000-4000-8000-000000000001.txt",
            file.as_bytes(),
        ),
    ])
}

#[test]
fn nvivo_windows_split_coders_base_path_and_modification_attributes_are_kept() {
    let imported = read_qdpx(Cursor::new(nvivo_windows()), &ImportOptions::default()).unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(imported.coder_conflicts, 1);
    let p = &imported.project;
    assert_eq!(
        p.base_path.as_deref(),
        Some("C:\\Users\\anna\\Documents\\IPS")
    );
    let s = &p.sources[0];
    // CRLF kept inside the text; positions count code points of it.
    assert_eq!(s.slice(49, 59), Some("kopp kaffe"));
    assert!(s.text.contains("\r\n"));
    assert_eq!(
        s.modifying_user,
        Some(g("0a1b2c3d-0000-4000-8000-00000000000b"))
    );
    assert_eq!(s.modified.as_deref(), Some("2026-10-02T08:10:00Z"));
    let sel = &s.selections[0];
    assert_eq!(sel.modified.as_deref(), Some("2026-10-02T09:30:00Z"));
    assert!(sel.modifying_user.is_some());
    // By default the selection names the coder: Björn, not the owner on the coding.
    let coder = p.coder_of(sel, &sel.codings[0]).unwrap();
    assert_eq!(p.user(coder).unwrap().name.as_deref(), Some("Björn"));
    // The PDF with a relative path is kept, and basePath with it.
    assert_eq!(imported.unsupported_sources.len(), 1);
    assert!(imported.missing_sources.is_empty());

    let (again, out) = round_trip(p, "nvivo_windows.qde");
    let qde = qde_of(&out);
    assert!(
        qde.contains("basePath=\"C:\\Users\\anna\\Documents\\IPS\""),
        "{qde}"
    );
    assert!(qde.contains("modifiedDateTime=\"2026-10-02T09:30:00Z\""));
    assert_eq!(again.coder_from, CoderFrom::Selection);

    // With --coder-from coding the owner is the coder, and the rule is kept.
    let options = ImportOptions {
        coder_from: CoderFrom::Coding,
        ..ImportOptions::default()
    };
    let by_coding = read_qdpx(Cursor::new(nvivo_windows()), &options).unwrap();
    let p = &by_coding.project;
    let sel = &p.sources[0].selections[0];
    let coder = p.coder_of(sel, &sel.codings[0]).unwrap();
    assert_eq!(p.user(coder).unwrap().name.as_deref(), Some("Anna"));
    assert_eq!(p.coder_from, CoderFrom::Coding);
}

/// ATLAS.ti 23: `Parent::Child` code names, a text source and a picture whose files the
/// archive lacks.
fn atlas_ti() -> Vec<u8> {
    let qde = r#"<?xml version="1.0" encoding="utf-8"?>
<Project name="ATLAS.ti-export" origin="ATLAS.ti 23" xmlns="urn:QDA-XML:project:1.0">
  <Users><User guid="AAAAAAAA-0000-4000-8000-000000000001" name="Kodare"/></Users>
  <CodeBook><Codes>
    <Code guid="C0000000-0000-4000-8000-000000000001" name="Relationer::Förnamn" isCodable="true"/>
    <Code guid="C0000000-0000-4000-8000-000000000002" name="Relationer::Tid" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="50000000-0000-4000-8000-000000000001" name="Intervju 1" plainTextPath="internal://50000000-0000-4000-8000-000000000001.txt">
      <PlainTextSelection guid="5E000000-0000-4000-8000-000000000001" startPosition="0" endPosition="4" creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
        <Coding guid="CD000000-0000-4000-8000-000000000001" creatingUser="AAAAAAAA-0000-4000-8000-000000000001"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="50000000-0000-4000-8000-000000000002" name="Intervju 2" plainTextPath="internal://50000000-0000-4000-8000-000000000002.txt"/>
    <PictureSource guid="90000000-0000-4000-8000-000000000001" name="Foto" path="internal://90000000-0000-4000-8000-000000000001.jpg"/>
    <PDFSource guid="90000000-0000-4000-8000-000000000002" name="Broschyr" path="internal://90000000-0000-4000-8000-000000000002.pdf"/>
  </Sources>
  <Sets><Set guid="5E700000-0000-4000-8000-000000000001" name="Alla"><MemberSource targetGUID="90000000-0000-4000-8000-000000000001"/><MemberSource targetGUID="50000000-0000-4000-8000-000000000001"/></Set></Sets>
</Project>"#;
    zip_of(&[
        ("project.qde", qde.as_bytes()),
        (
            "sources/50000000-0000-4000-8000-000000000001.txt",
            "Anna sa hej.".as_bytes(),
        ),
        (
            "sources/90000000-0000-4000-8000-000000000002.pdf",
            b"%PDF-1.4 broschyr",
        ),
    ])
}

#[test]
fn atlas_ti_with_missing_files_imports_on_request_and_its_export_re_imports() {
    let options = ImportOptions {
        allow_missing_sources: true,
        ..ImportOptions::default()
    };
    let imported = read_qdpx(Cursor::new(atlas_ti()), &options).unwrap();
    // Left out: the text source and the picture whose files are absent. Kept: the PDF.
    let missing: Vec<&str> = imported
        .missing_sources
        .iter()
        .map(|m| m.name.as_deref().unwrap())
        .collect();
    assert_eq!(missing, ["Intervju 2", "Foto"]);
    let kept: Vec<&str> = imported
        .unsupported_sources
        .iter()
        .map(|m| m.name.as_deref().unwrap())
        .collect();
    assert_eq!(kept, ["Broschyr"]);
    let p = &imported.project;
    assert_eq!(p.codes.len(), 1);
    assert_eq!(p.codes[0].name, "Relationer");
    assert_eq!(p.codes[0].children.len(), 2);
    assert_eq!(
        p.sets[0].member_sources,
        [g("50000000-0000-4000-8000-000000000001")]
    );
    // The export holds every file it names, so it re-imports without the option.
    round_trip(p, "atlas_ti.qde");
}
