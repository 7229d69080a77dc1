//! Interview transcripts into text sources: plain text and Markdown as given, and the WebVTT,
//! SRT and Word (`.docx`) files transcription tools write, as one line per speaker turn.
//!
//! A cue file becomes the text `Speaker: words` (or just `words` without a known speaker),
//! one turn per line, joined by `\n`. Consecutive cues of the same speaker make one turn.
//! Each turn keeps its speaker, start and end time, and the code-point span of its line, so
//! a coded segment can be traced back to the recording.
//!
//! A `.docx` becomes one line per non-blank paragraph. A paragraph that starts with a
//! speaker — a bold name (`**Anna:** text`, or a bold name alone on its paragraph, the
//! words following in the next ones) or a `Name: ` label — starts a turn, written
//! `Anna: text`; the paragraphs after it, up to the next speaker, belong to that turn. A
//! time after the name (`Anna (00:01:05):`, `Anna [1:05]`, `Speaker 1 0:05`) is the turn's
//! start. The `.docx` itself is kept as the source's original document.

use crate::docx::{self, DocxError, Paragraph};
use crate::model::{Guid, TextSource, Turn};

/// The formats a transcript can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptFormat {
    PlainText,
    Markdown,
    WebVtt,
    Srt,
    /// Word 2007 or later (`.docx`), as transcription services deliver transcripts.
    Docx,
}

impl TranscriptFormat {
    /// The format a file name's extension suggests (`.txt`, `.md`, `.vtt`, `.srt`).
    pub fn from_file_name(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(Self::PlainText),
            "md" | "markdown" => Some(Self::Markdown),
            "vtt" => Some(Self::WebVtt),
            "srt" => Some(Self::Srt),
            "docx" => Some(Self::Docx),
            _ => None,
        }
    }
}

/// A cue file that could not be read, with the line where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranscriptError {
    #[error("the WebVTT file does not start with \"WEBVTT\"; check that it is a .vtt file")]
    NotWebVtt,
    #[error("line {line}: \"{text}\" is not a cue timing (expected 00:00:01.000 --> 00:00:04.000)")]
    BadTiming { line: usize, text: String },
    #[error(
        "the file is not UTF-8 text; save it again with the encoding UTF-8 (most editors offer it under Save as)"
    )]
    NotUtf8,
    #[error("the file holds no text")]
    Empty,
    #[error(transparent)]
    Docx(#[from] DocxError),
}

/// Reads a transcript file's bytes as `format` into a text source named `name` with a fresh
/// GUID: text formats must be UTF-8 (a byte order mark is allowed), a `.docx` is read within
/// `docx`'s bounds and kept as the source's original document (`sources/<GUID>.docx` in a
/// REFI-QDA export). A file with no text is refused.
pub fn read_transcript(
    name: &str,
    bytes: &[u8],
    format: TranscriptFormat,
) -> Result<TextSource, TranscriptError> {
    let source = match format {
        TranscriptFormat::Docx => {
            let paragraphs = docx::read_paragraphs(bytes)?;
            let mut source = TextSource::new(Guid::new_v4(), name, "");
            (source.text, source.turns) = from_paragraphs(&paragraphs);
            source.rich_text = Some((format!("{}.docx", source.guid), bytes.to_vec()));
            source
        }
        _ => {
            let text = std::str::from_utf8(bytes).map_err(|_| TranscriptError::NotUtf8)?;
            parse_transcript(name, text, format)?
        }
    };
    if source.text.trim().is_empty() {
        return Err(TranscriptError::Empty);
    }
    Ok(source)
}

/// Parses a transcript into a text source named `name` with a fresh GUID.
pub fn parse_transcript(
    name: &str,
    input: &str,
    format: TranscriptFormat,
) -> Result<TextSource, TranscriptError> {
    let mut source = TextSource::new(Guid::new_v4(), name, "");
    match format {
        TranscriptFormat::PlainText | TranscriptFormat::Markdown => source.text = input.to_owned(),
        TranscriptFormat::WebVtt => (source.text, source.turns) = assemble(parse_vtt(input)?),
        TranscriptFormat::Srt => (source.text, source.turns) = assemble(parse_srt(input)?),
        TranscriptFormat::Docx => {
            let paragraphs: Vec<Paragraph> = input
                .lines()
                .map(|l| Paragraph {
                    text: l.to_owned(),
                    bold_prefix: 0,
                })
                .collect();
            (source.text, source.turns) = from_paragraphs(&paragraphs);
        }
    }
    Ok(source)
}

/// One cue of a subtitle file.
struct Cue {
    speaker: Option<String>,
    start_ms: u64,
    end_ms: u64,
    text: String,
}

/// Blocks of non-empty lines with the 1-based number of their first line.
fn blocks(input: &str) -> Vec<(usize, Vec<&str>)> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut out: Vec<(usize, Vec<&str>)> = Vec::new();
    let mut current: Option<(usize, Vec<&str>)> = None;
    for (i, line) in input.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            out.extend(current.take());
        } else {
            current
                .get_or_insert_with(|| (i + 1, Vec::new()))
                .1
                .push(line);
        }
    }
    out.extend(current);
    out
}

fn parse_vtt(input: &str) -> Result<Vec<Cue>, TranscriptError> {
    let blocks = blocks(input);
    let mut iter = blocks.into_iter();
    match iter.next() {
        Some((_, lines)) if lines[0].starts_with("WEBVTT") => {}
        _ => return Err(TranscriptError::NotWebVtt),
    }
    let mut cues = Vec::new();
    for (first_line, lines) in iter {
        let head = lines[0];
        if head.starts_with("NOTE") || head.starts_with("STYLE") || head.starts_with("REGION") {
            continue;
        }
        let (timing_at, timing) = match lines.iter().position(|l| l.contains("-->")) {
            Some(i) if i <= 1 => (i, lines[i]),
            _ => {
                return Err(TranscriptError::BadTiming {
                    line: first_line,
                    text: head.to_owned(),
                });
            }
        };
        let (start_ms, end_ms) = timing_line(timing, first_line + timing_at)?;
        let payload = lines[timing_at + 1..].join(" ");
        let (voice, payload) = vtt_voice(&payload);
        let text = decode_entities(&strip_tags(&payload));
        cues.push(cue(voice, start_ms, end_ms, text));
    }
    Ok(cues)
}

fn parse_srt(input: &str) -> Result<Vec<Cue>, TranscriptError> {
    let mut cues = Vec::new();
    for (first_line, lines) in blocks(input) {
        let timing_at = usize::from(!lines[0].contains("-->"));
        let timing = lines.get(timing_at).copied().unwrap_or(lines[0]);
        let (start_ms, end_ms) = timing_line(timing, first_line + timing_at)?;
        let payload = lines[timing_at + 1..].join(" ");
        cues.push(cue(None, start_ms, end_ms, strip_tags(&payload)));
    }
    Ok(cues)
}

/// A cue, taking the speaker from a voice tag or else from a leading `Name: ` label.
fn cue(voice: Option<String>, start_ms: u64, end_ms: u64, text: String) -> Cue {
    let text = text.trim().to_owned();
    let (speaker, text) = match voice {
        Some(v) => (Some(v), text),
        None => match speaker_label(&text) {
            Some((s, rest)) => (Some(s.to_owned()), rest.trim_start().to_owned()),
            None => (None, text),
        },
    };
    Cue {
        speaker,
        start_ms,
        end_ms,
        text,
    }
}

/// `Anna: hej` → `("Anna", "hej")`. A label is short and holds no sentence punctuation,
/// so "Note: ..." style prose inside a sentence is not taken for a speaker.
fn speaker_label(text: &str) -> Option<(&str, &str)> {
    let (label, rest) = text.split_once(": ")?;
    let plausible = !label.is_empty()
        && label.chars().count() <= 40
        && !label.contains(['.', ',', '!', '?', ';', '"'])
        && label.split_whitespace().count() <= 4;
    plausible.then_some((label, rest))
}

/// `<v Anna>hej</v>` → speaker `Anna` and the payload.
fn vtt_voice(payload: &str) -> (Option<String>, String) {
    if let Some(rest) = payload.strip_prefix("<v")
        && let Some(close) = rest.find('>')
        && rest.starts_with([' ', '.', '\t'])
    {
        let annotation = &rest[..close];
        // `<v.loud Anna>`: classes come before the first space.
        let name = annotation
            .split_once([' ', '\t'])
            .map_or("", |(_, n)| n)
            .trim();
        let speaker = (!name.is_empty()).then(|| name.to_owned());
        return (speaker, rest[close + 1..].to_owned());
    }
    (None, payload.to_owned())
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for ch in text.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out
}

fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&lrm;", "\u{200e}")
        .replace("&rlm;", "\u{200f}")
        .replace("&amp;", "&")
}

/// The cue timing on line `line`, or an error naming the line.
fn timing_line(text: &str, line: usize) -> Result<(u64, u64), TranscriptError> {
    parse_timing(text).ok_or_else(|| TranscriptError::BadTiming {
        line,
        text: text.to_owned(),
    })
}

/// `00:01:02.500 --> 00:01:04,000 align:start` → milliseconds. A cue that ends before it
/// starts is not a timing.
fn parse_timing(line: &str) -> Option<(u64, u64)> {
    let (a, b) = line.split_once("-->")?;
    let b = b.split_whitespace().next()?;
    let (start, end) = (parse_time(a.trim())?, parse_time(b)?);
    (start <= end).then_some((start, end))
}

/// `hh:mm:ss.mmm`, `mm:ss.mmm` (WebVTT) or `hh:mm:ss,mmm` (SRT).
fn parse_time(t: &str) -> Option<u64> {
    let (clock, millis) = t.split_once(['.', ','])?;
    if millis.len() != 3 {
        return None;
    }
    let millis: u64 = millis.parse().ok()?;
    let parts: Vec<u64> = clock
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    // Checked: a time of more hours than a u64 of milliseconds holds is not a time.
    let seconds = match parts.as_slice() {
        [h, m, s] => h
            .checked_mul(3600)?
            .checked_add(m.checked_mul(60)?)?
            .checked_add(*s)?,
        [m, s] => m.checked_mul(60)?.checked_add(*s)?,
        _ => return None,
    };
    seconds.checked_mul(1000)?.checked_add(millis)
}

/// The speaker a paragraph starts with, if any, and the words after it.
fn paragraph_speaker(p: &Paragraph) -> Option<(&str, &str)> {
    let (bold, rest) = p.split_bold();
    let label = bold.trim();
    if !label.is_empty() {
        let (label, colon) = match label.strip_suffix(':') {
            Some(l) => (l.trim_end(), true),
            None => (label, false),
        };
        let rest_trimmed = rest.trim_start();
        let (colon, rest) = match rest_trimmed.strip_prefix(':') {
            Some(r) => (true, r.trim_start()),
            None => (colon, rest_trimmed),
        };
        // Bold words followed by text are a speaker only with a colon; a bold line alone
        // (`Anna:`, `Speaker 1  0:05`) is a speaker whose words follow in the next
        // paragraphs when it ends in a colon or a time — else it is a heading.
        let (name, time) = without_time(label);
        let alone = rest.trim().is_empty() && (colon || time.is_some());
        if (alone || (colon && !rest.trim().is_empty())) && plausible_label(name) {
            return Some((label, rest));
        }
    }
    speaker_label(p.text.trim())
}

fn plausible_label(label: &str) -> bool {
    !label.is_empty()
        && label.chars().count() <= 40
        && !label.contains(['.', ',', '!', '?', ';', '"'])
        && label.split_whitespace().count() <= 4
}

/// `Anna (00:01:05)`, `Anna [1:05]` or `Speaker 1 0:05` → the name and the time in
/// milliseconds; a label without a time is the name.
fn without_time(label: &str) -> (&str, Option<u64>) {
    let label = label.trim();
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some(inner) = label.strip_suffix(close)
            && let Some((name, time)) = inner.rsplit_once(open)
            && let Some(ms) = clock_ms(time.trim())
        {
            return (name.trim_end(), Some(ms));
        }
    }
    if let Some((name, time)) = label.rsplit_once(char::is_whitespace)
        && let Some(ms) = clock_ms(time)
    {
        return (name.trim_end(), Some(ms));
    }
    (label, None)
}

/// `h:mm:ss`, `mm:ss` or `m:ss`, optionally with milliseconds.
fn clock_ms(t: &str) -> Option<u64> {
    if !t.contains(':') || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    parse_time(t).or_else(|| parse_time(&format!("{t}.000")))
}

/// A document's paragraphs as the text a coder sees and its turns (see the module's doc).
fn from_paragraphs(paragraphs: &[Paragraph]) -> (String, Vec<Turn>) {
    let mut lines = Lines::default();
    // A speaker named on a paragraph of their own, whose words follow: name, time, and
    // the paragraph as written (a line of its own if nobody's words follow).
    let mut waiting: Option<(String, Option<u64>, &str)> = None;
    for p in paragraphs {
        let (speaker, words) = match paragraph_speaker(p) {
            Some((label, words)) => {
                if let Some((_, _, text)) = waiting.take() {
                    lines.push(None, text.trim());
                }
                let (name, at) = without_time(label);
                if words.trim().is_empty() {
                    waiting = Some((name.to_owned(), at, &p.text));
                    continue;
                }
                (Some((name.to_owned(), at)), words.trim())
            }
            None if p.text.trim().is_empty() => continue,
            None => (
                waiting.take().map(|(name, at, _)| (name, at)),
                p.text.trim(),
            ),
        };
        lines.push(speaker, words);
    }
    if let Some((_, _, text)) = waiting {
        lines.push(None, text.trim());
    }
    (lines.text, lines.turns)
}

/// The text and turns being built from paragraphs.
#[derive(Default)]
struct Lines {
    text: String,
    turns: Vec<Turn>,
    /// Code points so far.
    pos: usize,
    /// Whether the last line belongs to the last turn (the lines after a speaker's first
    /// one are theirs until the next speaker).
    in_turn: bool,
}

impl Lines {
    fn push(&mut self, speaker: Option<(String, Option<u64>)>, words: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
            self.pos += 1;
        }
        let line = match &speaker {
            Some((name, _)) => format!("{name}: {words}"),
            None => words.to_owned(),
        };
        let len = line.chars().count();
        self.text.push_str(&line);
        let end = self.pos + len;
        match speaker {
            Some((name, at)) => {
                let start_ms = at.unwrap_or_else(|| self.turns.last().map_or(0, |t| t.end_ms));
                if let Some(last) = self.turns.last_mut()
                    && last.end_ms < start_ms
                {
                    last.end_ms = start_ms;
                }
                self.turns.push(Turn {
                    speaker: Some(name),
                    start_ms,
                    end_ms: start_ms,
                    text_start: self.pos,
                    text_end: end,
                });
                self.in_turn = true;
            }
            None => {
                if let Some(last) = self.turns.last_mut().filter(|_| self.in_turn) {
                    last.text_end = end;
                }
            }
        }
        self.pos = end;
    }
}

/// Joins cues into turns and the text a coder sees.
fn assemble(cues: Vec<Cue>) -> (String, Vec<Turn>) {
    let mut merged: Vec<Cue> = Vec::new();
    for c in cues.into_iter().filter(|c| !c.text.is_empty()) {
        match merged.last_mut() {
            Some(last) if last.speaker == c.speaker && c.speaker.is_some() => {
                last.text.push(' ');
                last.text.push_str(&c.text);
                last.end_ms = last.end_ms.max(c.end_ms);
            }
            _ => merged.push(c),
        }
    }
    let mut text = String::new();
    let mut turns = Vec::with_capacity(merged.len());
    let mut pos = 0usize;
    for c in merged {
        if !text.is_empty() {
            text.push('\n');
            pos += 1;
        }
        let line = match &c.speaker {
            Some(s) => format!("{s}: {}", c.text),
            None => c.text,
        };
        let len = line.chars().count();
        text.push_str(&line);
        turns.push(Turn {
            speaker: c.speaker,
            start_ms: c.start_ms,
            end_ms: c.end_ms,
            text_start: pos,
            text_end: pos + len,
        });
        pos += len;
    }
    (text, turns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_both_notations() {
        assert_eq!(parse_time("01:02:03.456"), Some(3_723_456));
        assert_eq!(parse_time("02:03,456"), Some(123_456));
        assert_eq!(parse_time("02:03"), None);
    }

    #[test]
    fn speaker_labels_are_short_names() {
        assert_eq!(speaker_label("Anna: hej"), Some(("Anna", "hej")));
        assert_eq!(speaker_label("I said, well: no"), None);
    }

    #[test]
    fn voice_with_class() {
        let (v, rest) = vtt_voice("<v.loud Björn Berg>Hallå!</v>");
        assert_eq!(v.as_deref(), Some("Björn Berg"));
        assert_eq!(strip_tags(&rest), "Hallå!");
    }
}
