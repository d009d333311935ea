//! 等保 安全审计 (issue 15 F13): every refusal leaves a trace — a route the role may not use, a
//! cross-site or CSRF-less submission, a record that is not found (or lies outside the user's
//! region: the answer is the same 404 so its existence is not disclosed, the audit entry names
//! the path asked), and a refusal by the service itself. Audited per user (or per address when
//! nobody is signed in) up to [`REFUSALS_AUDITED_PER_MINUTE`]; beyond that, refusals are counted
//! and the count goes into the next entry, so a flood cannot fill the log yet is never silent.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use governor::{DefaultKeyedRateLimiter, Quota};
use jiuzhu_app::Actor;
use jiuzhu_app::audit::Event;
use jiuzhu_app::audit::Outcome;

use crate::WebError;
use jiuzhu_app::Context;

/// Refusals audited per user (or address) and minute: a burst of as many, then one every
/// three seconds.
pub const REFUSALS_AUDITED_PER_MINUTE: u32 = 20;

/// The rate limit of refusal entries and the refusals counted past it.
#[derive(Clone)]
pub struct RefusalAudit {
    limiter: Arc<DefaultKeyedRateLimiter<String>>,
    suppressed: Arc<Mutex<HashMap<String, u64>>>,
}

impl Default for RefusalAudit {
    fn default() -> Self {
        RefusalAudit {
            limiter: Arc::new(DefaultKeyedRateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(REFUSALS_AUDITED_PER_MINUTE).expect("non-zero"),
            ))),
            suppressed: Arc::default(),
        }
    }
}

impl RefusalAudit {
    /// Audits one refusal of `who` (rate-limited), in a transaction of its own.
    pub async fn record(
        &self,
        ctx: &Context,
        who: &Actor,
        action: &str,
        path: &str,
        mut detail: serde_json::Value,
    ) -> Result<(), WebError> {
        let key = who
            .user_id
            .clone()
            .unwrap_or_else(|| format!("ip:{}", who.ip));
        if self.limiter.check_key(&key).is_err() {
            *self
                .suppressed
                .lock()
                .expect("refusal count lock")
                .entry(key)
                .or_default() += 1;
            tracing::warn!(user = %who.username, action, path, "refusal not audited: rate limit");
            return Ok(());
        }
        let before = self
            .suppressed
            .lock()
            .expect("refusal count lock")
            .remove(&key)
            .unwrap_or(0);
        if before > 0 {
            detail["refusals_not_audited_before"] = before.into();
        }
        let (ctx, who, action, path) =
            (ctx.clone(), who.clone(), action.to_owned(), path.to_owned());
        crate::error::blocking(move || {
            ctx.audit.record_alone(
                &ctx.db,
                &who,
                Event::new(&action, "route", &path, &who.region.to_string())
                    .outcome(Outcome::Denied)
                    .detail(detail),
            )
        })
        .await
    }
}
