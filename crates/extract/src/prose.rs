//! The plan for prose (requests, descriptions): no labels to lay the schema over, so
//! the text gives evidence instead. A required key is always written; an optional
//! one only where the text names it (a word of its key, or one of its enum values).
//! Numbers are the numbers the text writes, strings are spans of the text, a choice
//! is among the values the text writes (else all), and the model picks.

use crate::align::{stem, words};
use crate::plan::{main_type, Field, Part, Plan, Presence};
use crate::value::{self, Candidate};
use serde_json::Value;

/// The prose plan of `text` under `schema`.
pub fn plan(schema: &Value, text: &str) -> Plan {
    let stems: Vec<String> = words(text).iter().map(|w| stem(w)).collect();
    let numbers = numbers(text);
    let required: Vec<&str> =
        schema.get("required").and_then(Value::as_array).map_or(Vec::new(), |r| r.iter().filter_map(Value::as_str).collect());
    let mut fields = Vec::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (key, prop) in props {
            let prop = deref(schema, prop);
            let choices = prop.get("enum").and_then(Value::as_array);
            let named = words(key).iter().filter(|w| w.len() >= 3).any(|w| stems.contains(&stem(w)));
            let written = choices.is_some_and(|c| value::written_choices(c, text).iter().all(|c| c.score >= 0.7));
            let present = required.contains(&key.as_str()) || named || written;
            let part = if present { value_part(prop, text, &numbers) } else { Part::Open { schema: prop.clone() } };
            let presence = if present { Presence::Present } else { Presence::Absent };
            fields.push(Field { key: key.clone(), presence, line: None, part });
        }
    }
    Plan { root: Part::Object { fields, extra: Vec::new() }, aligned_labels: 0, spare_labels: 0 }
}

fn value_part(prop: &Value, text: &str, numbers: &[Value]) -> Part {
    if let Some(choices) = prop.get("enum").and_then(Value::as_array).filter(|c| !c.is_empty()) {
        return Part::Scalar { candidates: value::written_choices(choices, text), schema: prop.clone() };
    }
    match main_type(prop) {
        Some("boolean") => Part::Scalar {
            candidates: [true, false].map(|b| Candidate { value: Value::Bool(b), score: 0.5 }).to_vec(),
            schema: prop.clone(),
        },
        Some(t @ ("integer" | "number")) => {
            let fits: Vec<Candidate> = numbers
                .iter()
                .filter(|n| t == "number" || n.is_i64() || n.is_u64())
                .map(|n| Candidate { value: n.clone(), score: 0.5 })
                .collect();
            if fits.is_empty() {
                Part::Open { schema: prop.clone() }
            } else {
                Part::Scalar { candidates: fits, schema: prop.clone() }
            }
        }
        Some("string") if prop.get("format").is_none() && prop.get("pattern").is_none() => {
            Part::Span { schema: prop.clone() }
        }
        _ => Part::Open { schema: prop.clone() },
    }
}

/// The distinct numbers a text writes, in order (`-3`, `10`, `0.5`).
fn numbers(text: &str) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.'));
        if !starts {
            i += 1;
            continue;
        }
        let neg = i > 0 && b[i - 1] == b'-' && (i == 1 || !b[i - 2].is_ascii_alphanumeric());
        let mut end = i;
        while end < b.len()
            && (b[end].is_ascii_digit()
                || ((b[end] == b'.' || b[end] == b',') && end + 1 < b.len() && b[end + 1].is_ascii_digit()))
        {
            end += 1;
        }
        let token = text[i..end].replace(',', "");
        let token = if neg { format!("-{token}") } else { token };
        if let Some(c) = value::candidates(&serde_json::json!({"type": "number"}), &token).into_iter().next() {
            if !out.iter().any(|v| value::same(v, &c.value)) {
                out.push(c.value);
            }
        }
        i = end;
    }
    out
}

fn deref<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let mut s = schema;
    for _ in 0..8 {
        match s.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|p| root.pointer(p)) {
            Some(t) => s = t,
            None => break,
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn evidence_decides_optional_keys_and_numbers_come_from_the_text() {
        let schema = json!({"type": "object", "properties": {
            "base": {"type": "integer"}, "height": {"type": "integer"},
            "unit": {"type": "string"}, "mode": {"enum": ["fast", "exact"]},
            "starting_level": {"type": "integer"}},
            "required": ["base", "height"]});
        let p = plan(&schema, "Area of a triangle with base -10 and height 5.5, starting level 3, exact please");
        let Part::Object { fields, .. } = &p.root else { panic!() };
        let by = |k: &str| fields.iter().find(|f| f.key == k).unwrap();
        assert_eq!(by("unit").presence, Presence::Absent);
        assert_eq!(by("starting_level").presence, Presence::Present);
        let Part::Scalar { candidates, .. } = &by("base").part else { panic!() };
        let values: Vec<&Value> = candidates.iter().map(|c| &c.value).collect();
        assert_eq!(values, [&json!(-10), &json!(3)], "integers only");
        let Part::Scalar { candidates, .. } = &by("mode").part else { panic!() };
        assert_eq!(candidates.len(), 1, "the enum value the text writes");
    }
}
