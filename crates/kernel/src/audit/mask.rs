//! S22, issue 15 F5: audit details are shown masked like every other view. The stored entry
//! keeps what was recorded (the hash chain covers it); the page, the API and the export show
//! names as 张*丰, addresses cut to their first characters, and health and disability values,
//! phone, ID and account numbers hidden.

use crate::masking::mask_id_number;

use crate::masking::mask_name;

use crate::masking::mask_tail;

/// How one kind of value is shown.
fn mask_value(key: &str, s: &str) -> Option<String> {
    Some(match key {
        "name" | "head_name" | "caller" | "person_name" => mask_name(s),
        "address" => {
            let kept: String = s.chars().take(4).collect();
            if s.chars().count() > 4 {
                format!("{kept}****")
            } else {
                kept
            }
        }
        "disability_category" | "disability_grade" | "serious_illness" | "special_status" => {
            if s.is_empty() {
                String::new()
            } else {
                "***".into()
            }
        }
        "phone" | "bank_account" => mask_tail(s, 4),
        "id_number" => mask_id_number(s),
        _ => return None,
    })
}

fn walk(key: Option<&str>, v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                walk(Some(k), child);
            }
        }
        // An edit records [old, new]: both masked under the field's key.
        serde_json::Value::Array(items) => {
            for item in items {
                walk(key, item);
            }
        }
        serde_json::Value::String(s) => {
            if let Some(masked) = key.and_then(|k| mask_value(k, s)) {
                *s = masked;
            }
        }
        serde_json::Value::Number(n) => {
            if let Some(masked) = key.and_then(|k| mask_value(k, &n.to_string())) {
                *v = serde_json::Value::String(masked);
            }
        }
        _ => {}
    }
}

/// A stored detail (JSON text) as shown; text that is not JSON is shown as it is.
pub fn masked_detail(detail: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(detail) {
        Ok(mut v) => {
            walk(None, &mut v);
            v.to_string()
        }
        Err(_) => detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::masked_detail;

    #[test]
    fn personal_values_in_a_detail_are_masked_and_the_rest_kept() {
        let stored = r#"{"name":["张三丰","张三"],"address":"解放路12号3栋","disability_category":["","肢体"],"disability_grade":[null,2],"members":3,"record_id":"01J"}"#;
        let shown: serde_json::Value = serde_json::from_str(&masked_detail(stored)).unwrap();
        assert_eq!(shown["name"], serde_json::json!(["张*丰", "张*"]));
        assert_eq!(shown["address"], "解放路1****");
        assert_eq!(shown["disability_category"], serde_json::json!(["", "***"]));
        assert_eq!(shown["disability_grade"], serde_json::json!([null, "***"]));
        assert_eq!(shown["members"], 3);
        assert_eq!(shown["record_id"], "01J");
        assert_eq!(masked_detail(""), "");
    }
}
