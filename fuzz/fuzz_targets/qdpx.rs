#![no_main]
//! `cargo fuzz run qdpx`: see [`fika_fuzz::qdpx`].

libfuzzer_sys::fuzz_target!(|data: &[u8]| fika_fuzz::qdpx(data));
