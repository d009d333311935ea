//! The other agencies' data that household economic-status verification (核对, S22; 57号
//! Art. 17) checks: the 11 sources and the kinds of record each delivers.

use crate::vocab::vocabulary;
use serde::{Deserialize, Serialize};

vocabulary! {
    /// A data source (数据来源): the agency and register a record comes from.
    Source {
        /// 户籍 (公安).
        Hukou = ("hukou", "户籍", "household registration"),
        /// 纳税 (税务).
        Tax = ("tax", "纳税", "tax"),
        /// 社保缴纳 (人社).
        SocialInsurance = ("social_insurance", "社保缴纳", "social insurance"),
        /// 不动产 (自然资源).
        RealEstate = ("real_estate", "不动产", "real estate"),
        /// 市场主体 (市场监管).
        Business = ("business", "市场主体", "business registration"),
        /// 住房公积金.
        HousingFund = ("housing_fund", "住房公积金", "housing provident fund"),
        /// 车船 (公安交管、海事).
        Vehicle = ("vehicle", "车船", "vehicles and vessels"),
        /// 银行.
        Bank = ("bank", "银行", "bank"),
        /// 商业保险.
        Insurance = ("insurance", "商业保险", "commercial insurance"),
        /// 证券.
        Securities = ("securities", "证券", "securities"),
        /// 互联网金融资产.
        InternetFinance = ("internet_finance", "互联网金融资产", "internet finance"),
        /// 医保 (医疗保障局): not one of the 11 verification sources of 57号 Art. 17, but the
        /// 低收入人口动态监测 that active discovery (S20) rests on reads large medical costs here.
        MedicalInsurance = ("medical_insurance", "医保", "medical insurance"),
    }
}

vocabulary! {
    /// What a record says (记录类型). Each kind belongs to one source.
    RecordType {
        /// 死亡注销 (户籍).
        Death = ("death", "死亡", "death"),
        /// 户口迁出 (户籍).
        MovedOut = ("moved_out", "户口迁出", "moved out"),
        /// 纳税申报的收入 (纳税), monthly amount over the period.
        TaxedIncome = ("taxed_income", "纳税收入", "taxed income"),
        /// 社保缴费 (就业的迹象).
        Contribution = ("contribution", "社保缴费", "social-insurance contribution"),
        /// 养老金领取.
        Pension = ("pension", "养老金", "pension"),
        /// 财政供养人员 (机关事业单位在编).
        PublicPayroll = ("public_payroll", "财政供养人员", "public payroll"),
        /// 住房.
        Home = ("home", "住房", "home"),
        /// 非住宅不动产.
        OtherProperty = ("other_property", "非住宅不动产", "other real estate"),
        /// 市场主体登记 (法定代表人、股东、个体工商户).
        Company = ("company", "市场主体", "business"),
        /// 公积金缴存.
        FundContribution = ("fund_contribution", "公积金缴存", "housing-fund contribution"),
        /// 机动车.
        Car = ("car", "机动车", "vehicle"),
        /// 船舶.
        Vessel = ("vessel", "船舶", "vessel"),
        /// 存款余额.
        Deposit = ("deposit", "存款", "deposit"),
        /// 商业保险现金价值.
        Policy = ("policy", "商业保险", "insurance policy"),
        /// 证券市值.
        Holding = ("holding", "证券", "securities holding"),
        /// 互联网金融资产余额.
        OnlineAsset = ("online_asset", "互联网金融资产", "internet finance asset"),
        /// 个人自付医疗费用 (医保结算), total over the period.
        MedicalCost = ("medical_cost", "自付医疗费用", "out-of-pocket medical costs"),
    }
}

impl RecordType {
    /// The source that delivers this kind.
    pub fn source(self) -> Source {
        use RecordType::*;
        match self {
            Death | MovedOut => Source::Hukou,
            TaxedIncome => Source::Tax,
            Contribution | Pension | PublicPayroll => Source::SocialInsurance,
            Home | OtherProperty => Source::RealEstate,
            Company => Source::Business,
            FundContribution => Source::HousingFund,
            Car | Vessel => Source::Vehicle,
            Deposit => Source::Bank,
            Policy => Source::Insurance,
            Holding => Source::Securities,
            OnlineAsset => Source::InternetFinance,
            MedicalCost => Source::MedicalInsurance,
        }
    }

    /// Whether the record needs an amount (income per month, a balance or a value).
    pub fn needs_amount(self) -> bool {
        use RecordType::*;
        matches!(
            self,
            TaxedIncome | Pension | Deposit | Policy | Holding | OnlineAsset | MedicalCost
        )
    }

    /// The kinds a source delivers.
    pub fn of(source: Source) -> impl Iterator<Item = RecordType> {
        RecordType::ALL
            .iter()
            .copied()
            .filter(move |k| k.source() == source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_delivers_at_least_one_kind_and_every_kind_one_source() {
        for s in Source::ALL {
            assert!(RecordType::of(*s).count() > 0, "{s:?}");
        }
        // The 11 verification sources of 57号 Art. 17 and 医保 for active discovery.
        assert_eq!(Source::ALL.len(), 12);
        assert_eq!(RecordType::parse("死亡"), Some(RecordType::Death));
        assert_eq!(RecordType::Car.source(), Source::Vehicle);
        assert!(RecordType::Deposit.needs_amount() && !RecordType::Company.needs_amount());
    }
}
