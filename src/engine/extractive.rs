//! Extractive decoding: a Lark grammar compiled from the schema *and* the input, so
//! the model can only copy values that are written in the text.
//!
//! - strings are substrings of one line of the input (JSON-escaped, as they appear
//!   inside the output's quotes); short ones (`maxLength` ≤ 20: codes, units, ids)
//!   are one of the input's words;
//! - numbers are one of the numbers written in the input (integers for `integer`);
//! - enums, consts and booleans are their literals; nested objects and arrays of
//!   objects recurse;
//! - with *label evidence*, an optional key that the input mentions becomes
//!   required, and one it does not mention is left out when the text is labelled
//!   ("Key: value" lines, `key=value`), but stays optional in unlabelled prose;
//!   arrays with evidence get at least one item; an enum is one of the values the
//!   text writes (in any casing) when it writes any;
//! - with the *loop guard*, an array has at most as many items as the input has
//!   separators (lines, commas, semicolons, "and") to tell items apart;
//! - with *label anchoring*, a scalar whose key the input mentions is copied from
//!   what follows the mention on its line (`Humidity: 40%` → `40`), not from
//!   anywhere in the text.
//!
//! What it cannot compile (`anyOf`, type lists, `patternProperties`, remote or
//! missing `$ref`, ...) falls back to plain JSON-Schema decoding for the whole job.

use super::constraint::{close_objects, Constraint, JsonSchemaConstraint};
use llguidance::api::TopLevelGrammar;
use serde_json::Value;
use std::collections::BTreeSet;

/// Most items an array gets when neither the schema nor the loop guard bounds it.
const DEFAULT_MAX_ITEMS: u64 = 8;
/// Strings at most this long are one of the input's words, not any substring.
const WORD_MAX_LENGTH: u64 = 20;

/// Extractive decoding with its two switchable refinements.
#[derive(Debug, Clone, Copy)]
pub struct Extractive {
    pub evidence: bool,
    pub loop_guard: bool,
    pub anchor: bool,
}

impl Constraint for Extractive {
    fn grammar(&self, schema: &Value, input: &str) -> Option<TopLevelGrammar> {
        match compile(schema, input, *self) {
            Some(lark) => Some(TopLevelGrammar::from_lark(lark)),
            None => JsonSchemaConstraint.grammar(schema, input),
        }
    }

    fn name(&self) -> &'static str {
        "extractive"
    }

    /// The input can make a grammar llguidance refuses (a pathological text); the job
    /// is then decoded under the plain JSON-Schema grammar rather than refused.
    fn fallback(&self) -> Option<&dyn Constraint> {
        Some(&JsonSchemaConstraint)
    }
}

/// The Lark grammar for `schema` over `input`, or `None` where the schema uses what
/// this compiler does not handle.
pub fn compile(schema: &Value, input: &str, options: Extractive) -> Option<String> {
    let mut closed = schema.clone();
    close_objects(&mut closed);
    let text = Text::read(input);
    let mut c = Compiler { root: &closed, text: &text, options, rules: Vec::new(), terminals: Vec::new(), n: 0 };
    let start = c.value(&closed, true, 0)?;
    let mut out = format!("start: {start}\n");
    for r in c.rules.iter().chain(&c.terminals) {
        out.push_str(r);
        out.push('\n');
    }
    Some(out)
}

/// What the compiler needs to know about the input.
struct Text {
    /// Non-empty lines, JSON-escaped (as a value copied from them is written).
    lines: Vec<String>,
    /// The same lines as written.
    raw_lines: Vec<String>,
    /// Words of up to [`WORD_MAX_LENGTH`] characters, JSON-escaped.
    words: BTreeSet<String>,
    /// Numbers as written (`-9.4`, `40`), in order of first appearance.
    numbers: Vec<String>,
    /// Lower-cased words, for label evidence.
    vocabulary: BTreeSet<String>,
    /// Whether the text labels its values ("Key: value" lines, `key=value` pairs).
    labelled: bool,
    /// How many items a list in this text can at most have.
    separators: u64,
}

impl Text {
    fn read(input: &str) -> Text {
        let escaped = json_escaped;
        let raw_lines: Vec<String> = input
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let lines = raw_lines.iter().map(|l| escaped(l)).collect();
        let words = words_of(input).map(escaped).collect();
        let numbers = numbers_of(input);
        let vocabulary =
            input.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 3).map(str::to_lowercase).collect();
        let label_lines = input
            .lines()
            .filter(|l| {
                let l = l.trim_start_matches([' ', '-', '*']);
                l.find(':').is_some_and(|p| p > 0 && p <= 32 && !l[..p].contains(['/', '.']))
            })
            .count();
        // `key=value` and `key:value` pairs on one line (`RH:50% | T:33.1C`); a time
        // like `10:32` is not one.
        let pairs = input
            .split_whitespace()
            .filter(|w| {
                w.find([':', '=']).is_some_and(|p| p > 0 && w[..p].chars().all(|c| c.is_alphabetic() || c == '_'))
            })
            .count();
        let separators = input.lines().filter(|l| !l.trim().is_empty()).count()
            + input.matches([',', ';']).count()
            + input.matches(" and ").count();
        Text {
            lines,
            raw_lines,
            words,
            numbers,
            vocabulary,
            labelled: label_lines >= 2 || pairs >= 2,
            separators: separators as u64,
        }
    }

    /// What follows each mention of `key` on its line, past a `:` or `=` right
    /// after it: where a labelled value is written.
    fn after_mentions(&self, keys: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for line in &self.raw_lines {
            let lower = line.to_lowercase();
            if lower.len() != line.len() {
                continue; // a case change moved byte offsets: no safe slicing
            }
            let at = word_spans(&lower).find_map(|(start, word)| {
                let hit = word.len() >= 3 && keys.iter().any(|k| k == word || (word.len() >= 4 && k.starts_with(word)));
                hit.then_some(start + word.len())
            });
            let Some(end) = at else { continue };
            let Some(rest) = line.get(end.min(line.len())..) else { continue };
            // Skip the rest of the label (`Relative humidity (%):`): up to a `:` or `=`
            // close after the word with no digit before it.
            let rest = match rest.find([':', '=']) {
                Some(p) if p <= 24 && !rest[..p].contains(|c: char| c.is_ascii_digit()) => {
                    rest.get(p + 1..).unwrap_or("")
                }
                _ => rest,
            };
            let rest = rest.trim();
            if !rest.is_empty() {
                out.push(rest.to_string());
            }
        }
        out
    }

    /// Whether the text mentions a key by one of its label words (see
    /// [`label_words`]): the word is a word of the text, or a word of the text of 4+
    /// letters begins it (`Temp` for `temperature`).
    fn mentions(&self, words: &[String]) -> bool {
        words.iter().any(|k| {
            self.vocabulary.contains(k) || self.vocabulary.iter().any(|w| w.len() >= 4 && k.starts_with(w.as_str()))
        })
    }
}

/// Runs of letters and digits with their byte offsets.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = None;
    let mut spans = Vec::new();
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    spans.into_iter()
}

/// Words of up to [`WORD_MAX_LENGTH`] characters, outer punctuation trimmed.
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '|' | '=' | '(' | ')' | '[' | ']' | '<' | '>' | '"')
    })
    .map(|w| w.trim_end_matches(['.', ':']).trim_start_matches(':'))
    .filter(|w| !w.is_empty() && w.chars().count() as u64 <= WORD_MAX_LENGTH)
}

/// The starts of `segment` that end at a word boundary (before white space, `,`,
/// `;`, `|` or the end), trailing `.` and `:` dropped; a quoted start is its quote's
/// content. A labelled value starts right after its label.
fn word_prefixes(segment: &str) -> Vec<String> {
    if let Some(quoted) = segment.strip_prefix('"') {
        return quoted.split('"').next().map(|q| vec![q.to_string()]).unwrap_or_default();
    }
    let mut out = Vec::new();
    for (i, c) in segment.char_indices() {
        if c.is_whitespace() || matches!(c, ',' | ';' | '|') {
            out.push(segment[..i].trim_end_matches(['.', ':', ',']).to_string());
        }
    }
    out.push(segment.trim_end_matches(['.', ':', ',']).to_string());
    out.retain(|p| !p.is_empty());
    out.dedup();
    out
}

/// Numbers as written, in order of first appearance; none starts inside another
/// (`10.2.218.142` gives `10.2` only).
fn numbers_of(text: &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts =
            chars[i].is_ascii_digit() || (chars[i] == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        // Not inside a word or another number: `b12`, `EM-20931`, `.218` are no numbers.
        let before = |k: usize| if k > 0 { chars.get(k - 1).copied() } else { None };
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '.');
        let inside = glued(before(i))
            || (chars[i] == '-' && glued(before(i)))
            || (before(i) == Some('-') && glued(before(i - 1)));
        if !starts || inside {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j + 1 < chars.len() && chars[j] == '.' && chars[j + 1].is_ascii_digit() {
            j += 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
        }
        let n: String = chars[i..j].iter().collect();
        if n.parse::<f64>().is_ok() && !numbers.contains(&n) {
            numbers.push(n);
        }
        i = j;
    }
    numbers
}

fn json_escaped(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted[1..quoted.len().saturating_sub(1).max(1)].to_string()
}

/// The words that label a key in text: the key's own words, and the words of its
/// schema `description` (`"sensor or node name"` lets `Node:` label `sensor_id`),
/// less words too common to mean anything.
fn label_words(key: &str, schema: &Value) -> Vec<String> {
    const COMMON: &[&str] = &[
        "name", "time", "date", "value", "number", "text", "type", "code", "item", "items", "list", "written", "what",
        "when", "where", "which", "with", "from", "that", "this", "their", "other", "about", "each", "short",
        "whether", "percent", "degrees", "celsius", "hours", "level", "status",
    ];
    let mut words = key_words(key);
    if let Some(d) = schema.get("description").and_then(Value::as_str) {
        for w in d.split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase) {
            if w.len() >= 4 && !COMMON.contains(&w.as_str()) && !words.contains(&w) {
                words.push(w);
            }
        }
    }
    words
}

/// The words of a key that can be evidence for it.
fn key_words(key: &str) -> Vec<String> {
    const UNITS: &[&str] = &["pct", "kmh", "kph", "mph", "hpa", "bpm", "kwh", "num", "count", "value"];
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for ch in key.chars() {
        let boundary = !ch.is_alphanumeric() || (ch.is_uppercase() && prev_lower);
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        if ch.is_alphanumeric() {
            current.extend(ch.to_lowercase());
        }
        prev_lower = ch.is_lowercase();
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.retain(|w| w.len() >= 3 && !UNITS.contains(&w.as_str()));
    words
}

/// Whether a key is in the output.
#[derive(Clone, Copy, PartialEq)]
enum Presence {
    Required,
    Optional,
}

struct Compiler<'a> {
    root: &'a Value,
    text: &'a Text,
    options: Extractive,
    rules: Vec<String>,
    terminals: Vec<String>,
    n: usize,
}

impl<'a> Compiler<'a> {
    fn name(&mut self, stem: &str) -> String {
        self.n += 1;
        format!("{stem}_{}", self.n)
    }

    fn rule(&mut self, stem: &str, body: String) -> String {
        let name = self.name(stem);
        self.rules.push(format!("{name}: {body}"));
        name
    }

    /// A local `$ref` followed; `None` for a remote or missing one.
    fn deref<'s>(&self, schema: &'s Value) -> Option<&'s Value>
    where
        'a: 's,
    {
        let mut s = schema;
        for _ in 0..8 {
            let Some(r) = s.get("$ref").and_then(Value::as_str) else { return Some(s) };
            s = self.root.pointer(r.strip_prefix('#')?)?;
        }
        None
    }

    /// The expression for one value. `mentioned` is the evidence for the key that
    /// holds it (always true at the top level and without the evidence rule).
    fn value(&mut self, schema: &Value, mentioned: bool, depth: usize) -> Option<String> {
        self.anchored_value(schema, mentioned, depth, &[])
    }

    /// [`Self::value`], scalars copied from `anchors` (the text after the key's
    /// mentions) when there are any.
    fn anchored_value(&mut self, schema: &Value, mentioned: bool, depth: usize, anchors: &[String]) -> Option<String> {
        let schema = self.deref(schema)?;
        if depth > 6 {
            return None;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            // With evidence, the values the text writes (in any casing), when it writes any.
            let written: Vec<&Value> = values
                .iter()
                .filter(|v| v.as_str().is_some_and(|s| self.text.vocabulary.contains(&s.to_lowercase())))
                .collect();
            let values: Vec<&Value> =
                if self.options.evidence && !written.is_empty() { written } else { values.iter().collect() };
            return Some(alternatives(values.into_iter().map(|v| lit(&v.to_string()))));
        }
        if let Some(v) = schema.get("const") {
            return Some(lit(&v.to_string()));
        }
        if ["anyOf", "oneOf", "allOf", "not", "if", "patternProperties", "prefixItems"]
            .iter()
            .any(|k| schema.get(k).is_some())
        {
            return None;
        }
        match schema.get("type").and_then(Value::as_str)? {
            "object" => self.object(schema, depth),
            "array" => self.array(schema, mentioned, depth),
            "string" => Some(self.string(schema, anchors)),
            "integer" => Some(self.number(true, anchors)),
            "number" => Some(self.number(false, anchors)),
            "boolean" => Some("(\"true\" | \"false\")".into()),
            "null" => Some("\"null\"".into()),
            _ => None,
        }
    }

    fn object(&mut self, schema: &Value, depth: usize) -> Option<String> {
        let props = schema.get("properties").and_then(Value::as_object)?;
        if schema.get("additionalProperties").is_some_and(|a| a != &Value::Bool(false)) {
            return None;
        }
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut items = Vec::new();
        for (key, prop) in props {
            let own = key_words(key);
            let words = label_words(key, self.deref(prop)?);
            let mentioned = !self.options.evidence || self.text.mentions(&words);
            let presence = if required.contains(&key.as_str()) || (self.options.evidence && mentioned) {
                Presence::Required
            } else if self.options.evidence && self.text.labelled {
                continue;
            } else {
                Presence::Optional
            };
            let anchors = if self.options.anchor && self.options.evidence && mentioned {
                // The key's own words first; its description's only when they find nothing.
                let by_key = self.text.after_mentions(&own);
                if by_key.is_empty() {
                    self.text.after_mentions(&words)
                } else {
                    by_key
                }
            } else {
                Vec::new()
            };
            let value = self.anchored_value(prop, mentioned, depth + 1, &anchors)?;
            items.push((format!("{} {value}", lit(&format!("{}: ", Value::String(key.clone())))), presence));
        }
        let body = if items.iter().all(|(_, p)| *p == Presence::Required) {
            let inner: Vec<&str> = items.iter().map(|(e, _)| e.as_str()).collect();
            format!("\"{{\" {} \"}}\"", inner.join(" \", \" "))
        } else {
            // first_i: the members from i on when none is written yet; rest_i: after one.
            let (mut first, mut rest) = ("\"\"".to_string(), "\"\"".to_string());
            for (expr, presence) in items.iter().rev() {
                let with_first = format!("{expr} {rest}");
                let with_rest = format!("\", \" {expr} {rest}");
                let (f, r) = match presence {
                    Presence::Required => (with_first, with_rest),
                    Presence::Optional => (format!("{with_first} | {first}"), format!("{with_rest} | {rest}")),
                };
                first = self.rule("first", f);
                rest = self.rule("rest", r);
            }
            format!("\"{{\" {first} \"}}\"")
        };
        Some(self.rule("object", body))
    }

    fn array(&mut self, schema: &Value, mentioned: bool, depth: usize) -> Option<String> {
        let item = self.value(schema.get("items")?, mentioned, depth + 1)?;
        let mut max = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(DEFAULT_MAX_ITEMS);
        if self.options.loop_guard {
            max = max.min(self.text.separators.max(1));
        }
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let min = if self.options.evidence && mentioned { min.max(1) } else { min };
        let max = max.max(min).max(1);
        let more = format!("(\", \" {item}){{{},{}}}", min.saturating_sub(1), max - 1);
        let body =
            if min == 0 { format!("\"[\" ({item} {more})? \"]\"") } else { format!("\"[\" {item} {more} \"]\"") };
        Some(self.rule("array", body))
    }

    fn string(&mut self, schema: &Value, anchors: &[String]) -> String {
        let short = schema.get("maxLength").and_then(Value::as_u64).filter(|m| *m <= WORD_MAX_LENGTH);
        let mut choices: Vec<String> = match short {
            Some(max) => {
                let fits = |w: &String| w.chars().count() as u64 <= max;
                let anchored: BTreeSet<String> =
                    anchors.iter().flat_map(|a| words_of(a)).map(json_escaped).filter(fits).collect();
                let words = if anchored.is_empty() { &self.text.words } else { &anchored };
                words.iter().filter(|w| fits(w)).map(|w| lit(w)).collect()
            }
            None if !anchors.is_empty() => {
                let max = schema.get("maxLength").and_then(Value::as_u64).unwrap_or(u64::MAX);
                let starts: BTreeSet<String> = anchors
                    .iter()
                    .flat_map(|a| word_prefixes(a))
                    .filter(|p| p.chars().count() as u64 <= max)
                    .map(|p| json_escaped(&p))
                    .collect();
                starts.iter().map(|p| lit(p)).collect()
            }
            None => {
                let lines = self.text.lines.clone();
                lines.iter().map(|l| self.substring_terminal("LINE", l)).collect()
            }
        };
        if choices.is_empty() {
            choices.push("\"\"".into());
        }
        let body = format!("\"\\\"\" ({}) \"\\\"\"", choices.join(" | "));
        self.rule("string", body)
    }

    /// The terminal for substrings of `escaped` (JSON-escaped text), one per text.
    fn substring_terminal(&mut self, stem: &str, escaped: &str) -> String {
        let source = format!("%regex {{\"substring_words\": {}}}", Value::String(escaped.to_string()));
        if let Some(t) = self.terminals.iter().find(|t| t.ends_with(&source)) {
            return t[..t.find(':').unwrap_or(0)].to_string();
        }
        let name = format!("{stem}_{}", self.terminals.len());
        self.terminals.push(format!("{name}: {source}"));
        name
    }

    fn number(&mut self, integer: bool, anchors: &[String]) -> String {
        let fits = |n: &String| !integer || !n.contains('.');
        // The first fitting number after each mention.
        let anchored: Vec<String> =
            anchors.iter().filter_map(|a| numbers_of(a).into_iter().find(|n| fits(n))).collect();
        let numbers = if anchored.is_empty() { self.text.numbers.clone() } else { anchored };
        let mut choices: Vec<String> = numbers.iter().filter(|n| fits(n)).map(|n| lit(n)).collect();
        choices.dedup();
        if choices.is_empty() {
            return if integer { "/-?[0-9]+/".into() } else { "/-?[0-9]+(\\.[0-9]+)?/".into() };
        }
        self.rule("number", alternatives(choices.into_iter()))
    }
}

/// A Lark string literal.
fn lit(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

fn alternatives(items: impl Iterator<Item = String>) -> String {
    format!("({})", items.collect::<Vec<_>>().join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ON: Extractive = Extractive { evidence: true, loop_guard: true, anchor: true };

    #[test]
    fn numbers_words_lines_and_labels_are_read_from_the_text() {
        let t = Text::read("Temp: -9.4 C\nHumidity: 40%\nip 10.2.218.142, id ORD-44203 \"quoted\"");
        assert_eq!(t.numbers, ["-9.4", "40", "10.2"], "no number starts inside a word or another number");
        assert!(t.words.contains("ORD-44203") && t.words.contains("10.2.218.142"));
        assert!(t.lines.contains(&"ip 10.2.218.142, id ORD-44203 \\\"quoted\\\"".to_string()));
        assert!(t.labelled);
        let words = |k: &str| key_words(k);
        assert!(t.mentions(&words("humidity_pct")) && t.mentions(&words("temperature_c")));
        assert!(!t.mentions(&words("sensor_id")));
        let described = label_words("sensor_id", &json!({"description": "sensor or node name"}));
        assert_eq!(described, ["sensor", "node"]);
        assert!(!Text::read("the pump is running at 40 percent at 10:32").labelled);
        assert!(Text::read("RH:50% | at:06:45 UTC | T:33.1C").labelled);
        let t = Text::read("a temperature of 28.5 °C. Humidity at 60% and at 10:32.");
        assert_eq!(
            t.after_mentions(&key_words("humidity")),
            ["at 60% and at 10:32."],
            "offsets past multi-byte characters"
        );
    }

    #[test]
    fn key_words_drop_units_and_short_parts() {
        assert_eq!(key_words("humidity_pct"), ["humidity"]);
        assert_eq!(key_words("cardLast4"), ["card", "last4"]);
        assert!(key_words("id").is_empty());
    }

    #[test]
    fn evidence_requires_mentioned_keys_and_drops_the_rest_in_labelled_text() {
        let schema = json!({"type": "object", "properties": {
            "sensor_id": {"type": "string"}, "temperature_c": {"type": "number"},
            "humidity_pct": {"type": "number"}, "time": {"type": "string"}},
            "required": ["temperature_c"]});
        let g = compile(&schema, "Temp: 8.5 C\nHumidity: 40%", ON).unwrap();
        assert!(g.contains("\"\\\"humidity_pct\\\": \""), "{g}");
        assert!(!g.contains("sensor_id") && !g.contains("\"\\\"time"), "{g}");
        assert!(!g.contains("first_"), "all present keys are required: {g}");
        // Prose has no labels: keys it does not mention stay optional.
        let g = compile(&schema, "it was 8.5 degrees at noon", ON).unwrap();
        assert!(g.contains("sensor_id") && g.contains("first_"), "{g}");
        // Without the evidence rule every optional key is optional.
        let g = compile(
            &schema,
            "Temp: 8.5 C\nHumidity: 40%",
            Extractive { evidence: false, loop_guard: true, anchor: true },
        )
        .unwrap();
        assert!(g.contains("sensor_id"), "{g}");
    }

    #[test]
    fn values_come_from_the_text() {
        let schema = json!({"type": "object", "properties": {
            "n": {"type": "integer"}, "x": {"type": "number"}, "cur": {"type": "string", "maxLength": 3},
            "level": {"enum": ["low", "high"]}, "ok": {"type": "boolean"}},
            "required": ["n", "x", "cur", "level", "ok"]});
        let g = compile(&schema, "n 12, x 3.5, EUR", ON).unwrap();
        assert!(g.contains("(\"12\")") && g.contains("(\"12\" | \"3.5\")"), "{g}");
        assert!(g.contains("\"EUR\"") && !g.contains("LINE_"), "{g}");
        assert!(g.contains("(\"\\\"low\\\"\" | \"\\\"high\\\"\")"), "{g}");
        let g = compile(&schema, "n 12, x 3.5, EUR, level HIGH", ON).unwrap();
        assert!(g.contains("(\"\\\"high\\\"\")"), "only the enum value the text writes: {g}");
    }

    #[test]
    fn arrays_are_bounded_by_the_text_and_get_an_item_when_mentioned() {
        let schema = json!({"type": "object", "properties": {
            "tasks": {"type": "array", "items": {"type": "string"}, "maxItems": 8}}});
        let g = compile(&schema, "Tasks: cleaned sensor", ON).unwrap();
        assert!(g.contains("{0,0}"), "one line, no separators: one item at most: {g}");
        assert!(g.contains("\"[\" string_"), "mentioned: at least one item: {g}");
        let g =
            compile(&schema, "Tasks: a, b, c", Extractive { evidence: true, loop_guard: false, anchor: true }).unwrap();
        assert!(g.contains("{0,7}"), "{g}");
    }

    #[test]
    fn anchored_values_come_from_after_their_label() {
        let t = Text::read("Temp: 8.5 C\nHumidity: 40%\nnode=pump-house t=3");
        assert_eq!(t.after_mentions(&key_words("humidity_pct")), ["40%"]);
        assert_eq!(t.after_mentions(&key_words("temperature_c")), ["8.5 C"]);
        assert!(t.after_mentions(&key_words("sensor_id")).is_empty());
        assert_eq!(t.after_mentions(&["node".to_string()]), ["pump-house t=3"]);
        let schema = json!({"type": "object", "properties": {
            "temperature_c": {"type": "number"}, "humidity_pct": {"type": "number"}},
            "required": ["temperature_c", "humidity_pct"]});
        let g = compile(&schema, "Temp: 8.5 C\nHumidity: 40%", ON).unwrap();
        assert!(g.contains("(\"8.5\")") && g.contains("(\"40\")"), "{g}");
        let g = compile(&schema, "Temp: 8.5 C\nHumidity: 40%", Extractive { anchor: false, ..ON }).unwrap();
        assert!(g.contains("(\"8.5\" | \"40\")"), "{g}");
    }

    #[test]
    fn anchored_strings_start_right_after_the_label() {
        assert_eq!(word_prefixes("pump-house, zone 2."), ["pump-house", "pump-house, zone", "pump-house, zone 2"]);
        assert_eq!(word_prefixes("\"2874 h\" host=x"), ["2874 h"]);
        let schema = json!({"type": "object", "properties": {"device": {"type": "string"}}, "required": ["device"]});
        let g = compile(&schema, "Device: pump-ctrl-02\nState: degraded", ON).unwrap();
        assert!(g.contains("(\"pump-ctrl-02\")"), "{g}");
    }

    #[test]
    fn what_it_cannot_compile_falls_back() {
        let schema = json!({"type": "object", "properties": {"a": {"anyOf": [{"type": "string"}, {"type": "null"}]}}});
        assert!(compile(&schema, "a: x", ON).is_none());
        assert!(ON.grammar(&schema, "a: x").is_some(), "the JSON-Schema grammar instead");
        let with_ref = json!({"$defs": {"p": {"type": "integer"}}, "type": "object",
            "properties": {"a": {"$ref": "#/$defs/p"}}, "required": ["a"]});
        assert!(compile(&with_ref, "a: 5", ON).unwrap().contains("\"5\""));
    }
}
