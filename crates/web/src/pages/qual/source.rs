//! Reading a transcript and coding it. Positions are Unicode code points (REFI-QDA's unit):
//! the coding form carries `start` and `end` in code points, which the embedded script
//! `qual.js` computes from the browser's selection (whose offsets are UTF-16), or which come
//! from a chosen paragraph or speaker turn — the way to code without a mouse or without
//! script. The server checks the span against the text, and, when the form carries the
//! selected text as `quote`, that the span holds exactly that text.

use std::collections::BTreeSet;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use fika_qual::{Coding, Guid, Note, Project, Selection, TextSource};
use fika_store::WriteError;

use super::{
    CodeRow, MemoRow, View, code_rows, coder_guid, load, memo_rows, path_guid, refuse, user_name,
};
use crate::AppState;
use crate::auth::SignedIn;
use crate::clock::stamp;
use crate::error::{AppError, html_escape};
use crate::pages::{Fields, Layout, field, fields};

/// One code's highlight around a run of text: the class carrying the code's colour and
/// the level of its band (0 nearest the text).
pub struct Layer {
    pub class: String,
    pub level: usize,
}

/// A run of the text with one look: the codes highlighting it, part of a speaker's label
/// or not.
pub struct Segment {
    /// The text, HTML-escaped; a carriage return is written as a character reference so
    /// that the browser keeps it (HTML folds a raw one into the line feed) and every
    /// position in the page's text is the position in the source.
    pub html: String,
    /// The highlights around it, outermost (highest band) first.
    pub layers: Vec<Layer>,
    pub speaker: bool,
}

/// The most band levels drawn apart; codes overlapping deeper share the last level (the
/// legend and the list of coded segments still name each).
pub const MAX_LEVEL: usize = 3;

/// Byte offset of every code point, and the text's length in bytes at the end.
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect()
}

/// The text between two code-point positions, by a table of [`byte_offsets`] made once
/// (`TextSource::slice` walks the text from its start each time: a page slicing a long
/// transcript hundreds of times would read it hundreds of times).
fn cut<'t>(text: &'t str, offsets: &[usize], start: usize, end: usize) -> Option<&'t str> {
    (start <= end).then_some(())?;
    text.get(*offsets.get(start)?..*offsets.get(end)?)
}

/// Merges `(start, end)` spans that overlap or touch.
fn merged(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The speaker labels (`Anna: `) of a transcript's turns, as code-point spans.
fn speaker_labels(source: &TextSource, offsets: &[usize]) -> Vec<(usize, usize)> {
    source
        .turns
        .iter()
        .filter_map(|t| {
            let label = format!("{}: ", t.speaker.as_ref()?);
            let n = label.chars().count();
            (cut(&source.text, offsets, t.text_start, t.text_start + n) == Some(label.as_str()))
                .then_some((t.text_start, t.text_start + n))
        })
        .collect()
}

/// A code's stretch of highlighted text (its coded spans merged) and its band level.
struct Band<'a> {
    start: usize,
    end: usize,
    code: &'a Guid,
    level: usize,
}

/// Each code's spans merged, each stretch given the lowest band level no overlapping
/// stretch of another code has (so overlapping codes stack their bands, and a code's band
/// keeps its level along a stretch).
fn bands(highlights: &[(usize, usize, Guid)]) -> Vec<Band<'_>> {
    let mut by_code: Vec<(&Guid, Vec<(usize, usize)>)> = Vec::new();
    for (s, e, code) in highlights {
        match by_code.iter_mut().find(|(c, _)| *c == code) {
            Some((_, spans)) => spans.push((*s, *e)),
            None => by_code.push((code, vec![(*s, *e)])),
        }
    }
    let mut out: Vec<Band<'_>> = by_code
        .into_iter()
        .flat_map(|(code, spans)| {
            merged(spans).into_iter().map(move |(start, end)| Band {
                start,
                end,
                code,
                level: 0,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.start, b.end).cmp(&(b.start, a.end)));
    let mut ends: Vec<usize> = Vec::new();
    for b in &mut out {
        let level = match ends.iter().position(|&e| e <= b.start) {
            Some(l) => l,
            None => {
                ends.push(0);
                ends.len() - 1
            }
        };
        ends[level] = b.end;
        b.level = level.min(MAX_LEVEL);
    }
    out
}

/// The text cut where a highlight or a speaker label begins or ends. Joined, the segments'
/// text is the source's text exactly. `highlights` are `(start, end, code)`.
pub fn segments(source: &TextSource, highlights: &[(usize, usize, Guid)]) -> Vec<Segment> {
    let offsets = byte_offsets(&source.text);
    let len = offsets.len() - 1;
    let bands = bands(highlights);
    let labels = speaker_labels(source, &offsets);
    let mut cuts: BTreeSet<usize> = BTreeSet::from([0, len]);
    for (s, e) in bands
        .iter()
        .map(|b| (b.start, b.end))
        .chain(labels.iter().copied())
    {
        cuts.insert(s.min(len));
        cuts.insert(e.min(len));
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    cuts.windows(2)
        .map(|w| {
            let (a, b) = (w[0], w[1]);
            let mut on: Vec<&Band<'_>> =
                bands.iter().filter(|x| x.start <= a && a < x.end).collect();
            on.sort_by(|x, y| (y.level, y.code).cmp(&(x.level, x.code)));
            Segment {
                html: html_escape(&source.text[offsets[a]..offsets[b]]).replace('\r', "&#13;"),
                layers: on
                    .into_iter()
                    .map(|x| Layer {
                        class: fika_qual::colour::class(x.code),
                        level: x.level,
                    })
                    .collect(),
                speaker: labels.iter().any(|&(s, e)| s <= a && a < e),
            }
        })
        .collect()
}

/// A code in the legend of a transcript's highlights.
pub struct LegendRow {
    pub class: String,
    pub name: String,
}

/// A paragraph (or, in a transcript with turns, a speaker turn) offered for coding whole.
pub struct Paragraph {
    /// `start:end` in code points.
    pub value: String,
    pub label: String,
}

/// How much of a paragraph its label shows.
const PREVIEW: usize = 60;

/// The turns of a transcript, or else its non-blank lines.
pub fn paragraphs(source: &TextSource) -> Vec<Paragraph> {
    let offsets = byte_offsets(&source.text);
    let spans: Vec<(usize, usize)> = if source.turns.is_empty() {
        let mut out = Vec::new();
        let mut at = 0;
        for line in source.text.split('\n') {
            let n = line.chars().count();
            if !line.trim().is_empty() {
                out.push((at, at + n));
            }
            at += n + 1;
        }
        out
    } else {
        source
            .turns
            .iter()
            .map(|t| (t.text_start, t.text_end))
            .collect()
    };
    spans
        .into_iter()
        .enumerate()
        .map(|(i, (s, e))| {
            let text = cut(&source.text, &offsets, s, e).unwrap_or_default().trim();
            let mut label: String = text.chars().take(PREVIEW).collect();
            if text.chars().count() > PREVIEW {
                label.push('…');
            }
            Paragraph {
                value: format!("{s}:{e}"),
                label: format!("{}. {label}", i + 1),
            }
        })
        .collect()
}

/// One of the member's coded segments (or, once the comparison is open, anyone's).
pub struct CodedRow {
    pub guid: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The codes applied: name and colour class.
    pub codes: Vec<LegendRow>,
    pub coder: String,
    pub memos: Vec<MemoRow>,
    pub mine: bool,
}

#[derive(Template)]
#[template(path = "qual_source.html")]
struct SourcePage {
    l: Layout,
    project_id: String,
    project_name: String,
    source_guid: String,
    name: String,
    segments: Vec<Segment>,
    legend: Vec<LegendRow>,
    memos: Vec<MemoRow>,
    paragraphs: Vec<Paragraph>,
    codes: Vec<CodeRow>,
    coded: Vec<CodedRow>,
    open: bool,
    chars: usize,
}

/// `/qual/{project}/sources/{source}`: the transcript, the member's coding highlighted, and
/// the form to code a span.
pub async fn page(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, source)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let (a, p) = load(&st, &me, &id).await?;
    let sguid = path_guid(&source)?;
    let s = p.source(&sguid).ok_or(AppError::NotFound)?;
    let view = View::new(&a, &p, &me.user.login);
    let offsets = byte_offsets(&s.text);
    let mut mine = Vec::new();
    let mut coded = Vec::new();
    for sel in &s.selections {
        let seen: Vec<&Coding> = sel.codings.iter().filter(|c| view.sees(sel, c)).collect();
        if seen.is_empty() {
            continue;
        }
        let coder = sel.coder_by(seen[0], view.rule);
        let is_mine = view.me.is_some() && coder == view.me;
        if is_mine {
            for c in &seen {
                mine.push((sel.start, sel.end, c.code.clone()));
            }
        }
        coded.push(CodedRow {
            guid: sel.guid.to_string(),
            start: sel.start,
            end: sel.end,
            text: cut(&s.text, &offsets, sel.start, sel.end)
                .unwrap_or_default()
                .to_owned(),
            codes: seen
                .iter()
                .map(|c| LegendRow {
                    class: fika_qual::colour::class(&c.code),
                    name: p.code(&c.code).map(|k| k.name.clone()).unwrap_or_default(),
                })
                .collect(),
            coder: user_name(&p, coder),
            memos: memo_rows(&p, &sel.notes, &me.user.login),
            mine: is_mine,
        });
    }
    coded.sort_by_key(|c| (c.start, c.end));
    let legend = p
        .codes_flat()
        .into_iter()
        .filter(|(c, _)| mine.iter().any(|(_, _, g)| g == &c.guid))
        .map(|(c, _)| LegendRow {
            class: fika_qual::colour::class(&c.guid),
            name: c.name.clone(),
        })
        .collect();
    let page = SourcePage {
        l: Layout::new(
            &me,
            &format!("/qual/{}/sources/{sguid}", a.id),
            "qual-source-title",
        ),
        project_id: a.id.clone(),
        project_name: a.name.clone(),
        source_guid: sguid.to_string(),
        name: s.name.clone(),
        segments: segments(s, &mine),
        legend,
        memos: memo_rows(&p, &s.notes, &me.user.login),
        paragraphs: paragraphs(s),
        codes: code_rows(&p, &view),
        coded,
        open: a.comparison_open,
        chars: s.len_chars(),
    };
    Ok(Html(page.render()?))
}

/// The span a coding form names, not yet checked against the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCoding {
    pub start: usize,
    pub end: usize,
    pub codes: Vec<String>,
    pub memo: Option<String>,
    /// The text the coder selected, when the script sent it.
    pub quote: Option<String>,
}

/// The longest memo: a memo is a note, not a document.
const MEMO_MAX: usize = 10_000;

/// Reads the coding form: a paragraph (`paragraph=start:end`) when one is chosen, else
/// `start` and `end`.
pub fn parse(f: &Fields) -> Result<NewCoding, AppError> {
    let rule = |k: &str| AppError::Rule(format!("rule-{k}"));
    let number = |s: &str| {
        s.trim()
            .parse::<usize>()
            .map_err(|_| rule("qual-span-missing"))
    };
    let (start, end, quote) = match field(f, "paragraph") {
        Some(p) => {
            let (s, e) = p.split_once(':').ok_or_else(|| rule("qual-span-missing"))?;
            (number(s)?, number(e)?, None)
        }
        None => (
            number(field(f, "start").ok_or_else(|| rule("qual-span-missing"))?)?,
            number(field(f, "end").ok_or_else(|| rule("qual-span-missing"))?)?,
            f.iter()
                .find(|(k, v)| k == "quote" && !v.is_empty())
                .map(|(_, v)| v.clone()),
        ),
    };
    let codes: Vec<String> = fields(f, "code")
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect();
    if codes.is_empty() {
        return Err(rule("qual-no-code"));
    }
    let memo = field(f, "memo").map(|m| m.trim().to_owned());
    if memo.as_ref().is_some_and(|m| m.chars().count() > MEMO_MAX) {
        return Err(rule("qual-memo-long"));
    }
    Ok(NewCoding {
        start,
        end,
        codes,
        memo,
        quote,
    })
}

/// Adds `c` to `source` of `p` as coded by `login`, after checking it against the text and
/// the codebook. Returns the new selection's GUID.
pub fn apply(
    p: &mut Project,
    source: &Guid,
    login: &str,
    c: &NewCoding,
    at: &str,
) -> Result<Guid, WriteError> {
    let s = p.source(source).ok_or(WriteError::NotFound)?;
    if c.start >= c.end {
        return Err(refuse("qual-span-order"));
    }
    if c.end > s.len_chars() {
        return Err(refuse("qual-span-beyond"));
    }
    if let Some(q) = &c.quote
        && s.slice(c.start, c.end) != Some(q.as_str())
    {
        return Err(refuse("qual-span-moved"));
    }
    let mut codes = Vec::new();
    for text in &c.codes {
        let code = Guid::parse(text)
            .and_then(|g| p.code(&g))
            .ok_or_else(|| refuse("qual-unknown-code"))?;
        if !code.is_codable {
            return Err(refuse("qual-not-codable"));
        }
        if !codes.contains(&code.guid) {
            codes.push(code.guid.clone());
        }
    }
    let coder = coder_guid(p, login);
    let mut notes = Vec::new();
    if let Some(text) = &c.memo {
        let note = Note {
            selections: Vec::new(),
            description: None,
            modifying_user: None,
            modified: None,
            guid: Guid::new_v4(),
            name: None,
            text: text.clone(),
            creating_user: Some(coder.clone()),
            created: Some(at.to_owned()),
        };
        notes.push(note.guid.clone());
        p.notes.push(note);
    }
    let selection = Selection {
        modifying_user: None,
        modified: None,
        guid: Guid::new_v4(),
        name: None,
        start: c.start,
        end: c.end,
        creating_user: Some(coder.clone()),
        created: Some(at.to_owned()),
        description: None,
        codings: codes
            .into_iter()
            .map(|code| Coding {
                guid: Guid::new_v4(),
                code,
                creating_user: Some(coder.clone()),
                created: Some(at.to_owned()),
                notes: Vec::new(),
            })
            .collect(),
        notes,
    };
    let guid = selection.guid.clone();
    p.sources
        .iter_mut()
        .find(|x| &x.guid == source)
        .ok_or(WriteError::NotFound)?
        .selections
        .push(selection);
    Ok(guid)
}

/// `POST /qual/{project}/sources/{source}/codings`: codes a span.
pub async fn code(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, source)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let (a, _) = load(&st, &me, &id).await?;
    let sguid = path_guid(&source)?;
    let coding = parse(&f)?;
    let (pid, login, at) = (a.id.clone(), me.user.login.clone(), stamp(st.clock.now()));
    let s2 = sguid.clone();
    let made = st
        .db(move |s| {
            let mut made = None;
            s.change_qual_project(&pid, &login, &mut |p, access| {
                if access.comparison_open {
                    return Err(refuse("qual-comparison-open"));
                }
                made = Some(apply(p, &s2, &login, &coding, &at)?);
                Ok(())
            })
            .map(|()| made)
        })
        .await??;
    let anchor = made.map(|g| format!("#s-{g}")).unwrap_or_default();
    Ok(Redirect::to(&format!(
        "/qual/{}/sources/{sguid}{anchor}",
        a.id
    )))
}

/// `POST /qual/{project}/sources/{source}/selections/{selection}/delete`: a coder takes back
/// one of their own coded segments, while the comparison is not open.
pub async fn uncode(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, source, selection)): Path<(String, String, String)>,
) -> Result<Redirect, AppError> {
    let (a, _) = load(&st, &me, &id).await?;
    let sguid = path_guid(&source)?;
    let sel = path_guid(&selection)?;
    let (pid, login, s2) = (a.id.clone(), me.user.login.clone(), sguid.clone());
    st.db(move |s| {
        s.change_qual_project(&pid, &login, &mut |p, access| {
            if access.comparison_open {
                return Err(refuse("qual-comparison-open"));
            }
            let me = super::coder_of(p, &login).cloned();
            let source = p
                .sources
                .iter_mut()
                .find(|x| x.guid == s2)
                .ok_or(WriteError::NotFound)?;
            let i = source
                .selections
                .iter()
                .position(|x| x.guid == sel && me.is_some() && x.creating_user == me)
                .ok_or(WriteError::NotFound)?;
            let gone = source.selections.remove(i);
            let memos: Vec<&Guid> = gone
                .notes
                .iter()
                .chain(gone.codings.iter().flat_map(|c| &c.notes))
                .collect();
            p.notes.retain(|n| !memos.contains(&&n.guid));
            Ok(())
        })
    })
    .await??;
    Ok(Redirect::to(&format!(
        "/qual/{}/sources/{sguid}#coded",
        a.id
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fika_qual::{Code, TranscriptFormat, parse_transcript};

    fn joined(segs: &[Segment]) -> String {
        segs.iter().map(|s| s.html.as_str()).collect()
    }

    fn g(n: u128) -> Guid {
        Guid::parse(&format!("00000000-0000-4000-8000-{n:012x}")).unwrap()
    }

    /// Each segment's text and its layers as (code number, level), outermost first.
    fn looks(segs: &[Segment]) -> Vec<(&str, Vec<(String, usize)>)> {
        segs.iter()
            .map(|s| {
                let layers = s
                    .layers
                    .iter()
                    .map(|l| (l.class[l.class.len() - 3..].to_owned(), l.level))
                    .collect();
                (s.html.as_str(), layers)
            })
            .collect()
    }

    #[test]
    fn segments_keep_the_text_and_mark_what_was_coded() {
        let s = TextSource::new(Guid::new_v4(), "s", "så 😀 <bra>\r\nnej");
        let (a, b) = (g(0xa), g(0xb));
        let segs = segments(
            &s,
            &[(3, 4, a.clone()), (2, 3, a.clone()), (8, 20, b.clone())],
        );
        assert_eq!(joined(&segs), "så 😀 &lt;bra&gt;&#13;\nnej");
        let one = |c: &str| vec![(c.to_owned(), 0)];
        assert_eq!(
            looks(&segs),
            [
                ("så", vec![]),
                (" 😀", one("00a")),
                (" &lt;br", vec![]),
                ("a&gt;&#13;\nnej", one("00b")),
            ]
        );
    }

    #[test]
    fn a_cut_by_the_offset_table_is_the_sources_slice() {
        let s = TextSource::new(Guid::new_v4(), "s", "så 😀 ☕\r\nbra");
        let offsets = byte_offsets(&s.text);
        let n = s.len_chars();
        for start in 0..n + 2 {
            for end in 0..n + 2 {
                assert_eq!(
                    cut(&s.text, &offsets, start, end),
                    s.slice(start, end),
                    "{start}..{end}"
                );
            }
        }
    }

    #[test]
    fn overlapping_codes_stack_their_bands() {
        let s = TextSource::new(Guid::new_v4(), "s", "0123456789");
        let (a, b, c) = (g(0xa), g(0xb), g(0xc));
        // A on 0–6, B on 3–9 (overlapping A), C on 7–10 (overlapping B only).
        let segs = segments(
            &s,
            &[(0, 6, a.clone()), (3, 9, b.clone()), (7, 10, c.clone())],
        );
        let l = |pairs: &[(&str, usize)]| -> Vec<(String, usize)> {
            pairs.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect()
        };
        assert_eq!(
            looks(&segs),
            [
                ("012", l(&[("00a", 0)])),
                ("345", l(&[("00b", 1), ("00a", 0)])),
                ("6", l(&[("00b", 1)])),
                ("78", l(&[("00b", 1), ("00c", 0)])),
                ("9", l(&[("00c", 0)])),
            ]
        );
        // Deeper than the levels drawn apart: the rest share the last one.
        let many: Vec<(usize, usize, Guid)> = (0..6).map(|i| (0, 10, g(0x10 + i))).collect();
        let segs = segments(&s, &many);
        let levels: Vec<usize> = segs[0].layers.iter().map(|l| l.level).collect();
        assert_eq!(levels, [3, 3, 3, 2, 1, 0]);
    }

    #[test]
    fn speaker_labels_and_turns() {
        let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Åsa>Hej ☕\n\n\
                   00:00:03.000 --> 00:00:04.000\n<v Bo>Tjena\n";
        let s = parse_transcript("t.vtt", vtt, TranscriptFormat::WebVtt).unwrap();
        let segs = segments(&s, &[]);
        let labels: Vec<&str> = segs
            .iter()
            .filter(|s| s.speaker)
            .map(|s| s.html.as_str())
            .collect();
        assert_eq!(labels, ["Åsa: ", "Bo: "]);
        let p: Vec<(String, String)> = paragraphs(&s)
            .into_iter()
            .map(|p| (p.value, p.label))
            .collect();
        assert_eq!(
            p,
            [
                ("0:10".into(), "1. Åsa: Hej ☕".into()),
                ("11:20".into(), "2. Bo: Tjena".into())
            ]
        );
        let plain = TextSource::new(Guid::new_v4(), "p", "Ett\n\n  \nTvå 😀");
        let p: Vec<String> = paragraphs(&plain).into_iter().map(|p| p.value).collect();
        assert_eq!(p, ["0:3", "8:13"]);
    }

    fn form(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_coding_is_checked_against_text_and_codebook() {
        let mut p = Project::new("p");
        let code = Code::new(Guid::new_v4(), "Kaffe");
        let mut theme = Code::new(Guid::new_v4(), "Tema");
        theme.is_codable = false;
        let (c, t) = (code.guid.to_string(), theme.guid.to_string());
        p.codes.extend([code, theme]);
        let src = TextSource::new(Guid::new_v4(), "s", "Vi tog en fika ☕ på café");
        let sg = src.guid.clone();
        p.sources.push(src);
        let try_ = |p: &mut Project, pairs: &[(&str, &str)]| -> Result<Guid, String> {
            let c = parse(&form(pairs)).map_err(|e| format!("{e:?}"))?;
            apply(p, &sg, "eva", &c, "2026-03-02T09:00:00Z").map_err(|e| e.to_string())
        };
        let cases: &[(&[(&str, &str)], &str)] = &[
            (
                &[("start", "5"), ("end", "3"), ("code", &c)],
                "qual-span-order",
            ),
            (
                &[("start", "3"), ("end", "3"), ("code", &c)],
                "qual-span-order",
            ),
            (
                &[("start", "20"), ("end", "99"), ("code", &c)],
                "qual-span-beyond",
            ),
            (&[("start", "0"), ("end", "2")], "qual-no-code"),
            (
                &[("start", "x"), ("end", "2"), ("code", &c)],
                "qual-span-missing",
            ),
            (
                &[("start", "0"), ("end", "2"), ("code", "nope")],
                "qual-unknown-code",
            ),
            (
                &[("start", "0"), ("end", "2"), ("code", &t)],
                "qual-not-codable",
            ),
            (
                &[
                    ("start", "9"),
                    ("end", "16"),
                    ("quote", "fika"),
                    ("code", &c),
                ],
                "qual-span-moved",
            ),
        ];
        for (pairs, says) in cases {
            let e = try_(&mut p, pairs).unwrap_err();
            assert!(e.contains(says), "{pairs:?}: {e}");
        }
        assert!(p.sources[0].selections.is_empty() && p.users.is_empty());
        try_(
            &mut p,
            &[
                ("start", "10"),
                ("end", "16"),
                ("quote", "fika ☕"),
                ("code", &c),
                ("memo", " gott "),
            ],
        )
        .unwrap();
        try_(
            &mut p,
            &[
                ("paragraph", "0:24"),
                ("start", "1"),
                ("end", "2"),
                ("code", &c),
            ],
        )
        .unwrap();
        let sels = &p.sources[0].selections;
        assert_eq!((sels[0].start, sels[0].end), (10, 16));
        assert_eq!(p.sources[0].slice(10, 16), Some("fika ☕"));
        assert_eq!((sels[1].start, sels[1].end), (0, 24));
        assert_eq!(p.notes[0].text, "gott");
        assert_eq!(p.users.len(), 1);
        assert!(p.validate().is_ok());
    }
}
