#![no_main]
//! `cargo fuzz run csv_folder`: see [`fika_fuzz::csv_folder`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| fika_fuzz::csv_folder(data));
