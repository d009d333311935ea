//! The columns of a rolls file (在保对象名册) and its template: the roster's household and person
//! columns, whether each person is covered, and per household the programme, the monthly
//! amount, the dates, the decision fields the programme's own approval asks for (from its
//! spec, so a programme added later brings its columns with it) and the payee account.

use jiuzhu_kernel::AppError;
use jiuzhu_kernel::export::xlsx_err;
use jiuzhu_programmes::{AMOUNT, Field, Payment, ProgrammeSpec};
use jiuzhu_registry::roster;
use rust_xlsxwriter::{Format, Workbook};

/// Whether a column is read once per household or once per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The household's value: on its first row, repeated or left blank on the others.
    Household,
    /// Each person's own.
    Person,
}

/// One column: its header, the key it fills, whether it must be present, its level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Header as written in the file.
    pub header: String,
    /// `PersonInput` field, household key, or `decision:<field>`.
    pub key: String,
    /// The column must be in the file.
    pub required: bool,
    /// Household or person.
    pub level: Level,
    /// What the 填写说明 sheet says of it.
    pub help: String,
}

/// The household keys of the rolls' own columns.
pub const PROGRAMME: &str = "programme";
/// Monthly amount, yuan.
pub const MONTHLY: &str = "monthly";
/// First month paid by the old system.
pub const START_MONTH: &str = "start_month";
/// The day of the decision.
pub const DECIDED_ON: &str = "decided_on";
/// The next periodic review.
pub const REVIEW_DUE: &str = "review_due";
/// Payee bank.
pub const PAYEE_BANK: &str = "payee_bank";
/// Payee account number.
pub const PAYEE_ACCOUNT: &str = "payee_account";
/// Payee account holder.
pub const PAYEE_HOLDER: &str = "payee_holder";
/// Person: covered by the enrolment.
pub const COVERED: &str = "covered";
/// Prefix of a programme's decision field.
pub const DECISION: &str = "decision:";

/// The programmes a rolls file may carry: those paid monthly.
pub fn monthly_specs() -> impl Iterator<Item = &'static ProgrammeSpec> {
    jiuzhu_programmes::specs()
        .iter()
        .copied()
        .filter(|s| s.payment == Payment::Monthly)
}

/// The decision fields of the monthly programmes' approvals (the amount is its own column),
/// each once, in spec order.
pub fn decision_fields() -> Vec<&'static Field> {
    let mut out: Vec<&'static Field> = Vec::new();
    for spec in monthly_specs() {
        for f in jiuzhu_programmes::fields_for(spec, jiuzhu_domain::case::Action::Approve) {
            if f.name != AMOUNT.name && !out.iter().any(|o| o.name == f.name) {
                out.push(f);
            }
        }
    }
    out
}

fn col(header: &str, key: &str, required: bool, level: Level, help: &str) -> Column {
    Column {
        header: header.into(),
        key: key.into(),
        required,
        level,
        help: help.into(),
    }
}

/// Every column of a rolls file, in template order.
pub fn columns() -> Vec<Column> {
    let mut out = Vec::new();
    for (i, (h, key, required)) in roster::COLUMNS.iter().enumerate() {
        // The roster's first three columns (户编号, 村（社区）代码, 家庭住址) are the household's.
        let level = if i < 3 {
            Level::Household
        } else {
            Level::Person
        };
        out.push(col(h, key, *required, level, "同户籍花名册模板"));
    }
    out.push(col(
        "是否保障对象",
        COVERED,
        false,
        Level::Person,
        "是/否，空白为“是”；单人户、特困人员只在被保障的人填“是”",
    ));
    let programmes: Vec<&str> = monthly_specs().map(|s| s.kind.zh()).collect();
    out.push(col(
        "保障类别",
        PROGRAMME,
        true,
        Level::Household,
        &format!(
            "以下之一：{}（也可写简称：低保、特困）",
            programmes.join("、")
        ),
    ));
    out.push(col(
        "月保障金额（元）",
        MONTHLY,
        true,
        Level::Household,
        "原系统当月发放的全户金额，保留两位小数",
    ));
    out.push(col(
        "起始发放月份",
        START_MONTH,
        true,
        Level::Household,
        "YYYY-MM，原系统开始发放的月份",
    ));
    out.push(col(
        "审批日期",
        DECIDED_ON,
        true,
        Level::Household,
        "YYYY-MM-DD",
    ));
    out.push(col(
        "下次复核日期",
        REVIEW_DUE,
        false,
        Level::Household,
        "YYYY-MM-DD，空白则按复核周期从审批日期推算",
    ));
    for f in decision_fields() {
        let used_by: Vec<&str> = monthly_specs()
            .filter(|s| s.fields.iter().any(|x| x.name == f.name))
            .map(|s| s.kind.zh())
            .collect();
        out.push(col(
            f.zh,
            &format!("{DECISION}{}", f.name),
            false,
            Level::Household,
            &format!("{}（{}填写）", f.hint, used_by.join("、")),
        ));
    }
    out.push(col(
        "收款银行",
        PAYEE_BANK,
        false,
        Level::Household,
        "空白则发放时挂起，待补录账户",
    ));
    out.push(col(
        "收款账号",
        PAYEE_ACCOUNT,
        false,
        Level::Household,
        "10–30 位数字；请把此列设为“文本”",
    ));
    out.push(col(
        "收款人",
        PAYEE_HOLDER,
        false,
        Level::Household,
        "账户户名",
    ));
    out
}

/// The template: the header row with every column as text, and the 填写说明 sheet.
pub fn template_xlsx() -> Result<Vec<u8>, AppError> {
    let cols = columns();
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let ws = wb
        .add_worksheet()
        .set_name("在保对象名册")
        .map_err(xlsx_err)?;
    for (i, c) in cols.iter().enumerate() {
        let i = u16::try_from(i).expect("fewer than 65536 columns");
        ws.write_string_with_format(0, i, &c.header, &bold)
            .map_err(xlsx_err)?;
        // Every column as text, so Excel never turns an ID or account number into a float.
        ws.set_column_format(i, &text).map_err(xlsx_err)?;
        ws.set_column_width(i, 16).map_err(xlsx_err)?;
    }
    let help = wb.add_worksheet().set_name("填写说明").map_err(xlsx_err)?;
    for (i, h) in ["列名", "是否必有此列", "每户/每人", "说明"]
        .iter()
        .enumerate()
    {
        help.write_string_with_format(0, i as u16, *h, &bold)
            .map_err(xlsx_err)?;
    }
    for (r, c) in cols.iter().enumerate() {
        let r = u32::try_from(r + 1).expect("few columns");
        help.write_string(r, 0, &c.header).map_err(xlsx_err)?;
        help.write_string(r, 1, if c.required { "必有" } else { "可选" })
            .map_err(xlsx_err)?;
        let level = match c.level {
            Level::Household => "每户（同户各行相同或留空）",
            Level::Person => "每人",
        };
        help.write_string(r, 2, level).map_err(xlsx_err)?;
        help.write_string(r, 3, &c.help).map_err(xlsx_err)?;
    }
    let last = u32::try_from(cols.len() + 2).expect("few columns");
    help.write_string(
        last,
        0,
        "同一户的成员各占一行，户编号相同；已在系统中登记的家庭按身份证号对应，重复导入同一文件不会重复发放。",
    )
    .map_err(xlsx_err)?;
    help.set_column_width(0, 20).map_err(xlsx_err)?;
    help.set_column_width(3, 70).map_err(xlsx_err)?;
    wb.save_to_buffer().map_err(xlsx_err)
}
