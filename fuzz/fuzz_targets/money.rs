//! Fuzz target `money`: see jiuzhu_fuzz_targets::money for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jiuzhu_fuzz_targets::money(data));
