//! Stage 3, the plan: the schema laid over the text's tree. Per key: present (with
//! its candidate values, or its nested object or list items), absent, or open (the
//! text does not settle it and the model must). A plan whose every part has one
//! candidate *is* the answer ([`Plan::forced`]).

use crate::align::{self, MIN_SCORE};
use crate::shape;
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
    /// Keys that no label names but that a value's shape places: a pair under
    /// another name or a bare segment of a line of pairs ([`Planner::place`]).
    pub placed: usize,
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

/// Below this score a label only shares a word with a key or its description.
const WEAK_SCORE: f64 = 0.85;

/// Labels that must name keys before the text counts as laid out by labels.
pub const MIN_STRUCTURE: usize = 2;

impl Plan {
    /// Whether the text lays the record out in labels: at least [`MIN_STRUCTURE`] of
    /// them name keys (or place them by shape), and every label the plan read names
    /// or places a key (a label naming none is a value under another name, which the
    /// plan cannot place). Prose gives the plan nothing to stand on.
    pub fn is_structured(&self) -> bool {
        self.aligned_labels + self.placed >= MIN_STRUCTURE && self.spare_labels == 0 && self.named_in_prose == 0
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

    /// Whether the plan allows `value` for `text`, a span only where `text` writes
    /// its string as whole words (a prose plan's candidate recall: its spans are the
    /// text's words).
    pub fn admits(&self, value: &Value, text: &str) -> bool {
        self.root.allows_in(value, Some(text))
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

    /// The schema this part decodes under, where it has one.
    pub fn schema(&self) -> Option<&Value> {
        match self {
            Part::Scalar { schema, .. } | Part::Open { schema } | Part::Span { schema } => Some(schema),
            _ => None,
        }
    }

    /// Whether the value could come out of this part: a candidate, or anything where
    /// the part is free; objects key by key, arrays item by item.
    pub fn allows(&self, v: &Value) -> bool {
        self.allows_in(v, None)
    }

    /// [`Part::allows`], and where `text` is given, a span's strings are written in it.
    fn allows_in(&self, v: &Value, text: Option<&str>) -> bool {
        let written = |x: &Value| x.as_str().is_some_and(|s| text.is_none_or(|t| written_in(s, t)));
        match self {
            Part::Scalar { candidates, .. } if candidates.is_empty() => true,
            Part::Scalar { candidates, .. } => candidates.iter().any(|c| value::same(&c.value, v)),
            Part::Open { .. } => true,
            Part::Span { schema } if main_type(schema) == Some("array") => v.as_array().is_some_and(|xs| {
                let max = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
                !xs.is_empty() && xs.len() as u64 <= max && xs.iter().all(written)
            }),
            Part::Span { .. } => written(v),
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
                    (Some(x), Presence::Present) => f.part.allows_in(x, text),
                    (Some(_), Presence::Required) => true,
                    (Some(_), Presence::Absent) => false,
                });
                let extra_ok = extra.iter().all(|(k, p)| map.get(k).is_some_and(|x| p.allows_in(x, text)));
                keys_ok && fields_ok && extra_ok
            }
            Part::Array { items } => {
                let Value::Array(xs) = v else { return false };
                xs.len() == items.len() && items.iter().zip(xs).all(|(p, x)| p.allows_in(x, text))
            }
        }
    }
}

/// Lays `schema` over the text's tree.
pub fn plan(schema: &Value, doc: &Doc) -> Plan {
    let mut planner = Planner { root: schema, aligned: 0, spare: 0, placed: 0, depth: 0, path: Vec::new() };
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
    Plan { root, aligned_labels: planner.aligned, spare_labels: planner.spare, named_in_prose, placed: planner.placed }
}

struct Planner<'s> {
    root: &'s Value,
    aligned: usize,
    spare: usize,
    placed: usize,
    /// Objects entered: blocks are read under other names only so deep.
    depth: usize,
    /// The schemas of the objects entered (by address): a block written flat is not
    /// read into an object that holds it (`{"$ref": "#"}`).
    path: Vec<usize>,
}

/// Deepest object at which a block is read under another name.
const MAX_DEPTH: usize = 8;

/// Deepest object the plan reads at all (a schema that refers to itself follows
/// the text's blocks); deeper, the model decodes it.
const MAX_NESTING: usize = 48;

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
        if self.depth >= MAX_NESTING {
            return Part::Open { schema: schema.clone() };
        }
        self.depth += 1;
        self.path.push(std::ptr::from_ref(schema) as usize);
        let part = self.object_at_depth(schema, nodes);
        self.path.pop();
        self.depth -= 1;
        part
    }

    fn object_at_depth(&mut self, schema: &Value, nodes: &[&Node]) -> Part {
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
                        // (a label that only shares a word with the key names it only
                        // where its value fits: `result=1.2` is no `flag` "result flag")
                        let weak = s < WEAK_SCORE && node.children.is_empty() && !node.value.is_empty();
                        if s >= MIN_SCORE && (!weak || fits(key, prop, &node.value)) {
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
            // A short label (`dev`, `stn`, `V`) names the one key it abbreviates, where
            // its value fits that key (`W=64.2 km/h` is no `wind_direction` of 3 letters).
            for (n, node) in nodes.iter().enumerate() {
                let Some(label) = node.label.as_deref().filter(|_| !taken[n]) else { continue };
                let Some(k) = align::short_form_of(label, props.keys().map(String::as_str)) else { continue };
                if let Some((key, prop)) = props.iter().nth(k).map(|(key, prop)| (key, self.resolve(prop))) {
                    let block = matches!(main_type(prop), Some("object" | "array")) && !node.children.is_empty();
                    if chosen[k].is_none() && (block || fits(key, prop, &node.value)) {
                        chosen[k] = Some(n);
                        taken[n] = true;
                    }
                }
            }
            let mut placed = self.flat_objects(props, &chosen, &mut taken, nodes);
            let done: Vec<bool> = (0..props.len()).map(|k| chosen[k].is_some() || placed[k].is_some()).collect();
            for (k, p) in self.place(props, &required, &done, &mut taken, nodes).into_iter().enumerate() {
                if p.is_some() {
                    placed[k] = p;
                }
            }
            for (k, (key, prop)) in props.iter().enumerate() {
                let is_required = required.contains(&key.as_str());
                let field = match chosen[k] {
                    None if placed[k].is_some() => {
                        let (n, part) = placed[k].take().expect("checked just above");
                        Field { key: key.clone(), presence: Presence::Present, line: Some(nodes[n].line), part }
                    }
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

    /// A nested object that no label names but whose keys are written among its
    /// parent's (`W=64.2; P=964.4` for `readings`): it takes the labels left that
    /// name its keys, by name or short form. Then blocks under other names.
    fn flat_objects(
        &mut self,
        props: &Map<String, Value>,
        chosen: &[Option<usize>],
        taken: &mut [bool],
        nodes: &[&Node],
    ) -> Vec<Option<(usize, Part)>> {
        let mut out: Vec<Option<(usize, Part)>> = vec![None; props.len()];
        if self.depth >= MAX_DEPTH {
            return out;
        }
        for (k, (_, prop)) in props.iter().enumerate() {
            let prop = self.resolve(prop);
            let holds_it = self.path.contains(&(std::ptr::from_ref(prop) as usize));
            let Some(inner) =
                prop.get("properties").and_then(Value::as_object).filter(|_| chosen[k].is_none() && !holds_it)
            else {
                continue;
            };
            let names = |label: &str| {
                inner.iter().any(|(key, p)| align::score(label, key, self.resolve(p)) >= MIN_SCORE)
                    || align::short_form_of(label, inner.keys().map(String::as_str)).is_some()
            };
            let own: Vec<usize> = (0..nodes.len())
                .filter(|&n| !taken[n] && nodes[n].children.is_empty() && nodes[n].label.as_deref().is_some_and(names))
                .collect();
            if own.is_empty() {
                continue;
            }
            let block: Vec<&Node> = own.iter().map(|&n| nodes[n]).collect();
            let part = self.object(prop, &block);
            for &n in &own {
                taken[n] = true;
            }
            out[k] = Some((own[0], part));
        }
        // A block under another name (`reported by:` / `name: …` for `customer`,
        // `Lines:` / `- Code: …` for `items`): the one object or list of objects
        // left whose keys its labels name, where no other block's labels do.
        let root = self.root;
        let inner_of = |prop: &Value| -> Option<Map<String, Value>> {
            let prop = resolve(root, prop);
            let inner = match main_type(prop) {
                Some("array") => resolve(root, prop.get("items")?),
                _ => prop,
            };
            inner.get("properties").and_then(Value::as_object).cloned()
        };
        let named_by = |n: usize, inner: &Map<String, Value>| {
            nodes[n]
                .children
                .iter()
                .filter_map(|c| c.label.as_deref())
                .any(|label| inner.iter().any(|(key, p)| align::score(label, key, resolve(root, p)) >= MIN_SCORE))
        };
        let headers: Vec<usize> = (0..nodes.len())
            .filter(|&n| !taken[n] && nodes[n].label.is_some() && !nodes[n].children.is_empty())
            .collect();
        let open: Vec<(usize, Map<String, Value>)> = props
            .values()
            .enumerate()
            .filter(|&(k, _)| chosen[k].is_none() && out[k].is_none())
            .filter_map(|(k, prop)| inner_of(prop).map(|inner| (k, inner)))
            .collect();
        for (k, inner) in &open {
            let blocks: Vec<usize> = headers.iter().copied().filter(|&n| named_by(n, inner)).collect();
            if let [n] = blocks[..] {
                if open.iter().filter(|(_, other)| named_by(n, other)).count() == 1 {
                    let prop = props.values().nth(*k).expect("k indexes props");
                    if let Some(part) = self.value(prop, nodes[n]) {
                        taken[n] = true;
                        out[*k] = Some((n, part));
                    }
                }
            }
        }
        out
    }

    /// Values under no label of theirs that only one key can take, by shape: a pair
    /// whose label names no key (`unit=valve-11` for `device`), or a bare segment of a
    /// line of pairs (`WARNING`, `v5.0.0-rc2 | dev=…`, the message after the pairs).
    /// A segment whose first word names a key gives it the rest (`stn Lisbon`); then
    /// enums, flags and numbers, and then strings, each take a value where each is
    /// the other's only match. A bare line of its own (a title) is never placed, nor
    /// a pair whose label names a key (`city=Rome` after `city=Paris`).
    fn place(
        &mut self,
        props: &Map<String, Value>,
        required: &[&str],
        done: &[bool],
        taken: &mut [bool],
        nodes: &[&Node],
    ) -> Vec<Option<(usize, Part)>> {
        let keys: Vec<(&String, &Value)> = props.iter().map(|(k, p)| (k, self.resolve(p))).collect();
        let pair_lines: std::collections::HashSet<usize> =
            nodes.iter().filter(|n| n.label.is_some()).map(|n| n.line).collect();
        // (a label that names a key, a second `city=`, or is the short form of one
        // alone is that key's, placed or not)
        let names_a_key = |label: &str| {
            keys.iter().any(|(key, prop)| align::score(label, key, prop) >= WEAK_SCORE)
                || align::short_form_of(label, keys.iter().map(|(key, _)| key.as_str())).is_some()
        };
        let mut pool: Vec<usize> = (0..nodes.len())
            .filter(|&n| {
                let node = nodes[n];
                !taken[n]
                    && node.children.is_empty()
                    && !node.value.is_empty()
                    && match node.label.as_deref() {
                        Some(label) => !names_a_key(label),
                        None => pair_lines.contains(&node.line),
                    }
            })
            .collect();
        let mut placed: Vec<Option<(usize, Part)>> = vec![None; keys.len()];
        // A bare segment `st online`, `stn Lisbon`: a word that names (or abbreviates)
        // one key left, before a value that fits it.
        for &n in &pool {
            let Some((word, rest)) = nodes[n].value.split_once(' ').filter(|_| nodes[n].label.is_none()) else {
                continue;
            };
            let named: Vec<usize> = (0..keys.len())
                .filter(|&k| {
                    let (key, prop) = keys[k];
                    align::score(word, key, prop) >= MIN_SCORE
                        || align::short_form_of(word, keys.iter().map(|(j, _)| j.as_str())) == Some(k)
                })
                .collect();
            if let [k] = named[..] {
                let (key, prop) = keys[k];
                if !done[k] && placed[k].is_none() && fits(key, prop, rest) {
                    placed[k] =
                        Some((n, Part::Scalar { candidates: value::candidates(prop, rest), schema: prop.clone() }));
                }
            }
        }
        pool.retain(|n| !placed.iter().flatten().any(|(m, _)| m == n));
        let (typed_keys, string_keys): (Vec<usize>, Vec<usize>) = (0..keys.len())
            .filter(|&k| !done[k] && placed[k].is_none())
            .partition(|&k| main_type(keys[k].1) != Some("string") || keys[k].1.get("enum").is_some());
        // (a segment's value may follow a word that names no key: `type Electricity`)
        let typed_fit = |k: usize, n: usize| {
            let (key, prop) = keys[k];
            let v = &nodes[n].value;
            shaped(key, prop, v).or_else(|| {
                let rest = v.split_once(' ').filter(|_| prop.get("enum").is_some())?.1;
                shaped(key, prop, rest)
            })
        };
        for &k in &typed_keys {
            let fits: Vec<(usize, Candidate)> = pool.iter().filter_map(|&n| typed_fit(k, n).map(|c| (n, c))).collect();
            if let [(n, c)] = &fits[..] {
                let rivals =
                    typed_keys.iter().filter(|&&j| j != k && placed[j].is_none() && typed_fit(j, *n).is_some());
                if rivals.count() == 0 {
                    placed[k] = Some((*n, Part::Scalar { candidates: vec![c.clone()], schema: keys[k].1.clone() }));
                    pool.retain(|m| m != n);
                }
            }
        }
        // A string key takes a value left where each is the other's only match (of
        // several keys that could take it, a required one is the match: the text must
        // write its value); a value that reads as a number or an enum value is no
        // string key's, unless the key asks for its shape (`08:05:17` for `time`).
        let takes = |k: usize, n: usize| {
            let (key, prop) = keys[k];
            let v = untag(&nodes[n].value);
            let asked = asked_shape(key, prop);
            fits(key, prop, v)
                && (asked.is_some()
                    || !v.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
                        && !keys.iter().any(|(_, p)| p.get("enum").is_some() && shaped("", p, v).is_some()))
        };
        for &k in &string_keys {
            let values: Vec<usize> = pool.iter().copied().filter(|&n| takes(k, n)).collect();
            if let [n] = values[..] {
                let is_required = |j: usize| required.contains(&keys[j].0.as_str());
                let rivals: Vec<usize> = string_keys.iter().copied().filter(|&j| takes(j, n)).collect();
                if rivals.len() == 1 || (is_required(k) && rivals.iter().filter(|&&j| is_required(j)).count() == 1) {
                    let prop = keys[k].1;
                    let candidates = value::candidates(prop, untag(&nodes[n].value));
                    placed[k] = Some((n, Part::Scalar { candidates, schema: prop.clone() }));
                }
            }
        }
        for (n, _) in placed.iter().flatten() {
            taken[*n] = true;
            self.placed += 1;
        }
        placed
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

/// The one value `text` gives a typed key by its shape: an enum value written as it
/// is (`WARNING`, `[Closed]`), a flag by its own words (`charging`, `not charging`),
/// a number written with digits (`10%`, `3561 hours`).
fn shaped(key: &str, prop: &Value, text: &str) -> Option<Candidate> {
    let text = untag(text);
    if let Some(choices) = prop.get("enum").and_then(Value::as_array) {
        return value::choose(choices, text).into_iter().find(|c| c.score >= 0.95);
    }
    match main_type(prop) {
        Some("boolean") => {
            let words = align::words(text);
            let (negated, rest) = match words.split_first() {
                Some((w, rest)) if w == "not" || w == "no" => (true, rest),
                _ => (false, &words[..]),
            };
            let named = !rest.is_empty() && rest == align::words(key);
            let literal = value::candidates(prop, text).into_iter().next();
            if named {
                Some(Candidate { value: Value::Bool(!negated), score: 1.0 })
            } else {
                literal
            }
        }
        Some("number" | "integer") if text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') => {
            value::candidates(prop, text).into_iter().next().filter(|_| fits(key, prop, text))
        }
        _ => None,
    }
}

/// Whether `key` admits the text as a value: of the shape the key asks for
/// (`time`, `format: date`), a number that reads as one, is no time or date and
/// has the key's unit, a string within its `maxLength`, an enum value the text
/// writes.
fn fits(key: &str, prop: &Value, text: &str) -> bool {
    let max = prop.get("maxLength").and_then(Value::as_u64).unwrap_or(u64::MAX);
    let first = text.split_whitespace().next().unwrap_or("");
    let clock = shape::is_time(first) || shape::is_date(first);
    let candidates = value::candidates(prop, text);
    let written = prop.get("enum").is_none() || candidates.iter().any(|c| c.score >= 0.7);
    !candidates.is_empty()
        && written
        && match main_type(prop) {
            Some("string") => text.chars().count() as u64 <= max && asked_shape(key, prop).is_none_or(|f| f(text)),
            Some("number" | "integer") => !clock && same_unit(key, text),
            _ => true,
        }
}

/// The shape a string key asks of a value no label of its own gives: its
/// `format`'s, a time, e-mail, IP or MAC address by its name, an identifier for
/// `…_id`, a date where its name or description says `date`.
fn asked_shape(key: &str, prop: &Value) -> Option<fn(&str) -> bool> {
    let id = align::words(key).last().is_some_and(|w| w == "id");
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
    let date = align::words(key).iter().chain(&align::words(description)).any(|w| w == "date");
    shape::of_format(prop)
        .or_else(|| shape::of_name(key))
        .or(id.then_some(shape::is_identifier as fn(&str) -> bool))
        .or(date.then_some(is_date_text as fn(&str) -> bool))
}

/// A date as a text writes it (`03/15/2026`, `Sep 3 2026`), and little else.
fn is_date_text(t: &str) -> bool {
    t.split_whitespace().count() <= 4 && !crate::date::written(t).is_empty()
}

/// Whether a measure's unit agrees with the unit a key's name ends in: `17%` for
/// `charge_pct` and not `voltage_v`, `3561 hours` for `uptime_h`, `64.2 km/h` for
/// `wind_kmh`. A bare number, or a key named for no unit (`cpu_load`), agrees.
fn same_unit(key: &str, text: &str) -> bool {
    match (shape::unit_of_key(key), shape::unit(text)) {
        (Some(k), Some(u)) => u.starts_with(&k) || k.starts_with(&u),
        _ => true,
    }
}

/// `[Closed]` → `Closed`: a bracketed tag's word.
fn untag(text: &str) -> &str {
    text.strip_prefix('[').and_then(|t| t.strip_suffix(']')).unwrap_or(text)
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
                Part::Span { schema } => {
                    let refused: Vec<String> = schema
                        .get(crate::emit::REFUSE)
                        .and_then(Value::as_array)
                        .map_or(Vec::new(), |r| r.iter().map(Value::to_string).collect());
                    let not =
                        if refused.is_empty() { String::new() } else { format!(", not {}", refused.join(" or ")) };
                    match schema.get(crate::emit::CODE).and_then(Value::as_u64) {
                        Some(len) => writeln!(
                            f,
                            "a name from the text and a code of {len} capitals, or a span with its own{not}"
                        ),
                        None => writeln!(f, "a span of the text{not}"),
                    }
                }
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

/// Whether `s` is written in `t` as whole words (not `Bost` in `Boston`), holding a
/// letter or a digit.
fn written_in(s: &str, t: &str) -> bool {
    let edge = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
    s.chars().any(char::is_alphanumeric)
        && t.match_indices(s).any(|(at, _)| edge(t[..at].chars().next_back()) && edge(t[at + s.len()..].chars().next()))
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
    fn short_labels_name_the_one_key_they_abbreviate() {
        let schema = json!({"type": "object", "properties": {"meter_id": {"type": "string"}, "reading": {"type": "number"},
            "unit": {"type": "string"}, "wind_dir": {"type": "string", "maxLength": 3}}});
        assert_eq!(
            forced(&schema, "u=kWh | val=84954.3 | m=MTR-0042"),
            json!({"meter_id": "MTR-0042", "reading": 84954.3, "unit": "kWh"})
        );
        // `W` abbreviates `wind_dir`, but a measure is no direction of 3 letters.
        assert_eq!(field(&crate::plan(&schema, "m=A-1 W=64.2 km/h").root, "wind_dir").presence, Presence::Absent);
    }

    #[test]
    fn values_under_no_label_of_theirs_go_where_only_their_shape_fits() {
        let alert = json!({"type": "object", "properties": {"severity": {"enum": ["info", "warning"]},
            "source": {"type": "string"}, "message": {"type": "string"}}, "required": ["severity", "message"]});
        assert_eq!(
            forced(&alert, "app[4410]: WARNING source=ups-rack4 Cache warmed with 1200 entries"),
            json!({"severity": "warning", "source": "ups-rack4", "message": "Cache warmed with 1200 entries"})
        );
        let battery = json!({"type": "object", "properties": {"device": {"type": "string"},
            "charge_pct": {"type": "number"}, "voltage_v": {"type": "number"}, "charging": {"type": "boolean"}}});
        assert_eq!(
            forced(&battery, "sensor-b12 | not charging | SoC=10% | V=5.93V"),
            json!({"device": "sensor-b12", "charge_pct": 10, "voltage_v": 5.93, "charging": false})
        );
        assert_eq!(
            forced(&battery, "kernel: charging=true charge=72% unit=valve-11"),
            json!({"device": "valve-11", "charge_pct": 72, "charging": true})
        );
        // Two string keys could take it: the plan does not guess.
        let two = json!({"type": "object", "properties": {"door": {"type": "string"}, "badge": {"type": "string"},
            "n": {"type": "number"}}});
        assert!(!crate::plan(&two, "n=3 card=C-7").is_structured());
        // A bare line of its own is a title, not a value.
        assert_eq!(forced(&two, "Door event\nN: 3\nBadge: 7"), json!({"badge": "7", "n": 3}));
    }

    #[test]
    fn a_nested_object_written_flat_takes_the_labels_that_name_its_keys() {
        let schema = json!({"type": "object", "properties": {"station": {"type": "string"},
            "readings": {"type": "object", "properties": {"wind_kmh": {"type": "number"}, "pressure_hpa": {"type": "number"}}},
            "wind_direction": {"type": "string", "maxLength": 3}}});
        assert_eq!(
            forced(&schema, "Ghent; W=64.2 km/h; P=964.4 hPa"),
            json!({"station": "Ghent", "readings": {"wind_kmh": 64.2, "pressure_hpa": 964.4}})
        );
        assert_eq!(
            forced(&schema, "station=Brno readings.wind_kmh=80.0 readings.pressure_hpa=970.9"),
            json!({"station": "Brno", "readings": {"wind_kmh": 80.0, "pressure_hpa": 970.9}})
        );
    }

    #[test]
    fn a_block_under_another_name_goes_to_the_one_object_or_list_its_labels_name() {
        let schema = json!({"type": "object", "properties": {"ticket": {"type": "string"},
            "customer": {"type": "object", "properties": {"name": {"type": "string"}}},
            "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"},
                "quantity": {"type": "integer"}}}}}});
        assert_eq!(
            forced(&schema, "Ticket: T-1\nreported by:\n  name: Jonas Berg\nLines:\n  - sku: A-1\n    quantity: 2"),
            json!({"ticket": "T-1", "customer": {"name": "Jonas Berg"}, "items": [{"sku": "A-1", "quantity": 2}]})
        );
        // Two blocks whose labels name the same keys: the plan does not guess.
        assert!(!crate::plan(&schema, "Ticket: T-1\nBy:\n  name: A\nFor:\n  name: B").is_structured());
    }

    #[test]
    fn an_identifier_key_takes_only_an_identifier_under_another_name() {
        let schema = json!({"type": "object", "properties": {"patient_id": {"type": "string"}, "test": {"type": "string"},
            "value": {"type": "number"}}, "required": ["test"]});
        assert_eq!(forced(&schema, "Analyte: Hemoglobin\nValue: 7.9"), json!({"test": "Hemoglobin", "value": 7.9}));
    }

    #[test]
    fn a_required_key_or_a_date_key_takes_the_value_left() {
        let schema = json!({"type": "object", "properties": {"site": {"type": "string"}, "notes": {"type": "string"},
            "needed_by": {"type": "string", "description": "date needed as written"}, "total": {"type": "number"}},
            "required": ["site"]});
        assert_eq!(
            forced(&schema, "Total: 3\nLocation: office-2f\nRequired by: 03/15/2026"),
            json!({"site": "office-2f", "needed_by": "03/15/2026", "total": 3})
        );
    }

    #[test]
    fn a_label_sharing_only_a_word_names_a_key_only_where_its_value_fits() {
        let schema = json!({"type": "object", "properties": {"test": {"type": "string"}, "value": {"type": "number"},
            "flag": {"enum": ["low", "high"], "description": "result flag"}}});
        assert_eq!(forced(&schema, "analyte=TSH result=1.2"), json!({"test": "TSH", "value": 1.2}));
        assert_eq!(
            forced(&schema, "test=TSH value=1.2 result=LOW"),
            json!({"test": "TSH", "value": 1.2, "flag": "low"})
        );
    }

    #[test]
    fn placement_never_guesses_nor_runs_away() {
        // A second `city=` is city's, not the one string key left.
        let schema = json!({"type": "object", "properties": {"name": {"type": "string"}, "city": {"type": "string"},
            "notes": {"type": "string"}}});
        let plan = crate::plan(&schema, "name=Alice city=Paris city=Rome");
        assert_eq!(field(&plan.root, "notes").presence, Presence::Absent, "{plan}");
        // A measure two number keys could take goes to neither.
        let schema = json!({"type": "object", "properties": {"device": {"type": "string"},
            "charge_pct": {"type": "number"}, "voltage_v": {"type": "number"}}});
        let plan = crate::plan(&schema, "device=pump-1 reading=5.93");
        assert_eq!(field(&plan.root, "charge_pct").presence, Presence::Absent, "{plan}");
        // Its unit tells them apart.
        assert_eq!(forced(&schema, "device=pump-1 SoC=17%"), json!({"device": "pump-1", "charge_pct": 17}));
        // A key named for no unit takes any measure.
        let load =
            json!({"type": "object", "properties": {"host": {"type": "string"}, "cpu_load": {"type": "number"}}});
        assert_eq!(forced(&load, "host=web1 load=85%"), json!({"host": "web1", "cpu_load": 85}));
        // A short label of two keys is placed by its value's shape.
        let two = json!({"type": "object", "properties": {"temperature_c": {"type": "number"},
            "timestamp": {"type": "string"}, "site": {"type": "string"}}});
        assert_eq!(forced(&two, "site=A T=30.2°C"), json!({"site": "A", "temperature_c": 30.2}));
        // A schema that refers to itself, and a block it never takes.
        let schema = json!({"type": "object", "properties": {"amount": {"type": "number"}, "parent": {"$ref": "#"}}});
        assert!(!crate::plan(&schema, "amt=abc").is_structured());
        let open = json!({"type": "object", "properties": {"id": {"type": "number"}, "parent": {"$ref": "#"}}});
        let plan = crate::plan(&open, "id=5 amt=abc");
        assert_eq!(field(&plan.root, "parent").presence, Presence::Absent, "{plan}");
        let deep: String = (0..300).map(|i| format!("{}parent:\n", " ".repeat(i))).collect();
        let _ = crate::plan(&open, &deep);
        let many: String = (0..9000).map(|i| format!("amount={i} ")).collect();
        let _ = crate::plan(&schema, &many);
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
