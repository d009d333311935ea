//! S2: the programmes of the Anyang policy and the department in charge of each — the
//! vocabulary the parameters (exclusive pairs) and the answer both speak.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::labels::labelled;

labelled! {
    /// A programme of the Anyang policy (S2–S16).
    Programme {
        /// 最低生活保障 (S4).
        Dibao = ("最低生活保障", "minimum living guarantee"),
        /// 特困人员救助供养 (S5).
        Tekun = ("特困人员救助供养", "support for people in extreme poverty"),
        /// 低保边缘家庭 (§3).
        Edge = ("低保边缘家庭", "low-income marginal household"),
        /// 刚性支出困难家庭 (§3).
        RigidSpending = ("刚性支出困难家庭", "household in hardship from rigid spending"),
        /// 困难残疾人生活补贴 (S6).
        DisabilityLiving = ("困难残疾人生活补贴", "living subsidy for disabled people in hardship"),
        /// 重度残疾人护理补贴 (S6).
        DisabilityCare = ("重度残疾人护理补贴", "care subsidy for severely disabled people"),
        /// 临时救助 (S14).
        Temporary = ("临时救助", "temporary assistance"),
        /// 价格临时补贴 (S16).
        PriceSubsidy = ("价格临时补贴", "temporary price subsidy"),
        /// 医疗救助 (S8).
        Medical = ("医疗救助", "medical assistance"),
        /// 教育救助 (S9).
        Education = ("教育救助", "education assistance"),
        /// 住房救助 (S10).
        Housing = ("住房救助", "housing assistance"),
        /// 就业救助 (S11).
        Employment = ("就业救助", "employment assistance"),
        /// 受灾人员救助 (S12).
        Disaster = ("受灾人员救助", "disaster relief"),
    }
}

labelled! {
    /// Who handles a programme (一门受理、协同办理, S20).
    Department {
        /// 乡镇（街道）民政.
        CivilAffairs = ("民政", "civil affairs"),
        /// 残联.
        DisabledPersons = ("残联", "disabled persons' federation"),
        /// 医疗保障.
        MedicalSecurity = ("医保", "medical security"),
        /// 教育.
        Education = ("教育", "education"),
        /// 住房和城乡建设.
        Housing = ("住建", "housing"),
        /// 人力资源和社会保障.
        HumanResources = ("人社", "human resources and social security"),
        /// 应急管理.
        Emergency = ("应急", "emergency management"),
    }
}

impl Programme {
    /// The department in charge (S2, S20).
    pub fn department(self) -> Department {
        match self {
            Programme::Dibao
            | Programme::Tekun
            | Programme::Edge
            | Programme::RigidSpending
            | Programme::Temporary
            | Programme::PriceSubsidy => Department::CivilAffairs,
            Programme::DisabilityLiving | Programme::DisabilityCare => Department::DisabledPersons,
            Programme::Medical => Department::MedicalSecurity,
            Programme::Education => Department::Education,
            Programme::Housing => Department::Housing,
            Programme::Employment => Department::HumanResources,
            Programme::Disaster => Department::Emergency,
        }
    }
}
