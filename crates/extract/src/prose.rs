//! The plan for prose (requests, descriptions): no labels to lay the schema over, so
//! the text gives evidence instead. A required key is always written; an optional
//! one only where the text names it (a word of its key, or one of its enum values).
//! Numbers are the numbers the text writes, strings are spans of the text, a choice
//! is among the values the text writes (else all), and the model picks.

use crate::align::{stem, words};
use crate::plan::{main_type, resolve, Field, Part, Plan, Presence};
use crate::shape;
use crate::value::{self, Candidate};
use serde_json::Value;

/// The prose plan of `text` under `schema`.
pub fn plan(schema: &Value, text: &str) -> Plan {
    let stems: Vec<String> = words(text).iter().map(|w| stem(w)).collect();
    let toks = tokens(text);
    let mut numbers: Vec<Value> = Vec::new();
    for t in &toks {
        if let Token::Number(n) = t {
            if !numbers.iter().any(|v| value::same(v, n)) {
                numbers.push(n.clone());
            }
        }
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map_or(Vec::new(), |r| r.iter().filter_map(Value::as_str).collect());
    let mut fields = Vec::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (key, prop) in props {
            let prop = resolve(schema, prop);
            let choices = prop.get("enum").and_then(Value::as_array);
            let named = words(key).iter().filter(|w| w.len() >= 3).any(|w| stems.contains(&stem(w)));
            let written = choices.is_some_and(|c| value::written_choices(c, text).iter().all(|c| c.score >= 0.7));
            let present = required.contains(&key.as_str()) || named || written;
            let part = if present { value_part(key, prop, text, &numbers, &toks) } else { None };
            // A value the text has nothing for (a date where it writes none) is left
            // out rather than invented, even when the schema requires it.
            let (presence, part) = match part {
                Some(part) => (Presence::Present, part),
                None => (Presence::Absent, Part::Open { schema: prop.clone() }),
            };
            fields.push(Field { key: key.clone(), presence, line: None, part });
        }
    }
    anchor(&mut fields, &toks);
    Plan { root: Part::Object { fields, extra: Vec::new() }, aligned_labels: 0, spare_labels: 0, named_in_prose: 0 }
}

/// The part of a key the text gives evidence for; `None` when its value has a shape
/// (a date, an e-mail address) that the text never writes.
fn value_part(key: &str, prop: &Value, text: &str, numbers: &[Value], toks: &[Token]) -> Option<Part> {
    if let Some(choices) = prop.get("enum").and_then(Value::as_array).filter(|c| !c.is_empty()) {
        return Some(Part::Scalar { candidates: value::written_choices(choices, text), schema: prop.clone() });
    }
    let tokens = || {
        text.split(|c: char| c.is_whitespace() || ",;()\"'".contains(c))
            .map(|t| t.trim_end_matches(['.', ':', '!', '?']))
    };
    let shaped = |fits: &dyn Fn(&str) -> bool| -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::new();
        for t in tokens().filter(|t| fits(t)) {
            if !out.iter().any(|c| c.value == t) {
                out.push(Candidate { value: Value::String(t.to_string()), score: 0.8 });
            }
        }
        out
    };
    let string = |candidates: Vec<Candidate>| Part::Scalar { candidates, schema: prop.clone() };
    if main_type(prop) == Some("string") {
        if let Some(format) = prop.get("format").and_then(Value::as_str) {
            let fits: Option<&dyn Fn(&str) -> bool> = match format {
                "date-time" => Some(&|t: &str| shape::is_date(t) && t.contains('T')),
                "date" => Some(&|t: &str| shape::is_date(t)),
                "time" => Some(&|t: &str| shape::is_time(t)),
                "email" => Some(&|t: &str| shape::is_email(t)),
                _ => None,
            };
            if let Some(fits) = fits {
                let found = shaped(fits);
                return (!found.is_empty()).then(|| string(found));
            }
        }
        // An identifier (`sensor_id`, `building_id`) is a token with a digit or joined
        // parts (`greenhouse-7`, `B1004`), where the text writes one.
        if words(key).last().is_some_and(|w| w == "id") {
            let found = shaped(&shape::is_identifier);
            if !found.is_empty() {
                return Some(string(found));
            }
        }
    }
    Some(match main_type(prop) {
        // A flag the text names is on, unless a negation comes right before its words.
        Some("boolean") => {
            let spots = mentions(key, toks);
            let candidates = if spots.is_empty() {
                [false, true].map(|b| Candidate { value: Value::Bool(b), score: 0.5 }).to_vec()
            } else {
                let negated = spots.iter().any(|&m| toks[m.saturating_sub(3)..m].iter().any(is_negation));
                vec![Candidate { value: Value::Bool(!negated), score: 0.8 }]
            };
            Part::Scalar { candidates, schema: prop.clone() }
        }
        // A list of numbers is one the text writes: `[3, 4, 5]`, `(1.5, 2)`, `85, 90, 88`.
        Some("array") if matches!(prop.get("items").and_then(main_type), Some("number" | "integer")) => {
            let integer = prop.get("items").and_then(main_type) == Some("integer");
            let lists: Vec<Candidate> = toks
                .iter()
                .filter_map(|t| match t {
                    Token::List(xs) if !integer || xs.iter().all(|x| x.is_i64() || x.is_u64()) => {
                        Some(Candidate { value: Value::Array(xs.clone()), score: 0.5 })
                    }
                    _ => None,
                })
                .collect();
            if lists.is_empty() {
                Part::Open { schema: prop.clone() }
            } else {
                Part::Scalar { candidates: lists, schema: prop.clone() }
            }
        }
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
    })
}

/// A token of prose: a word, a number, or a quoted span.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number(Value),
    Quoted(String),
    /// Numbers written as one list: in brackets or parentheses, or in a row.
    List(Vec<Value>),
    /// `,` `;` `.` `:` `!` `?` between words: where a phrase ends.
    Punct(char),
}

/// The text as words, numbers (sign, fraction and exponent kept) and quoted spans.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(close) = match c {
            '[' => Some(']'),
            '(' => Some(')'),
            _ => None,
        } {
            if let Some(len) = chars[i + 1..].iter().position(|&q| q == close) {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                let items: Vec<Option<Value>> = inner
                    .split(',')
                    .map(|part| match tokens(part).as_slice() {
                        [Token::Number(n), rest @ ..] if rest.iter().all(|t| matches!(t, Token::Word(_))) => {
                            Some(n.clone())
                        }
                        _ => None,
                    })
                    .collect();
                if items.len() >= 2 && items.iter().all(Option::is_some) {
                    out.push(Token::List(items.into_iter().flatten().collect()));
                    i += len + 2;
                    continue;
                }
            }
        }
        if matches!(c, '\'' | '"' | '`') && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            if let Some(len) = chars[i + 1..].iter().position(|&q| q == c) {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                if !inner.trim().is_empty() && len <= 80 {
                    out.push(Token::Quoted(inner));
                    i += len + 2;
                    continue;
                }
            }
        }
        let starts_number = c.is_ascii_digit()
            || (c == '-'
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                && (i == 0 || !chars[i - 1].is_alphanumeric()));
        if starts_number {
            let mut end = i + 1;
            while end < chars.len() {
                let d = chars[end];
                let next_digit = chars.get(end + 1).is_some_and(char::is_ascii_digit);
                let exp = (d == 'e' || d == 'E')
                    && (next_digit
                        || (matches!(chars.get(end + 1), Some('-' | '+'))
                            && chars.get(end + 2).is_some_and(char::is_ascii_digit)));
                if d.is_ascii_digit() || ((d == '.' || d == ',') && next_digit) {
                    end += 1;
                } else if exp {
                    end += 2;
                } else {
                    break;
                }
            }
            let written: String = chars[i..end].iter().filter(|&&d| d != ',').collect();
            if let Some(c) = value::candidates(&serde_json::json!({"type": "number"}), &written).into_iter().next() {
                out.push(Token::Number(c.value));
            }
            i = end;
            continue;
        }
        if c.is_alphabetic() {
            let mut end = i + 1;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            out.push(Token::Word(chars[i..end].iter().collect::<String>().to_lowercase()));
            i = end;
            continue;
        }
        if ",;.:!?".contains(c) {
            out.push(Token::Punct(c));
        }
        i += 1;
    }
    with_runs(out)
}

/// Adds a [`Token::List`] before each run of three or more numbers in a row (commas
/// between them allowed).
fn with_runs(toks: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let mut run = 0;
        while let Some(Token::Number(_)) = toks.get(i + run) {
            run += 1;
            if matches!(toks.get(i + run), Some(Token::Punct(',')))
                && matches!(toks.get(i + run + 1), Some(Token::Number(_)))
            {
                run += 1;
            }
        }
        let numbers = toks[i..i + run].iter().filter(|t| matches!(t, Token::Number(_))).count();
        if numbers >= 3 {
            out.push(Token::List(
                toks[i..i + run]
                    .iter()
                    .filter_map(|t| match t {
                        Token::Number(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect(),
            ));
        }
        out.extend(toks[i..i + run.max(1)].iter().cloned());
        i += run.max(1);
    }
    out
}

/// `not`, `no`, `without`, `never`: a word that turns a flag off.
fn is_negation(t: &Token) -> bool {
    matches!(t, Token::Word(w) if matches!(w.as_str(), "not" | "no" | "without" | "never"))
}

/// Where the text names a key: tokens that are one of its words (a word under three
/// letters only as itself: `a=1`).
fn mentions(key: &str, toks: &[Token]) -> Vec<usize> {
    let kw = words(key);
    toks.iter()
        .enumerate()
        .filter(|(_, t)| match t {
            Token::Word(w) => kw.iter().any(|k| if k.len() < 3 { k == w } else { names(k, w) }),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

/// Most tokens between a key's mention and the value that follows it.
const ANCHOR_REACH: usize = 4;

/// Values the text writes right after a key's words (`a radius of 4`, `a=1`, `gene
/// 'BRCA1'`) go to that key, nearest first, each value to one key; a number or
/// quoted value no key anchors stays a candidate of the keys left.
fn anchor(fields: &mut [Field], toks: &[Token]) {
    let fits = |f: &Field, t: &Token| match (&f.part, t) {
        (Part::Scalar { schema, .. }, Token::Number(n)) => match main_type(schema) {
            Some("integer") => n.is_i64() || n.is_u64(),
            Some("number") => true,
            _ => false,
        },
        (Part::Scalar { schema, .. }, Token::List(_)) => main_type(schema) == Some("array"),
        (Part::Span { .. }, Token::Quoted(_)) => true,
        _ => false,
    };
    // (more of the key's words around the mention first, then nearer, then a value
    // right before the key's noun (`3 bedrooms`) over one after, key order, text order)
    let mut pairs: Vec<(std::cmp::Reverse<usize>, usize, usize, usize, usize)> = Vec::new();
    for (k, f) in fields.iter().enumerate().filter(|(_, f)| f.presence == Presence::Present) {
        let kw = words(&f.key);
        for m in mentions(&f.key, toks) {
            let around = &toks[m.saturating_sub(2)..(m + 3).min(toks.len())];
            let strength = kw
                .iter()
                .filter(|k| {
                    around
                        .iter()
                        .any(|t| matches!(t, Token::Word(w) if if k.len() < 3 { *k == w } else { names(k, w) }))
                })
                .count();
            // A value right before the key's last word (its noun): `3 bedrooms`, `5 years`.
            let head = kw.last().is_some_and(|h| h.len() >= 3 && matches!(&toks[m], Token::Word(w) if names(h, w)));
            // ... before the whole phrase of the key's words (`600 at-bats`).
            let is_key_word = |t: &Token| matches!(t, Token::Word(w) if kw.iter().any(|k| if k.len() < 3 { k == w } else { names(k, w) }));
            let start = m - toks[..m].iter().rev().take_while(|t| is_key_word(t)).count();
            if head && start > 0 && fits(f, &toks[start - 1]) {
                pairs.push((std::cmp::Reverse(strength), 1, 0, k, start - 1));
            }
            for (i, t) in toks.iter().enumerate().skip(m + 1).take(ANCHOR_REACH) {
                if fits(f, t) {
                    pairs.push((std::cmp::Reverse(strength), i - m, 1, k, i));
                    break;
                }
            }
        }
    }
    pairs.sort();
    let mut keyed = vec![false; fields.len()];
    let mut used = vec![false; toks.len()];
    for (_, _, _, k, t) in pairs {
        if keyed[k] || used[t] {
            continue;
        }
        keyed[k] = true;
        used[t] = true;
        let value = match &toks[t] {
            Token::Number(n) => n.clone(),
            Token::Quoted(q) => Value::String(q.clone()),
            Token::List(xs) => Value::Array(xs.clone()),
            Token::Word(_) | Token::Punct(_) => continue,
        };
        let schema = match &fields[k].part {
            Part::Scalar { schema, .. } | Part::Span { schema } => schema.clone(),
            _ => continue,
        };
        fields[k].part = Part::Scalar { candidates: vec![Candidate { value, score: 1.0 }], schema };
    }
    // What an anchor took is no one else's: the keys left choose among the values
    // written where no anchor took them.
    let left: Vec<Value> = toks
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .filter_map(|(t, _)| match t {
            Token::Number(n) => Some(n.clone()),
            Token::List(xs) => Some(Value::Array(xs.clone())),
            _ => None,
        })
        .collect();
    for (k, f) in fields.iter_mut().enumerate() {
        if keyed[k] {
            continue;
        }
        if let Part::Scalar { candidates, .. } = &mut f.part {
            if candidates.len() > 1 && candidates.iter().all(|c| c.value.is_number() || c.value.is_array()) {
                let kept: Vec<Candidate> =
                    candidates.iter().filter(|c| left.iter().any(|t| value::same(t, &c.value))).cloned().collect();
                if !kept.is_empty() {
                    *candidates = kept;
                }
            }
        }
    }
}

/// Whether text word `w` names key word `k` (same stem, or a shared start of five letters).
fn names(k: &str, w: &str) -> bool {
    crate::align::names(k, std::slice::from_ref(&w.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_and_flags_from_prose() {
        let schema = json!({"type": "object", "required": ["group1", "group2", "equal_variance"], "properties": {
            "group1": {"type": "array", "items": {"type": "integer"}},
            "group2": {"type": "array", "items": {"type": "integer"}},
            "equal_variance": {"type": "boolean"}, "avoid_tolls": {"type": "boolean"}}});
        let p = plan(
            &schema,
            "Compare group A [3, 4, 5] and group B (7, 8, 9), assuming equal variance, not avoiding tolls.",
        );
        assert_eq!(
            p.forced(),
            Some(json!({"group1": [3, 4, 5], "group2": [7, 8, 9], "equal_variance": true, "avoid_tolls": false})),
            "{p}"
        );
        let toks = tokens("scores 85, 90, 88 and 1");
        assert!(toks.contains(&Token::List(vec![json!(85), json!(90), json!(88)])), "{toks:?}");
    }

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
        assert_eq!(values, [&json!(-10)], "the number written right after the key's word");
        let Part::Scalar { candidates, .. } = &by("starting_level").part else { panic!() };
        assert_eq!(candidates[0].value, json!(3));
        let Part::Scalar { candidates, .. } = &by("mode").part else { panic!() };
        assert_eq!(candidates.len(), 1, "the enum value the text writes");
    }
}
