//! Demo applications for `jiuzhu demo`: 13 cases in the demo caseworker's township
//! (文峰区 东大街街道), one at each interesting point — just filed, accepted and overdue,
//! investigating, on notice, disputed, approved, enrolled, refused, not accepted, an 急难
//! advance waiting for its papers, a 支出型 approval paid in three instalments, a 特困 case with its care tier — so every page has
//! something to show. Dates are back-dated from today so the clocks run.

use chrono::Days;
use jiuzhu_domain::calendar::WorkingDayCalendar;
use jiuzhu_rules::Engine;

use jiuzhu_app::Actor;
use jiuzhu_app::AppError;
use jiuzhu_app::Context;
use jiuzhu_app::cases;
use jiuzhu_app::cases::Application;
use jiuzhu_app::cases::Move;

/// One demo case: programme, days ago filed, and the moves (action, extra fields).
type Plan = (&'static str, u64, &'static [(&'static str, &'static str)]);

const OPINION: &str = "record_opinion";

/// The demo household's 核对: each member's consent, signed on the day the application was
/// filed, then the report.
fn verify(
    registry: &Context,
    engine: &Engine,
    who: &Actor,
    household_id: &str,
    signed_on: chrono::NaiveDate,
) -> Result<(), AppError> {
    let v = jiuzhu_app::registry::household(registry, who, household_id)?;
    for m in &v.members {
        jiuzhu_app::verification::report::record_consent(
            registry,
            who,
            household_id,
            &m.person.id,
            &signed_on.to_string(),
            "书面",
        )?;
    }
    jiuzhu_app::verification::report::household_report(registry, engine, &[], who, household_id)?;
    Ok(())
}

/// Files the demo cases; returns how many.
pub fn seed(
    registry: &Context,
    cal: &WorkingDayCalendar,
    engine: &Engine,
    who: &Actor,
) -> Result<usize, AppError> {
    let township = jiuzhu_domain::RegionCode::parse("410502001")
        .map_err(|e| AppError::BadFile(e.to_string()))?;
    // Households of the township, reading the county page by page until there are enough.
    let mut households: Vec<String> = Vec::new();
    let mut last: Option<String> = None;
    while households.len() < 13 {
        let page = {
            let mut conn = registry.db.conn()?;
            jiuzhu_storage::feed::page(&mut conn, "410502", last.as_deref(), 2000)?
        };
        let Some(tail) = page.last() else { break };
        last = Some(tail.household.id.clone());
        households.extend(
            page.iter()
                .filter(|f| f.household.region_code.starts_with(&township.as_str()[..9]))
                .map(|f| f.household.id.clone()),
        );
    }
    let plans: [Plan; 13] = [
        ("dibao", 1, &[]),
        ("dibao", 45, &[("accept", "")]),
        ("dibao", 10, &[("accept", ""), ("start_investigation", "")]),
        (
            "dibao",
            14,
            &[
                ("accept", ""),
                ("start_investigation", ""),
                (OPINION, ""),
                ("publish_notice", ""),
            ],
        ),
        (
            "dibao",
            20,
            &[
                ("accept", ""),
                ("start_investigation", ""),
                (OPINION, ""),
                ("publish_notice", ""),
                ("record_objection", "村民反映该户有营运车辆"),
            ],
        ),
        (
            "dibao",
            25,
            &[
                ("accept", ""),
                ("start_investigation", ""),
                (OPINION, ""),
                ("publish_notice", ""),
                ("approve", ""),
            ],
        ),
        (
            "dibao",
            40,
            &[
                ("accept", ""),
                ("start_investigation", ""),
                (OPINION, ""),
                ("publish_notice", ""),
                ("approve", ""),
                ("enrol", ""),
            ],
        ),
        (
            "dibao",
            30,
            &[
                ("accept", ""),
                ("start_investigation", ""),
                (OPINION, ""),
                ("refuse", "家庭人均收入高于当地低保标准"),
            ],
        ),
        (
            "temporary_spending",
            5,
            &[("refuse_to_accept", "已由医疗救助报销，无剩余自付费用")],
        ),
        ("temporary_emergency", 35, &[("pay_advance", "")]),
        // 一次审批、分阶段救助: 2,400 yuan in three monthly instalments.
        (
            "temporary_spending",
            12,
            &[
                ("accept", ""),
                ("start_investigation", ""),
                (OPINION, ""),
                ("approve", ""),
                ("enrol", ""),
            ],
        ),
        ("tekun", 3, &[("accept", "")]),
        (
            "tekun",
            38,
            &[
                ("accept", ""),
                ("start_investigation", ""),
                (OPINION, ""),
                ("publish_notice", ""),
                ("approve", ""),
                ("enrol", ""),
            ],
        ),
    ];
    let today = jiuzhu_domain::time::today();
    let mut n = 0;
    for ((kind, ago, moves), household) in plans.iter().zip(&households) {
        let filed = today - Days::new(*ago);
        let c = cases::file(
            registry,
            who,
            &Application {
                household_id: household.clone(),
                kinds: vec![(*kind).into()],
                channel: if n % 3 == 1 { "12345热线" } else { "窗口" }.into(),
                summary: "（演示）家庭成员患病，收入微薄".into(),
                filed_on: filed.to_string(),
                // S14: a 临时救助 application records how grave the hardship is.
                severity: if kind.starts_with("temporary") {
                    ["一般", "较重"][n % 2].into()
                } else {
                    String::new()
                },
                ..Default::default()
            },
        )?
        .remove(0);
        let mut version = c.version;
        let mut posted: Option<chrono::NaiveDate> = None;
        // The notice period of the policy in force (issue 16 item 5: a decision waits for it).
        let region = jiuzhu_domain::RegionCode::parse(&c.region_code)
            .map_err(|e| AppError::BadFile(e.to_string()))?;
        let notice_days = engine
            .params(&region, jiuzhu_domain::person::HukouType::Rural, today)
            .map(|p| p.procedure_notice_days)
            .map_err(|e| AppError::BadFile(e.to_string()))?;
        for (i, (action, note)) in moves.iter().enumerate() {
            // Spread the moves over the days since filing, one step every few days.
            let mut on =
                (filed + Days::new((i as u64 + 1) * ago / (moves.len() as u64 + 2))).min(today);
            if let (Some(p), "approve" | "refuse") = (posted, *action) {
                on = on.max(p + Days::new(u64::from(notice_days))).min(today);
            }
            if *action == "publish_notice" {
                posted = Some(on);
            }
            // 57号 Art. 16: the opinion rests on the household's 核对, with every member's
            // consent.
            if *action == OPINION
                && jiuzhu_programmes::spec_of(&c.kind).is_some_and(|s| s.needs_verification)
            {
                verify(registry, engine, who, &c.household_id, filed)?;
            }
            let m = Move {
                action: (*action).into(),
                version,
                on: on.to_string(),
                note: match *action {
                    OPINION => "入户调查：家庭人均收入低于标准，财产符合规定".into(),
                    // An amount above the rules' answer is approved with a written reason.
                    "approve" => "经入户调查和公示，按调查核定的金额批准".into(),
                    _ => (*note).into(),
                },
                investigators: "演示经办人甲、演示经办人乙".into(),
                department: String::new(),
                fields: Default::default(),
            };
            // The approval's fields, as each programme's spec asks for them.
            let m = match (*action, *kind) {
                ("approve", "dibao") => m.with("amount", "500").with("review_months", "12"),
                ("approve", "tekun") => m
                    .with("amount", "949")
                    .with("adl_lost", "2")
                    .with("care_mode", "分散供养")
                    .with("caregiver", "（演示）照料人"),
                ("approve", "temporary_spending") => {
                    m.with("amount", "2400").with("instalments", "3")
                }
                ("approve" | "pay_advance", _) => m.with("amount", "500"),
                _ => m,
            };
            version = cases::act(registry, cal, engine, who, &c.county, &c.id, &m)
                .map_err(|e| {
                    AppError::BadFile(format!("演示申请（{kind}）“{action}”未能完成：{e:?}"))
                })?
                .version;
        }
        n += 1;
    }
    Ok(n)
}
