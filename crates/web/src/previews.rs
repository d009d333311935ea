//! Import previews (rosters, go-live rolls) waiting for the user's decision, held in memory under a random token
//! (issue 15 F6): each belongs to the user who uploaded it — nobody else can see or import it —
//! lives at most an hour, and the store is bounded: a user holds at most
//! [`PREVIEWS_PER_USER`] (a new upload replaces that user's oldest) and all users together at
//! most [`ROWS_HELD`] rows; beyond that an upload is refused with a Chinese message, never
//! queued in memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiuzhu_app::AppError;
use jiuzhu_app::caseload::rolls::RollsPreview;
use jiuzhu_app::registry::roster::RosterPreview;

/// A preview the store can hold: it says how many rows it carries.
pub trait Preview {
    /// Data rows read.
    fn rows(&self) -> usize;
}

impl Preview for RosterPreview {
    fn rows(&self) -> usize {
        self.rows
    }
}

impl Preview for RollsPreview {
    fn rows(&self) -> usize {
        self.rows
    }
}

/// How long a preview waits for the caseworker.
pub const PREVIEW_TTL: Duration = Duration::from_secs(60 * 60);

/// Previews one user may hold at a time.
pub const PREVIEWS_PER_USER: usize = 2;

/// Rows all held previews may have together (about 3 KB of memory a row: 200,000 rows ≈ 600 MB
/// at worst, ten full-size roster files).
pub const ROWS_HELD: usize = 200_000;

struct Held<P> {
    owner: String,
    made: Instant,
    preview: Arc<P>,
}

/// The previews of one kind of one server process.
#[derive(Clone)]
pub struct Previews<P = RosterPreview> {
    inner: Arc<Mutex<HashMap<String, Held<P>>>>,
}

impl<P> Default for Previews<P> {
    fn default() -> Self {
        Previews {
            inner: Arc::default(),
        }
    }
}

impl<P: Preview> Previews<P> {
    /// Keeps a preview for its owner and returns its token.
    pub fn keep(&self, owner: &str, p: P) -> Result<String, AppError> {
        let mut map = self.inner.lock().expect("preview lock");
        map.retain(|_, h| h.made.elapsed() < PREVIEW_TTL);
        // The owner's oldest previews make room for the new one.
        let mut mine: Vec<(Instant, String)> = map
            .iter()
            .filter(|(_, h)| h.owner == owner)
            .map(|(t, h)| (h.made, t.clone()))
            .collect();
        mine.sort();
        while mine.len() >= PREVIEWS_PER_USER {
            let (_, t) = mine.remove(0);
            map.remove(&t);
        }
        let held: usize = map.values().map(|h| h.preview.rows()).sum();
        if held + p.rows() > ROWS_HELD {
            return Err(AppError::Conflict(format!(
                "服务器上待确认的导入预览已达上限（共 {ROWS_HELD} 行），请稍后再试，或先完成、放弃已有的预览"
            )));
        }
        let token = uuid::Uuid::new_v4().simple().to_string();
        map.insert(
            token.clone(),
            Held {
                owner: owner.to_owned(),
                made: Instant::now(),
                preview: Arc::new(p),
            },
        );
        Ok(token)
    }

    /// The owner's preview of a token (another user's is "not found").
    pub fn get(&self, owner: &str, token: &str) -> Option<Arc<P>> {
        self.inner
            .lock()
            .expect("preview lock")
            .get(token)
            .filter(|h| h.owner == owner && h.made.elapsed() < PREVIEW_TTL)
            .map(|h| h.preview.clone())
    }

    /// Takes the owner's preview out (imported: a second submit finds nothing).
    pub fn take(&self, owner: &str, token: &str) -> Option<Arc<P>> {
        let mut map = self.inner.lock().expect("preview lock");
        if map.get(token).is_some_and(|h| h.owner == owner) {
            map.remove(token).map(|h| h.preview)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    //! S20 (roster intake): previews are private and bounded (issue 15 F6).
    use super::*;

    fn preview(rows: usize) -> RosterPreview {
        // (the store is generic; rosters stand for every kind)
        RosterPreview {
            file_name: "x.csv".into(),
            households: vec![],
            rows,
            valid_households: 0,
            file_errors: vec![],
        }
    }

    #[test]
    fn a_preview_is_seen_and_taken_only_by_its_owner() {
        let p: Previews = Previews::default();
        let t = p.keep("alice", preview(1)).unwrap();
        assert!(p.get("bob", &t).is_none());
        assert!(p.take("bob", &t).is_none());
        assert!(p.get("alice", &t).is_some());
        assert!(p.take("alice", &t).is_some());
        assert!(p.take("alice", &t).is_none(), "taken once");
    }

    #[test]
    fn a_third_upload_replaces_the_users_oldest_preview() {
        let p: Previews = Previews::default();
        let first = p.keep("alice", preview(1)).unwrap();
        let second = p.keep("alice", preview(1)).unwrap();
        let third = p.keep("alice", preview(1)).unwrap();
        assert!(p.get("alice", &first).is_none());
        assert!(p.get("alice", &second).is_some() && p.get("alice", &third).is_some());
    }

    #[test]
    fn the_store_refuses_beyond_its_rows_and_keeps_what_it_holds() {
        let p: Previews = Previews::default();
        let users: Vec<String> = (0..10).map(|i| format!("u{i}")).collect();
        let mut tokens = vec![];
        for u in &users {
            tokens.push(p.keep(u, preview(ROWS_HELD / 10)).unwrap());
        }
        match p.keep("late", preview(1)) {
            Err(AppError::Conflict(m)) => assert!(m.contains("已达上限"), "{m}"),
            other => panic!("{:?}", other.map(|_| ())),
        }
        assert!(
            p.get("u0", &tokens[0]).is_some(),
            "nothing held was dropped"
        );
        // Its owner's new upload replaces its oldest, so the owner is never locked out.
        p.take("u3", &tokens[3]).unwrap();
        assert!(p.keep("late", preview(1)).is_ok());
    }
}
