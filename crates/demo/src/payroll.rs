//! Enrolments and payee accounts for demo data and benchmarks: every household the rules find
//! eligible for 低保 on `on` is enrolled at the rules' amount from `start`, with a synthetic
//! account at one of the city's banks.

use chrono::NaiveDate;
use jiuzhu_domain::{Month, RegionCode};
use jiuzhu_rules::Engine;
use jiuzhu_storage::models::{EnrolmentRow, PayeeAccountRow};

use jiuzhu_app::AppError;
use jiuzhu_app::Context;
use jiuzhu_app::sealing::seal_field;

/// The banks the demo pays through.
pub const BANKS: [&str; 3] = [
    "中国农业银行安阳分行",
    "安阳农商银行",
    "中国邮政储蓄银行安阳分行",
];

/// One synthetic enrolment with its account (household `n` of a county), for benchmarks that
/// need many without running the rules.
pub fn synthetic(
    registry: &Context,
    county: &str,
    region: &str,
    household_id: &str,
    n: u64,
    start: Month,
) -> (EnrolmentRow, PayeeAccountRow) {
    let now = jiuzhu_domain::time::now();
    let account = format!("62284800{:011}", n);
    (
        EnrolmentRow {
            county_code: county.into(),
            id: format!("enr-{household_id}"),
            case_id: format!("case-{household_id}"),
            household_id: household_id.into(),
            region_code: region.into(),
            programme: if n.is_multiple_of(10) {
                "tekun"
            } else {
                "dibao"
            }
            .into(),
            monthly_fen: 30_000 + (n % 500) as i64 * 100,
            start_month: start.to_string(),
            end_month: None,
            status: "active".into(),
            note: String::new(),
            created_at: now,
            updated_at: now,
            people: 1 + (n % 3) as i32,
            // Reviews spread over a year, as a caseload's are.
            review_due: Some(format!("2027-{:02}-{:02}", n % 12 + 1, n % 28 + 1)),
        },
        PayeeAccountRow {
            county_code: county.into(),
            id: format!("acct-{household_id}"),
            household_id: household_id.into(),
            bank: BANKS[(n % 3) as usize].into(),
            account: seal_field(&registry.keys, "payee_accounts.account", &account),
            account_key: registry.keys.index.index("bank_account", &account),
            holder: seal_field(&registry.keys, "payee_accounts.holder", "演示户名"),
            updated_by: "demo".into(),
            updated_at: now,
        },
    )
}

/// Enrols every household of the registry the rules find eligible for 低保 on `on` and not
/// enrolled yet, paid from the month after; returns how many.
pub fn enrol_eligible(
    registry: &Context,
    engine: &Engine,
    on: NaiveDate,
) -> Result<usize, AppError> {
    let city = RegionCode::parse("4105").map_err(|e| AppError::BadFile(e.to_string()))?;
    let start = jiuzhu_domain::payroll::first_paid_month(on);
    let mut total = 0;
    for county in registry.regions.children(&city) {
        let county = county.short().to_owned();
        let enrolled: std::collections::HashSet<String> = {
            let mut conn = registry.db.conn()?;
            jiuzhu_storage::payroll::enrolled_households(&mut conn, &county)?
                .into_iter()
                .collect()
        };
        let mut last: Option<String> = None;
        loop {
            let page = {
                let mut conn = registry.db.conn()?;
                jiuzhu_storage::feed::page(&mut conn, &county, last.as_deref(), 1000)?
            };
            let Some(tail) = page.last() else { break };
            last = Some(tail.household.id.clone());
            let mut enrolments = Vec::new();
            let mut accounts = Vec::new();
            for f in page.iter().filter(|f| !enrolled.contains(&f.household.id)) {
                let (h, _) = jiuzhu_app::registry::assessment::to_input(f, on);
                let Ok(a) = engine.assess(&h, on, false) else {
                    continue;
                };
                let Some(d) = a.results.iter().find(|r| {
                    r.programme == jiuzhu_rules::Programme::Dibao
                        && r.outcome == jiuzhu_rules::Outcome::Eligible
                        && r.monthly_fen > 0
                }) else {
                    continue;
                };
                let (mut e, mut acct) = synthetic(
                    registry,
                    &county,
                    &f.household.region_code,
                    &f.household.id,
                    total as u64,
                    start,
                );
                // The account is in the head of household's name.
                if let Some((_, head)) = f
                    .members
                    .iter()
                    .find(|(m, _)| m.relation == jiuzhu_domain::person::Relation::Head.code())
                    .or(f.members.first())
                {
                    acct.holder = seal_field(&registry.keys, "payee_accounts.holder", &head.name);
                }
                e.programme = "dibao".into();
                e.monthly_fen = d.monthly_fen;
                enrolments.push(e);
                accounts.push(acct);
                total += 1;
            }
            let mut conn = registry.db.conn()?;
            jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
                jiuzhu_storage::payroll::insert_enrolments(c, &enrolments)?;
                jiuzhu_storage::payroll::insert_accounts(c, &accounts)?;
                Ok(())
            })?;
        }
    }
    Ok(total)
}
