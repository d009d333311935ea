//! What every handler shares: the registry and accounts services, the working-day calendar,
//! roster previews waiting for the caseworker's decision, and the sign-in rate limiters.

use std::sync::{Arc, RwLock};

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota};
use jiuzhu_app::Context;
use jiuzhu_app::security::accounts::Accounts;
use jiuzhu_domain::WorkingDayCalendar;

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    /// The application context every use case takes.
    pub ctx: Context,
    /// The working-day calendar (replaced when a year's holidays are imported).
    pub calendar: Arc<RwLock<Arc<WorkingDayCalendar>>>,
    /// Accounts, sign-in and sessions.
    pub accounts: Accounts,
    /// Mark the session cookie `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    /// The rules engine on the policy in force.
    pub engine: Arc<jiuzhu_rules::Engine>,
    /// Live query adapters of the agencies that answer queries (none: files only).
    pub connectors: Arc<jiuzhu_app::verification::connector::Connectors>,
    /// Roster previews waiting for the caseworker (per user, bounded).
    pub previews: crate::previews::Previews,
    /// Go-live rolls previews waiting for county civil affairs (per user, bounded).
    pub rolls: crate::previews::Previews<jiuzhu_app::caseload::rolls::RollsPreview>,
    /// Refusals audited, rate-limited (issue 15 F13).
    pub refusals: crate::refusals::RefusalAudit,
    login_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    online_limiter: Arc<DefaultKeyedRateLimiter<String>>,
}

/// Online applications allowed per client address and hour (the public form needs no account,
/// so a flood from one address is cut off; a family rarely sends more than one or two).
pub const ONLINE_APPLICATIONS_PER_HOUR: u32 = 10;

/// Sign-in attempts allowed per client address and minute (a burst of as many, then one
/// every `60 / n` seconds).
pub const LOGIN_ATTEMPTS_PER_MINUTE: u32 = 10;

impl AppState {
    /// State over a registry and a calendar.
    pub fn new(ctx: Context, calendar: WorkingDayCalendar) -> Self {
        let accounts = Accounts::new(ctx.db.clone(), ctx.keys.clone(), ctx.regions.clone());
        AppState {
            accounts,
            ctx,
            calendar: Arc::new(RwLock::new(Arc::new(calendar))),
            secure_cookies: false,
            engine: Arc::new(jiuzhu_rules::Engine::new(
                jiuzhu_app::registry::assessment::load_policy(None)
                    .expect("the bundled policy loads"),
            )),
            connectors: Arc::default(),
            previews: Default::default(),
            rolls: Default::default(),
            refusals: Default::default(),
            login_limiter: Arc::new(DefaultKeyedRateLimiter::keyed(Quota::per_minute(
                NonZeroU32::new(LOGIN_ATTEMPTS_PER_MINUTE).expect("non-zero"),
            ))),
            online_limiter: Arc::new(DefaultKeyedRateLimiter::keyed(Quota::per_hour(
                NonZeroU32::new(ONLINE_APPLICATIONS_PER_HOUR).expect("non-zero"),
            ))),
        }
    }

    /// Uses another policy file than the bundled one.
    pub fn with_policy(mut self, policy: jiuzhu_rules::PolicySet) -> Self {
        self.engine = Arc::new(jiuzhu_rules::Engine::new(policy));
        self.ctx = self.ctx.with_rules(self.engine.clone());
        self
    }

    /// Uses live query adapters for the household check.
    pub fn with_connectors(mut self, c: jiuzhu_app::verification::connector::Connectors) -> Self {
        self.connectors = Arc::new(c);
        self
    }

    /// Whether a client address may try to sign in now (rate limit per address).
    pub fn login_allowed(&self, ip: &str) -> bool {
        self.login_limiter.check_key(&ip.to_owned()).is_ok()
    }

    /// Whether a client address may send an online application now (rate limit per address).
    pub fn online_allowed(&self, ip: &str) -> bool {
        self.online_limiter.check_key(&ip.to_owned()).is_ok()
    }

    /// The current calendar.
    pub fn calendar(&self) -> Arc<WorkingDayCalendar> {
        self.calendar.read().expect("calendar lock").clone()
    }

    /// Replaces the calendar after an import.
    pub fn set_calendar(&self, cal: WorkingDayCalendar) {
        *self.calendar.write().expect("calendar lock") = Arc::new(cal);
    }
}
