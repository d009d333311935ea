//! Closed vocabularies of the registry (sex, 户籍 type, disability, labour capacity, school
//! stage, relations, income/asset/expense categories …): each value has a stored code, a
//! Chinese label and an English label, so forms, imports, exports and the API agree.

use serde::{Deserialize, Serialize};

/// Declares an enum whose values carry a stored code and Chinese and English labels.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored code.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese label.
            pub const fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// The English label.
            pub const fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// Parses a stored code, a Chinese label or an English label (as typed in a
            /// spreadsheet).
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.code() == s || v.zh() == s || v.en().eq_ignore_ascii_case(s))
            }

            /// The accepted values, for error messages.
            pub fn choices_zh() -> String {
                Self::ALL.iter().map(|v| v.zh()).collect::<Vec<_>>().join("、")
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s).ok_or_else(|| format!("应为以下之一：{}", Self::choices_zh()))
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> &'static str {
                v.code()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.zh())
            }
        }
    };
}

pub(crate) use vocabulary;

vocabulary! {
    /// 性别.
    Sex {
        /// 男.
        Male = ("male", "男", "male"),
        /// 女.
        Female = ("female", "女", "female"),
    }
}

vocabulary! {
    /// 户籍性质: urban or rural, which selects the 低保 standard (S3).
    HukouType {
        /// 城镇.
        Urban = ("urban", "城镇", "urban"),
        /// 农村.
        Rural = ("rural", "农村", "rural"),
    }
}

vocabulary! {
    /// 残疾类别 (GB/T 26341).
    DisabilityCategory {
        /// 视力残疾.
        Visual = ("visual", "视力", "visual"),
        /// 听力残疾.
        Hearing = ("hearing", "听力", "hearing"),
        /// 言语残疾.
        Speech = ("speech", "言语", "speech"),
        /// 肢体残疾.
        Physical = ("physical", "肢体", "physical"),
        /// 智力残疾.
        Intellectual = ("intellectual", "智力", "intellectual"),
        /// 精神残疾.
        Mental = ("mental", "精神", "mental"),
        /// 多重残疾.
        Multiple = ("multiple", "多重", "multiple"),
    }
}

vocabulary! {
    /// 劳动能力.
    LabourCapacity {
        /// 有劳动能力.
        Full = ("full", "有劳动能力", "able to work"),
        /// 部分丧失劳动能力.
        Partial = ("partial", "部分丧失劳动能力", "partly able to work"),
        /// 无劳动能力.
        None = ("none", "无劳动能力", "unable to work"),
    }
}

vocabulary! {
    /// 就业状况.
    EmploymentStatus {
        /// 就业.
        Employed = ("employed", "就业", "employed"),
        /// 灵活就业.
        Flexible = ("flexible", "灵活就业", "informal work"),
        /// 务农.
        Farming = ("farming", "务农", "farming"),
        /// 失业.
        Unemployed = ("unemployed", "失业", "unemployed"),
        /// 在校.
        Student = ("student", "在校", "student"),
        /// 退休.
        Retired = ("retired", "退休", "retired"),
        /// 无业（含学龄前、丧失劳动能力）.
        None = ("none", "无业", "not working"),
    }
}

vocabulary! {
    /// 就学阶段 (S9: education assistance at every stage).
    SchoolStage {
        /// 学前教育.
        Preschool = ("preschool", "学前", "preschool"),
        /// 小学.
        Primary = ("primary", "小学", "primary"),
        /// 初中.
        Junior = ("junior", "初中", "junior secondary"),
        /// 普通高中.
        Senior = ("senior", "高中", "senior secondary"),
        /// 中等职业教育.
        Vocational = ("vocational", "中职", "vocational secondary"),
        /// 高等教育（本科及以下）.
        Higher = ("higher", "高等教育", "higher education"),
    }
}

vocabulary! {
    /// 特殊身份 (S9, S13).
    SpecialStatus {
        /// 孤儿.
        Orphan = ("orphan", "孤儿", "orphan"),
        /// 事实无人抚养儿童.
        DeFactoOrphan = ("de_facto_orphan", "事实无人抚养儿童", "child without de facto carer"),
        /// 烈士子女.
        MartyrChild = ("martyr_child", "烈士子女", "child of a martyr"),
        /// 见义勇为受害者被抚养人.
        SamaritanWard = ("samaritan_ward", "见义勇为受害者被抚养人", "ward of a good-Samaritan victim"),
    }
}

vocabulary! {
    /// 与户主关系.
    Relation {
        /// 户主.
        Head = ("head", "户主", "head"),
        /// 配偶.
        Spouse = ("spouse", "配偶", "spouse"),
        /// 子女.
        Child = ("child", "子女", "child"),
        /// 父母.
        Parent = ("parent", "父母", "parent"),
        /// 孙子女.
        Grandchild = ("grandchild", "孙子女", "grandchild"),
        /// 祖父母、外祖父母.
        Grandparent = ("grandparent", "祖父母", "grandparent"),
        /// 兄弟姐妹.
        Sibling = ("sibling", "兄弟姐妹", "sibling"),
        /// 儿媳、女婿.
        ChildInLaw = ("child_in_law", "儿媳女婿", "child-in-law"),
        /// 其他.
        Other = ("other", "其他", "other"),
    }
}

vocabulary! {
    /// How grave a hardship is, for the 临时救助 amount table (民发〔2018〕23号 §2; Anyang §14).
    HardshipSeverity {
        /// 一般.
        General = ("general", "一般", "general"),
        /// 较重.
        Serious = ("serious", "较重", "serious"),
        /// 特别严重.
        Grave = ("grave", "特别严重", "grave"),
    }
}

vocabulary! {
    /// Who a legal supporter living outside the household is to the member supported
    /// (民法典 第1059、1067、1074、1075条: spouses, parents and children first; grandparents,
    /// grandchildren and siblings when those are dead or unable).
    SupporterRelation {
        /// 子女 (赡养).
        Child = ("child", "子女", "child"),
        /// 配偶 (扶养).
        Spouse = ("spouse", "配偶", "spouse"),
        /// 父母 (抚养).
        Parent = ("parent", "父母", "parent"),
        /// 孙子女、外孙子女.
        Grandchild = ("grandchild", "孙子女", "grandchild"),
        /// 祖父母、外祖父母.
        Grandparent = ("grandparent", "祖父母", "grandparent"),
        /// 兄弟姐妹.
        Sibling = ("sibling", "兄弟姐妹", "sibling"),
    }
}

vocabulary! {
    /// Whether an economic record is income, an asset or an expense (57号 Art. 13–14).
    RecordKind {
        /// 收入.
        Income = ("income", "收入", "income"),
        /// 财产.
        Asset = ("asset", "财产", "asset"),
        /// 支出.
        Expense = ("expense", "支出", "expense"),
    }
}

vocabulary! {
    /// Categories of income, assets and expenses (POLICY-FACTS §1.5–1.6; 57号 Art. 13–14).
    EconomicCategory {
        /// 工资性收入 (counted, minus necessary employment costs).
        Wage = ("wage", "工资性收入", "wages"),
        /// 经营净收入 (incl. farming and livestock).
        Business = ("business", "经营净收入", "net business income"),
        /// 财产净收入 (interest, dividends, rent, land transfer).
        Property = ("property", "财产净收入", "net property income"),
        /// 转移净收入 (support received, pensions, benefits, compensation).
        Transfer = ("transfer", "转移净收入", "net transfers"),
        /// 其他收入.
        OtherIncome = ("other_income", "其他收入", "other income"),
        /// 优抚金、计生奖励、奖学金、见义勇为奖励 (not counted, 57号 Art. 13).
        ExemptReward = ("exempt_reward", "优抚及奖励（不计入）", "exempt pensions and rewards"),
        /// 政府社会救助款物 (not counted).
        ExemptAssistance = ("exempt_assistance", "社会救助款物（不计入）", "exempt social assistance"),
        /// 城乡居民基本养老保险基础养老金 (not counted in the 14th Five-Year Plan).
        ExemptBasicPension = ("exempt_basic_pension", "基础养老金（不计入）", "exempt basic pension"),
        /// 存款.
        Deposit = ("deposit", "存款", "deposits"),
        /// 有价证券、基金.
        Securities = ("securities", "有价证券", "securities"),
        /// 商业保险.
        Insurance = ("insurance", "商业保险", "commercial insurance"),
        /// 债权.
        Claim = ("claim", "债权", "claims"),
        /// 互联网金融资产.
        InternetFinance = ("internet_finance", "互联网金融资产", "internet finance assets"),
        /// 机动车辆.
        Vehicle = ("vehicle", "机动车辆", "vehicles"),
        /// 住房.
        Housing = ("housing", "住房", "housing"),
        /// 其他不动产.
        OtherRealEstate = ("other_real_estate", "其他不动产", "other real estate"),
        /// 医疗支出.
        Medical = ("medical", "医疗支出", "medical expenses"),
        /// 教育支出.
        Education = ("education", "教育支出", "education expenses"),
        /// 残疾康复、护理支出.
        DisabilityCare = ("disability_care", "残疾康复护理支出", "disability care expenses"),
        /// 必要就业成本 (S11: deducted from counted income).
        EmploymentCost = ("employment_cost", "必要就业成本", "necessary employment costs"),
        /// 其他刚性支出.
        OtherExpense = ("other_expense", "其他刚性支出", "other rigid expenses"),
    }
}

impl EconomicCategory {
    /// Which kind of record this category belongs to.
    pub fn kind(self) -> RecordKind {
        use EconomicCategory::*;
        match self {
            Wage | Business | Property | Transfer | OtherIncome | ExemptReward
            | ExemptAssistance | ExemptBasicPension => RecordKind::Income,
            Deposit | Securities | Insurance | Claim | InternetFinance | Vehicle | Housing
            | OtherRealEstate => RecordKind::Asset,
            Medical | Education | DisabilityCare | EmploymentCost | OtherExpense => {
                RecordKind::Expense
            }
        }
    }
}

/// 残疾等级 1–4 (一级 most severe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct DisabilityGrade(u8);

impl DisabilityGrade {
    /// Grade 1–4, or `None`.
    pub fn new(n: i32) -> Option<Self> {
        (1..=4).contains(&n).then_some(DisabilityGrade(n as u8))
    }
    /// Parses "1"…"4", "一级"…"四级".
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().trim_end_matches('级');
        let n = match s {
            "1" | "一" => 1,
            "2" | "二" => 2,
            "3" | "三" => 3,
            "4" | "四" => 4,
            _ => return None,
        };
        Self::new(n)
    }
    /// The grade number.
    pub fn get(self) -> i32 {
        i32::from(self.0)
    }
}

impl TryFrom<i32> for DisabilityGrade {
    type Error = String;
    fn try_from(n: i32) -> Result<Self, String> {
        Self::new(n).ok_or_else(|| "残疾等级应为 1–4 级".to_owned())
    }
}

impl From<DisabilityGrade> for i32 {
    fn from(g: DisabilityGrade) -> i32 {
        g.get()
    }
}

/// The six activities of daily living (日常生活活动) of 民发〔2021〕43号 Art. 20, as a set
/// of those the person can no longer do. The care tier (S5) is a rule and lives in `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AdlLost(u8);

impl AdlLost {
    /// The six items, in the order of the assessment form.
    pub const ITEMS: [(&'static str, &'static str, &'static str); 6] = [
        ("eating", "进食", "eating"),
        ("dressing", "穿衣", "dressing"),
        ("transfer", "上下床", "getting in/out of bed"),
        ("toileting", "如厕", "toileting"),
        ("walking", "室内行走", "walking indoors"),
        ("bathing", "洗澡", "bathing"),
    ];

    /// From the stored bit set; bits above the six items are refused.
    pub fn from_bits(bits: i32) -> Option<Self> {
        (0..64).contains(&bits).then_some(AdlLost(bits as u8))
    }
    /// From item indices (0–5).
    pub fn from_items(items: impl IntoIterator<Item = usize>) -> Self {
        AdlLost(
            items
                .into_iter()
                .filter(|i| *i < 6)
                .fold(0, |acc, i| acc | (1 << i)),
        )
    }
    /// The stored bit set.
    pub fn bits(self) -> i32 {
        i32::from(self.0)
    }
    /// Whether item `i` is lost.
    pub fn has(self, i: usize) -> bool {
        i < 6 && self.0 & (1 << i) != 0
    }
    /// How many items are lost.
    pub fn count(self) -> u32 {
        self.0.count_ones()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_parse_codes_and_both_labels() {
        assert_eq!(Sex::parse("女"), Some(Sex::Female));
        assert_eq!(Sex::parse("male"), Some(Sex::Male));
        assert_eq!(Relation::parse("配偶"), Some(Relation::Spouse));
        assert_eq!(
            DisabilityCategory::parse("Mental"),
            Some(DisabilityCategory::Mental)
        );
        assert_eq!(HukouType::parse("城市"), None);
        assert!(HukouType::choices_zh().contains("城镇、农村"));
    }

    #[test]
    fn economic_categories_belong_to_one_kind() {
        assert_eq!(EconomicCategory::Wage.kind(), RecordKind::Income);
        assert_eq!(EconomicCategory::Vehicle.kind(), RecordKind::Asset);
        assert_eq!(EconomicCategory::EmploymentCost.kind(), RecordKind::Expense);
        let codes: std::collections::HashSet<_> =
            EconomicCategory::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), EconomicCategory::ALL.len());
    }

    #[test]
    fn disability_grades_are_one_to_four() {
        assert_eq!(
            DisabilityGrade::parse("二级").map(DisabilityGrade::get),
            Some(2)
        );
        assert_eq!(
            DisabilityGrade::parse("4").map(DisabilityGrade::get),
            Some(4)
        );
        assert_eq!(DisabilityGrade::parse("5"), None);
        assert_eq!(DisabilityGrade::new(0), None);
    }

    #[test]
    fn adl_items_count_what_is_lost() {
        let lost = AdlLost::from_items([0, 3, 5]);
        assert_eq!(lost.count(), 3);
        assert!(lost.has(3) && !lost.has(1));
        assert_eq!(AdlLost::from_bits(lost.bits()), Some(lost));
        assert_eq!(AdlLost::from_bits(64), None);
    }
}
