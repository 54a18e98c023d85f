//! Distinct values: one piece of the text is one field's value. An optional key
//! whose value repeats another key's (`"time": "-9.4"` beside `"temperature_c":
//! -9.4`, a `source` that is a word of the `message`) is no evidence of its own and
//! is left out of the output. Required keys always stay; the output stays valid.

use super::prompt::deref;
use serde_json::Value;

/// Drops, in every object of `output` (nested ones and array items too), the
/// optional keys whose scalar value repeats a required key's, an earlier key's, or
/// is a whole-word part of another key's string.
pub fn distinct(schema: &Value, root: &Value, output: &mut Value) {
    distinct_at(schema, root, output, 0);
}

fn distinct_at(schema: &Value, root: &Value, output: &mut Value, depth: usize) {
    let schema = deref(root, schema);
    if depth > 8 {
        return;
    }
    match output {
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                items.iter_mut().for_each(|i| distinct_at(item_schema, root, i, depth + 1));
            }
        }
        Value::Object(map) => {
            let props = schema.get("properties").and_then(Value::as_object);
            for (key, value) in map.iter_mut() {
                if let Some(prop) = props.and_then(|p| p.get(key)) {
                    distinct_at(prop, root, value, depth + 1);
                }
            }
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let keys: Vec<String> = map.keys().cloned().collect();
            let mut dropped: Vec<String> = Vec::new();
            for (i, key) in keys.iter().enumerate() {
                if required.contains(&key.as_str()) {
                    continue;
                }
                let repeats = keys.iter().enumerate().any(|(j, other)| {
                    j != i
                        && !dropped.contains(other)
                        && (j < i || required.contains(&other.as_str()))
                        && repeats(&map[key], &map[other])
                });
                if repeats {
                    dropped.push(key.clone());
                }
            }
            for key in &dropped {
                map.remove(key);
            }
        }
        _ => {}
    }
}

/// Whether `value` repeats `other`: the same number, the same text, or a string that
/// is whole words of the other string.
fn repeats(value: &Value, other: &Value) -> bool {
    match (value, other) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::String(a), Value::Number(b)) => a.trim().parse::<f64>().ok() == b.as_f64(),
        (Value::String(a), Value::String(b)) => !a.is_empty() && (a == b || contains_words(b, a)),
        _ => false,
    }
}

/// Whether `part` occurs in `text` between word boundaries.
fn contains_words(text: &str, part: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(part)
        .any(|(at, _)| boundary(text[..at].chars().next_back()) && boundary(text[at + part.len()..].chars().next()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn optional_keys_that_repeat_another_value_are_dropped() {
        let schema = json!({"type": "object", "properties": {
            "sensor_id": {"type": "string"}, "temperature_c": {"type": "number"}, "time": {"type": "string"},
            "source": {"type": "string"}, "message": {"type": "string"},
            "customer": {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
                         "required": ["name"]}},
            "required": ["temperature_c", "message"]});
        let mut out = json!({"sensor_id": "-9.4", "temperature_c": -9.4, "time": "10:32", "source": "rack 4",
                             "message": "Threshold exceeded in rack 4", "customer": {"name": "Tariq Aziz", "email": "Aziz"}});
        distinct(&schema, &schema, &mut out);
        assert_eq!(
            out,
            json!({"temperature_c": -9.4, "time": "10:32", "message": "Threshold exceeded in rack 4",
                   "customer": {"name": "Tariq Aziz"}})
        );
        let mut out = json!({"sensor_id": "rack", "temperature_c": 4, "message": "racks 44", "source": "4"});
        let kept = out.clone();
        distinct(&schema, &schema, &mut out);
        assert_eq!(out.as_object().map(|o| o.len()), Some(3), "`4` repeats the number, not part of `44`: {out}");
        assert_eq!(out["sensor_id"], kept["sensor_id"], "`rack` is no whole word of `racks 44`");
    }
}
