//! JSON as METRICS.md writes it: one line, `", "` between members and `": "` after keys,
//! e.g. `{"program": "P1", "at": "2025-06-30", …}`. Any JSON reader takes it; a person
//! comparing with the spec sees the same text.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

struct Spaced;

impl Formatter for Spaced {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
}

/// One line of JSON in the spec's layout.
pub fn to_line<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    value.serialize(&mut Serializer::with_formatter(&mut out, Spaced))?;
    // serde_json writes only valid UTF-8.
    Ok(String::from_utf8(out).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn spaced_like_the_spec() {
        let v = serde_json::json!({"program": "P1", "items": [{"id": "S1", "value": 14.5}, {"id": "S2", "value": null}]});
        assert_eq!(
            super::to_line(&v).unwrap(),
            r#"{"items": [{"id": "S1", "value": 14.5}, {"id": "S2", "value": null}], "program": "P1"}"#
        );
    }
}
