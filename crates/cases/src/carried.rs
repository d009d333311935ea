//! Issue 16 item 2: the decision records the migration carried over from the old
//! per-programme columns of `cases` (review cycle, care tier and mode, caregiver) are plain JSON
//! with the caregiver still sealed as `cases.caregiver`; this seals each into the form every new
//! record has — one sealed JSON payload under its programme's record version — when the
//! application opens the database. Until then they read as they were carried.

use crate::model::*;

/// The JSON of a carried record: its plain fields without nulls, and the caregiver opened.
pub(super) fn carried_json(
    ctx: &Context,
    d: &CaseDecisionRow,
) -> Result<serde_json::Value, AppError> {
    let mut v: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&d.payload)
        .map_err(|e| AppError::Conflict(format!("迁移的决定记录无法读取：{e}")))?;
    v.retain(|_, x| !x.is_null());
    if let Some(sealed) = &d.legacy_caregiver {
        let name = open_field(&ctx.keys, "cases.caregiver", sealed)?;
        v.insert("caregiver".into(), name.into());
    }
    Ok(serde_json::Value::Object(v))
}

/// Seals every carried record; returns how many. Batches of 500, each its own statement, so a
/// crash midway leaves the rest to the next start.
pub fn seal_carried_decisions(ctx: &Context) -> Result<usize, AppError> {
    let mut conn = ctx.db.conn()?;
    let mut done = 0;
    loop {
        let batch = cases::carried_decisions(&mut conn, 500)?;
        if batch.is_empty() {
            return Ok(done);
        }
        for d in &batch {
            let version = jiuzhu_programmes::spec_of(&d.kind).map_or(1, |s| s.record_version);
            let json = carried_json(ctx, d)?;
            let sealed = seal_field(&ctx.keys, "case_decisions.payload", &json.to_string());
            cases::seal_carried_decision(
                &mut conn,
                &d.county_code,
                &d.id,
                i32::from(version),
                &sealed,
            )?;
            done += 1;
        }
    }
}
