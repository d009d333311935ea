//! Reading and checking a policy file, and resolving it for one region, area and date.
//!
//! A file has a `[policy]` header and one `[[key]]` array of entries per parameter:
//!
//! ```toml
//! [[dibao.standard]]
//! region = "4105"            # the city; a county or township entry overrides it
//! from = "2025-01-01"
//! until = "2025-12-31"       # optional; inclusive
//! urban = "720.00"           # or `value = …` when urban and rural are the same
//! rural = "520.00"
//! cite = "安办〔2021〕11号 §4"
//! illustrative = true        # 示例值: no confirmed local figure
//! ```
//!
//! Loading refuses unknown keys and fields, unknown or outside regions, values of the wrong
//! kind, overlapping or gapped dates for one key and region, and a jurisdiction-level value
//! missing from `valid_from` on — each error naming file, key, entry and clause.

use super::catalogue::{CATALOGUE, Params};
use super::spec::{Origin, PolicyError};
use chrono::NaiveDate;
use jiuzhu_domain::RegionCode;
use jiuzhu_domain::person::HukouType;
use std::collections::BTreeMap;

/// One dated, cited value of one parameter for one region.
#[derive(Debug, Clone)]
pub struct Entry {
    /// 1-based position among the key's entries in the file.
    pub number: usize,
    /// The region it applies to (and, by inheritance, everything inside it).
    pub region: RegionCode,
    /// First day in force.
    pub from: NaiveDate,
    /// Last day in force, if it ends.
    pub until: Option<NaiveDate>,
    value: Option<toml::Value>,
    urban: Option<toml::Value>,
    rural: Option<toml::Value>,
    /// Citation.
    pub cite: String,
    /// 示例值.
    pub illustrative: bool,
}

impl Entry {
    fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }

    fn value_for(&self, area: HukouType) -> &toml::Value {
        let split = match area {
            HukouType::Urban => self.urban.as_ref(),
            HukouType::Rural => self.rural.as_ref(),
        };
        split
            .or(self.value.as_ref())
            .expect("checked at load: a value or both urban and rural")
    }
}

/// A loaded, checked policy file.
#[derive(Debug, Clone)]
pub struct PolicySet {
    /// File name as given (errors and explanations name it).
    pub file: String,
    /// The jurisdiction (city) the file is for.
    pub jurisdiction: RegionCode,
    /// Title.
    pub name: String,
    /// Version label of the file (stored with every result, so that a re-run can be compared).
    pub version: String,
    /// First date the file answers for.
    pub valid_from: NaiveDate,
    /// A note shown with the parameters (e.g. that values are illustrative).
    pub note: String,
    /// Entries per catalogue index.
    entries: Vec<Vec<Entry>>,
}

const ENTRY_FIELDS: [&str; 8] = [
    "region",
    "from",
    "until",
    "value",
    "urban",
    "rural",
    "cite",
    "illustrative",
];

impl PolicySet {
    /// Reads and checks a policy file. `known_region` says whether a region code exists.
    pub fn parse(
        file: &str,
        text: &str,
        known_region: &dyn Fn(&RegionCode) -> bool,
    ) -> Result<Self, PolicyError> {
        Self::parse_files(file, &[(file.to_owned(), text.to_owned())], known_region)
    }

    /// Reads and checks a policy split over several files (`policy/anyang/`: the `[policy]`
    /// header in one, each programme's parameters in its own): errors name the file they are
    /// in; a parameter is in one file only.
    pub fn parse_files(
        name: &str,
        files: &[(String, String)],
        known_region: &dyn Fn(&RegionCode) -> bool,
    ) -> Result<Self, PolicyError> {
        let mut roots = Vec::with_capacity(files.len());
        for (file, text) in files {
            let root: toml::Table = text.parse().map_err(|e: toml::de::Error| {
                PolicyError::file(file, format!("TOML 格式错误：{e}"))
            })?;
            roots.push((file.as_str(), root));
        }
        let headed: Vec<&(&str, toml::Table)> = roots
            .iter()
            .filter(|(_, r)| r.contains_key("policy"))
            .collect();
        let (head_file, header) = match headed.as_slice() {
            [(f, r)] => (*f, r.get("policy").and_then(|v| v.as_table())),
            [] => (name, None),
            [_, (f, _), ..] => {
                return Err(PolicyError::file(f, "[policy] 表只能出现在一个文件中"));
            }
        };
        let header = header.ok_or_else(|| PolicyError::file(head_file, "缺少 [policy] 表"))?;
        let file = head_file;
        let text_field = |k: &str| {
            header
                .get(k)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .ok_or_else(|| PolicyError::file(file, format!("[policy] 缺少 {k}")))
        };
        let jurisdiction = RegionCode::parse(&text_field("jurisdiction")?)
            .map_err(|e| PolicyError::file(file, format!("[policy] jurisdiction：{e}")))?;
        if !known_region(&jurisdiction) {
            return Err(PolicyError::file(
                file,
                format!(
                    "[policy] jurisdiction：未知行政区划 {}",
                    jurisdiction.short()
                ),
            ));
        }
        let valid_from = header.get("valid_from").and_then(date_of).ok_or_else(|| {
            PolicyError::file(file, "[policy] valid_from 应为日期，如 2021-10-01")
        })?;
        let mut set = PolicySet {
            file: name.to_owned(),
            jurisdiction,
            name: text_field("name")?,
            version: text_field("version")?,
            valid_from,
            note: header
                .get("note")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned(),
            entries: vec![Vec::new(); CATALOGUE.len()],
        };
        // Each parameter with the file it is written in.
        let mut found: BTreeMap<String, (&str, Vec<toml::Table>)> = BTreeMap::new();
        for (file, root) in &roots {
            let mut here = BTreeMap::new();
            for (k, v) in root {
                if k != "policy" {
                    collect(file, k, v, &mut here)?;
                }
            }
            for (key, list) in here {
                if let Some((first, _)) = found.get(&key) {
                    return Err(PolicyError::key(
                        file,
                        &key,
                        format!("已在 {first} 中给出；一个参数只写在一个文件里"),
                    ));
                }
                found.insert(key, (file, list));
            }
        }
        for (key, (file, list)) in found {
            let index = CATALOGUE.iter().position(|s| s.key == key).ok_or_else(|| {
                PolicyError::key(file, &key, "未知参数（规则不读取此参数，请检查拼写）")
            })?;
            let mut entries = Vec::with_capacity(list.len());
            for (i, t) in list.iter().enumerate() {
                entries.push(set.entry(file, index, i + 1, t, known_region)?);
            }
            set.entries[index] = entries;
        }
        set.check_dates()?;
        Ok(set)
    }

    fn entry(
        &self,
        file: &str,
        index: usize,
        number: usize,
        t: &toml::Table,
        known_region: &dyn Fn(&RegionCode) -> bool,
    ) -> Result<Entry, PolicyError> {
        let spec = &CATALOGUE[index];
        let cite_text = t
            .get("cite")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .filter(|c| !c.trim().is_empty());
        let err = |problem: String| PolicyError {
            file: file.to_owned(),
            key: Some(spec.key.to_owned()),
            entry: Some(number),
            clause: cite_text.clone(),
            problem,
        };
        if let Some(f) = t.keys().find(|k| !ENTRY_FIELDS.contains(&k.as_str())) {
            return Err(err(format!("未知字段 {f}")));
        }
        let cite = cite_text
            .clone()
            .ok_or_else(|| err("缺少出处 cite（文件与条款）".into()))?;
        let region_text = t
            .get("region")
            .and_then(|v| v.as_str())
            .ok_or_else(|| err("缺少 region".into()))?;
        let region = RegionCode::parse(region_text)
            .map_err(|e| err(format!("region {region_text}：{e}")))?;
        if !known_region(&region) {
            return Err(err(format!("未知行政区划 {region_text}")));
        }
        if !self.jurisdiction.contains(&region) {
            return Err(err(format!(
                "{region_text} 不在本文件辖区 {} 内",
                self.jurisdiction.short()
            )));
        }
        let from = t
            .get("from")
            .and_then(date_of)
            .ok_or_else(|| err("from 应为日期，如 2025-01-01".into()))?;
        let until = match t.get("until") {
            None => None,
            Some(v) => Some(date_of(v).ok_or_else(|| err("until 应为日期".into()))?),
        };
        if until.is_some_and(|u| u < from) {
            return Err(err("until 早于 from".into()));
        }
        let illustrative = match t.get("illustrative") {
            None => false,
            Some(v) => v
                .as_bool()
                .ok_or_else(|| err("illustrative 应为 true 或 false".into()))?,
        };
        let value = t.get("value").cloned();
        let urban = t.get("urban").cloned();
        let rural = t.get("rural").cloned();
        match (spec.by_area, &value, &urban, &rural) {
            (_, Some(_), None, None) => {}
            (true, None, Some(_), Some(_)) => {}
            (true, None, _, _) => {
                return Err(err("缺少取值：需要 value，或 urban 与 rural 两者".into()));
            }
            (false, _, None, None) => return Err(err("缺少取值 value".into())),
            (false, _, _, _) => {
                return Err(err("此参数城乡相同，只用 value，不用 urban/rural".into()));
            }
            (true, Some(_), _, _) => return Err(err("value 与 urban/rural 只能二选一".into())),
        }
        for (label, v) in [("value", &value), ("urban", &urban), ("rural", &rural)] {
            if let Some(v) = v {
                (spec.show)(v).map_err(|e| err(format!("{label} 应为{}：{e}", spec.kind)))?;
            }
        }
        Ok(Entry {
            number,
            region,
            from,
            until,
            value,
            urban,
            rural,
            cite,
            illustrative,
        })
    }

    /// Per key and region: no overlaps, no gaps; the jurisdiction's chain starts by
    /// `valid_from`.
    fn check_dates(&self) -> Result<(), PolicyError> {
        for (index, entries) in self.entries.iter().enumerate() {
            let key = CATALOGUE[index].key;
            let mut by_region: BTreeMap<&RegionCode, Vec<&Entry>> = BTreeMap::new();
            for e in entries {
                by_region.entry(&e.region).or_default().push(e);
            }
            for list in by_region.values_mut() {
                list.sort_by_key(|e| e.from);
                for w in list.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    let err = |problem: String| PolicyError {
                        file: self.file.clone(),
                        key: Some(key.to_owned()),
                        entry: Some(b.number),
                        clause: Some(b.cite.clone()),
                        problem,
                    };
                    match a.until {
                        None => {
                            return Err(err(format!(
                                "与第 {} 条日期重叠（第 {} 条没有截止日期）",
                                a.number, a.number
                            )));
                        }
                        Some(u) if u >= b.from => {
                            return Err(err(format!(
                                "与第 {} 条日期重叠（{} 至 {}）",
                                a.number, b.from, u
                            )));
                        }
                        Some(u) if u.succ_opt() != Some(b.from) => {
                            return Err(err(format!(
                                "与第 {} 条之间有日期空档（{} 至 {} 无取值）",
                                a.number,
                                u.succ_opt().unwrap_or(u),
                                b.from.pred_opt().unwrap_or(b.from)
                            )));
                        }
                        _ => {}
                    }
                }
            }
            let top = by_region.get(&self.jurisdiction);
            match top.and_then(|l| l.first()) {
                None => {
                    return Err(PolicyError::key(
                        &self.file,
                        key,
                        format!(
                            "缺少取值：辖区 {} 没有此参数的条目",
                            self.jurisdiction.short()
                        ),
                    ));
                }
                Some(first) if first.from > self.valid_from => {
                    return Err(PolicyError {
                        entry: Some(first.number),
                        clause: Some(first.cite.clone()),
                        ..PolicyError::key(
                            &self.file,
                            key,
                            format!(
                                "缺少取值：{} 至 {} 没有条目",
                                self.valid_from,
                                first.from.pred_opt().unwrap_or(first.from)
                            ),
                        )
                    });
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// The parameters in force in `region` (any level inside the jurisdiction), for `area`, on
    /// `date`: for each parameter the entry of the most specific enclosing region in force.
    pub fn resolve(
        &self,
        region: &RegionCode,
        area: HukouType,
        date: NaiveDate,
    ) -> Result<Params, PolicyError> {
        if !self.jurisdiction.contains(region) {
            return Err(PolicyError::file(
                &self.file,
                format!(
                    "{} 不在本文件辖区 {} 内",
                    region.short(),
                    self.jurisdiction.short()
                ),
            ));
        }
        if date < self.valid_from {
            return Err(PolicyError::file(
                &self.file,
                format!("{date} 早于本文件的起始日期 {}", self.valid_from),
            ));
        }
        let mut chain = vec![region.clone()];
        let mut r = region.clone();
        while r != self.jurisdiction {
            match r.parent() {
                Some(p) => {
                    chain.push(p.clone());
                    r = p;
                }
                None => break,
            }
        }
        Params::build(&self.file, |index| {
            let spec = &CATALOGUE[index];
            let entries = &self.entries[index];
            let entry = chain
                .iter()
                .find_map(|r| entries.iter().find(|e| &e.region == r && e.covers(date)))
                .ok_or_else(|| {
                    PolicyError::key(
                        &self.file,
                        spec.key,
                        format!("{date} 在 {} 没有取值", region.short()),
                    )
                })?;
            let value = entry.value_for(area).clone();
            let shown = (spec.show)(&value).unwrap_or_default();
            Ok((
                value,
                Origin {
                    key: spec.key.to_owned(),
                    value: shown,
                    region: entry.region.short().to_owned(),
                    from: entry.from,
                    until: entry.until,
                    source: entry.cite.clone(),
                    illustrative: entry.illustrative,
                },
            ))
        })
    }

    /// Every entry of one parameter, as written.
    pub fn entries(&self, index: usize) -> &[Entry] {
        &self.entries[index]
    }

    /// Whether any value of the file is illustrative (示例值).
    pub fn has_illustrative(&self) -> bool {
        self.entries.iter().flatten().any(|e| e.illustrative)
    }
}

/// Walks nested tables; an array of tables is one parameter, named by its dotted path.
fn collect(
    file: &str,
    path: &str,
    v: &toml::Value,
    out: &mut BTreeMap<String, Vec<toml::Table>>,
) -> Result<(), PolicyError> {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                collect(file, &format!("{path}.{k}"), v, out)?;
            }
            Ok(())
        }
        toml::Value::Array(a) if a.iter().all(|x| x.is_table()) && !a.is_empty() => {
            out.insert(
                path.to_owned(),
                a.iter().filter_map(|x| x.as_table().cloned()).collect(),
            );
            Ok(())
        }
        _ => Err(PolicyError::key(
            file,
            path,
            "应写成 [[键]] 条目（region、from、value、cite …）",
        )),
    }
}

fn date_of(v: &toml::Value) -> Option<NaiveDate> {
    match v {
        toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        toml::Value::Datetime(d) => {
            let date = d.date?;
            if d.time.is_some() {
                return None;
            }
            NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
        }
        _ => None,
    }
}
