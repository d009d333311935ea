//! S7 分类动态管理 (issue 17 item 2, first part): the periodic reviews falling due — for a
//! township or county, every running enrolment whose next review is within the coming days,
//! the overdue first, with the household to visit.

use chrono::NaiveDate;
use jiuzhu_domain::{Money, Permission, RegionCode};
use jiuzhu_kernel::masking::mask_name;
use jiuzhu_kernel::{Actor, AppError, Context};
use serde::Serialize;
use utoipa::ToSchema;

/// Reviews listed at most per county.
pub const MAX_DUE: i64 = 2_000;

/// One enrolment due for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DueReview {
    /// Household ID.
    pub household_id: String,
    /// County code.
    pub county: String,
    /// Where the household lives (township and village).
    pub place: String,
    /// Head of household, masked.
    pub head_name: String,
    /// Programme, in Chinese.
    pub programme: String,
    /// Monthly amount, yuan.
    pub monthly: String,
    /// Persons covered.
    pub people: i32,
    /// The review date.
    pub review_due: String,
    /// Days past the date (0 when not yet due).
    pub days_overdue: i64,
}

/// The reviews due within `within_days` of `today` in the actor's region, earliest first.
pub fn due_list(
    ctx: &Context,
    who: &Actor,
    today: NaiveDate,
    within_days: u32,
) -> Result<Vec<DueReview>, AppError> {
    who.require(Permission::DecideReviews)?;
    let until = today + chrono::Days::new(u64::from(within_days.min(366)));
    let (low, high) = who.scope.root().subtree_range();
    let mut conn = ctx.conn()?;
    let mut out = Vec::new();
    for county in who.scope.counties() {
        for r in jiuzhu_storage::payroll::reviews_due(
            &mut conn,
            county,
            &low,
            &high,
            &until.to_string(),
            MAX_DUE,
        )? {
            let due = NaiveDate::parse_from_str(&r.review_due, "%Y-%m-%d").ok();
            out.push(DueReview {
                place: RegionCode::parse(&r.region_code)
                    .map(|c| ctx.regions.path(&c))
                    .unwrap_or_default(),
                head_name: mask_name(&r.head_name),
                programme: jiuzhu_programmes::kind(&r.programme)
                    .map(|k| k.zh().to_owned())
                    .unwrap_or(r.programme),
                monthly: Money::from_fen(r.monthly_fen).yuan_string(),
                people: r.people,
                days_overdue: due.map_or(0, |d| (today - d).num_days().max(0)),
                review_due: r.review_due,
                household_id: r.household_id,
                county: r.county_code,
            });
        }
    }
    out.sort_by(|a, b| a.review_due.cmp(&b.review_due));
    Ok(out)
}
