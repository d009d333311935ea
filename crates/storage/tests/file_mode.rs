//! Issue 15 F15: a new SQLite database (it holds the registry) is readable by its owner only.

#[cfg(unix)]
#[test]
fn a_new_sqlite_file_is_created_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("jiuzhu-mode-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("registry.sqlite3");
    let db = jiuzhu_storage::Db::open(path.to_str().unwrap(), 1).unwrap();
    drop(db);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    for suffix in ["-wal", "-shm"] {
        let side = dir.join(format!("registry.sqlite3{suffix}"));
        if let Ok(m) = std::fs::metadata(&side) {
            assert_eq!(
                m.permissions().mode() & 0o077,
                0,
                "{suffix} {:o}",
                m.permissions().mode()
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
