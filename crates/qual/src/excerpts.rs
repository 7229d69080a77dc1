//! A code's excerpts gathered into a data set (Braun & Clarke: "excerpts extracted into a
//! data set"), for reading as Markdown or for analysis as CSV.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::model::{Code, Guid, Project};

/// One coded segment of a code, with what a reader needs to place it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub source: Guid,
    pub source_name: String,
    pub code: Guid,
    pub code_name: String,
    pub coder: Option<Guid>,
    pub coder_name: Option<String>,
    /// Code points, end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The speaker of the turn the excerpt starts in, for transcripts with turns.
    pub speaker: Option<String>,
    /// Memos on the coded segment and on the coding.
    pub memos: Vec<String>,
}

/// Every excerpt of `code` (and of the codes below it when `include_subcodes`), in source
/// order, then by position. Unknown codes give no excerpts.
pub fn gather(project: &Project, code: &Guid, include_subcodes: bool) -> Vec<Excerpt> {
    let Some(root) = project.code(code) else {
        return Vec::new();
    };
    let mut wanted: Vec<&Code> = vec![root];
    if include_subcodes {
        let mut stack: Vec<&Code> = root.children.iter().collect();
        while let Some(c) = stack.pop() {
            wanted.push(c);
            stack.extend(c.children.iter());
        }
    }
    gather_codes(project, &wanted.iter().map(|c| &c.guid).collect())
}

/// Every excerpt of the codes in `wanted`, in one pass over the sources: in source order,
/// then by position.
pub fn gather_codes(project: &Project, wanted_guids: &HashSet<&Guid>) -> Vec<Excerpt> {
    let memo = |g: &Guid| {
        project
            .notes
            .iter()
            .find(|n| &n.guid == g)
            .map(|n| n.text.clone())
    };
    let mut out = Vec::new();
    for source in &project.sources {
        for sel in &source.selections {
            for coding in sel
                .codings
                .iter()
                .filter(|c| wanted_guids.contains(&c.code))
            {
                let coder = project.coder_of(sel, coding).cloned();
                let speaker = source
                    .turns
                    .iter()
                    .find(|t| {
                        t.text_start <= sel.start && sel.start < t.text_end.max(t.text_start + 1)
                    })
                    .and_then(|t| t.speaker.clone());
                out.push(Excerpt {
                    source: source.guid.clone(),
                    source_name: source.name.clone(),
                    code: coding.code.clone(),
                    code_name: project
                        .code(&coding.code)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    coder_name: coder
                        .as_ref()
                        .and_then(|g| project.user(g))
                        .and_then(|u| u.name.clone()),
                    coder,
                    start: sel.start,
                    end: sel.end,
                    text: source
                        .slice(sel.start, sel.end)
                        .unwrap_or_default()
                        .to_owned(),
                    speaker,
                    memos: sel
                        .notes
                        .iter()
                        .chain(&coding.notes)
                        .filter_map(memo)
                        .collect(),
                });
            }
        }
        let from = out.len()
            - out
                .iter()
                .rev()
                .take_while(|e| e.source == source.guid)
                .count();
        out[from..].sort_by(|a, b| (a.start, a.end, &a.coder).cmp(&(b.start, b.end, &b.coder)));
    }
    out
}

/// The excerpts as CSV (comma-separated, `\r\n` line ends, UTF-8) with the header
/// `source,code,coder,start,end,speaker,text,memos`; memos are joined by blank lines. It is
/// meant for spreadsheets, so a cell that would start a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return) is written with a `'` in front (`fika_core::spreadsheet`).
pub fn to_csv(excerpts: &[Excerpt]) -> String {
    let mut out = String::from("source,code,coder,start,end,speaker,text,memos\r\n");
    for e in excerpts {
        let coder = e
            .coder_name
            .clone()
            .or_else(|| e.coder.as_ref().map(Guid::to_string))
            .unwrap_or_default();
        let fields = [
            e.source_name.as_str(),
            e.code_name.as_str(),
            coder.as_str(),
            &e.start.to_string(),
            &e.end.to_string(),
            e.speaker.as_deref().unwrap_or(""),
            e.text.as_str(),
            &e.memos.join("\n\n"),
        ];
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            // A spreadsheet opens this file: a cell that starts a formula is made harmless.
            out.push_str(&fika_core::spreadsheet::cell(f));
        }
        out.push_str("\r\n");
    }
    out
}

/// The excerpts as a Markdown document to read: the code, its description and memos, then
/// each excerpt as a quotation under its source, with position, coder and memos.
pub fn to_markdown(project: &Project, code: &Guid, excerpts: &[Excerpt]) -> String {
    let mut out = String::new();
    let code = project.code(code);
    let _ = writeln!(
        out,
        "# {}\n",
        code.map_or("(unknown code)", |c| c.name.as_str())
    );
    if let Some(d) = code.and_then(|c| c.description.as_deref()) {
        let _ = writeln!(out, "{d}\n");
    }
    for n in code.into_iter().flat_map(|c| &c.notes) {
        if let Some(note) = project.notes.iter().find(|x| &x.guid == n) {
            let _ = writeln!(out, "*Memo:* {}\n", note.text);
        }
    }
    let _ = writeln!(out, "{} excerpt(s).\n", excerpts.len());
    let mut current: Option<&Guid> = None;
    for e in excerpts {
        if current != Some(&e.source) {
            let _ = writeln!(out, "## {}\n", e.source_name);
            current = Some(&e.source);
        }
        for line in e.text.lines() {
            let _ = writeln!(out, "> {line}");
        }
        let mut meta = format!("characters {}–{}, {}", e.start, e.end, e.code_name);
        if let Some(s) = &e.speaker {
            let _ = write!(meta, ", {s}");
        }
        if let Some(c) = e
            .coder_name
            .as_deref()
            .or(e.coder.as_ref().map(Guid::as_str))
        {
            let _ = write!(meta, ", coded by {c}");
        }
        let _ = writeln!(out, "\n— {meta}\n");
        for m in &e.memos {
            let _ = writeln!(out, "*Memo:* {m}\n");
        }
    }
    out
}
