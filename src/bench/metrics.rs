//! The EdgeJSON metrics, exactly as the benchmark defines them (DESIGN.md, "Bench
//! contract"), on a prediction that may not even be JSON.

use serde_json::Value;

/// JSON equality with numbers compared by value (`1 == 1.0`), recursively.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// JSONExact: the parsed output equals the expected output.
pub fn json_exact(predicted: Option<&Value>, expected: &Value) -> bool {
    predicted.is_some_and(|p| same(p, expected))
}

/// Field F1 over top-level keys: a key is correct when present in both with an equal
/// value; precision = correct / predicted keys, recall = correct / expected keys.
/// 0 when the output is unparseable or not an object; 1 when both are empty objects.
pub fn field_f1(predicted: Option<&Value>, expected: &Value) -> f64 {
    let (Some(Value::Object(p)), Value::Object(e)) = (predicted, expected) else { return 0.0 };
    if p.is_empty() && e.is_empty() {
        return 1.0;
    }
    let correct = e.iter().filter(|(k, v)| p.get(*k).is_some_and(|w| same(v, w))).count() as f64;
    if correct == 0.0 {
        return 0.0;
    }
    let (precision, recall) = (correct / p.len() as f64, correct / e.len() as f64);
    2.0 * precision * recall / (precision + recall)
}

/// Schema compliance: every expected top-level key is present with the same JSON type,
/// integer and number interchangeable. Extra keys do not count against it.
pub fn schema_compliance(predicted: Option<&Value>, expected: &Value) -> bool {
    let (Some(Value::Object(p)), Value::Object(e)) = (predicted, expected) else { return false };
    e.iter().all(|(k, v)| p.get(k).is_some_and(|w| kind(v) == kind(w)))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equal_outputs() {
        let e = json!({"a": 1, "b": "x", "c": [1, {"d": true}]});
        let p = json!({"c": [1, {"d": true}], "b": "x", "a": 1});
        assert!(json_exact(Some(&p), &e));
        assert_eq!(field_f1(Some(&p), &e), 1.0);
        assert!(schema_compliance(Some(&p), &e));
    }

    #[test]
    fn numbers_compare_by_value() {
        let e = json!({"t": 1, "n": [2.5, 3]});
        let p = json!({"t": 1.0, "n": [2.5, 3.0]});
        assert!(json_exact(Some(&p), &e));
        assert_eq!(field_f1(Some(&p), &e), 1.0);
        assert!(!json_exact(Some(&json!({"t": 1.5, "n": [2.5, 3]})), &e));
    }

    #[test]
    fn an_extra_key() {
        let e = json!({"a": 1, "b": 2});
        let p = json!({"a": 1, "b": 2, "c": 3});
        assert!(!json_exact(Some(&p), &e));
        // precision 2/3, recall 1 → F1 0.8
        assert!((field_f1(Some(&p), &e) - 0.8).abs() < 1e-12);
        assert!(schema_compliance(Some(&p), &e), "extra keys do not break compliance");
    }

    #[test]
    fn a_missing_key() {
        let e = json!({"a": 1, "b": 2});
        let p = json!({"a": 1});
        // precision 1, recall 1/2 → F1 2/3
        assert!((field_f1(Some(&p), &e) - 2.0 / 3.0).abs() < 1e-12);
        assert!(!schema_compliance(Some(&p), &e));
    }

    #[test]
    fn a_wrong_type() {
        let e = json!({"a": 1, "b": "2"});
        let p = json!({"a": 1.5, "b": 2});
        assert!((field_f1(Some(&p), &e)).abs() < 1e-12);
        assert!(!schema_compliance(Some(&p), &e), "string vs number");
        assert!(schema_compliance(Some(&json!({"a": 7.25, "b": "x"})), &e), "integer and number are interchangeable");
    }

    #[test]
    fn unparseable_text() {
        let e = json!({"a": 1});
        assert!(!json_exact(None, &e));
        assert_eq!(field_f1(None, &e), 0.0);
        assert!(!schema_compliance(None, &e));
        assert_eq!(field_f1(Some(&json!([1])), &e), 0.0, "not an object");
    }

    #[test]
    fn a_nested_difference() {
        let e = json!({"id": "x", "party": {"name": "A", "vat": "1"}});
        let p = json!({"id": "x", "party": {"name": "A", "vat": "2"}});
        assert!(!json_exact(Some(&p), &e));
        // `party` differs as a whole top-level value: 1 of 2 correct.
        assert!((field_f1(Some(&p), &e) - 0.5).abs() < 1e-12);
        assert!(schema_compliance(Some(&p), &e));
        assert_eq!(field_f1(Some(&json!({})), &json!({})), 1.0);
    }
}
