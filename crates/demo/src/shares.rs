//! What share of the demo city the rules find eligible (issue 14 item 6): people eligible for
//! 低保 and for 特困 over all people, by county and by urban or rural standard, so that a demo
//! that statistics, checks and benchmarks are built on can be seen to look like a prefecture
//! (a few percent on 低保, well under one percent on 特困 — see docs/demo.md for the figures
//! aimed at and where they come from).

use chrono::NaiveDate;
use jiuzhu_domain::RegionCode;
use jiuzhu_rules::input::Area;
use jiuzhu_rules::output::Mode;
use jiuzhu_rules::{Engine, Outcome, Programme};

use jiuzhu_app::AppError;
use jiuzhu_app::Context;
use jiuzhu_app::registry::assessment::to_input;

/// One county and area's count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShareRow {
    /// County code (`4105` for the city total).
    pub county: String,
    /// County name (合计 for the total).
    pub name: String,
    /// 城镇 or 农村 (by the household's standard).
    pub urban: bool,
    /// Households.
    pub households: u64,
    /// People counted in them.
    pub people: u64,
    /// People eligible for 低保 (whole households, or the 单人户 members), not superseded.
    pub dibao_people: u64,
    /// People eligible for 特困, not superseded.
    pub tekun_people: u64,
}

impl ShareRow {
    fn add(&mut self, o: &ShareRow) {
        self.households += o.households;
        self.people += o.people;
        self.dibao_people += o.dibao_people;
        self.tekun_people += o.tekun_people;
    }

    /// People eligible for 低保, in percent of all people.
    pub fn dibao_percent(&self) -> f64 {
        percent(self.dibao_people, self.people)
    }

    /// People eligible for 特困, in percent of all people.
    pub fn tekun_percent(&self) -> f64 {
        percent(self.tekun_people, self.people)
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// The shares per county and area (urban first), and the city's urban, rural and total rows.
pub fn shares(
    registry: &Context,
    engine: &Engine,
    on: NaiveDate,
) -> Result<(Vec<ShareRow>, Vec<ShareRow>), AppError> {
    let city = RegionCode::parse("4105").map_err(|e| AppError::BadFile(e.to_string()))?;
    let mut rows = Vec::new();
    let total_row = |urban: bool, name: &str| ShareRow {
        county: "4105".into(),
        name: name.into(),
        urban,
        ..Default::default()
    };
    let mut totals = [
        total_row(true, "全市城镇"),
        total_row(false, "全市农村"),
        total_row(false, "全市合计"),
    ];
    for county in registry.regions.children(&city) {
        let name = registry
            .regions
            .get(county)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let mut by_area = [true, false].map(|urban| ShareRow {
            county: county.short().to_owned(),
            name: name.clone(),
            urban,
            ..Default::default()
        });
        let mut last: Option<String> = None;
        loop {
            let page = {
                let mut conn = registry.db.conn()?;
                jiuzhu_storage::feed::page(&mut conn, county.short(), last.as_deref(), 1000)?
            };
            let Some(tail) = page.last() else { break };
            last = Some(tail.household.id.clone());
            for f in &page {
                let (h, _) = to_input(f, on);
                let Ok(a) = engine.assess(&h, on, false) else {
                    continue;
                };
                let row = &mut by_area[usize::from(h.area != Area::Urban)];
                row.households += 1;
                row.people += h.members.len() as u64;
                let live = |p: Programme| {
                    a.result(p)
                        .filter(|r| r.outcome == Outcome::Eligible && r.superseded_by.is_none())
                };
                if let Some(r) = live(Programme::Dibao) {
                    row.dibao_people += match r.mode {
                        Some(Mode::SinglePerson) => r.members.len() as u64,
                        _ => h.members.len() as u64,
                    };
                }
                if let Some(r) = live(Programme::Tekun) {
                    row.tekun_people += r.members.len() as u64;
                }
            }
        }
        for r in by_area {
            totals[usize::from(!r.urban)].add(&r);
            totals[2].add(&r);
            rows.push(r);
        }
    }
    Ok((rows, totals.to_vec()))
}
