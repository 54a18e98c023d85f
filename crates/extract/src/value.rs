//! Typed values from the text a label gives: what a written value can be under its
//! schema (an enum value, a boolean, a number, the string itself), scored.

use serde_json::Value;

/// A value the text supports, with how directly: 1 = written as is.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub value: Value,
    pub score: f64,
}

fn cand(value: Value, score: f64) -> Candidate {
    Candidate { value, score }
}

/// The candidates for `text` under `schema`, best first; empty when nothing fits
/// (the model decodes the value freely within the schema).
pub fn candidates(schema: &Value, text: &str) -> Vec<Candidate> {
    let text = text.trim();
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        return choose(choices, text);
    }
    if let Some(c) = schema.get("const") {
        return vec![cand(c.clone(), 1.0)];
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.is_empty() {
        return by_shape(text);
    }
    if types.contains(&"null") && is_null_word(text) {
        return vec![cand(Value::Null, 1.0)];
    }
    for t in &types {
        let found = match *t {
            "boolean" => boolean(text).map(|b| cand(Value::Bool(b), 1.0)),
            "integer" => integer(text),
            "number" => number(text),
            "string" => Some(cand(Value::String(text.to_string()), 1.0)),
            _ => None,
        };
        if let Some(c) = found {
            return vec![c];
        }
    }
    Vec::new()
}

/// A value typed by its shape alone, for keys no schema describes.
pub fn by_shape(text: &str) -> Vec<Candidate> {
    let text = text.trim();
    if let Some(b) = boolean_literal(text) {
        return vec![cand(Value::Bool(b), 1.0)];
    }
    match number(text) {
        Some(c) if c.score == 1.0 => vec![c],
        _ => vec![cand(Value::String(text.to_string()), 1.0)],
    }
}

/// The items of a list written on one line: split at `;`, else at `,`.
pub fn list_items(text: &str) -> Vec<&str> {
    let sep = if text.contains(';') { ';' } else { ',' };
    text.split(sep).map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// Equal as JSON, numbers by value (`62` and `62.0` are one number).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// The enum value the text writes: exactly, then ignoring case and `_`/`-`/space;
/// else the values whose words the text contains (as [`crate::align::written_at`]
/// finds them: as stems, numbers in words, `-re` for `-er`; one or two characters only
/// as written); else every value,
/// for the model.
pub fn choose(choices: &[Value], text: &str) -> Vec<Candidate> {
    let norm = |s: &str| s.to_lowercase().replace(['_', '-', ' '], "");
    let written = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    if let Some(v) = choices.iter().find(|v| written(v).as_deref() == Some(text)) {
        return vec![cand(v.clone(), 1.0)];
    }
    let t = norm(text);
    let same: Vec<&Value> = choices.iter().filter(|v| written(v).is_some_and(|w| norm(&w) == t)).collect();
    if same.len() == 1 {
        return vec![cand(same[0].clone(), 0.95)];
    }
    // (as stems: `historical record` writes `historical records`, `toll roads` `tolls`)
    let words = crate::align::words(text);
    // (or as one word of the text without its marks: `PM2.5` writes `pm25`)
    let bare = |s: &str| s.to_lowercase().replace(['_', '-', ' ', '.'], "");
    let glued = |w: &str| {
        let w = bare(w);
        w.chars().any(|c| c.is_ascii_digit())
            && text.split_whitespace().any(|t| bare(t.trim_matches(|c: char| !c.is_alphanumeric())) == w)
    };
    let inside: Vec<Candidate> = choices
        .iter()
        .filter(|v| written(v).is_some_and(|w| crate::align::written_at(&w, text, &words).is_some() || glued(&w)))
        .map(|v| cand(v.clone(), 0.7))
        .collect();
    if !inside.is_empty() {
        return inside;
    }
    choices.iter().map(|v| cand(v.clone(), 0.1)).collect()
}

/// The choices a text writes anywhere (as [`choose`] finds them; not one written
/// only inside another, [`written_inside_others`]); else every choice (the model
/// picks).
pub fn written_choices(choices: &[Value], text: &str) -> Vec<Candidate> {
    let inner = written_inside_others(choices, text);
    let chosen = choose(choices, text);
    let chosen = if chosen.iter().any(|c| !inner.contains(&c.value)) {
        chosen.into_iter().filter(|c| !inner.contains(&c.value)).collect()
    } else {
        chosen
    };
    match chosen {
        c if c.len() < choices.len() && c.iter().all(|c| c.score >= 0.7) => c,
        _ => choices.iter().map(|v| cand(v.clone(), 0.1)).collect(),
    }
}

/// The choices the text writes only inside a longer choice it writes: `medium` and
/// `rare` of `medium rare`, where `medium_rare` is a choice. Word by word as
/// [`crate::align::written_as`] reads them; not choices of one or two characters.
pub fn written_inside_others(choices: &[Value], text: &str) -> Vec<Value> {
    let text_words = crate::align::words(text);
    // (every run of the text's words that writes choice `c`)
    let runs = |c: &str| -> Vec<(usize, usize)> {
        let cw = crate::align::words(c);
        if cw.is_empty() || c.chars().count() <= 2 || cw.len() > text_words.len() {
            return Vec::new();
        }
        (0..=text_words.len() - cw.len())
            .filter(|&i| cw.iter().zip(&text_words[i..]).all(|(a, b)| crate::align::written_as(a, b)))
            .map(|i| (i, i + cw.len()))
            .collect()
    };
    let all: Vec<Vec<(usize, usize)>> = choices.iter().map(|c| c.as_str().map(runs).unwrap_or_default()).collect();
    let inside = |k: usize, (a, b): (usize, usize)| {
        all.iter().enumerate().any(|(j, other)| j != k && other.iter().any(|&(x, y)| x <= a && b <= y && y - x > b - a))
    };
    choices
        .iter()
        .enumerate()
        .filter(|&(k, _)| !all[k].is_empty() && all[k].iter().all(|&run| inside(k, run)))
        .map(|(_, c)| c.clone())
        .collect()
}

fn is_null_word(t: &str) -> bool {
    matches!(t.to_lowercase().as_str(), "null" | "none" | "n/a" | "-")
}

/// `True`/`false` as written.
fn boolean_literal(t: &str) -> Option<bool> {
    match t.to_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// A boolean in the words people write for one.
pub fn boolean(t: &str) -> Option<bool> {
    match t.to_lowercase().trim_end_matches('.') {
        "true" | "yes" | "y" | "on" | "enabled" | "1" => Some(true),
        "false" | "no" | "n" | "off" | "disabled" | "0" => Some(false),
        _ => None,
    }
}

/// The number written as the whole value (score 1), else the first number inside it
/// (`23.4 C`, score 0.8). Integer and fraction stay as written (`62.0` stays a float).
fn number(t: &str) -> Option<Candidate> {
    if let Some(v) = json_number(t) {
        return Some(cand(v, 1.0));
    }
    first_number(t).and_then(json_number).map(|v| cand(v, 0.8))
}

fn integer(t: &str) -> Option<Candidate> {
    let c = number(t)?;
    let n = c.value.as_f64()?;
    if c.value.is_i64() || c.value.is_u64() {
        return Some(c);
    }
    // `72.0` for an integer key is 72.
    (n.fract() == 0.0 && n.abs() < 9.0e15).then(|| cand(Value::from(n as i64), c.score * 0.9))
}

/// `1,234.5` → 1234.5; a JSON number literal, or `None`.
fn json_number(t: &str) -> Option<Value> {
    let t = t.trim().trim_start_matches('+');
    let plain: String = if is_grouped(t) { t.replace(',', "") } else { t.to_string() };
    let ok = !plain.is_empty()
        && plain.chars().all(|c| c.is_ascii_digit() || "-.eE+".contains(c))
        && plain.chars().any(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    // JSON has no leading zeros or bare dots: go through f64/i64 for those.
    match serde_json::from_str::<Value>(&plain) {
        Ok(v @ Value::Number(_)) => Some(v),
        _ => {
            if let Ok(i) = plain.parse::<i64>() {
                return Some(Value::from(i));
            }
            plain.parse::<f64>().ok().filter(|f| f.is_finite()).map(Value::from)
        }
    }
}

/// `1,234,567.8`: commas grouping thousands.
fn is_grouped(t: &str) -> bool {
    let int = t.trim_start_matches('-').split('.').next().unwrap_or("");
    let groups: Vec<&str> = int.split(',').collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
}

/// The first number token in a text.
fn first_number(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    let start = (0..b.len())
        .find(|&i| b[i].is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_alphabetic() || b[i - 1] == b'_')))?;
    let start = if start > 0 && b[start - 1] == b'-' { start - 1 } else { start };
    let mut end = start + 1;
    while end < b.len()
        && (b[end].is_ascii_digit() || (b[end] == b'.' && end + 1 < b.len() && b[end + 1].is_ascii_digit()))
    {
        end += 1;
    }
    Some(&t[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(schema: Value, text: &str) -> Value {
        let c = candidates(&schema, text);
        assert_eq!(c.len(), 1, "{text}: {c:?}");
        c[0].value.clone()
    }

    #[test]
    fn types_read_as_written() {
        assert_eq!(one(json!({"type": "number"}), "62.0").to_string(), "62.0");
        assert_eq!(one(json!({"type": "number"}), "84"), json!(84));
        assert_eq!(one(json!({"type": "integer"}), "1,234"), json!(1234));
        assert_eq!(one(json!({"type": "integer"}), "72.0"), json!(72));
        assert_eq!(one(json!({"type": "number"}), "23.4 C"), json!(23.4));
        assert_eq!(one(json!({"type": "boolean"}), "True"), json!(true));
        assert_eq!(one(json!({"type": ["string", "null"]}), "None"), Value::Null);
        assert_eq!(one(json!({"type": "string"}), "Of"), json!("Of"));
        assert!(candidates(&json!({"type": "integer"}), "Five").is_empty());
    }

    #[test]
    fn enums_match_loosely_then_offer_every_value() {
        let s = json!({"enum": ["feature_request", "bug"]});
        assert_eq!(one(s.clone(), "Feature Request"), json!("feature_request"));
        assert_eq!(one(s.clone(), "a bug, surely"), json!("bug"));
        assert_eq!(candidates(&s, "wish").len(), 2);
        // Numbers a time, a decimal or a date joins write no range.
        let s = json!({"enum": ["less than £10", "£10-15", "£20.50"]});
        assert_eq!(one(s.clone(), "prices of 10-15 pounds"), json!("£10-15"));
        assert_eq!(one(s.clone(), "£10 - 15"), json!("£10-15"));
        assert_eq!(one(s.clone(), "mains at 20.50"), json!("£20.50"));
        for text in ["opens at 10:15", "a pint at 10.15", "booked for 10/15"] {
            assert!(candidates(&s, text).iter().all(|c| c.score < 0.7), "{text}");
        }
        let s = json!({"enum": ["10:30", "24/7"]});
        assert_eq!(one(s.clone(), "the 10.30 slot"), json!("10:30"));
        assert_eq!(one(s, "open 24-7"), json!("24/7"));
        // (a choice with a digit, written as one word without its marks)
        let s = json!({"enum": ["pm25", "pm10", "o3"]});
        let found: Vec<Value> =
            candidates(&s, "including PM2.5 and PM10 breakdowns").into_iter().map(|c| c.value).collect();
        assert_eq!(found, [json!("pm25"), json!("pm10")]);
    }

    #[test]
    fn shapes_and_lists() {
        assert_eq!(by_shape("True")[0].value, json!(true));
        assert_eq!(by_shape("12.5")[0].value, json!(12.5));
        assert_eq!(by_shape("12 apples")[0].value, json!("12 apples"));
        assert_eq!(list_items("a, b,c"), ["a", "b", "c"]);
        assert_eq!(list_items("a, b; c"), ["a, b", "c"]);
        assert!(same(&json!(62), &json!(62.0)));
    }
}
