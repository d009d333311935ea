//! Application-generated IDs (UUIDv7: time-ordered, so B-tree inserts stay local) — no
//! database sequences, so rows can move to a distributed engine unchanged.

/// A new unique ID as text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}
