//! `maaza bench gen`: a seeded generator of EdgeJSON-format examples over our own
//! `schemas/`. A record is drawn once (values, which optional fields are present) and
//! both the expected output and the text are derived from it, so every expected value
//! is written in the text and every absent field is absent from both. The text takes
//! one of the surface forms real edge text has (see [`render`]), with labels, their
//! casing and the field order varied.

mod pools;
mod records;
mod render;
pub mod rng;

use rng::Rng;
use serde_json::{json, Map, Number, Value};

/// How a record is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A title line, then `Label: value` lines, nested objects and lists indented.
    Block,
    /// Sentences.
    Prose,
    /// One log line, `key=value` pairs.
    Log,
    /// A terse sensor string: short labels, values with units.
    Terse,
    /// An e-mail: headers, a blank line, a body.
    Email,
}

impl Form {
    pub fn name(self) -> &'static str {
        match self {
            Form::Block => "block",
            Form::Prose => "prose",
            Form::Log => "log",
            Form::Terse => "terse",
            Form::Email => "email",
        }
    }
}

/// One value of a record.
#[derive(Debug, Clone)]
pub enum Val {
    Text(String),
    /// A number as written, and the unit written after it (may be empty).
    Num(String, String),
    Bool(bool),
    /// An enum value and how the text writes it.
    Choice(&'static str, String),
    Obj(Vec<Field>),
    List(Vec<Val>),
}

/// One field of a record: its schema key, how text labels it, and its value.
#[derive(Debug, Clone)]
pub struct Field {
    pub key: &'static str,
    /// Label variants, longest first; the last is the short form used by terse text.
    pub labels: &'static [&'static str],
    /// How prose says it, `{}` standing for the value; for a boolean `"yes form|no form"`.
    pub phrase: &'static str,
    pub value: Val,
}

/// One drawn record of a schema.
#[derive(Debug, Clone)]
pub struct Record {
    pub schema_id: &'static str,
    pub complexity: &'static str,
    /// Title-line variants.
    pub titles: &'static [&'static str],
    pub fields: Vec<Field>,
    /// The surface forms that suit this kind of record.
    pub forms: &'static [Form],
    /// For e-mail records the fields are the headers themselves.
    pub headers: bool,
}

impl Val {
    /// The expected JSON: numbers by the value of their text.
    pub fn expected(&self) -> Value {
        match self {
            Val::Text(s) => Value::String(s.clone()),
            Val::Num(text, _) => match text.parse::<i64>() {
                Ok(i) => Value::Number(i.into()),
                Err(_) => text.parse::<f64>().ok().and_then(Number::from_f64).map_or(Value::Null, Value::Number),
            },
            Val::Bool(b) => Value::Bool(*b),
            Val::Choice(v, _) => Value::String((*v).to_string()),
            Val::Obj(fields) => object(fields),
            Val::List(items) => Value::Array(items.iter().map(Val::expected).collect()),
        }
    }
}

fn object(fields: &[Field]) -> Value {
    let mut map = Map::new();
    for f in fields {
        map.insert(f.key.to_string(), f.value.expected());
    }
    Value::Object(map)
}

/// The generated dataset, split.
pub struct Generated {
    pub dev: Vec<Value>,
    pub heldout: Vec<Value>,
}

/// `count` examples from `seed`: 40% simple, 40% medium, 20% complex, schemas taken in
/// turn within each complexity, forms drawn from what suits each record. A `holdout`
/// fraction of each complexity goes to the held-out split, spread evenly through it.
pub fn generate(seed: u64, count: usize, holdout: f64) -> Generated {
    let mut rng = Rng::new(seed);
    let simple = count * 2 / 5;
    let medium = count * 2 / 5;
    let quotas = [("simple", simple), ("medium", medium), ("complex", count - simple - medium)];
    let (mut dev, mut heldout) = (Vec::new(), Vec::new());
    let mut n = 0;
    for (complexity, quota) in quotas {
        let ids = records::schema_ids(complexity);
        for i in 0..quota {
            n += 1;
            let record = records::draw(ids[i % ids.len()], &mut rng);
            let form = *rng.pick(record.forms);
            let prompt = render::render(&record, form, &mut rng);
            let example = json!({
                "id": format!("gen-{n:04}"),
                "schema_id": record.schema_id,
                "complexity": record.complexity,
                "form": form.name(),
                "prompt": prompt,
                "expected_output": object(&record.fields),
            });
            // Spread the held-out share evenly: the i-th example is held out when the
            // whole number of held-out examples so far steps up at it.
            if ((i + 1) as f64 * holdout).floor() > (i as f64 * holdout).floor() {
                heldout.push(example);
            } else {
                dev.push(example);
            }
        }
    }
    Generated { dev, heldout }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_and_the_mix_are_as_asked() {
        let g = generate(11, 160, 0.4);
        assert_eq!(g.dev.len() + g.heldout.len(), 160);
        assert_eq!(g.heldout.len(), 25 + 25 + 12);
        let count = |c: &str| g.dev.iter().chain(&g.heldout).filter(|e| e["complexity"] == c).count();
        assert_eq!((count("simple"), count("medium"), count("complex")), (64, 64, 32));
        let held_complex = g.heldout.iter().filter(|e| e["complexity"] == "complex").count();
        assert_eq!(held_complex, 12);
    }

    /// Every expected output is valid against its schema, every string value is written
    /// in the text, and every number is written there as a number of the same value.
    #[test]
    fn every_example_is_valid_and_recoverable_from_its_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let registry = crate::schema::SchemaRegistry::load(&dir).unwrap();
        let g = generate(11, 400, 0.4);
        let mut forms = std::collections::BTreeSet::new();
        for e in g.dev.iter().chain(&g.heldout) {
            let schema = registry.get(e["schema_id"].as_str().unwrap()).unwrap();
            let expected = &e["expected_output"];
            assert!(schema.violations(expected).is_empty(), "{e}: {:?}", schema.violations(expected));
            let prompt = e["prompt"].as_str().unwrap();
            let path = registry.entries().find(|(id, _)| *id == e["schema_id"]).unwrap().1;
            let schema_text = std::fs::read_to_string(path).unwrap();
            let numbers: Vec<f64> = prompt
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter_map(|w| w.trim_end_matches('.').parse().ok())
                .collect();
            let mut stack = vec![expected];
            while let Some(v) = stack.pop() {
                match v {
                    Value::String(s) => {
                        // Enum values may be written in another casing (`CRITICAL`).
                        let is_enum = schema_text.contains(&format!("\"{s}\""));
                        let written_other_case = is_enum && prompt.to_lowercase().contains(&s.to_lowercase());
                        assert!(prompt.contains(s.as_str()) || written_other_case, "{s:?} not in {prompt:?}");
                    }
                    Value::Number(n) => {
                        let n = n.as_f64().unwrap();
                        assert!(numbers.contains(&n), "{n} not in {prompt:?}");
                    }
                    Value::Array(items) => stack.extend(items),
                    Value::Object(map) => stack.extend(map.values()),
                    _ => {}
                }
            }
            forms.insert(e["form"].as_str().unwrap().to_string());
        }
        assert_eq!(forms.len(), 5, "{forms:?}");
    }

    #[test]
    fn the_same_seed_gives_the_same_dataset_and_another_seed_another() {
        let a = generate(3, 40, 0.25);
        let b = generate(3, 40, 0.25);
        assert_eq!(a.dev, b.dev);
        assert_eq!(a.heldout, b.heldout);
        assert_ne!(generate(4, 40, 0.25).dev, a.dev);
    }
}
