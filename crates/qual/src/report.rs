//! A readable document of excerpts, as evaluators paste into their report: the excerpts
//! grouped theme → subtheme → code, following the code tree, each with its source and
//! speaker. [`outline`] builds the sections (the web renders them as a print-ready page),
//! [`to_blocks`] the document's paragraphs in the reader's language, and
//! [`crate::docx::write_document`] the `.docx`.

use std::collections::{HashMap, HashSet};

use crate::docx::Block;
use crate::excerpts::{Excerpt, gather_codes};
use crate::model::{Code, Guid, Project};

/// One code of the document: its place in the tree and the excerpts coded with it (not
/// those of the codes below it, which have sections of their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub code: Guid,
    pub name: String,
    pub description: Option<String>,
    /// 0 for the document's top codes (themes), 1 below them (subthemes), and so on.
    pub depth: usize,
    pub excerpts: Vec<Excerpt>,
    /// Excerpts in this section and every section below it.
    pub total: usize,
}

/// The sections of the code `root` and the codes below it (every code of the project when
/// `root` is `None`), parents before children in the codebook's order, with the excerpts
/// `keep` lets through (a web page keeps those the reader may see). A code with no excerpt
/// in it or below it is left out; `None` when `root` is not a code of the project.
pub fn outline(
    project: &Project,
    root: Option<&Guid>,
    keep: impl Fn(&Excerpt) -> bool,
) -> Option<Vec<Section>> {
    let tops: Vec<&Code> = match root {
        Some(g) => vec![project.code(g)?],
        None => project.codes.iter().collect(),
    };
    let mut wanted: HashSet<&Guid> = HashSet::new();
    let mut stack: Vec<&Code> = tops.clone();
    while let Some(c) = stack.pop() {
        wanted.insert(&c.guid);
        stack.extend(c.children.iter());
    }
    let mut by_code: HashMap<Guid, Vec<Excerpt>> = HashMap::new();
    for e in gather_codes(project, &wanted)
        .into_iter()
        .filter(|e| keep(e))
    {
        by_code.entry(e.code.clone()).or_default().push(e);
    }
    let mut out = Vec::new();
    for c in tops {
        walk(c, 0, &mut by_code, &mut out);
    }
    Some(out)
}

/// Adds `code`'s section and those below it; returns the excerpts of them all. The code
/// tree is as deep as its import allowed (`refi::xml::MAX_DEPTH`), so recursion is bounded.
fn walk(
    code: &Code,
    depth: usize,
    by_code: &mut HashMap<Guid, Vec<Excerpt>>,
    out: &mut Vec<Section>,
) -> usize {
    let at = out.len();
    let excerpts = by_code.remove(&code.guid).unwrap_or_default();
    let own = excerpts.len();
    out.push(Section {
        code: code.guid.clone(),
        name: code.name.clone(),
        description: code.description.clone(),
        depth,
        excerpts,
        total: own,
    });
    let below: usize = code
        .children
        .iter()
        .map(|c| walk(c, depth + 1, by_code, out))
        .sum();
    let total = own + below;
    if total == 0 {
        out.truncate(at);
    } else {
        out[at].total = total;
    }
    total
}

/// The words of the document in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// The document's title.
    pub title: String,
    /// A line under the title (the project, what the excerpts are).
    pub subtitle: String,
    /// Said when there are no excerpts.
    pub none: String,
    /// "Source", "Speaker", "Coded by", "Memo".
    pub source: String,
    pub speaker: String,
    pub coder: String,
    pub memo: String,
}

/// The document as paragraphs: the title, then each code as a heading one level below its
/// parent (levels past 3 are written as 3), its description, and each excerpt as a
/// quotation followed by a caption naming its source, its speaker and, when `with_coder`,
/// who coded it; memos follow as text.
pub fn to_blocks(sections: &[Section], labels: &Labels, with_coder: bool) -> Vec<Block> {
    let mut out = vec![Block::Title(labels.title.clone())];
    if !labels.subtitle.is_empty() {
        out.push(Block::Text(labels.subtitle.clone()));
    }
    if sections.is_empty() {
        out.push(Block::Text(labels.none.clone()));
    }
    for s in sections {
        let level = u8::try_from(s.depth + 1).unwrap_or(u8::MAX).min(3);
        out.push(Block::Heading(level, s.name.clone()));
        if let Some(d) = s.description.as_deref().filter(|d| !d.trim().is_empty()) {
            out.push(Block::Text(d.to_owned()));
        }
        for e in &s.excerpts {
            out.push(Block::Quote(e.text.clone()));
            out.push(Block::Caption(caption(e, labels, with_coder)));
            for m in &e.memos {
                out.push(Block::Text(format!("{}: {m}", labels.memo)));
            }
        }
    }
    out
}

/// `Source: intervju-3.docx · Speaker: Anna · Coded by: erik`.
pub fn caption(e: &Excerpt, labels: &Labels, with_coder: bool) -> String {
    let mut parts = vec![format!("{}: {}", labels.source, e.source_name)];
    if let Some(s) = &e.speaker {
        parts.push(format!("{}: {s}", labels.speaker));
    }
    if with_coder
        && let Some(c) = e
            .coder_name
            .as_deref()
            .or(e.coder.as_ref().map(Guid::as_str))
    {
        parts.push(format!("{}: {c}", labels.coder));
    }
    parts.join(" · ")
}
