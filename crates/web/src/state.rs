//! What every handler shares: the registry service, the working-day calendar and roster
//! previews waiting for the caseworker's decision.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use jiuzhu_app::registry::Registry;
use jiuzhu_app::roster::RosterPreview;
use jiuzhu_domain::WorkingDayCalendar;

/// Roster previews are kept this long for the caseworker to decide.
const PREVIEW_TTL: Duration = Duration::from_secs(60 * 60);

/// Kept roster previews by token, with the time each was made.
type Previews = HashMap<String, (Instant, Arc<RosterPreview>)>;

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    /// The registry service.
    pub registry: Registry,
    /// The working-day calendar (replaced when a year's holidays are imported).
    pub calendar: Arc<RwLock<Arc<WorkingDayCalendar>>>,
    previews: Arc<Mutex<Previews>>,
    /// The whole city, built once (the region tree does not change while serving).
    city: Arc<jiuzhu_domain::Scope>,
}

impl AppState {
    /// State over a registry and a calendar.
    pub fn new(registry: Registry, calendar: WorkingDayCalendar) -> Self {
        let city = registry
            .regions
            .scope(&jiuzhu_domain::RegionCode::parse("4105").expect("valid city code"));
        AppState {
            city: Arc::new(city),
            registry,
            calendar: Arc::new(RwLock::new(Arc::new(calendar))),
            previews: Arc::default(),
        }
    }

    /// The scope of the whole city.
    pub fn city_scope(&self) -> &jiuzhu_domain::Scope {
        &self.city
    }

    /// The current calendar.
    pub fn calendar(&self) -> Arc<WorkingDayCalendar> {
        self.calendar.read().expect("calendar lock").clone()
    }

    /// Replaces the calendar after an import.
    pub fn set_calendar(&self, cal: WorkingDayCalendar) {
        *self.calendar.write().expect("calendar lock") = Arc::new(cal);
    }

    /// Keeps a roster preview and returns its token.
    pub fn keep_preview(&self, p: RosterPreview) -> String {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let mut map = self.previews.lock().expect("preview lock");
        map.retain(|_, (t, _)| t.elapsed() < PREVIEW_TTL);
        map.insert(token.clone(), (Instant::now(), Arc::new(p)));
        token
    }

    /// A kept preview.
    pub fn preview(&self, token: &str) -> Option<Arc<RosterPreview>> {
        self.previews
            .lock()
            .expect("preview lock")
            .get(token)
            .filter(|(t, _)| t.elapsed() < PREVIEW_TTL)
            .map(|(_, p)| p.clone())
    }

    /// Forgets a preview once it has been imported (a second submit cannot import twice).
    pub fn take_preview(&self, token: &str) -> Option<Arc<RosterPreview>> {
        self.previews
            .lock()
            .expect("preview lock")
            .remove(token)
            .map(|(_, p)| p)
    }
}
