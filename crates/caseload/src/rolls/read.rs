//! S7, issue 17 item 1: reading and checking a rolls file — every row's problems by row and
//! column, the programme's own decision checks, the households already on the platform — with
//! nothing written.

use std::collections::{BTreeMap, HashSet};

use chrono::{Months, NaiveDate};
use jiuzhu_domain::person::{HukouType, Relation};
use jiuzhu_domain::{Money, Month, Permission, RegionCode, ResidentId};
use jiuzhu_kernel::masking::mask_name;
use jiuzhu_kernel::sealing::id_key;
use jiuzhu_kernel::tabular::{TableLimits, read_table};
use jiuzhu_kernel::{Actor, AppError, Context};
use jiuzhu_programmes::{AMOUNT, ProgrammeSpec, Proposal, Refusal};
use jiuzhu_registry::{HouseholdInput, PersonInput, ValidHousehold, household_batch};

use super::columns::{self, Column, Level};
use super::model::{Account, Plan, Ready, RollHousehold, RollsPreview, RowError};
use super::reconcile::{self, Expected};

/// Who may take over rolls: county civil affairs, which registers, decides and pays.
pub(crate) fn require(who: &Actor) -> Result<(), AppError> {
    who.require(Permission::ImportRoster)?;
    who.require(Permission::DecideCases)?;
    who.require(Permission::RunPayroll)
}

/// The rows of one 户编号.
#[derive(Default)]
struct Group {
    rows: Vec<usize>,
    members: Vec<PersonInput>,
    covered: Vec<bool>,
    values: BTreeMap<String, String>,
    errors: Vec<RowError>,
}

impl Group {
    fn value(&self, key: &str) -> &str {
        self.values.get(key).map(String::as_str).unwrap_or("")
    }

    fn error(&mut self, row: usize, column: &str, message: impl Into<String>) {
        self.errors.push(RowError {
            row,
            column: column.to_owned(),
            message: message.into(),
        });
    }
}

fn header_of<'a>(cols: &'a [Column], key: &str) -> &'a str {
    cols.iter()
        .find(|c| c.key == key)
        .map(|c| c.header.as_str())
        .unwrap_or("")
}

/// Reads and checks a rolls file without writing anything. `expected` are the old system's
/// totals as typed in, for the reconciliation table.
pub fn preview(
    ctx: &Context,
    who: &Actor,
    file_name: &str,
    bytes: &[u8],
    expected: &[Expected],
) -> Result<RollsPreview, AppError> {
    require(who)?;
    let table = read_table(file_name, bytes, TableLimits::ROLLS)?;
    let Some(header) = table.first() else {
        return Err(AppError::BadFile("文件是空的".into()));
    };
    let cols = columns::columns();
    let (at, mut file_errors) = jiuzhu_kernel::tabular::find_columns(
        header,
        cols.iter()
            .map(|c| (c.header.as_str(), c.key.as_str(), c.required)),
    );
    let empty = |file_errors| RollsPreview {
        file_name: file_name.into(),
        households: vec![],
        rows: table.len().saturating_sub(1),
        file_errors,
        reconciliation: reconcile::table(std::iter::empty(), expected, |c| county_name(ctx, c)),
    };
    if !file_errors.is_empty() {
        return Ok(empty(file_errors));
    }

    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    let mut rows = 0;
    for (i, row) in table.iter().enumerate().skip(1) {
        let row_no = i + 1;
        let cell = |key: &str| jiuzhu_kernel::tabular::cell(row, at.get(key).copied());
        if jiuzhu_kernel::tabular::is_blank(row) {
            continue;
        }
        rows += 1;
        let key = cell("household_key").unwrap_or_else(|f| f.to_string());
        if key.is_empty() {
            file_errors.push(RowError {
                row: row_no,
                column: "户编号".into(),
                message: "户编号不能为空".into(),
            });
            continue;
        }
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        let g = groups.entry(key).or_default();
        let first = g.rows.is_empty();
        g.rows.push(row_no);
        let mut person = PersonInput::default();
        for c in &cols {
            if c.key == "household_key" {
                continue;
            }
            let v = match cell(&c.key) {
                Ok(v) => v,
                Err(f)
                    if ["id_number", "bank_account", "phone", columns::PAYEE_ACCOUNT]
                        .contains(&c.key.as_str()) =>
                {
                    g.error(
                        row_no,
                        &c.header,
                        format!("该单元格被 Excel 存成了数字（{f:e}），已丢失位数；请把此列设为“文本”后重新录入"),
                    );
                    continue;
                }
                Err(f) => f.to_string(),
            };
            match c.level {
                Level::Household if first => {
                    g.values.insert(c.key.clone(), v);
                }
                Level::Household => {
                    if !v.is_empty() && g.value(&c.key) != v {
                        g.error(row_no, &c.header, "同一户编号的各行，此列必须相同或留空");
                    }
                }
                Level::Person if c.key == columns::COVERED => match v.as_str() {
                    "" | "是" => g.covered.push(true),
                    "否" => g.covered.push(false),
                    _ => {
                        g.covered.push(false);
                        g.error(row_no, &c.header, "应填“是”或“否”");
                    }
                },
                Level::Person => {
                    person.set_field(&c.key, v);
                }
            }
        }
        g.members.push(person);
    }

    let today = jiuzhu_domain::time::today();
    let mut conn = ctx.conn()?;
    let mut seen: HashSet<String> = HashSet::new();
    let mut households = Vec::new();
    for key in order {
        let g = groups.remove(&key).expect("grouped");
        households.push(check(ctx, who, &mut conn, &cols, key, g, today, &mut seen)?);
    }
    let reconciliation = reconcile::table(
        households.iter().filter(|h| h.errors.is_empty()).map(|h| {
            (
                h.county.clone(),
                h.programme.clone(),
                h.people,
                h.monthly_fen,
            )
        }),
        expected,
        |c| county_name(ctx, c),
    );
    Ok(RollsPreview {
        file_name: file_name.into(),
        households,
        rows,
        file_errors,
        reconciliation,
    })
}

fn county_name(ctx: &Context, county: &str) -> String {
    RegionCode::parse(county)
        .map(|c| ctx.regions.name(&c))
        .unwrap_or_else(|_| county.to_owned())
}

/// The monthly programme a cell names: its code, its name, or a short name whose characters
/// stand in order in exactly one programme's name (低保, 特困).
fn programme_of(v: &str) -> Option<&'static ProgrammeSpec> {
    let all: Vec<&'static ProgrammeSpec> = columns::monthly_specs().collect();
    if let Some(s) = all.iter().find(|s| s.kind.code() == v || s.kind.zh() == v) {
        return Some(s);
    }
    let abbreviates = |name: &str| {
        let mut chars = name.chars();
        !v.is_empty() && v.chars().all(|c| chars.any(|n| n == c))
    };
    let hits: Vec<_> = all
        .into_iter()
        .filter(|s| abbreviates(s.kind.zh()))
        .collect();
    (hits.len() == 1).then(|| hits[0])
}

fn date(v: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok()
}

/// Checks one household and decides what importing it does.
#[allow(clippy::too_many_arguments)]
fn check(
    ctx: &Context,
    who: &Actor,
    conn: &mut jiuzhu_storage::DbConnection,
    cols: &[Column],
    key: String,
    mut g: Group,
    today: NaiveDate,
    seen: &mut HashSet<String>,
) -> Result<RollHousehold, AppError> {
    let first = g.rows[0];
    let input = HouseholdInput {
        region_code: g.value("region_code").to_owned(),
        address: g.value("address").to_owned(),
        members: g.members.clone(),
    };
    let head_name = input
        .members
        .iter()
        .find(|m| Relation::parse(&m.relation) == Some(Relation::Head))
        .map(|m| mask_name(&m.name))
        .unwrap_or_default();
    let valid = match input.parse(&ctx.regions, today) {
        Ok(v) => Some(v),
        Err(AppError::Invalid(fields)) => {
            for f in fields {
                let (row, field) = match f
                    .field
                    .strip_prefix("members[")
                    .and_then(|r| r.split_once("]."))
                {
                    Some((i, field)) => (
                        i.parse::<usize>()
                            .ok()
                            .and_then(|i| g.rows.get(i).copied())
                            .unwrap_or(first),
                        field.to_owned(),
                    ),
                    None => (first, f.field.clone()),
                };
                let column = header_of(cols, &field).to_owned();
                g.error(row, &column, f.message);
            }
            None
        }
        Err(e) => return Err(e),
    };
    let h = |k: &str| header_of(cols, k).to_owned();
    if let Some(v) = &valid
        && !who.scope.contains(&v.region)
    {
        g.error(first, &h("region_code"), "不在您的辖区内");
    }
    let spec = programme_of(g.value(columns::PROGRAMME));
    if spec.is_none() {
        let names: Vec<&str> = columns::monthly_specs().map(|s| s.kind.zh()).collect();
        g.error(
            first,
            &h(columns::PROGRAMME),
            format!("应为以下之一：{}", names.join("、")),
        );
    }
    let monthly = Money::parse_non_negative_yuan(g.value(columns::MONTHLY))
        .ok()
        .filter(|m| m.fen() > 0 && m.fen() <= jiuzhu_domain::money::MAX_PAYMENT_FEN);
    if monthly.is_none() {
        g.error(
            first,
            &h(columns::MONTHLY),
            "应为大于 0 的金额（元，最多两位小数）",
        );
    }
    let start = Month::parse(g.value(columns::START_MONTH)).ok();
    match start {
        None => g.error(first, &h(columns::START_MONTH), "应为 YYYY-MM"),
        Some(m) if m > Month::of(today).next() => {
            g.error(first, &h(columns::START_MONTH), "起始发放月份不能晚于下月")
        }
        Some(_) => {}
    }
    let decided_on = date(g.value(columns::DECIDED_ON));
    match decided_on {
        None => g.error(first, &h(columns::DECIDED_ON), "应为有效日期 YYYY-MM-DD"),
        Some(d) if d > today => g.error(first, &h(columns::DECIDED_ON), "审批日期不能晚于今天"),
        Some(_) => {}
    }
    let review_due = match g.value(columns::REVIEW_DUE) {
        "" => None,
        v => match (date(v), decided_on) {
            (Some(r), Some(d)) if r >= d => Some(r),
            (Some(_), _) => {
                g.error(
                    first,
                    &h(columns::REVIEW_DUE),
                    "下次复核日期不能早于审批日期",
                );
                None
            }
            (None, _) => {
                g.error(first, &h(columns::REVIEW_DUE), "应为有效日期 YYYY-MM-DD");
                None
            }
        },
    };
    let people = g.covered.iter().filter(|c| **c).count();
    if people == 0 {
        g.error(first, &h(columns::COVERED), "至少应有一名保障对象");
    }
    let account = account_of(&mut g, cols);

    // The programme's own approval reads its decision fields (S21: same checks as the form).
    // A carried decision was often taken before the policy file in force began; its fields are
    // read under today's policy (what they mean — a care tier from the ADL items — is today's).
    let mut record = None;
    let mut default_cycle = None;
    if let (Some(spec), Some(v), Some(d), Some(m)) = (spec, &valid, decided_on, monthly) {
        let params = ctx
            .rules
            .params(&v.region, HukouType::Rural, today)
            .map_err(|e| AppError::Conflict(format!("政策参数无法确定：{e}")))?;
        let mut form: BTreeMap<String, String> = g
            .values
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(columns::DECISION)?.to_owned(), v.clone())))
            .collect();
        form.insert(AMOUNT.name.into(), m.yuan_string());
        default_cycle = Some(params.procedure_review_months_default);
        let proposal = Proposal {
            action: jiuzhu_domain::case::Action::Approve,
            on: d,
            params: &params,
            proposed: None,
            current_amount: None,
            note: "",
            at_township: false,
        };
        match jiuzhu_programmes::decide(spec, &proposal, &form) {
            Ok(decision) => record = decision.record,
            Err(Refusal::Conflict(m)) => g.error(first, "", m),
            Err(Refusal::Fields(problems)) => {
                for p in problems {
                    let column = if p.field == AMOUNT.name {
                        h(columns::MONTHLY)
                    } else {
                        h(&format!("{}{}", columns::DECISION, p.field))
                    };
                    g.error(first, &column, p.zh);
                }
            }
        }
    }
    let review_due = review_due.or_else(|| {
        let d = decided_on?;
        let months = record
            .as_ref()
            .and_then(|r| u32::try_from(r.get("review_months")?.as_u64()?).ok())
            .or(default_cycle)?;
        // The next review after today on the cycle from the decision.
        let mut due = d.checked_add_months(Months::new(months))?;
        while due < today {
            due = due.checked_add_months(Months::new(months))?;
        }
        Some(due)
    });

    let (plan, household_id) = match &valid {
        Some(v) => registration(ctx, who, conn, cols, v, &mut g, seen)?,
        None => (Plan::Register, String::new()),
    };
    let county = valid
        .as_ref()
        .and_then(|v| v.region.county_code().map(str::to_owned))
        .unwrap_or_default();
    let mut plan = plan;
    if plan == Plan::Enrol
        && let (Some(spec), Some(m)) = (spec, monthly)
    {
        let running = jiuzhu_storage::payroll::enrolments_of(conn, &county, &household_id)?
            .into_iter()
            .find(|e| e.programme == spec.kind.code() && e.status != "ended");
        if let Some(e) = running {
            if e.monthly_fen == m.fen() {
                plan = Plan::Unchanged;
            } else {
                g.error(
                    first,
                    &h(columns::MONTHLY),
                    format!(
                        "该户已在册，系统月保障金额为 {} 元，与文件不一致；金额调整请通过复核办理",
                        Money::from_fen(e.monthly_fen).yuan_string()
                    ),
                );
            }
        }
    }
    let ready = match (
        g.errors.is_empty(),
        spec,
        &valid,
        decided_on,
        start,
        monthly,
    ) {
        (true, Some(spec), Some(v), Some(d), Some(s), Some(m)) => Some(Ready {
            spec,
            region: v.region.to_string(),
            decided_on: d,
            start_month: s,
            monthly_fen: m.fen(),
            people: i32::try_from(people).unwrap_or(i32::MAX),
            review_due,
            record,
            account,
            new_household: (plan == Plan::Register)
                .then(|| household_batch(&ctx.keys, v, today, "上线导入在保对象")),
            household_id,
        }),
        _ => None,
    };
    Ok(RollHousehold {
        key,
        rows: g.rows,
        head_name,
        county,
        programme: spec.map(|s| s.kind.code().to_owned()).unwrap_or_default(),
        programme_name: spec.map(|s| s.kind.zh().to_owned()).unwrap_or_default(),
        monthly_fen: monthly.map(|m| m.fen()).unwrap_or(0),
        people: people as i64,
        plan,
        errors: g.errors,
        ready,
    })
}

/// The payee account, when any of its three columns is filled (all three then needed).
fn account_of(g: &mut Group, cols: &[Column]) -> Option<Account> {
    let bank = g.value(columns::PAYEE_BANK).to_owned();
    let account: String = g
        .value(columns::PAYEE_ACCOUNT)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let holder = g.value(columns::PAYEE_HOLDER).to_owned();
    if bank.is_empty() && account.is_empty() && holder.is_empty() {
        return None;
    }
    let first = g.rows[0];
    let before = g.errors.len();
    if !(2..=40).contains(&bank.chars().count()) {
        g.error(
            first,
            header_of(cols, columns::PAYEE_BANK),
            "请填写开户银行（2–40 字）",
        );
    }
    if !(10..=30).contains(&account.len()) || !account.chars().all(|c| c.is_ascii_digit()) {
        g.error(
            first,
            header_of(cols, columns::PAYEE_ACCOUNT),
            "账号应为 10–30 位数字",
        );
    }
    if !(1..=50).contains(&holder.chars().count()) {
        g.error(
            first,
            header_of(cols, columns::PAYEE_HOLDER),
            "请填写收款人（账户户名）",
        );
    }
    (g.errors.len() == before).then_some(Account {
        bank,
        account,
        holder,
    })
}

/// Whether the household's members are registered: none (register the household), all in
/// one household of exactly these members (enrol it), or otherwise an error at the row.
fn registration(
    ctx: &Context,
    who: &Actor,
    conn: &mut jiuzhu_storage::DbConnection,
    cols: &[Column],
    v: &ValidHousehold,
    g: &mut Group,
    seen: &mut HashSet<String>,
) -> Result<(Plan, String), AppError> {
    let id_col = header_of(cols, "id_number").to_owned();
    let mut found: Vec<Option<String>> = Vec::new();
    for m in &v.members {
        let row = row_of(g, &m.id);
        if !seen.insert(m.id.as_str().to_owned()) {
            g.error(row, &id_col, "文件中该身份证号出现了不止一次");
            found.push(None);
            continue;
        }
        let Some(ident) = jiuzhu_storage::persons::identity(conn, &id_key(&ctx.keys, &m.id))?
        else {
            found.push(None);
            continue;
        };
        match jiuzhu_storage::households::current_household_of(
            conn,
            &who.scope,
            &ident.county_code,
            &ident.person_id,
        )? {
            Some(h) => found.push(Some(h.id)),
            None => {
                g.error(
                    row,
                    &id_col,
                    "该身份证号已在辖区外或不在任何家庭中登记，请联系县级民政部门",
                );
                found.push(None);
            }
        }
    }
    let registered: Vec<&String> = found.iter().flatten().collect();
    if registered.is_empty() {
        return Ok((Plan::Register, String::new()));
    }
    let household = registered[0].clone();
    let same = registered.len() == v.members.len() && registered.iter().all(|h| **h == household);
    if !same {
        g.error(
            g.rows[0],
            &id_col,
            "部分成员已登记在其他家庭或尚未登记；请先在系统中调整家庭成员后再导入",
        );
        return Ok((Plan::Register, String::new()));
    }
    let county = v.region.county_code().unwrap_or_default().to_owned();
    let members = jiuzhu_storage::households::members(conn, &who.scope, &county, &household, None)?;
    if members.len() != v.members.len() {
        g.error(
            g.rows[0],
            &id_col,
            format!(
                "该户在系统中有 {} 名成员，文件中为 {} 名；请先在系统中调整家庭成员",
                members.len(),
                v.members.len()
            ),
        );
    }
    Ok((Plan::Enrol, household))
}

/// The file row of a member.
fn row_of(g: &Group, id: &ResidentId) -> usize {
    g.members
        .iter()
        .position(|p| p.id_number.trim().eq_ignore_ascii_case(id.as_str()))
        .and_then(|i| g.rows.get(i).copied())
        .unwrap_or(g.rows[0])
}
