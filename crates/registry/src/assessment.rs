//! Needs assessment over the registry (S2): loads the policy, turns a registered household
//! (members, income, assets, expenses) into the rules' input, assesses one household for the
//! caseworker (an audited view), and simulates a reform of the standards over a whole
//! registry, county by county (S6).

use chrono::NaiveDate;
use jiuzhu_domain::person::{
    DisabilityCategory, EconomicCategory, EmploymentStatus, HukouType, Relation, SpecialStatus,
    SupporterRelation,
};
use jiuzhu_domain::{Money, Month, Permission, RegionCode};
use jiuzhu_kernel::Actor;
use jiuzhu_kernel::AppError;
use jiuzhu_kernel::Context;
use jiuzhu_kernel::audit::Event;
use jiuzhu_kernel::masking::mask_name;
use jiuzhu_rules::input::{
    Area, Assets, CurrentDibao, Disability, DisabilityKind, Household, Income, IncomeKind, Member,
    Orphan, Supporter, Yuan,
};
use jiuzhu_rules::{Assessment, Batch, Checked, Engine, Outcome, PolicySet};
use jiuzhu_storage::feed::HouseholdFacts;
use jiuzhu_storage::{households, persons};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The shipped Anyang policy (`policy/anyang/`, one file per programme), used when no policy
/// is given.
pub const BUNDLED_POLICY: &[(&str, &str)] = &[
    (
        "policy/anyang/policy.toml",
        include_str!("../../../policy/anyang/policy.toml"),
    ),
    (
        "policy/anyang/dibao.toml",
        include_str!("../../../policy/anyang/dibao.toml"),
    ),
    (
        "policy/anyang/tekun.toml",
        include_str!("../../../policy/anyang/tekun.toml"),
    ),
    (
        "policy/anyang/edge.toml",
        include_str!("../../../policy/anyang/edge.toml"),
    ),
    (
        "policy/anyang/disability.toml",
        include_str!("../../../policy/anyang/disability.toml"),
    ),
    (
        "policy/anyang/overlap.toml",
        include_str!("../../../policy/anyang/overlap.toml"),
    ),
    (
        "policy/anyang/temporary.toml",
        include_str!("../../../policy/anyang/temporary.toml"),
    ),
    (
        "policy/anyang/procedure.toml",
        include_str!("../../../policy/anyang/procedure.toml"),
    ),
    (
        "policy/anyang/price.toml",
        include_str!("../../../policy/anyang/price.toml"),
    ),
];

/// The shipped policy as one file (its files one after the other, the header first): what
/// `--policy FILE` reads, for a copy to edit.
pub fn bundled_policy_text() -> String {
    BUNDLED_POLICY
        .iter()
        .map(|(_, text)| *text)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads a policy file (or the bundled Anyang policy), checking its regions against the
/// bundled divisions.
pub fn load_policy(path: Option<&Path>) -> Result<PolicySet, AppError> {
    let known: HashSet<String> = jiuzhu_kernel::regions::BUNDLED_CSV
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter_map(|c| RegionCode::parse(c).ok())
        .map(|c| c.as_str().to_owned())
        .collect();
    let check = |r: &RegionCode| known.contains(r.as_str());
    let unreadable = |p: &Path, e: std::io::Error| {
        AppError::BadFile(format!("无法读取政策文件 {}：{e}", p.display()))
    };
    let (name, files): (String, Vec<(String, String)>) = match path {
        None => (
            "policy/anyang".to_owned(),
            BUNDLED_POLICY
                .iter()
                .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
                .collect(),
        ),
        // A folder: its *.toml files, in name order.
        Some(p) if p.is_dir() => {
            let mut paths: Vec<_> = std::fs::read_dir(p)
                .map_err(|e| unreadable(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            let mut files = Vec::with_capacity(paths.len());
            for f in paths {
                let text = std::fs::read_to_string(&f).map_err(|e| unreadable(&f, e))?;
                files.push((f.display().to_string(), text));
            }
            (p.display().to_string(), files)
        }
        Some(p) => (
            p.display().to_string(),
            vec![(
                p.display().to_string(),
                std::fs::read_to_string(p).map_err(|e| unreadable(p, e))?,
            )],
        ),
    };
    PolicySet::parse_files(&name, &files, &check).map_err(|e| AppError::BadFile(e.to_string()))
}

/// Who each member label of an assessment is (成员1 → 张*丰（户主）).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct MemberLabel {
    /// The label used in the assessment (成员1 …).
    pub label: String,
    /// Masked name.
    pub name_masked: String,
    /// Relation to the head.
    pub relation: String,
    /// The person (kept server-side: the assessment itself carries no personal data).
    #[serde(skip)]
    pub person_id: String,
}

/// Monthly average of a record over its period, in whole months (at least one), truncated.
pub fn monthly(amount_fen: i64, start: NaiveDate, end: NaiveDate) -> Money {
    let months = Month::of(start).months_to(Month::of(end)) + 1;
    Money::from_fen(amount_fen.max(0) / months.max(1))
}

fn income_kind(c: EconomicCategory) -> Option<IncomeKind> {
    Some(match c {
        EconomicCategory::Wage => IncomeKind::Wage,
        EconomicCategory::Business => IncomeKind::Business,
        EconomicCategory::Property => IncomeKind::Property,
        EconomicCategory::Transfer => IncomeKind::Transfer,
        EconomicCategory::OtherIncome => IncomeKind::Other,
        EconomicCategory::ExemptReward => IncomeKind::ExemptReward,
        EconomicCategory::ExemptAssistance => IncomeKind::ExemptAssistance,
        EconomicCategory::ExemptBasicPension => IncomeKind::BasicPension,
        _ => return None,
    })
}

/// The registry's relation to the head, as the rules name it.
pub fn rules_relation(r: Relation) -> jiuzhu_rules::input::Relation {
    use jiuzhu_rules::input::Relation as R;
    match r {
        Relation::Head => R::Head,
        Relation::Spouse => R::Spouse,
        Relation::Child => R::Child,
        Relation::Parent => R::Parent,
        Relation::Grandchild => R::Grandchild,
        Relation::Grandparent => R::Grandparent,
        Relation::Sibling => R::Sibling,
        Relation::ChildInLaw => R::ChildInLaw,
        Relation::Other => R::Other,
    }
}

/// Who an outside supporter is to the member, as the rules name it.
fn supporter_relation(r: SupporterRelation) -> jiuzhu_rules::input::Relation {
    use jiuzhu_rules::input::Relation as R;
    match r {
        SupporterRelation::Child => R::Child,
        SupporterRelation::Spouse => R::Spouse,
        SupporterRelation::Parent => R::Parent,
        SupporterRelation::Grandchild => R::Grandchild,
        SupporterRelation::Grandparent => R::Grandparent,
        SupporterRelation::Sibling => R::Sibling,
    }
}

fn disability_kind(c: DisabilityCategory) -> DisabilityKind {
    match c {
        DisabilityCategory::Visual => DisabilityKind::Visual,
        DisabilityCategory::Hearing => DisabilityKind::Hearing,
        DisabilityCategory::Speech => DisabilityKind::Speech,
        DisabilityCategory::Physical => DisabilityKind::Physical,
        DisabilityCategory::Intellectual => DisabilityKind::Intellectual,
        DisabilityCategory::Mental => DisabilityKind::Mental,
        DisabilityCategory::Multiple => DisabilityKind::Multiple,
    }
}

/// The rules' input for a registered household on `on`: current living members (the dead are
/// left out), income records of the 12 months before `on` as monthly averages, assets as
/// registered, rigid spending of the last 12 months. Members are labelled 成员1, 成员2 … so
/// that no personal data enters the assessment.
pub fn to_input(f: &HouseholdFacts, on: NaiveDate) -> (Household, Vec<MemberLabel>) {
    let mut members = Vec::new();
    let mut labels = Vec::new();
    let mut person_label = BTreeMap::new();
    let mut sorted: Vec<_> = f
        .members
        .iter()
        .filter(|(_, p)| p.death_date.is_none_or(|d| d > on))
        .collect();
    sorted.sort_by_key(|(m, _)| m.relation != Relation::Head.code());
    let mut area = None;
    for (i, (m, p)) in sorted.iter().enumerate() {
        let label = format!("成员{}", i + 1);
        person_label.insert(p.id.clone(), label.clone());
        if area.is_none() || m.relation == Relation::Head.code() {
            area = Some(if p.hukou_type == HukouType::Urban.code() {
                Area::Urban
            } else {
                Area::Rural
            });
        }
        let special = p.special_status.as_deref().and_then(SpecialStatus::parse);
        let employment = EmploymentStatus::parse(&p.employment_status);
        members.push(Member {
            id: label.clone(),
            relation: Relation::parse(&m.relation).map(rules_relation),
            birth_date: p.birth_date,
            presence: Default::default(),
            disability: match (
                p.disability_category
                    .as_deref()
                    .and_then(DisabilityCategory::parse),
                p.disability_grade,
            ) {
                (Some(c), Some(g)) if (1..=4).contains(&g) => Some(Disability {
                    category: disability_kind(c),
                    grade: g as u8,
                }),
                _ => None,
            },
            serious_illness: p.serious_illness.is_some(),
            adl_lost: (p.adl_lost.clamp(0, 63) as u32).count_ones() as u8,
            employed: matches!(
                employment,
                Some(EmploymentStatus::Employed | EmploymentStatus::Flexible)
            ),
            student: p.school_stage.is_some(),
            orphan: match special {
                Some(SpecialStatus::Orphan) => Some(Orphan::Orphan),
                Some(SpecialStatus::DeFactoOrphan) => Some(Orphan::DeFacto),
                _ => None,
            },
            orphan_track: false,
            tekun_now: false,
            unemployment_insurance: false,
            youfu: false,
            work_injury_care: false,
            needs_long_term_care: p.disability_grade.is_some_and(|g| g <= 2) && p.adl_lost != 0,
            civil_incapacity: false,
            // Supporters inside the household come from the relations above (the rules
            // derive them); those outside it are the ones the window recorded (below).
            supporters: Vec::new(),
        });
        labels.push(MemberLabel {
            label,
            name_masked: mask_name(&p.name),
            relation: Relation::parse(&m.relation)
                .map(|r| r.zh().to_owned())
                .unwrap_or_else(|| m.relation.clone()),
            person_id: p.id.clone(),
        });
    }
    // 43号 Art. 8: legal supporters outside the household, named by relation and number
    // (户外子女1) so that no personal data enters the assessment.
    for s in &f.supporters {
        let Some(i) = sorted.iter().position(|(_, p)| p.id == s.person_id) else {
            continue; // a member who left or died
        };
        let Some(relation) = SupporterRelation::parse(&s.relation) else {
            continue;
        };
        let n = members[i].supporters.len() + 1;
        members[i].supporters.push(Supporter {
            label: Some(format!("户外{}{n}", relation.zh())),
            relation: Some(supporter_relation(relation)),
            age: jiuzhu_domain::time::age_on(s.birth_date, on).max(0) as u32,
            tekun: s.tekun,
            dibao: s.dibao,
            severe_disability: s.severe_disability,
            incapacitated: s.incapacitated,
            income_monthly: Yuan(Money::from_fen(s.income_monthly_fen.max(0))),
            assets_above_limit: s.assets_above_limit,
        });
    }
    let year_ago = on - chrono::Days::new(365);
    let mut incomes: BTreeMap<(Option<String>, u8), (IncomeKind, Money)> = BTreeMap::new();
    let mut assets = Assets::default();
    let mut rigid = Money::ZERO;
    for r in &f.records {
        let Some(cat) = EconomicCategory::parse(&r.category) else {
            continue;
        };
        let member = r
            .person_id
            .as_ref()
            .and_then(|p| person_label.get(p).cloned());
        if r.person_id.is_some() && member.is_none() {
            continue; // a member who left or died
        }
        let recent = r.period_end >= year_ago && r.period_start <= on;
        if let Some(kind) = income_kind(cat) {
            if recent {
                let e = incomes
                    .entry((member, kind as u8))
                    .or_insert((kind, Money::ZERO));
                e.1 =
                    e.1.checked_add(monthly(r.amount_fen, r.period_start, r.period_end))
                        .unwrap_or(e.1);
            }
            continue;
        }
        let amount = Money::from_fen(r.amount_fen.max(0));
        match cat {
            EconomicCategory::Deposit
            | EconomicCategory::Securities
            | EconomicCategory::Insurance
            | EconomicCategory::Claim
            | EconomicCategory::InternetFinance => {
                assets.financial = Yuan(
                    assets
                        .financial
                        .0
                        .checked_add(amount)
                        .unwrap_or(assets.financial.0),
                );
            }
            EconomicCategory::Vehicle => assets.vehicles += 1,
            EconomicCategory::Housing => assets.homes += 1,
            EconomicCategory::OtherRealEstate => assets.other_real_estate += 1,
            EconomicCategory::Medical
            | EconomicCategory::Education
            | EconomicCategory::DisabilityCare
            | EconomicCategory::OtherExpense
                if recent =>
            {
                rigid = rigid.checked_add(amount).unwrap_or(rigid);
            }
            _ => {}
        }
    }
    let household = Household {
        id: Some(f.household.id.clone()),
        region: f.household.region_code.clone(),
        area: area.unwrap_or(Area::Rural),
        members,
        incomes: incomes
            .into_iter()
            .map(|((member, _), (kind, m))| Income {
                member,
                kind,
                monthly: Yuan(m),
            })
            .collect(),
        assets,
        extra_spending_monthly: Yuan::default(),
        rigid_spending_12m: Yuan(rigid),
        // Nothing in the registry records the housing situation yet: left out, and the
        // assessment lists 住房救助 as not assessed rather than answering from a default.
        housing_need: None,
        current_dibao: current_dibao(f, on),
        hardship: None,
        price_index: None,
    };
    (household, labels)
}

/// The household's running 低保 enrolment as the rules read it (S11 渐退期): the amount paid,
/// the 渐退 months still to run when an end month was set (the payroll's 渐退期 is an end
/// month in the future), and whether a member took up work (an employed member with wages in
/// the records) — from the enrolments table and the registry, never assumed.
fn current_dibao(f: &HouseholdFacts, on: NaiveDate) -> Option<CurrentDibao> {
    // `f.enrolments` holds only enrolments that have not ended.
    let e = f
        .enrolments
        .iter()
        .find(|e| e.programme == jiuzhu_programmes::DIBAO.code())?;
    // An end month set on a running enrolment is a 渐退期 granted: what is left runs to it.
    let left = e
        .end_month
        .as_deref()
        .and_then(|m| Month::parse(m).ok())
        .map(|end| (Month::of(on).months_to(end) + 1).clamp(0, i64::from(u32::MAX)) as u32);
    let working: HashSet<&str> = f
        .members
        .iter()
        .filter(|(_, p)| {
            matches!(
                EmploymentStatus::parse(&p.employment_status),
                Some(EmploymentStatus::Employed | EmploymentStatus::Flexible)
            )
        })
        .map(|(_, p)| p.id.as_str())
        .collect();
    let wages = f.records.iter().any(|r| {
        r.category == EconomicCategory::Wage.code()
            && r.person_id.as_deref().is_some_and(|p| working.contains(p))
    });
    Some(CurrentDibao {
        monthly: Yuan(Money::from_fen(e.monthly_fen)),
        gradual_exit_months_used: 0,
        gradual_exit_months_left: left,
        income_rise_from_employment: wages,
    })
}

/// One household's needs assessment as the caseworker sees it.
#[derive(Debug, Clone)]
pub struct HouseholdAssessment {
    /// The household id.
    pub household_id: String,
    /// Region path for the heading.
    pub region_code: String,
    /// Who each label is.
    pub members: Vec<MemberLabel>,
    /// The assessment with explanations.
    pub assessment: Assessment,
}

/// Assesses a registered household on `on` for someone allowed to read it (audited as a view).
pub fn assess_household(
    ctx: &Context,
    engine: &Engine,
    who: &Actor,
    id: &str,
    on: NaiveDate,
) -> Result<HouseholdAssessment, AppError> {
    assess_household_with(ctx, engine, who, id, on, None)
}

/// [`assess_household`] with the hardship a 临时救助 case recorded at filing (S14), so the
/// rules compute its amount and approval level from what the window recorded.
pub fn assess_household_with(
    ctx: &Context,
    engine: &Engine,
    who: &Actor,
    id: &str,
    on: NaiveDate,
    hardship: Option<jiuzhu_rules::input::Hardship>,
) -> Result<HouseholdAssessment, AppError> {
    who.require(Permission::ViewRegistry)?;
    let mut conn = ctx.db.conn()?;
    let scope = &who.scope;
    let facts =
        jiuzhu_storage::read_snapshot(&mut conn, |c| -> Result<_, jiuzhu_storage::StorageError> {
            let h = households::find(c, scope, id)?;
            let members = households::members(c, scope, &h.county_code, &h.id, None)?;
            let records = persons::economic::for_household(c, scope, &h)?;
            let enrolments =
                jiuzhu_storage::feed::open_enrolments(c, &h.county_code, &[h.id.as_str()])?;
            let supporters = jiuzhu_storage::supporters::for_household(c, scope, &h)?;
            Ok(HouseholdFacts {
                household: h,
                members,
                records,
                enrolments,
                supporters,
            })
        });
    drop(conn);
    let facts = match facts {
        Ok(f) => f,
        Err(jiuzhu_storage::StorageError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let (mut input, members) = to_input(&facts, on);
    input.hardship = hardship;
    let assessment = engine
        .assess(&input, on, true)
        .map_err(|e| AppError::Conflict(format!("无法评估：{e}")))?;
    ctx.audit.record_view(
        &ctx.db,
        who,
        Event::new(
            "household.assess",
            "household",
            id,
            &facts.household.region_code,
        )
        .detail(serde_json::json!({"on": on.to_string(), "policy": engine.policy().version})),
    )?;
    Ok(HouseholdAssessment {
        household_id: facts.household.id,
        region_code: facts.household.region_code,
        members,
        assessment,
    })
}

/// One county's row of a reform simulation (S6).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SimulationRow {
    /// County code.
    pub county: String,
    /// County name.
    pub name: String,
    /// Households assessed.
    pub households: u64,
    /// Households eligible for 低保 now.
    pub eligible_before: u64,
    /// … under the reform.
    pub eligible_after: u64,
    /// People covered now (whole households and 单人户).
    pub people_before: u64,
    /// … under the reform.
    pub people_after: u64,
    /// Monthly cost now, in fen.
    pub cost_before_fen: i64,
    /// … under the reform.
    pub cost_after_fen: i64,
    /// Households that gain (newly eligible or a higher amount).
    pub gain: u64,
    /// Households that lose (no longer eligible or a lower amount).
    pub lose: u64,
}

impl SimulationRow {
    fn add(&mut self, o: &SimulationRow) {
        self.households += o.households;
        self.eligible_before += o.eligible_before;
        self.eligible_after += o.eligible_after;
        self.people_before += o.people_before;
        self.people_after += o.people_after;
        self.cost_before_fen += o.cost_before_fen;
        self.cost_after_fen += o.cost_after_fen;
        self.gain += o.gain;
        self.lose += o.lose;
    }
}

/// Runs 低保 for every household of the registry under `current` and `reform` on `on`, per
/// county, reporting progress in households after each page. Households the rules cannot read
/// are counted in `skipped`.
pub fn simulate(
    ctx: &Context,
    current: &Engine,
    reform: &Engine,
    on: NaiveDate,
    progress: &dyn Fn(u64),
) -> Result<(Vec<SimulationRow>, SimulationRow, u64), AppError> {
    let mut rows = Vec::new();
    let mut total = SimulationRow {
        county: "4105".into(),
        name: "合计".into(),
        ..Default::default()
    };
    let mut done = 0u64;
    let mut skipped = 0u64;
    let city = RegionCode::parse("4105").map_err(|e| AppError::BadFile(e.to_string()))?;
    let counties: Vec<(String, String)> = ctx
        .regions
        .children(&city)
        .iter()
        .map(|c| {
            let name = ctx
                .regions
                .get(c)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            (c.short().to_owned(), name)
        })
        .collect();
    for (county, name) in counties {
        let mut row = SimulationRow {
            county: county.clone(),
            name,
            ..Default::default()
        };
        let mut before = Batch::new(current, on);
        let mut after = Batch::new(reform, on);
        let mut last: Option<String> = None;
        loop {
            let page = {
                let mut conn = ctx.db.conn()?;
                jiuzhu_storage::feed::page(&mut conn, &county, last.as_deref(), 1000)?
            };
            let Some(tail) = page.last() else { break };
            last = Some(tail.household.id.clone());
            for f in &page {
                let (h, _) = to_input(f, on);
                let Ok(checked) = Checked::new(&h) else {
                    skipped += 1;
                    continue;
                };
                let (Ok(a), Ok(b)) = (before.dibao(checked), after.dibao(checked)) else {
                    skipped += 1;
                    continue;
                };
                row.households += 1;
                let people = |d: &jiuzhu_rules::programmes::dibao::DibaoAnswer| -> u64 {
                    match d.mode {
                        Some(jiuzhu_rules::output::Mode::SinglePerson) => d.single.len() as u64,
                        Some(_) => h.members.len() as u64,
                        None => 0,
                    }
                };
                if a.outcome == Outcome::Eligible {
                    row.eligible_before += 1;
                    row.people_before += people(&a);
                    row.cost_before_fen += a.monthly.fen();
                }
                if b.outcome == Outcome::Eligible {
                    row.eligible_after += 1;
                    row.people_after += people(&b);
                    row.cost_after_fen += b.monthly.fen();
                }
                let (ma, mb) = (a.monthly.fen(), b.monthly.fen());
                if mb > ma {
                    row.gain += 1;
                } else if mb < ma {
                    row.lose += 1;
                }
            }
            done += page.len() as u64;
            progress(done);
        }
        total.add(&row);
        rows.push(row);
    }
    Ok((rows, total, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_averaged_over_the_months_of_its_period() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            monthly(1_200_000, d("2025-01-01"), d("2025-12-31")).fen(),
            100_000
        );
        assert_eq!(
            monthly(100_000, d("2025-03-01"), d("2025-03-31")).fen(),
            100_000
        );
        assert_eq!(monthly(100, d("2025-01-15"), d("2025-03-02")).fen(), 33);
        assert_eq!(monthly(-5, d("2025-01-01"), d("2025-01-31")).fen(), 0);
    }

    #[test]
    fn the_bundled_policy_loads_and_a_missing_file_is_named() {
        assert!(load_policy(None).unwrap().has_illustrative());
        let e = load_policy(Some(Path::new("/nonexistent/policy.toml"))).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/policy.toml"), "{e}");
    }

    #[test]
    fn a_policy_folder_a_single_file_and_the_bundled_policy_load_alike() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policy/anyang");
        // Every file of the folder is bundled (a new programme's file must be listed too).
        let mut in_folder: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| format!("policy/anyang/{}", e.unwrap().file_name().to_str().unwrap()))
            .collect();
        in_folder.sort();
        let mut bundled_names: Vec<String> = BUNDLED_POLICY
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        bundled_names.sort();
        assert_eq!(bundled_names, in_folder);
        let folder = load_policy(Some(&dir)).unwrap();
        let bundled = load_policy(None).unwrap();
        assert_eq!(folder.version, bundled.version);
        let file = std::env::temp_dir().join(format!("jiuzhu-policy-{}.toml", std::process::id()));
        std::fs::write(&file, bundled_policy_text()).unwrap();
        let single = load_policy(Some(&file)).unwrap();
        std::fs::remove_file(&file).unwrap();
        let city = RegionCode::parse("4105").unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let p = |s: &PolicySet| {
            format!(
                "{:?}",
                s.resolve(&city, jiuzhu_domain::person::HukouType::Rural, day)
                    .unwrap()
            )
        };
        assert_eq!(p(&folder), p(&bundled));
        assert_eq!(p(&single), p(&bundled));
    }
}

/// The engine on the bundled policy, loaded once per process.
pub fn bundled_rules() -> std::sync::Arc<jiuzhu_rules::Engine> {
    static E: std::sync::OnceLock<std::sync::Arc<jiuzhu_rules::Engine>> =
        std::sync::OnceLock::new();
    E.get_or_init(|| {
        std::sync::Arc::new(jiuzhu_rules::Engine::new(
            load_policy(None).expect("the bundled policy loads"),
        ))
    })
    .clone()
}

/// The rules' answer for a case's programme on the household as registered, kept with the case
/// when the opinion is recorded and at the decision (S21: the township's opinion comes with the
/// rules' explanation; the decider sees what the rules propose next to what is decided).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
pub struct RulesOpinion {
    /// The day it was computed for.
    pub on: String,
    /// The policy file and version.
    pub policy: String,
    /// 符合, 接近符合 or 不符合.
    pub outcome: String,
    /// Per-capita monthly income counted, in yuan.
    pub per_capita_income: String,
    /// The 低保 standard applied, in yuan a month.
    pub standard: String,
    /// The amount the rules propose, in yuan (a month for 低保/特困, once for 临时救助).
    pub amount: String,
    /// 低保: the review cycle the rules propose.
    pub review_months: Option<u32>,
    /// 临时救助: who approves the amount (乡镇（街道）审批、县级民政审批、一事一议).
    #[serde(default)]
    pub approval: Option<String>,
    /// Why, in Chinese.
    pub reasons: Vec<String>,
}
