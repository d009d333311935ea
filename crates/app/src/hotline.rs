//! 12345 hotline requests (S20: a person in hardship may call 12345 and be helped): the hotline
//! platform posts the caller, the place and the need; the request waits in the queue of the
//! township of that place until a caseworker turns it into an application (channel 12345热线)
//! or closes it with a note. A retried post with the same ticket is stored once.

use jiuzhu_domain::{Permission, RegionCode};
use jiuzhu_storage::models::HotlineRow;
use serde::{Deserialize, Serialize};

use crate::cases::{self, Application};
use crate::registry::{Registry, mask_name, open_field, seal_field};
use crate::security::Actor;
use crate::security::audit::Event;
use crate::{AppError, FieldError};

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

/// A queued request as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HotlineItem {
    /// County.
    pub county: String,
    /// ID.
    pub id: String,
    /// Ticket.
    pub ticket: String,
    /// Caller, masked.
    pub caller_masked: String,
    /// Phone, last four digits.
    pub phone_masked: String,
    /// Place, by name.
    pub place: String,
    /// The need.
    pub need: String,
    /// Received.
    pub received_at: String,
}

/// Receives a request; returns its ID (the earlier one for a retried ticket).
pub fn receive(registry: &Registry, who: &Actor, req: &HotlineRequest) -> Result<String, AppError> {
    who.require(Permission::FileApplications)?;
    let mut errors = Vec::new();
    let place = match RegionCode::parse(req.place.trim()) {
        Ok(r) if registry.regions.get(&r).is_some() && who.scope.contains(&r) => Some(r),
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
        ("ticket", &req.ticket, 64, "工单号"),
        ("caller", &req.caller, 50, "来电人"),
        ("need", &req.need, 1000, "诉求"),
    ] {
        if value.trim().is_empty() || value.chars().count() > max {
            errors.push(FieldError::new(
                field,
                format!("请填写{zh}（不超过 {max} 字）"),
                format!("{field} is required"),
            ));
        }
    }
    let digits = req.phone.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) || req.phone.chars().any(|c| !c.is_ascii_digit() && c != '-') {
        errors.push(FieldError::new(
            "phone",
            "电话号码应为 7–15 位数字",
            "phone must be 7–15 digits",
        ));
    }
    let Some(place) = place.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let county = place
        .county_code()
        .ok_or_else(|| {
            AppError::Invalid(vec![FieldError::new(
                "place",
                "地点应精确到乡镇或村",
                "too coarse",
            )])
        })?
        .to_owned();
    let row = HotlineRow {
        county_code: county,
        id: uuid::Uuid::now_v7().to_string(),
        region_code: place.as_str().to_owned(),
        caller: seal_field(&registry.keys, "hotline_requests.caller", req.caller.trim()),
        phone: seal_field(&registry.keys, "hotline_requests.phone", req.phone.trim()),
        need: seal_field(&registry.keys, "hotline_requests.need", req.need.trim()),
        ticket: req.ticket.trim().to_owned(),
        received_at: jiuzhu_domain::time::now(),
        status: "open".into(),
        case_id: None,
        handled_by: None,
        handled_at: None,
        note: String::new(),
    };
    let mut conn = registry.db.conn()?;
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<String, AppError> {
        let id = jiuzhu_storage::hotline::insert(c, &row)?;
        if id == row.id {
            registry.audit.record(
                c,
                who,
                Event::new("hotline.receive", "hotline", &id, &row.region_code)
                    .detail(serde_json::json!({"ticket": row.ticket})),
            )?;
        }
        Ok(id)
    })
}

/// Open requests for places in the viewer's region (audited).
pub fn queue(registry: &Registry, who: &Actor) -> Result<Vec<HotlineItem>, AppError> {
    who.require(Permission::FileApplications)?;
    let rows = {
        let mut conn = registry.db.conn()?;
        jiuzhu_storage::hotline::open(&mut conn, &who.scope)?
    };
    let items = rows
        .into_iter()
        .map(|r| -> Result<HotlineItem, AppError> {
            let phone = open_field(&registry.keys, "hotline_requests.phone", &r.phone)?;
            let tail: String = phone
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            Ok(HotlineItem {
                county: r.county_code.clone(),
                id: r.id.clone(),
                ticket: r.ticket.clone(),
                caller_masked: mask_name(&open_field(
                    &registry.keys,
                    "hotline_requests.caller",
                    &r.caller,
                )?),
                phone_masked: format!("****{tail}"),
                place: RegionCode::parse(&r.region_code)
                    .map(|c| registry.regions.path(&c))
                    .unwrap_or(r.region_code.clone()),
                need: open_field(&registry.keys, "hotline_requests.need", &r.need)?,
                received_at: r.received_at.format("%Y-%m-%d %H:%M").to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    registry.audit.record_view(
        &registry.db,
        who,
        Event::new("hotline.queue", "hotline", "", &who.region.to_string())
            .detail(serde_json::json!({"shown": items.len()})),
    )?;
    Ok(items)
}

/// Handles a request: with a household and programmes it becomes an application (channel
/// 12345热线, the need as the summary); without, it is closed with the note. A request handled
/// already is refused (409).
pub fn handle(
    registry: &Registry,
    who: &Actor,
    county: &str,
    id: &str,
    household_id: &str,
    kinds: &[String],
    note: &str,
) -> Result<Option<String>, AppError> {
    who.require(Permission::FileApplications)?;
    let row = {
        let mut conn = registry.db.conn()?;
        jiuzhu_storage::hotline::get(&mut conn, county, id)?
    };
    let region = RegionCode::parse(&row.region_code).map_err(|_| AppError::NotFound)?;
    if !who.scope.contains(&region) {
        return Err(AppError::NotFound);
    }
    if row.status != "open" {
        return Err(AppError::Conflict("该来电已处理".into()));
    }
    let converting = !household_id.trim().is_empty();
    if !converting && !(2..=200).contains(&note.trim().chars().count()) {
        return Err(AppError::Invalid(vec![FieldError::new(
            "note",
            "不转为申请的，请写明处理情况（2–200 字）",
            "a note is needed to close",
        )]));
    }
    let case_id = if converting {
        let need = open_field(&registry.keys, "hotline_requests.need", &row.need)?;
        let filed = cases::file(
            registry,
            who,
            &Application {
                household_id: household_id.trim().to_owned(),
                kinds: kinds.to_vec(),
                channel: "12345热线".into(),
                summary: need.chars().take(500).collect(),
                region_code: String::new(),
                filed_on: String::new(),
            },
        )?;
        filed.first().map(|c| c.id.clone())
    } else {
        None
    };
    let mut conn = registry.db.conn()?;
    let status = if converting { "converted" } else { "closed" };
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        if !jiuzhu_storage::hotline::close(
            c,
            county,
            id,
            status,
            case_id.as_deref(),
            &who.username,
            jiuzhu_domain::time::now(),
            note.trim(),
        )? {
            return Err(AppError::Conflict("该来电已被他人处理".into()));
        }
        registry.audit.record(
            c,
            who,
            Event::new("hotline.handle", "hotline", id, &row.region_code)
                .detail(serde_json::json!({"status": status, "case": case_id})),
        )?;
        Ok(())
    })?;
    Ok(case_id)
}
