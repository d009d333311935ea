//! 价格临时补贴 (S6, S16; 发改价格〔2021〕1553号; POLICY-FACTS §5): the mechanism triggers
//! when CPI or food CPI rises year on year by at least its threshold; each covered person gets
//! the monthly 低保 standard × the rise of the triggering index (the higher one if both),
//! rounded to the fen, never below the floor.

use crate::explain::{Tracer, step, step_amount};
use crate::params::{P, Params};
use crate::ratio::Ratio;
use jiuzhu_domain::Money;

const CITE: &str = "S16；发改价格〔2021〕1553号；安办〔2021〕11号 §16";

/// Whether the mechanism triggers, and the rise used.
pub fn trigger<T: Tracer>(cpi: Ratio, food: Ratio, p: &Params, t: &mut T) -> Option<Ratio> {
    t.param(P::price_cpi_trigger);
    t.param(P::price_food_cpi_trigger);
    let by_cpi = cpi >= p.price_cpi_trigger;
    let by_food = food >= p.price_food_cpi_trigger;
    let rise = match (by_cpi, by_food) {
        (true, true) => Some(cpi.max(food)),
        (true, false) => Some(cpi),
        (false, true) => Some(food),
        (false, false) => None,
    };
    t.step(|| {
        step(
            "price.trigger",
            CITE,
            format!(
                "CPI 同比 {}（启动条件 {}），食品价格同比 {}（启动条件 {}）：{}",
                cpi.percent_string(),
                p.price_cpi_trigger.percent_string(),
                food.percent_string(),
                p.price_food_cpi_trigger.percent_string(),
                match rise {
                    Some(r) => format!("启动联动机制，按涨幅 {} 计发", r.percent_string()),
                    None => "未启动".to_owned(),
                }
            ),
            format!(
                "CPI {} food {}: {}",
                cpi.percent_string(),
                food.percent_string(),
                if rise.is_some() {
                    "triggered"
                } else {
                    "not triggered"
                }
            ),
        )
    });
    rise
}

/// The subsidy per person per month for a rise.
pub fn per_person<T: Tracer>(rise: Ratio, p: &Params, t: &mut T) -> Money {
    t.param(P::price_min_amount);
    let amount = rise.of(p.dibao_standard).max(p.price_min_amount);
    t.step(|| {
        step_amount(
            "price.amount",
            CITE,
            format!(
                "每人每月 低保标准 {} 元 × {} = {} 元（不低于 {} 元）",
                p.dibao_standard.yuan_string(),
                rise.percent_string(),
                amount.yuan_string(),
                p.price_min_amount.yuan_string()
            ),
            format!("{} per person", amount.yuan_string()),
            amount.fen(),
        )
    });
    amount
}
