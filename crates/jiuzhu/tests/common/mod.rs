//! Shared by the CLI tests: the binary, run in the test's own folder.

use std::process::Command;

/// The binary, run in `dir` (its key files and default databases land there), with no
/// database or key file inherited from the environment.
pub fn jiuzhu(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jiuzhu"));
    c.current_dir(dir)
        .env_remove("JIUZHU_DATABASE_URL")
        .env_remove("JIUZHU_KEY_FILE")
        .env("RUST_LOG", "warn");
    c
}
