//! The synthetic city for `jiuzhu demo`: deterministic (a seed gives the same city every time),
//! realistic in shape (household sizes, ages, disability prevalence, incomes, a low-income
//! share per county), and able to grow to 1,000,000 households, written in batches of one
//! county per transaction. Every person and number in it is invented.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};
use jiuzhu_domain::person::*;
use jiuzhu_domain::{RegionCode, RegionLevel, ResidentId};
use jiuzhu_storage::bulk::HouseholdBatch;
use jiuzhu_storage::ids;
use jiuzhu_storage::models::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use jiuzhu_app::AppError;
use jiuzhu_app::Context;
use jiuzhu_app::regions::RegionCache;
use jiuzhu_app::sealing::seal;
use jiuzhu_app::sealing::seal_field;
use jiuzhu_crypto::Keys;

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Households in the whole city.
    pub households: u64,
    /// Random seed.
    pub seed: u64,
    /// The date the city is generated "as of" (fixed, so the data does not drift with the clock).
    pub as_of: NaiveDate,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            households: 20_000,
            seed: 2021,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 1).expect("valid"),
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoStats {
    /// Households.
    pub households: u64,
    /// Persons.
    pub persons: u64,
    /// Income, asset and expense records.
    pub economic_records: u64,
    /// Households generated with a low income.
    pub low_income_households: u64,
}

/// Households per transaction.
const BATCH: usize = 2_000;

/// The synthetic share of low-income households per county, in per mille: higher in the rural
/// counties than in the city districts. Invented for the demo, not a statistic.
fn low_income_per_mille(county: &str) -> u32 {
    match county {
        "410502" | "410503" | "410505" | "410571" => 15,
        "410506" => 25,
        "410581" => 30,
        "410523" | "410522" => 40,
        "410527" => 45,
        "410526" => 50,
        _ => 35,
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "申", "牛", "常", "范", "岳", "路", "秦", "崔", "任", "姚",
];
const GIVEN_MALE: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宁", "建国", "建军", "志强", "国庆", "海涛", "振华", "文博", "子轩", "浩然",
    "宇航", "俊杰", "卫东", "红旗", "保国", "长生", "铁柱", "金山",
];
const GIVEN_FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "桂英", "秀英", "玉兰", "凤英",
    "淑珍", "丽华", "春梅", "海燕", "雪梅", "梓涵", "欣怡", "雨桐", "思琪", "佳怡", "诗涵", "子涵",
    "美玲", "晓红", "翠花", "爱玲", "巧云", "素芳",
];
const ILLNESSES: &[&str] = &[
    "尿毒症",
    "恶性肿瘤",
    "白血病",
    "重性精神病",
    "器官移植术后",
    "脑卒中后遗症",
    "血友病",
];
const BANKS: &[&str] = &[
    "中国农业银行",
    "中国邮政储蓄银行",
    "河南农信",
    "中国工商银行",
    "中国建设银行",
];
const STREETS: &[&str] = &[
    "解放路",
    "文明大道",
    "中华路",
    "人民大道",
    "红旗路",
    "光明路",
    "东风路",
    "建设路",
    "朝阳路",
    "幸福街",
];

struct Gen<'a> {
    rng: ChaCha8Rng,
    as_of: NaiveDate,
    /// Next sequence per (county, birth date, sex): ID numbers are unique by construction.
    seq: HashMap<(u32, NaiveDate, bool), u16>,
    regions: &'a RegionCache,
    keys: &'a Keys,
}

struct NewPerson {
    relation: Relation,
    male: bool,
    age: i32,
    surname: &'static str,
}

impl Gen<'_> {
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    fn chance(&mut self, per_mille: u32) -> bool {
        self.rng.random_range(0..1000) < per_mille
    }

    fn birth(&mut self, age: i32) -> NaiveDate {
        let base =
            NaiveDate::from_ymd_opt(self.as_of.year() - age, self.as_of.month(), 1).expect("valid");
        base - Duration::days(self.rng.random_range(1..365))
    }

    fn id_number(&mut self, county: &str, birth: NaiveDate, male: bool) -> Option<ResidentId> {
        let key = (county.parse().ok()?, birth, male);
        let k = self.seq.entry(key).or_insert(0);
        if *k >= 499 {
            return None; // 500 numbers of one sex per county and birth date: skip this person.
        }
        *k += 1;
        // GB 11643: the sequence is odd for men and even for women.
        let seq = *k * 2 - u16::from(male);
        Some(ResidentId::build(county, birth, seq))
    }

    fn household_size(&mut self) -> usize {
        // Roughly the 2020 census shape for Henan: many 1–3 person households.
        let r = self.rng.random_range(0..100);
        match r {
            0..15 => 1,
            15..43 => 2,
            43..65 => 3,
            65..85 => 4,
            85..95 => 5,
            _ => 6,
        }
    }

    fn plan_members(&mut self) -> Vec<NewPerson> {
        let size = self.household_size();
        let head_age = if size == 1 {
            self.rng.random_range(55..92)
        } else {
            self.rng.random_range(26..80)
        };
        let head_male = self.chance(if size == 1 { 450 } else { 800 });
        let surname = self.pick(SURNAMES);
        let mut v = vec![NewPerson {
            relation: Relation::Head,
            male: head_male,
            age: head_age,
            surname,
        }];
        if size >= 2 && self.chance(850) {
            let spouse_surname = self.pick(SURNAMES);
            v.push(NewPerson {
                relation: Relation::Spouse,
                male: !head_male,
                age: (head_age + self.rng.random_range(-4..5)).clamp(20, 95),
                surname: spouse_surname,
            });
        }
        if size >= 4 && head_age < 60 && self.chance(500) {
            let parent_surname = surname;
            v.push(NewPerson {
                relation: Relation::Parent,
                male: self.chance(400),
                age: (head_age + self.rng.random_range(22..32)).min(99),
                surname: parent_surname,
            });
        }
        while v.len() < size {
            let (rel, age) = if head_age >= 62 && self.chance(600) {
                (Relation::Grandchild, self.rng.random_range(0..18))
            } else {
                (
                    Relation::Child,
                    (head_age - self.rng.random_range(22..36)).max(0),
                )
            };
            v.push(NewPerson {
                relation: rel,
                male: self.chance(520),
                age,
                surname,
            });
        }
        v
    }
}

/// Generates the city into `db`. `progress` is called with the households written so far.
pub fn generate(
    registry: &Context,
    cfg: &DemoConfig,
    progress: &dyn Fn(u64),
) -> Result<DemoStats, AppError> {
    let (db, regions) = (&registry.db, &*registry.regions);
    let villages: Vec<RegionCode> = regions
        .of_level(RegionLevel::Village)
        .iter()
        .map(|r| r.code.clone())
        .collect();
    if villages.is_empty() {
        return Err(AppError::BadFile("没有村（社区）区划数据".into()));
    }
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(cfg.seed),
        as_of: cfg.as_of,
        seq: HashMap::new(),
        regions,
        keys: &registry.keys,
    };
    let mut stats = DemoStats::default();
    let per_village = cfg.households / villages.len() as u64;
    let extra = cfg.households % villages.len() as u64;
    let mut conn = db.conn()?;
    let mut batch = HouseholdBatch::default();
    let mut batch_county = String::new();
    let mut batch_households = 0usize;
    for (vi, village) in villages.iter().enumerate() {
        let county = village.county_code().expect("village").to_owned();
        if county != batch_county && batch_households > 0 {
            batch.insert(&mut conn)?;
            batch = HouseholdBatch::default();
            batch_households = 0;
            progress(stats.households);
        }
        batch_county = county.clone();
        // Spread the remainder over villages evenly rather than all at the start.
        let n = per_village
            + u64::from(
                (vi as u64 * extra) / villages.len() as u64
                    != ((vi as u64 + 1) * extra) / villages.len() as u64,
            );
        for _ in 0..n {
            let added = generate_household(&mut g, village, &county, &mut batch, &mut stats);
            if added {
                batch_households += 1;
            }
            if batch_households >= BATCH {
                batch.insert(&mut conn)?;
                batch = HouseholdBatch::default();
                batch_households = 0;
                progress(stats.households);
            }
        }
    }
    if batch_households > 0 {
        batch.insert(&mut conn)?;
    }
    progress(stats.households);
    drop(conn);
    db.analyze()?;
    Ok(stats)
}

fn generate_household(
    g: &mut Gen,
    village: &RegionCode,
    county: &str,
    batch: &mut HouseholdBatch,
    stats: &mut DemoStats,
) -> bool {
    let now = chrono::NaiveDateTime::new(g.as_of, chrono::NaiveTime::MIN);
    // 居委会 (suffix 0xx–1xx) are urban communities, 村委会 rural.
    let urban = village.as_str().as_bytes()[9] <= b'1';
    let low_income = g.chance(low_income_per_mille(county));
    let plan = g.plan_members();
    let household_id = ids::new_id();
    let mut persons = vec![];
    for p in &plan {
        let birth = g.birth(p.age);
        let Some(id) = g.id_number(county, birth, p.male) else {
            return false;
        };
        persons.push((p, birth, id));
    }
    let village_name = g.regions.name(village);
    let address = if urban {
        format!(
            "{}{}号{}栋{}室",
            g.pick(STREETS),
            g.rng.random_range(1..300),
            g.rng.random_range(1..20),
            g.rng.random_range(101..1802)
        )
    } else {
        format!(
            "{}{}组{}号",
            village_name
                .trim_end_matches("村民委员会")
                .trim_end_matches("村委会"),
            g.rng.random_range(1..12),
            g.rng.random_range(1..200)
        )
    };
    let mut head_id = String::new();
    let mut head_name = String::new();
    // What the members earn together a month, in fen (the top-up below reads it).
    let mut household_monthly_fen: i64 = 0;
    // Grown members with no earnings of their own (old, or unable to work).
    let mut dependants: Vec<String> = Vec::new();
    for (p, birth, id) in &persons {
        let pid = ids::new_id();
        let given = if p.male {
            g.pick(GIVEN_MALE)
        } else {
            g.pick(GIVEN_FEMALE)
        };
        let name = format!("{}{given}", p.surname);
        if p.relation == Relation::Head {
            head_id = pid.clone();
            head_name = name.clone();
        }
        // Disability: about 6.3% of people (2nd national sample survey), more with age.
        let disability_per_mille = if p.age >= 65 {
            150
        } else if low_income {
            120
        } else {
            45
        };
        let disability = g.chance(disability_per_mille).then(|| {
            let cat = g.pick(DisabilityCategory::ALL);
            let grade = match g.rng.random_range(0..100) {
                0..15 => 1,
                15..40 => 2,
                40..70 => 3,
                _ => 4,
            };
            (cat, DisabilityGrade::new(grade).expect("1-4"))
        });
        let severe = disability.is_some_and(|(_, g)| g.get() <= 2);
        let illness = g
            .chance(if low_income { 60 } else { 15 })
            .then(|| g.pick(ILLNESSES).to_owned());
        let labour = if p.age < 16 || p.age >= 70 || severe {
            LabourCapacity::None
        } else if p.age >= 60 || disability.is_some() || illness.is_some() {
            LabourCapacity::Partial
        } else {
            LabourCapacity::Full
        };
        let adl_lost = if p.age >= 80 || severe {
            let k = g.rng.random_range(0..7usize);
            AdlLost::from_items(0..k)
        } else {
            AdlLost::default()
        };
        let school = match p.age {
            3..=5 => Some(SchoolStage::Preschool),
            6..=11 => Some(SchoolStage::Primary),
            12..=14 => Some(SchoolStage::Junior),
            15..=17 => Some(if g.chance(650) {
                SchoolStage::Senior
            } else {
                SchoolStage::Vocational
            }),
            18..=22 if g.chance(450) => Some(SchoolStage::Higher),
            _ => None,
        };
        let employment = if school.is_some() {
            EmploymentStatus::Student
        } else if p.age < 16 || labour == LabourCapacity::None {
            EmploymentStatus::None
        } else if p.age >= 60 {
            if urban {
                EmploymentStatus::Retired
            } else {
                EmploymentStatus::Farming
            }
        } else if low_income {
            match g.rng.random_range(0..10) {
                0..4 => EmploymentStatus::Unemployed,
                4..7 => EmploymentStatus::Flexible,
                _ => EmploymentStatus::Farming,
            }
        } else if urban {
            if g.chance(850) {
                EmploymentStatus::Employed
            } else {
                EmploymentStatus::Flexible
            }
        } else {
            match g.rng.random_range(0..10) {
                0..5 => EmploymentStatus::Farming,
                5..8 => EmploymentStatus::Employed,
                _ => EmploymentStatus::Flexible,
            }
        };
        let special = (p.age < 18 && g.chance(3)).then_some(SpecialStatus::DeFactoOrphan);
        let is_head = p.relation == Relation::Head;
        batch.identities.push(PersonIdentityRow {
            id_key: jiuzhu_app::sealing::id_key(g.keys, id),
            person_id: pid.clone(),
            county_code: county.to_owned(),
            registered_at: now,
        });
        batch.persons.push(PersonRow {
            county_code: county.to_owned(),
            id: pid.clone(),
            name,
            id_number: seal(g.keys, "id_number", id.as_str()),
            // Sex and birth date always as the ID number says, as registration does.
            sex: id.sex().code().to_owned(),
            birth_date: id.birth_date(),
            hukou_region_code: village.to_string(),
            hukou_type: if urban {
                HukouType::Urban
            } else {
                HukouType::Rural
            }
            .code()
            .to_owned(),
            residence_region_code: village.to_string(),
            residence_permit: false,
            disability_category: disability.map(|d| d.0.code().to_owned()),
            disability_grade: disability.map(|d| d.1.get()),
            serious_illness: illness.map(|v| seal(g.keys, "serious_illness", &v)),
            labour_capacity: labour.code().to_owned(),
            adl_lost: adl_lost.bits(),
            employment_status: employment.code().to_owned(),
            school_stage: school.map(|s| s.code().to_owned()),
            special_status: special.map(|s| s.code().to_owned()),
            death_date: None,
            phone: is_head.then(|| {
                let number = format!(
                    "1{}{:09}",
                    g.pick(&["33", "35", "37", "38", "39", "50", "58", "86"]),
                    g.rng.random_range(0..1_000_000_000u32)
                );
                seal(g.keys, "phone", &number)
            }),
            bank_name: is_head.then(|| g.pick(BANKS).to_owned()),
            bank_account: is_head.then(|| {
                let account = format!(
                    "62{:017}",
                    g.rng.random_range(0..100_000_000_000_000_000u64)
                );
                seal(g.keys, "bank_account", &account)
            }),
            created_at: now,
            updated_at: now,
            version: 1,
        });
        batch.memberships.push(MembershipRow {
            county_code: county.to_owned(),
            id: ids::new_id(),
            household_id: household_id.clone(),
            person_id: pid.clone(),
            relation: p.relation.code().to_owned(),
            joined_on: if p.relation == Relation::Child || p.relation == Relation::Grandchild {
                *birth
            } else {
                *birth + Duration::days(365 * 20)
            }
            .min(g.as_of),
            left_on: None,
            join_reason: "登记".into(),
            leave_reason: None,
            created_at: now,
        });
        // Income over the last 12 months, in fen: wages or farming for those who work.
        let monthly_fen: i64 = match employment {
            EmploymentStatus::Employed => {
                if low_income {
                    g.rng.random_range(30_000..70_000)
                } else {
                    g.rng.random_range(250_000..650_000)
                }
            }
            EmploymentStatus::Flexible => {
                if low_income {
                    g.rng.random_range(10_000..50_000)
                } else {
                    g.rng.random_range(150_000..400_000)
                }
            }
            EmploymentStatus::Farming => {
                if low_income {
                    g.rng.random_range(5_000..30_000)
                } else {
                    g.rng.random_range(80_000..200_000)
                }
            }
            EmploymentStatus::Retired => g.rng.random_range(150_000..450_000),
            _ => 0,
        };
        household_monthly_fen += monthly_fen;
        if monthly_fen == 0 && (p.age >= 60 || (p.age >= 18 && labour == LabourCapacity::None)) {
            dependants.push(pid.clone());
        }
        if monthly_fen > 0 {
            let category = match employment {
                EmploymentStatus::Farming => EconomicCategory::Business,
                EmploymentStatus::Retired => EconomicCategory::Transfer,
                _ => EconomicCategory::Wage,
            };
            batch.economic_records.push(EconomicRecordRow {
                county_code: county.to_owned(),
                id: ids::new_id(),
                household_id: household_id.clone(),
                person_id: Some(pid.clone()),
                kind: RecordKind::Income.code().to_owned(),
                category: category.code().to_owned(),
                source: "申报".into(),
                period_start: g.as_of - Duration::days(365),
                period_end: g.as_of - Duration::days(1),
                amount_fen: monthly_fen * 12,
                note: String::new(),
                recorded_at: now,
            });
            stats.economic_records += 1;
        }
        stats.persons += 1;
    }
    let members = persons.len() as i64;
    if !low_income && household_monthly_fen < members * 120_000 {
        // A household outside the low-income share whose members earn little themselves (old
        // people, children, people who cannot work) lives on what relatives elsewhere pay
        // them: 赡养费 and 扶养费 are the receiver's transfer income (57号 Art. 13), which
        // keeps the household clear of 低保 and its old members of 特困, as most are.
        let top_up = members * g.rng.random_range(120_000..220_000) - household_monthly_fen;
        if dependants.is_empty() {
            dependants.push(head_id.clone());
        }
        let share = top_up / dependants.len() as i64;
        for pid in &dependants {
            batch.economic_records.push(EconomicRecordRow {
                county_code: county.to_owned(),
                id: ids::new_id(),
                household_id: household_id.clone(),
                person_id: Some(pid.clone()),
                kind: RecordKind::Income.code().to_owned(),
                category: EconomicCategory::Transfer.code().to_owned(),
                source: "申报".into(),
                period_start: g.as_of - Duration::days(365),
                period_end: g.as_of - Duration::days(1),
                amount_fen: share * 12,
                note: "子女赡养费、亲属资助".into(),
                recorded_at: now,
            });
            stats.economic_records += 1;
        }
    }
    // 43号 Art. 8: an old head with no grown child at home usually has one elsewhere. In the
    // low-income share, most of those children can support (so the parent is 低保, not 特困),
    // some are on 低保 themselves (unable), and some old people have nobody.
    let head = &plan[0];
    let grown_child_at_home = plan
        .iter()
        .any(|q| q.relation == Relation::Child && q.age >= 18);
    if low_income && head.age >= 60 && !grown_child_at_home {
        let roll = g.rng.random_range(0..1000);
        if roll < 800 {
            let able = roll < 650;
            let age = (head.age - g.rng.random_range(22..34)).max(18);
            let male = g.chance(500);
            let given = if male {
                g.pick(GIVEN_MALE)
            } else {
                g.pick(GIVEN_FEMALE)
            };
            batch.supporters.push(SupporterRow {
                county_code: county.to_owned(),
                id: ids::new_id(),
                household_id: household_id.clone(),
                person_id: head_id.clone(),
                name: seal_field(
                    g.keys,
                    "supporters.name",
                    &format!("{}{given}", head.surname),
                ),
                relation: SupporterRelation::Child.code().to_owned(),
                birth_date: g.birth(age),
                tekun: false,
                dibao: !able,
                severe_disability: false,
                incapacitated: false,
                income_monthly_fen: if able {
                    g.rng.random_range(250_000..600_000)
                } else {
                    g.rng.random_range(0..50_000)
                },
                assets_above_limit: false,
                recorded_by: "demo".into(),
                recorded_at: now,
            });
        }
    }
    if !low_income && g.chance(400) {
        batch.economic_records.push(EconomicRecordRow {
            county_code: county.to_owned(),
            id: ids::new_id(),
            household_id: household_id.clone(),
            person_id: None,
            kind: RecordKind::Asset.code().to_owned(),
            category: EconomicCategory::Deposit.code().to_owned(),
            source: "申报".into(),
            period_start: g.as_of,
            period_end: g.as_of,
            amount_fen: g.rng.random_range(1_000_000..50_000_000),
            note: String::new(),
            recorded_at: now,
        });
        stats.economic_records += 1;
    }
    batch.households.push(HouseholdRow {
        county_code: county.to_owned(),
        id: household_id,
        region_code: village.to_string(),
        address,
        head_person_id: Some(head_id),
        head_name,
        member_count: persons.len() as i32,
        status: "active".into(),
        created_at: now,
        updated_at: now,
        version: 1,
    });
    stats.households += 1;
    if low_income {
        stats.low_income_households += 1;
    }
    true
}
