#![no_main]
//! `cargo fuzz run qde`: see [`fika_fuzz::qde`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| fika_fuzz::qde(data));
