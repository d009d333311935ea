//! The township intake queue (S20: a person in hardship is helped whichever door they knock
//! on). Three doors feed it:
//! - the 12345 hotline platform posts the caller, the place and the need ([`receive`]);
//! - a village (community) coordinator reports a household found in hardship
//!   (主动发现, [`report_discovery`]), naming the registered household when there is one;
//! - anyone may apply online on a public page ([`apply_online`]).
//!
//! Each request waits in the queue of the township of its place until a caseworker turns it
//! into an application (the channel is the door it came through) or closes it with a note.
//! Every door takes an idempotency key (the hotline's ticket, the report's key, the online
//! form's token): a retried post is stored once. Names, phones and needs are sealed.

use jiuzhu_domain::{Permission, RegionCode, RegionLevel};
use jiuzhu_storage::models::HotlineRow;
use serde::{Deserialize, Serialize};

use crate::Application;
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Context;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::masking::mask_name;
use jiuzhu_kernel::sealing::open_field;
use jiuzhu_kernel::sealing::seal_field;

/// The doors, as stored and as the channel of the application they become (S20).
pub const HOTLINE: &str = "12345热线";
/// A village coordinator's discovery report.
pub const DISCOVERY: &str = "村（社区）主动发现";
/// The public online form.
pub const ONLINE: &str = "网上申请";

/// A request as the hotline posts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct HotlineRequest {
    /// The hotline's ticket number (idempotency key).
    pub ticket: String,
    /// Caller's name.
    pub caller: String,
    /// Caller's phone.
    pub phone: String,
    /// Region code of the place (village or township).
    pub place: String,
    /// The need as told.
    pub need: String,
}

/// A village coordinator's report of a household found in hardship (主动发现).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DiscoveryReport {
    /// Idempotency key chosen by the client (blank: a new one; the web form sends one).
    pub key: String,
    /// The registered household, when there is one (its village becomes the place).
    pub household_id: String,
    /// Region code of the place, when no household is named.
    pub place: String,
    /// The person in hardship.
    pub person: String,
    /// A phone to reach them (may be blank).
    pub phone: String,
    /// What was found.
    pub need: String,
    /// Programmes the coordinator thinks fit (codes or Chinese names; may be empty).
    pub kinds: Vec<String>,
}

/// An online application from the public page: no account, so it is a request for the
/// township to follow up, not yet an application with a household.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OnlineApplication {
    /// The form's one-time token (a double submit is stored once).
    pub token: String,
    /// The applicant's name.
    pub name: String,
    /// The applicant's phone.
    pub phone: String,
    /// Region code of the township or village where they live.
    pub place: String,
    /// The hardship, in their words.
    pub need: String,
    /// Programmes asked for (may be empty: the township's assessment proposes them).
    pub kinds: Vec<String>,
}

/// A queued request as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IntakeItem {
    /// County.
    pub county: String,
    /// ID.
    pub id: String,
    /// The door: 12345热线, 村（社区）主动发现 or 网上申请.
    pub source: String,
    /// Ticket or key.
    pub ticket: String,
    /// Caller or person, masked.
    pub caller_masked: String,
    /// Phone, last four digits (blank when none was given).
    pub phone_masked: String,
    /// Place, by name.
    pub place: String,
    /// The need.
    pub need: String,
    /// The registered household named by the reporter (blank: none).
    pub household_id: String,
    /// Programmes asked for: (code, Chinese).
    pub kinds: Vec<(String, String)>,
    /// Received.
    pub received_at: String,
}

/// What every door asks for, before it is checked.
struct Incoming<'a> {
    source: &'static str,
    ticket: String,
    caller: &'a str,
    phone: &'a str,
    phone_required: bool,
    place: &'a str,
    need: &'a str,
    household_id: Option<String>,
    kinds: &'a [String],
}

/// Receives a 12345 request; returns its ID (the earlier one for a retried ticket).
pub fn receive(ctx: &Context, who: &Actor, req: &HotlineRequest) -> Result<String, AppError> {
    who.require(Permission::FileApplications)?;
    enqueue(
        ctx,
        who,
        Incoming {
            source: HOTLINE,
            ticket: req.ticket.trim().to_owned(),
            caller: &req.caller,
            phone: &req.phone,
            phone_required: true,
            place: &req.place,
            need: &req.need,
            household_id: None,
            kinds: &[],
        },
    )
}

/// Files a village coordinator's discovery report; returns its ID (the earlier one for a
/// retried key). A named household must be in the reporter's region; its village is the place.
pub fn report_discovery(
    ctx: &Context,
    who: &Actor,
    r: &DiscoveryReport,
) -> Result<String, AppError> {
    who.require(Permission::FileApplications)?;
    let (household_id, place) = if r.household_id.trim().is_empty() {
        (None, r.place.trim().to_owned())
    } else {
        let mut conn = ctx.db.conn()?;
        let h = jiuzhu_storage::households::find(&mut conn, &who.scope, r.household_id.trim())
            .map_err(|_| {
                AppError::Invalid(vec![FieldError::new(
                    "household_id",
                    "您的辖区内没有这个户编号",
                    "no such household in your region",
                )])
            })?;
        (Some(h.id), h.region_code)
    };
    let ticket = if r.key.trim().is_empty() {
        uuid::Uuid::now_v7().to_string()
    } else {
        r.key.trim().to_owned()
    };
    enqueue(
        ctx,
        who,
        Incoming {
            source: DISCOVERY,
            ticket,
            caller: &r.person,
            phone: &r.phone,
            phone_required: false,
            place: &place,
            need: &r.need,
            household_id,
            kinds: &r.kinds,
        },
    )
}

/// Files an online application from the public page; returns its ID. The actor is the
/// anonymous visitor (for the audit trail); the place may be anywhere in the city.
pub fn apply_online(
    ctx: &Context,
    visitor: &Actor,
    a: &OnlineApplication,
) -> Result<String, AppError> {
    if a.token.trim().len() < 16 || a.token.len() > 64 {
        return Err(AppError::Invalid(vec![FieldError::new(
            "token",
            "表单已失效，请刷新页面后重新填写",
            "the form expired; reload it",
        )]));
    }
    enqueue(
        ctx,
        visitor,
        Incoming {
            source: ONLINE,
            ticket: format!("web-{}", a.token.trim()),
            caller: &a.name,
            phone: &a.phone,
            phone_required: true,
            place: &a.place,
            need: &a.need,
            household_id: None,
            kinds: &a.kinds,
        },
    )
}

/// Checks a request, names every bad field, and queues it once per ticket.
fn enqueue(ctx: &Context, who: &Actor, req: Incoming<'_>) -> Result<String, AppError> {
    let mut errors = Vec::new();
    let place = match RegionCode::parse(req.place.trim()) {
        Ok(r)
            if ctx.regions.get(&r).is_some()
                && who.scope.contains(&r)
                && r.level() >= RegionLevel::Township =>
        {
            Some(r)
        }
        Ok(r) if ctx.regions.get(&r).is_some() && who.scope.contains(&r) => {
            errors.push(FieldError::new(
                "place",
                "地点应精确到乡镇（街道）或村（社区）",
                "name a township or village",
            ));
            None
        }
        Ok(_) => {
            errors.push(FieldError::new(
                "place",
                "地点不是您辖区内的区划",
                "place outside your region",
            ));
            None
        }
        Err(e) => {
            errors.push(FieldError::new("place", e.to_string(), "bad region code"));
            None
        }
    };
    for (field, value, max, zh) in [
        ("ticket", req.ticket.as_str(), 64, "工单号"),
        ("caller", req.caller, 50, "姓名"),
        ("need", req.need, 1000, "困难情况"),
    ] {
        if value.trim().is_empty() || value.chars().count() > max {
            errors.push(FieldError::new(
                field,
                format!("请填写{zh}（不超过 {max} 字）"),
                format!("{field} is required"),
            ));
        }
    }
    let phone = req.phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let phone_ok =
        (7..=15).contains(&digits) && phone.chars().all(|c| c.is_ascii_digit() || c == '-');
    if !(phone_ok || (phone.is_empty() && !req.phone_required)) {
        errors.push(FieldError::new(
            "phone",
            "电话号码应为 7–15 位数字",
            "phone must be 7–15 digits",
        ));
    }
    let mut kinds: Vec<&'static str> = Vec::new();
    for k in req.kinds.iter().filter(|k| !k.trim().is_empty()) {
        match jiuzhu_programmes::kind(k.trim()) {
            Some(k) if !kinds.contains(&k.code()) => kinds.push(k.code()),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "kinds",
                format!(
                    "未知救助项目“{k}”；可选：{}",
                    jiuzhu_programmes::choices_zh()
                ),
                "unknown programme",
            )),
        }
    }
    let Some(place) = place.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let county = place
        .county_code()
        .expect("a township or finer has a county")
        .to_owned();
    let row = HotlineRow {
        county_code: county,
        id: uuid::Uuid::now_v7().to_string(),
        region_code: place.as_str().to_owned(),
        caller: seal_field(&ctx.keys, "hotline_requests.caller", req.caller.trim()),
        phone: seal_field(&ctx.keys, "hotline_requests.phone", phone),
        need: seal_field(&ctx.keys, "hotline_requests.need", req.need.trim()),
        ticket: req.ticket,
        received_at: jiuzhu_domain::time::now(),
        status: "open".into(),
        case_id: None,
        handled_by: None,
        handled_at: None,
        note: String::new(),
        source: req.source.into(),
        household_id: req.household_id,
        kinds: kinds.join(","),
    };
    let mut conn = ctx.db.conn()?;
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<String, AppError> {
        let id = jiuzhu_storage::intake::insert(c, &row)?;
        if id == row.id {
            ctx.audit.record(
                c,
                who,
                Event::new("intake.receive", "intake", &id, &row.region_code)
                    .detail(serde_json::json!({"source": row.source, "ticket": row.ticket})),
            )?;
        }
        Ok(id)
    })
}

/// Open requests for places in the viewer's region, oldest first (audited).
pub fn queue(ctx: &Context, who: &Actor) -> Result<Vec<IntakeItem>, AppError> {
    who.require(Permission::FileApplications)?;
    let rows = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::intake::open(&mut conn, &who.scope)?
    };
    let items = rows
        .into_iter()
        .map(|r| -> Result<IntakeItem, AppError> {
            let phone = open_field(&ctx.keys, "hotline_requests.phone", &r.phone)?;
            Ok(IntakeItem {
                county: r.county_code.clone(),
                id: r.id.clone(),
                source: r.source.clone(),
                ticket: r.ticket.clone(),
                caller_masked: mask_name(&open_field(
                    &ctx.keys,
                    "hotline_requests.caller",
                    &r.caller,
                )?),
                phone_masked: jiuzhu_kernel::masking::mask_last_four(&phone),
                place: RegionCode::parse(&r.region_code)
                    .map(|c| ctx.regions.path(&c))
                    .unwrap_or(r.region_code.clone()),
                need: open_field(&ctx.keys, "hotline_requests.need", &r.need)?,
                household_id: r.household_id.clone().unwrap_or_default(),
                kinds: r
                    .kinds
                    .split(',')
                    .filter_map(jiuzhu_programmes::kind)
                    .map(|k| (k.code().to_owned(), k.zh().to_owned()))
                    .collect(),
                received_at: r.received_at.format("%Y-%m-%d %H:%M").to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("intake.queue", "intake", "", &who.region.to_string())
            .detail(serde_json::json!({"shown": items.len()})),
    )?;
    Ok(items)
}

/// How a request is handled.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Handling {
    /// The household to file an application for (blank: the one the reporter named, or
    /// close with the note).
    pub household_id: String,
    /// Programmes applied for (blank: those the request asked for).
    pub kinds: Vec<String>,
    /// What was done.
    pub note: String,
    /// 临时救助: how grave the hardship is (一般、较重、特别严重), as on the application form.
    pub severity: String,
    /// 临时救助: caused by a natural disaster.
    pub disaster: bool,
    /// 临时救助: the amount asked for, in yuan (blank: the table amount).
    pub requested_amount: String,
}

/// Handles a request: with a household (typed, or the one the reporter named) it becomes an
/// application through its door's channel, for the programmes given (or those the reporter
/// asked for); without, it is closed with the note. The same conversion asked again answers the
/// case it became; any other handling of a request handled already is refused (409).
pub fn handle(
    ctx: &Context,
    who: &Actor,
    county: &str,
    id: &str,
    h: &Handling,
) -> Result<Option<String>, AppError> {
    let (household_id, kinds, note) =
        (h.household_id.as_str(), h.kinds.as_slice(), h.note.as_str());
    who.require(Permission::FileApplications)?;
    let row = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::intake::get(&mut conn, county, id)?
    };
    let region = RegionCode::parse(&row.region_code).map_err(|_| AppError::NotFound)?;
    if !who.scope.contains(&region) {
        return Err(AppError::NotFound);
    }
    // A typed household converts; the reporter's household converts unless a note closes it.
    let (household_id, converting) = match household_id.trim() {
        "" => {
            let named = row.household_id.clone().unwrap_or_default();
            let converting = !named.is_empty() && note.trim().is_empty();
            (named, converting)
        }
        typed => (typed.to_owned(), true),
    };
    // F8: the same conversion sent twice (a double click, a retry) answers the first result.
    if let Some(done) = already_converted(&row, converting) {
        return done;
    }
    if row.status != "open" {
        return Err(AppError::Conflict("该求助已处理".into()));
    }
    if !converting && !(2..=200).contains(&note.trim().chars().count()) {
        return Err(AppError::Invalid(vec![FieldError::new(
            "note",
            "不转为申请的，请写明处理情况（2–200 字）",
            "a note is needed to close",
        )]));
    }
    let kinds: Vec<String> = if kinds.iter().any(|k| !k.trim().is_empty()) {
        kinds.to_vec()
    } else {
        row.kinds
            .split(',')
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect()
    };
    // Closing the request and what it became happen in one transaction: of two people
    // handling it at once, one files and closes it, the other is refused and filed nothing.
    let close = |c: &mut jiuzhu_storage::DbConnection, status: &str, case_id: Option<&str>| {
        if !jiuzhu_storage::intake::close(
            c,
            county,
            id,
            status,
            case_id,
            &who.username,
            jiuzhu_domain::time::now(),
            note.trim(),
        )? {
            return Err(AppError::Conflict("该求助已被他人处理".into()));
        }
        ctx.audit.record(
            c,
            who,
            Event::new("intake.handle", "intake", id, &row.region_code)
                .detail(serde_json::json!({"status": status, "case": case_id})),
        )
    };
    if !converting {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::in_transaction(&mut conn, |c| close(c, "closed", None))?;
        return Ok(None);
    }
    let need = open_field(&ctx.keys, "hotline_requests.need", &row.need)?;
    let filed = crate::file_then(
        ctx,
        who,
        &Application {
            household_id,
            kinds,
            channel: row.source.clone(),
            summary: need.chars().take(500).collect(),
            region_code: String::new(),
            filed_on: row.received_at.date().to_string(),
            severity: h.severity.clone(),
            disaster: h.disaster,
            requested_amount: h.requested_amount.clone(),
        },
        &mut |c, cases| close(c, "converted", cases.first().map(|x| x.id.as_str())),
    );
    match filed {
        Ok(cases) => Ok(cases.first().map(|c| c.id.clone())),
        Err(e) => {
            // Lost a race to the same conversion: answer what the winner filed.
            let now = {
                let mut conn = ctx.db.conn()?;
                jiuzhu_storage::intake::get(&mut conn, county, id)?
            };
            already_converted(&now, true).unwrap_or(Err(e))
        }
    }
}

/// The case a request was already converted into, when `converting` asks for that again.
fn already_converted(
    row: &HotlineRow,
    converting: bool,
) -> Option<Result<Option<String>, AppError>> {
    (converting && row.status == "converted" && row.case_id.is_some())
        .then(|| Ok(row.case_id.clone()))
}
