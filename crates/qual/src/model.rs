//! The qualitative project as a plain value: who codes, the codebook, the transcripts, the
//! coded segments, memos and sets. Nothing here does I/O; a store can persist a `Project` as
//! it is (every part serialises with serde), and `Project::validate` says whether it holds
//! together.
//!
//! Text positions are Unicode code points counted from 0 with an exclusive end, as REFI-QDA
//! counts them, so a position means the same in fika and in every other tool.

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A REFI-QDA GUID: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits, optionally in braces.
///
/// Kept exactly as written so that a file read and written again says the same thing;
/// `==`, ordering and hashing use the 128-bit value, ignoring case and braces as REFI-QDA
/// tools do.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Guid {
    text: String,
    /// The 128 bits, which equality, ordering and hashing use.
    value: u128,
}

impl Guid {
    /// A fresh random (version 4) GUID.
    pub fn new_v4() -> Self {
        let id = uuid::Uuid::new_v4();
        Guid {
            text: id.to_string(),
            value: id.as_u128(),
        }
    }

    /// Parses the REFI-QDA GUID pattern; `None` when `text` does not match it.
    pub fn parse(text: &str) -> Option<Self> {
        let inner = match text.strip_prefix('{') {
            Some(rest) => rest.strip_suffix('}')?,
            None => text,
        };
        // 8-4-4-4-12 hex digits: dashes at 8, 13, 18 and 23, 36 bytes in all.
        if inner.len() != 36 {
            return None;
        }
        let mut value: u128 = 0;
        for (i, b) in inner.bytes().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if b != b'-' {
                    return None;
                }
                continue;
            }
            let digit = (b as char).to_digit(16)?;
            value = value << 4 | u128::from(digit);
        }
        Some(Guid {
            text: text.to_owned(),
            value,
        })
    }

    /// The 128-bit value, for maps that need no copy of the text.
    pub(crate) fn value(&self) -> u128 {
        self.value
    }

    /// The GUID as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl PartialEq for Guid {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl Eq for Guid {}

impl std::hash::Hash for Guid {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl PartialOrd for Guid {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Guid {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The text was not a REFI-QDA GUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a GUID; expected 8-4-4-4-12 hex digits such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427"
)]
pub struct GuidError(pub String);

impl FromStr for Guid {
    type Err = GuidError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Guid::parse(s).ok_or_else(|| GuidError(s.to_owned()))
    }
}

impl TryFrom<String> for Guid {
    type Error = GuidError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Guid> for String {
    fn from(g: Guid) -> String {
        g.text
    }
}

/// A person who codes (a researcher); `creatingUser` on selections and codings points here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub guid: Guid,
    pub name: Option<String>,
    /// The user's id in the tool that created them, if any.
    pub id: Option<String>,
}

/// A code in the codebook. Codes nest: a theme holds subthemes which hold codes. A theme
/// that is only a heading has `is_codable == false`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    pub guid: Guid,
    pub name: String,
    pub is_codable: bool,
    /// `#rrggbb` or `#rgb`, as REFI-QDA writes colours.
    pub color: Option<String>,
    pub description: Option<String>,
    /// Memos on this code.
    pub notes: Vec<Guid>,
    pub children: Vec<Code>,
}

impl Code {
    /// A codable code without colour, description, memos or children.
    pub fn new(guid: Guid, name: impl Into<String>) -> Self {
        Code {
            guid,
            name: name.into(),
            is_codable: true,
            color: None,
            description: None,
            notes: Vec::new(),
            children: Vec::new(),
        }
    }
}

/// One speaker turn of a transcript: who spoke, when, and where the turn's line lies in the
/// source text (code points, end exclusive). Turns are fika's own; REFI-QDA has no place
/// for them, so they are not exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub speaker: Option<String>,
    /// Milliseconds from the start of the recording.
    pub start_ms: u64,
    pub end_ms: u64,
    pub text_start: usize,
    pub text_end: usize,
}

/// Whole-source coding (a code applied to a source as a whole rather than to a span).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coding {
    pub guid: Guid,
    pub code: Guid,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
    /// Memos on this coding.
    pub notes: Vec<Guid>,
}

/// A span of a text source a coder selected, with the codes applied to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub guid: Guid,
    pub name: Option<String>,
    /// First code point of the span.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
    /// Who changed the selection last and when, as the file said (`modifyingUser`,
    /// `modifiedDateTime`): kept and written back, never interpreted.
    #[serde(default)]
    pub modifying_user: Option<Guid>,
    #[serde(default)]
    pub modified: Option<String>,
    pub description: Option<String>,
    pub codings: Vec<Coding>,
    /// Memos on this coded segment.
    pub notes: Vec<Guid>,
}

/// Which `creatingUser` names the coder of a coded span when a file fills both
/// `PlainTextSelection@creatingUser` and `Coding@creatingUser` with different users.
/// See docs/qual.md ("Who coded what") for the files the rule was checked on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoderFrom {
    /// The selection's `creatingUser` (the coding's when the selection has none): who
    /// selected the span coded it. QualCoder reads it so; NVivo for Windows fills the
    /// coding's with another user.
    #[default]
    Selection,
    /// The coding's `creatingUser` (the selection's when the coding has none).
    Coding,
}

impl Selection {
    /// The coder of a coding on this selection by `rule`; [`Project::coder_of`] follows
    /// the project's own rule.
    pub fn coder_by<'a>(&'a self, coding: &'a Coding, rule: CoderFrom) -> Option<&'a Guid> {
        match rule {
            CoderFrom::Selection => self
                .creating_user
                .as_ref()
                .or(coding.creating_user.as_ref()),
            CoderFrom::Coding => coding
                .creating_user
                .as_ref()
                .or(self.creating_user.as_ref()),
        }
    }

    /// Whether the two `creatingUser` attributes of this coding name different users.
    pub fn coders_differ(&self, coding: &Coding) -> bool {
        matches!((&self.creating_user, &coding.creating_user), (Some(a), Some(b)) if a != b)
    }
}

/// An interview transcript or other text, stored exactly as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextSource {
    pub guid: Guid,
    pub name: String,
    pub text: String,
    /// Speaker turns when the text came from a WebVTT or SRT file; empty otherwise.
    pub turns: Vec<Turn>,
    pub description: Option<String>,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
    /// `modifyingUser` and `modifiedDateTime` as the file said: kept, written back.
    #[serde(default)]
    pub modifying_user: Option<Guid>,
    #[serde(default)]
    pub modified: Option<String>,
    pub selections: Vec<Selection>,
    pub codings: Vec<Coding>,
    /// Memos on this source.
    pub notes: Vec<Guid>,
    /// `VariableValue` elements fika does not interpret, kept verbatim for export.
    pub variable_values_xml: Vec<String>,
    /// The original document the text was taken from (e.g. a .docx), kept for export:
    /// its file name in the archive's `sources/` folder, and its bytes.
    pub rich_text: Option<(String, Vec<u8>)>,
}

impl TextSource {
    /// A source with the given text and nothing else.
    pub fn new(guid: Guid, name: impl Into<String>, text: impl Into<String>) -> Self {
        TextSource {
            guid,
            name: name.into(),
            text: text.into(),
            turns: Vec::new(),
            description: None,
            creating_user: None,
            created: None,
            modifying_user: None,
            modified: None,
            selections: Vec::new(),
            codings: Vec::new(),
            notes: Vec::new(),
            variable_values_xml: Vec::new(),
            rich_text: None,
        }
    }

    /// Length of the text in code points, the unit of every position.
    pub fn len_chars(&self) -> usize {
        self.text.chars().count()
    }

    /// The text between two code-point positions; `None` if the span is out of range.
    pub fn slice(&self, start: usize, end: usize) -> Option<&str> {
        if start > end {
            return None;
        }
        let mut indices = self.text.char_indices().map(|(i, _)| i);
        let from = indices
            .nth(start)
            .or((start == self.len_chars()).then_some(self.text.len()))?;
        let to = if end == start {
            from
        } else {
            self.text[from..]
                .char_indices()
                .map(|(i, _)| from + i)
                .nth(end - start)
                .or((end == self.len_chars()).then_some(self.text.len()))?
        };
        Some(&self.text[from..to])
    }
}

/// A source fika cannot hold (PDF, picture, audio, video): kept as its REFI-QDA element
/// and its files, so that an export gives it back to the next tool unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpaqueSource {
    pub guid: Guid,
    pub name: Option<String>,
    /// The element name: `PDFSource`, `PictureSource`, `AudioSource` or `VideoSource`.
    pub kind: String,
    /// The element with everything inside it, in the project namespace.
    pub xml: String,
    /// Files of the archive this source refers to: path inside the archive and bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

/// A memo. REFI-QDA stores memos as notes, attached by `NoteRef` to codes, sources,
/// selections and codings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub guid: Guid,
    pub name: Option<String>,
    pub text: String,
    pub creating_user: Option<Guid>,
    pub created: Option<String>,
    #[serde(default)]
    pub modifying_user: Option<Guid>,
    #[serde(default)]
    pub modified: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// The spans a note annotates (a REFI-QDA note is a text source and may hold
    /// `PlainTextSelection`s; QualCoder stores its annotations so). Their positions are
    /// in the annotated source's text, which the note does not name: kept as written.
    #[serde(default)]
    pub selections: Vec<Selection>,
}

/// A named group of codes, sources and notes (e.g. "interviews with coaches").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Set {
    pub guid: Guid,
    pub name: String,
    pub description: Option<String>,
    pub member_codes: Vec<Guid>,
    pub member_sources: Vec<Guid>,
    pub member_notes: Vec<Guid>,
}

/// A whole qualitative project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub name: String,
    /// The tool that wrote the project, e.g. "fika 0.1".
    pub origin: Option<String>,
    pub creating_user: Option<Guid>,
    /// `xsd:dateTime`, e.g. `2024-05-01T10:00:00Z`.
    pub created: Option<String>,
    pub modifying_user: Option<Guid>,
    pub modified: Option<String>,
    /// `basePath`: where the tool that wrote the project resolves `relative://` paths.
    #[serde(default)]
    pub base_path: Option<String>,
    /// Which `creatingUser` names a coder when a selection's and its coding's differ.
    #[serde(default)]
    pub coder_from: CoderFrom,
    pub description: Option<String>,
    pub users: Vec<User>,
    pub codes: Vec<Code>,
    pub sources: Vec<TextSource>,
    pub other_sources: Vec<OpaqueSource>,
    pub notes: Vec<Note>,
    pub sets: Vec<Set>,
    /// Memos on the project as a whole.
    pub project_notes: Vec<Guid>,
    /// `Variables`, `Cases`, `Links` and `Graphs` elements fika does not interpret, kept
    /// verbatim (element name, XML) and written back in their place on export.
    pub kept_sections: Vec<(String, String)>,
}

impl Project {
    /// An empty project.
    pub fn new(name: impl Into<String>) -> Self {
        Project {
            name: name.into(),
            origin: None,
            creating_user: None,
            created: None,
            modifying_user: None,
            modified: None,
            base_path: None,
            coder_from: CoderFrom::default(),
            description: None,
            users: Vec::new(),
            codes: Vec::new(),
            sources: Vec::new(),
            other_sources: Vec::new(),
            notes: Vec::new(),
            sets: Vec::new(),
            project_notes: Vec::new(),
            kept_sections: Vec::new(),
        }
    }

    /// Every code of the tree, parents before children, with its parent's GUID.
    pub fn codes_flat(&self) -> Vec<(&Code, Option<&Guid>)> {
        fn walk<'a>(
            codes: &'a [Code],
            parent: Option<&'a Guid>,
            out: &mut Vec<(&'a Code, Option<&'a Guid>)>,
        ) {
            for c in codes {
                out.push((c, parent));
                walk(&c.children, Some(&c.guid), out);
            }
        }
        let mut out = Vec::new();
        walk(&self.codes, None, &mut out);
        out
    }

    /// The code with this GUID anywhere in the tree.
    pub fn code(&self, guid: &Guid) -> Option<&Code> {
        fn find<'a>(codes: &'a [Code], guid: &Guid) -> Option<&'a Code> {
            codes.iter().find_map(|c| {
                if &c.guid == guid {
                    Some(c)
                } else {
                    find(&c.children, guid)
                }
            })
        }
        find(&self.codes, guid)
    }

    /// The coder of a coding on a selection by this project's rule ([`CoderFrom`]).
    pub fn coder_of<'a>(&self, selection: &'a Selection, coding: &'a Coding) -> Option<&'a Guid> {
        selection.coder_by(coding, self.coder_from)
    }

    /// The user with this GUID.
    pub fn user(&self, guid: &Guid) -> Option<&User> {
        self.users.iter().find(|u| &u.guid == guid)
    }

    /// The text source with this GUID.
    pub fn source(&self, guid: &Guid) -> Option<&TextSource> {
        self.sources.iter().find(|s| &s.guid == guid)
    }

    /// Checks that the project holds together: GUIDs unique, every reference known, every
    /// selection inside its text. Returns every problem found, each saying what and where.
    pub fn validate(&self) -> Result<(), Vec<ValidationError>> {
        let mut v = Validation::default();
        let codes = self.codes_flat();
        let code_guids: HashSet<&Guid> = codes.iter().map(|(c, _)| &c.guid).collect();
        let user_guids: HashSet<&Guid> = self.users.iter().map(|u| &u.guid).collect();
        let note_guids: HashSet<&Guid> = self.notes.iter().map(|n| &n.guid).collect();
        let source_guids: HashSet<&Guid> = self
            .sources
            .iter()
            .map(|s| &s.guid)
            .chain(self.other_sources.iter().map(|s| &s.guid))
            .collect();
        for u in &self.users {
            v.unique(&u.guid, || {
                format!("user {}", u.name.as_deref().unwrap_or(""))
            });
        }
        for (c, _) in &codes {
            let at = || format!("code \"{}\"", c.name);
            v.unique(&c.guid, at);
            if let Some(color) = &c.color
                && !is_rgb(color)
            {
                v.fail(format!(
                    "{} has colour \"{color}\"; use #rrggbb or #rgb",
                    at()
                ));
            }
            v.refs(&note_guids, &c.notes, "memo", at);
        }
        for n in &self.notes {
            let at = || format!("memo {}", n.guid);
            v.unique(&n.guid, at);
            v.refs(&user_guids, n.creating_user.iter(), "user", at);
            for sel in &n.selections {
                let sat = || format!("selection {} of {}", sel.guid, at());
                v.unique(&sel.guid, sat);
                if sel.start > sel.end {
                    v.fail(format!(
                        "{} starts at {} after its end {}",
                        sat(),
                        sel.start,
                        sel.end
                    ));
                }
                v.refs(&user_guids, sel.creating_user.iter(), "user", sat);
            }
        }
        for o in &self.other_sources {
            v.unique(&o.guid, || {
                format!("{} {}", o.kind, o.name.as_deref().unwrap_or(""))
            });
        }
        for s in &self.sources {
            let at = || format!("source \"{}\"", s.name);
            v.unique(&s.guid, at);
            v.refs(&note_guids, &s.notes, "memo", at);
            let len = s.len_chars();
            for c in &s.codings {
                v.coding(
                    c,
                    c.creating_user.as_ref(),
                    &code_guids,
                    &user_guids,
                    &note_guids,
                    at,
                );
            }
            for sel in &s.selections {
                let sat = || format!("selection {} of {}", sel.guid, at());
                v.unique(&sel.guid, sat);
                if sel.start > sel.end {
                    v.fail(format!(
                        "{} starts at {} after its end {}",
                        sat(),
                        sel.start,
                        sel.end
                    ));
                } else if sel.end > len {
                    v.fail(format!(
                        "{} ends at {} but the text has {len} characters",
                        sat(),
                        sel.end
                    ));
                }
                v.refs(&user_guids, sel.creating_user.iter(), "user", sat);
                v.refs(&note_guids, &sel.notes, "memo", sat);
                for c in &sel.codings {
                    v.coding(
                        c,
                        self.coder_of(sel, c),
                        &code_guids,
                        &user_guids,
                        &note_guids,
                        sat,
                    );
                }
            }
        }
        for set in &self.sets {
            let at = || format!("set \"{}\"", set.name);
            v.unique(&set.guid, at);
            v.refs(&code_guids, &set.member_codes, "code", at);
            v.refs(&source_guids, &set.member_sources, "source", at);
            v.refs(&note_guids, &set.member_notes, "memo", at);
        }
        v.refs(&note_guids, &self.project_notes, "memo", || {
            "the project".into()
        });
        if v.errors.is_empty() {
            Ok(())
        } else {
            Err(v.errors)
        }
    }
}

/// Collects what `Project::validate` finds; context strings are built only for errors.
#[derive(Default)]
struct Validation<'p> {
    seen: HashSet<&'p Guid>,
    errors: Vec<ValidationError>,
}

impl<'p> Validation<'p> {
    fn fail(&mut self, message: String) {
        self.errors.push(ValidationError(message));
    }

    fn unique(&mut self, g: &'p Guid, what: impl Fn() -> String) {
        if !self.seen.insert(g) {
            self.fail(format!("GUID {g} is used twice ({})", what()));
        }
    }

    fn refs<'a>(
        &mut self,
        known: &HashSet<&Guid>,
        guids: impl IntoIterator<Item = &'a Guid>,
        kind: &str,
        at: impl Fn() -> String,
    ) {
        for g in guids {
            if !known.contains(g) {
                self.fail(format!(
                    "{} refers to {kind} {g}, which the project does not have",
                    at()
                ));
            }
        }
    }

    fn coding(
        &mut self,
        coding: &'p Coding,
        coder: Option<&Guid>,
        codes: &HashSet<&Guid>,
        users: &HashSet<&Guid>,
        notes: &HashSet<&Guid>,
        at: impl Fn() -> String,
    ) {
        let cat = || format!("coding {} in {}", coding.guid, at());
        self.unique(&coding.guid, cat);
        self.refs(codes, [&coding.code], "code", cat);
        self.refs(users, coder, "user", cat);
        self.refs(notes, &coding.notes, "memo", cat);
    }
}

/// Sorts and merges overlapping or touching intervals in place.
pub(crate) fn merge_intervals(spans: &mut Vec<(usize, usize)>) {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for &(s, e) in spans.iter() {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    *spans = out;
}

/// `#rrggbb` or `#rgb`.
pub(crate) fn is_rgb(color: &str) -> bool {
    color
        .strip_prefix('#')
        .is_some_and(|h| (h.len() == 6 || h.len() == 3) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// One thing wrong with a project, saying what and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValidationError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_compare_by_value_and_keep_their_spelling() {
        let plain = Guid::parse("1b4e28ba-2fa1-11d2-883f-0016d3cca427").unwrap();
        let braced = Guid::parse("{1B4E28BA-2FA1-11D2-883F-0016D3CCA427}").unwrap();
        assert_eq!(plain, braced);
        assert_eq!(braced.as_str(), "{1B4E28BA-2FA1-11D2-883F-0016D3CCA427}");
        for bad in [
            "",
            "1b4e28ba2fa111d2883f0016d3cca427",
            "{1b4e28ba-2fa1-11d2-883f-0016d3cca427",
            "1b4e28ba-2fa1-11d2-883f-0016d3cca42g",
        ] {
            assert!(Guid::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn slices_count_code_points() {
        let s = TextSource::new(Guid::new_v4(), "x", "så 😀 bra");
        assert_eq!(s.len_chars(), 8);
        assert_eq!(s.slice(3, 4), Some("😀"));
        assert_eq!(s.slice(5, 8), Some("bra"));
        assert_eq!(s.slice(8, 8), Some(""));
        assert_eq!(s.slice(2, 9), None);
        assert_eq!(s.slice(4, 3), None);
    }

    #[test]
    fn validate_names_every_problem() {
        let mut p = Project::new("p");
        let user = Guid::new_v4();
        let mut source = TextSource::new(Guid::new_v4(), "Intervju", "kort");
        source.selections.push(Selection {
            modifying_user: None,
            modified: None,
            guid: Guid::new_v4(),
            name: None,
            start: 2,
            end: 9,
            creating_user: Some(user.clone()),
            created: None,
            description: None,
            codings: vec![],
            notes: vec![],
        });
        p.sources.push(source);
        let mut code = Code::new(Guid::new_v4(), "Fika");
        code.color = Some("red".into());
        p.codes.push(code);
        let errors: Vec<String> = p
            .validate()
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("colour \"red\""));
        assert!(errors[1].contains("ends at 9 but the text has 4 characters"));
        assert!(errors[2].contains(&format!("refers to user {user}")));
    }
}
