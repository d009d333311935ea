//! Fuzz target `roster_table`: see jiuzhu_fuzz_targets::roster_table for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jiuzhu_fuzz_targets::roster_table(data));
