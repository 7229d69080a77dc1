//! A small element tree over quick-xml: REFI-QDA files are read whole into it, checked and
//! turned into the model, and unknown parts are written back from it verbatim.

use std::fmt::Write as _;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// An element with its attributes (namespace prefixes dropped), children and the text
/// directly inside it. `line` is where it starts in its file, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    pub line: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
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
        for (k, v) in &self.attrs {
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
    let end = (byte as usize).min(input.len());
    input.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_owned(),
        None => name.into_owned(),
    }
}

fn start(input: &str, e: &BytesStart<'_>, at: u64) -> Result<Element, XmlError> {
    let line = line_at(input, at);
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| XmlError {
            line,
            message: err.to_string(),
        })?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        if key == "xmlns" || key.starts_with("xmlns:") || key.starts_with("xsi:") {
            continue;
        }
        let value = a.unescape_value().map_err(|err| XmlError {
            line,
            message: err.to_string(),
        })?;
        attrs.push((local(a.key.as_ref()), value.into_owned()));
    }
    Ok(Element {
        name: local(e.name().as_ref()),
        attrs,
        children: Vec::new(),
        text: String::new(),
        line,
    })
}

/// Parses a whole document into its root element.
pub(crate) fn parse(input: &str) -> Result<Element, XmlError> {
    let input_nobom = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut reader = Reader::from_str(input_nobom);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
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
            Event::Start(e) => stack.push(start(input_nobom, &e, at)?),
            Event::Empty(e) => {
                let el = start(input_nobom, &e, at)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack
                    .pop()
                    .ok_or_else(|| err(&reader, "unexpected end tag".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    let text = t.xml_content().map_err(|e| err(&reader, e.to_string()))?;
                    el.text.push_str(&text);
                }
            }
            Event::CData(t) => {
                if let Some(el) = stack.last_mut() {
                    let text = t.xml_content().map_err(|e| err(&reader, e.to_string()))?;
                    el.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r
                    .resolve_char_ref()
                    .map_err(|e| err(&reader, e.to_string()))?
                {
                    Some(ch) => ch.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| err(&reader, e.to_string()))?;
                        quick_xml::escape::resolve_xml_entity(&name)
                            .ok_or_else(|| err(&reader, format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(XmlError {
            line: line_at(input_nobom, input_nobom.len() as u64),
            message: format!("the document ends inside <{}>", stack[stack.len() - 1].name),
        });
    }
    root.ok_or(XmlError {
        line: 1,
        message: "the document has no root element".into(),
    })
}

/// Escapes text content; `\r` is written as a character reference so that it survives.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(ch),
        }
    }
    out
}

/// Escapes an attribute value; whitespace other than spaces is written as character
/// references, because a parser would otherwise turn it into spaces.
pub(crate) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            _ => out.push(ch),
        }
    }
    out
}
