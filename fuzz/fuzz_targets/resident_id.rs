//! Fuzz target `resident_id`: see jiuzhu_fuzz_targets::resident_id for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jiuzhu_fuzz_targets::resident_id(data));
