//! HTML fragments of the table model, for the web app's templates (inserted unescaped:
//! every piece of text is escaped here).

use std::fmt::Write as _;

use fika_core::scale::Lang;

use crate::table::Table;

/// Text made safe inside HTML elements and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// How a table's headings link to sorted versions of the page.
pub struct Sorting<'a> {
    /// The column the rows are sorted by, and whether descending.
    pub current: Option<(&'a str, bool)>,
    /// The address of the page sorted by a column key, descending or not.
    pub href: &'a dyn Fn(&str, bool) -> String,
}

/// The table as `<table>` with its title as the caption; the first column heads its row.
pub fn table(t: &Table, lang: Lang) -> String {
    render(t, lang, None)
}

/// The same, with each heading a link that sorts the page by that column (on the server:
/// no script), the current one marked with `aria-sort`.
pub fn sortable_table(t: &Table, lang: Lang, sorting: &Sorting<'_>) -> String {
    render(t, lang, Some(sorting))
}

fn render(t: &Table, lang: Lang, sorting: Option<&Sorting<'_>>) -> String {
    let mut out = String::from("<table class=\"figures-table\">");
    let _ = write!(out, "<caption>{}</caption><thead><tr>", escape(&t.title));
    for c in &t.columns {
        match sorting {
            Some(s) => {
                let (sorted, desc) = match s.current {
                    Some((k, d)) if k == c.key => (true, d),
                    _ => (false, false),
                };
                let aria = if sorted {
                    if desc {
                        " aria-sort=\"descending\""
                    } else {
                        " aria-sort=\"ascending\""
                    }
                } else {
                    ""
                };
                // A second click on the sorted column turns the order round.
                let href = (s.href)(&c.key, sorted && !desc);
                let arrow = match (sorted, desc) {
                    (true, true) => " ↓",
                    (true, false) => " ↑",
                    _ => "",
                };
                let _ = write!(
                    out,
                    "<th scope=\"col\"{aria}><a href=\"{}\">{}{arrow}</a></th>",
                    escape(&href),
                    escape(&c.label)
                );
            }
            None => {
                let _ = write!(out, "<th scope=\"col\">{}</th>", escape(&c.label));
            }
        }
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let (open, close) = if i == 0 {
                ("<th scope=\"row\"", "</th>")
            } else {
                ("<td", "</td>")
            };
            if cell.is_numeric() {
                // The exact value beside the one shown (a rate's 4 decimals behind its
                // rounded percentage), for whatever reads the page by machine.
                let _ = write!(
                    out,
                    "{open} class=\"num\"><data value=\"{}\">{}</data>{close}",
                    escape(&cell.plain()),
                    escape(&cell.shown(lang))
                );
            } else {
                let _ = write!(out, "{open}>{}{close}", escape(&cell.shown(lang)));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Cell, Column};

    #[test]
    fn text_is_escaped_and_sort_links_turn_round() {
        let mut t = Table::new(
            "t",
            "A <b>",
            vec![
                Column::new("name", "Name", 5.0),
                Column::new("rate", "Rate", 5.0),
            ],
        );
        t.rows.push(vec![Cell::text("<script>"), Cell::Rate(0.5)]);
        let plain = table(&t, Lang::En);
        assert!(plain.contains("<caption>A &lt;b&gt;</caption>"));
        assert!(
            plain.contains(
                "<th scope=\"row\">&lt;script&gt;</th><td class=\"num\"><data value=\"0.5\">50.0 %</data></td>"
            )
        );
        let href = |k: &str, d: bool| format!("?sort={k}&desc={d}");
        let s = sortable_table(
            &t,
            Lang::Sv,
            &Sorting {
                current: Some(("rate", false)),
                href: &href,
            },
        );
        assert!(s.contains("<th scope=\"col\" aria-sort=\"ascending\"><a href=\"?sort=rate&amp;desc=true\">Rate ↑</a></th>"), "{s}");
        assert!(s.contains("<a href=\"?sort=name&amp;desc=false\">Name</a>"));
        assert!(s.contains("50,0 %"));
    }
}
