//! Township temporary-assistance reserve funds (备用金, S14): county civil affairs allocates
//! and replenishes each township's fund; every 急难 small advance (小额先行救助) is paid from
//! the fund of the township that handles the case, in the same transaction as the case's move;
//! an advance the fund cannot cover is refused with the balance. The ledger keeps the balance
//! after every entry.

use jiuzhu_domain::{Money, Permission, RegionCode, RegionLevel};
use jiuzhu_storage::DbConnection;
use jiuzhu_storage::models::ReserveEntryRow;
use serde::Serialize;

use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Context;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::Event;

/// Money into a fund.
pub const CREDIT_KINDS: [(&str, &str); 2] = [("allocation", "拨付"), ("replenishment", "补充")];

/// A township's fund as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FundView {
    /// The county (6 digits).
    pub county: String,
    /// The township's code.
    pub township: String,
    /// Its name with the county.
    pub name: String,
    /// Balance in yuan.
    pub balance: String,
}

/// One ledger entry as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EntryView {
    /// 拨付, 补充 or 先行救助.
    pub kind: String,
    /// Signed amount in yuan.
    pub amount: String,
    /// Balance after.
    pub balance_after: String,
    /// The case of an advance.
    pub case_id: Option<String>,
    /// Note.
    pub note: String,
    /// Who.
    pub entered_by: String,
    /// When.
    pub entered_at: String,
}

fn kind_zh(kind: &str) -> &str {
    match kind {
        "allocation" => "拨付",
        "replenishment" => "补充",
        "advance" => "先行救助",
        other => other,
    }
}

fn township(who: &Actor, code: &str) -> Result<RegionCode, AppError> {
    let r = RegionCode::parse(code.trim()).map_err(|_| AppError::NotFound)?;
    if r.level() != RegionLevel::Township || !who.scope.contains(&r) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

/// The funds of the viewer's region (townships without a fund are not listed).
pub fn funds(ctx: &Context, who: &Actor) -> Result<Vec<FundView>, AppError> {
    who.require(Permission::ViewRegistry)?;
    let rows = {
        let mut conn = ctx.db.conn()?;
        jiuzhu_storage::reserve::funds(&mut conn, who.scope.counties())?
    };
    Ok(rows
        .into_iter()
        .filter_map(|f| {
            let code = RegionCode::parse(&f.id)
                .ok()
                .filter(|c| who.scope.contains(c))?;
            Some(FundView {
                county: f.county_code.clone(),
                name: ctx.regions.path(&code),
                township: f.id,
                balance: Money::from_fen(f.balance_fen).yuan_string(),
            })
        })
        .collect())
}

/// A township's balance and ledger.
pub fn ledger(
    ctx: &Context,
    who: &Actor,
    code: &str,
) -> Result<(FundView, Vec<EntryView>), AppError> {
    who.require(Permission::ViewRegistry)?;
    let t = township(who, code)?;
    let county = t.county_code().ok_or(AppError::NotFound)?.to_owned();
    let mut conn = ctx.db.conn()?;
    let fund = jiuzhu_storage::reserve::fund(&mut conn, &county, t.as_str())?;
    let entries = jiuzhu_storage::reserve::entries(&mut conn, &county, t.as_str())?;
    let y = |f: i64| Money::from_fen(f).yuan_string();
    Ok((
        FundView {
            county: county.clone(),
            township: t.as_str().to_owned(),
            name: ctx.regions.path(&t),
            balance: y(fund.map(|f| f.balance_fen).unwrap_or(0)),
        },
        entries
            .into_iter()
            .map(|e| EntryView {
                kind: kind_zh(&e.kind).to_owned(),
                amount: if e.amount_fen > 0 {
                    format!("+{}", y(e.amount_fen))
                } else {
                    format!("-{}", y(-e.amount_fen))
                },
                balance_after: y(e.balance_after_fen),
                case_id: e.case_id,
                note: e.note,
                entered_by: e.entered_by,
                entered_at: e.entered_at.format("%Y-%m-%d %H:%M").to_string(),
            })
            .collect(),
    ))
}

/// Allocates or replenishes a township's fund (county civil affairs).
pub fn credit(
    ctx: &Context,
    who: &Actor,
    code: &str,
    kind: &str,
    amount: &str,
    note: &str,
) -> Result<FundView, AppError> {
    who.require(Permission::RunPayroll)?;
    let t = township(who, code)?;
    let mut errors = Vec::new();
    let kind = CREDIT_KINDS
        .iter()
        .find(|(c, zh)| *c == kind.trim() || *zh == kind.trim())
        .map(|(c, _)| *c);
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "请选择拨付或补充",
            "allocation or replenishment",
        ));
    }
    let amount = Money::parse_non_negative_yuan(amount.trim())
        .ok()
        .filter(|m| *m > Money::ZERO);
    if amount.is_none() {
        errors.push(FieldError::new(
            "amount",
            "请填写大于 0 的金额（元）",
            "amount needed",
        ));
    }
    if !(2..=200).contains(&note.trim().chars().count()) {
        errors.push(FieldError::new(
            "note",
            "请写明资金来源或文号（2–200 字）",
            "a note is needed",
        ));
    }
    let (Some(kind), Some(amount)) = (kind, amount.filter(|_| errors.is_empty())) else {
        return Err(AppError::Invalid(errors));
    };
    let county = t.county_code().ok_or(AppError::NotFound)?.to_owned();
    let mut conn = ctx.db.conn()?;
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        post(
            c,
            &county,
            t.as_str(),
            kind,
            amount.fen(),
            None,
            note.trim(),
            &who.username,
        )?;
        ctx.audit.record(
            c,
            who,
            Event::new("reserve.credit", "reserve_fund", t.as_str(), t.as_str())
                .detail(serde_json::json!({"kind": kind, "fen": amount.fen()})),
        )?;
        Ok(())
    })?;
    drop(conn);
    Ok(ledger(ctx, who, t.as_str())?.0)
}

/// Pays an 急难 advance from the fund of the township that handles the case, in the caller's
/// transaction; refused when the fund is missing or holds too little.
pub fn pay_advance(
    conn: &mut DbConnection,
    ctx: &Context,
    case_region: &str,
    county: &str,
    case_id: &str,
    fen: i64,
    by: &str,
) -> Result<(), AppError> {
    let t = RegionCode::parse(case_region)
        .map_err(|_| AppError::NotFound)?
        .township();
    post(
        conn,
        county,
        t.as_str(),
        "advance",
        -fen,
        Some(case_id),
        "小额先行救助",
        by,
    )
    .map_err(|e| match e {
        AppError::Conflict(_) => {
            let balance = jiuzhu_storage::reserve::fund(conn, county, t.as_str())
                .ok()
                .flatten()
                .map(|f| f.balance_fen);
            AppError::Conflict(match balance {
                Some(b) => format!(
                    "{}备用金余额 {} 元，不足以先行救助 {} 元，请县级民政补充备用金",
                    ctx.regions.name(&t),
                    Money::from_fen(b).yuan_string(),
                    Money::from_fen(fen).yuan_string()
                ),
                None => format!(
                    "{}尚未拨付临时救助备用金，不能先行救助",
                    ctx.regions.name(&t)
                ),
            })
        }
        other => other,
    })
}

#[allow(clippy::too_many_arguments)]
fn post(
    conn: &mut DbConnection,
    county: &str,
    township: &str,
    kind: &str,
    fen: i64,
    case_id: Option<&str>,
    note: &str,
    by: &str,
) -> Result<(), AppError> {
    let now = jiuzhu_domain::time::now();
    let Some(balance) = jiuzhu_storage::reserve::change(conn, county, township, fen, now)? else {
        return Err(AppError::Conflict("备用金余额不足".into()));
    };
    jiuzhu_storage::reserve::insert_entry(
        conn,
        &ReserveEntryRow {
            county_code: county.into(),
            id: uuid::Uuid::now_v7().to_string(),
            township_code: township.into(),
            kind: kind.into(),
            amount_fen: fen,
            balance_after_fen: balance,
            case_id: case_id.map(str::to_owned),
            note: note.into(),
            entered_by: by.into(),
            entered_at: now,
        },
    )?;
    Ok(())
}

/// Allocates `yuan` to every township's fund that has none yet (demo data).
pub fn allocate_demo(ctx: &Context, who: &Actor, yuan: &str) -> Result<usize, AppError> {
    let mut n = 0;
    for t in ctx.regions.of_level(RegionLevel::Township) {
        let county = t.code.county_code().unwrap_or_default().to_owned();
        let has = {
            let mut conn = ctx.db.conn()?;
            jiuzhu_storage::reserve::fund(&mut conn, &county, t.code.as_str())?.is_some()
        };
        if !has {
            credit(
                ctx,
                who,
                t.code.as_str(),
                "allocation",
                yuan,
                "（演示）年初拨付",
            )?;
            n += 1;
        }
    }
    Ok(n)
}
