//! Spreadsheet CSV: RFC 4180 quoting, a header row of column keys, and text cells
//! neutralised so that a spreadsheet never reads them as a formula.

use crate::table::{Cell, Table};

/// Text that a spreadsheet would take for a formula (it begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading apostrophe, which spreadsheets show as
/// text and do not evaluate (OWASP's advice on CSV injection). Other text is unchanged.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// A CSV field, quoted when it needs to be (RFC 4180).
pub fn field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

fn cell(c: &Cell) -> String {
    match c {
        // Only text can carry a formula; numbers and dates are written as they are.
        Cell::Text(s) => field(&neutralise(s)).into_owned(),
        other => other.plain(),
    }
}

/// The table as CSV: the column keys, then one line per row (rates as fractions 0–1,
/// dates as YYYY-MM-DD, empty cells empty).
pub fn table(t: &Table) -> String {
    let mut out = String::new();
    let header: Vec<String> = t
        .columns
        .iter()
        .map(|c| field(&c.key).into_owned())
        .collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(cell).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Column;

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        for (raw, want) in [
            ("=1+2", "'=1+2"),
            ("+46 70", "'+46 70"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("Lund", "Lund"),
            ("", ""),
        ] {
            assert_eq!(neutralise(raw), want, "{raw:?}");
        }
        let mut t = Table::new(
            "t",
            "t",
            vec![Column::new("a", "A", 5.0), Column::new("b", "B", 5.0)],
        );
        t.rows
            .push(vec![Cell::text("=HYPERLINK(\"x\")"), Cell::Int(-3)]);
        t.rows.push(vec![Cell::text("a,b"), Cell::Rate(0.4123)]);
        t.rows.push(vec![
            Cell::Empty,
            Cell::Number {
                value: 14.5,
                decimals: 2,
            },
        ]);
        assert_eq!(
            table(&t),
            "a,b\n\"'=HYPERLINK(\"\"x\"\")\",-3\n\"a,b\",0.4123\n,14.5\n"
        );
    }
}
