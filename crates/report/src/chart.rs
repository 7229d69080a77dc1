//! Charts drawn on the server as SVG, small and general: lines or bars over categories
//! (quarters, review dates, coaches), with labelled reference lines. Every chart has a
//! title and a text description inside the SVG (`<title>`, `<desc>`, read by screen
//! readers), and [`Chart::table`] gives the same numbers as a table to show beside it.
//! Presentation attributes only (no `style`, no script), so the Content-Security-Policy
//! `default-src 'self'` holds.

use std::fmt::Write as _;

use fika_core::scale::Lang;

use crate::html::escape;
use crate::table::{Cell, Column, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// One line per series (a trend over quarters or reviews).
    Lines,
    /// Grouped bars (one value per category and series).
    Bars,
}

/// One named row of values, one per category (`None`: no value there).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// A horizontal line at a value, with its label (a benchmark, a limit).
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Unique on the page: the SVG's title and description are found by it.
    pub id: String,
    pub title: String,
    /// What the chart shows, in a sentence or two (read instead of the picture).
    pub description: String,
    pub kind: ChartKind,
    /// The heading of the categories' column in the table (e.g. "Quarter").
    pub category_label: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub references: Vec<Reference>,
    /// Values are fractions 0–1, drawn and shown as percentages.
    pub percent: bool,
    /// The top of the value axis; by default the largest value or reference, rounded up.
    pub max: Option<f64>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 170.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;
const COLOURS: [&str; 6] = [
    "#1f5f8b", "#c0561b", "#2e7d32", "#6a3d9a", "#8c6d1f", "#b03060",
];

impl Chart {
    fn top(&self) -> f64 {
        if let Some(m) = self.max {
            return m;
        }
        let most = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .chain(self.references.iter().map(|r| &r.value))
            .fold(0.0_f64, |a, b| a.max(*b));
        if self.percent {
            // Percent charts end at a tenth, and at 100 % at most when nothing is above.
            ((most * 10.0).ceil() / 10.0).clamp(0.1, 1.0_f64.max(most))
        } else {
            nice_ceiling(most)
        }
    }

    fn label(&self, v: f64, lang: Lang) -> String {
        if self.percent {
            Cell::Rate(v)
                .shown(lang)
                .replace(",0 %", " %")
                .replace(".0 %", " %")
        } else if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            Cell::Number {
                value: v,
                decimals: 1,
            }
            .shown(lang)
        }
    }

    /// The chart as an `<svg>` element.
    pub fn svg(&self, lang: Lang) -> String {
        let top = self.top();
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let y = |v: f64| TOP + plot_h - (v / top).clamp(0.0, 1.0) * plot_h;
        let n = self.categories.len().max(1) as f64;
        let band = plot_w / n;
        let x = |i: usize| LEFT + band * (i as f64 + 0.5);
        let id = escape(&self.id);
        let mut s = String::new();
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
             width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
             font-family=\"sans-serif\" font-size=\"11\">\
             <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
            escape(&self.title),
            escape(&self.description)
        );
        // Value axis: five gridlines with their labels.
        for k in 0..=4 {
            let v = top * k as f64 / 4.0;
            let _ = write!(
                s,
                "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#dddddd\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#444444\">{}</text>",
                LEFT + plot_w,
                y(v),
                y(v),
                LEFT - 6.0,
                y(v) + 4.0,
                escape(&self.label(v, lang))
            );
        }
        // Categories along the bottom.
        for (i, c) in self.categories.iter().enumerate() {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444444\">{}</text>",
                x(i),
                TOP + plot_h + 16.0,
                escape(c)
            );
        }
        match self.kind {
            ChartKind::Bars => {
                let k = self.series.len().max(1) as f64;
                let w = band * 0.8 / k;
                for (j, series) in self.series.iter().enumerate() {
                    let colour = COLOURS[j % COLOURS.len()];
                    for (i, v) in series.values.iter().enumerate() {
                        if let Some(v) = v {
                            let left = LEFT + band * i as f64 + band * 0.1 + w * j as f64;
                            let _ = write!(
                                s,
                                "<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{colour}\"/>",
                                y(*v),
                                TOP + plot_h - y(*v)
                            );
                        }
                    }
                }
            }
            ChartKind::Lines => {
                for (j, series) in self.series.iter().enumerate() {
                    let colour = COLOURS[j % COLOURS.len()];
                    // A gap in the values breaks the line.
                    let mut run: Vec<String> = Vec::new();
                    let flush = |run: &mut Vec<String>, s: &mut String| {
                        if run.len() > 1 {
                            let _ = write!(
                                s,
                                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                                run.join(" ")
                            );
                        }
                        run.clear();
                    };
                    for (i, v) in series.values.iter().enumerate() {
                        match v {
                            Some(v) => {
                                run.push(format!("{:.1},{:.1}", x(i), y(*v)));
                                let _ = write!(
                                    s,
                                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"/>",
                                    x(i),
                                    y(*v)
                                );
                            }
                            None => flush(&mut run, &mut s),
                        }
                    }
                    flush(&mut run, &mut s);
                }
            }
        }
        for r in &self.references {
            let _ = write!(
                s,
                "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#777777\" stroke-dasharray=\"4 3\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#333333\">{}</text>",
                LEFT + plot_w,
                y(r.value),
                y(r.value),
                LEFT + plot_w + 6.0,
                y(r.value) + 4.0,
                escape(&format!("{} {}", r.label, self.label(r.value, lang)))
            );
        }
        // Legend along the top.
        let mut lx = LEFT;
        for (j, series) in self.series.iter().enumerate() {
            let colour = COLOURS[j % COLOURS.len()];
            let _ = write!(
                s,
                "<rect x=\"{lx:.1}\" y=\"8\" width=\"10\" height=\"10\" fill=\"{colour}\"/>\
                 <text x=\"{:.1}\" y=\"17\" fill=\"#222222\">{}</text>",
                lx + 14.0,
                escape(&series.name)
            );
            lx += 24.0 + 6.5 * series.name.chars().count() as f64;
        }
        s.push_str("</svg>");
        s
    }

    /// The chart's numbers as a table: one row per category, one column per series, and
    /// the reference lines' values in their own columns.
    pub fn table(&self) -> Table {
        let mut columns = vec![Column::new("category", &self.category_label, 14.0)];
        for (j, series) in self.series.iter().enumerate() {
            columns.push(Column::new(format!("series_{j}"), &series.name, 14.0));
        }
        for (j, r) in self.references.iter().enumerate() {
            columns.push(Column::new(format!("reference_{j}"), &r.label, 14.0));
        }
        let mut t = Table::new(&self.id, &self.title, columns);
        for (i, c) in self.categories.iter().enumerate() {
            let mut row = vec![Cell::text(c)];
            for series in &self.series {
                let v = series.values.get(i).copied().flatten();
                row.push(if self.percent {
                    Cell::opt_rate(v)
                } else {
                    Cell::opt_number(v, 2)
                });
            }
            for r in &self.references {
                row.push(if self.percent {
                    Cell::Rate(r.value)
                } else {
                    Cell::Number {
                        value: r.value,
                        decimals: 2,
                    }
                });
            }
            t.rows.push(row);
        }
        t
    }

    /// A `<figure>`: the picture, its title and description as the caption, and the
    /// same numbers in a table beside it.
    pub fn figure(&self, lang: Lang) -> String {
        format!(
            "<figure class=\"chart-figure\" id=\"{}\"><figcaption><strong>{}</strong> {}</figcaption>\
             <div class=\"chart-pair\">{}{}</div></figure>",
            escape(&self.id),
            escape(&self.title),
            escape(&self.description),
            self.svg(lang),
            crate::html::table(&self.table(), lang)
        )
    }
}

/// 1, 2, 5 × 10ⁿ at or above `v` (at least 1).
fn nice_ceiling(v: f64) -> f64 {
    if v <= 1.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= v {
            return m * p;
        }
    }
    10.0 * p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            id: "rates".into(),
            title: "Competitive employment rate".into(),
            description: "By quarter".into(),
            kind: ChartKind::Lines,
            category_label: "Quarter".into(),
            categories: vec!["2025Q1".into(), "2025Q2".into(), "2025Q3".into()],
            series: vec![Series {
                name: "P1".into(),
                values: vec![Some(0.25), None, Some(0.45)],
            }],
            references: vec![Reference {
                label: "average".into(),
                value: 0.41,
            }],
            percent: true,
            max: None,
        }
    }

    #[test]
    fn svg_has_title_description_references_and_no_script_or_style() {
        let s = chart().svg(Lang::En);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(s.contains("<title id=\"rates-title\">Competitive employment rate</title>"));
        assert!(s.contains("<desc id=\"rates-desc\">By quarter</desc>"));
        assert!(s.contains(">average 41 %</text>"), "{s}");
        assert!(!s.contains("<script") && !s.contains("style="));
        // The gap at 2025Q2 leaves two dots and no line.
        assert_eq!(s.matches("<circle").count(), 2);
        assert_eq!(s.matches("<polyline").count(), 0);
    }

    #[test]
    fn the_table_beside_holds_the_same_numbers() {
        let t = chart().table();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(
            t.rows[0],
            vec![Cell::text("2025Q1"), Cell::Rate(0.25), Cell::Rate(0.41)]
        );
        assert_eq!(t.rows[1][1], Cell::Empty);
    }

    #[test]
    fn axis_tops() {
        assert_eq!(nice_ceiling(23.0), 25.0);
        assert_eq!(nice_ceiling(101.0), 200.0);
        assert_eq!(nice_ceiling(0.3), 1.0);
        let mut c = chart();
        assert!((c.top() - 0.5).abs() < 1e-9);
        c.series[0].values = vec![Some(0.9)];
        assert!((c.top() - 0.9).abs() < 1e-9);
    }
}
