//! Fuzz target `eval_json`: see jiuzhu_fuzz_targets::eval_json for the property it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jiuzhu_fuzz_targets::eval_json(data));
