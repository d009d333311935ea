//! Payee accounts: where a household is paid (bank, account number, holder). The number and
//! the holder are sealed; the number's keyed hash finds one account paid for several
//! households. Only the last four digits are ever shown.

use jiuzhu_domain::Permission;
use jiuzhu_storage::models::PayeeAccountRow;
use serde::{Deserialize, Serialize};

use jiuzhu_kernel::Context;

use jiuzhu_kernel::masking::mask_last_four;

use jiuzhu_kernel::sealing::open_field;

use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Errors;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::sealing::seal_field;

/// An account as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AccountInput {
    /// The bank (e.g. 中国农业银行安阳分行).
    pub bank: String,
    /// Account or card number (10–30 digits).
    pub account: String,
    /// Account holder.
    pub holder: String,
}

/// An account as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    /// The bank.
    pub bank: String,
    /// The number, last four digits.
    pub account_masked: String,
    /// The holder, masked.
    pub holder_masked: String,
    /// Set by.
    pub updated_by: String,
    /// When.
    pub updated_at: String,
}

/// Sets a household's account (replacing the one before; failed payments of the household are
/// then retried by the next run). Needs the payroll permission.
pub fn set_account(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
    input: &AccountInput,
) -> Result<AccountView, AppError> {
    who.require(Permission::RunPayroll)?;
    let mut conn = ctx.db.conn()?;
    let h = jiuzhu_storage::households::find(&mut conn, &who.scope, household_id)?;
    let mut errs = Errors::default();
    let bank = input.bank.trim();
    if !(2..=40).contains(&bank.chars().count()) {
        errs.push("bank", "请填写开户银行（2–40 字）", "bank is required");
    }
    let account: String = input
        .account
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !(10..=30).contains(&account.len()) || !account.chars().all(|c| c.is_ascii_digit()) {
        errs.push(
            "account",
            "账号应为 10–30 位数字",
            "account must be 10–30 digits",
        );
    }
    let holder = input.holder.trim();
    if !(1..=50).contains(&holder.chars().count()) {
        errs.push("holder", "请填写户名", "holder is required");
    }
    errs.finish(())?;
    let row = PayeeAccountRow {
        county_code: h.county_code.clone(),
        id: uuid::Uuid::now_v7().to_string(),
        household_id: h.id.clone(),
        bank: bank.to_owned(),
        account: seal_field(&ctx.keys, "payee_accounts.account", &account),
        account_key: ctx.keys.index.index("bank_account", &account),
        holder: seal_field(&ctx.keys, "payee_accounts.holder", holder),
        updated_by: who.username.clone(),
        updated_at: jiuzhu_domain::time::now(),
    };
    jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
        jiuzhu_storage::payroll::set_account(c, &row)?;
        ctx.audit.record(
            c,
            who,
            Event::new("payee.set", "household", &h.id, &h.region_code)
                .detail(serde_json::json!({"bank": bank})),
        )?;
        Ok(())
    })?;
    view(ctx, &row)
}

/// A household's account, masked (None: none on file).
pub fn account(
    ctx: &Context,
    who: &Actor,
    household_id: &str,
) -> Result<Option<AccountView>, AppError> {
    who.require(Permission::ViewRegistry)?;
    let mut conn = ctx.db.conn()?;
    let h = jiuzhu_storage::households::find(&mut conn, &who.scope, household_id)?;
    jiuzhu_storage::payroll::account_of(&mut conn, &h.county_code, &h.id)?
        .map(|r| view(ctx, &r))
        .transpose()
}

fn view(ctx: &Context, r: &PayeeAccountRow) -> Result<AccountView, AppError> {
    Ok(AccountView {
        bank: r.bank.clone(),
        account_masked: mask_last_four(&open_field(
            &ctx.keys,
            "payee_accounts.account",
            &r.account,
        )?),
        holder_masked: jiuzhu_kernel::masking::mask_name(&open_field(
            &ctx.keys,
            "payee_accounts.holder",
            &r.holder,
        )?),
        updated_by: r.updated_by.clone(),
        updated_at: r.updated_at.format("%Y-%m-%d %H:%M").to_string(),
    })
}
