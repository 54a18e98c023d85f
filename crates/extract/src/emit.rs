//! Stage 4, emission: the plan as a Lark grammar for llguidance. What the plan fixes
//! is literal text (the matcher forces it, and the session evaluates it in batches);
//! a choice among candidates is an alternation; what the plan leaves open is
//! `%json` under that part's schema.

use crate::plan::{main_type, Part, Plan, Presence};
use serde_json::{json, Value};
use std::collections::HashSet;

/// Tokens allowed for each part the model decodes freely.
pub const OPEN_PART_TOKENS: u32 = 256;

/// A plan's grammar and the most tokens an output under it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Emitted {
    pub grammar: String,
    /// Fixed text counted a token per byte (an upper bound), plus
    /// [`OPEN_PART_TOKENS`] per open part: no valid answer is cut.
    pub max_tokens: u32,
    /// How many spans of the text [`Emitted::max_tokens`] counts (each as many
    /// tokens as the text has bytes, and its quotes).
    pub spans: u32,
    /// The bytes each of them was counted.
    pub span_bytes: u32,
}

impl Emitted {
    /// [`Emitted::max_tokens`] with each span counted by the text's tokens rather than
    /// its bytes, where the text is `text_tokens` long: twice that and a margin, as a
    /// span's tokens are those of the words it copies, give or take one at each end
    /// (never more than its bytes). An output cut at this budget, below the byte
    /// bound, is for the caller to decode again within it.
    pub fn budget(&self, text_tokens: usize) -> u32 {
        let per_span = u32::try_from(text_tokens).unwrap_or(u32::MAX).saturating_mul(2).saturating_add(SPAN_MARGIN);
        let saved = self.span_bytes.saturating_sub(per_span).saturating_mul(self.spans);
        self.max_tokens.saturating_sub(saved).max(1)
    }
}

/// Tokens a span may take beyond twice the text's: its quotes and word edges.
const SPAN_MARGIN: u32 = 8;

/// Most items an open array takes when its schema sets no bound.
const OPEN_MAX_ITEMS: u64 = 16;

/// The Lark grammar admitting exactly the outputs the plan allows for `text`.
pub fn lark(plan: &Plan, root_schema: &Value, text: &str) -> Emitted {
    emit(plan, root_schema, text, false)
}

/// [`lark`] without the refinements of its spans (the strings they refuse, the
/// passages the text quotes, no start or end in a joining word): for a text whose spans take
/// more than the grammar engine's lexer can build, which admits a few more outputs of
/// the plan.
pub fn lark_lean(plan: &Plan, root_schema: &Value, text: &str) -> Emitted {
    emit(plan, root_schema, text, true)
}

fn emit(plan: &Plan, root_schema: &Value, text: &str, lean: bool) -> Emitted {
    let escaped = escape(text);
    let mut e = Emitter {
        rules: Vec::new(),
        root: root_schema,
        fixed_bytes: 0,
        span_count: 0,
        escaped: &escaped,
        spans: Vec::new(),
        no_name_start: no_name_start(text),
        lean,
    };
    let start = e.part(&plan.root);
    let mut grammar = format!("start: {start}\n");
    for (n, body) in e.rules.iter().enumerate() {
        grammar.push_str(&format!("open{n}: {body}\n"));
    }
    for (n, body) in e.spans.iter().enumerate() {
        grammar.push_str(&format!("SPAN{n}: {body}\n"));
    }
    let open = u32::try_from(e.rules.len()).unwrap_or(u32::MAX);
    let fixed = u32::try_from(e.fixed_bytes).unwrap_or(u32::MAX);
    Emitted {
        grammar,
        max_tokens: fixed.saturating_add(open.saturating_mul(OPEN_PART_TOKENS)).saturating_add(16),
        spans: u32::try_from(e.span_count).unwrap_or(u32::MAX),
        span_bytes: u32::try_from(escaped.len() + 2).unwrap_or(u32::MAX),
    }
}

struct Emitter<'s> {
    rules: Vec<String>,
    root: &'s Value,
    /// Bytes of the longest fixed text (literals, longest candidate of each choice),
    /// spans of the text included.
    fixed_bytes: usize,
    /// How many spans `fixed_bytes` counts, each as the text's bytes and 2.
    span_count: usize,
    /// The input as it reads inside a JSON string.
    escaped: &'s str,
    /// Terminals for spans of the text, one per length bound.
    spans: Vec<String>,
    /// The bound every span of this text takes: [`no_name_start`].
    no_name_start: String,
    /// Whether spans leave out their refinements ([`lark_lean`]).
    lean: bool,
}

impl Emitter<'_> {
    fn part(&mut self, part: &Part) -> String {
        match part {
            Part::Scalar { candidates, schema } if candidates.is_empty() => self.open(schema),
            Part::Scalar { candidates, .. } => {
                self.fixed_bytes += candidates.iter().map(|c| c.value.to_string().len()).max().unwrap_or(0);
                let alts: Vec<String> = candidates.iter().map(|c| json_lit(&c.value)).collect();
                if alts.len() == 1 {
                    alts[0].clone()
                } else {
                    format!("({})", alts.join(" | "))
                }
            }
            Part::Open { schema } => self.open(schema),
            Part::Span { schema } => self.span(schema),
            Part::List { candidates, max } => {
                let longest = candidates.iter().map(|c| c.value.to_string().len() + 2).max().unwrap_or(0);
                self.fixed_bytes += longest * usize::try_from(*max).unwrap_or(usize::MAX).min(64);
                let alts: Vec<String> = candidates.iter().map(|c| json_lit(&c.value)).collect();
                let item = format!("({})", alts.join(" | "));
                let more = if *max > 1 { format!(" ({} {item}){{0,{}}}", lit(", "), max - 1) } else { String::new() };
                format!("{} {item}{more} {}", self.lit("["), self.lit("]"))
            }
            Part::Object { fields, extra } => {
                let mut members = Vec::new();
                for f in fields {
                    let value = match f.presence {
                        Presence::Absent => continue,
                        Presence::Present => self.part(&f.part),
                        Presence::Required => match &f.part {
                            Part::Open { schema } => self.open(schema),
                            other => self.part(other),
                        },
                    };
                    members.push(format!("{} {value}", self.lit(&format!("{}: ", Value::String(f.key.clone())))));
                }
                for (k, p) in extra {
                    let value = self.part(p);
                    members.push(format!("{} {value}", self.lit(&format!("{}: ", Value::String(k.clone())))));
                }
                if members.is_empty() {
                    return self.lit("{}");
                }
                let sep = format!(" {} ", self.lit_n(", ", members.len() - 1));
                format!("{} {} {}", self.lit("{"), members.join(&sep), self.lit("}"))
            }
            Part::Array { items } => {
                if items.is_empty() {
                    return self.lit("[]");
                }
                let parts: Vec<String> = items.iter().map(|p| self.part(p)).collect();
                let sep = format!(" {} ", self.lit_n(", ", parts.len() - 1));
                format!("{} {} {}", self.lit("["), parts.join(&sep), self.lit("]"))
            }
        }
    }

    /// A literal, counted as fixed text.
    fn lit(&mut self, s: &str) -> String {
        self.lit_n(s, 1)
    }

    /// A literal written `n` times.
    fn lit_n(&mut self, s: &str, n: usize) -> String {
        self.fixed_bytes += s.len() * n;
        lit(s)
    }

    /// A JSON string holding a span of the text's words, within `maxLength`; for an
    /// array schema, a list of such strings (one item at least, `maxItems` at most).
    fn span(&mut self, schema: &Value) -> String {
        if let Some(items) = schema.get("items").filter(|_| main_type(schema) == Some("array")) {
            let max = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(OPEN_MAX_ITEMS).clamp(1, 64);
            let item = self.span(items);
            // Each item is a span as long as the text, at most: counted `max` times.
            let more = usize::try_from(max - 1).unwrap_or(usize::MAX).min(64);
            self.fixed_bytes += (self.escaped.len() + 4) * more;
            self.span_count += more;
            let more = if max > 1 { format!(" ({} {item}){{0,{}}}", lit(", "), max - 1) } else { String::new() };
            return format!("{} {item}{more} {}", self.lit("["), self.lit("]"));
        }
        // A span holds a word, not only punctuation, neither starts nor ends in a
        // space, and does not end a question (`?`). It never starts at the text's
        // first word, where that is a plain word: a request or record starts with its
        // verb or its kind (`Find …`, `Node greenhouse-7 reports …`), unless the text
        // starts with its subject's name.
        let words = match self.escaped.trim_start().split_once(' ') {
            Some((first, rest))
                if first
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .chars()
                    .all(|c| c.is_alphabetic() || "'-".contains(c))
                    && !starts_with_a_name(self.escaped) =>
            {
                rest.trim_start()
            }
            _ => self.escaped,
        };
        // (a text whose first word is all it says keeps it: `Tokyo ?`)
        let words = if words.chars().any(char::is_alphanumeric) { words } else { self.escaped };
        let mut body = format!(
            "%regex {{\"substring_words\": {}}} & /.*[\\p{{L}}\\p{{N}}].*/ & /[^\\s](.*[^?\\s])?/",
            Value::String(words.to_string())
        );
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            body.push_str(&format!(" & /.{{0,{max}}}/"));
        }
        body.push_str(&self.no_name_start);
        // Refinements, which a lean grammar leaves out: no span ends in a word that
        // joins it to more (`take my meds at`, `tickets for`; `in` and `on` may end
        // one, `check in`, `hold on`), nor starts with one that joins it to what comes
        // before (`to the airport`, `in Denver`).
        if !self.lean {
            body.push_str(" & ~/(.*\\s)?(at|for|to|of|the|a|an|and|or|with|from|by)/");
            body.push_str(" & ~/(at|for|to|of|in|on|and|or|with|from|by)(\\s.*)?/");
        }
        // A passage the text quotes is one value: a span holds all of it or none of
        // it (`text Priya "running late, see you"` gives no `see you`).
        let passages = if self.lean { Vec::new() } else { quoted_passages(words) };
        if passages.iter().any(|(q, _)| *q == '"') {
            body.push_str(" & ~/.*(\\\\\"|\u{201c}|\u{201d}).*/");
        }
        if passages.iter().any(|(q, _)| *q == '\'') {
            body.push_str(" & ~/(.*[^\\p{L}\\p{N}])?'.*/ & ~/.*'([^\\p{L}\\p{N}].*)?/");
        }
        for (_, passage) in &passages {
            body.push_str(&format!(" & ~%regex {{\"substring_words\": {}}}", Value::String(passage.clone())));
        }
        // Strings the span may neither hold nor be a part of (another key's value,
        // [`REFUSE`]), where the text has a word outside them.
        let refused = schema.get(REFUSE).and_then(Value::as_array).filter(|_| !self.lean);
        for s in refused.into_iter().flatten().filter_map(Value::as_str) {
            let s = escape(s);
            let own: Vec<&str> = s.split_whitespace().collect();
            if !words.split_whitespace().any(|w| w.chars().any(char::is_alphanumeric) && !own.contains(&w)) {
                continue;
            }
            body.push_str(&format!(
                " & ~/.*{}.*/ & ~%regex {{\"substring_words\": {}}}",
                regex_literal(&s),
                Value::String(s.clone())
            ));
            // (nor run into it: end in its first words or start with its last,
            // `take my meds every` for a refused `every day`)
            // (words, not short numbers alone: `room 2` may end a span beside a
            // refused `2 pm`; `2022.` starts none beside a refused `July 20, 2022`)
            let worded =
                |s: &str| s.chars().any(char::is_alphabetic) || s.chars().filter(char::is_ascii_digit).count() >= 3;
            for k in 1..own.len() {
                let (head, tail) = (own[..k].join(" "), own[k..].join(" "));
                if worded(&head) {
                    body.push_str(&format!(" & ~/(.*\\s)?{}/", regex_literal(&head)));
                }
                // (nor end in them without the mark after them: `July 20` of a
                // refused `July 20, 2022`)
                let bare = head.trim_end_matches([',', ';', ':']);
                if bare != head && worded(bare) {
                    body.push_str(&format!(" & ~/(.*\\s)?{}/", regex_literal(bare)));
                }
                if worded(&tail) {
                    body.push_str(&format!(" & ~/{}([\\s,.;:!?].*)?/", regex_literal(&tail)));
                }
            }
            // (nor end or start inside its first or last word, where that piece is
            // no word of the text: `take my meds at 7:` for a refused `7:45pm`)
            let alone = |piece: &str| {
                words.split_whitespace().any(|w| w == piece || w.trim_matches(|c: char| !c.is_alphanumeric()) == piece)
            };
            let (first, last) = (own.first().copied().unwrap_or(""), own.last().copied().unwrap_or(""));
            for (head, _) in pieces_of(first) {
                if !alone(head) {
                    body.push_str(&format!(" & ~/(.*\\s)?{}/", regex_literal(head)));
                }
            }
            for (_, tail) in pieces_of(last) {
                if !alone(tail) {
                    body.push_str(&format!(" & ~/{}(\\s.*)?/", regex_literal(tail)));
                }
            }
        }
        self.fixed_bytes += self.escaped.len() + 2;
        self.span_count += 1;
        // Where the key's example is a name and a code ([`CODE`]), the value is too:
        // a span with no comma and a code, or a span that writes its own (`Boston,
        // Massachusetts`).
        let value = match schema.get(CODE).and_then(Value::as_u64) {
            Some(len) => {
                self.fixed_bytes += 2 + usize::try_from(len).unwrap_or(0);
                // (the name leaves room for the code within `maxLength`)
                let room = match schema.get("maxLength").and_then(Value::as_u64) {
                    Some(max) => format!(" & /.{{0,{}}}/", max.saturating_sub(2 + len)),
                    None => String::new(),
                };
                let name = self.terminal(format!("{body} & ~/.*,.*/{room}"));
                let own = self.terminal(format!("{body} & /.*, \\p{{Lu}}.*/"));
                format!("(SPAN{name} {} /[A-Z]{{{len}}}/ | SPAN{own})", lit(", "))
            }
            None => {
                let span = format!("SPAN{}", self.terminal(body));
                let whole: String = passages.iter().map(|(_, p)| format!(" | {}", lit(p))).collect();
                if whole.is_empty() {
                    span
                } else {
                    format!("({span}{whole})")
                }
            }
        };
        format!("{} {value} {}", lit("\""), lit("\""))
    }

    /// The number of the span terminal `body` (each written once).
    fn terminal(&mut self, body: String) -> usize {
        match self.spans.iter().position(|b| *b == body) {
            Some(n) => n,
            None => {
                self.spans.push(body);
                self.spans.len() - 1
            }
        }
    }

    /// A rule decoding freely under `schema` (local references resolved, objects
    /// closed, strings no longer than the text, arrays bounded): no loop runs on.
    fn open(&mut self, schema: &Value) -> String {
        let mut s = inline_refs(schema, self.root, 0);
        if untyped(&s) {
            return self.any_scalar();
        }
        if let Some((number, bytes)) = plain_number(&s) {
            self.fixed_bytes += bytes;
            return number.to_string();
        }
        if let Some(values) = map_values(&s) {
            return self.map(&values);
        }
        close_objects(&mut s);
        bound(&mut s, self.escaped.len() as u64);
        if let Value::Object(map) = &mut s {
            map.insert(
                "x-guidance".into(),
                json!({"whitespace_flexible": false, "item_separator": ", ", "key_separator": ": "}),
            );
        }
        self.rules.push(format!("%json {s}"));
        format!("open{}", self.rules.len() - 1)
    }
}

impl Emitter<'_> {
    /// A value whose schema says nothing of its type: a span of the text, a number or
    /// a flag, never a structure the model could nest without end.
    fn any_scalar(&mut self) -> String {
        let span = self.span(&json!({"type": "string"}));
        self.fixed_bytes += NUMBER_BYTES;
        format!("({span} | {NUMBER} | {} | {})", lit("true"), lit("false"))
    }

    /// An object that lists no properties (a map): keys are short spans of the text,
    /// as many as the text lists items at most, each with a value under `values`
    /// (or any scalar). The model cannot invent keys or go on adding them.
    fn map(&mut self, values: &Value) -> String {
        let (before, spans_before, rules_before) = (self.fixed_bytes, self.span_count, self.rules.len());
        let key = self.span(&json!({"type": "string", "maxLength": MAP_KEY_BYTES}));
        let value = if untyped(values) { self.any_scalar() } else { self.open(values) };
        let pair = format!("{key} {} {value}", lit(": "));
        let n = listed_items(self.escaped).min(OPEN_MAX_ITEMS as usize);
        // (each pair counted as many times as it may be written)
        self.fixed_bytes = before + (self.fixed_bytes - before + 4) * n + 2;
        self.span_count = spans_before + (self.span_count - spans_before) * n;
        // (a value decoded under its own schema takes its tokens in every pair)
        let open_tokens = usize::try_from(OPEN_PART_TOKENS).unwrap_or(usize::MAX);
        self.fixed_bytes += (self.rules.len() - rules_before) * open_tokens * (n - 1);
        let more = if n > 1 { format!(" ({} {pair}){{0,{}}}", lit(", "), n - 1) } else { String::new() };
        format!("{} ({pair}{more})? {}", lit("{"), lit("}"))
    }
}

/// A JSON number of bounded length (a Lark terminal): what a model writes where the
/// text gives no number, so that it cannot write digits until its budget runs out.
pub const NUMBER: &str = r"/-?(0|[1-9][0-9]{0,14})(\.[0-9]{1,8})?([eE][-+]?[0-9]{1,3})?/";
/// The most bytes a [`NUMBER`] takes.
pub const NUMBER_BYTES: usize = 30;

/// A JSON integer of bounded length (a Lark terminal).
pub const INTEGER: &str = r"/-?(0|[1-9][0-9]{0,15})/";
/// The most bytes an [`INTEGER`] takes.
pub const INTEGER_BYTES: usize = 17;

/// The bounded number a schema that says nothing but `integer` or `number` and what
/// it means takes (`%json` admits digits without end, and a model may write them
/// until its budget runs out); `None` for one with a range, a step or choices, which
/// stays under its own schema.
fn plain_number(schema: &Value) -> Option<(&'static str, usize)> {
    let map = schema.as_object()?;
    if !map.keys().all(|k| annotation(k) || k == "type" || k == "format") {
        return None;
    }
    match map.get("type")?.as_str()? {
        "integer" => Some((INTEGER, INTEGER_BYTES)),
        "number" => Some((NUMBER, NUMBER_BYTES)),
        _ => None,
    }
}

/// Most bytes of a map's key.
const MAP_KEY_BYTES: u64 = 40;

/// Whether a schema constrains nothing but says what its value means (`{"description":
/// "The training data"}`): any JSON value is valid under it.
fn untyped(schema: &Value) -> bool {
    schema.as_object().is_some_and(|m| m.keys().all(|k| annotation(k))) || *schema == Value::Bool(true)
}

/// Whether a schema key only says what the value means (no bound on it).
fn annotation(key: &str) -> bool {
    ["description", "title", "default", "examples", "$comment", "deprecated"].contains(&key)
}

/// The schema of a map's values, where `schema` is an object that says nothing but
/// its type, what it means and what its values are (no properties, no other bound
/// on its keys, no `allOf`/`oneOf`); `true` (any value) where it says nothing of them.
fn map_values(schema: &Value) -> Option<Value> {
    let map = schema.as_object()?;
    if map.get("type") != Some(&json!("object"))
        || !map.keys().all(|k| annotation(k) || k == "type" || k == "additionalProperties")
    {
        return None;
    }
    match map.get("additionalProperties") {
        None | Some(Value::Bool(true)) => Some(Value::Bool(true)),
        Some(v @ Value::Object(_)) => Some(v.clone()),
        Some(_) => None,
    }
}

/// How many items the text lists at most: one more than its separators (`,`, `;`,
/// `and`, line breaks).
fn listed_items(text: &str) -> usize {
    let marks = text.matches([',', ';']).count() + text.matches(" and ").count() + text.matches("\\n").count();
    marks + 1
}

/// A Lark string literal.
fn lit(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// A JSON value as a Lark literal of its text, in the output's spacing.
fn json_lit(v: &Value) -> String {
    lit(&v.to_string())
}

/// Replaces local `$ref`s by their targets (to a depth; deeper ones become `{}`).
fn inline_refs(schema: &Value, root: &Value, depth: usize) -> Value {
    match schema {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
                if depth > 6 {
                    return json!({});
                }
                return root.pointer(target).map_or(json!({}), |t| inline_refs(t, root, depth + 1));
            }
            Value::Object(
                map.iter()
                    .filter(|(k, _)| *k != "$defs" && *k != "definitions" && *k != "$schema")
                    .map(|(k, v)| {
                        let v = if k == "enum" || k == "const" { v.clone() } else { inline_refs(v, root, depth) };
                        (k.clone(), v)
                    })
                    .collect(),
            )
        }
        Value::Array(xs) => Value::Array(xs.iter().map(|x| inline_refs(x, root, depth)).collect()),
        other => other.clone(),
    }
}

/// The key of a span's schema listing strings the span may neither hold nor be a
/// part of (set by [`refuse`]; not JSON Schema, so no user schema sets it).
pub const REFUSE: &str = "x-maaza-refuse";

/// Makes a span's schema refuse `strings` ([`REFUSE`]), each once; `false` where the
/// schema is no object.
pub(crate) fn refuse<'s>(schema: &mut Value, strings: impl IntoIterator<Item = &'s str>) -> bool {
    let Some(refused) =
        schema.as_object_mut().and_then(|m| m.entry(REFUSE).or_insert_with(|| Value::Array(Vec::new())).as_array_mut())
    else {
        return false;
    };
    for s in strings {
        if !refused.iter().any(|r| r.as_str() == Some(s)) {
            refused.push(Value::String(s.to_string()));
        }
    }
    true
}

/// Schema annotation on a span: the length of a capitalised code (`CA`, `UK`) it may
/// end in after `, `, as the key's example does (`e.g. Los Angeles, CA`).
pub const CODE: &str = "x-maaza-code";

/// The ways to cut a word where its letters, digits and marks change (`7:45pm`: `7` and
/// `:45pm`, `7:` and `45pm`, `7:45` and `pm`).
fn pieces_of(word: &str) -> impl Iterator<Item = (&str, &str)> {
    let class = |c: char| {
        if c.is_alphabetic() {
            0
        } else if c.is_numeric() {
            1
        } else {
            2
        }
    };
    word.char_indices()
        .zip(word.chars().skip(1))
        .filter(move |&((_, a), b)| class(a) != class(b))
        .map(move |((i, a), _)| word.split_at(i + a.len_utf8()))
}

/// `text` as a regex that matches it literally (inside a Lark `/…/`): regex-syntax's
/// meta characters and the delimiter escaped, nothing else (`\<` is no `<` there).
fn regex_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `text` starts with its subject's name rather than its verb or its kind:
/// capitalised words, four at most, and then `is`, `are`, `was` or `has` (`The Eagle
/// is a pub …`, `Zizzi is …`; not `Node greenhouse-7 reports …`), or `The` and
/// capitalised words and then any word in lower case (`The Phoenix offers …`), in a
/// text that does not end in `?` and whose first word is no pronoun (`It is …`,
/// `There are …`).
fn starts_with_a_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().take(5).collect();
    let name = words.iter().take_while(|w| w.starts_with(char::is_uppercase)).count();
    let pronoun = words.first().is_some_and(|w| NO_NAMES.contains(&w.to_lowercase().as_str()));
    let verb = words.get(name).is_some_and(|w| matches!(*w, "is" | "are" | "was" | "has"));
    let titled = words.first() == Some(&"The")
        && name >= 2
        && words.get(name).is_some_and(|w| w.starts_with(char::is_lowercase));
    (1..=4).contains(&name) && (verb || titled) && !pronoun && !text.trim_end().ends_with('?')
}

/// Words that open a sentence as its subject but name nothing (`It is …`).
pub(crate) const NO_NAMES: [&str; 16] = [
    "i", "it", "this", "that", "there", "here", "he", "she", "we", "you", "they", "what", "who", "which", "where",
    "how",
];

/// The bound that keeps a span of `text` from starting inside a name, a run of
/// capitalised words: it takes the run from its first word (the part that tells it
/// apart, `Metropolitan`, `Premier`), though it may end before the run does (`Fender`
/// of `Fender American Professional II`). Empty where the text has no such run.
fn no_name_start(text: &str) -> String {
    let words = inside_names(text);
    if words.is_empty() {
        return String::new();
    }
    let words: Vec<String> = words.iter().map(|w| regex_literal(&escape(w))).collect();
    format!(" & ~/({})([^\\p{{L}}\\p{{N}}].*)?/", words.join("|"))
}

/// The words a span may not start with: those inside a name, a
/// run of capitalised words with nothing between them (`the Metropolitan Museum of
/// Art`: `Museum`; `Premier League`: `League`). The first word of a sentence or a
/// line, or after a colon or a dash, is in no name (`Find`, `What`, `Notice - From`),
/// nor is a word of one letter (`I`, `A`); a word the text also writes where it
/// starts no name stays free.
pub fn inside_names(text: &str) -> Vec<String> {
    // (each word with whether it starts its line)
    let words: Vec<(&str, bool)> =
        text.lines().flat_map(|line| line.split_whitespace().enumerate().map(|(k, w)| (w, k == 0))).collect();
    let core = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let capital = |i: usize| {
        let (w, line_start) = words[i];
        let c = w.trim_matches(|c: char| !c.is_alphanumeric());
        let starts_sentence = line_start || words[i - 1].0.ends_with(['.', '?', '!', ':', '-', '–', '—']);
        c.chars().next().is_some_and(char::is_uppercase) && c.chars().count() >= 2 && !starts_sentence
    };
    // (nothing between the two words: no comma, bracket or quote)
    let inner = |i: usize| {
        i > 0
            && capital(i - 1)
            && capital(i)
            && words[i - 1].0.ends_with(char::is_alphanumeric)
            && words[i].0.starts_with(char::is_alphanumeric)
    };
    // (sets: a long text has thousands of words, each looked up once)
    let free: HashSet<String> = (0..words.len()).filter(|&i| !inner(i)).map(|i| core(words[i].0)).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for w in (0..words.len()).filter(|&i| inner(i)).map(|i| core(words[i].0)) {
        if !free.contains(&w) && seen.insert(w.clone()) {
            out.push(w);
        }
    }
    out
}

/// The JSON text of `text` inside a string's quotes.
fn escape(text: &str) -> String {
    let quoted = Value::String(text.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// The passages an escaped text quotes, each with its quote (`"` for `\"…\"` and
/// `“…”`; `'` for one that opens after no letter or digit and before no digit, and
/// closes before none) and without it: each holds two letters or digits and no
/// other passage's opening, on one line, in 200 characters.
fn quoted_passages(escaped: &str) -> Vec<(char, String)> {
    let chars: Vec<char> = escaped.chars().collect();
    let word = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_alphanumeric());
    let escaped_quote = |j: usize| chars[j] == '\\' && chars.get(j + 1) == Some(&'"');
    let mut out: Vec<(char, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (quote, open, close): (char, usize, &dyn Fn(usize) -> bool) = match chars[i] {
            '\\' if escaped_quote(i) => ('"', 2, &escaped_quote),
            '\u{201c}' => ('"', 1, &|j: usize| chars[j] == '\u{201d}'),
            // (not a decade, `the '90s`)
            '\'' if !word(i.checked_sub(1)) && !chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                ('\'', 1, &|j: usize| chars[j] == '\'' && !word(Some(j + 1)))
            }
            // (any other escape is one character: `\n`, `\\`)
            '\\' => {
                i += 2;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let from = i + open;
        let line_end = |j: usize| chars[j] == '\\' && chars.get(j + 1) == Some(&'n');
        match (from..chars.len()).find(|&j| close(j) || line_end(j)).filter(|&j| close(j)) {
            Some(j) => {
                let inner: String = chars[from..j].iter().collect();
                // (a word or more, not `rock 'n' roll`; no other passage opens inside)
                let opens_inside = (from + 1..j).any(|k| chars[k] == chars[i] && !word(Some(k - 1)));
                let whole = inner.chars().filter(|c| c.is_alphanumeric()).count() >= 2 && !opens_inside;
                if whole && j - from <= 200 && !out.iter().any(|(_, p)| *p == inner) {
                    out.push((quote, inner));
                }
                i = j + open;
            }
            None => i = from,
        }
    }
    out
}

/// `maxLength` on strings and `maxItems` on arrays that set none.
fn bound(schema: &mut Value, max_length: u64) {
    match schema {
        Value::Object(map) => {
            let ty = map.get("type").cloned();
            let is = |t: &str| match &ty {
                Some(Value::String(s)) => s == t,
                Some(Value::Array(ts)) => ts.iter().any(|x| x == t),
                _ => false,
            };
            if is("string") && !map.contains_key("maxLength") && !map.contains_key("enum") {
                map.insert("maxLength".into(), max_length.max(1).into());
            }
            if is("array") && !map.contains_key("maxItems") {
                map.insert("maxItems".into(), OPEN_MAX_ITEMS.into());
            }
            for (k, v) in map.iter_mut() {
                if k != "enum" && k != "const" && k != "default" && k != "examples" {
                    bound(v, max_length);
                }
            }
        }
        Value::Array(xs) => xs.iter_mut().for_each(|x| bound(x, max_length)),
        _ => {}
    }
}

/// Sets `additionalProperties: false` on every object schema that lists its
/// properties and says nothing about others. The output stays valid against the
/// original schema (it is only stricter), and the model cannot invent keys.
pub fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let open = map.contains_key("properties")
                && !map.contains_key("additionalProperties")
                && !map.contains_key("patternProperties")
                && !map.contains_key("unevaluatedProperties");
            if open {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            for (key, v) in map.iter_mut() {
                // Enum and const values are data, not schemas.
                if key != "enum" && key != "const" && key != "examples" && key != "default" {
                    close_objects(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_grammar(text: &str) -> String {
        let plan = Plan {
            root: Part::Span { schema: json!({"type": "string"}) },
            aligned_labels: 0,
            spare_labels: 0,
            named_in_prose: 0,
            placed: 0,
        };
        lark(&plan, &json!({}), text).grammar
    }

    #[test]
    fn no_span_starts_inside_a_name() {
        assert_eq!(inside_names("What are the hours of the Metropolitan Museum of Art on Saturday?"), ["Museum"]);
        assert_eq!(
            inside_names("Find Serena Williams, the Tennis player. Then Premier League table"),
            ["Williams", "League"]
        );
        // (a sentence's first word, a word of one letter, a word free elsewhere)
        assert!(inside_names("Find Boston hotels. New York, I Love, Beta and Alpha Beta").is_empty());
        assert_eq!(inside_names("Shipment notice - From Tidewater Marine, Note: Alpha Beta"), ["Marine"]);
        // (a line break is between words, and a line's first word starts no name)
        assert_eq!(inside_names("Note Rich Text\nBlue Sky"), ["Text"]);
        let g = span_grammar("Show the Premier League table");
        assert!(g.contains(r"& ~/(League)([^\p{L}\p{N}].*)?/"), "{g}");
    }

    #[test]
    fn a_coded_span_may_end_in_its_code() {
        let plan = Plan {
            root: Part::Span { schema: json!({"type": "string", CODE: 2}) },
            aligned_labels: 0,
            spare_labels: 0,
            named_in_prose: 0,
            placed: 0,
        };
        let g = lark(&plan, &json!({}), "Find a park in Boston").grammar;
        assert!(g.contains(r#""\"" (SPAN0 ", " /[A-Z]{2}/ | SPAN1) "\"""#), "{g}");
        assert!(
            g.contains(
                r#"SPAN0: %regex {"substring_words": "a park in Boston"} & /.*[\p{L}\p{N}].*/ & /[^\s](.*[^?\s])?/ & ~/(.*\s)?(at|for|to|of|the|a|an|and|or|with|from|by)/ & ~/(at|for|to|of|in|on|and|or|with|from|by)(\s.*)?/ & ~/.*,.*/"#
            ),
            "{g}"
        );
        assert!(g.contains(r#"& /.*, \p{Lu}.*/"#), "{g}");
        // (within `maxLength`, the name leaves room for `, ` and the code)
        let plan = Plan { root: Part::Span { schema: json!({"type": "string", "maxLength": 10, CODE: 2}) }, ..plan };
        let g = lark(&plan, &json!({}), "Find a park in Boston").grammar;
        assert!(g.contains("& /.{0,10}/ &") && g.contains("& ~/.*,.*/ & /.{0,6}/"), "{g}");
    }

    #[test]
    fn a_span_skips_the_first_word_and_ends_no_question() {
        let g = span_grammar("Find a vegan restaurant in Boston?");
        assert!(g.contains(r#"{"substring_words": "a vegan restaurant in Boston?"}"#), "{g}");
        assert!(g.contains("/[^\\s](.*[^?\\s])?/"), "{g}");
        assert!(span_grammar("Boston").contains(r#"{"substring_words": "Boston"}"#));
        assert!(span_grammar("Tokyo ?").contains(r#"{"substring_words": "Tokyo ?"}"#));
        assert!(span_grammar("f(x=['I', 'V'])").contains(r#"{"substring_words": "f(x=['I', 'V'])"}"#));
        // (a text that starts with its subject's name keeps its first word)
        let g = span_grammar("The Eagle is a coffee shop near Burger King.");
        assert!(g.contains(r#"{"substring_words": "The Eagle is a coffee shop near Burger King."}"#), "{g}");
        assert!(span_grammar("Zizzi is a pub.").contains(r#"{"substring_words": "Zizzi is a pub."}"#));
        let g = span_grammar("The Golden Curry serves French food.");
        assert!(g.contains(r#"{"substring_words": "The Golden Curry serves French food."}"#), "{g}");
        let g = span_grammar("The Louvre.");
        assert!(g.contains(r#"{"substring_words": "Louvre."}"#), "{g}");
        let g = span_grammar("Book The Ritz for two.");
        assert!(g.contains(r#"{"substring_words": "The Ritz for two."}"#), "{g}");
        let g = span_grammar("What is the weather in Boston");
        assert!(g.contains(r#"{"substring_words": "is the weather in Boston"}"#), "{g}");
        let g = span_grammar("Node greenhouse-7 reports 23.4 C.");
        assert!(g.contains(r#"{"substring_words": "greenhouse-7 reports 23.4 C."}"#), "{g}");
    }

    fn open_grammar(schema: Value, text: &str) -> Emitted {
        let plan =
            Plan { root: Part::Open { schema }, aligned_labels: 0, spare_labels: 0, named_in_prose: 0, placed: 0 };
        lark(&plan, &json!({}), text)
    }

    #[test]
    fn a_value_of_no_type_is_a_scalar_not_a_structure() {
        let e = open_grammar(json!({"description": "The training data"}), "Train on my_data with 100 trees");
        assert!(!e.grammar.contains("%json"), "{}", e.grammar);
        assert!(
            e.grammar.starts_with(&format!("start: (\"\\\"\" SPAN0 \"\\\"\" | {NUMBER} | \"true\" | \"false\")\n")),
            "{}",
            e.grammar
        );
    }

    #[test]
    fn a_number_the_plan_leaves_open_has_a_bounded_length() {
        for (schema, number) in [
            (json!({"type": "integer", "description": "Number of past days"}), INTEGER),
            (json!({"type": "number", "format": "float"}), NUMBER),
        ] {
            let e = open_grammar(schema, "the stock price for the last days");
            assert_eq!(e.grammar, format!("start: {number}\n"));
        }
        // One with a range or a step stays under its own schema.
        for schema in [json!({"type": "integer", "minimum": 1}), json!({"type": "number", "multipleOf": 0.5})] {
            assert!(open_grammar(schema, "days").grammar.contains("%json"));
        }
    }

    #[test]
    fn a_map_takes_keys_from_the_text_as_many_as_it_lists() {
        let text = "Alex has A and K, Sam has Q; Bo has 2";
        let e = open_grammar(json!({"type": "object", "description": "player to cards"}), text);
        assert!(!e.grammar.contains("%json"), "{}", e.grammar);
        // (a comma, a semicolon and an `and`: four items at most)
        assert!(e.grammar.contains("){0,3})? \"}\""), "{}", e.grammar);
        assert!(e.grammar.contains(&format!("& /.{{0,{MAP_KEY_BYTES}}}/")), "{}", e.grammar);
        // A map whose values have a schema decodes them under it, in each pair's budget.
        let e = open_grammar(json!({"type": "object", "additionalProperties": {"type": "array"}}), text);
        assert_eq!(e.grammar.matches("%json").count(), 1, "{}", e.grammar);
        assert!(e.max_tokens >= 4 * OPEN_PART_TOKENS, "{}", e.max_tokens);
        let e = open_grammar(json!({"type": "object", "additionalProperties": {"type": "integer"}}), text);
        assert!(!e.grammar.contains("%json") && e.grammar.contains(INTEGER), "{}", e.grammar);
        // One that bounds its keys otherwise is decoded under its own schema.
        let e = open_grammar(json!({"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}), text);
        assert!(e.grammar.contains("%json"), "{}", e.grammar);
        let e = open_grammar(json!({"type": "object", "additionalProperties": false}), text);
        assert!(e.grammar.contains("%json"), "{}", e.grammar);
        // So is one that says more of itself than a map (`oneOf`, `unevaluatedProperties`).
        for more in [json!({"oneOf": [{"required": ["a"]}]}), json!({"unevaluatedProperties": false})] {
            let mut schema = json!({"type": "object"});
            schema.as_object_mut().unwrap().extend(more.as_object().unwrap().clone());
            let e = open_grammar(schema, text);
            assert!(e.grammar.contains("%json"), "{}", e.grammar);
        }
    }

    #[test]
    fn spans_are_budgeted_by_the_texts_tokens_never_above_their_bytes() {
        let text = "Find a vegan restaurant in Boston that opens late";
        let e = open_grammar(json!({"type": "object", "description": "Filters"}), text);
        // (one comma-free text: a map of one pair, a key span and a value span)
        assert_eq!((e.spans, e.span_bytes), (2, 51));
        assert_eq!(e.budget(10), e.max_tokens - 2 * (51 - 28));
        // A text of many tokens per byte keeps the byte bound.
        assert_eq!(e.budget(100), e.max_tokens);
        let plan = Plan {
            root: Part::Span { schema: json!({"type": "array", "items": {"type": "string"}, "maxItems": 3}) },
            aligned_labels: 0,
            spare_labels: 0,
            named_in_prose: 0,
            placed: 0,
        };
        assert_eq!(lark(&plan, &json!({}), text).spans, 3);
    }

    #[test]
    fn a_regex_literal_escapes_only_what_regex_syntax_reads() {
        assert_eq!(regex_literal("a<b> c.d/e"), r"a<b> c\.d\/e");
        assert_eq!(regex_literal(r#"x\"y"#), r#"x\\"y"#);
    }

    #[test]
    fn quoted_passages_are_whole_quotes() {
        let q = |t: &str| quoted_passages(&escape(t)).into_iter().map(|(_, p)| p).collect::<Vec<_>>();
        assert_eq!(q(r#"text Priya "running late, see you" now"#), ["running late, see you"]);
        assert_eq!(q("Translate 'Where is it?' from English"), ["Where is it?"]);
        assert_eq!(q("Luigi's place, 'Dune' at 7"), ["Dune"]);
        assert!(q("Play some rock 'n' roll from the '50s").is_empty());
        assert_eq!(q("the '90s hits and the 'Friends' theme"), ["Friends"]);
    }

    #[test]
    fn a_span_refuses_the_strings_its_schema_excludes() {
        let plan = Plan {
            root: Part::Span { schema: json!({"type": "string", REFUSE: ["Seattle \"WA\""]}) },
            aligned_labels: 0,
            spare_labels: 0,
            named_in_prose: 0,
            placed: 0,
        };
        let g = lark(&plan, &json!({}), "Find concerts in Seattle \"WA\" with jazz").grammar;
        assert!(g.contains(r#" & ~/.*Seattle \\"WA\\".*/ & ~%regex {"substring_words": "Seattle \\\"WA\\\""}"#), "{g}");
        // (lean: none of it)
        let lean = lark_lean(&plan, &json!({}), "Find concerts in Seattle \"WA\" with jazz").grammar;
        assert!(!lean.contains('~'), "{lean}");
        // (nor end in its first word, nor start with its last)
        assert!(g.contains(r#" & ~/(.*\s)?Seattle/ & ~/\\"WA\\"([\s,.;:!?].*)?/"#), "{g}");
        // (nor end or start inside a word of it, where that piece is no word of the text)
        let plan = Plan { root: Part::Span { schema: json!({"type": "string", REFUSE: ["7:45pm"]}) }, ..plan };
        let g = lark(&plan, &json!({}), "remind me to take my meds at 7:45pm").grammar;
        for piece in [r"~/(.*\s)?7/", r"~/(.*\s)?7:/", r"~/(.*\s)?7:45/", r"~/pm(\s.*)?/", r"~/45pm(\s.*)?/"] {
            assert!(g.contains(piece), "{piece}: {g}");
        }
        let g = lark(&plan, &json!({}), "remind me to take my meds at 7:45pm, not 7").grammar;
        assert!(g.contains(r"~/(.*\s)?7:/") && !g.contains(r"~/(.*\s)?7/"), "`7` is a word of the text: {g}");
        // (nor end in its first words without the mark after them: `2022 to July 20`)
        let plan = Plan { root: Part::Span { schema: json!({"type": "string", REFUSE: ["July 20, 2022"]}) }, ..plan };
        let g = lark(&plan, &json!({}), "a room from July 10, 2022 to July 20, 2022").grammar;
        assert!(g.contains(r"~/(.*\s)?July 20,/") && g.contains(r"~/(.*\s)?July 20/"), "{g}");
        // (nor start with its year: `2022.`)
        assert!(g.contains(r"~/2022([\s,.;:!?].*)?/"), "{g}");
    }
}
