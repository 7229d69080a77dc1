//! Cells of the CSV files meant to be opened in a spreadsheet (figures, reviews, excerpts),
//! written in one place so that every such file guards against formulas the same way.
//!
//! A spreadsheet takes a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab or a
//! carriage return before one) as a formula: an excerpt reading `=HYPERLINK("http://…")`
//! would become a link, and worse, when the file is opened. As OWASP advises ("CSV
//! injection"), such a cell is written with a single quote in front, which spreadsheets
//! show as text. A plain number (`-0.5`) is left as it is: it is not a formula.
//!
//! The interchange export does NOT use this: it is data to be read back byte for byte, not a
//! spreadsheet (docs/interchange.md says so).

use std::borrow::Cow;

/// Whether a spreadsheet could take the cell as a formula.
fn starts_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(s)
}

/// `-12`, `-0.5`, `+3`: a sign, digits and at most one decimal point.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The text of a cell with a formula made harmless: `'` in front of a cell that starts one.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if starts_formula(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A cell of a CSV file for spreadsheets: [`neutralise`]d, then quoted when it holds a
/// comma, a quote or a line break (RFC 4180).
pub fn cell(s: &str) -> Cow<'_, str> {
    let s = neutralise(s);
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_prefixed_and_numbers_and_text_are_not() {
        for (given, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            ),
            ("+1+2", "'+1+2"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("-", "'-"),
            ("-0.5", "-0.5"),
            ("+3", "+3"),
            ("12", "12"),
            ("0.25", "0.25"),
            ("-.5", "'-.5"),
            ("a=b", "a=b"),
            ("Kaffe, 30 min", "\"Kaffe, 30 min\""),
            ("", ""),
        ] {
            assert_eq!(cell(given), written, "{given:?}");
        }
    }
}
