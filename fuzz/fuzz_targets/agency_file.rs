//! Fuzz target `agency_file`: see jiuzhu_fuzz_targets::agency_file for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jiuzhu_fuzz_targets::agency_file(data));
