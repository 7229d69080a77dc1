#![no_main]
//! `cargo fuzz run interchange_cells`: see [`fika_fuzz::interchange_cells`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| fika_fuzz::interchange_cells(data));
