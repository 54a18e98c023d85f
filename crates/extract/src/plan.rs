//! Stage 3, the plan: the schema laid over the text's tree. Per key: present (with
//! its candidate values, or its nested object or list items), absent, or open (the
//! text does not settle it and the model must). A plan whose every part has one
//! candidate *is* the answer ([`Plan::forced`]).

use crate::align::{self, MIN_SCORE};
use crate::text::{Doc, Node};
use crate::value::{self, Candidate};
use serde_json::{Map, Value};
use std::fmt;

/// The plan of one job.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub root: Part,
    /// Labels in the text that named some key: 0 means prose, where the plan knows nothing.
    pub aligned_labels: usize,
    /// Labels in blocks the plan read that named no key (and no open object took).
    pub spare_labels: usize,
    /// Optional flags no label gives that the text's unlabelled lines name (`The
    /// file is attached.` for `has_attachment`): prose the plan cannot read.
    pub named_in_prose: usize,
}

/// What the plan knows about one value.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// A scalar: the values the text supports, best first. Empty candidates: free,
    /// within `schema`.
    Scalar {
        candidates: Vec<Candidate>,
        schema: Value,
    },
    Object {
        fields: Vec<Field>,
        extra: Vec<(String, Part)>,
    },
    Array {
        items: Vec<Part>,
    },
    /// The text does not settle this value; the model decodes it under `schema`.
    Open {
        schema: Value,
    },
    /// A string the model copies from the text: a span of its words.
    Span {
        schema: Value,
    },
    /// A list whose items the model picks among `candidates` (numbers the text
    /// writes), one item at least and `max` at most.
    List {
        candidates: Vec<Candidate>,
        max: u64,
    },
}

/// One key of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    pub presence: Presence,
    /// Line of the label that gave the value.
    pub line: Option<usize>,
    pub part: Part,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// The text gives the key.
    Present,
    /// Optional and not in the text: left out.
    Absent,
    /// Required and not in the text: the model writes it.
    Required,
}

/// Labels that must name keys before the text counts as laid out by labels.
pub const MIN_STRUCTURE: usize = 2;

impl Plan {
    /// Whether the text lays the record out in labels: at least [`MIN_STRUCTURE`] of
    /// them name keys, and every label the plan read names a key (a label naming none
    /// is a value under another name, which the plan cannot place). Prose gives the
    /// plan nothing to stand on.
    pub fn is_structured(&self) -> bool {
        self.aligned_labels >= MIN_STRUCTURE && self.spare_labels == 0 && self.named_in_prose == 0
    }

    /// The one output the plan admits, if it admits only one.
    pub fn forced(&self) -> Option<Value> {
        self.root.forced()
    }

    /// Parts the model has to settle.
    pub fn open_parts(&self) -> usize {
        self.root.open_parts()
    }

    /// Whether the plan allows `value` at this part (candidate recall).
    pub fn allows(&self, value: &Value) -> bool {
        self.root.allows(value)
    }
}

impl Part {
    pub fn forced(&self) -> Option<Value> {
        match self {
            Part::Scalar { candidates, .. } if candidates.len() == 1 => Some(candidates[0].value.clone()),
            Part::Scalar { .. } | Part::Open { .. } | Part::Span { .. } | Part::List { .. } => None,
            Part::Object { fields, extra } => {
                let mut map = Map::new();
                for f in fields {
                    match f.presence {
                        Presence::Absent => {}
                        Presence::Present => {
                            map.insert(f.key.clone(), f.part.forced()?);
                        }
                        Presence::Required => return None,
                    }
                }
                for (k, p) in extra {
                    map.insert(k.clone(), p.forced()?);
                }
                Some(Value::Object(map))
            }
            Part::Array { items } => items.iter().map(Part::forced).collect::<Option<Vec<_>>>().map(Value::Array),
        }
    }

    fn open_parts(&self) -> usize {
        match self {
            Part::Scalar { candidates, .. } => usize::from(candidates.len() != 1),
            Part::Open { .. } | Part::Span { .. } | Part::List { .. } => 1,
            Part::Object { fields, extra } => {
                fields
                    .iter()
                    .map(|f| match f.presence {
                        Presence::Absent => 0,
                        Presence::Present => f.part.open_parts(),
                        Presence::Required => 1,
                    })
                    .sum::<usize>()
                    + extra.iter().map(|(_, p)| p.open_parts()).sum::<usize>()
            }
            Part::Array { items } => items.iter().map(Part::open_parts).sum(),
        }
    }

    /// Whether the value could come out of this part: a candidate, or anything where
    /// the part is free; objects key by key, arrays item by item.
    pub fn allows(&self, v: &Value) -> bool {
        match self {
            Part::Scalar { candidates, .. } if candidates.is_empty() => true,
            Part::Scalar { candidates, .. } => candidates.iter().any(|c| value::same(&c.value, v)),
            Part::Open { .. } => true,
            Part::Span { schema } if main_type(schema) == Some("array") => v.as_array().is_some_and(|xs| {
                let max = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
                !xs.is_empty() && xs.len() as u64 <= max && xs.iter().all(Value::is_string)
            }),
            Part::Span { .. } => v.is_string(),
            Part::List { candidates, max } => v.as_array().is_some_and(|xs| {
                !xs.is_empty()
                    && xs.len() as u64 <= *max
                    && xs.iter().all(|x| candidates.iter().any(|c| value::same(&c.value, x)))
            }),
            Part::Object { fields, extra } => {
                let Value::Object(map) = v else { return false };
                let keys_ok = map.keys().all(|k| {
                    fields.iter().any(|f| &f.key == k && f.presence != Presence::Absent)
                        || extra.iter().any(|(e, _)| e == k)
                });
                let fields_ok = fields.iter().all(|f| match (map.get(&f.key), f.presence) {
                    (None, Presence::Present) => false,
                    (None, _) => true,
                    (Some(x), Presence::Present) => f.part.allows(x),
                    (Some(_), Presence::Required) => true,
                    (Some(_), Presence::Absent) => false,
                });
                let extra_ok = extra.iter().all(|(k, p)| map.get(k).is_some_and(|x| p.allows(x)));
                keys_ok && fields_ok && extra_ok
            }
            Part::Array { items } => {
                let Value::Array(xs) = v else { return false };
                xs.len() == items.len() && items.iter().zip(xs).all(|(p, x)| p.allows(x))
            }
        }
    }
}

/// Lays `schema` over the text's tree.
pub fn plan(schema: &Value, doc: &Doc) -> Plan {
    let mut planner = Planner { root: schema, aligned: 0, spare: 0 };
    let nodes: Vec<&Node> = doc.nodes.iter().collect();
    let root = planner.object(schema, &nodes);
    let prose: Vec<String> =
        doc.nodes.iter().filter(|n| n.label.is_none()).flat_map(|n| align::words(&n.value)).collect();
    let named_in_prose = match &root {
        Part::Object { fields, .. } => fields
            .iter()
            .filter(|f| {
                // A flag stated in a sentence (`The file is attached.`); other values a
                // sentence names are the record's title or the request, not values.
                let flag = matches!(&f.part, Part::Open { schema } if main_type(schema) == Some("boolean"));
                flag && f.presence == Presence::Absent && align::words(&f.key).iter().any(|w| align::names(w, &prose))
            })
            .count(),
        _ => 0,
    };
    Plan { root, aligned_labels: planner.aligned, spare_labels: planner.spare, named_in_prose }
}

struct Planner<'s> {
    root: &'s Value,
    aligned: usize,
    spare: usize,
}

impl<'s> Planner<'s> {
    /// Follows a local `$ref` (`#/definitions/x`, `#/$defs/x`, `#`).
    fn resolve<'a>(&self, schema: &'a Value) -> &'a Value
    where
        's: 'a,
    {
        resolve(self.root, schema)
    }

    /// An object from the nodes of its block.
    fn object(&mut self, schema: &Value, nodes: &[&Node]) -> Part {
        let schema = self.resolve(schema);
        let props = schema.get("properties").and_then(Value::as_object);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map_or(Vec::new(), |r| r.iter().filter_map(Value::as_str).collect());
        // Each labelled node goes to the key it names best; each key takes its best node.
        let mut taken = vec![false; nodes.len()];
        let block_text = block_text(nodes);
        let mut fields = Vec::new();
        if let Some(props) = props {
            let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
            for (k, (key, prop)) in props.iter().enumerate() {
                let prop = self.resolve(prop);
                for (n, node) in nodes.iter().enumerate() {
                    if let Some(label) = &node.label {
                        let s = align::score(label, key, prop);
                        if s >= MIN_SCORE {
                            pairs.push((s, k, n));
                        }
                    }
                }
            }
            // Best score first; ties by text order.
            pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
            let mut chosen: Vec<Option<usize>> = vec![None; props.len()];
            for (_, k, n) in pairs {
                if chosen[k].is_none() && !taken[n] {
                    chosen[k] = Some(n);
                    taken[n] = true;
                }
            }
            for (k, (key, prop)) in props.iter().enumerate() {
                let is_required = required.contains(&key.as_str());
                let field = match chosen[k] {
                    Some(n) => {
                        self.aligned += 1;
                        let part = self.value(prop, nodes[n]);
                        match part {
                            Some(part) => {
                                Field { key: key.clone(), presence: Presence::Present, line: Some(nodes[n].line), part }
                            }
                            None => self.missing(key, prop, is_required, &block_text),
                        }
                    }
                    None => self.missing(key, prop, is_required, &block_text),
                };
                fields.push(field);
            }
        }
        let mut extra = Vec::new();
        if !allows_extra(schema) {
            self.spare += nodes.iter().zip(&taken).filter(|(n, t)| n.label.is_some() && !**t).count();
        } else {
            // An open object takes the labels of its own block that name no key.
            for (n, node) in nodes.iter().enumerate() {
                let Some(label) = node.label.as_deref().filter(|_| !taken[n]) else { continue };
                let key = align::key_of(label);
                if key.is_empty() || extra.iter().any(|(k, _)| k == &key) {
                    continue;
                }
                let part = if node.children.is_empty() {
                    Part::Scalar { candidates: value::by_shape(&node.value), schema: Value::Bool(true) }
                } else {
                    let children: Vec<&Node> = node.children.iter().collect();
                    self.object(&Value::Bool(true), &children)
                };
                extra.push((key, part));
            }
        }
        Part::Object { fields, extra }
    }

    /// A key no label names. Optional: left out. Required: a choice (enum) takes the
    /// values the text writes anywhere, else any of its values, for the model to pick;
    /// other values are open.
    fn missing(&self, key: &str, prop: &Value, required: bool, text: &str) -> Field {
        let prop = self.resolve(prop);
        if !required {
            return Field {
                key: key.to_string(),
                presence: Presence::Absent,
                line: None,
                part: Part::Open { schema: prop.clone() },
            };
        }
        let part = match prop.get("enum").and_then(Value::as_array) {
            Some(choices) if !choices.is_empty() => {
                Part::Scalar { candidates: value::written_choices(choices, text), schema: prop.clone() }
            }
            _ => Part::Open { schema: prop.clone() },
        };
        Field { key: key.to_string(), presence: Presence::Present, line: None, part }
    }

    /// The value of one labelled node under `schema`; `None` when the text gives
    /// nothing for it (an empty header for a scalar or a list).
    fn value(&mut self, schema: &Value, node: &Node) -> Option<Part> {
        let schema = self.resolve(schema);
        match main_type(schema) {
            Some("object") => {
                if node.children.is_empty() && !node.value.is_empty() {
                    // `Location: Believe` for an object: the text does not lay it out.
                    return Some(Part::Open { schema: schema.clone() });
                }
                let children: Vec<&Node> = node.children.iter().collect();
                Some(self.object(schema, &children))
            }
            Some("array") => self.array(schema, node),
            _ => {
                if node.value.is_empty() {
                    return None;
                }
                Some(Part::Scalar { candidates: value::candidates(schema, &node.value), schema: schema.clone() })
            }
        }
    }

    /// A list under its label: items of objects split where a label repeats or the
    /// schema's order starts again; scalars one per line, else split at commas.
    fn array(&mut self, schema: &Value, node: &Node) -> Option<Part> {
        let items_schema = self.resolve(schema.get("items").unwrap_or(&Value::Bool(true)));
        let items: Vec<Part> = if main_type(items_schema) == Some("object") {
            let children: Vec<&Node> = node.children.iter().collect();
            let groups = self.split_items(items_schema, &children);
            groups.iter().map(|g| self.object(items_schema, g)).collect()
        } else if !node.children.is_empty() {
            node.children
                .iter()
                .filter(|c| c.label.is_none())
                .map(|c| Part::Scalar {
                    candidates: value::candidates(items_schema, &c.value),
                    schema: items_schema.clone(),
                })
                .collect()
        } else {
            value::list_items(&node.value)
                .into_iter()
                .map(|v| Part::Scalar { candidates: value::candidates(items_schema, v), schema: items_schema.clone() })
                .collect()
        };
        if items.is_empty() {
            return None;
        }
        Some(Part::Array { items })
    }

    /// Cuts a block into list items: at bullets when there are any; else where a
    /// label's key is already in the item or comes before the item's last key in the
    /// schema's order (items are written key by key in one order).
    fn split_items<'n>(&self, item_schema: &Value, nodes: &[&'n Node]) -> Vec<Vec<&'n Node>> {
        let mut groups: Vec<Vec<&Node>> = Vec::new();
        if nodes.iter().any(|n| n.bullet) {
            for n in nodes {
                if n.bullet || groups.is_empty() {
                    groups.push(Vec::new());
                }
                let g = groups.last_mut().expect("a group was pushed");
                g.push(n);
                if n.bullet {
                    g.extend(n.children.iter());
                }
            }
            return groups;
        }
        let props = item_schema.get("properties").and_then(Value::as_object);
        let index_of = |label: &str| -> Option<usize> {
            let props = props?;
            props
                .iter()
                .enumerate()
                .map(|(i, (k, p))| (i, align::score(label, k, self.resolve(p))))
                .filter(|(_, s)| *s >= MIN_SCORE)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        };
        let mut seen: Vec<usize> = Vec::new();
        for n in nodes {
            let idx = n.label.as_deref().and_then(index_of);
            let starts = match idx {
                Some(i) => seen.contains(&i) || seen.last().is_some_and(|&last| i < last),
                None => false,
            };
            if starts || groups.is_empty() {
                groups.push(Vec::new());
                seen.clear();
            }
            groups.last_mut().expect("a group was pushed").push(n);
            if let Some(i) = idx {
                seen.push(i);
            }
        }
        groups
    }
}

/// `schema` with local `$ref`s (`#/definitions/x`, `#/$defs/x`, `#`) followed, a few
/// levels deep; a reference that leads nowhere stays as it is.
pub fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let mut s = schema;
    for _ in 0..8 {
        match s.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|p| root.pointer(p)) {
            Some(t) => s = t,
            None => break,
        }
    }
    s
}

/// All the text of a block, its nested lines included.
fn block_text(nodes: &[&Node]) -> String {
    fn walk(n: &Node, out: &mut String) {
        if let Some(l) = &n.label {
            out.push_str(l);
            out.push_str(": ");
        }
        out.push_str(&n.value);
        out.push('\n');
        n.children.iter().for_each(|c| walk(c, out));
    }
    let mut out = String::new();
    nodes.iter().for_each(|n| walk(n, &mut out));
    out
}

/// The schema's type, the first non-null one of a list; inferred from
/// `properties`/`items` when not written.
pub fn main_type(schema: &Value) -> Option<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => Some(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ if schema.get("properties").is_some() => Some("object"),
        _ if schema.get("items").is_some() => Some("array"),
        _ => None,
    }
}

/// An object that takes keys beyond its properties: `additionalProperties` true or
/// a schema, or no properties listed at all.
fn allows_extra(schema: &Value) -> bool {
    match schema.get("additionalProperties") {
        Some(Value::Bool(b)) => *b,
        Some(Value::Object(_)) => true,
        _ => schema.get("properties").is_none(),
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn write(f: &mut fmt::Formatter<'_>, part: &Part, depth: usize) -> fmt::Result {
            let pad = "  ".repeat(depth);
            match part {
                Part::Scalar { candidates, .. } if candidates.is_empty() => writeln!(f, "free"),
                Part::Scalar { candidates, .. } => {
                    let c: Vec<String> = candidates.iter().map(|c| format!("{} ({:.2})", c.value, c.score)).collect();
                    writeln!(f, "{}", c.join(" | "))
                }
                Part::Open { .. } => writeln!(f, "open"),
                Part::Span { schema } if main_type(schema) == Some("array") => {
                    let max = schema
                        .get("maxItems")
                        .and_then(Value::as_u64)
                        .map_or(String::new(), |m| format!(", at most {m}"));
                    writeln!(f, "spans of the text{max}")
                }
                Part::Span { .. } => writeln!(f, "a span of the text"),
                Part::List { candidates, max } => {
                    let c: Vec<String> = candidates.iter().map(|c| c.value.to_string()).collect();
                    writeln!(f, "a list of up to {max} of {}", c.join(" | "))
                }
                Part::Object { fields, extra } => {
                    writeln!(f, "object")?;
                    for fl in fields {
                        let at = fl.line.map_or(String::new(), |l| format!(" @{l}"));
                        match fl.presence {
                            Presence::Absent => writeln!(f, "{pad}  {}: absent", fl.key)?,
                            Presence::Required => writeln!(f, "{pad}  {}: required, open", fl.key)?,
                            Presence::Present => {
                                write!(f, "{pad}  {}{at}: ", fl.key)?;
                                write(f, &fl.part, depth + 1)?;
                            }
                        }
                    }
                    for (k, p) in extra {
                        write!(f, "{pad}  {k} (extra): ")?;
                        write(f, p, depth + 1)?;
                    }
                    Ok(())
                }
                Part::Array { items } => {
                    writeln!(f, "{} items", items.len())?;
                    for (i, p) in items.iter().enumerate() {
                        write!(f, "{pad}  [{i}] ")?;
                        write(f, p, depth + 1)?;
                    }
                    Ok(())
                }
            }
        }
        write(f, &self.root, 0)?;
        writeln!(
            f,
            "aligned labels: {}, spare labels: {}, optional keys named in prose: {}, open parts: {}",
            self.aligned_labels,
            self.spare_labels,
            self.named_in_prose,
            self.open_parts()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn forced(schema: &Value, text: &str) -> Value {
        let p = crate::plan(schema, text);
        assert!(p.is_structured(), "{p}");
        p.forced().unwrap_or_else(|| panic!("not forced:\n{p}"))
    }

    fn field<'p>(p: &'p Part, key: &str) -> &'p Field {
        let Part::Object { fields, .. } = p else { panic!("not an object: {p:?}") };
        fields.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("no {key}"))
    }

    #[test]
    fn repeated_labels_are_list_items_two_levels_deep() {
        let schema = json!({"type": "object", "properties": {
            "site": {"type": "string"},
            "rules": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"},
                "checks": {"type": "array", "items": {"type": "object", "properties": {
                    "probe": {"type": "string"}, "limit": {"type": "number"}, "unit": {"type": "string"}}}}}}}}});
        let text = "Site: Harbour\nRules:\n  Name: cold\n  Checks:\n    Probe: t1\n    Limit: 4\n    Probe: t2\n    Unit: C\n  Name: dry\n";
        let plan = crate::plan(&schema, text);
        let Part::Array { items } = &field(&plan.root, "rules").part else { panic!("{plan}") };
        assert_eq!(items.len(), 2, "{plan}");
        let Part::Array { items: checks } = &field(&items[0], "checks").part else { panic!("{plan}") };
        assert_eq!(checks.len(), 2, "a repeated label starts an item: {plan}");
        assert_eq!(
            plan.forced().unwrap(),
            json!({"site": "Harbour", "rules": [
                {"name": "cold", "checks": [{"probe": "t1", "limit": 4}, {"probe": "t2", "unit": "C"}]},
                {"name": "dry"}]})
        );
    }

    #[test]
    fn the_schema_order_starting_again_starts_an_item() {
        let schema = json!({"type": "object", "properties": {"rows": {"type": "array", "items": {"type": "object",
            "properties": {"code": {"type": "string"}, "qty": {"type": "integer"}, "note": {"type": "string"}}}}}});
        let out = forced(&schema, "Rows:\n  Code: A\n  Note: x\n  Qty: 2\n  Note: y\n\nthanks");
        assert_eq!(out, json!({"rows": [{"code": "A", "note": "x"}, {"qty": 2, "note": "y"}]}));
    }

    #[test]
    fn ordinary_words_and_sentences_are_values_as_written() {
        let schema = json!({"type": "object", "properties": {"from": {"type": "string"}, "body": {"type": "string"},
            "flag": {"type": "boolean"}}});
        let out = forced(&schema, "From: Of\nBody: Keep it. Then go.\nFlag: False");
        assert_eq!(out, json!({"from": "Of", "body": "Keep it. Then go.", "flag": false}));
    }

    #[test]
    fn open_objects_take_their_block_and_are_empty_when_it_is() {
        let schema = json!({"type": "object", "properties": {"id": {"type": "string"},
            "meta": {"type": "object"}, "extra": {"type": "object", "additionalProperties": true}}});
        let out = forced(&schema, "Id: n1\nMeta:\nExtra:\n  Zone Name: b\n  Level: 3\n");
        assert_eq!(out, json!({"id": "n1", "meta": {}, "extra": {"zone_name": "b", "level": 3}}));
    }

    #[test]
    fn keys_absent_from_the_text_are_left_out_or_left_open() {
        let schema = json!({"type": "object", "required": ["id", "level"], "properties": {
            "id": {"type": "string"}, "level": {"enum": ["low", "high"]}, "note": {"type": "string"}, "n": {"type": "integer"}}});
        let plan = crate::plan(&schema, "Id: a\nN: 3\nall is high here");
        assert_eq!(field(&plan.root, "note").presence, Presence::Absent);
        assert_eq!(plan.forced(), Some(json!({"id": "a", "level": "high", "n": 3})), "{plan}");
        let plan = crate::plan(&schema, "Id: a\nN: 3\n");
        assert_eq!(plan.forced(), None, "the model picks the level: {plan}");
        assert_eq!(plan.open_parts(), 1);
    }

    #[test]
    fn a_label_naming_no_key_leaves_the_text_to_the_model() {
        let schema = json!({"type": "object", "properties": {"door": {"type": "string"}, "badge": {"type": "string"},
            "time": {"type": "string"}}});
        assert!(crate::plan(&schema, "Door: north\nBadge: 7\nTime: 10:00").is_structured());
        assert!(!crate::plan(&schema, "Door: north\nBadge: 7\nOperator: Kim").is_structured());
        assert!(!crate::plan(&schema, "the north door opened with badge 7").is_structured());
    }

    #[test]
    fn candidate_recall_checks_the_plan_allows_a_value() {
        let schema = json!({"type": "object", "properties": {"kind": {"enum": ["a", "b"]}, "n": {"type": "number"}}});
        let plan = crate::plan(&schema, "Kind: c\nN: 2.0");
        assert!(plan.allows(&json!({"kind": "b", "n": 2})));
        assert!(!plan.allows(&json!({"kind": "b", "n": 3})));
        assert!(!plan.allows(&json!({"kind": "b"})));
    }
}
