//! The model into REFI-QDA files. Output depends only on the project and the export time,
//! so exporting the same project twice gives the same bytes.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{Seek, Write};

use super::archive::ZipOut;
use super::xml::{escape_attr as attr, escape_text as text};
use super::{Codebook, ORIGIN, QdpxError, is_datetime};
use crate::model::{Code, Coding, Guid, Project, Selection, Set};

/// Gives each name a unique form by adding " (2)", " (3)"… to repeats, because several
/// tools identify codes and sources by name on import.
struct UniqueNames(HashSet<String>);

impl UniqueNames {
    fn take(&mut self, name: &str) -> String {
        let mut candidate = name.to_owned();
        let mut n = 2;
        while !self.0.insert(candidate.clone()) {
            candidate = format!("{name} ({n})");
            n += 1;
        }
        candidate
    }
}

/// The file name of a source's text in the archive: the GUID without braces.
fn text_file(guid: &Guid) -> String {
    format!("{}.txt", guid.as_str().trim_matches(['{', '}']))
}

fn opt(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        let _ = write!(out, " {name}=\"{}\"", attr(v));
    }
}

fn indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn description(out: &mut String, depth: usize, d: Option<&str>) {
    if let Some(d) = d {
        indent(out, depth);
        let _ = write!(out, "<Description>{}</Description>", text(d));
    }
}

fn refs(out: &mut String, depth: usize, element: &str, guids: &[Guid]) {
    for g in guids {
        indent(out, depth);
        let _ = write!(out, "<{element} targetGUID=\"{}\"/>", attr(g.as_str()));
    }
}

fn code(out: &mut String, depth: usize, c: &Code, names: &mut UniqueNames, with_notes: bool) {
    indent(out, depth);
    let _ = write!(
        out,
        "<Code guid=\"{}\" name=\"{}\" isCodable=\"{}\"",
        attr(c.guid.as_str()),
        attr(&names.take(&c.name)),
        c.is_codable
    );
    opt(out, "color", c.color.as_deref());
    let has_notes = with_notes && !c.notes.is_empty();
    if c.description.is_none() && !has_notes && c.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    description(out, depth + 1, c.description.as_deref());
    if with_notes {
        refs(out, depth + 1, "NoteRef", &c.notes);
    }
    for child in &c.children {
        code(out, depth + 1, child, names, with_notes);
    }
    indent(out, depth);
    out.push_str("</Code>");
}

fn coding(out: &mut String, depth: usize, c: &Coding) {
    indent(out, depth);
    let _ = write!(out, "<Coding guid=\"{}\"", attr(c.guid.as_str()));
    opt(
        out,
        "creatingUser",
        c.creating_user.as_ref().map(Guid::as_str),
    );
    opt(out, "creationDateTime", c.created.as_deref());
    out.push('>');
    indent(out, depth + 1);
    let _ = write!(out, "<CodeRef targetGUID=\"{}\"/>", attr(c.code.as_str()));
    refs(out, depth + 1, "NoteRef", &c.notes);
    indent(out, depth);
    out.push_str("</Coding>");
}

fn selection(out: &mut String, depth: usize, s: &Selection) {
    indent(out, depth);
    let _ = write!(
        out,
        "<PlainTextSelection guid=\"{}\"",
        attr(s.guid.as_str())
    );
    opt(out, "name", s.name.as_deref());
    let _ = write!(
        out,
        " startPosition=\"{}\" endPosition=\"{}\"",
        s.start, s.end
    );
    opt(
        out,
        "creatingUser",
        s.creating_user.as_ref().map(Guid::as_str),
    );
    opt(out, "creationDateTime", s.created.as_deref());
    opt(
        out,
        "modifyingUser",
        s.modifying_user.as_ref().map(Guid::as_str),
    );
    opt(out, "modifiedDateTime", s.modified.as_deref());
    out.push('>');
    description(out, depth + 1, s.description.as_deref());
    for c in &s.codings {
        coding(out, depth + 1, c);
    }
    refs(out, depth + 1, "NoteRef", &s.notes);
    indent(out, depth);
    out.push_str("</PlainTextSelection>");
}

/// `<Sets>` with each set's name and description; `members` writes its members.
fn sets(out: &mut String, sets: &[Set], members: impl Fn(&mut String, &Set)) {
    if sets.is_empty() {
        return;
    }
    indent(out, 1);
    out.push_str("<Sets>");
    for s in sets {
        indent(out, 2);
        let _ = write!(
            out,
            "<Set guid=\"{}\" name=\"{}\">",
            attr(s.guid.as_str()),
            attr(&s.name)
        );
        description(out, 3, s.description.as_deref());
        members(out, s);
        indent(out, 2);
        out.push_str("</Set>");
    }
    indent(out, 1);
    out.push_str("</Sets>");
}

fn kept(out: &mut String, project: &Project, section: &str) {
    for (name, xml) in &project.kept_sections {
        if name == section {
            indent(out, 1);
            out.push_str(xml);
        }
    }
}

/// The `project.qde` document and the text files it refers to (archive path, text).
/// Writes the `project.qde` document to `w`, passing it on a source at a time so that a
/// large project is never held twice in memory.
fn write_project_xml(
    project: &Project,
    exported_at: &str,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        out,
        "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"{}\" origin=\"{}\"",
        attr(&project.name),
        attr(ORIGIN)
    );
    opt(
        &mut out,
        "creatingUserGUID",
        project.creating_user.as_ref().map(Guid::as_str),
    );
    opt(&mut out, "creationDateTime", project.created.as_deref());
    opt(
        &mut out,
        "modifyingUserGUID",
        project.modifying_user.as_ref().map(Guid::as_str),
    );
    let _ = write!(out, " modifiedDateTime=\"{}\"", attr(exported_at));
    opt(&mut out, "basePath", project.base_path.as_deref());
    out.push('>');

    if !project.users.is_empty() {
        indent(&mut out, 1);
        out.push_str("<Users>");
        for u in &project.users {
            indent(&mut out, 2);
            let _ = write!(out, "<User guid=\"{}\"", attr(u.guid.as_str()));
            opt(&mut out, "name", u.name.as_deref());
            opt(&mut out, "id", u.id.as_deref());
            out.push_str("/>");
        }
        indent(&mut out, 1);
        out.push_str("</Users>");
    }
    if !project.codes.is_empty() {
        indent(&mut out, 1);
        out.push_str("<CodeBook>");
        indent(&mut out, 2);
        out.push_str("<Codes>");
        let mut names = UniqueNames(HashSet::new());
        for c in &project.codes {
            code(&mut out, 3, c, &mut names, true);
        }
        indent(&mut out, 2);
        out.push_str("</Codes>");
        indent(&mut out, 1);
        out.push_str("</CodeBook>");
    }
    kept(&mut out, project, "Variables");
    kept(&mut out, project, "Cases");
    if !project.sources.is_empty() || !project.other_sources.is_empty() {
        indent(&mut out, 1);
        out.push_str("<Sources>");
        let mut names = UniqueNames(
            project
                .other_sources
                .iter()
                .filter_map(|o| o.name.clone())
                .collect(),
        );
        for s in &project.sources {
            let file = text_file(&s.guid);
            indent(&mut out, 2);
            let _ = write!(
                out,
                "<TextSource guid=\"{}\" name=\"{}\" plainTextPath=\"internal://{}\"",
                attr(s.guid.as_str()),
                attr(&names.take(&s.name)),
                attr(&file)
            );
            let rich = s.rich_text.as_ref().map(|(f, _)| format!("internal://{f}"));
            opt(&mut out, "richTextPath", rich.as_deref());
            opt(
                &mut out,
                "creatingUser",
                s.creating_user.as_ref().map(Guid::as_str),
            );
            opt(&mut out, "creationDateTime", s.created.as_deref());
            opt(
                &mut out,
                "modifyingUser",
                s.modifying_user.as_ref().map(Guid::as_str),
            );
            opt(&mut out, "modifiedDateTime", s.modified.as_deref());
            out.push('>');
            description(&mut out, 3, s.description.as_deref());
            for sel in &s.selections {
                selection(&mut out, 3, sel);
            }
            for c in &s.codings {
                coding(&mut out, 3, c);
            }
            refs(&mut out, 3, "NoteRef", &s.notes);
            for v in &s.variable_values_xml {
                indent(&mut out, 3);
                out.push_str(v);
            }
            indent(&mut out, 2);
            out.push_str("</TextSource>");
            if out.len() > 1 << 20 {
                w.write_all(out.as_bytes())?;
                out.clear();
            }
        }
        for o in &project.other_sources {
            indent(&mut out, 2);
            out.push_str(&o.xml);
        }
        indent(&mut out, 1);
        out.push_str("</Sources>");
    }
    if !project.notes.is_empty() {
        indent(&mut out, 1);
        out.push_str("<Notes>");
        for n in &project.notes {
            indent(&mut out, 2);
            let _ = write!(out, "<Note guid=\"{}\"", attr(n.guid.as_str()));
            opt(&mut out, "name", n.name.as_deref());
            opt(
                &mut out,
                "creatingUser",
                n.creating_user.as_ref().map(Guid::as_str),
            );
            opt(&mut out, "creationDateTime", n.created.as_deref());
            opt(
                &mut out,
                "modifyingUser",
                n.modifying_user.as_ref().map(Guid::as_str),
            );
            opt(&mut out, "modifiedDateTime", n.modified.as_deref());
            // The text goes to a file in sources/, as tools write and read notes
            // (QualCoder reads no inline PlainTextContent in a note).
            let _ = write!(
                out,
                " plainTextPath=\"internal://{}\"",
                attr(&text_file(&n.guid))
            );
            if n.description.is_none() && n.selections.is_empty() {
                out.push_str("/>");
                continue;
            }
            out.push('>');
            description(&mut out, 3, n.description.as_deref());
            for sel in &n.selections {
                selection(&mut out, 3, sel);
            }
            indent(&mut out, 2);
            out.push_str("</Note>");
        }
        indent(&mut out, 1);
        out.push_str("</Notes>");
    }
    kept(&mut out, project, "Links");
    sets(&mut out, &project.sets, |out, s| {
        refs(out, 3, "MemberCode", &s.member_codes);
        refs(out, 3, "MemberSource", &s.member_sources);
        refs(out, 3, "MemberNote", &s.member_notes);
    });
    kept(&mut out, project, "Graphs");
    description(&mut out, 1, project.description.as_deref());
    refs(&mut out, 1, "NoteRef", &project.project_notes);
    out.push_str("\n</Project>\n");
    w.write_all(out.as_bytes())
}

/// Writes the project as a `.qdpx` archive. `exported_at` (an `xsd:dateTime`) becomes the
/// project's `modifiedDateTime`; everything else comes from the project, so the same
/// project and time give the same `project.qde`. The project must pass
/// [`Project::validate`]. Returns the writer.
pub fn write_qdpx<W: Write + Seek>(
    project: &Project,
    writer: W,
    exported_at: &str,
) -> Result<W, QdpxError> {
    if !is_datetime(exported_at) {
        return Err(QdpxError::BadTimestamp(exported_at.to_owned()));
    }
    project.validate().map_err(QdpxError::InvalidProject)?;
    let mut zip = ZipOut::new(writer);
    zip.entry("project.qde", |w| {
        write_project_xml(project, exported_at, w)
    })?;
    for s in &project.sources {
        let name = format!("sources/{}", text_file(&s.guid));
        zip.entry(&name, |w| w.write_all(s.text.as_bytes()))?;
        if let Some((file, bytes)) = &s.rich_text {
            zip.entry(&format!("sources/{file}"), |w| w.write_all(bytes))?;
        }
    }
    for n in &project.notes {
        let name = format!("sources/{}", text_file(&n.guid));
        zip.entry(&name, |w| w.write_all(n.text.as_bytes()))?;
    }
    for o in &project.other_sources {
        for (name, bytes) in &o.files {
            zip.entry(name, |w| w.write_all(bytes))?;
        }
    }
    zip.finish()
}

/// Writes the codes and sets of codes as a `.qdc` codebook. A codebook without codes is
/// refused: the codebook schema requires at least one `<Code>`, and an invalid file would
/// be refused by the tool it is meant for.
pub fn write_qdc(codebook: &Codebook) -> Result<String, QdpxError> {
    if codebook.codes.is_empty() {
        return Err(QdpxError::EmptyCodebook);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        out,
        "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"{}\">",
        attr(ORIGIN)
    );
    indent(&mut out, 1);
    out.push_str("<Codes>");
    let mut names = UniqueNames(HashSet::new());
    for c in &codebook.codes {
        code(&mut out, 2, c, &mut names, false);
    }
    indent(&mut out, 1);
    out.push_str("</Codes>");
    // The codebook schema names a member by `guid`, the project schema by `targetGUID`.
    sets(&mut out, &codebook.sets, |out, s| {
        for g in &s.member_codes {
            indent(out, 3);
            let _ = write!(out, "<MemberCode guid=\"{}\"/>", attr(g.as_str()));
        }
    });
    out.push_str("\n</CodeBook>\n");
    Ok(out)
}

impl Codebook {
    /// The codebook of a project: its codes, and its sets reduced to their codes.
    pub fn of_project(project: &Project) -> Self {
        Codebook {
            origin: Some(ORIGIN.to_owned()),
            codes: project.codes.clone(),
            sets: project
                .sets
                .iter()
                .filter(|s| !s.member_codes.is_empty())
                .map(|s| Set {
                    member_sources: Vec::new(),
                    member_notes: Vec::new(),
                    ..s.clone()
                })
                .collect(),
        }
    }
}
