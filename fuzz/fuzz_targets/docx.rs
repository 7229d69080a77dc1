#![no_main]
//! `cargo fuzz run docx`: see [`fika_fuzz::docx`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| fika_fuzz::docx(data));
