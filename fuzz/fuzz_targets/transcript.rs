#![no_main]
//! `cargo fuzz run transcript`: see [`fika_fuzz::transcript`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| fika_fuzz::transcript(data));
