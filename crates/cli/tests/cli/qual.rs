//! `fika qual`: a qualitative project through the database and back out as REFI-QDA, its
//! agreement figures and excerpts, transcripts added, and bad archives refused — on both
//! backends.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use fika_qual::{
    Code, Coding, Guid, Note, OpaqueSource, Project, Selection, Set, TextSource, User, excerpts,
    write_qdpx,
};
use serde_json::Value;

use crate::{Database, fika, fika_ok};

const INTERVIEW: &str = "Anna: Jag fick jobbet på kaféet 😀 efter tre veckor.\n\
     Coach: Grattis! Hur var stödet från coachen?\n\
     Anna: Bra, vi sågs varje vecka ☕.";

fn guid(n: u64) -> Guid {
    format!("00000000-0000-4000-8000-{n:012x}").parse().unwrap()
}

/// Code points `(start, end)` of the first `needle` in `text`.
fn span(text: &str, needle: &str) -> (usize, usize) {
    let byte = text.find(needle).unwrap();
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// `user` applies `code` to `needle` of the project's first source.
fn code(p: &mut Project, user: u64, code: u64, needle: &str, memo: Option<u64>) {
    let source = &mut p.sources[0];
    let n = source.selections.len() as u64;
    let (start, end) = span(&source.text, needle);
    source.selections.push(Selection {
        modifying_user: None,
        modified: None,
        guid: guid(10_000 + n),
        name: None,
        start,
        end,
        creating_user: Some(guid(user)),
        created: Some("2025-03-01T10:00:00Z".into()),
        description: None,
        codings: vec![Coding {
            guid: guid(20_000 + n),
            code: guid(code),
            creating_user: Some(guid(user)),
            created: None,
            notes: vec![],
        }],
        notes: memo.map(guid).into_iter().collect(),
    });
}

const ANNA: u64 = 1;
const BO: u64 = 2;
const WORK: u64 = 200;
const JOB_SEARCH: u64 = 201;
const FIKA: u64 = 202;
const SUPPORT: u64 = 203;

/// Two coders, a theme with two codes and a code beside it, memos, a set, and a PDF fika
/// keeps without showing it.
fn study() -> Project {
    let mut p = Project::new("Utvärdering IPS 2025");
    p.created = Some("2025-02-01T09:00:00Z".into());
    p.description = Some("Intervjuer med deltagare och coacher".into());
    for (n, name) in [(ANNA, "Anna Berg"), (BO, "Bo Lind")] {
        p.users.push(User {
            guid: guid(n),
            name: Some(name.into()),
            id: None,
        });
    }
    let mut work = Code::new(guid(WORK), "Arbete");
    work.is_codable = false;
    work.color = Some("#336699".into());
    work.children
        .push(Code::new(guid(JOB_SEARCH), "Jobbsökande"));
    let mut fika = Code::new(guid(FIKA), "Fika ☕");
    fika.notes.push(guid(301));
    work.children.push(fika);
    p.codes.push(work);
    let mut support = Code::new(guid(SUPPORT), "Stöd");
    support.description = Some("Coachens stöd".into());
    p.codes.push(support);
    p.notes.push(Note {
        selections: Vec::new(),
        description: None,
        modifying_user: None,
        modified: None,
        guid: guid(301),
        name: Some("Om fika".into()),
        text: "Kaféet är en plats för möten 😀".into(),
        creating_user: Some(guid(ANNA)),
        created: None,
    });
    p.notes.push(Note {
        selections: Vec::new(),
        description: None,
        modifying_user: None,
        modified: None,
        guid: guid(302),
        name: None,
        text: "Tre veckor — snabbt!".into(),
        creating_user: Some(guid(BO)),
        created: None,
    });
    let mut source = TextSource::new(guid(101), "Intervju 1", INTERVIEW);
    source.created = Some("2025-02-02T09:00:00Z".into());
    p.sources.push(source);
    code(&mut p, ANNA, JOB_SEARCH, "Jag fick jobbet", None);
    code(
        &mut p,
        BO,
        JOB_SEARCH,
        "Jag fick jobbet på kaféet",
        Some(302),
    );
    code(&mut p, ANNA, FIKA, "kaféet 😀", None);
    code(&mut p, ANNA, SUPPORT, "stödet från coachen", None);
    code(&mut p, BO, SUPPORT, "Hur var stödet från coachen", None);
    code(&mut p, BO, FIKA, "vi sågs varje vecka ☕", None);
    let pdf = guid(102);
    p.other_sources.push(OpaqueSource {
        guid: guid(102),
        name: Some("Rapport.pdf".into()),
        kind: "PDFSource".into(),
        xml: format!(r#"<PDFSource guid="{pdf}" name="Rapport.pdf" path="internal://{pdf}.pdf"/>"#),
        files: vec![(
            format!("sources/{pdf}.pdf"),
            (0..=255u8).cycle().take(5000).collect(),
        )],
    });
    p.sets.push(Set {
        guid: guid(400),
        name: "Intervjuer med deltagare".into(),
        description: None,
        member_codes: vec![guid(SUPPORT)],
        member_sources: vec![guid(101)],
        member_notes: vec![guid(302)],
    });
    p.project_notes.push(guid(302));
    p
}

fn qdpx_of(p: &Project) -> Vec<u8> {
    write_qdpx(p, Cursor::new(Vec::new()), "2025-04-01T12:00:00Z")
        .unwrap()
        .into_inner()
}

/// Every entry of a zip: name and bytes.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        out.insert(entry.name().unwrap().into_owned(), data);
    }
    out
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// The `project.qde` of an export without what the export itself sets on the `<Project>`
/// element: the time of export (`modifiedDateTime`) and the project's name in fika.
fn without_export_stamps(qde: &[u8]) -> String {
    let text = String::from_utf8(qde.to_vec()).unwrap();
    let start = text.find("<Project ").unwrap();
    let end = start + text[start..].find('>').unwrap();
    let mut head = text[start..end].to_owned();
    for attr in [" name=\"", " modifiedDateTime=\""] {
        let at = head.find(attr).unwrap();
        let close = at + attr.len() + head[at + attr.len()..].find('"').unwrap();
        head.replace_range(at..=close, "");
    }
    format!("{}{head}{}", &text[..start], &text[end..])
}

fn import_export_import_export(db: &Database) {
    let url = db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let path = |name: &str| tmp.path().join(name).display().to_string();
    let project = study();
    std::fs::write(path("in.qdpx"), qdpx_of(&project)).unwrap();

    let out = fika_ok(&["--db", url, "qual", "import-qdpx", &path("in.qdpx")]);
    assert!(
        out.contains("as Q1 \"Utvärdering IPS 2025\": 2 users, 4 codes, 1 text sources, 6 codings, 2 memos, 1 sets"),
        "{out}"
    );
    assert!(out.contains("PDFSource Rapport.pdf"), "{out}");
    fika_ok(&["--db", url, "qual", "export-qdpx", "Q1", &path("one.qdpx")]);
    let again = fika_ok(&[
        "--db",
        url,
        "qual",
        "import-qdpx",
        &path("one.qdpx"),
        "--name",
        "Kopia",
    ]);
    assert!(again.contains("as Q2 \"Kopia\""), "{again}");
    fika_ok(&[
        "--db",
        url,
        "qual",
        "export-qdpx",
        "Kopia",
        &path("two.qdpx"),
    ]);

    let input = unzip(&qdpx_of(&project));
    let one = unzip(&std::fs::read(path("one.qdpx")).unwrap());
    let two = unzip(&std::fs::read(path("two.qdpx")).unwrap());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        input.keys().collect::<Vec<_>>(),
        one.keys().collect::<Vec<_>>()
    );
    for (name, data) in &one {
        if name.starts_with("sources/") {
            assert_eq!(data, &two[name], "{name}");
            assert_eq!(data, &input[name], "{name}");
        }
    }
    let qde = without_export_stamps(&one["project.qde"]);
    assert_eq!(qde, without_export_stamps(&two["project.qde"]));
    assert_eq!(qde, without_export_stamps(&input["project.qde"]));
    // Memos go out as files in sources/, as QualCoder and the other tools read them.
    assert!(qde.contains("Fika ☕"));
    let memo = &one[&format!("sources/{}.txt", guid(301))];
    assert_eq!(memo, "Kaféet är en plats för möten 😀".as_bytes());
    assert!(qde.contains(&format!("plainTextPath=\"internal://{}.txt\"", guid(301))));
    let pdf = format!("sources/{}.pdf", guid(102));
    assert_eq!(one[&pdf], project.other_sources[0].files[0].1);

    // The codebook alone.
    let done = fika_ok(&["--db", url, "qual", "export-qdc", "Q1", &path("codes.qdc")]);
    assert!(done.contains("(4 codes)"), "{done}");
    let codebook = fika_qual::read_qdc(&std::fs::read(path("codes.qdc")).unwrap()).unwrap();
    // A codebook carries no memos.
    let mut codes = project.codes.clone();
    codes[0].children[1].notes.clear();
    assert_eq!(codebook.codes, codes);

    // Agreement: the crate's figures for the same project, on one line.
    let line = fika_ok(&["--db", url, "qual", "agreement", "Q2", "--format", "json"]);
    assert_eq!(line.lines().count(), 1);
    let printed: Value = serde_json::from_str(&line).unwrap();
    let expected = fika_qual::agreement(&project, &[guid(ANNA), guid(BO)]).unwrap();
    // Both sides go through JSON text, so the numbers compare as printed (serde_json's
    // reader may land one ulp off an exact float).
    let expected: Value = serde_json::from_str(&serde_json::to_string(&expected).unwrap()).unwrap();
    assert_eq!(printed, expected);
    assert_eq!(printed["coders"][1]["name"], "Bo Lind");
    let named = fika_ok(&[
        "--db",
        url,
        "qual",
        "agreement",
        "Q2",
        "--coder",
        "Bo Lind",
        "--coder",
        "Anna Berg",
        "--format",
        "json",
    ]);
    let named: Value = serde_json::from_str(&named).unwrap();
    assert_eq!(named["coders"][0]["name"], "Bo Lind");
    assert_eq!(named["overall"]["kappa"], printed["overall"]["kappa"]);
    let table = fika_ok(&["--db", url, "qual", "agreement", "Utvärdering IPS 2025"]);
    assert!(table.contains("Agreement of Anna Berg, Bo Lind"), "{table}");
    assert!(
        table.contains("Jobbsökande") && table.contains("overall"),
        "{table}"
    );

    // Excerpts: the spans coded, as the crate lists them.
    let csv = fika_ok(&[
        "--db",
        url,
        "qual",
        "excerpts",
        "Q1",
        "--code",
        "Arbete",
        "--subcodes",
    ]);
    let expected = excerpts::gather(&project, &guid(WORK), true);
    assert_eq!(csv, excerpts::to_csv(&expected));
    let (start, end) = span(INTERVIEW, "Jag fick jobbet på kaféet");
    assert!(
        csv.contains(&format!(
            "Intervju 1,Jobbsökande,Bo Lind,{start},{end},,Jag fick jobbet på kaféet,Tre veckor — snabbt!\r\n"
        )),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 5, "header and four excerpts: {csv}");
    let only = fika_ok(&["--db", url, "qual", "excerpts", "Q1", "--code", "Arbete"]);
    assert_eq!(only.lines().count(), 1, "Arbete itself has no excerpts");
    let md = fika_ok(&[
        "--db", url, "qual", "excerpts", "Q1", "--code", "Stöd", "--format", "markdown",
    ]);
    assert!(md.starts_with("# Stöd\n\nCoachens stöd\n"), "{md}");
    assert!(md.contains("> Hur var stödet från coachen"), "{md}");
}

#[test]
fn import_export_import_export_sqlite() {
    import_export_import_export(&Database::sqlite());
}

#[test]
fn import_export_import_export_postgres() {
    if let Some(db) = Database::postgres("import_export_import_export_postgres") {
        import_export_import_export(&db);
    }
}

#[test]
fn agreement_of_a_hand_counted_case() {
    // Ten characters; Anna codes 0–4, Bo 2–6. Both: 2, only Anna: 2, only Bo: 2, neither: 4.
    // po = 0.6, pe = 0.4·0.4 + 0.6·0.6 = 0.52, kappa = 0.08 / 0.48 = 1/6.
    // Alpha: n = 20 values, 8 "applied"; o(yes,no) = 4, so 1 − 19·4 / (8·12) = 5/24.
    let mut p = study();
    p.other_sources.clear();
    p.sets.clear();
    p.sources[0].text = "abcdefghij".into();
    p.sources[0].selections.clear();
    code(&mut p, ANNA, SUPPORT, "abcd", None);
    code(&mut p, BO, SUPPORT, "cdef", None);
    let db = Database::sqlite();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("small.qdpx");
    std::fs::write(&file, qdpx_of(&p)).unwrap();
    fika_ok(&[
        "--db",
        &db.url,
        "qual",
        "import-qdpx",
        file.to_str().unwrap(),
    ]);
    let json: Value = serde_json::from_str(&fika_ok(&[
        "--db",
        &db.url,
        "qual",
        "agreement",
        "Q1",
        "--format",
        "json",
    ]))
    .unwrap();
    let close = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-12;
    let support = &json["codes"][0];
    assert_eq!(support["name"], "Stöd");
    assert_eq!(json["codes"].as_array().unwrap().len(), 1);
    for figures in [support, &json["overall"]] {
        assert!(close(&figures["percent_agreement"], 0.6), "{json}");
        assert!(close(&figures["kappa"], 1.0 / 6.0), "{json}");
        assert!(close(&figures["alpha"], 5.0 / 24.0), "{json}");
    }
    assert_eq!(json["total_characters"], 10);
}

/// Runs fika, expects failure with a message containing `says`.
fn fails(args: &[&str], says: &str) {
    let o = fika(args, None);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success(), "fika {args:?} succeeded");
    assert!(stderr.contains(says), "fika {args:?}: {stderr}");
}

fn bad_files_change_nothing(db: &Database) {
    let url = db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    fika_ok(&["--db", url, "qual", "new", "Befintligt"]);
    let list = fika_ok(&["--db", url, "qual", "list"]);
    assert_eq!(list, "Q1     Befintligt\n");

    let good = unzip(&qdpx_of(&study()));
    let qde = String::from_utf8(good["project.qde"].clone()).unwrap();
    let text = &format!("sources/{}.txt", guid(101));
    let pdf = &format!("sources/{}.pdf", guid(102));
    let memo1 = &format!("sources/{}.txt", guid(301));
    let memo2 = &format!("sources/{}.txt", guid(302));
    let with_qde = |qde: &str| {
        zip_of(&[
            ("project.qde", qde.as_bytes()),
            (text, INTERVIEW.as_bytes()),
            (memo1, &good[memo1]),
            (memo2, &good[memo2]),
            (pdf, b"%PDF"),
        ])
    };
    let (start, end) = span(INTERVIEW, "Jag fick jobbet");
    let beyond = qde.replacen(
        &format!("startPosition=\"{start}\" endPosition=\"{end}\""),
        &format!("startPosition=\"{start}\" endPosition=\"9999\""),
        1,
    );
    assert_ne!(beyond, qde);
    let unknown = qde.replacen(
        "targetGUID=\"00000000-0000-4000-8000-0000000000c9\"",
        "targetGUID=\"deadbeef-0000-4000-8000-000000000000\"",
        1,
    );
    assert_ne!(unknown, qde);
    // A zip bomb: an entry whose central header declares 4 GiB.
    let mut bomb = zip_of(&[
        ("project.qde", qde.as_bytes()),
        ("sources/bomb.txt", b"aaaa"),
    ]);
    let central = bomb
        .windows(4)
        .enumerate()
        .filter(|(_, w)| w == b"PK\x01\x02")
        .nth(1)
        .unwrap()
        .0;
    bomb[central + 24..central + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "not-a-zip.qdpx",
            b"<Project/>".to_vec(),
            "not a zip archive",
        ),
        (
            "no-project.qdpx",
            zip_of(&[("readme.txt", b"hej")]),
            "no .qde project file",
        ),
        (
            "broken-xml.qdpx",
            with_qde(&qde.replacen("</Users>", "</Usrs>", 1)),
            "not well-formed XML",
        ),
        ("beyond.qdpx", with_qde(&beyond), "9999"),
        ("unknown.qdpx", with_qde(&unknown), "deadbeef"),
        (
            "escaping.qdpx",
            zip_of(&[("project.qde", qde.as_bytes()), ("../evil.txt", b"x")]),
            "\"../evil.txt\" points outside the archive folder",
        ),
        (
            "bomb.qdpx",
            bomb,
            "beyond the limit of 209715200 bytes (200 MB, at entry \"sources/bomb.txt\"); if you trust the file, import it with a higher limit (fika qual import-qdpx --max-uncompressed-mb)",
        ),
        (
            "missing.qdpx",
            zip_of(&[
                ("project.qde", qde.as_bytes()),
                (memo1, &good[memo1]),
                (memo2, &good[memo2]),
                (pdf, b"%PDF"),
            ]),
            "source file(s) are missing from the archive: \"Intervju 1\"",
        ),
    ];
    for (name, bytes, says) in &cases {
        let file = tmp.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        fails(
            &["--db", url, "qual", "import-qdpx", file.to_str().unwrap()],
            says,
        );
        assert_eq!(fika_ok(&["--db", url, "qual", "list"]), list, "{name}");
    }
    // The limit is an option: an honest 2 MiB source is refused under
    // --max-uncompressed-mb 1, and the project list is unchanged; 0 is no limit to give.
    let large_text = "Anna: ja. ".repeat(210_000);
    let large = tmp.path().join("large.qdpx");
    std::fs::write(
        &large,
        zip_of(&[
            ("project.qde", qde.as_bytes()),
            (text, large_text.as_bytes()),
            (pdf, b"%PDF"),
        ]),
    )
    .unwrap();
    let large = large.to_str().unwrap();
    fails(
        &[
            "--db",
            url,
            "qual",
            "import-qdpx",
            large,
            "--max-uncompressed-mb",
            "1",
        ],
        "beyond the limit of 1048576 bytes (1 MB",
    );
    assert_eq!(fika_ok(&["--db", url, "qual", "list"]), list);
    fails(
        &[
            "--db",
            url,
            "qual",
            "import-qdpx",
            large,
            "--max-uncompressed-mb",
            "0",
        ],
        "--max-uncompressed-mb",
    );
    fails(
        &["--db", url, "qual", "new", "Befintligt"],
        "already a qualitative project named \"Befintligt\"",
    );
    fails(
        &["--db", url, "qual", "new", "Q7"],
        "\"Q7\" looks like a project ID",
    );
    fails(
        &["--db", url, "qual", "export-qdpx", "Q9", "x.qdpx"],
        "there is no qualitative project \"Q9\"",
    );

    // With --allow-missing-sources the rest of the project comes in, and the gap is named.
    let missing = tmp.path().join("missing.qdpx");
    let out = fika_ok(&[
        "--db",
        url,
        "qual",
        "import-qdpx",
        missing.to_str().unwrap(),
        "--allow-missing-sources",
    ]);
    assert!(out.contains("as Q2"), "{out}");
    assert!(
        out.contains("missing from the archive:\n  Intervju 1 (internal://"),
        "{out}"
    );
}

#[test]
fn bad_files_change_nothing_sqlite() {
    bad_files_change_nothing(&Database::sqlite());
}

#[test]
fn bad_files_change_nothing_postgres() {
    if let Some(db) = Database::postgres("bad_files_change_nothing_postgres") {
        bad_files_change_nothing(&db);
    }
}

fn transcripts_become_sources(db: &Database) {
    let url = db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = tmp.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let vtt = write(
        "samtal.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Åsa>Hej! Hur går jobbsökandet? ☕\n\n\
         00:00:05.000 --> 00:00:09.500\n<v Deltagare>Bra, jag har en intervju på fredag 😀\n",
    );
    let srt = write(
        "uppföljning.srt",
        "1\n00:00:01,000 --> 00:00:03,000\nÅsa: Hur gick intervjun?\n\n\
         2\n00:00:04,000 --> 00:00:06,000\nDeltagare: Jag fick jobbet!\n",
    );
    let notes = write("anteckningar.md", "# Besök\n\nVi träffades på kaféet.\n");
    let odd = write("ljud.mp3", "ID3");
    fika_ok(&["--db", url, "qual", "new", "Uppföljning"]);
    fails(
        &["--db", url, "qual", "add-source", "Uppföljning", &vtt, &odd],
        ".txt, .md, .vtt, .srt or .docx",
    );
    let out = fika_ok(&[
        "--db",
        url,
        "qual",
        "add-source",
        "Uppföljning",
        &vtt,
        &srt,
        &notes,
    ]);
    assert!(out.contains("Added 3 source(s) to Q1"), "{out}");
    assert!(out.contains("samtal.vtt: 2 speaker turn(s)"), "{out}");
    fails(
        &["--db", url, "qual", "add-source", "Q1", &srt],
        "already has a source named \"uppföljning.srt\"",
    );

    let file = tmp.path().join("ut.qdpx");
    fika_ok(&[
        "--db",
        url,
        "qual",
        "export-qdpx",
        "Q1",
        file.to_str().unwrap(),
    ]);
    let back = fika_qual::read_qdpx(
        std::fs::File::open(&file).unwrap(),
        &fika_qual::ImportOptions::default(),
    )
    .unwrap()
    .project;
    let names: Vec<&str> = back.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["samtal.vtt", "uppföljning.srt", "anteckningar.md"]);
    assert_eq!(
        back.sources[0].text,
        "Åsa: Hej! Hur går jobbsökandet? ☕\nDeltagare: Bra, jag har en intervju på fredag 😀"
    );
    assert_eq!(
        back.sources[1].text,
        "Åsa: Hur gick intervjun?\nDeltagare: Jag fick jobbet!"
    );
    assert_eq!(back.sources[2].text, "# Besök\n\nVi träffades på kaféet.\n");
}

/// A `.docx` transcript as transcribers deliver it: bold names with a colon.
fn transcript_docx() -> Vec<u8> {
    let document = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\
        <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Åsa:</w:t></w:r><w:r><w:t xml:space=\"preserve\"> Hur var första veckan?</w:t></w:r></w:p>\
        <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Deltagare:</w:t></w:r><w:r><w:t xml:space=\"preserve\"> Lång men bra ☕</w:t></w:r></w:p>\
        </w:body></w:document>";
    zip_of(&[("word/document.xml", document.as_bytes())])
}

/// Word transcripts from the command line, kept as their original; the excerpts document
/// as a .docx, whole or for one code, in English or Swedish.
fn word_in_and_out(db: &Database) {
    let url = db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let path = |name: &str| tmp.path().join(name).display().to_string();
    std::fs::write(path("in.qdpx"), qdpx_of(&study())).unwrap();
    fika_ok(&["--db", url, "qual", "import-qdpx", &path("in.qdpx")]);
    let word = transcript_docx();
    std::fs::write(path("vecka-1.docx"), &word).unwrap();
    std::fs::write(path("trasig.docx"), b"not a zip").unwrap();
    fails(
        &[
            "--db",
            url,
            "qual",
            "add-source",
            "Q1",
            &path("vecka-1.docx"),
            &path("trasig.docx"),
        ],
        "is not a Word document (.docx)",
    );
    let out = fika_ok(&[
        "--db",
        url,
        "qual",
        "add-source",
        "Q1",
        &path("vecka-1.docx"),
    ]);
    assert!(out.contains("vecka-1.docx: 2 speaker turn(s)"), "{out}");
    fika_ok(&["--db", url, "qual", "export-qdpx", "Q1", &path("ut.qdpx")]);
    let back = fika_qual::read_qdpx(
        std::fs::File::open(path("ut.qdpx")).unwrap(),
        &fika_qual::ImportOptions::default(),
    )
    .unwrap()
    .project;
    let s = back
        .sources
        .iter()
        .find(|s| s.name == "vecka-1.docx")
        .unwrap();
    assert_eq!(
        s.text,
        "Åsa: Hur var första veckan?\nDeltagare: Lång men bra ☕"
    );
    assert_eq!(
        s.rich_text.as_ref().unwrap().1,
        word,
        "the original goes with the export"
    );

    // The document of the whole codebook: theme → code, every coder named.
    fails(
        &["--db", url, "qual", "excerpts", "Q1", "--format", "docx"],
        "--out FILE",
    );
    fails(&["--db", url, "qual", "excerpts", "Q1"], "--code");
    let out = fika_ok(&[
        "--db",
        url,
        "qual",
        "excerpts",
        "Q1",
        "--format",
        "docx",
        "--out",
        &path("alla.docx"),
    ]);
    assert!(out.contains("Wrote 6 excerpt(s) of Q1"), "{out}");
    let paragraphs = |file: &str| -> Vec<String> {
        fika_qual::docx::read_paragraphs(&std::fs::read(path(file)).unwrap())
            .unwrap()
            .into_iter()
            .map(|p| p.text)
            .collect()
    };
    let all = paragraphs("alla.docx");
    assert_eq!(
        all[..6],
        [
            "Excerpts by theme",
            "Utvärdering IPS 2025",
            "Arbete",
            "Jobbsökande",
            "Jag fick jobbet",
            "Source: Intervju 1 · Coded by: Anna Berg",
        ],
        "{all:?}"
    );
    assert!(all.contains(&"Stöd".to_owned()) && all.contains(&"Coachens stöd".to_owned()));
    assert!(
        all.contains(&"Memo: Tre veckor — snabbt!".to_owned()),
        "{all:?}"
    );
    // One code, in Swedish.
    fika_ok(&[
        "--db",
        url,
        "qual",
        "excerpts",
        "Q1",
        "--code",
        "Arbete::Fika ☕",
        "--format",
        "docx",
        "--lang",
        "sv",
        "--out",
        &path("fika.docx"),
    ]);
    assert_eq!(
        paragraphs("fika.docx"),
        [
            "Utdrag: Fika ☕",
            "Utvärdering IPS 2025",
            "Fika ☕",
            "kaféet 😀",
            "Källa: Intervju 1 · Kodad av: Anna Berg",
            "vi sågs varje vecka ☕",
            "Källa: Intervju 1 · Kodad av: Bo Lind",
        ]
    );
    // CSV to a file as well.
    fika_ok(&[
        "--db",
        url,
        "qual",
        "excerpts",
        "Q1",
        "--code",
        "Stöd",
        "--out",
        &path("stod.csv"),
    ]);
    let csv = std::fs::read_to_string(path("stod.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
}

#[test]
fn word_in_and_out_sqlite() {
    word_in_and_out(&Database::sqlite());
}

#[test]
fn word_in_and_out_postgres() {
    if let Some(db) = Database::postgres("word_in_and_out_postgres") {
        word_in_and_out(&db);
    }
}

#[test]
fn transcripts_become_sources_sqlite() {
    transcripts_become_sources(&Database::sqlite());
}

#[test]
fn transcripts_become_sources_postgres() {
    if let Some(db) = Database::postgres("transcripts_become_sources_postgres") {
        transcripts_become_sources(&db);
    }
}

#[test]
fn files_are_written_whole_or_not_at_all() {
    let db = Database::sqlite();
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("finns-inte").join("ut.qdpx");
    fika_ok(&["--db", &db.url, "qual", "new", "Tomt"]);
    fails(
        &[
            "--db",
            &db.url,
            "qual",
            "export-qdpx",
            "Tomt",
            target.to_str().unwrap(),
        ],
        "cannot write to",
    );
    assert!(!Path::new(&target).exists());
}

/// Adds a user through `fika user add` (its password from standard input).
fn add_user(url: &str, login: &str, role: &str) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_fika"))
        .args(["--db", url, "user", "add", "--password-stdin"])
        .args(["--name", login, "--role", role])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "a long enough secret").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
}

fn members_are_named_on_the_command_line(db: &Database) {
    let url = db.url.as_str();
    add_user(url, "eva", "evaluator");
    add_user(url, "erik", "evaluator");
    add_user(url, "admin", "admin");
    fails(
        &["--db", url, "qual", "new", "Intervjuer", "--owner", "admin"],
        "not an evaluator",
    );
    fails(
        &[
            "--db",
            url,
            "qual",
            "new",
            "Intervjuer",
            "--owner",
            "nobody",
        ],
        "no user named \"nobody\"",
    );
    // Nothing was created by the refusals.
    assert!(fika_ok(&["--db", url, "qual", "list"]).contains("No qualitative projects"));
    fika_ok(&["--db", url, "qual", "new", "Intervjuer", "--owner", "eva"]);
    let out = fika_ok(&["--db", url, "qual", "add-member", "Intervjuer", "erik"]);
    assert!(out.contains("erik is now a coder of Q1"), "{out}");
    fails(
        &[
            "--db",
            url,
            "qual",
            "add-member",
            "Q1",
            "admin",
            "--role",
            "owner",
        ],
        "not an evaluator",
    );
    let out = fika_ok(&["--db", url, "qual", "members", "Q1"]);
    assert_eq!(out, "owner  eva\ncoder  erik\n");
    let file = tempfile::tempdir().unwrap();
    let qdpx = file.path().join("s.qdpx");
    std::fs::write(&qdpx, qdpx_of(&study())).unwrap();
    fika_ok(&[
        "--db",
        url,
        "qual",
        "import-qdpx",
        qdpx.to_str().unwrap(),
        "--owner",
        "erik",
    ]);
    let out = fika_ok(&["--db", url, "qual", "members", "Q2"]);
    assert_eq!(out, "owner  erik\n");
}

#[test]
fn members_are_named_on_the_command_line_sqlite() {
    members_are_named_on_the_command_line(&Database::sqlite());
}

#[test]
fn members_are_named_on_the_command_line_postgres() {
    if let Some(db) = Database::postgres("members_are_named_on_the_command_line_postgres") {
        members_are_named_on_the_command_line(&db);
    }
}

/// The way back from other tools on the command line: the coder rule chosen at import and
/// the codings it affects, a codebook imported into a project, a codebook export of a
/// project without codes refused, and an import without some source files whose export
/// re-imports.
fn the_way_back(db: &Database) {
    let url = db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let path = |name: &str| tmp.path().join(name).display().to_string();

    // Two codings whose selection names Bo and whose coding names Anna, as NVivo for
    // Windows writes them; the project's creatingUserGUID names nobody, as QualCoder's.
    let mut p = study();
    for sel in p.sources[0].selections.iter_mut().take(2) {
        sel.creating_user = Some(guid(BO));
        sel.codings[0].creating_user = Some(guid(ANNA));
    }
    p.creating_user = Some(guid(999));
    std::fs::write(path("split.qdpx"), qdpx_of(&p)).unwrap();
    let out = fika_ok(&["--db", url, "qual", "import-qdpx", &path("split.qdpx")]);
    assert!(out.contains("as Q1"), "{out}");
    assert!(
        out.contains("Warning: project.qde line 2: <Project creatingUserGUID=\"00000000-0000-4000-8000-0000000003e7\"> names a user the file does not list"),
        "{out}"
    );
    assert!(
        out.contains("2 codings name one coder on their selection and another on the coding; the selection's was taken as the coder. Import again with --coder-from coding to take the coding's."),
        "{out}"
    );
    let out = fika_ok(&[
        "--db",
        url,
        "qual",
        "import-qdpx",
        &path("split.qdpx"),
        "--name",
        "Efter kodning",
        "--coder-from",
        "coding",
    ]);
    assert!(out.contains("the coding's was taken"), "{out}");
    // The choice shows in the figures: by selection Bo coded "Jag fick jobbet" twice and
    // Anna never applied Jobbsökande; by coding it is Anna's twice.
    let kappa = |project: &str| -> Value {
        serde_json::from_str(&fika_ok(&[
            "--db",
            url,
            "qual",
            "agreement",
            project,
            "--format",
            "json",
        ]))
        .unwrap()
    };
    let by_selection = kappa("Q1");
    let by_coding = kappa("Q2");
    let job = |v: &Value| {
        v["codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "Jobbsökande")
            .unwrap()["counts"]
            .clone()
    };
    assert_eq!(job(&by_selection)["only_first"], 0, "{by_selection}");
    assert_eq!(job(&by_coding)["only_second"], 0, "{by_coding}");
    // Both carry the per-source and averaged figures and the codes nobody applied.
    assert!(by_selection["codes"][0]["by_source"][0]["kappa"].is_number());
    assert!(by_selection["codes"][0]["averaged_over_sources"]["percent_agreement"].is_number());
    assert_eq!(by_selection["overall_counts_codes_nobody_applied"], false);
    let table = fika_ok(&["--db", url, "qual", "agreement", "Q1"]);
    assert!(table.contains("kappa (avg.)"), "{table}");

    // A codebook exported from one project adds what another lacks, once.
    fika_ok(&["--db", url, "qual", "new", "Tom"]);
    fails(
        &["--db", url, "qual", "export-qdc", "Tom", &path("tom.qdc")],
        "the project has no codes, and a REFI-QDA codebook (.qdc) must hold at least one",
    );
    assert!(!Path::new(&path("tom.qdc")).exists());
    fika_ok(&["--db", url, "qual", "export-qdc", "Q1", &path("codes.qdc")]);
    let out = fika_ok(&["--db", url, "qual", "import-qdc", "Tom", &path("codes.qdc")]);
    assert!(
        out.contains("4 codes and 1 sets added, 0 codes already there"),
        "{out}"
    );
    let out = fika_ok(&["--db", url, "qual", "import-qdc", "Tom", &path("codes.qdc")]);
    assert!(
        out.contains("0 codes and 0 sets added, 4 codes already there"),
        "{out}"
    );
    fika_ok(&["--db", url, "qual", "export-qdc", "Tom", &path("tom.qdc")]);
    let tom = fika_qual::read_qdc(&std::fs::read(path("tom.qdc")).unwrap()).unwrap();
    assert_eq!(tom.codes[0].name, "Arbete");
    assert_eq!(tom.codes[0].children.len(), 2);
    std::fs::write(path("bad.qdc"), "<CodeBook><Codes>").unwrap();
    fails(
        &["--db", url, "qual", "import-qdc", "Tom", &path("bad.qdc")],
        "bad.qdc was not imported",
    );

    // Without its PDF's file: imported on request, the PDF listed as left out (not as
    // kept), and the export re-imports without the option.
    let good = unzip(&qdpx_of(&study()));
    let qde = good["project.qde"].clone();
    let text_files: Vec<(String, Vec<u8>)> = good
        .iter()
        .filter(|(n, _)| n.starts_with("sources/") && n.ends_with(".txt"))
        .map(|(n, b)| (n.clone(), b.clone()))
        .collect();
    let mut entries: Vec<(&str, &[u8])> = vec![("project.qde", &qde)];
    for (n, b) in &text_files {
        entries.push((n, b));
    }
    std::fs::write(path("no-pdf.qdpx"), zip_of(&entries)).unwrap();
    let out = fika_ok(&[
        "--db",
        url,
        "qual",
        "import-qdpx",
        &path("no-pdf.qdpx"),
        "--name",
        "Utan PDF",
        "--allow-missing-sources",
    ]);
    assert!(
        out.contains("Left out because their files are missing from the archive:\n  Rapport.pdf"),
        "{out}"
    );
    assert!(!out.contains("Kept but not shown"), "{out}");
    fika_ok(&[
        "--db",
        url,
        "qual",
        "export-qdpx",
        "Utan PDF",
        &path("again.qdpx"),
    ]);
    let out = fika_ok(&[
        "--db",
        url,
        "qual",
        "import-qdpx",
        &path("again.qdpx"),
        "--name",
        "Igen",
    ]);
    assert!(out.contains("1 text sources"), "{out}");
}

#[test]
fn the_way_back_sqlite() {
    the_way_back(&Database::sqlite());
}

#[test]
fn the_way_back_postgres() {
    if let Some(db) = Database::postgres("the_way_back_postgres") {
        the_way_back(&db);
    }
}
