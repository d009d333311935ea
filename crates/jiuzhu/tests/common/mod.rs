//! Shared by the CLI tests: the binary, run in the test's own folder.
#![allow(dead_code)] // each test binary uses a different part

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

/// `jiuzhu user add NAME --role ROLE --region 410502001000` in `dir` (the platform's
/// bootstrap), asserted to succeed.
pub fn add_user(dir: &std::path::Path, name: &str, role: &str) {
    let out = jiuzhu(dir)
        .args(["user", "add", name, "--name", "某人", "--role", role])
        .args(["--region", "410502001000"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The default SQLite database the commands made in `dir`, opened.
pub fn default_db(dir: &std::path::Path) -> jiuzhu_storage::Db {
    jiuzhu_storage::Db::open(dir.join("jiuzhu-data/jiuzhu.sqlite3").to_str().unwrap(), 1).unwrap()
}
