//! 临时救助 (S14, S21; 民发〔2018〕23号; POLICY-FACTS §4): the amount by type and severity as
//! a multiple of the monthly 低保 standard (per household for 急难型, per person for 支出型),
//! and who may approve it (分级审批: township up to its limit, county above, 一事一议 above a
//! higher limit). 急难型 amounts within the advance limit may be paid first (小额先行救助).

use crate::explain::{Tracer, step, step_amount};
use crate::facts::Facts;
use crate::input::{Hardship, HardshipKind, Severity};
use crate::output::{Approval, Outcome};
use crate::params::{P, Params};
use jiuzhu_domain::Money;

const CITE_TYPE: &str = "S14；民发〔2018〕23号 §2(一)；社会救助暂行办法 第47条";
const CITE_AMOUNT: &str = "S14；民发〔2018〕23号 §2(三)；社会救助暂行办法 第49条";
const CITE_APPROVAL: &str = "S14；S21；民发〔2018〕23号 §2(二)(三)；安办〔2021〕11号 §14、§21";

/// The 临时救助 answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemporaryAnswer {
    /// Outcome.
    pub outcome: Outcome,
    /// The table amount (or the requested amount, when one was proposed).
    pub amount: Money,
    /// Who approves.
    pub approval: Approval,
    /// May be paid first.
    pub advance: bool,
}

/// Who approves an amount.
pub fn approval_level(amount: Money, p: &Params) -> Approval {
    if amount <= p.temporary_township_limit {
        Approval::Township
    } else if amount <= p.temporary_case_by_case_above {
        Approval::County
    } else {
        Approval::CaseByCase
    }
}

/// 临时救助 for a hardship.
pub fn temporary<T: Tracer>(hd: &Hardship, f: &Facts, p: &Params, t: &mut T) -> TemporaryAnswer {
    let (multiple, which) = match (hd.kind, hd.severity) {
        (HardshipKind::Emergency, Severity::General) => (
            p.temporary_emergency_general,
            P::temporary_emergency_general,
        ),
        (HardshipKind::Emergency, Severity::Serious) => (
            p.temporary_emergency_serious,
            P::temporary_emergency_serious,
        ),
        (HardshipKind::Emergency, Severity::Grave) => {
            (p.temporary_emergency_grave, P::temporary_emergency_grave)
        }
        (HardshipKind::Expenditure, Severity::General) => (
            p.temporary_expenditure_general,
            P::temporary_expenditure_general,
        ),
        (HardshipKind::Expenditure, Severity::Serious) => (
            p.temporary_expenditure_serious,
            P::temporary_expenditure_serious,
        ),
        (HardshipKind::Expenditure, Severity::Grave) => (
            p.temporary_expenditure_grave,
            P::temporary_expenditure_grave,
        ),
    };
    t.param(which);
    // 支出型: per-capita income below last year's per-capita disposable income (23号 §2(一)).
    let income_ok = match hd.kind {
        HardshipKind::Emergency => true,
        HardshipKind::Expenditure => {
            t.param(P::prev_year_disposable_income);
            f.income_below(crate::ratio::Ratio::ONE, p.prev_year_disposable_income)
        }
    };
    t.step(|| {
        step(
            "temporary.type",
            CITE_TYPE,
            match hd.kind {
                HardshipKind::Emergency => {
                    "急难型：突发事件、意外事故、突发重病，需立即救助（不受户籍地限制）".to_owned()
                }
                HardshipKind::Expenditure => format!(
                    "支出型：人均收入 {} 元{}上年度人均可支配收入 {} 元",
                    f.per_capita.yuan_string(),
                    if income_ok { "低于" } else { "不低于" },
                    p.prev_year_disposable_income.yuan_string()
                ),
            },
            format!(
                "{:?} hardship; income test {}",
                hd.kind,
                if income_ok { "met" } else { "not met" }
            ),
        )
    });
    let heads = match hd.kind {
        HardshipKind::Emergency => 1,
        HardshipKind::Expenditure => f.counted.max(1),
    };
    // The multiple applies to the standard × heads, rounded once.
    let table = multiple.of(f.standard.checked_mul(heads).unwrap_or(Money::ZERO));
    t.step(|| {
        step_amount(
            "temporary.amount",
            CITE_AMOUNT,
            format!(
                "{}：低保标准 {} 元 × {}{} = {} 元",
                match hd.severity {
                    Severity::General => "一般困难",
                    Severity::Serious => "较重困难",
                    Severity::Grave => "特别严重困难",
                },
                f.standard.yuan_string(),
                multiple,
                if heads > 1 {
                    format!(" × {heads} 人")
                } else {
                    String::new()
                },
                table.yuan_string()
            ),
            format!("table amount {}", table.yuan_string()),
            table.fen(),
        )
    });
    let amount = hd.requested.map(|r| r.0).unwrap_or(table);
    t.param(P::temporary_township_limit);
    t.param(P::temporary_case_by_case_above);
    let approval = approval_level(amount, p);
    t.param(P::temporary_advance_limit);
    let advance = hd.kind == HardshipKind::Emergency && amount <= p.temporary_advance_limit;
    t.step(|| {
        step(
            "temporary.approval",
            CITE_APPROVAL,
            format!(
                "{}金额 {} 元：{}（乡镇限额 {} 元，一事一议 {} 元以上）{}",
                if hd.requested.is_some() {
                    "拟救助"
                } else {
                    "救助"
                },
                amount.yuan_string(),
                approval.zh(),
                p.temporary_township_limit.yuan_string(),
                p.temporary_case_by_case_above.yuan_string(),
                if advance {
                    "；可小额先行救助，事后补齐手续"
                } else {
                    ""
                }
            ),
            format!(
                "amount {}: {}{}",
                amount.yuan_string(),
                approval.en(),
                if advance { "; may be paid first" } else { "" }
            ),
        )
    });
    TemporaryAnswer {
        outcome: if income_ok {
            Outcome::Eligible
        } else {
            Outcome::NotEligible
        },
        amount: if income_ok { amount } else { Money::ZERO },
        approval,
        advance: advance && income_ok,
    }
}
