//! fika-report: the one place where a report becomes something to read.
//!
//! A report is computed by `fika-core`; this crate turns it into a [`Report`] — titled
//! [`Table`]s of typed [`Cell`]s, and [`Chart`]s — and renders that one model as HTML
//! fragments ([`html`]), spreadsheet CSV ([`csv`]), an XLSX workbook ([`xlsx`]) and SVG
//! charts ([`chart`]). The web app and the `fika` command both call it, so a figure is
//! written in one way everywhere. [`outcomes`] and [`fidelity`] build the models of
//! METRICS.md's figures; the model itself knows nothing of IPS and serves any report.
//!
//! Pure: no I/O beyond building bytes in memory, no SQL, no HTTP.

pub mod chart;
pub mod csv;
pub mod fidelity;
pub mod html;
pub mod outcomes;
pub mod questionnaire;
mod table;
mod text;
pub mod xlsx;

pub use chart::{Chart, ChartKind, Reference, Series};
pub use fika_core::scale::Lang;
pub use table::{Cell, Column, Report, Table};
