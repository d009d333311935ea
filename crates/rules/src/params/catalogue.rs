//! The catalogue: every parameter the rules read, with its key, kind and whether it differs
//! between urban and rural areas. One macro generates the typed [`Params`] struct, the [`P`]
//! names used by explanations, and [`CATALOGUE`] used by loading — so the three never drift.

use super::kinds::{Amount, Combine, Exclusive, Method, ParamKind, Tiers};
use super::spec::{Origin, PolicyError, Spec};
use crate::ratio::Ratio;
use jiuzhu_domain::Money;

macro_rules! catalogue {
    ($( $field:ident : $ty:ty = $key:literal, $area:literal, $zh:literal, $en:literal; )*) => {
        /// The parameters in force for one region, area and date, resolved from a
        /// [`super::PolicySet`]. Rules read the fields; explanations cite [`Params::origin`].
        #[derive(Debug, Clone)]
        pub struct Params {
            $(
                #[doc = $zh]
                pub $field: $ty,
            )*
            origins: Vec<Origin>,
        }

        /// Names one parameter, for explanations.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum P {
            $(
                #[doc = $zh]
                $field,
            )*
        }

        /// Every parameter, in the order of [`P`].
        pub const CATALOGUE: &[Spec] = &[
            $(
                Spec {
                    key: $key,
                    zh: $zh,
                    en: $en,
                    kind: <$ty as ParamKind>::KIND,
                    by_area: $area,
                    show: |v| <$ty as ParamKind>::from_toml(v).map(|x| x.show()),
                },
            )*
        ];

        impl Params {
            /// Builds the parameters from one chosen value per catalogue entry.
            pub(crate) fn build(
                file: &str,
                mut pick: impl FnMut(usize) -> Result<(toml::Value, Origin), PolicyError>,
            ) -> Result<Self, PolicyError> {
                let mut origins = Vec::with_capacity(CATALOGUE.len());
                $(
                    let $field: $ty = {
                        let (value, origin) = pick(P::$field as usize)?;
                        let parsed = <$ty as ParamKind>::from_toml(&value)
                            .map_err(|e| PolicyError::key(file, $key, e))?;
                        origins.push(origin);
                        parsed
                    };
                )*
                Ok(Params { $( $field, )* origins })
            }
        }
    };
}

impl Params {
    /// Where a parameter's value came from.
    pub fn origin(&self, p: P) -> &Origin {
        &self.origins[p as usize]
    }

    /// Every value with its origin, in catalogue order (the policy page shows this).
    pub fn origins(&self) -> &[Origin] {
        &self.origins
    }
}

catalogue! {
    // ── 低保 (S4, POLICY-FACTS §1) ──
    dibao_standard: Money = "dibao.standard", true,
        "低保标准（元/人/月）", "dibao standard (yuan per person per month)";
    dibao_method: Method = "dibao.method", false,
        "低保金计算方式（差额或分档）", "how the benefit is computed (difference or tiers)";
    dibao_tiers: Tiers = "dibao.tiers", false,
        "分档发放的档次", "tiers of the tiered method";
    dibao_employment_cost_share: Ratio = "dibao.employment_cost.share", false,
        "就业成本扣减：工资性收入的比例", "employment-cost deduction: share of wages";
    dibao_employment_cost_fixed: Money = "dibao.employment_cost.fixed", false,
        "就业成本扣减：每名就业人员固定金额（元/月）", "employment-cost deduction: fixed per employed member";
    dibao_deduct_rigid_spending: bool = "dibao.deduct_rigid_spending", false,
        "是否扣减因残因病增加的刚性支出", "deduct extra spending caused by disability or illness";
    dibao_financial_months: u32 = "dibao.asset.financial_months", false,
        "人均金融资产上限（月低保标准的倍数）", "financial assets per head limit (months of the standard)";
    dibao_max_vehicles: u32 = "dibao.asset.max_vehicles", false,
        "可拥有的非豁免机动车数", "non-exempt vehicles allowed";
    dibao_max_homes: u32 = "dibao.asset.max_homes", false,
        "可拥有的住房套数", "homes allowed";
    dibao_other_real_estate_allowed: bool = "dibao.asset.other_real_estate_allowed", false,
        "是否允许拥有非居住类不动产", "non-residential real estate allowed";
    dibao_supplement_severe_disability: Amount = "dibao.supplement.severe_disability", false,
        "重度残疾人（一、二级）增发", "supplement for severely disabled members";
    dibao_supplement_serious_illness: Amount = "dibao.supplement.serious_illness", false,
        "重病患者增发", "supplement for seriously ill members";
    dibao_supplement_elderly: Amount = "dibao.supplement.elderly", false,
        "老年人增发", "supplement for elderly members";
    dibao_supplement_elderly_age: u32 = "dibao.supplement.elderly_age", false,
        "老年人增发起始年龄", "age from which the elderly supplement applies";
    dibao_supplement_minor: Amount = "dibao.supplement.minor", false,
        "未成年人增发", "supplement for minors";
    dibao_supplement_minor_age_below: u32 = "dibao.supplement.minor_age_below", false,
        "未成年人增发：年龄低于", "minor supplement: age below";
    dibao_supplement_combine: Combine = "dibao.supplement.combine", false,
        "同一人多项增发的合并方式", "how one person's supplements combine";
    dibao_review_months_stable: u32 = "dibao.review_months.stable", false,
        "收入稳定家庭复核周期（月）", "review cycle for stable households (months)";
    dibao_review_months_irregular: u32 = "dibao.review_months.irregular", false,
        "收入不稳定或有劳动能力家庭复核周期（月）", "review cycle for irregular-income households (months)";
    working_age_from: u32 = "labour.working_age_from", false,
        "劳动年龄起始（周岁）", "working age from";
    working_age_below: u32 = "labour.working_age_below", false,
        "劳动年龄上限（低于，周岁）", "working age below";
    // ── 渐退期 (S11, §8) ──
    gradual_exit_months: u32 = "dibao.gradual_exit.months", false,
        "渐退期最长月数", "longest gradual-exit period (months)";
    gradual_exit_upper_multiple: Ratio = "dibao.gradual_exit.upper_multiple", false,
        "渐退期人均收入上限（标准的倍数）", "gradual exit: per-capita income below this multiple";
    gradual_exit_share_of_previous: Ratio = "dibao.gradual_exit.share_of_previous", false,
        "渐退期发放原低保金的比例", "gradual exit: share of the previous benefit paid";
    // ── 特困 (S5, §2) ──
    tekun_elderly_age: u32 = "tekun.elderly_age", false,
        "特困：老年人年龄", "extreme poverty: elderly from age";
    tekun_minor_age_below: u32 = "tekun.minor_age_below", false,
        "特困：未成年人年龄低于", "extreme poverty: minors below age";
    tekun_basic_multiple: Ratio = "tekun.basic_multiple", false,
        "特困基本生活标准（低保标准的倍数）", "basic living standard (multiple of the dibao standard)";
    tekun_care_self: Money = "tekun.care.self_care", true,
        "照料护理标准：全自理（元/月）", "care standard: fully self-caring";
    tekun_care_partial: Money = "tekun.care.partial", true,
        "照料护理标准：半失能（元/月）", "care standard: partly dependent";
    tekun_care_full: Money = "tekun.care.full", true,
        "照料护理标准：全失能（元/月）", "care standard: fully dependent";
    tekun_care_partial_items: u32 = "tekun.care.partial_min_items", false,
        "半失能：丧失的日常生活活动项数下限", "partly dependent from this many ADL items lost";
    tekun_care_full_items: u32 = "tekun.care.full_min_items", false,
        "全失能：丧失的日常生活活动项数下限", "fully dependent from this many ADL items lost";
    tekun_financial_months: u32 = "tekun.asset.financial_months", false,
        "特困金融资产上限（月低保标准的倍数）", "financial assets limit (months of the standard)";
    tekun_supporter_elderly_age: u32 = "tekun.supporter.elderly_age", false,
        "义务人视为无履行能力的年龄", "supporter unable from this age (with low income)";
    tekun_supporter_dibao_age: u32 = "tekun.supporter.dibao_age", false,
        "低保义务人视为无履行能力的年龄", "supporter on dibao unable from this age";
    prev_year_disposable_income: Money = "income.prev_year_disposable_monthly", true,
        "上年度人均可支配收入（折合每月）", "previous year's disposable income per head (monthly)";
    // ── 低保边缘、刚性支出困难 (§3) ──
    edge_income_multiple: Ratio = "edge.income_multiple", false,
        "低保边缘：人均收入低于标准的倍数", "marginal household: per-capita income below this multiple";
    edge_financial_months: u32 = "edge.asset.financial_months", false,
        "低保边缘金融资产上限（月低保标准的倍数）", "marginal household: financial assets limit";
    rigid_spending_share: Ratio = "rigid.spending_share", false,
        "刚性支出困难：近12个月刚性支出超过家庭总收入的比例", "rigid spending above this share of income";
    // ── 残疾人两项补贴 (S6, §6) ──
    disability_living_amount: Money = "disability.living.amount", false,
        "困难残疾人生活补贴（元/人/月）", "living subsidy for disabled people in hardship";
    disability_living_extend_to_edge: bool = "disability.living.extend_to_edge", false,
        "生活补贴扩大到低保边缘家庭", "living subsidy extended to marginal households";
    disability_care_amount: Money = "disability.care.amount", false,
        "重度残疾人护理补贴（元/人/月）", "care subsidy for severely disabled people";
    disability_care_include_mental_3_4: bool = "disability.care.include_mental_grade_3_4", false,
        "护理补贴扩大到三、四级智力和精神残疾人", "care subsidy extended to grade 3–4 intellectual and mental disability";
    disability_exclude_tekun: bool = "disability.exclude_tekun", false,
        "特困人员不享受两项补贴", "extreme-poverty recipients excluded from both subsidies";
    overlap_exclusive: Exclusive = "overlap.exclusive", false,
        "不得同时享受的救助项目", "programmes one person may not receive together";
    // ── 临时救助 (S14, §4) ──
    temporary_emergency_general: Ratio = "temporary.emergency.general", false,
        "急难型一般困难（户，月低保标准的倍数）", "emergency, general (household, months of the standard)";
    temporary_emergency_serious: Ratio = "temporary.emergency.serious", false,
        "急难型较重困难（户，月低保标准的倍数）", "emergency, serious";
    temporary_emergency_grave: Ratio = "temporary.emergency.grave", false,
        "急难型特别严重困难（户，月低保标准的倍数）", "emergency, grave";
    temporary_expenditure_general: Ratio = "temporary.expenditure.general", false,
        "支出型一般困难（每人，月低保标准的倍数）", "expenditure, general (per person, months of the standard)";
    temporary_expenditure_serious: Ratio = "temporary.expenditure.serious", false,
        "支出型较重困难（每人，月低保标准的倍数）", "expenditure, serious";
    temporary_expenditure_grave: Ratio = "temporary.expenditure.grave", false,
        "支出型特别严重困难（每人，月低保标准的倍数）", "expenditure, grave";
    temporary_township_limit: Money = "temporary.township_limit", false,
        "乡镇（街道）审批限额（元）", "township approval limit";
    temporary_case_by_case_above: Money = "temporary.case_by_case_above", false,
        "超过此金额实行一事一议（元）", "case-by-case decision above";
    temporary_advance_limit: Money = "temporary.advance_limit", false,
        "小额先行救助限额（元）", "small advance limit";
    // ── Decision bounds (S21; issue 15 F2) ──
    decision_monthly_cap: Money = "decision.monthly_cap", false,
        "低保、特困每户每月批准金额上限（元；高于规则核算金额须写明理由）", "monthly amount cap per household";
    decision_one_off_cap: Money = "decision.one_off_cap", false,
        "临时救助单次批准金额上限（元）", "one-off amount cap";
    // ── Procedure (S21; issue 16): statutory limits in working days, and the delegation ──
    procedure_delegated: bool = "procedure.delegated", false,
        "低保、特困、小额临时救助的审核确认权下放乡镇（街道）", "decisions delegated to the township";
    procedure_dibao_days: u32 = "procedure.dibao.days", false,
        "低保办理时限（工作日，县级审核确认）", "dibao time limit, county decides (working days)";
    procedure_dibao_days_delegated: u32 = "procedure.dibao.days_delegated", false,
        "低保办理时限（工作日，乡镇审核确认）", "dibao time limit, township decides (working days)";
    procedure_dibao_days_extended: u32 = "procedure.dibao.days_extended", false,
        "低保特殊情况延长后的时限（工作日）", "dibao extended limit (working days)";
    procedure_tekun_days: u32 = "procedure.tekun.days", false,
        "特困办理时限（工作日：乡镇 15 + 县级 15）", "tekun time limit (working days)";
    procedure_tekun_days_extended: u32 = "procedure.tekun.days_extended", false,
        "特困特殊情况延长后的时限（工作日）", "tekun extended limit (working days)";
    procedure_temporary_days: u32 = "procedure.temporary.days", false,
        "临时救助办理时限（工作日）", "temporary assistance time limit (working days)";
    procedure_temporary_days_extended: u32 = "procedure.temporary.days_extended", false,
        "临时救助特殊情况延长后的时限（工作日）", "temporary assistance extended limit (working days)";
    procedure_start_investigation_days: u32 = "procedure.start_investigation_days", false,
        "受理后启动调查的时限（工作日）", "start of the investigation after acceptance (working days)";
    procedure_refusal_notice_days: u32 = "procedure.refusal_notice_days", false,
        "不予批准书面通知时限（工作日）", "written refusal after the decision (working days)";
    procedure_notice_days: u32 = "procedure.notice_days", false,
        "公示期（天）", "public notice (days)";
    procedure_verification_valid_days: u32 = "procedure.verification_valid_days", false,
        "审核意见和审核确认所依据的经济状况核对报告有效期（天）", "a verification report supports an opinion or a decision for (days)";
    procedure_review_months_default: u32 = "procedure.review_months_default", false,
        "定期复核周期（月，决定未另定时）", "months between periodic reviews when the decision sets none";
    // ── 价格临时补贴 (S6, S16, §5) ──
    price_cpi_trigger: Ratio = "price.cpi_trigger", false,
        "CPI 同比涨幅启动条件", "CPI year-on-year trigger";
    price_food_cpi_trigger: Ratio = "price.food_cpi_trigger", false,
        "食品价格同比涨幅启动条件", "food CPI year-on-year trigger";
    price_include_edge: bool = "price.include_edge", false,
        "价格补贴包括低保边缘人员", "price subsidy covers marginal households";
    price_include_orphans: bool = "price.include_orphans", false,
        "价格补贴包括孤儿和事实无人抚养儿童", "price subsidy covers orphans";
    price_min_amount: Money = "price.min_amount", false,
        "价格补贴每人每月最低金额", "price subsidy floor per person and month";
}
