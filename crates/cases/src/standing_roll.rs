//! S21, 57号 Art. 24 (issue 16 item 5): the village's standing list of recipients (长期公示).
//! After approval the names of the households receiving 低保 or 特困, their size and monthly
//! amount are published in their village or community — masked, to protect privacy — and kept
//! up as the roll changes. One printed list per village, from the running enrolments.

use jiuzhu_domain::{Money, Permission, RegionCode, RegionLevel};
use serde::Serialize;

use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Context;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::masking::mask_name;

/// One published line.
#[derive(Debug, Clone, Serialize)]
pub struct RollLine {
    /// The head of household, masked.
    pub head_masked: String,
    /// People in the household.
    pub members: i32,
    /// The programme, in Chinese.
    pub programme: String,
    /// The monthly amount (yuan).
    pub monthly: String,
    /// Paid since (month).
    pub since: String,
}

/// A village's standing list.
#[derive(Debug, Clone, Serialize)]
pub struct StandingRoll {
    /// The village's code.
    pub village: String,
    /// Its full name (county / township / village).
    pub place: String,
    /// The day it was printed.
    pub as_of: String,
    /// The lines, by household.
    pub lines: Vec<RollLine>,
    /// Households.
    pub households: usize,
    /// Their monthly total (yuan).
    pub monthly_total: String,
}

/// The standing list of a village inside the viewer's region; its printing is audited.
pub fn standing_roll(ctx: &Context, who: &Actor, village: &str) -> Result<StandingRoll, AppError> {
    who.require(Permission::ViewRegistry)?;
    let code = RegionCode::parse(village.trim()).map_err(|_| AppError::NotFound)?;
    if code.level() != RegionLevel::Village
        || ctx.regions.get(&code).is_none()
        || !who.scope.contains(&code)
    {
        return Err(AppError::NotFound);
    }
    let county = code.county_code().ok_or(AppError::NotFound)?.to_owned();
    let range = code.subtree_range();
    // Which programmes are published is each programme's spec.
    let programmes: Vec<&str> = jiuzhu_programmes::on_standing_list()
        .map(|k| k.code())
        .collect();
    let rows = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::payroll::running_in(&mut conn, &county, (&range.0, &range.1), &programmes)?
    };
    let total = rows
        .iter()
        .try_fold(Money::ZERO, |t, (e, _)| {
            t.checked_add(Money::from_fen(e.monthly_fen))
        })
        .ok_or_else(|| AppError::Conflict("合计金额超出范围，请核查登记金额".into()))?;
    let lines: Vec<RollLine> = rows
        .iter()
        .map(|(e, h)| {
            let monthly = Money::from_fen(e.monthly_fen);
            RollLine {
                head_masked: mask_name(&h.head_name),
                members: h.member_count,
                programme: jiuzhu_programmes::kind(&e.programme)
                    .map(|k| k.zh().to_owned())
                    .unwrap_or_else(|| e.programme.clone()),
                monthly: monthly.yuan_string(),
                since: e.start_month.clone(),
            }
        })
        .collect();
    let households = {
        let mut ids: Vec<&str> = rows.iter().map(|(e, _)| e.household_id.as_str()).collect();
        ids.dedup();
        ids.len()
    };
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new("roll.print", "village", code.as_str(), code.as_str())
            .detail(serde_json::json!({"lines": lines.len()})),
    )?;
    Ok(StandingRoll {
        place: ctx.regions.path(&code),
        village: code.to_string(),
        as_of: jiuzhu_domain::time::today().to_string(),
        households,
        monthly_total: total.yuan_string(),
        lines,
    })
}
