//! S22 (等保 2.0 安全审计: old → new): what an edit changed, computed from the record before and
//! after instead of written field by field, so a field added to a record is audited without
//! anyone remembering to.

use serde::Serialize;
use serde_json::{Map, Value};

/// `{field: [old, new]}` for every top-level field whose value differs between the two
/// records (each serialised to a JSON object); fields in `left_out` are not compared. The
/// caller passes records as they may be recorded: sealed values opened and masked, or left out.
pub fn changes(old: &impl Serialize, new: &impl Serialize, left_out: &[&str]) -> Value {
    let (Ok(Value::Object(old)), Ok(Value::Object(new))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Value::Object(Map::new());
    };
    let mut out = Map::new();
    for (k, after) in &new {
        if left_out.contains(&k.as_str()) {
            continue;
        }
        let before = old.get(k).unwrap_or(&Value::Null);
        if before != after {
            out.insert(k.clone(), Value::Array(vec![before.clone(), after.clone()]));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    //! S22: an edit's audit entry names exactly the fields it changed, old and new.
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    struct Record {
        name: &'static str,
        grade: Option<i32>,
        version: i32,
    }

    #[test]
    fn only_changed_fields_are_recorded_old_then_new() {
        let old = Record {
            name: "张三",
            grade: None,
            version: 1,
        };
        let new = Record {
            name: "张三丰",
            grade: Some(2),
            version: 2,
        };
        assert_eq!(
            changes(&old, &new, &["version"]),
            json!({"name": ["张三", "张三丰"], "grade": [null, 2]})
        );
        assert_eq!(changes(&old, &old, &[]), json!({}));
    }
}
