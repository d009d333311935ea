//! Rosters (花名册): the spreadsheets townships keep today. Import reads CSV (UTF-8 or the GBK
//! Excel writes in China) or XLSX, one row per person grouped into households by 户编号, checks
//! every row with the same parser as the forms, and previews the result: a file with errors
//! writes nothing unless the caseworker chooses to import only the valid households. Export
//! writes any list to XLSX; the template is an empty roster with the allowed values explained.

use jiuzhu_kernel::Context;
use std::collections::{BTreeMap, HashSet};

use jiuzhu_domain::Permission;
use jiuzhu_domain::person::*;
use jiuzhu_storage::households;
use rust_xlsxwriter::{Format, Workbook};
use serde::Serialize;
use utoipa::ToSchema;

use jiuzhu_kernel::export::table_xlsx;

use crate::HouseholdInput;
use crate::HouseholdSummary;
use crate::PersonInput;
use crate::household_batch;
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::FieldError;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::export::xlsx_err;

/// The roster's columns: header, the field of `PersonInput` (or household) it fills, required.
pub const COLUMNS: &[(&str, &str, bool)] = &[
    ("户编号", "household_key", true),
    ("村（社区）代码", "region_code", true),
    ("家庭住址", "address", true),
    ("姓名", "name", true),
    ("身份证号", "id_number", true),
    ("与户主关系", "relation", true),
    ("户籍性质", "hukou_type", true),
    ("户籍地代码", "hukou_region_code", false),
    ("居住地代码", "residence_region_code", false),
    ("持居住证", "residence_permit", false),
    ("残疾类别", "disability_category", false),
    ("残疾等级", "disability_grade", false),
    ("重特大疾病", "serious_illness", false),
    ("劳动能力", "labour_capacity", true),
    ("日常生活活动丧失项", "adl_lost", false),
    ("就业状况", "employment_status", false),
    ("就学阶段", "school_stage", false),
    ("特殊身份", "special_status", false),
    ("联系电话", "phone", false),
    ("开户银行", "bank_name", false),
    ("银行账号", "bank_account", false),
];

fn header_of(field: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|c| c.1 == field)
        .map(|c| c.0)
        .unwrap_or("")
}

pub use jiuzhu_kernel::tabular::RowError;

/// One household of the file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewHousehold {
    /// 户编号 in the file.
    pub key: String,
    /// The file's rows of this household.
    pub rows: Vec<usize>,
    /// Head's name.
    pub head_name: String,
    /// Members.
    pub member_count: usize,
    /// Problems; empty when the household can be imported.
    pub errors: Vec<RowError>,
    /// The parsed input.
    #[serde(skip)]
    pub input: HouseholdInput,
}

/// The result of reading a roster, before anything is written.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RosterPreview {
    /// File name.
    pub file_name: String,
    /// Households in file order.
    pub households: Vec<PreviewHousehold>,
    /// Data rows read.
    pub rows: usize,
    /// Households without errors.
    pub valid_households: usize,
    /// Problems not tied to a household (missing columns, unreadable rows).
    pub file_errors: Vec<RowError>,
}

impl RosterPreview {
    /// Whether every household is valid.
    pub fn is_clean(&self) -> bool {
        self.file_errors.is_empty() && self.households.iter().all(|h| h.errors.is_empty())
    }

    /// All row errors, in row order (the error report).
    pub fn all_errors(&self) -> Vec<RowError> {
        jiuzhu_kernel::tabular::in_row_order(
            self.file_errors
                .iter()
                .chain(self.households.iter().flat_map(|h| h.errors.iter())),
        )
    }
}

/// What an import wrote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportOutcome {
    /// Households written.
    pub households: usize,
    /// Persons written.
    pub persons: usize,
    /// Households skipped because of errors.
    pub skipped: usize,
}

/// Reads and checks a roster without writing anything.
pub fn preview(
    ctx: &Context,
    who: &Actor,
    file_name: &str,
    bytes: &[u8],
) -> Result<RosterPreview, AppError> {
    who.require(Permission::ImportRoster)?;
    let scope = &who.scope;
    let table = jiuzhu_kernel::tabular::read_table(
        file_name,
        bytes,
        jiuzhu_kernel::tabular::TableLimits::ROSTER,
    )?;
    let Some(header) = table.first() else {
        return Err(AppError::BadFile("文件是空的".into()));
    };
    let (col_of, mut file_errors) = jiuzhu_kernel::tabular::find_columns(
        header,
        COLUMNS
            .iter()
            .map(|(h, field, required)| (*h, *field, *required)),
    );
    if !file_errors.is_empty() {
        return Ok(RosterPreview {
            file_name: file_name.into(),
            households: vec![],
            rows: table.len() - 1,
            valid_households: 0,
            file_errors,
        });
    }
    // Group rows by 户编号, keeping file order.
    let mut order: Vec<String> = vec![];
    let mut groups: BTreeMap<String, (Vec<usize>, HouseholdInput, Vec<RowError>)> = BTreeMap::new();
    let mut data_rows = 0;
    for (i, row) in table.iter().enumerate().skip(1) {
        let row_no = i + 1;
        let cell = |field: &str| jiuzhu_kernel::tabular::cell(row, col_of.get(field).copied());
        if jiuzhu_kernel::tabular::is_blank(row) {
            continue;
        }
        data_rows += 1;
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
        let g = groups
            .entry(key)
            .or_insert_with(|| (vec![], HouseholdInput::default(), vec![]));
        let region = cell("region_code").unwrap_or_else(|f| format!("{f}"));
        let address = cell("address").unwrap_or_default();
        if g.0.is_empty() {
            g.1.region_code = region;
            g.1.address = address;
        } else if region != g.1.region_code || address != g.1.address {
            g.2.push(RowError {
                row: row_no,
                column: "家庭住址".into(),
                message: "同一户编号的各行，村（社区）代码和家庭住址必须一致".into(),
            });
        }
        let mut p = PersonInput::default();
        for (_, field, _) in COLUMNS.iter().skip(3) {
            match cell(field) {
                Ok(v) => {
                    p.set_field(field, v);
                }
                Err(f)
                    if *field == "id_number" || *field == "bank_account" || *field == "phone" =>
                {
                    g.2.push(RowError {
                        row: row_no,
                        column: header_of(field).into(),
                        message: format!("该单元格被 Excel 存成了数字（{f:e}），已丢失位数；请把此列设为“文本”后重新录入"),
                    });
                }
                Err(f) => {
                    p.set_field(field, f.to_string());
                }
            }
        }
        g.0.push(row_no);
        g.1.members.push(p);
    }
    let today = jiuzhu_domain::time::today();
    let mut seen_ids: HashSet<String> = HashSet::new();
    let mut conn = ctx.db.conn()?;
    let mut out = vec![];
    for key in order {
        let (rows, input, mut errors) = groups.remove(&key).expect("grouped");
        match input.parse(&ctx.regions, today) {
            Ok(h) => {
                if !scope.contains(&h.region) {
                    errors.push(RowError {
                        row: rows[0],
                        column: "村（社区）代码".into(),
                        message: "不在您的辖区内".into(),
                    });
                }
                for m in &h.members {
                    let i = input
                        .members
                        .iter()
                        .position(|p| p.id_number.trim().eq_ignore_ascii_case(m.id.as_str()))
                        .unwrap_or(0);
                    if !seen_ids.insert(m.id.as_str().to_owned()) {
                        errors.push(RowError {
                            row: rows[i],
                            column: "身份证号".into(),
                            message: "文件中该身份证号出现了不止一次".into(),
                        });
                    } else if let Some(msg) =
                        crate::id_taken(ctx, &mut conn, who, &m.id, "该身份证号已登记")?
                    {
                        errors.push(RowError {
                            row: rows[i],
                            column: "身份证号".into(),
                            message: msg.into(),
                        });
                    }
                }
            }
            Err(AppError::Invalid(fields)) => {
                errors.extend(fields.iter().map(|f| row_error(f, &rows)))
            }
            Err(e) => return Err(e),
        }
        let head_name = input
            .members
            .iter()
            .find(|m| Relation::parse(&m.relation) == Some(Relation::Head))
            .map(|m| m.name.clone())
            .unwrap_or_default();
        out.push(PreviewHousehold {
            key,
            member_count: input.members.len(),
            rows,
            head_name,
            errors,
            input,
        });
    }
    let valid = out.iter().filter(|h| h.errors.is_empty()).count();
    Ok(RosterPreview {
        file_name: file_name.into(),
        households: out,
        rows: data_rows,
        valid_households: valid,
        file_errors,
    })
}

/// Maps a form field error (`members[2].id_number`) to the file's row and column.
fn row_error(f: &FieldError, rows: &[usize]) -> RowError {
    let (row, field) = match f
        .field
        .strip_prefix("members[")
        .and_then(|r| r.split_once("]."))
    {
        Some((i, field)) => (
            i.parse::<usize>()
                .ok()
                .and_then(|i| rows.get(i).copied())
                .unwrap_or(rows[0]),
            field.to_owned(),
        ),
        None => (rows[0], f.field.clone()),
    };
    RowError {
        row,
        column: header_of(&field).to_owned(),
        message: f.message.clone(),
    }
}

/// Writes the households of a preview. With `only_valid == false` a preview with any error is
/// refused and nothing is written; with `true` the valid households are written and the rest
/// skipped. Each county's households are written in one transaction.
pub fn commit(
    ctx: &Context,
    who: &Actor,
    preview: &RosterPreview,
    only_valid: bool,
) -> Result<ImportOutcome, AppError> {
    who.require(Permission::ImportRoster)?;
    let scope = &who.scope;
    if !preview.is_clean() && !only_valid {
        return Err(AppError::Conflict(format!(
            "文件中有 {} 处错误，未导入任何数据；可修正后重新上传，或选择只导入无误的家庭",
            preview.all_errors().len()
        )));
    }
    let today = jiuzhu_domain::time::today();
    let mut by_county: BTreeMap<String, jiuzhu_storage::bulk::HouseholdBatch> = BTreeMap::new();
    let mut outcome = ImportOutcome {
        households: 0,
        persons: 0,
        skipped: 0,
    };
    for h in &preview.households {
        if !h.errors.is_empty() {
            outcome.skipped += 1;
            continue;
        }
        let valid = h.input.parse(&ctx.regions, today)?;
        let b = household_batch(&ctx.keys, &valid, today, "花名册导入");
        let county = valid.region.county_code().expect("checked").to_owned();
        let acc = by_county.entry(county).or_default();
        outcome.households += 1;
        outcome.persons += b.persons.len();
        acc.identities.extend(b.identities);
        acc.persons.extend(b.persons);
        acc.households.extend(b.households);
        acc.memberships.extend(b.memberships);
    }
    let mut conn = ctx.db.conn()?;
    for batch in by_county.values() {
        jiuzhu_storage::in_transaction(&mut conn, |c| -> Result<(), AppError> {
            households::create(c, scope, batch)?;
            // One audit entry per household written, in the same transaction.
            for h in &batch.households {
                ctx.audit.record(
                    c,
                    who,
                    Event::new("household.import", "household", &h.id, &h.region_code).detail(
                        serde_json::json!({"file": preview.file_name, "address": h.address,
                            "members": h.member_count}),
                    ),
                )?;
            }
            Ok(())
        })?;
    }
    drop(conn);
    if outcome.households >= 1_000 {
        ctx.db.analyze()?;
    }
    Ok(outcome)
}

/// The import template: the header row, one example household, and a sheet of allowed values.
pub fn template_xlsx() -> Result<Vec<u8>, AppError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let ws = wb.add_worksheet().set_name("花名册").map_err(xlsx_err)?;
    for (i, (h, _, required)) in COLUMNS.iter().enumerate() {
        let _ = required; // required columns are listed in the 填写说明 sheet
        ws.write_string_with_format(0, i as u16, *h, &bold)
            .map_err(xlsx_err)?;
        // Every column as text, so Excel never turns an ID number into a float.
        ws.set_column_format(i as u16, &text).map_err(xlsx_err)?;
        ws.set_column_width(i as u16, 16).map_err(xlsx_err)?;
    }
    // Example ID numbers are built with a correct check digit, so the example imports as is.
    let date = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid");
    let head_id = jiuzhu_domain::ResidentId::build("410502", date(1980, 1, 1), 123).to_string();
    let spouse_id = jiuzhu_domain::ResidentId::build("410502", date(1982, 3, 4), 124).to_string();
    let example: [[&str; 21]; 2] = [
        [
            "1",
            "410502001001",
            "解放路1号",
            "张三",
            &head_id,
            "户主",
            "城镇",
            "",
            "",
            "否",
            "",
            "",
            "",
            "有劳动能力",
            "",
            "灵活就业",
            "",
            "",
            "13800000000",
            "中国农业银行",
            "6228480000000000000",
        ],
        [
            "1",
            "410502001001",
            "解放路1号",
            "李四",
            &spouse_id,
            "配偶",
            "城镇",
            "",
            "",
            "否",
            "肢体",
            "2",
            "",
            "无劳动能力",
            "洗澡,室内行走",
            "无业",
            "",
            "",
            "",
            "",
            "",
        ],
    ];
    for (r, row) in example.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string_with_format(r as u32 + 1, c as u16, *v, &text)
                .map_err(xlsx_err)?;
        }
    }
    let help = wb.add_worksheet().set_name("填写说明").map_err(xlsx_err)?;
    let lines: Vec<(String, String)> = vec![
        (
            "必填列".into(),
            COLUMNS
                .iter()
                .filter(|c| c.2)
                .map(|c| c.0)
                .collect::<Vec<_>>()
                .join("、"),
        ),
        (
            "户编号".into(),
            "同一家庭的成员填写相同的户编号（文件内自编，如 1、2、3）".into(),
        ),
        ("村（社区）代码".into(), "12 位统计用区划代码".into()),
        (
            "身份证号".into(),
            "18 位（或旧版 15 位）；此列必须为文本格式".into(),
        ),
        ("与户主关系".into(), Relation::choices_zh()),
        ("户籍性质".into(), HukouType::choices_zh()),
        ("残疾类别".into(), DisabilityCategory::choices_zh()),
        ("残疾等级".into(), "1、2、3、4".into()),
        ("劳动能力".into(), LabourCapacity::choices_zh()),
        (
            "日常生活活动丧失项".into(),
            "进食、穿衣、上下床、如厕、室内行走、洗澡（多项用逗号分隔）".into(),
        ),
        ("就业状况".into(), EmploymentStatus::choices_zh()),
        ("就学阶段".into(), SchoolStage::choices_zh()),
        ("特殊身份".into(), SpecialStatus::choices_zh()),
        ("持居住证".into(), "是、否".into()),
    ];
    help.write_string_with_format(0, 0, "列", &bold)
        .map_err(xlsx_err)?;
    help.write_string_with_format(0, 1, "可填写的值", &bold)
        .map_err(xlsx_err)?;
    help.set_column_width(0, 20).map_err(xlsx_err)?;
    help.set_column_width(1, 90).map_err(xlsx_err)?;
    for (i, (a, b)) in lines.iter().enumerate() {
        help.write_string(i as u32 + 1, 0, a).map_err(xlsx_err)?;
        help.write_string(i as u32 + 1, 1, b).map_err(xlsx_err)?;
    }
    wb.save_to_buffer().map_err(xlsx_err)
}

/// The error report of a preview as XLSX (row, column, message).
pub fn error_report_xlsx(preview: &RosterPreview) -> Result<Vec<u8>, AppError> {
    let rows: Vec<Vec<String>> = preview
        .all_errors()
        .into_iter()
        .map(|e| vec![e.row.to_string(), e.column, e.message])
        .collect();
    table_xlsx("错误报告", &["行号", "列", "问题"], rows.into_iter())
}

/// The household list (every page of it, in the scope and filter) as XLSX, names masked.
pub fn households_xlsx(
    ctx: &Context,
    who: &Actor,
    query: &crate::ListQuery,
) -> Result<Vec<u8>, AppError> {
    who.require(Permission::ExportRegistry)?;
    let mut q = query.clone();
    q.limit = Some(crate::MAX_PAGE);
    q.cursor = None;
    let mut rows: Vec<Vec<String>> = vec![];
    loop {
        let page = crate::list(ctx, who, &q)?;
        rows.extend(page.items.iter().map(summary_row));
        match page.next_cursor {
            // Excel's sheet limit is 1,048,576 rows.
            Some(c) if rows.len() < 1_048_000 => q.cursor = Some(c),
            _ => break,
        }
    }
    // The export is audited with its filter and size (PIPL art. 51: records of processing).
    ctx.audit.record_alone(
        &ctx.db,
        who,
        Event::new(
            "household.export",
            "household_list",
            "",
            &who.scope.root().to_string(),
        )
        .detail(serde_json::json!({"q": query.q, "region": query.region,
                "status": query.status, "rows": rows.len()})),
    )?;
    table_xlsx(
        "家庭列表",
        &["家庭编号", "所属区划", "家庭住址", "户主", "人数", "状态"],
        rows.into_iter(),
    )
}

fn summary_row(h: &HouseholdSummary) -> Vec<String> {
    vec![
        h.id.clone(),
        h.region_path.clone(),
        h.address.clone(),
        h.head_name_masked.clone(),
        h.member_count.to_string(),
        if h.status == "active" {
            "在册".into()
        } else {
            "已注销".into()
        },
    ]
}
