//! S5: 特困人员救助供养 — posted for 7 days before the decision, then supported monthly; the
//! approval sets the care tier from the self-care assessment (43号 Art. 20–23) and the mode of
//! support, naming the caregiver of 分散供养 (Art. 16).

use jiuzhu_domain::case::{Action, CaseKind};
use serde::{Deserialize, Serialize};

use crate::decision::{
    AMOUNT, Answers, Decision, Field, FieldProblem, Input, Proposal, Refusal, Shown,
};
use crate::spec::{Payment, ProgrammeSpec};
use crate::workflow::NOTICED;

/// 特困.
pub const KIND: CaseKind = CaseKind::new(
    "tekun",
    "特困人员救助供养",
    "support for people in extreme poverty",
);

/// How 特困 support is given (43号 Art. 16).
pub const CARE_MODES: [&str; 2] = ["集中供养", "分散供养"];

const ADL_LOST: Field = Field {
    name: "adl_lost",
    zh: "不能自理的项目数",
    hint: "生活自理能力评估：吃饭、穿衣、上下床、如厕、室内行走、洗澡，0–6 项",
    en: "ADL items lost (0–6)",
    actions: &[Action::Approve],
    input: Input::Whole {
        min: 0,
        max: 6,
        default: None,
        unit: "项",
    },
    required: true,
};

const CARE_MODE: Field = Field {
    name: "care_mode",
    zh: "供养方式",
    hint: "集中供养或分散供养",
    en: "Mode of support",
    actions: &[Action::Approve],
    input: Input::Choice(&CARE_MODES),
    required: true,
};

const CAREGIVER: Field = Field {
    name: "caregiver",
    zh: "照料服务人",
    hint: "分散供养须确定",
    en: "Caregiver (分散供养)",
    actions: &[Action::Approve],
    input: Input::Text,
    required: false,
};

/// What a 特困 approval keeps besides the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TekunDecision {
    /// ADL items the person cannot do (absent in records carried from before issue 16).
    #[serde(default)]
    pub adl_lost: Option<u8>,
    /// 全自理 / 半失能 / 全失能.
    #[serde(default)]
    pub care_tier: Option<String>,
    /// 集中供养 or 分散供养.
    #[serde(default)]
    pub care_mode: Option<String>,
    /// 分散供养: the assigned caregiver.
    #[serde(default)]
    pub caregiver: Option<String>,
}

fn decide(p: &Proposal<'_>, a: &Answers) -> Result<Decision, Refusal> {
    if p.action != Action::Approve {
        return Ok(Decision::default());
    }
    let mode = a.choice(CARE_MODE.name);
    let caregiver = a.text(CAREGIVER.name);
    if mode == Some("分散供养") && caregiver.chars().count() < 2 {
        return Err(FieldProblem::new(
            CAREGIVER.name,
            "分散供养须确定照料服务人",
            "a caregiver is needed for 分散供养",
        )
        .into());
    }
    let (Some(adl), Some(mode)) = (a.whole(ADL_LOST.name), mode) else {
        // The fields' own errors are reported by the caller.
        return Err(Refusal::Fields(vec![]));
    };
    let adl = u8::try_from(adl).unwrap_or(6);
    let tier = jiuzhu_rules::programmes::tekun::care_tier(adl, p.params);
    let record = TekunDecision {
        adl_lost: Some(adl),
        care_tier: Some(tier.zh().to_owned()),
        care_mode: Some(mode.to_owned()),
        caregiver: (!caregiver.is_empty()).then(|| caregiver.to_owned()),
    };
    Ok(Decision {
        record: Some(serde_json::to_value(record).expect("plain record")),
        ..Decision::default()
    })
}

fn describe(v: &serde_json::Value) -> Vec<Shown> {
    let Ok(d) = serde_json::from_value::<TekunDecision>(v.clone()) else {
        return vec![];
    };
    let mut out = vec![];
    if let Some(t) = d.care_tier {
        out.push(Shown {
            label: "护理等级",
            value: t,
        });
    }
    if let Some(m) = d.care_mode {
        out.push(Shown {
            label: "供养方式",
            value: m,
        });
    }
    if let Some(g) = d.caregiver {
        out.push(Shown {
            label: "照料服务人",
            value: g,
        });
    }
    out
}

/// 特困.
pub const SPEC: ProgrammeSpec = ProgrammeSpec {
    kind: KIND,
    order: 20,
    catalogue: &["S5", "S20", "S21"],
    moves: NOTICED,
    // 43号 Art. 12, 15: 15 working days for the township, 15 for the county.
    limits: |p| {
        crate::spec::limits_with(p, p.procedure_tekun_days, p.procedure_tekun_days_extended)
    },
    standing_list: true,
    assessed_as: Some(jiuzhu_rules::Programme::Tekun),
    hardship: None,
    where_it_happens: false,
    needs_verification: true,
    investigation_record: true,
    payment: Payment::Monthly,
    cap: |p| (p.decision_monthly_cap, "每户每月批准金额上限"),
    fields: &[AMOUNT, ADL_LOST, CARE_MODE, CAREGIVER],
    decide,
    describe,
    record_version: 1,
};

inventory::submit!(SPEC);
