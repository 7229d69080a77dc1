//! REFI-QDA files into the model, checking the schema rules the model relies on (required
//! elements and attributes, GUID format, positions) and that every GUID referred to exists.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};

use super::archive::Archive;
use super::xml::{self, Element, ParseError};
use super::{
    Codebook, ImportOptions, Imported, MissingSource, QdpxError, UnsupportedSource, is_datetime,
};
use crate::model::{
    Code, Coding, Guid, Note, OpaqueSource, Project, Selection, Set, TextSource, User, is_rgb,
};

/// What kind of thing a GUID names, for reference checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Code,
    Source,
    Note,
    Selection,
    Other,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Code => "code",
            Kind::Source => "source",
            Kind::Note => "note",
            Kind::Selection => "selection",
            Kind::Other => "element",
        }
    }
}

/// Reads one XML file, remembering its name for messages.
struct Reader<'a> {
    file: &'a str,
    /// Every GUID declared, with what it names.
    /// (By 128-bit value: a large project declares and refers to about a million.)
    declared: HashMap<u128, (Kind, usize)>,
    /// Every GUID referred to: target, expected kind, line, referring element.
    references: Vec<(u128, Kind, usize, &'static str)>,
    /// References to users in attributes that only say who made or changed something:
    /// target, line, element and attribute. An unknown one is kept with a warning.
    soft_references: Vec<(u128, usize, String, &'static str)>,
}

impl<'a> Reader<'a> {
    fn new(file: &'a str) -> Self {
        Reader {
            file,
            declared: HashMap::new(),
            references: Vec::new(),
            soft_references: Vec::new(),
        }
    }

    fn invalid(&self, line: usize, message: impl Into<String>) -> QdpxError {
        QdpxError::Invalid {
            file: self.file.to_owned(),
            line,
            message: message.into(),
        }
    }

    fn required<'e>(&self, el: &'e Element, attr: &str) -> Result<&'e str, QdpxError> {
        el.attr(attr).ok_or_else(|| {
            self.invalid(
                el.line,
                format!("<{}> lacks the required attribute \"{attr}\"; the file does not follow REFI-QDA", el.name),
            )
        })
    }

    fn guid_value(&self, el: &Element, attr: &str, value: &str) -> Result<Guid, QdpxError> {
        Guid::parse(value.trim()).ok_or_else(|| {
            self.invalid(
                el.line,
                format!(
                    "<{} {attr}=\"{value}\"> is not a GUID (expected 8-4-4-4-12 hex digits); the file does not follow REFI-QDA",
                    el.name
                ),
            )
        })
    }

    /// Declares the element's own `guid`, refusing duplicates.
    fn declare(&mut self, el: &Element, kind: Kind) -> Result<Guid, QdpxError> {
        let value = self.required(el, "guid")?;
        let guid = self.guid_value(el, "guid", value)?;
        if let Some((_, line)) = self.declared.insert(guid.value(), (kind, el.line)) {
            return Err(self.invalid(
                el.line,
                format!("<{}> uses GUID {guid}, which the element at line {line} also uses; GUIDs must be unique", el.name),
            ));
        }
        Ok(guid)
    }

    /// An optional GUID attribute that refers to something of `kind`.
    fn reference(
        &mut self,
        el: &Element,
        attr: &str,
        kind: Kind,
    ) -> Result<Option<Guid>, QdpxError> {
        match el.attr(attr) {
            Some(_) => self.required_reference(el, attr, kind).map(Some),
            None => Ok(None),
        }
    }

    fn required_reference(
        &mut self,
        el: &Element,
        attr: &str,
        kind: Kind,
    ) -> Result<Guid, QdpxError> {
        let value = self.required(el, attr)?;
        let guid = self.guid_value(el, attr, value)?;
        self.references
            .push((guid.value(), kind, el.line, element_name(&el.name)));
        Ok(guid)
    }

    /// A user in an attribute that only says who made or changed something
    /// (`creatingUserGUID` on the project, `modifyingUser` anywhere): it must be a GUID,
    /// but a user the file does not hold is kept with a warning, not refused (QualCoder
    /// writes a random `creatingUserGUID` on `<Project>`).
    fn soft_user(&mut self, el: &Element, attr: &'static str) -> Result<Option<Guid>, QdpxError> {
        let Some(value) = el.attr(attr) else {
            return Ok(None);
        };
        let guid = self.guid_value(el, attr, value)?;
        self.soft_references
            .push((guid.value(), el.line, el.name.to_string(), attr));
        Ok(Some(guid))
    }

    /// Warnings for soft user references the file does not resolve.
    fn soft_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (value, line, element, attr) in &self.soft_references {
            if !matches!(self.declared.get(value), Some((Kind::User, _))) {
                out.push(format!(
                    "{} line {line}: <{element} {attr}=\"{}\"> names a user the file does not list among its <Users>; the value is kept as it is",
                    self.file,
                    uuid::Uuid::from_u128(*value).hyphenated()
                ));
            }
        }
        out
    }

    fn datetime(&self, el: &Element, attr: &str) -> Result<Option<String>, QdpxError> {
        match el.attr(attr) {
            Some(v) if is_datetime(v.trim()) => Ok(Some(v.trim().to_owned())),
            Some(v) => Err(self.invalid(
                el.line,
                format!(
                    "<{} {attr}=\"{v}\"> is not a date and time such as 2024-05-01T10:00:00Z",
                    el.name
                ),
            )),
            None => Ok(None),
        }
    }

    fn position(&self, el: &Element, attr: &str) -> Result<usize, QdpxError> {
        let value = self.required(el, attr)?;
        value
            .trim()
            .trim_start_matches('+')
            .parse::<usize>()
            .map_err(|_| {
                self.invalid(
                    el.line,
                    format!(
                        "<{} {attr}=\"{value}\"> is not a position (a whole number from 0)",
                        el.name
                    ),
                )
            })
    }

    fn note_refs(&mut self, el: &Element, child: &str) -> Result<Vec<Guid>, QdpxError> {
        let mut out = Vec::new();
        for r in el.children_named(child) {
            out.push(self.required_reference(r, "targetGUID", Kind::Note)?);
        }
        Ok(out)
    }

    fn code(&mut self, el: &Element) -> Result<Code, QdpxError> {
        let guid = self.declare(el, Kind::Code)?;
        let name = self.required(el, "name")?.to_owned();
        let is_codable = match self.required(el, "isCodable")?.trim() {
            "true" | "1" => true,
            "false" | "0" => false,
            other => {
                return Err(self.invalid(
                    el.line,
                    format!("<Code isCodable=\"{other}\"> must be true or false"),
                ));
            }
        };
        let color = match el.attr("color").map(str::trim) {
            Some(c) if is_rgb(c) => Some(c.to_owned()),
            Some(c) => {
                return Err(self.invalid(
                    el.line,
                    format!("<Code color=\"{c}\"> is not a colour such as #33aa55"),
                ));
            }
            None => None,
        };
        let mut children = Vec::new();
        for c in el.children_named("Code") {
            children.push(self.code(c)?);
        }
        Ok(Code {
            guid,
            name,
            is_codable,
            color,
            description: el.child("Description").map(|d| d.text.clone()),
            notes: self.note_refs(el, "NoteRef")?,
            children: nest_codes(children).map_err(|m| self.invalid(el.line, m))?,
        })
    }

    fn coding(&mut self, el: &Element) -> Result<Coding, QdpxError> {
        let guid = self.declare(el, Kind::Other)?;
        let code_ref = el.child("CodeRef").ok_or_else(|| {
            self.invalid(
                el.line,
                "<Coding> lacks its <CodeRef>; the file does not follow REFI-QDA",
            )
        })?;
        Ok(Coding {
            guid,
            code: self.required_reference(code_ref, "targetGUID", Kind::Code)?,
            creating_user: self.reference(el, "creatingUser", Kind::User)?,
            created: self.datetime(el, "creationDateTime")?,
            notes: self.note_refs(el, "NoteRef")?,
        })
    }

    fn codings(&mut self, el: &Element) -> Result<Vec<Coding>, QdpxError> {
        el.children_named("Coding")
            .map(|c| self.coding(c))
            .collect()
    }

    /// A `PlainTextSelection`; `len` is the length of the text it selects in, when known.
    fn selection(
        &mut self,
        el: &Element,
        source: &str,
        len: Option<usize>,
    ) -> Result<Selection, QdpxError> {
        let guid = self.declare(el, Kind::Selection)?;
        let start = self.position(el, "startPosition")?;
        let end = self.position(el, "endPosition")?;
        if start > end {
            return Err(self.invalid(
                el.line,
                format!(
                    "selection {guid} in source \"{source}\" starts at {start}, after its end {end}; the start must not come after the end"
                ),
            ));
        }
        if let Some(len) = len
            && end > len
        {
            return Err(self.invalid(
                el.line,
                format!(
                    "selection {guid} in source \"{source}\" ends at {end}, beyond the end of the text ({len} characters); the source text may not be the one that was coded"
                ),
            ));
        }
        Ok(Selection {
            modifying_user: self.soft_user(el, "modifyingUser")?,
            modified: self.datetime(el, "modifiedDateTime")?,
            guid,
            name: el.attr("name").map(str::to_owned),
            start,
            end,
            creating_user: self.reference(el, "creatingUser", Kind::User)?,
            created: self.datetime(el, "creationDateTime")?,
            description: el.child("Description").map(|d| d.text.clone()),
            codings: self.codings(el)?,
            notes: self.note_refs(el, "NoteRef")?,
        })
    }

    /// A set. Members are `targetGUID` references in a project and `guid` in a codebook
    /// (which holds only member codes); both spellings are read.
    fn set(&mut self, el: &Element) -> Result<Set, QdpxError> {
        let members = |r: &mut Self, child: &str, kind: Kind| -> Result<Vec<Guid>, QdpxError> {
            let mut out = Vec::new();
            for m in el.children_named(child) {
                let attr = if m.attr("guid").is_some() {
                    "guid"
                } else {
                    "targetGUID"
                };
                out.push(r.required_reference(m, attr, kind)?);
            }
            Ok(out)
        };
        Ok(Set {
            guid: self.declare(el, Kind::Other)?,
            name: self.required(el, "name")?.to_owned(),
            description: el.child("Description").map(|d| d.text.clone()),
            member_codes: members(self, "MemberCode", Kind::Code)?,
            member_sources: members(self, "MemberSource", Kind::Source)?,
            member_notes: members(self, "MemberNote", Kind::Note)?,
        })
    }

    /// Checks every reference against the declared GUIDs; references to `skipped` GUIDs
    /// (sources left out) are allowed.
    fn check_references(&self, skipped: &HashSet<u128>) -> Result<(), QdpxError> {
        for (value, kind, line, by) in &self.references {
            let guid = uuid::Uuid::from_u128(*value).hyphenated();
            match self.declared.get(value).map(|(k, _)| k) {
                Some(k) if k == kind || (*kind == Kind::Source && *k == Kind::Other) => {}
                _ if skipped.contains(value) => {}
                Some(k) => {
                    return Err(self.invalid(
                        *line,
                        format!(
                            "<{by}> refers to {guid} as a {}, but that GUID is a {}",
                            kind.word(),
                            k.word()
                        ),
                    ));
                }
                None => {
                    return Err(self.invalid(
                        *line,
                        format!(
                            "<{by}> refers to {} {guid}, which the file does not contain; the file is incomplete — export it again",
                            kind.word()
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn element_name(name: &str) -> &'static str {
    // The names references appear on; a static str keeps the reference list small.
    match name {
        "CodeRef" => "CodeRef",
        "NoteRef" => "NoteRef",
        "MemberCode" => "MemberCode",
        "MemberSource" => "MemberSource",
        "MemberNote" => "MemberNote",
        "Coding" => "Coding",
        "PlainTextSelection" => "PlainTextSelection",
        "TextSource" => "TextSource",
        "Note" => "Note",
        "Project" => "Project",
        _ => "element",
    }
}

/// The deepest code tree read: far deeper than any real codebook, and shallow enough that
/// the tree written again stays within the XML reader's bound (`xml::MAX_DEPTH`, with the
/// elements around and inside the codes).
pub(crate) const MAX_CODE_DEPTH: usize = 250;

/// Codes named `Parent::Child` (how some tools flatten a hierarchy) become `Child` inside
/// `Parent`, creating a non-codable theme for a parent the codebook lacks. A tree deeper than
/// [`MAX_CODE_DEPTH`] is refused: the names alone could otherwise nest codes without bound.
fn nest_codes(codes: Vec<Code>) -> Result<Vec<Code>, String> {
    let too_deep = || {
        format!(
            "the codes are nested more than {MAX_CODE_DEPTH} levels deep (counting the levels that names such as Parent::Child make); no codebook needs that many, so the file was not read"
        )
    };
    let (flat, plain): (Vec<Code>, Vec<Code>) =
        codes.into_iter().partition(|c| c.name.contains("::"));
    let mut out = plain;
    for mut code in flat {
        if code.name.matches("::").count() >= MAX_CODE_DEPTH {
            return Err(too_deep());
        }
        let mut path: Vec<String> = code.name.split("::").map(|p| p.trim().to_owned()).collect();
        code.name = path.pop().unwrap_or_default();
        let mut level = &mut out;
        for part in path {
            let i = match level.iter().position(|c| c.name == part) {
                Some(i) => i,
                None => {
                    let mut theme = Code::new(Guid::new_v4(), part);
                    theme.is_codable = false;
                    level.push(theme);
                    level.len() - 1
                }
            };
            level = &mut level[i].children;
        }
        level.push(code);
    }
    // Each code's own children were bounded when it was read, and no name adds more than
    // the bound: the height is found within twice the bound.
    if out.iter().any(|c| height(c) > MAX_CODE_DEPTH) {
        return Err(too_deep());
    }
    Ok(out)
}

/// The levels of a code tree, the code's own included.
fn height(code: &Code) -> usize {
    1 + code.children.iter().map(height).max().unwrap_or(0)
}

/// Where a source's text or file lives in the archive: `internal://x` → `sources/x`.
fn internal_name(path: &str) -> Option<&str> {
    path.strip_prefix("internal://")
}

/// The archive entry for an `internal://` file, in `sources/` or `Sources/`.
fn locate<R: Read + Seek>(archive: &Archive<R>, path: &str) -> Option<String> {
    let file = internal_name(path)?;
    archive.find(&format!("sources/{file}"))
}

fn utf8(bytes: Vec<u8>, file: &str) -> Result<String, QdpxError> {
    let mut text = String::from_utf8(bytes).map_err(|e| QdpxError::Invalid {
        file: file.to_owned(),
        line: 1,
        message: format!(
            "the file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ),
    })?;
    // A byte-order mark is not part of the text: positions count from the first character.
    if text.starts_with('\u{feff}') {
        text.remove(0);
    }
    Ok(text)
}

/// Reads a `.qdpx` archive into a project. Nothing is returned unless the whole archive is
/// sound; with `allow_missing_sources`, sources whose files are absent are left out and
/// listed.
pub fn read_qdpx<R: Read + Seek>(
    reader: R,
    options: &ImportOptions,
) -> Result<Imported, QdpxError> {
    let mut archive = Archive::open(reader, options.max_uncompressed_bytes)?;
    let names = archive.names();
    let roots: Vec<&String> = names
        .iter()
        .filter(|n| !n.contains('/') && n.to_ascii_lowercase().ends_with(".qde"))
        .collect();
    let qde = match roots.as_slice() {
        [] => {
            let mut listed: Vec<&str> = names.iter().map(String::as_str).take(10).collect();
            if names.len() > 10 {
                listed.push("…");
            }
            return Err(QdpxError::NoProjectFile {
                entries: if listed.is_empty() {
                    "none".into()
                } else {
                    listed.join(", ")
                },
            });
        }
        [one] => (*one).clone(),
        many => match many.iter().find(|n| n.eq_ignore_ascii_case("project.qde")) {
            Some(n) => (*n).clone(),
            None => {
                return Err(QdpxError::SeveralProjectFiles {
                    names: many
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        },
    };
    let text = utf8(archive.read(&qde)?, &qde)?;
    let mut r = Reader::new(&qde);
    let mut sources = SourcesRead::default();
    let handler = |el: Element| read_source(&mut r, &el, &mut archive, &mut sources);
    let root = xml::parse_streaming(&text, Some(handler)).map_err(|e| match e {
        ParseError::Xml(e) => QdpxError::Xml {
            file: qde.clone(),
            line: e.line,
            message: e.message,
        },
        ParseError::Handler(e) => e,
    })?;
    drop(text);
    read_project(r, &root, &mut archive, options, sources)
}

fn read_project<R: Read + Seek>(
    mut r: Reader<'_>,
    root: &Element,
    archive: &mut Archive<R>,
    options: &ImportOptions,
    sources: SourcesRead,
) -> Result<Imported, QdpxError> {
    if root.name != "Project" {
        return Err(r.invalid(
            root.line,
            format!(
                "the root element is <{}>, not <Project>; this is not a REFI-QDA project file",
                root.name
            ),
        ));
    }
    let mut project = Project::new(r.required(root, "name")?);
    project.origin = root.attr("origin").map(str::to_owned);
    project.creating_user = r.soft_user(root, "creatingUserGUID")?;
    project.created = r.datetime(root, "creationDateTime")?;
    project.modifying_user = r.soft_user(root, "modifyingUserGUID")?;
    project.modified = r.datetime(root, "modifiedDateTime")?;
    project.base_path = root.attr("basePath").map(str::to_owned);
    project.coder_from = options.coder_from;
    project.description = root.child("Description").map(|d| d.text.clone());

    for u in root
        .child("Users")
        .into_iter()
        .flat_map(|us| us.children_named("User"))
    {
        project.users.push(User {
            guid: r.declare(u, Kind::User)?,
            name: u.attr("name").map(str::to_owned),
            id: u.attr("id").map(str::to_owned),
        });
    }
    if let Some(book) = root.child("CodeBook") {
        let codes = book
            .child("Codes")
            .ok_or_else(|| r.invalid(book.line, "<CodeBook> lacks its <Codes>"))?;
        let mut list = Vec::new();
        for c in codes.children_named("Code") {
            list.push(r.code(c)?);
        }
        project.codes = nest_codes(list).map_err(|m| r.invalid(codes.line, m))?;
    }

    let SourcesRead {
        sources,
        other_sources,
        missing,
        skipped,
    } = sources;
    project.sources = sources;
    project.other_sources = other_sources;
    let mut unsupported = Vec::new();
    for o in &project.other_sources {
        unsupported.push(UnsupportedSource {
            guid: o.guid.clone(),
            name: o.name.clone(),
            kind: o.kind.clone(),
        });
    }
    if !missing.is_empty() && !options.allow_missing_sources {
        return Err(QdpxError::MissingSources(missing));
    }
    for n in root
        .child("Notes")
        .into_iter()
        .flat_map(|ns| ns.children_named("Note"))
    {
        project.notes.push(note(&mut r, n, archive)?);
    }
    for s in root
        .child("Sets")
        .into_iter()
        .flat_map(|ss| ss.children_named("Set"))
    {
        let mut set = r.set(s)?;
        set.member_sources.retain(|g| !skipped.contains(&g.value()));
        project.sets.push(set);
    }
    project.project_notes = r.note_refs(root, "NoteRef")?;
    for name in ["Variables", "Cases", "Links", "Graphs"] {
        if let Some(el) = root.child(name) {
            let mut out = String::new();
            el.write_to(&mut out);
            project.kept_sections.push((name.to_owned(), out));
        }
    }

    r.check_references(&skipped)?;
    let coder_conflicts = project
        .sources
        .iter()
        .flat_map(|s| &s.selections)
        .map(|sel| sel.codings.iter().filter(|c| sel.coders_differ(c)).count())
        .sum();
    Ok(Imported {
        warnings: r.soft_warnings(),
        project,
        missing_sources: missing,
        unsupported_sources: unsupported,
        coder_conflicts,
    })
}

/// The sources of a project, read one by one while the file is parsed.
#[derive(Default)]
struct SourcesRead {
    sources: Vec<TextSource>,
    other_sources: Vec<OpaqueSource>,
    missing: Vec<MissingSource>,
    /// Sources left out because their files are missing, by GUID value.
    skipped: HashSet<u128>,
}

/// Reads one child of `<Sources>`.
fn read_source<R: Read + Seek>(
    r: &mut Reader<'_>,
    el: &Element,
    archive: &mut Archive<R>,
    acc: &mut SourcesRead,
) -> Result<(), QdpxError> {
    match el.name.as_ref() {
        "TextSource" => {
            let content = el.child("PlainTextContent").map(|c| c.text.clone());
            let path = el.attr("plainTextPath");
            let text = match (content, path) {
                (Some(text), _) => Some(text),
                (None, Some(path)) => match locate(archive, path) {
                    Some(entry) => Some(utf8(archive.read(&entry)?, &entry)?),
                    None => {
                        let guid = r.declare(el, Kind::Source)?;
                        acc.skipped.insert(guid.value());
                        acc.missing.push(MissingSource {
                            guid,
                            name: el.attr("name").map(str::to_owned),
                            path: path.to_owned(),
                        });
                        return Ok(());
                    }
                },
                (None, None) => None,
            };
            match text {
                Some(text) => {
                    let mut source = text_source(r, el, text)?;
                    // The original document comes along when the archive holds it.
                    if let Some(path) = el.attr("richTextPath")
                        && let Some(entry) = locate(archive, path)
                    {
                        let file = internal_name(path).unwrap_or(path).to_owned();
                        source.rich_text = Some((file, archive.read(&entry)?));
                    }
                    acc.sources.push(source);
                }
                // Only a rich-text original (e.g. .docx): kept, not shown.
                None => opaque(r, el, archive, acc)?,
            }
        }
        "PDFSource" | "PictureSource" | "AudioSource" | "VideoSource" => {
            opaque(r, el, archive, acc)?;
        }
        other => {
            return Err(r.invalid(
                el.line,
                format!("<Sources> holds an unknown element <{other}>"),
            ));
        }
    }
    Ok(())
}

fn text_source(r: &mut Reader<'_>, el: &Element, text: String) -> Result<TextSource, QdpxError> {
    let guid = r.declare(el, Kind::Source)?;
    let name = el
        .attr("name")
        .map_or_else(|| guid.to_string(), str::to_owned);
    let len = text.chars().count();
    let mut selections = Vec::new();
    for s in el.children_named("PlainTextSelection") {
        selections.push(r.selection(s, &name, Some(len))?);
    }
    let mut source = TextSource::new(guid, name, text);
    source.description = el.child("Description").map(|d| d.text.clone());
    source.creating_user = r.reference(el, "creatingUser", Kind::User)?;
    source.created = r.datetime(el, "creationDateTime")?;
    source.modifying_user = r.soft_user(el, "modifyingUser")?;
    source.modified = r.datetime(el, "modifiedDateTime")?;
    source.selections = selections;
    source.codings = r.codings(el)?;
    source.notes = r.note_refs(el, "NoteRef")?;
    for v in el.children_named("VariableValue") {
        let mut out = String::new();
        v.write_to(&mut out);
        source.variable_values_xml.push(out);
    }
    Ok(source)
}

fn note<R: Read + Seek>(
    r: &mut Reader<'_>,
    el: &Element,
    archive: &mut Archive<R>,
) -> Result<Note, QdpxError> {
    let guid = r.declare(el, Kind::Note)?;
    let text = match (el.child("PlainTextContent"), el.attr("plainTextPath")) {
        (Some(c), _) => c.text.clone(),
        (None, Some(path)) => match locate(archive, path) {
            Some(entry) => utf8(archive.read(&entry)?, &entry)?,
            None => {
                return Err(r.invalid(
                    el.line,
                    format!(
                        "note {guid} keeps its text in {path}, which the archive does not hold"
                    ),
                ));
            }
        },
        (None, None) => String::new(),
    };
    let mut selections = Vec::new();
    for s in el.children_named("PlainTextSelection") {
        selections.push(r.selection(s, &format!("note {guid}"), None)?);
    }
    Ok(Note {
        selections,
        description: el.child("Description").map(|d| d.text.clone()),
        modifying_user: r.soft_user(el, "modifyingUser")?,
        modified: r.datetime(el, "modifiedDateTime")?,
        guid,
        name: el.attr("name").map(str::to_owned),
        text,
        creating_user: r.reference(el, "creatingUser", Kind::User)?,
        created: r.datetime(el, "creationDateTime")?,
    })
}

/// A source kept as it is, with every `internal://` file it names. One whose files are
/// not all in the archive is left out (and listed as missing): kept, it would make an
/// export that points at files it does not hold.
fn opaque<R: Read + Seek>(
    r: &mut Reader<'_>,
    el: &Element,
    archive: &mut Archive<R>,
    acc: &mut SourcesRead,
) -> Result<(), QdpxError> {
    let guid = r.declare(el, Kind::Other)?;
    let missing_before = acc.missing.len();
    let mut files = Vec::new();
    let mut paths = Vec::new();
    collect_internal_paths(el, &mut paths);
    for path in paths {
        match locate(archive, &path) {
            Some(entry) => {
                let bytes = archive.read(&entry)?;
                let file = internal_name(&path).unwrap_or(&path);
                files.push((format!("sources/{file}"), bytes));
            }
            None => acc.missing.push(MissingSource {
                guid: guid.clone(),
                name: el.attr("name").map(str::to_owned),
                path,
            }),
        }
    }
    if acc.missing.len() > missing_before {
        acc.skipped.insert(guid.value());
        return Ok(());
    }
    let mut out = String::new();
    el.write_to(&mut out);
    acc.other_sources.push(OpaqueSource {
        guid,
        name: el.attr("name").map(str::to_owned),
        kind: el.name.to_string(),
        xml: out,
        files,
    });
    Ok(())
}

fn collect_internal_paths(el: &Element, out: &mut Vec<String>) {
    for (_, v) in el.attrs() {
        if v.starts_with("internal://") && !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    }
    for c in &el.children {
        collect_internal_paths(c, out);
    }
}

/// Reads a `.qdc` codebook.
pub fn read_qdc(input: &[u8]) -> Result<Codebook, QdpxError> {
    let file = "codebook.qdc";
    let text = utf8(input.to_vec(), file)?;
    let root = xml::parse(&text).map_err(|e| QdpxError::Xml {
        file: file.to_owned(),
        line: e.line,
        message: e.message,
    })?;
    let mut r = Reader::new(file);
    if root.name != "CodeBook" {
        return Err(r.invalid(
            root.line,
            format!(
                "the root element is <{}>, not <CodeBook>; this is not a REFI-QDA codebook",
                root.name
            ),
        ));
    }
    let codes_el = root
        .child("Codes")
        .ok_or_else(|| r.invalid(root.line, "<CodeBook> lacks its <Codes>"))?;
    let mut codes = Vec::new();
    for c in codes_el.children_named("Code") {
        codes.push(r.code(c)?);
    }
    // The schema asks for at least one code, and fika writes no codebook without one.
    if codes.is_empty() {
        return Err(r.invalid(
            codes_el.line,
            "<Codes> holds no <Code>; a REFI-QDA codebook holds at least one code, so there is nothing to import",
        ));
    }
    let mut sets = Vec::new();
    for s in root
        .child("Sets")
        .into_iter()
        .flat_map(|ss| ss.children_named("Set"))
    {
        let set = r.set(s)?;
        sets.push(set);
    }
    // Codes in a codebook may carry NoteRefs from project files; the notes are not here.
    r.references.retain(|(_, kind, _, _)| *kind != Kind::Note);
    r.check_references(&HashSet::new())?;
    let codes = nest_codes(codes).map_err(|m| r.invalid(codes_el.line, m))?;
    Ok(Codebook {
        origin: root.attr("origin").map(str::to_owned),
        codes,
        sets,
    })
}
