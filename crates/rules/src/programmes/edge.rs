//! S4: 低保边缘家庭 and 刚性支出困难家庭 (POLICY-FACTS §3): households just above 低保 who get
//! special assistance (medical, education, housing, employment; Anyang §2).

use crate::explain::{Tracer, step};
use crate::facts::{Facts, assets_within};
use crate::input::Household;
use crate::output::Outcome;
use crate::params::{P, Params};

const CITE_EDGE: &str = "民发〔2021〕57号 第8条；民发〔2022〕83号 §1(四)；国办 2023 §2";
const CITE_RIGID: &str = "刚性支出困难家庭认定办法（2024）第4—5条";

/// 低保边缘: not 低保, per-capita income below the edge multiple, assets within the edge limit.
pub fn edge<T: Tracer>(
    h: &Household,
    f: &Facts,
    dibao_admitted: bool,
    p: &Params,
    t: &mut T,
) -> (Outcome, String, String) {
    t.param(P::edge_income_multiple);
    t.param(P::edge_financial_months);
    if dibao_admitted {
        return (
            Outcome::NotEligible,
            "已符合低保".into(),
            "already eligible for dibao".into(),
        );
    }
    // Compared on totals: income < 1.5 × standard × counted members.
    let below = f.income_below(p.edge_income_multiple, f.standard);
    let assets = assets_within(
        h,
        f,
        p.edge_financial_months,
        P::edge_financial_months,
        p,
        t,
        "edge.assets",
    );
    let outcome = match (below, assets.is_ok()) {
        (true, true) => Outcome::Eligible,
        (true, false) => Outcome::Nearly,
        _ => Outcome::NotEligible,
    };
    let zh = match (below, assets) {
        (true, Ok(())) => format!(
            "人均收入 {} 元低于低保标准的 {} 倍，财产符合规定",
            f.per_capita.yuan_string(),
            p.edge_income_multiple
        ),
        (true, Err(fail)) => format!("收入符合，但{}", fail.zh(&h.assets)),
        (false, _) => format!(
            "人均收入 {} 元不低于低保标准的 {} 倍",
            f.per_capita.yuan_string(),
            p.edge_income_multiple
        ),
    };
    let en = format!(
        "per-capita income {} against {} × the standard",
        f.per_capita.yuan_string(),
        p.edge_income_multiple
    );
    t.step(|| step("edge.test", CITE_EDGE, zh.clone(), en.clone()));
    (outcome, zh, en)
}

/// 刚性支出困难: not 低保, 特困 or 边缘; per-capita income below last year's per-capita
/// disposable income; assets within the edge limit; rigid spending in the last 12 months above
/// a share of the household's income.
pub fn rigid<T: Tracer>(
    h: &Household,
    f: &Facts,
    other: bool,
    p: &Params,
    t: &mut T,
) -> (Outcome, String, String) {
    t.param(P::prev_year_disposable_income);
    t.param(P::rigid_spending_share);
    if other {
        return (
            Outcome::NotEligible,
            "已符合低保、特困或低保边缘".into(),
            "already in another group".into(),
        );
    }
    let income_ok = f.income_below(crate::ratio::Ratio::ONE, p.prev_year_disposable_income);
    let assets = assets_within(
        h,
        f,
        p.edge_financial_months,
        P::edge_financial_months,
        p,
        t,
        "rigid.assets",
    );
    let yearly = f.gross.checked_mul(12).unwrap_or(f.gross);
    let spending = h.rigid_spending_12m.0;
    // "above a share": strictly more than share × yearly income, compared exactly.
    let heavy = spending > jiuzhu_domain::Money::ZERO
        && p.rigid_spending_share.compare(spending, yearly) == std::cmp::Ordering::Greater;
    let outcome = match (income_ok && assets.is_ok(), heavy) {
        (true, true) => Outcome::Eligible,
        (true, false) if spending > jiuzhu_domain::Money::ZERO => Outcome::Nearly,
        _ => Outcome::NotEligible,
    };
    let zh = format!(
        "人均收入 {} 元{}上年度人均可支配收入 {} 元；近12个月刚性支出 {} 元，家庭年收入 {} 元的 {} 为 {} 元{}",
        f.per_capita.yuan_string(),
        if income_ok { "低于" } else { "不低于" },
        p.prev_year_disposable_income.yuan_string(),
        spending.yuan_string(),
        yearly.yuan_string(),
        p.rigid_spending_share.percent_string(),
        p.rigid_spending_share.of(yearly).yuan_string(),
        if heavy {
            "，支出超过"
        } else {
            "，支出未超过"
        }
    );
    let en = format!(
        "rigid spending {} against income {}",
        spending.yuan_string(),
        yearly.yuan_string()
    );
    t.step(|| step("rigid.test", CITE_RIGID, zh.clone(), en.clone()));
    (outcome, zh, en)
}
