#![no_main]
//! `cargo fuzz run qdc`: see [`fika_fuzz::qdc`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| fika_fuzz::qdc(data));
