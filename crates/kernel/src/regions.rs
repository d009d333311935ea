//! The division tree in memory (3,435 rows for Anyang): validation that a code exists and at
//! which level, and display names ("文峰区 / 东大街街道 / 楼东社区居委会").

use std::collections::HashMap;

use jiuzhu_domain::{RegionCode, RegionLevel, Scope};
use jiuzhu_storage::models::RegionRow;
use jiuzhu_storage::{DbConnection, regions};

use crate::AppError;

/// The regions shipped in `data/regions/anyang-regions.csv`.
pub const BUNDLED_CSV: &str = include_str!("../../../data/regions/anyang-regions.csv");

/// One region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// Code.
    pub code: RegionCode,
    /// Name.
    pub name: String,
    /// Parent.
    pub parent: Option<RegionCode>,
}

/// All regions, indexed by code.
#[derive(Debug, Clone, Default)]
pub struct RegionCache {
    by_code: HashMap<RegionCode, Region>,
    children: HashMap<RegionCode, Vec<RegionCode>>,
}

/// Parses the NBS CSV (`code,name,level,parent_code`).
pub fn parse_csv(csv_text: &str) -> Result<Vec<RegionRow>, AppError> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let mut out = vec![];
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec =
            rec.map_err(|e| AppError::BadFile(format!("区划文件第 {line} 行无法读取：{e}")))?;
        let code = RegionCode::parse(&rec[0])
            .map_err(|e| AppError::BadFile(format!("区划文件第 {line} 行：{e}")))?;
        let parent = match rec[3].trim() {
            "" => None,
            p => Some(
                RegionCode::parse(p)
                    .map_err(|e| AppError::BadFile(format!("区划文件第 {line} 行上级代码：{e}")))?,
            ),
        };
        out.push(RegionRow {
            code: code.to_string(),
            name: rec[1].trim().to_owned(),
            level: code.level().as_str().to_owned(),
            parent_code: parent.map(|p| p.to_string()),
        });
    }
    Ok(out)
}

impl RegionCache {
    /// Loads the bundled regions into the database if missing, then caches them.
    pub fn load(conn: &mut DbConnection) -> Result<Self, AppError> {
        if regions::count(conn)? == 0 {
            regions::insert_missing(conn, &parse_csv(BUNDLED_CSV)?)?;
        }
        Ok(Self::from_rows(regions::all(conn)?))
    }

    /// Builds the cache from rows.
    pub fn from_rows(rows: Vec<RegionRow>) -> Self {
        let mut cache = RegionCache::default();
        for r in rows {
            let Ok(code) = RegionCode::parse(&r.code) else {
                continue;
            };
            let parent = r
                .parent_code
                .as_deref()
                .and_then(|p| RegionCode::parse(p).ok());
            if let Some(p) = &parent {
                cache
                    .children
                    .entry(p.clone())
                    .or_default()
                    .push(code.clone());
            }
            cache.by_code.insert(
                code.clone(),
                Region {
                    code,
                    name: r.name,
                    parent,
                },
            );
        }
        for v in cache.children.values_mut() {
            v.sort();
        }
        cache
    }

    /// A region by code.
    pub fn get(&self, code: &RegionCode) -> Option<&Region> {
        self.by_code.get(code)
    }

    /// The region's name, or its code when unknown.
    pub fn name(&self, code: &RegionCode) -> String {
        self.get(code)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| code.to_string())
    }

    /// Names from the county down: "文峰区 / 东大街街道 / 楼东社区居委会".
    pub fn path(&self, code: &RegionCode) -> String {
        let mut parts = vec![];
        let mut cur = Some(code.clone());
        while let Some(c) = cur {
            if c.level() < RegionLevel::County {
                break;
            }
            parts.push(self.name(&c));
            cur = c.parent();
        }
        if parts.is_empty() {
            // The city itself (users of the city level have it as their region).
            return self.name(code);
        }
        parts.reverse();
        parts.join(" / ")
    }

    /// Direct children, by code.
    pub fn children(&self, code: &RegionCode) -> &[RegionCode] {
        self.children.get(code).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every county code (the distribution keys).
    pub fn county_codes(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .by_code
            .keys()
            .filter(|c| c.level() == RegionLevel::County)
            .filter_map(|c| c.county_code().map(str::to_owned))
            .collect();
        v.sort();
        v
    }

    /// Every region of a level, by code.
    pub fn of_level(&self, level: RegionLevel) -> Vec<&Region> {
        let mut v: Vec<&Region> = self
            .by_code
            .values()
            .filter(|r| r.code.level() == level)
            .collect();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    }

    /// A scope rooted at `root` with the county codes inside it.
    pub fn scope(&self, root: &RegionCode) -> Scope {
        Scope::new(root.clone(), self.county_codes())
    }

    /// How many regions are cached.
    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_regions_hold_anyang_down_to_villages() {
        let rows = parse_csv(BUNDLED_CSV).unwrap();
        assert_eq!(rows.len(), 3435);
        let cache = RegionCache::from_rows(rows);
        assert_eq!(cache.county_codes().len(), 10);
        assert_eq!(cache.path(&RegionCode::parse("4105").unwrap()), "安阳市");
        let village = RegionCode::parse("410502001001").unwrap();
        assert_eq!(cache.path(&village), "文峰区 / 东大街街道 / 楼东社区居委会");
        assert_eq!(cache.of_level(RegionLevel::Township).len(), 137);
        assert_eq!(
            cache.children(&RegionCode::parse("410502").unwrap()).len(),
            15
        );
    }
}
