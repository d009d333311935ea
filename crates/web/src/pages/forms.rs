//! Form plumbing shared by the pages: field errors by name, select options, and the person
//! fields used by the new-household, add-member and edit-person forms.

use jiuzhu_app::FieldError;
use jiuzhu_app::registry::PersonInput;
use jiuzhu_domain::person::*;

use crate::PageCtx;

/// Field errors of a form, looked up by field name.
#[derive(Debug, Clone, Default)]
pub struct FieldErrs {
    errors: Vec<FieldError>,
    lang: PageCtx,
}

impl FieldErrs {
    /// Errors whose field starts with `prefix`, with the prefix removed (`members[0].name` →
    /// `name`).
    pub fn new(errors: &[FieldError], prefix: &str, lang: &PageCtx) -> Self {
        let errors = errors
            .iter()
            .filter_map(|e| {
                e.field.strip_prefix(prefix).map(|f| FieldError {
                    field: f.to_owned(),
                    ..e.clone()
                })
            })
            .collect();
        FieldErrs {
            errors,
            lang: lang.clone(),
        }
    }

    /// The message for a field, or an empty string.
    pub fn get(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| {
                if self.lang.is_en() {
                    e.message_en.clone()
                } else {
                    e.message.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("；")
    }

    /// Whether any error exists.
    pub fn any(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Every message (for the summary at the top of a form).
    pub fn all(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| {
                format!(
                    "{}：{}",
                    e.field,
                    if self.lang.is_en() {
                        &e.message_en
                    } else {
                        &e.message
                    }
                )
            })
            .collect()
    }
}

/// One option of a select.
#[derive(Debug, Clone)]
pub struct Opt {
    /// Submitted value.
    pub value: String,
    /// Shown label.
    pub label: String,
    /// Whether selected.
    pub selected: bool,
}

/// Options of a vocabulary select, with the current value (code or label) selected.
pub fn options<T: Copy>(
    all: &[T],
    current: &str,
    code: fn(T) -> &'static str,
    zh: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
    l: &PageCtx,
    blank: bool,
) -> Vec<Opt> {
    let mut v = vec![];
    if blank {
        v.push(Opt {
            value: String::new(),
            label: l.t("（无）", "(none)").into(),
            selected: current.trim().is_empty(),
        });
    }
    for x in all {
        let c = code(*x);
        v.push(Opt {
            value: c.to_owned(),
            label: if l.is_en() { en(*x) } else { zh(*x) }.to_owned(),
            selected: current == c || current == zh(*x),
        });
    }
    v
}

/// The person fields of a form, filled with what was entered and the errors of each field.
pub struct PersonForm {
    /// Values entered.
    pub p: PersonInput,
    /// Errors.
    pub e: FieldErrs,
    /// Whether the relation select is shown.
    pub with_relation: bool,
    /// Whether the ID number may be entered (not when editing).
    pub id_editable: bool,
    /// 与户主关系.
    pub relation: Vec<Opt>,
    /// 户籍性质.
    pub hukou: Vec<Opt>,
    /// 残疾类别.
    pub disability: Vec<Opt>,
    /// 残疾等级.
    pub grade: Vec<Opt>,
    /// 劳动能力.
    pub labour: Vec<Opt>,
    /// 就业状况.
    pub employment: Vec<Opt>,
    /// 就学阶段.
    pub school: Vec<Opt>,
    /// 特殊身份.
    pub special: Vec<Opt>,
    /// ADL items: (code, label, checked).
    pub adl: Vec<Opt>,
}

impl PersonForm {
    /// A form over `p` with the errors under `prefix`.
    pub fn new(
        p: PersonInput,
        errors: &[FieldError],
        prefix: &str,
        l: &PageCtx,
        with_relation: bool,
        id_editable: bool,
    ) -> Self {
        let lost: Vec<&str> = p.adl_lost.split([',', '，', '、']).map(str::trim).collect();
        let grade_opts = {
            let mut v = vec![Opt {
                value: String::new(),
                label: l.t("（无）", "(none)").into(),
                selected: p.disability_grade.is_empty(),
            }];
            for g in 1..=4 {
                v.push(Opt {
                    value: g.to_string(),
                    label: format!("{g}{}", l.t("级", "")),
                    selected: DisabilityGrade::parse(&p.disability_grade).map(|x| x.get())
                        == Some(g),
                });
            }
            v
        };
        PersonForm {
            e: FieldErrs::new(errors, prefix, l),
            with_relation,
            id_editable,
            relation: options(
                Relation::ALL,
                &p.relation,
                Relation::code,
                Relation::zh,
                Relation::en,
                l,
                false,
            ),
            hukou: options(
                HukouType::ALL,
                &p.hukou_type,
                HukouType::code,
                HukouType::zh,
                HukouType::en,
                l,
                false,
            ),
            disability: options(
                DisabilityCategory::ALL,
                &p.disability_category,
                DisabilityCategory::code,
                DisabilityCategory::zh,
                DisabilityCategory::en,
                l,
                true,
            ),
            grade: grade_opts,
            labour: options(
                LabourCapacity::ALL,
                &p.labour_capacity,
                LabourCapacity::code,
                LabourCapacity::zh,
                LabourCapacity::en,
                l,
                false,
            ),
            employment: options(
                EmploymentStatus::ALL,
                &p.employment_status,
                EmploymentStatus::code,
                EmploymentStatus::zh,
                EmploymentStatus::en,
                l,
                false,
            ),
            school: options(
                SchoolStage::ALL,
                &p.school_stage,
                SchoolStage::code,
                SchoolStage::zh,
                SchoolStage::en,
                l,
                true,
            ),
            special: options(
                SpecialStatus::ALL,
                &p.special_status,
                SpecialStatus::code,
                SpecialStatus::zh,
                SpecialStatus::en,
                l,
                true,
            ),
            adl: AdlLost::ITEMS
                .iter()
                .map(|(code, zh, en)| Opt {
                    value: (*code).into(),
                    label: l.t(zh, en).into(),
                    selected: lost.contains(code) || lost.contains(zh),
                })
                .collect(),
            p,
        }
    }
}

/// Reads person fields from posted form pairs (`adl_lost` may repeat, one per checkbox).
pub fn person_from_pairs(pairs: &[(String, String)]) -> PersonInput {
    let mut p = PersonInput::default();
    for (k, v) in pairs {
        p.set_field(k, v.clone());
    }
    p
}

/// The value of a posted field.
pub fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Person input prefilled from a stored person (for the edit form). The reveal control holds
/// here too (issue 15 F3): the name, phone, bank account and illness are *not* sent — the
/// fields come empty, which keeps the stored value (`-` clears one); the full values are seen
/// only through 查看完整信息, with a reason, audited.
pub fn person_input_of(p: &jiuzhu_storage::models::PersonRow) -> PersonInput {
    let adl = AdlLost::from_bits(p.adl_lost).unwrap_or_default();
    PersonInput {
        name: String::new(),
        id_number: String::new(),
        relation: String::new(),
        hukou_region_code: p.hukou_region_code.clone(),
        hukou_type: p.hukou_type.clone(),
        residence_region_code: p.residence_region_code.clone(),
        residence_permit: if p.residence_permit {
            "是".into()
        } else {
            "否".into()
        },
        disability_category: p.disability_category.clone().unwrap_or_default(),
        disability_grade: p
            .disability_grade
            .map(|g| g.to_string())
            .unwrap_or_default(),
        serious_illness: String::new(),
        labour_capacity: p.labour_capacity.clone(),
        adl_lost: (0..6)
            .filter(|i| adl.has(*i))
            .map(|i| AdlLost::ITEMS[i].0)
            .collect::<Vec<_>>()
            .join(","),
        employment_status: p.employment_status.clone(),
        school_stage: p.school_stage.clone().unwrap_or_default(),
        special_status: p.special_status.clone().unwrap_or_default(),
        death_date: p.death_date.map(|d| d.to_string()).unwrap_or_default(),
        phone: String::new(),
        bank_name: p.bank_name.clone().unwrap_or_default(),
        bank_account: String::new(),
    }
}
