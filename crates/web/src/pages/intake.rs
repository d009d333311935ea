//! The intake pages (S20): the township queue of requests from every door (12345, village
//! discovery, online) with the coordinator's discovery-report form on top, and the public
//! online application page, which needs no account.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiuzhu_app::cases::intake;
use jiuzhu_app::cases::intake::DiscoveryReport;
use jiuzhu_app::cases::intake::IntakeItem;
use jiuzhu_app::cases::intake::OnlineApplication;
use jiuzhu_domain::RegionLevel;
use serde::Deserialize;

use super::{error_page, message_of, redirect_or_again, render};
use crate::error::blocking;
use crate::session::client_ip;
use crate::{AppState, PageCtx, Who};

fn kinds() -> Vec<(&'static str, &'static str)> {
    jiuzhu_programmes::kinds()
        .map(|k| (k.code(), k.zh()))
        .collect()
}

/// The queue with the discovery form.
#[derive(Template)]
#[template(path = "intake/queue.html")]
pub struct QueuePage {
    l: PageCtx,
    items: Vec<IntakeItem>,
    kinds: Vec<(&'static str, &'static str)>,
    /// 临时救助 severities (code, Chinese) for the handling form.
    severities: Vec<(&'static str, &'static str)>,
    report: ReportForm,
    /// A fresh idempotency key for the discovery form.
    key: String,
    error: String,
    notice: String,
}

/// The discovery form as typed (and the queue's query: `?household=` pre-fills it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    key: String,
    household: String,
    place: String,
    person: String,
    phone: String,
    need: String,
    kind: String,
}

async fn queue_page(
    s: AppState,
    who: jiuzhu_app::Actor,
    l: PageCtx,
    status: StatusCode,
    report: ReportForm,
    error: String,
    notice: String,
) -> Response {
    match blocking(move || intake::queue(&s.ctx, &who)).await {
        Ok(items) => render(
            status,
            QueuePage {
                l,
                items,
                kinds: kinds(),
                severities: super::cases::severities(),
                key: uuid::Uuid::now_v7().to_string(),
                report,
                error,
                notice,
            },
        ),
        Err(e) => error_page(l.clone(), e),
    }
}

/// Query of the queue page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    household: String,
    reported: String,
}

/// GET /intake
pub async fn queue(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Query(q): Query<QueueQuery>,
) -> Response {
    let notice = if q.reported.is_empty() {
        String::new()
    } else {
        l.t(
            "已上报，乡镇经办人员将跟进。",
            "Reported; the township will follow up.",
        )
        .to_owned()
    };
    let report = ReportForm {
        household: q.household,
        ..Default::default()
    };
    queue_page(s, who, l, StatusCode::OK, report, String::new(), notice).await
}

/// POST /intake/discoveries
pub async fn report(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Form(f): Form<ReportForm>,
) -> Response {
    let r = DiscoveryReport {
        key: f.key.clone(),
        household_id: f.household.clone(),
        place: f.place.clone(),
        person: f.person.clone(),
        phone: f.phone.clone(),
        need: f.need.clone(),
        kinds: [f.kind.clone()]
            .into_iter()
            .filter(|k| !k.is_empty())
            .collect(),
    };
    let (s2, who2) = (s.clone(), who.clone());
    match blocking(move || intake::report_discovery(&s2.ctx, &who2, &r)).await {
        Ok(_) => Redirect::to("/intake?reported=1").into_response(),
        Err(e) => {
            let (status, message) = message_of(&e);
            queue_page(s, who, l, status, f, message, String::new()).await
        }
    }
}

/// The handling form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HandleForm {
    household_id: String,
    kind: String,
    note: String,
    severity: String,
    disaster: String,
    requested_amount: String,
}

/// POST /intake/{county}/{id}
pub async fn handle(
    State(s): State<AppState>,
    Who(who): Who,
    l: PageCtx,
    Path((county, id)): Path<(String, String)>,
    Form(f): Form<HandleForm>,
) -> Response {
    let (s2, who2) = (s.clone(), who.clone());
    let h = intake::Handling {
        household_id: f.household_id,
        kinds: [f.kind].into_iter().filter(|k| !k.is_empty()).collect(),
        note: f.note,
        severity: f.severity,
        disaster: !f.disaster.is_empty(),
        requested_amount: f.requested_amount,
    };
    let result = blocking(move || intake::handle(&s2.ctx, &who2, &county, &id, &h)).await;
    redirect_or_again(
        l,
        result,
        |_| "/intake".to_owned(),
        |l, status, message| {
            let report = ReportForm::default();
            queue_page(s, who, l, status, report, message, String::new())
        },
    )
    .await
}

/// The public online application page.
#[derive(Template)]
#[template(path = "intake/online.html")]
pub struct OnlinePage {
    l: PageCtx,
    /// (county name, [(township code, name)]).
    places: Vec<(String, Vec<(String, String)>)>,
    kinds: Vec<(&'static str, &'static str)>,
    form: OnlineForm,
    token: String,
    error: String,
    done: bool,
}

/// The online form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OnlineForm {
    token: String,
    name: String,
    phone: String,
    place: String,
    need: String,
    dibao: String,
    tekun: String,
    temporary_emergency: String,
    temporary_spending: String,
}

impl OnlineForm {
    fn kinds(&self) -> Vec<String> {
        [
            ("dibao", &self.dibao),
            ("tekun", &self.tekun),
            ("temporary_emergency", &self.temporary_emergency),
            ("temporary_spending", &self.temporary_spending),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, _)| k.to_owned())
        .collect()
    }

    fn checked(&self, code: &str) -> bool {
        self.kinds().iter().any(|k| k == code)
    }
}

fn online_page(
    s: &AppState,
    l: PageCtx,
    status: StatusCode,
    form: OnlineForm,
    error: String,
    done: bool,
) -> Response {
    let regions = &s.ctx.regions;
    let places = regions
        .of_level(RegionLevel::County)
        .into_iter()
        .map(|c| {
            let towns = regions
                .children(&c.code)
                .iter()
                .map(|t| (t.as_str().to_owned(), regions.name(t)))
                .collect();
            (c.name.clone(), towns)
        })
        .collect();
    // A retry of a refused form keeps its token, so a later success is still stored once.
    let token = if form.token.is_empty() {
        jiuzhu_crypto::random_token(24)
    } else {
        form.token.clone()
    };
    render(
        status,
        OnlinePage {
            l,
            places,
            kinds: kinds(),
            form,
            token,
            error,
            done,
        },
    )
}

/// Query of the online page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OnlineQuery {
    done: String,
}

/// GET /apply-online
pub async fn online_form(
    State(s): State<AppState>,
    l: PageCtx,
    Query(q): Query<OnlineQuery>,
) -> Response {
    online_page(
        &s,
        l,
        StatusCode::OK,
        OnlineForm::default(),
        String::new(),
        !q.done.is_empty(),
    )
}

/// POST /apply-online
pub async fn apply_online(
    State(s): State<AppState>,
    l: PageCtx,
    req_ext: axum::http::Extensions,
    Form(f): Form<OnlineForm>,
) -> Response {
    let ip = client_ip(&req_ext);
    if !s.online_allowed(&ip) {
        let msg = l
            .t(
                "提交过于频繁，请稍后再试，或拨打 12345",
                "Too many submissions; try later or call 12345",
            )
            .to_owned();
        return online_page(&s, l, StatusCode::TOO_MANY_REQUESTS, f, msg, false);
    }
    let a = OnlineApplication {
        token: f.token.clone(),
        name: f.name.clone(),
        phone: f.phone.clone(),
        place: f.place.clone(),
        need: f.need.clone(),
        kinds: f.kinds(),
    };
    let s2 = s.clone();
    let result = blocking(move || {
        let regions = &s2.ctx.regions;
        let city = regions.of_level(RegionLevel::City);
        let root = city
            .first()
            .map(|c| c.code.clone())
            .ok_or(jiuzhu_app::AppError::NotFound)?;
        let visitor = jiuzhu_app::Actor::anonymous(regions.scope(&root), "网上申请", &ip);
        intake::apply_online(&s2.ctx, &visitor, &a)
    })
    .await;
    match result {
        Ok(_) => Redirect::to("/apply-online?done=1").into_response(),
        Err(e) => {
            let (status, message) = message_of(&e);
            online_page(&s, l, status, f, message, false)
        }
    }
}
