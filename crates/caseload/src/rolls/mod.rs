//! S7, issue 17 item 1: taking over the rolls (在保对象) of the old system at go-live. The old
//! system's export — one row per person, grouped into households by 户编号 as in the roster,
//! with the programme, the monthly amount, the dates, the programme's decision fields and the
//! payee account per household — is read and checked without writing anything ([`preview`]):
//! every problem is named by row and column, and the figures are summed per county and
//! programme beside the old system's totals typed in. [`commit`] then writes, per county in one
//! transaction, the households not yet registered, for each household a case carried in the
//! 已纳入保障 stage with its decision record (made by the programme's own `decide()`), the
//! enrolment paid from the next payroll on, and the payee account. A household already on the
//! platform's roll with the same amount is left as it is, so importing a file again changes
//! nothing.

pub mod columns;
mod model;
mod read;
pub mod reconcile;

use std::collections::BTreeMap;

use jiuzhu_domain::case::Stage;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::sealing::seal_field;
use jiuzhu_kernel::{Actor, AppError, Context};
use jiuzhu_storage::models::{
    CaseDecisionRow, CaseEventRow, CaseRow, EnrolmentRow, PayeeAccountRow,
};

pub use model::{Plan, RollHousehold, RollsOutcome, RollsPreview, RowError};
pub use read::preview;
pub use reconcile::{Expected, Line};

/// Writes a preview. Refused, writing nothing, while a row has an error or a typed total does
/// not match — unless `only_valid`, which writes the households without errors and skips the
/// rest. Each county is written in one transaction.
pub fn commit(
    ctx: &Context,
    who: &Actor,
    preview: &RollsPreview,
    only_valid: bool,
) -> Result<RollsOutcome, AppError> {
    read::require(who)?;
    if !only_valid && !preview.is_clean() {
        return Err(AppError::Conflict(format!(
            "文件中有 {} 处错误，未导入任何数据；可修正后重新上传，或选择只导入无误的家庭",
            preview.all_errors().len()
        )));
    }
    if !only_valid && !preview.reconciles() {
        return Err(AppError::Conflict(
            "文件合计与原系统合计不符，未导入任何数据；请核对后重新上传，或确认按文件导入无误的家庭"
                .into(),
        ));
    }
    let mut out = RollsOutcome::default();
    let mut by_county: BTreeMap<&str, Vec<&RollHousehold>> = BTreeMap::new();
    for h in &preview.households {
        match (&h.ready, h.errors.is_empty(), h.plan) {
            (_, false, _) | (None, _, _) => out.skipped += 1,
            (Some(_), true, Plan::Unchanged) => out.unchanged += 1,
            (Some(_), true, _) => by_county.entry(&h.county).or_default().push(h),
        }
    }
    let mut conn = ctx.conn()?;
    for (county, households) in by_county {
        let mut w = Written::default();
        for h in &households {
            let ready = h.ready.as_ref().expect("checked");
            w.add(ctx, who, &preview.file_name, county, ready);
            if h.plan == Plan::Register {
                out.registered += 1;
            }
            out.enrolled += 1;
        }
        // One transaction per county, its rows written in bulk (a county's rolls run to
        // 100,000 households: one statement per row would take minutes on PostgreSQL).
        jiuzhu_storage::in_transaction(&mut conn, |c| w.write(ctx, c, who))?;
    }
    drop(conn);
    // The planner's statistics after a large load (as after a roster import).
    if out.enrolled >= 1_000 {
        ctx.db.analyze()?;
    }
    Ok(out)
}

/// The rows of one county's households, gathered to be written in bulk.
#[derive(Default)]
struct Written {
    households: jiuzhu_storage::bulk::HouseholdBatch,
    cases: Vec<CaseRow>,
    events: Vec<CaseEventRow>,
    decisions: Vec<CaseDecisionRow>,
    enrolments: Vec<EnrolmentRow>,
    /// Accounts of households registered by the import.
    new_accounts: Vec<PayeeAccountRow>,
    /// Accounts of households registered before (replacing theirs).
    accounts: Vec<PayeeAccountRow>,
    audit: Vec<Event>,
}

impl Written {
    /// Gathers one household's rows.
    fn add(&mut self, ctx: &Context, who: &Actor, file: &str, county: &str, r: &model::Ready) {
        let now = jiuzhu_domain::time::now();
        let household_id = match &r.new_household {
            Some(batch) => {
                let hb = &mut self.households;
                hb.identities.extend(batch.identities.iter().cloned());
                hb.persons.extend(batch.persons.iter().cloned());
                hb.households.extend(batch.households.iter().cloned());
                hb.memberships.extend(batch.memberships.iter().cloned());
                batch.households[0].id.clone()
            }
            None => r.household_id.clone(),
        };
        let case_id = uuid::Uuid::now_v7().to_string();
        let spec = r.spec;
        self.cases.push(CaseRow {
            county_code: county.to_owned(),
            id: case_id.clone(),
            household_id: household_id.clone(),
            region_code: r.region.clone(),
            kind: spec.kind.code().into(),
            channel: "系统迁移".into(),
            stage: Stage::Enrolled.code().into(),
            summary: seal_field(&ctx.keys, "cases.summary", &format!("上线导入：{file}")),
            filed_on: r.decided_on,
            accepted_on: Some(r.decided_on),
            due_on: None,
            decided_on: Some(r.decided_on),
            amount_fen: Some(r.monthly_fen),
            reasons: String::new(),
            version: 1,
            created_by: who.username.clone(),
            created_at: now,
            updated_at: now,
            near_relative: false,
            rules_opinion: String::new(),
            hardship: String::new(),
            rules_input: String::new(),
        });
        self.events.push(CaseEventRow {
            county_code: county.to_owned(),
            id: uuid::Uuid::now_v7().to_string(),
            case_id: case_id.clone(),
            seq: 1,
            action: jiuzhu_domain::case::CARRIED.into(),
            from_stage: String::new(),
            to_stage: Stage::Enrolled.code().into(),
            on_date: r.decided_on,
            actor: who.username.clone(),
            note: seal_field(&ctx.keys, "case_events.note", &format!("上线导入：{file}")),
            created_at: now,
        });
        if let Some(record) = &r.record {
            self.decisions.push(CaseDecisionRow {
                county_code: county.to_owned(),
                id: uuid::Uuid::now_v7().to_string(),
                case_id: case_id.clone(),
                seq: 1,
                kind: spec.kind.code().into(),
                action: jiuzhu_domain::case::Action::Approve.code().into(),
                record_version: i32::from(spec.record_version),
                payload: seal_field(&ctx.keys, "case_decisions.payload", &record.to_string()),
                legacy_caregiver: None,
                decided_on: r.decided_on,
                created_at: now,
            });
        }
        self.enrolments.push(EnrolmentRow {
            county_code: county.to_owned(),
            id: uuid::Uuid::now_v7().to_string(),
            case_id,
            household_id: household_id.clone(),
            region_code: r.region.clone(),
            programme: spec.kind.code().into(),
            monthly_fen: r.monthly_fen,
            start_month: r.start_month.to_string(),
            end_month: None,
            status: "active".into(),
            note: String::new(),
            created_at: now,
            updated_at: now,
            people: r.people,
            review_due: r.review_due.map(|d| d.to_string()),
        });
        if let Some(a) = &r.account {
            let row = PayeeAccountRow {
                county_code: county.to_owned(),
                id: uuid::Uuid::now_v7().to_string(),
                household_id: household_id.clone(),
                bank: a.bank.clone(),
                account: seal_field(&ctx.keys, "payee_accounts.account", &a.account),
                account_key: ctx.keys.index.index("bank_account", &a.account),
                holder: seal_field(&ctx.keys, "payee_accounts.holder", &a.holder),
                updated_by: who.username.clone(),
                updated_at: now,
            };
            if r.new_household.is_some() {
                self.new_accounts.push(row);
            } else {
                self.accounts.push(row);
            }
        }
        self.audit.push(
            Event::new("rolls.import", "household", &household_id, &r.region).detail(
                serde_json::json!({"file": file, "programme": spec.kind.code(),
                    "monthly_fen": r.monthly_fen, "people": r.people,
                    "registered": r.new_household.is_some()}),
            ),
        );
    }

    /// Writes the county's rows in the caller's transaction, with one audit entry per household.
    fn write(
        self,
        ctx: &Context,
        c: &mut jiuzhu_storage::DbConnection,
        who: &Actor,
    ) -> Result<(), AppError> {
        use jiuzhu_storage::bulk;
        jiuzhu_storage::households::create(c, &who.scope, &self.households)?;
        bulk::insert_cases(c, &self.cases)
            .map_err(|e| e.unique_as("该户已有办理中的同一项目申请"))?;
        bulk::insert_case_events(c, &self.events)?;
        bulk::insert_case_decisions(c, &self.decisions)?;
        jiuzhu_storage::payroll::insert_enrolments(c, &self.enrolments)
            .map_err(|e| e.unique_as("该户已在该项目保障中，不能重复纳入"))?;
        jiuzhu_storage::payroll::insert_accounts(c, &self.new_accounts)?;
        for a in &self.accounts {
            jiuzhu_storage::payroll::set_account(c, a)?;
        }
        ctx.audit.record_many(c, who, self.audit)
    }
}
