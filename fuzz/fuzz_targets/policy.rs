//! Fuzz target `policy`: see jiuzhu_fuzz_targets::policy for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jiuzhu_fuzz_targets::policy(data));
