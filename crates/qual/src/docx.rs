//! Word documents (`.docx`, Office Open XML WordprocessingML): the paragraphs of a
//! transcript as transcribers deliver it, and a minimal document fika writes (a code's
//! excerpts for a report).
//!
//! Reading goes through the same guards as a REFI-QDA archive (`refi::archive`: entry
//! names checked, the declared sizes within [`MAX_UNCOMPRESSED_BYTES`] before anything is
//! decompressed, no entry read past its declared size; `refi::xml`: nesting at most 256
//! levels, at most 1,000 attributes on one element), so a hostile file is refused before it
//! exhausts memory or the stack. Only `word/document.xml` is read: its paragraphs (`w:p`,
//! also inside tables and content controls) with their text (`w:t`), tabs and line
//! breaks, and which leading runs are bold — read as a stream, so that memory grows with the
//! text kept rather than with the number of elements — the way transcribers mark a speaker. Deleted
//! text of tracked changes, field codes, pictures and text boxes are left out.
//!
//! Writing produces the smallest package Word and LibreOffice open: `[Content_Types].xml`,
//! `_rels/.rels`, `word/document.xml`, `word/styles.xml` (Title, Heading 1–3, Quote and a
//! muted caption style, so that headings survive a paste into a report) and the
//! document's relationships. Every text is escaped; the same blocks give the same bytes.

use std::io::Cursor;

use crate::refi::QdpxError;
use crate::refi::archive::{Archive, ZipOut};
use crate::refi::xml;
use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

/// The most a `.docx` may expand to, all its parts together. A two-hour interview's
/// `document.xml` is under 2 MB; pictures can make a file larger, but not this large.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 32 * 1024 * 1024;

/// One paragraph of a document: its text, and how many of its leading bytes are in bold
/// runs (a speaker's name, as many transcribers write it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paragraph {
    pub text: String,
    /// Bytes of `text` from its start that are bold, up to the first run that is not.
    pub bold_prefix: usize,
}

impl Paragraph {
    /// The bold start and the rest.
    pub fn split_bold(&self) -> (&str, &str) {
        self.text.split_at(self.bold_prefix)
    }
}

/// Why a `.docx` was not read. Each says what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    #[error(
        "the file is not a Word document (.docx): {detail}; save it from the word processor as .docx (Word 2007 or later) and try again"
    )]
    NotDocx { detail: String },
    #[error(
        "the document expands beyond {} MB; a transcript is far smaller, so the file was not read — save the text alone as a new .docx",
        .limit.div_ceil(1024 * 1024)
    )]
    TooLarge { limit: u64 },
    #[error(
        "the document is damaged or built to exhaust memory ({detail}) and was not read; save it again from the word processor"
    )]
    Damaged { detail: String },
    #[error("the document holds no text")]
    Empty,
    #[error("writing the document failed: {0}")]
    Write(String),
}

impl From<QdpxError> for DocxError {
    fn from(e: QdpxError) -> Self {
        match e {
            QdpxError::NotZip { detail } => DocxError::NotDocx { detail },
            QdpxError::TooLarge { limit, .. } => DocxError::TooLarge { limit },
            QdpxError::Write(detail) => DocxError::Write(detail),
            other => DocxError::Damaged {
                detail: other.to_string(),
            },
        }
    }
}

/// The paragraphs of a `.docx` that hold text, in document order.
pub fn read_paragraphs(bytes: &[u8]) -> Result<Vec<Paragraph>, DocxError> {
    read_paragraphs_within(bytes, MAX_UNCOMPRESSED_BYTES)
}

/// [`read_paragraphs`] with another limit on the expanded size.
pub fn read_paragraphs_within(bytes: &[u8], limit: u64) -> Result<Vec<Paragraph>, DocxError> {
    let mut archive = Archive::open(Cursor::new(bytes), limit)?;
    let Some(entry) = archive.find("word/document.xml") else {
        return Err(DocxError::NotDocx {
            detail: "it holds no word/document.xml".into(),
        });
    };
    let xml = archive.read(&entry)?;
    let text = String::from_utf8(xml).map_err(|_| DocxError::Damaged {
        detail: "word/document.xml is not UTF-8".into(),
    })?;
    paragraphs_of(&text)
}

/// Elements whose content is not the document's text: tracked deletions, field codes,
/// section properties, pictures, drawings and embedded objects (their text boxes hold
/// paragraphs of their own, and DrawingML has a `t` of its own).
const SKIPPED: &[&str] = &[
    "del",
    "moveFrom",
    "delText",
    "instrText",
    "sectPr",
    "drawing",
    "pict",
    "object",
    "AlternateContent",
];

/// Where the reader is inside `document.xml`: element depths of what is open.
#[derive(Default)]
struct Walk {
    out: Vec<Paragraph>,
    current: Paragraph,
    /// Whether every text of the paragraph so far was bold.
    still_bold: bool,
    paragraph: Option<usize>,
    /// The run's depth and whether it is bold.
    run: Option<(usize, bool)>,
    run_properties: Option<usize>,
    text: Option<usize>,
    /// Everything inside this element is left out.
    skip: Option<usize>,
}

impl Walk {
    fn open(&mut self, name: &str, depth: usize, bold_off: bool, empty: bool) {
        if self.skip.is_some() {
            return;
        }
        let in_run = self.run.is_some() && self.run_properties.is_none();
        match name {
            _ if SKIPPED.contains(&name) => self.skip = Some(depth),
            // A paragraph inside a paragraph is a text box's: left out.
            "p" if self.paragraph.is_some() => self.skip = Some(depth),
            "p" => {
                self.paragraph = Some(depth);
                self.still_bold = true;
            }
            "pPr" if self.paragraph.is_some() && self.run.is_none() => self.skip = Some(depth),
            "r" if self.paragraph.is_some() => self.run = Some((depth, false)),
            "rPr" if self.run.is_some() => self.run_properties = Some(depth),
            "b" if self.run_properties.is_some_and(|d| d + 1 == depth) => {
                if let Some((_, bold)) = &mut self.run {
                    *bold = !bold_off;
                }
            }
            "t" if in_run => self.text = Some(depth),
            "tab" | "ptab" if in_run => self.push("\t"),
            "noBreakHyphen" if in_run => self.push("-"),
            "br" | "cr" if in_run => {
                self.end_paragraph();
                self.still_bold = true;
            }
            _ => {}
        }
        if empty {
            self.close(depth);
        }
    }

    fn close(&mut self, depth: usize) {
        if let Some(d) = self.skip {
            if d == depth {
                self.skip = None;
            }
            return;
        }
        if self.text == Some(depth) {
            self.text = None;
        } else if self.run_properties == Some(depth) {
            self.run_properties = None;
        } else if self.run.is_some_and(|(d, _)| d == depth) {
            self.run = None;
        } else if self.paragraph == Some(depth) {
            self.paragraph = None;
            self.end_paragraph();
        }
    }

    /// Keeps the paragraph read so far, unless it has no text: a million empty paragraphs
    /// take no memory.
    fn end_paragraph(&mut self) {
        let done = std::mem::take(&mut self.current);
        if !done.text.is_empty() {
            self.out.push(done);
        }
    }

    /// Text of the open run.
    fn push(&mut self, piece: &str) {
        if piece.is_empty() || self.skip.is_some() {
            return;
        }
        let bold = self.run.is_some_and(|(_, b)| b);
        self.current.text.push_str(piece);
        if bold && self.still_bold {
            self.current.bold_prefix = self.current.text.len();
        } else if !bold || !piece.trim().is_empty() {
            self.still_bold = false;
        }
    }
}

/// The paragraphs of `document.xml`, read as a stream: memory grows with the text kept, not
/// with the number of elements, and nesting past `xml::MAX_DEPTH` or more than
/// `xml::MAX_ATTRIBUTES` attributes on an element is refused.
fn paragraphs_of(input: &str) -> Result<Vec<Paragraph>, DocxError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut reader = Reader::from_str(input);
    reader.config_mut().check_end_names = true;
    let damaged = |reader: &Reader<&[u8]>, message: String| {
        let at = usize::try_from(reader.buffer_position())
            .unwrap_or(usize::MAX)
            .min(input.len());
        let line = input.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        DocxError::Damaged {
            detail: format!("word/document.xml line {line}: {message}"),
        }
    };
    let mut walk = Walk::default();
    let mut depth = 0usize;
    let mut seen_root = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| damaged(&reader, e.to_string()))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if e.attributes().take(xml::MAX_ATTRIBUTES + 1).count() > xml::MAX_ATTRIBUTES {
                    return Err(damaged(
                        &reader,
                        format!(
                            "an element has more than {} attributes",
                            xml::MAX_ATTRIBUTES
                        ),
                    ));
                }
                depth += 1;
                if depth > xml::MAX_DEPTH {
                    return Err(damaged(
                        &reader,
                        format!(
                            "elements are nested more than {} levels deep",
                            xml::MAX_DEPTH
                        ),
                    ));
                }
                let name = e.local_name();
                let name: &str = name.as_ref();
                if !seen_root {
                    seen_root = true;
                    if name != "document" {
                        return Err(DocxError::NotDocx {
                            detail: format!("word/document.xml holds <{name}>, not a document"),
                        });
                    }
                }
                let bold_off = name == "b"
                    && e.attributes().flatten().any(|a| {
                        a.key.local_name().as_ref() == "val"
                            && matches!(a.value.as_ref(), "0" | "false" | "off")
                    });
                walk.open(name, depth, bold_off, empty);
                if empty {
                    depth -= 1;
                }
            }
            Event::End(_) => {
                walk.close(depth);
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if walk.text.is_some() => {
                walk.push(&t.xml_content(XmlVersion::Implicit1_0));
            }
            Event::CData(t) if walk.text.is_some() => {
                walk.push(&t.xml_content(XmlVersion::Implicit1_0));
            }
            Event::GeneralRef(r) if walk.text.is_some() => {
                let resolved = match r
                    .resolve_char_ref()
                    .map_err(|e| damaged(&reader, e.to_string()))?
                {
                    Some(ch) => ch.to_string(),
                    None => {
                        let name: &str = &r;
                        quick_xml::escape::resolve_xml_entity(name)
                            .ok_or_else(|| damaged(&reader, format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                walk.push(&resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(damaged(
            &reader,
            "the document ends inside an element".into(),
        ));
    }
    if !seen_root {
        return Err(DocxError::NotDocx {
            detail: "word/document.xml is empty".into(),
        });
    }
    Ok(walk.out)
}

/// A block of the document fika writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The document's title.
    Title(String),
    /// A heading, level 1 to 3 (deeper levels are written as 3).
    Heading(u8, String),
    /// A paragraph of body text.
    Text(String),
    /// A quotation (an excerpt), indented; line breaks kept.
    Quote(String),
    /// A small muted line (where an excerpt comes from).
    Caption(String),
}

/// A `.docx` holding `blocks`, in `lang` (a BCP 47 tag such as `en-GB` or `sv-SE`, for the
/// spelling checker).
pub fn write_document(blocks: &[Block], lang: &str) -> Result<Vec<u8>, DocxError> {
    let mut zip = ZipOut::new(Cursor::new(Vec::new()));
    let mut put = |name: &str, content: &str| {
        zip.entry(name, |w| w.write_all(content.as_bytes()))
            .map_err(DocxError::from)
    };
    put("[Content_Types].xml", CONTENT_TYPES)?;
    put("_rels/.rels", PACKAGE_RELS)?;
    put("word/_rels/document.xml.rels", DOCUMENT_RELS)?;
    put("word/styles.xml", &styles(lang))?;
    put("word/document.xml", &document_xml(blocks))?;
    Ok(zip.finish()?.into_inner())
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The styles part. Children keep the order the WordprocessingML schema gives them
/// (`w:spacing` before `w:ind`, `w:color` before `w:sz`): Word refuses a document otherwise.
fn styles(lang: &str) -> String {
    let lang = xml::escape_attr(lang);
    let para = |id: &str, name: &str, ppr: &str, rpr: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
        )
    };
    let heading = |level: u8, size: u8| {
        para(
            &format!("Heading{level}"),
            &format!("heading {level}"),
            &format!(
                r#"<w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="{}"/>"#,
                level - 1
            ),
            &format!(r#"<w:b/><w:sz w:val="{size}"/>"#),
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:lang w:val="{lang}"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>{}{}{}{}{}{}</w:styles>"#,
        para(
            "Title",
            "Title",
            r#"<w:spacing w:after="240"/>"#,
            r#"<w:b/><w:sz w:val="40"/>"#
        ),
        heading(1, 32),
        heading(2, 28),
        heading(3, 24),
        para(
            "Quote",
            "Quote",
            r#"<w:spacing w:after="40"/><w:ind w:left="567" w:right="567"/>"#,
            r#"<w:i/>"#
        ),
        para(
            "Caption",
            "caption",
            r#"<w:spacing w:after="200"/><w:ind w:left="567"/>"#,
            r#"<w:color w:val="595959"/><w:sz w:val="18"/>"#
        ),
    )
}

fn document_xml(blocks: &[Block]) -> String {
    let mut out = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}"><w:body>"#
    );
    for b in blocks {
        let (style, text) = match b {
            Block::Title(t) => (Some("Title".to_owned()), t),
            Block::Heading(level, t) => (Some(format!("Heading{}", (*level).clamp(1, 3))), t),
            Block::Text(t) => (None, t),
            Block::Quote(t) => (Some("Quote".to_owned()), t),
            Block::Caption(t) => (Some("Caption".to_owned()), t),
        };
        out.push_str("<w:p>");
        if let Some(s) = style {
            out.push_str(&format!(r#"<w:pPr><w:pStyle w:val="{s}"/></w:pPr>"#));
        }
        out.push_str("<w:r>");
        // A line break or tab inside the text is an element of its own in WordprocessingML.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push_str("<w:br/>");
            }
            for (j, piece) in line.split('\t').enumerate() {
                if j > 0 {
                    out.push_str("<w:tab/>");
                }
                if !piece.is_empty() {
                    out.push_str(r#"<w:t xml:space="preserve">"#);
                    out.push_str(&xml::escape_text(piece));
                    out.push_str("</w:t>");
                }
            }
        }
        out.push_str("</w:r></w:p>");
    }
    // A4 with 2.5 cm margins.
    out.push_str(r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>"#);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_fika_writes_it_reads_back() {
        let blocks = [
            Block::Title("Kod <&> \"citat\"".into()),
            Block::Heading(5, "Djup".into()),
            Block::Quote("rad ett\r\nrad\ttvå".into()),
            Block::Caption("bell\u{7}".into()),
        ];
        let bytes = write_document(&blocks, "sv-SE").unwrap();
        let paras = read_paragraphs(&bytes).unwrap();
        let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Kod <&> \"citat\"",
                "Djup",
                "rad ett",
                "rad\ttvå",
                "bell\u{fffd}"
            ]
        );
        assert_eq!(
            write_document(&blocks, "sv-SE").unwrap(),
            bytes,
            "same bytes"
        );
    }
}
