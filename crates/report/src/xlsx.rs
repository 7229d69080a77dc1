//! The table model as an XLSX workbook: one sheet per table with a bold, frozen header
//! row and column widths; numbers written as numbers (rates as percentages, values with
//! their decimals), dates as dates; and an "About" sheet that says, in English and
//! Swedish, what the report is, which rules version produced it and for which date.
//! Text is written as text, never as a formula.

use chrono::NaiveDate as Date;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::table::{Cell, Report, Table};

/// The sheet that says where the figures come from.
pub const ABOUT_SHEET: &str = "About";

/// The report as the bytes of an .xlsx file.
pub fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let mut used: Vec<String> = vec![ABOUT_SHEET.to_owned()];
    let charts: Vec<Table> = report.charts.iter().map(|c| c.table()).collect();
    for t in report.tables.iter().chain(&charts) {
        let name = unique_name(&t.name, &mut used);
        let sheet = book.add_worksheet();
        sheet.set_name(&name)?;
        write_table(sheet, t)?;
    }
    let about = book.add_worksheet();
    about.set_name(ABOUT_SHEET)?;
    write_about(about, report)?;
    book.save_to_buffer()
}

/// Sheet names are at most 31 characters, without `[]:*?/\`, and unique regardless of case.
fn unique_name(wanted: &str, used: &mut Vec<String>) -> String {
    let clean: String = wanted
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    let clean = if clean.trim().is_empty() {
        "Sheet".to_owned()
    } else {
        clean
    };
    let mut name = clean.clone();
    let mut k = 2;
    while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" {k}");
        name = clean.chars().take(31 - suffix.len()).collect::<String>() + &suffix;
        k += 1;
    }
    used.push(name.clone());
    name
}

/// One table on a sheet, header in row 1 (frozen).
pub fn write_table(sheet: &mut Worksheet, t: &Table) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let int = Format::new().set_num_format("0");
    let rate = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let decimals: Vec<Format> = (0..=4)
        .map(|d| {
            let f = if d == 0 {
                "0".to_owned()
            } else {
                format!("0.{}", "0".repeat(d))
            };
            Format::new().set_num_format(f)
        })
        .collect();
    for (c, col) in t.columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, &col.label, &header)?;
        sheet.set_column_width(c, col.width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    sheet.write_string(r, c, s)?;
                }
                Cell::Int(i) => {
                    sheet.write_number_with_format(r, c, *i as f64, &int)?;
                }
                Cell::Number { value, decimals: d } => {
                    let f = &decimals[(*d as usize).min(decimals.len() - 1)];
                    sheet.write_number_with_format(r, c, *value, f)?;
                }
                Cell::Rate(v) => {
                    sheet.write_number_with_format(r, c, *v, &rate)?;
                }
                Cell::Date(d) => {
                    sheet.write_datetime_with_format(r, c, d, &date)?;
                }
            }
        }
    }
    Ok(())
}

fn write_about(sheet: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 28)?;
    sheet.set_column_width(2, 60)?;
    sheet.write_string_with_format(0, 0, "English", &bold)?;
    sheet.write_string_with_format(0, 1, "Svenska", &bold)?;
    sheet.write_string_with_format(0, 2, "", &bold)?;
    sheet.set_freeze_panes(1, 0)?;
    let rows: [(&str, &str); 4] = [
        ("Report", "Rapport"),
        ("Rules version (METRICS.md)", "Regelversion (METRICS.md)"),
        ("Figures for", "Siffror för"),
        ("Produced by", "Framställd av"),
    ];
    for (i, (en, sv)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string_with_format(r, 0, *en, &bold)?;
        sheet.write_string_with_format(r, 1, *sv, &bold)?;
    }
    sheet.write_string(1, 2, &report.title)?;
    sheet.write_number(2, 2, f64::from(report.rules))?;
    write_date(sheet, 3, 2, report.date, &date)?;
    sheet.write_string(4, 2, concat!("fika ", env!("CARGO_PKG_VERSION")))?;
    for (i, note) in report.notes.iter().enumerate() {
        sheet.write_string(6 + i as u32, 0, note)?;
    }
    Ok(())
}

fn write_date(sheet: &mut Worksheet, r: u32, c: u16, d: Date, f: &Format) -> Result<(), XlsxError> {
    sheet.write_datetime_with_format(r, c, d, f)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_clean_and_unique() {
        let mut used = vec![ABOUT_SHEET.to_owned()];
        assert_eq!(unique_name("a/b", &mut used), "a_b");
        assert_eq!(unique_name("A/B", &mut used), "A_B 2");
        assert_eq!(unique_name("about", &mut used), "about 2");
        let long = unique_name(&"x".repeat(40), &mut used);
        assert_eq!(long.chars().count(), 31);
        assert_eq!(unique_name(&"x".repeat(40), &mut used).chars().count(), 31);
    }
}
