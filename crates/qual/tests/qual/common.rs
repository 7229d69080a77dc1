//! Helpers shared by the tests: readable GUIDs, small projects, zips, and xmllint.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use fika_qual::{Code, Coding, Guid, Project, Selection, TextSource, User};

/// A fixed, readable GUID: `00000000-0000-4000-8000-<n in hex>`.
pub fn guid(n: u64) -> Guid {
    format!("00000000-0000-4000-8000-{n:012x}").parse().unwrap()
}

/// Coder 1 and coder 2 of every test project.
pub const ANNA: u64 = 1;
pub const BJORN: u64 = 2;
pub const CECILIA: u64 = 3;

/// A project with the given texts as sources 101, 102, …, three coders, and codes 201, 202.
pub fn project(texts: &[&str]) -> Project {
    let mut p = Project::new("Test");
    for (n, name) in [(ANNA, "Anna"), (BJORN, "Björn"), (CECILIA, "Cecilia")] {
        p.users.push(User {
            guid: guid(n),
            name: Some(name.into()),
            id: None,
        });
    }
    p.codes.push(Code::new(guid(201), "Café"));
    p.codes.push(Code::new(guid(202), "Tid"));
    for (i, t) in texts.iter().enumerate() {
        p.sources.push(TextSource::new(
            guid(101 + i as u64),
            format!("Intervju {}", i + 1),
            *t,
        ));
    }
    p
}

/// Coder `user` applies `code` to `start..end` of source `source` (0-based index).
pub fn code(p: &mut Project, source: usize, user: u64, code: u64, start: usize, end: usize) {
    let n = p.sources.iter().map(|s| s.selections.len()).sum::<usize>() as u64;
    let sel = Selection {
        modifying_user: None,
        modified: None,
        guid: guid(10_000 + n),
        name: None,
        start,
        end,
        creating_user: Some(guid(user)),
        created: None,
        description: None,
        codings: vec![Coding {
            guid: guid(20_000 + n),
            code: guid(code),
            creating_user: Some(guid(user)),
            created: None,
            notes: vec![],
        }],
        notes: vec![],
    };
    p.sources[source].selections.push(sel);
}

/// A zip holding the given entries.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// Every file of a fixture folder, zipped with paths relative to the folder.
pub fn zip_fixture(name: &str) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    zip_of(&entries)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&path).unwrap()));
        }
    }
}

/// The entries of a zip, by name.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.push((f.name().unwrap().into_owned(), b));
    }
    out.sort();
    out
}

/// Checks `xml` against one of the crate's schemas with xmllint; without xmllint the check
/// is skipped with a line CI looks for.
pub fn assert_valid(schema: &str, xml: &[u8], label: &str) {
    if Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!("SKIPPED: xmllint not found; {label} was not validated against {schema}");
        return;
    }
    let file = temp_file(label, xml);
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(schema);
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema_path)
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "{label} does not validate against {schema}:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn temp_file(label: &str, bytes: &[u8]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("fika-qual-{}-{label}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}
