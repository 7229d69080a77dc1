//! A small element tree over quick-xml: REFI-QDA files are read whole into it, checked and
//! turned into the model, and unknown parts are written back from it verbatim.

use std::borrow::Cow;
use std::fmt::Write as _;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// The deepest nesting of elements read. REFI-QDA's deepest structure is the code tree
/// (`Project` › `CodeBook` › `Codes` › `Code` › …): 256 levels leave room for a code tree
/// far deeper than any real one, and refusing past it keeps a hostile file from
/// exhausting the stack of the code that walks the tree.
pub(crate) const MAX_DEPTH: usize = 256;

/// The most attributes one element may carry (namespace declarations included). The
/// schema's richest element has fewer than twenty.
pub(crate) const MAX_ATTRIBUTES: usize = 1_000;

/// An element with its attributes (namespace prefixes dropped), children and the text
/// directly inside it. `line` is where it starts in its file, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: Cow<'static, str>,
    /// Attribute names with the byte range of their value in `values`: one allocation
    /// per element rather than one per value keeps large projects in memory.
    attrs: Vec<(Cow<'static, str>, u32, u32)>,
    values: String,
    pub children: Vec<Element>,
    pub text: String,
    pub line: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The attributes in document order, as name and value.
    pub fn attrs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attrs
            .iter()
            .map(|(k, from, to)| (k.as_ref(), &self.values[*from as usize..*to as usize]))
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Writes the element back as XML in the default namespace of its document.
    pub fn write_to(&self, out: &mut String) {
        let _ = write!(out, "<{}", self.name);
        for (k, v) in self.attrs() {
            let _ = write!(out, " {k}=\"{}\"", escape_attr(v));
        }
        if self.children.is_empty() && self.text.is_empty() {
            out.push_str("/>");
            return;
        }
        out.push('>');
        // Whitespace between child elements is layout, not content.
        if self.children.is_empty() || !self.text.trim().is_empty() {
            out.push_str(&escape_text(&self.text));
        }
        for c in &self.children {
            c.write_to(out);
        }
        let _ = write!(out, "</{}>", self.name);
    }
}

/// A document that is not well-formed XML: the message and the line.
#[derive(Debug)]
pub(crate) struct XmlError {
    pub line: usize,
    pub message: String,
}

fn line_at(input: &str, byte: u64) -> usize {
    Lines::default().at(input, byte)
}

/// Line numbers of increasing byte offsets, counting each newline once so that numbering
/// every element of a large file stays linear.
#[derive(Default)]
struct Lines {
    byte: usize,
    newlines: usize,
}

impl Lines {
    fn at(&mut self, input: &str, byte: u64) -> usize {
        let end = (byte as usize).min(input.len());
        if end < self.byte {
            *self = Lines::default();
        }
        let counted = &input.as_bytes()[self.byte..end];
        self.newlines += counted.iter().filter(|&&b| b == b'\n').count();
        self.byte = end;
        self.newlines + 1
    }
}

/// The local name (prefix dropped). Names REFI-QDA defines are shared, not allocated:
/// a large project has millions of them.
fn local(name: &str) -> Cow<'static, str> {
    let local = name.rsplit_once(':').map_or(name, |(_, l)| l);
    match KNOWN_NAMES.iter().find(|k| **k == local) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(local.to_owned()),
    }
}

/// The names that occur most often, most frequent first.
const KNOWN_NAMES: &[&str] = &[
    "guid",
    "targetGUID",
    "creatingUser",
    "creationDateTime",
    "CodeRef",
    "Coding",
    "PlainTextSelection",
    "startPosition",
    "endPosition",
    "NoteRef",
    "name",
    "Description",
    "modifyingUser",
    "modifiedDateTime",
    "TextSource",
    "Code",
    "isCodable",
    "color",
    "plainTextPath",
    "PlainTextContent",
    "Note",
    "User",
    "MemberCode",
    "MemberSource",
    "MemberNote",
    "Set",
];

fn start(line: usize, e: &BytesStart<'_>) -> Result<Element, XmlError> {
    let mut attrs = Vec::new();
    let mut values = String::new();
    for (n, a) in e.attributes().enumerate() {
        if n == MAX_ATTRIBUTES {
            return Err(XmlError {
                line,
                message: format!(
                    "<{}> has more than {MAX_ATTRIBUTES} attributes; no REFI-QDA element has that many, so the file was not read",
                    e.name().as_ref()
                ),
            });
        }
        let a = a.map_err(|err| XmlError {
            line,
            message: err.to_string(),
        })?;
        let key: &str = a.key.as_ref();
        if key == "xmlns" || key.starts_with("xmlns:") || key.starts_with("xsi:") {
            continue;
        }
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| XmlError {
                line,
                message: err.to_string(),
            })?;
        let from = values.len() as u32;
        values.push_str(&xml_chars(value));
        attrs.push((local(key), from, values.len() as u32));
    }
    attrs.shrink_to_fit();
    values.shrink_to_fit();
    Ok(Element {
        name: local(e.name().as_ref()),
        attrs,
        values,
        children: Vec::new(),
        text: String::new(),
        line,
    })
}

/// Adds a finished element to its parent, or makes it the root. Whitespace the parent
/// collected before it is layout, not content, and is let go to save memory.
fn adopt(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => {
            if !parent.text.is_empty() && parent.text.trim().is_empty() {
                parent.text = String::new();
            }
            parent.children.push(el);
        }
        None => *root = Some(el),
    }
}

/// A complete element goes to the source handler when it is a child of the root's
/// `<Sources>`, else into the tree.
fn finish<E>(
    el: Element,
    stack: &mut [Element],
    root: &mut Option<Element>,
    on_source: Option<&mut impl FnMut(Element) -> Result<(), E>>,
) -> Result<(), ParseError<E>> {
    match on_source {
        Some(handle) if stack.len() == 2 && stack[1].name == "Sources" => {
            handle(el).map_err(ParseError::Handler)
        }
        _ => {
            adopt(stack, root, el);
            Ok(())
        }
    }
}

/// Either the document is not well-formed, or the handler of a streamed element failed.
pub(crate) enum ParseError<E> {
    Xml(XmlError),
    Handler(E),
}

impl<E> From<XmlError> for ParseError<E> {
    fn from(e: XmlError) -> Self {
        ParseError::Xml(e)
    }
}

/// Parses a whole document into its root element.
pub(crate) fn parse(input: &str) -> Result<Element, XmlError> {
    parse_streaming(input, None::<fn(Element) -> Result<(), XmlError>>).map_err(|e| match e {
        ParseError::Xml(e) | ParseError::Handler(e) => e,
    })
}

/// Parses a document; with `on_source`, each child of the root's `<Sources>` is handed
/// over as soon as it is complete and left out of the tree, so that a project with
/// hundreds of thousands of coded segments never has all of them in the tree at once.
pub(crate) fn parse_streaming<E>(
    input: &str,
    mut on_source: Option<impl FnMut(Element) -> Result<(), E>>,
) -> Result<Element, ParseError<E>> {
    let input_nobom = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut reader = Reader::from_str(input_nobom);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut lines = Lines::default();
    let err = |reader: &Reader<&[u8]>, message: String| XmlError {
        line: line_at(
            input_nobom,
            reader.error_position().max(reader.buffer_position()),
        ),
        message,
    };
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| err(&reader, e.to_string()))?;
        match event {
            Event::Start(e) => {
                let line = lines.at(input_nobom, at);
                if stack.len() == MAX_DEPTH {
                    return Err(ParseError::Xml(XmlError {
                        line,
                        message: format!(
                            "elements are nested more than {MAX_DEPTH} levels deep; no REFI-QDA file needs that many, so the file was not read"
                        ),
                    }));
                }
                stack.push(start(line, &e)?);
            }
            Event::Empty(e) => {
                let el = start(lines.at(input_nobom, at), &e)?;
                finish(el, &mut stack, &mut root, on_source.as_mut())?;
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| err(&reader, "unexpected end tag".into()))?;
                finish(el, &mut stack, &mut root, on_source.as_mut())?;
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text
                        .push_str(&xml_chars(t.xml_content(XmlVersion::Implicit1_0)));
                }
            }
            Event::CData(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text
                        .push_str(&xml_chars(t.xml_content(XmlVersion::Implicit1_0)));
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r
                    .resolve_char_ref()
                    .map_err(|e| err(&reader, e.to_string()))?
                {
                    Some(ch) => ch.to_string(),
                    None => {
                        let name: &str = &r;
                        quick_xml::escape::resolve_xml_entity(name)
                            .ok_or_else(|| err(&reader, format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&xml_chars(Cow::Owned(resolved)));
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(ParseError::Xml(XmlError {
            line: line_at(input_nobom, input_nobom.len() as u64),
            message: format!("the document ends inside <{}>", stack[stack.len() - 1].name),
        }));
    }
    root.ok_or(ParseError::Xml(XmlError {
        line: 1,
        message: "the document has no root element".into(),
    }))
}

/// Whether XML 1.0 forbids a character outright, even as a character reference: control
/// characters other than tab, line feed and carriage return, and U+FFFE and U+FFFF.
fn forbidden(ch: char) -> bool {
    (ch < ' ' && !matches!(ch, '\t' | '\n' | '\r')) || matches!(ch, '\u{fffe}' | '\u{ffff}')
}

/// Text as read, with each character XML 1.0 forbids (which some tools write all the same,
/// raw or as a reference) replaced by U+FFFD, as [`escape`] writes it: what is read is what
/// a later export writes and reads back.
fn xml_chars(s: Cow<'_, str>) -> Cow<'_, str> {
    if s.chars().any(forbidden) {
        Cow::Owned(
            s.chars()
                .map(|ch| if forbidden(ch) { '\u{fffd}' } else { ch })
                .collect(),
        )
    } else {
        s
    }
}

/// Escapes text content; `\r` is written as a character reference so that it survives.
pub(crate) fn escape_text(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Escapes an attribute value; whitespace other than spaces is written as character
/// references, because a parser would otherwise turn it into spaces.
pub(crate) fn escape_attr(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> Cow<'_, str> {
    // Most values (GUIDs, numbers, names) hold nothing to escape: no markup, no control
    // character, no lead byte of U+FFFE/U+FFFF. They are written as they are.
    let plain = |b: u8| b >= 0x20 && !matches!(b, b'&' | b'<' | b'>' | 0xEF);
    if s.bytes().all(|b| plain(b) && !(attribute && b == b'"')) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            // XML 1.0 cannot carry these even as references: U+FFFD keeps the document
            // readable by every tool.
            '\t' | '\n' => out.push(ch),
            _ if ch < ' ' || matches!(ch, '\u{fffe}' | '\u{ffff}') => out.push('\u{fffd}'),
            _ => out.push(ch),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_what_xml_can_hold() {
        assert_eq!(escape_text("a<b>&c\r\n"), "a&lt;b&gt;&amp;c&#13;\n");
        assert_eq!(escape_attr("\"x\"\t\n"), "&quot;x&quot;&#9;&#10;");
        assert_eq!(escape_text("bell\u{7}"), "bell\u{fffd}");
    }

    #[test]
    fn layout_whitespace_is_dropped_and_text_kept() {
        let root = parse("<a>\n  <b> x &amp; y </b>\n  <c/>\n</a>")
            .unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(root.children.len(), 2);
        assert_eq!(root.children[0].text, " x & y ");
        let mut out = String::new();
        root.write_to(&mut out);
        assert_eq!(out, "<a><b> x &amp; y </b><c/></a>");
        assert_eq!(root.children[1].line, 3);
    }
}
