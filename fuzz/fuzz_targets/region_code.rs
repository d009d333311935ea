//! Fuzz target `region_code`: see jiuzhu_fuzz_targets::region_code for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jiuzhu_fuzz_targets::region_code(data));
