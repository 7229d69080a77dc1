//! Reading projects as real tools write them (hand-written fixtures in tests/fixtures/).

use std::io::Cursor;

use fika_qual::{Guid, ImportOptions, QdpxError, read_qdpx, write_qdpx};

use crate::common::{assert_valid, unzip, zip_fixture};

fn g(s: &str) -> Guid {
    s.parse().unwrap()
}

#[test]
fn capital_sources_folder_other_qde_name_flattened_codes_and_a_pdf() {
    let imported = read_qdpx(
        Cursor::new(zip_fixture("maxqda_style")),
        &ImportOptions::default(),
    )
    .unwrap();
    let p = &imported.project;
    assert_eq!(p.name, "IPS-intervjuer");
    // "Möten::Café" and "Möten::Arbetsplats" become children of a theme "Möten".
    let names: Vec<_> = p.codes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Här och nu", "Möten"]);
    let theme = &p.codes[1];
    assert!(!theme.is_codable);
    let children: Vec<_> = theme
        .children
        .iter()
        .map(|c| (c.name.as_str(), c.color.as_deref()))
        .collect();
    assert_eq!(children, [("Café", Some("#FF8800")), ("Arbetsplats", None)]);
    // The text came from Sources/ (capital S); positions are code points.
    let source = &p.sources[0];
    assert_eq!(source.slice(20, 24), Some("café"));
    assert_eq!(source.selections[1].start, 45);
    // The PDF is kept with its bytes and listed.
    assert_eq!(imported.unsupported_sources.len(), 1);
    assert_eq!(imported.unsupported_sources[0].kind, "PDFSource");
    assert_eq!(
        imported.unsupported_sources[0].name.as_deref(),
        Some("Programbeskrivning")
    );
    let pdf = &p.other_sources[0];
    assert!(pdf.files[0].1.starts_with(b"%PDF"));

    // On export the PDF goes back, file and element, and the result validates.
    let out = write_qdpx(p, Cursor::new(Vec::new()), "2026-11-26T10:00:00Z")
        .unwrap()
        .into_inner();
    let entries = unzip(&out);
    assert!(entries.iter().any(
        |(n, b)| n == "sources/8e4d0a41-2c3b-4d6e-9fa0-1b2c3d4e5f60.pdf" && b.starts_with(b"%PDF")
    ));
    let qde = &entries.iter().find(|(n, _)| n == "project.qde").unwrap().1;
    assert!(String::from_utf8_lossy(qde).contains("<PDFSelection"));
    // So does the rich-text original of the transcript.
    let docx = "7d3c9f30-1b2a-4c5d-8e9f-0a1b2c3d4e5f.docx";
    assert!(String::from_utf8_lossy(qde).contains(&format!("richTextPath=\"internal://{docx}\"")));
    assert!(
        entries
            .iter()
            .any(|(n, b)| *n == format!("sources/{docx}") && b.starts_with(b"PK fake"))
    );
    assert_valid("Project.xsd", qde, "maxqda_style.qde");
}

#[test]
fn inline_text_prefixed_namespace_braced_guids_and_deep_code_paths() {
    let imported = read_qdpx(
        Cursor::new(zip_fixture("inline")),
        &ImportOptions::default(),
    )
    .unwrap();
    let p = &imported.project;
    assert_eq!(p.name, "Inline & nested");
    let source = &p.sources[0];
    assert_eq!(source.slice(10, 13), Some("Åsa"));
    assert_eq!(source.slice(31, 49), Some("Vi ses på torsdag."));
    // "Relation::Från roll till person::Förnamn" lands under the existing "Relation".
    assert_eq!(p.codes.len(), 1);
    let relation = &p.codes[0];
    assert_eq!(
        (relation.name.as_str(), relation.color.as_deref()),
        ("Relation", Some("#336699"))
    );
    let sub = &relation.children[0];
    assert_eq!(sub.name, "Från roll till person");
    assert_eq!(sub.children[0].name, "Förnamn");
    assert_eq!(
        sub.children[0].description.as_deref(),
        Some("Coachen kallas vid förnamn")
    );
    // The coder of a coding without creatingUser is the selection's; braces do not matter.
    let sel = &source.selections[0];
    assert_eq!(
        p.coder_of(sel, &sel.codings[0]),
        Some(&g("11111111-1111-4111-8111-111111111111"))
    );
    assert_eq!(p.notes[0].text, "Förnamn = relation, inte roll.");
    assert_eq!(
        p.sets[0].member_sources,
        vec![g("50000000-0000-4000-8000-000000000001")]
    );
    // Cases are kept and written back.
    assert_eq!(p.kept_sections[0].0, "Cases");
    let out = write_qdpx(p, Cursor::new(Vec::new()), "2026-11-26T10:00:00Z")
        .unwrap()
        .into_inner();
    let entries = unzip(&out);
    let qde = &entries.iter().find(|(n, _)| n == "project.qde").unwrap().1;
    assert!(
        String::from_utf8_lossy(qde)
            .contains("<Case guid=\"ca5e0000-0000-4000-8000-000000000001\"")
    );
    assert_valid("Project.xsd", qde, "inline.qde");
}

#[test]
fn missing_source_files_are_an_error_naming_them() {
    let err = read_qdpx(
        Cursor::new(zip_fixture("missing_source")),
        &ImportOptions::default(),
    )
    .unwrap_err();
    let QdpxError::MissingSources(missing) = &err else {
        panic!("{err}")
    };
    assert_eq!(missing.len(), 1);
    let message = err.to_string();
    assert!(message.contains("\"Intervju 2\""), "{message}");
    assert!(
        message.contains("internal://bbbb0000-0000-4000-8000-000000000002.txt"),
        "{message}"
    );
}

#[test]
fn missing_source_files_can_be_left_out_on_request() {
    let options = ImportOptions {
        allow_missing_sources: true,
        ..ImportOptions::default()
    };
    let imported = read_qdpx(Cursor::new(zip_fixture("missing_source")), &options).unwrap();
    let p = &imported.project;
    assert_eq!(
        imported.missing_sources[0].name.as_deref(),
        Some("Intervju 2")
    );
    assert_eq!(p.sources.len(), 1);
    assert_eq!((p.users.len(), p.codes.len(), p.notes.len()), (1, 1, 1));
    assert_eq!(
        p.sets[0].member_sources.len(),
        1,
        "the set keeps only the source present"
    );
    p.validate().unwrap();
}
