//! The kinds of value a policy parameter can hold, each parsed from TOML exactly (money as
//! yuan strings, ratios as decimal strings, never floats) and shown back in Chinese.

use crate::ratio::Ratio;
use jiuzhu_domain::Money;
use serde::Serialize;

/// A kind of parameter value: how it is read from TOML and how it is shown.
pub trait ParamKind: Sized + Clone {
    /// Name of the kind in error messages.
    const KIND: &'static str;
    /// Reads a TOML value, or says what was expected.
    fn from_toml(v: &toml::Value) -> Result<Self, String>;
    /// The value as people read it (元, ×, %, months …).
    fn show(&self) -> String;
}

impl ParamKind for Money {
    const KIND: &'static str = "金额（元）";
    fn from_toml(v: &toml::Value) -> Result<Self, String> {
        match v {
            toml::Value::String(s) => Money::parse_non_negative_yuan(s).map_err(|e| e.to_string()),
            toml::Value::Integer(i) if *i >= 0 => i
                .checked_mul(100)
                .map(Money::from_fen)
                .ok_or_else(|| "金额超出范围".to_owned()),
            toml::Value::Float(_) => {
                Err("金额须写成字符串，如 \"680.00\"（不用浮点数）".to_owned())
            }
            _ => Err("应为金额（元），如 \"680.00\"".to_owned()),
        }
    }
    fn show(&self) -> String {
        format!("{} 元", self.yuan_string())
    }
}

impl ParamKind for Ratio {
    const KIND: &'static str = "比例";
    fn from_toml(v: &toml::Value) -> Result<Self, String> {
        match v {
            toml::Value::String(s) => Ratio::parse(s)
                .filter(|r| r.ppm() >= 0)
                .ok_or_else(|| format!("比例格式错误：{s}（应如 \"1.5\" 或 \"20%\"）")),
            toml::Value::Integer(i) if *i >= 0 => Ok(Ratio::from_ppm(i * 1_000_000)),
            _ => Err("比例须写成字符串，如 \"1.5\" 或 \"20%\"".to_owned()),
        }
    }
    fn show(&self) -> String {
        if self.ppm() < 1_000_000 {
            self.percent_string()
        } else {
            format!("{self} 倍")
        }
    }
}

impl ParamKind for u32 {
    const KIND: &'static str = "整数";
    fn from_toml(v: &toml::Value) -> Result<Self, String> {
        match v {
            toml::Value::Integer(i) => u32::try_from(*i).map_err(|_| "应为非负整数".to_owned()),
            _ => Err("应为整数".to_owned()),
        }
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl ParamKind for bool {
    const KIND: &'static str = "是/否";
    fn from_toml(v: &toml::Value) -> Result<Self, String> {
        v.as_bool().ok_or_else(|| "应为 true 或 false".to_owned())
    }
    fn show(&self) -> String {
        if *self { "是" } else { "否" }.to_owned()
    }
}

/// A supplement or allowance: a share of the 低保 standard or a fixed amount (S4: each county
/// chooses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Amount {
    /// A share of the monthly 低保 standard, written `"10%"`.
    Share(Ratio),
    /// A fixed monthly amount, written `"50.00"`.
    Fixed(Money),
}

impl Amount {
    /// The amount for a given monthly standard.
    pub fn of(self, standard: Money) -> Money {
        match self {
            Amount::Share(r) => r.of(standard),
            Amount::Fixed(m) => m,
        }
    }
}

impl ParamKind for Amount {
    const KIND: &'static str = "标准的百分比或固定金额";
    fn from_toml(v: &toml::Value) -> Result<Self, String> {
        match v {
            toml::Value::String(s) if s.trim().ends_with('%') => {
                Ratio::from_toml(v).map(Amount::Share)
            }
            toml::Value::String(_) | toml::Value::Integer(_) => {
                Money::from_toml(v).map(Amount::Fixed)
            }
            _ => Err("应为 \"10%\"（标准的百分比）或 \"50.00\"（固定金额）".to_owned()),
        }
    }
    fn show(&self) -> String {
        match self {
            Amount::Share(r) => format!("低保标准的 {}", r.percent_string()),
            Amount::Fixed(m) => m.show(),
        }
    }
}

/// How a county pays 低保 (S4: 分档或…实际差额按月发放).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Method {
    /// 差额: (standard − per-capita income) × members.
    Difference,
    /// 分档: a per-person amount by the tier the per-capita income falls in.
    Tiers,
}

impl ParamKind for Method {
    const KIND: &'static str = "差额 或 分档";
    fn from_toml(v: &toml::Value) -> Result<Self, String> {
        match v.as_str() {
            Some("差额" | "difference") => Ok(Method::Difference),
            Some("分档" | "tiers") => Ok(Method::Tiers),
            _ => Err("应为 \"差额\" 或 \"分档\"".to_owned()),
        }
    }
    fn show(&self) -> String {
        match self {
            Method::Difference => "差额",
            Method::Tiers => "分档",
        }
        .to_owned()
    }
}

/// How several supplements of one person combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Combine {
    /// Only the highest applies.
    Highest,
    /// All apply.
    Sum,
}

impl ParamKind for Combine {
    const KIND: &'static str = "就高 或 累加";
    fn from_toml(v: &toml::Value) -> Result<Self, String> {
        match v.as_str() {
            Some("就高" | "highest") => Ok(Combine::Highest),
            Some("累加" | "sum") => Ok(Combine::Sum),
            _ => Err("应为 \"就高\" 或 \"累加\"".to_owned()),
        }
    }
    fn show(&self) -> String {
        match self {
            Combine::Highest => "就高",
            Combine::Sum => "累加",
        }
        .to_owned()
    }
}

/// One 分档 tier: per-capita income below `below` × standard pays `pay` × standard a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tier {
    /// Upper bound (exclusive) of per-capita income, as a multiple of the standard.
    pub below: Ratio,
    /// Monthly amount per person, as a multiple of the standard.
    pub pay: Ratio,
}

/// The 分档 table, lowest income first; the last tier's `below` must be 1 (the standard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tiers(pub Vec<Tier>);

impl ParamKind for Tiers {
    const KIND: &'static str = "分档表";
    fn from_toml(v: &toml::Value) -> Result<Self, String> {
        let arr = v
            .as_array()
            .ok_or("分档表应为数组，如 [{ below = \"0.5\", pay = \"60%\" }]")?;
        let mut tiers = Vec::with_capacity(arr.len());
        for (i, t) in arr.iter().enumerate() {
            let get = |k: &str| {
                t.get(k)
                    .ok_or_else(|| format!("第 {} 档缺少 {k}", i + 1))
                    .and_then(|x| {
                        Ratio::from_toml(x).map_err(|e| format!("第 {} 档 {k}：{e}", i + 1))
                    })
            };
            tiers.push(Tier {
                below: get("below")?,
                pay: get("pay")?,
            });
        }
        if tiers.is_empty() {
            return Err("分档表不能为空".to_owned());
        }
        if tiers.windows(2).any(|w| w[0].below >= w[1].below) {
            return Err("各档 below 应从低到高递增".to_owned());
        }
        if tiers.last().map(|t| t.below) != Some(Ratio::ONE) {
            return Err("最后一档的 below 应为 \"1\"（即低保标准）".to_owned());
        }
        Ok(Tiers(tiers))
    }
    fn show(&self) -> String {
        self.0
            .iter()
            .map(|t| {
                format!(
                    "人均收入低于标准的 {} 时每人 {}",
                    t.below.percent_string(),
                    t.pay.percent_string()
                )
            })
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Programmes one person may not receive together (POLICY-FACTS §6 overlaps; 43号 Art. 4 with
/// 57号: 特困 people are not also counted for 低保), as pairs in the policy file:
/// `[["dibao", "tekun"], …]` with the programme names of the rules' output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exclusive(pub Vec<(crate::programme::Programme, crate::programme::Programme)>);

impl Exclusive {
    /// The pairs that include `p`, as the other programme of each.
    pub fn partners(
        &self,
        p: crate::programme::Programme,
    ) -> impl Iterator<Item = crate::programme::Programme> + '_ {
        self.0.iter().filter_map(move |(a, b)| {
            if *a == p {
                Some(*b)
            } else if *b == p {
                Some(*a)
            } else {
                None
            }
        })
    }
}

impl ParamKind for Exclusive {
    const KIND: &'static str = "不得同时享受的项目";
    fn from_toml(v: &toml::Value) -> Result<Self, String> {
        let arr = v
            .as_array()
            .ok_or("应为项目对的数组，如 [[\"dibao\", \"tekun\"]]")?;
        let mut pairs = Vec::with_capacity(arr.len());
        for (i, pair) in arr.iter().enumerate() {
            let items = pair
                .as_array()
                .filter(|x| x.len() == 2)
                .ok_or_else(|| format!("第 {} 对应为两个项目", i + 1))?;
            let mut got = Vec::with_capacity(2);
            for item in items {
                let name = item.as_str().unwrap_or_default();
                let p: crate::programme::Programme =
                    serde_json::from_value(serde_json::Value::String(name.to_owned()))
                        .map_err(|_| format!("第 {} 对：未知项目 {item}", i + 1))?;
                got.push(p);
            }
            if got[0] == got[1] {
                return Err(format!("第 {} 对的两个项目相同", i + 1));
            }
            pairs.push((got[0], got[1]));
        }
        Ok(Exclusive(pairs))
    }
    fn show(&self) -> String {
        self.0
            .iter()
            .map(|(a, b)| format!("{}与{}", a.zh(), b.zh()))
            .collect::<Vec<_>>()
            .join("；")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> toml::Value {
        toml::from_str::<toml::Table>(&format!("x = {s}")).unwrap()["x"].clone()
    }

    #[test]
    fn money_is_read_from_yuan_strings_or_whole_yuan_never_floats() {
        assert_eq!(Money::from_toml(&v("\"680.50\"")).unwrap().fen(), 68_050);
        assert_eq!(Money::from_toml(&v("680")).unwrap().fen(), 68_000);
        assert!(
            Money::from_toml(&v("680.5"))
                .unwrap_err()
                .contains("不用浮点数")
        );
        assert!(Money::from_toml(&v("\"-1\"")).is_err());
        assert!(Money::from_toml(&v("true")).is_err());
    }

    #[test]
    fn an_amount_is_a_share_with_a_percent_sign_or_a_fixed_sum() {
        let standard = Money::from_yuan(730);
        assert_eq!(
            Amount::from_toml(&v("\"20%\"")).unwrap().of(standard).fen(),
            14_600
        );
        assert_eq!(
            Amount::from_toml(&v("\"50.00\""))
                .unwrap()
                .of(standard)
                .fen(),
            5_000
        );
        assert!(Amount::from_toml(&v("1.5")).is_err());
        assert_eq!(
            Amount::Share(Ratio::parse("20%").unwrap()).show(),
            "低保标准的 20%"
        );
    }

    #[test]
    fn methods_and_combinations_accept_chinese_or_english_names_only() {
        assert_eq!(Method::from_toml(&v("\"分档\"")), Ok(Method::Tiers));
        assert_eq!(
            Method::from_toml(&v("\"difference\"")),
            Ok(Method::Difference)
        );
        assert!(Method::from_toml(&v("\"按户\"")).is_err());
        assert_eq!(Combine::from_toml(&v("\"累加\"")), Ok(Combine::Sum));
        assert!(Combine::from_toml(&v("1")).is_err());
    }

    #[test]
    fn tier_tables_rise_and_end_at_the_standard() {
        let ok = Tiers::from_toml(&v(
            "[{ below = \"0.5\", pay = \"60%\" }, { below = \"1\", pay = \"30%\" }]",
        ))
        .unwrap();
        assert_eq!(ok.0.len(), 2);
        assert!(Tiers::from_toml(&v("[]")).unwrap_err().contains("不能为空"));
        assert!(
            Tiers::from_toml(&v(
                "[{ below = \"1\", pay = \"60%\" }, { below = \"0.5\", pay = \"30%\" }]"
            ))
            .unwrap_err()
            .contains("递增")
        );
        assert!(
            Tiers::from_toml(&v("[{ below = \"1\" }]"))
                .unwrap_err()
                .contains("缺少 pay")
        );
    }

    #[test]
    fn counts_and_switches_are_typed() {
        assert_eq!(u32::from_toml(&v("6")), Ok(6));
        assert!(u32::from_toml(&v("-1")).is_err());
        assert!(u32::from_toml(&v("\"6\"")).is_err());
        assert_eq!(bool::from_toml(&v("true")), Ok(true));
        assert!(bool::from_toml(&v("\"是\"")).is_err());
        assert_eq!(Ratio::from_toml(&v("\"1.5\"")).unwrap().show(), "1.5 倍");
        assert_eq!(Ratio::from_toml(&v("\"20%\"")).unwrap().show(), "20%");
    }
}
