#![no_main]
//! `cargo fuzz run form`: see [`fika_fuzz::form`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| fika_fuzz::form(data));
