//! Model-free candidate recall of the prose plan on requests with several accepted
//! answers (BFCL's `accept` files): how many records, and keys, have an accepted
//! answer the plan allows. A span counts only where the text writes it (compared as
//! BFCL's `score.py` compares strings: without case, spaces and `,./-_*^`), or a
//! name it writes and a code where the key's example ends in one, and not where it
//! starts inside a name (as the grammar has it); a key the
//! plan leaves out only where it may be left out.
//!
//! `cargo run --release -p maaza-extract --example prose_recall -- DATASET.jsonl SCHEMA_DIR ACCEPT.jsonl [-v]`

use maaza_extract::{Part, Presence};
use serde_json::Value;
use std::collections::HashMap;

/// A string as `score.py` compares it.
fn norm(s: &str) -> String {
    s.chars().filter(|c| !" ,./-_*^".contains(*c)).flat_map(char::to_lowercase).collect()
}

/// `v` with whole numbers as integers (`12.0` is `12`), as `score.py` compares them.
fn whole(v: &Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.fract() == 0.0 && x.abs() < 9e15 => Value::from(x as i64),
            _ => v.clone(),
        },
        Value::Array(xs) => Value::Array(xs.iter().map(whole).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), whole(x))).collect()),
        _ => v.clone(),
    }
}

/// Whether `part` admits `v` for `text`.
fn admits(part: &Part, v: &Value, text: &str) -> bool {
    let v = &whole(v);
    // (no span starts inside a name: `maaza_extract::emit::inside_names`)
    let inside = maaza_extract::emit::inside_names(text);
    let starts_inside = |s: &str| {
        inside.iter().any(|w| {
            s.strip_prefix(w.replace('\\', "").as_str()).is_some_and(|r| !r.starts_with(char::is_alphanumeric))
        })
    };
    let written = |x: &Value| x.as_str().is_some_and(|s| norm(text).contains(&norm(s)) && !starts_inside(s));
    // (a name the text writes and a code, where the key's example ends in one)
    let coded = |schema: &Value, s: &str| {
        let len = schema.get(maaza_extract::emit::CODE).and_then(Value::as_u64).unwrap_or(0) as usize;
        s.rsplit_once(", ").is_some_and(|(name, code)| {
            len > 0
                && code.len() == len
                && code.chars().all(|c| c.is_ascii_uppercase())
                && !name.contains(',')
                && written(&Value::from(name))
        })
    };
    match (part, v) {
        // (where there is a code, a span alone must write its own comma part)
        (Part::Span { schema }, Value::String(s)) if schema.get(maaza_extract::emit::CODE).is_some() => {
            coded(schema, s) || (written(v) && s.split(", ").skip(1).any(|t| t.starts_with(char::is_uppercase)))
        }
        (Part::Span { .. }, Value::String(_)) => written(v),
        (Part::Span { .. }, Value::Array(xs)) => part.allows(v) && xs.iter().all(written),
        // (a string the plan settles counts as `score.py` compares it: `x^3` for `x**3`)
        (Part::Scalar { candidates, .. }, Value::String(s)) => {
            candidates.iter().any(|c| c.value.as_str().is_some_and(|c| norm(c) == norm(s)))
        }
        _ => part.allows(v),
    }
}

fn read_lines(path: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: prose_recall DATASET.jsonl SCHEMA_DIR ACCEPT.jsonl [-v]");
        std::process::exit(2);
    }
    let verbose = args.iter().any(|a| a == "-v");
    let accept: HashMap<String, Value> = read_lines(&args[3])
        .into_iter()
        .map(|r| (r["id"].as_str().unwrap_or_default().to_string(), r["accept"].clone()))
        .collect();
    let (mut records, mut records_ok, mut keys, mut keys_ok) = (0, 0, 0, 0);
    for r in read_lines(&args[1]) {
        let id = r["id"].as_str().unwrap_or_default();
        let Some(Value::Object(answers)) = accept.get(id) else { continue };
        let path = format!("{}/{}.json", args[2], r["schema_id"].as_str().unwrap_or_default());
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("schema")).expect("schema json");
        let text = r["prompt"].as_str().unwrap_or_default();
        let plan = maaza_extract::prose::plan(&schema, text);
        let Part::Object { fields, .. } = &plan.root else { continue };
        let mut all = true;
        for (key, alternatives) in answers {
            let alternatives = alternatives.as_array().map(Vec::as_slice).unwrap_or_default();
            let optional = alternatives.iter().any(|a| a == "");
            let field = fields.iter().find(|f| &f.key == key);
            let ok = match field {
                None => optional,
                Some(f) if f.presence == Presence::Absent => optional,
                Some(f) => alternatives.iter().filter(|a| *a != "").any(|a| admits(&f.part, a, text)),
            };
            keys += 1;
            keys_ok += usize::from(ok);
            all &= ok;
            if verbose && !ok {
                let presence = field.map_or("no field".to_string(), |f| format!("{:?}", f.presence));
                println!("{id} {key}: accepted {}, plan {presence}", Value::Array(alternatives.to_vec()));
            }
        }
        records += 1;
        records_ok += usize::from(all);
    }
    let pct = |k: usize, n: usize| 100.0 * k as f64 / n.max(1) as f64;
    println!(
        "records {records}: an accepted answer allowed in {records_ok} ({:.1}%); keys {keys}: {keys_ok} ({:.1}%)",
        pct(records_ok, records),
        pct(keys_ok, keys)
    );
}
