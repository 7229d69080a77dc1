#![no_main]
//! `cargo fuzz run xlsx_workbook`: see [`fika_fuzz::xlsx_workbook`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| fika_fuzz::xlsx_workbook(data));
