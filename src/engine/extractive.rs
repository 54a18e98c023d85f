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
//!   ("Key: value" lines, `key=value`), but stays optional in unlabelled prose (a
//!   boolean, or an enum whose values the text does not write, is left out there
//!   too); arrays with evidence get at least one item; an enum is one of the values
//!   the text writes (in any casing) when it writes any; a key that holds a date,
//!   time, e-mail, IP or MAC address or currency code ([`shape`]) takes a value of
//!   that shape, is left out without one and required with one no other key's label
//!   claims; after decoding, an optional key repeating another's value is dropped
//!   ([`super::distinct`]);
//! - with the *loop guard*, an array has at most as many items as the input has
//!   separators (lines, commas, semicolons, "and") to tell items apart, and a list
//!   written under the key's label (`Tasks:` with bullets, `To: a, b`, `items A x 2;
//!   B x 3`) is copied whole, in order, an object from each item;
//! - with *anchoring*, a value is copied from where the text writes it: a scalar
//!   from what follows its key's label (`Humidity: 40%` → `40`) up to the next key's
//!   label, never ending in a joining word (`and`, `at`); a number with the unit its
//!   key names (`charge_pct` → `15%`, never `3.89 V`); a key the text calls by
//!   another name from a *spare* label, one that names no key (`Unit: solar-7` for
//!   `device`), in mostly labelled text; a nested object or a list of objects from
//!   its own block or item under its label; a boolean as `false` where the text
//!   negates its key (`not charging`); a string no label anchors is a clause or a
//!   word of the text holding no label and no measure.
//!
//! What it cannot compile (`anyOf`, type lists, `patternProperties`, remote or
//! missing `$ref`, ...) falls back to plain JSON-Schema decoding for the whole job.

use super::constraint::{close_objects, Constraint, JsonSchemaConstraint};
use super::prompt::deref;
use super::shape::{self, Shape};
use llguidance::api::TopLevelGrammar;
use maaza_extract::emit;
use serde_json::Value;
use std::collections::BTreeSet;
use std::rc::Rc;

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
        self.capped_grammar(schema, input).0
    }

    fn name(&self) -> &'static str {
        "extractive"
    }

    /// The input can make a grammar llguidance refuses (a pathological text); the job
    /// is then decoded under the plain JSON-Schema grammar rather than refused.
    fn fallback(&self) -> Option<&dyn Constraint> {
        Some(&JsonSchemaConstraint)
    }

    /// The cap is counted a token per byte of the longest output the schema admits
    /// when every string and number is a piece of one line of the input; none when the
    /// job falls back to the plain JSON-Schema grammar, which bounds nothing.
    fn capped_grammar(&self, schema: &Value, input: &str) -> (Option<TopLevelGrammar>, Option<u32>) {
        let Some(lark) = compile(schema, input, *self) else {
            return (JsonSchemaConstraint.grammar(schema, input), None);
        };
        let line = input.lines().map(|l| json_escaped(l).len()).max().unwrap_or(0);
        let cap = longest(schema, schema, line, 0).and_then(|b| u32::try_from(b).ok()).map(|b| b.saturating_add(16));
        (Some(TopLevelGrammar::from_lark(lark)), cap)
    }

    /// With evidence, an optional key whose value repeats another's is left out
    /// (see [`super::distinct`]).
    fn settle(&self, schema: &Value, output: &mut Value) {
        if self.evidence {
            super::distinct::distinct(schema, schema, output);
        }
    }
}

/// The Lark grammar for `schema` over `input`, or `None` where the schema uses what
/// this compiler does not handle.
pub fn compile(schema: &Value, input: &str, options: Extractive) -> Option<String> {
    let mut closed = schema.clone();
    close_objects(&mut closed);
    let mut names = Vec::new();
    schema_words(&closed, &closed, &mut names, 0);
    let text = Text::read(input);
    let spare = text.spare(&names);
    let mut measured_units = Vec::new();
    numeric_units(&closed, &closed, &mut measured_units, 0);
    let mut c = Compiler {
        root: &closed,
        text: Rc::new(text),
        options,
        rules: Vec::new(),
        terminals: Vec::new(),
        n: 0,
        spare,
        measured_units,
        item: false,
    };
    let start = c.value(&closed, true, 0)?;
    let mut out = format!("start: {start}\n");
    for r in c.rules.iter().chain(&c.terminals) {
        out.push_str(r);
        out.push('\n');
    }
    Some(out)
}

/// The most bytes a value under `schema` takes in the extractive grammar, where a
/// string or number is at most a line of the input (`line` bytes, escaped) and an
/// array holds at most its `maxItems` (else [`DEFAULT_MAX_ITEMS`]); `None` for a
/// schema the grammar does not bound this way (a map, a type list, deep references).
fn longest(root: &Value, schema: &Value, line: usize, depth: usize) -> Option<usize> {
    if depth > 8 {
        return None;
    }
    let schema = deref(root, schema);
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        return choices.iter().map(|c| c.to_string().len()).max();
    }
    if let Some(c) = schema.get("const") {
        return Some(c.to_string().len());
    }
    let ty = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        _ if schema.get("properties").is_some() => "object",
        _ => return None,
    };
    match ty {
        "object" => {
            let props = schema.get("properties").and_then(Value::as_object)?;
            let mut total = 2 + 2 * props.len();
            for (key, prop) in props {
                total += Value::String(key.clone()).to_string().len() + 2 + longest(root, prop, line, depth + 1)?;
            }
            Some(total)
        }
        "array" => {
            let max = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(DEFAULT_MAX_ITEMS);
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let items = usize::try_from(max.max(min).max(1)).ok()?;
            let item = longest(root, schema.get("items")?, line, depth + 1)?;
            Some(2 + items.checked_mul(item + 2)?)
        }
        "string" => Some(line + 2),
        // (a number the text does not write is bounded: [`emit::NUMBER`])
        "integer" => Some(line.max(emit::INTEGER_BYTES)),
        "number" => Some(line.max(emit::NUMBER_BYTES)),
        "boolean" => Some(5),
        "null" => Some(4),
        _ => None,
    }
}

/// The label words of every key in a schema (see [`label_words`]).
fn schema_words(schema: &Value, root: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let schema = deref(root, schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for words in sibling_words(props, root) {
            out.extend(words);
        }
        for prop in props.values() {
            schema_words(prop, root, out, depth + 1);
        }
    }
    if let Some(items) = schema.get("items") {
        schema_words(items, root, out, depth + 1);
    }
}

/// The units named by the schema's numeric keys (see [`units_of`]).
fn numeric_units(schema: &Value, root: &Value, out: &mut Vec<&'static str>, depth: usize) {
    if depth > 8 {
        return;
    }
    let schema = deref(root, schema);
    for (key, prop) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        if matches!(prop.get("type").and_then(Value::as_str), Some("number" | "integer")) {
            out.extend(units_of(key).iter().filter(|u| !out.contains(u)).collect::<Vec<_>>());
        }
        numeric_units(prop, root, out, depth + 1);
    }
    if let Some(items) = schema.get("items") {
        numeric_units(items, root, out, depth + 1);
    }
}

/// For each of `segments`, the one of `values` written first in it (the longest
/// there): the value right after a label.
fn first_in(values: &[String], segments: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for segment in segments {
        let first = values
            .iter()
            .filter_map(|v| segment.find(v.as_str()).map(|at| (at, std::cmp::Reverse(v.len()), v)))
            .min()
            .map(|(_, _, v)| v.clone());
        out.extend(first.filter(|v| !out.contains(v)));
    }
    out
}

/// Whether `value` is a number alone or with a unit (`50%`, `-7.6 C`).
fn is_measure(value: &str) -> bool {
    let value = value.trim();
    let Some(n) = numbers_of(value).into_iter().next().filter(|n| value.starts_with(n.as_str())) else {
        return false;
    };
    let unit = value[n.len()..].trim().to_lowercase();
    unit.is_empty() || ALL_UNITS.contains(&unit.as_str())
}

/// What the compiler needs to know about the input.
struct Text {
    /// Non-empty lines, JSON-escaped (as a value copied from them is written).
    lines: Vec<String>,
    /// The same lines as written.
    raw_lines: Vec<String>,
    /// All lines in order, untrimmed (for lists under a label).
    ordered: Vec<String>,
    /// The text as written.
    raw: String,
    /// Every span that starts at a word and ends where a clause can (see
    /// [`clause_spans`]): what a value no label anchors can be; `None` for a text
    /// too long to list them.
    clauses: Option<Vec<String>>,
    /// For each number, what follows its occurrences (lower case, a few characters):
    /// where its unit is.
    tails: std::collections::HashMap<String, Vec<String>>,
    /// Numbers as written (`-9.4`, `40`), in order of first appearance.
    numbers: Vec<String>,
    /// Lower-cased words, for label evidence.
    vocabulary: BTreeSet<String>,
    /// The words of [`Self::vocabulary`] the text writes as values, not only as a
    /// label (`LOW: 70`, `ref_range.low=0.4`): where an enum value can be.
    value_words: BTreeSet<String>,
    /// Whether the text labels its values ("Key: value" lines, `key=value` pairs).
    labelled: bool,
    /// The labelled values: (label in lower case, value).
    labels: Vec<(String, String)>,
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
        let clauses = clause_spans(&raw_lines);
        let numbers = numbers_of(input);
        let vocabulary_of = |text: &str| -> BTreeSet<String> {
            text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 3).map(str::to_lowercase).collect()
        };
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
                w.find([':', '='])
                    .is_some_and(|p| p > 0 && p + 1 < w.len() && w[..p].chars().all(|c| c.is_alphabetic() || c == '_'))
            })
            .count();
        let separators = input.lines().filter(|l| !l.trim().is_empty()).count()
            + input.matches([',', ';']).count()
            + input.matches(" and ").count();
        let labelled = label_lines >= 2 || pairs >= 2;
        // A labelled text's title (`Meeting minutes`) names the document, not a field.
        let first = input.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
        let title = labelled
            && !first.contains([':', '='])
            && !first.contains(|c: char| c.is_ascii_digit())
            && first.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count() <= 4;
        let vocabulary = match input.trim_start().split_once('\n') {
            Some((_, body)) if title => vocabulary_of(body),
            _ => vocabulary_of(input),
        };
        let value_words = word_spans(input)
            .filter(|(at, w)| !input[at + w.len()..].trim_start_matches(' ').starts_with([':', '=']))
            .map(|(_, w)| w.to_lowercase())
            .filter(|w| vocabulary.contains(w))
            .collect();
        Text {
            lines,
            raw_lines,
            ordered: input.lines().map(str::to_string).collect(),
            raw: input.to_string(),
            clauses,
            tails: tails_of(&input.to_lowercase(), &numbers),
            numbers,
            vocabulary,
            value_words,
            labelled,
            labels: labels_of(input),
            separators: separators as u64,
        }
    }

    /// What follows each mention of `keys` on its line, past a `:` or `=` right
    /// after it, up to the next mention of one of `others` (a sibling key): where a
    /// labelled value is written.
    fn after_mentions(&self, keys: &[String], others: &[String], labels_only: bool) -> Vec<String> {
        let mut out = Vec::new();
        for line in &self.raw_lines {
            for (rest, labelled) in segments_after(line, keys, others) {
                if (labelled || !labels_only) && !out.contains(&rest) {
                    out.push(rest);
                }
            }
        }
        out
    }

    /// The items of the first list labelled by `keys`: the label line's value split
    /// at `,` `;` `|` and "and", or else the indented or bulleted lines under it.
    fn list_after(&self, keys: &[String], others: &[String]) -> Vec<String> {
        for (i, line) in self.ordered.iter().enumerate() {
            let segments = segments_after(line.trim(), keys, others);
            let first = segments.iter().find(|(_, labelled)| *labelled).or(segments.first()).cloned();
            let Some((rest, _)) = first else {
                if is_bare_label(line.trim(), keys) {
                    return self.items_under(i);
                }
                continue;
            };
            return split_items(first_sentence(&rest));
        }
        Vec::new()
    }

    /// Labelled values whose label names none of `names` (see [`schema_words`]).
    /// Only in a text that is mostly labels: around prose (an e-mail's headers over
    /// its body) a spare label is more likely a header than the value.
    fn spare(&self, names: &[String]) -> Vec<String> {
        let lines: Vec<&String> = self.ordered.iter().filter(|l| !l.trim().is_empty()).collect();
        let labelled = lines.iter().filter(|l| !labels_of(l).is_empty()).count();
        if labelled * 2 < lines.len() {
            return Vec::new();
        }
        labels_of(&self.top_level())
            .into_iter()
            .filter(|(label, _)| !word_spans(label).any(|(_, w)| hits(w, names)))
            .map(|(_, value)| value)
            .collect()
    }

    /// The lines that are neither indented nor bulleted: what is not inside a nested
    /// block (`Gateway:` with its lines, a list's items).
    fn top_level(&self) -> String {
        let nested = |l: &str| l.starts_with(char::is_whitespace) || l.trim_start().starts_with(['-', '*']);
        self.ordered.iter().filter(|l| !nested(l)).map(String::as_str).collect::<Vec<_>>().join("\n")
    }

    /// The blocks under the first bare label of `keys` (`Devices:`): one per bulleted
    /// item with the more indented lines that follow it, or, without bullets, the
    /// whole indented block as one.
    fn blocks_under(&self, keys: &[String]) -> Vec<String> {
        let Some(at) = self.ordered.iter().position(|l| is_bare_label(l.trim(), keys)) else { return Vec::new() };
        let indent = |l: &str| l.len() - l.trim_start().len();
        let base = indent(&self.ordered[at]);
        let mut blocks: Vec<String> = Vec::new();
        for line in &self.ordered[at + 1..] {
            let t = line.trim();
            if t.is_empty() || (indent(line) <= base && !t.starts_with(['-', '*'])) {
                break;
            }
            match t.strip_prefix(['-', '*']) {
                Some(item) => blocks.push(item.trim().to_string()),
                None if blocks.is_empty() => blocks.push(t.to_string()),
                None => {
                    let last = blocks.len() - 1;
                    blocks[last] = format!("{}\n{t}", blocks[last]);
                }
            }
        }
        blocks
    }

    /// The bulleted or more indented lines right under line `at`.
    fn items_under(&self, at: usize) -> Vec<String> {
        let indent = |l: &str| l.len() - l.trim_start().len();
        let base = indent(&self.ordered[at]);
        self.ordered[at + 1..]
            .iter()
            .take_while(|l| {
                let t = l.trim_start();
                !t.is_empty() && (indent(l) > base || t.starts_with(['-', '*']))
            })
            .map(|l| unquoted(l.trim().trim_start_matches(['-', '*']).trim().trim_end_matches('.')))
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// The input's words as written (see [`words_of`]).
    fn raw_words(&self) -> Vec<String> {
        words_of(&self.raw).map(str::to_string).collect()
    }

    /// Whether `number` is written somewhere followed by one of `units` (`40 %`,
    /// `33.1C`; a unit is not the start of a longer word).
    fn written_with(&self, number: &str, units: &[&str]) -> bool {
        let Some(tails) = self.tails.get(number) else { return false };
        tails.iter().any(|tail| {
            units
                .iter()
                .any(|unit| tail.strip_prefix(unit).is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric())))
        })
    }

    /// Whether the text writes a value for one of `keys`: under a label in labelled
    /// text (a title line `Door event` is none), anywhere in prose.
    fn labels_value_of(&self, keys: &[String]) -> bool {
        if self.labelled {
            !self.after_mentions(keys, &[], true).is_empty()
        } else {
            self.mentions(keys)
        }
    }

    /// Whether `span` is written, and only ever as a label: right before a `:` or `=`.
    fn only_label(&self, span: &str) -> bool {
        let span = span.trim();
        if span.is_empty() {
            return false;
        }
        let mut found = whole_matches(&self.raw, span).peekable();
        // Followed by `:` or `=`, or by the rest of a label of up to three words (`Work done:`).
        let label_next = |rest: &str| {
            let mut words = rest.splitn(4, ' ').filter(|w| !w.is_empty());
            words.any(|w| w.ends_with([':', '=']) || w.starts_with([':', '=']))
                && rest.split([':', '=']).next().is_some_and(|l| l.chars().all(|c| c.is_alphabetic() || c == ' '))
        };
        found.peek().is_some() && found.all(|at| label_next(&self.raw[at + span.len()..]))
    }

    /// Whether the text writes one of `keys` right after "not", "no" or "non".
    fn negates(&self, keys: &[String]) -> bool {
        self.raw_lines.iter().any(|line| {
            let lower = line.to_lowercase();
            let words: Vec<&str> = word_spans(&lower).map(|(_, w)| w).collect();
            words.windows(2).any(|w| matches!(w[0], "not" | "no" | "non") && hits(w[1], keys))
        })
    }

    /// Whether the text mentions a key by one of its label words (see
    /// [`label_words`]): the word is a word of the text, or a word of the text of 4+
    /// letters begins it (`Temp` for `temperature`), or they share a stem (see
    /// [`stem`]); a two-letter key only as a whole label (`To:`).
    fn mentions(&self, words: &[String]) -> bool {
        self.names(words)
            || words
                .iter()
                .any(|k| k.len() >= 3 && stem(k).is_some_and(|s| self.vocabulary.iter().any(|w| stem(w) == Some(s))))
    }

    /// Whether every label that names `own` (a key's words) names a sibling key by
    /// more of its words (`due date:` is `due_date`'s, not `date`'s); labelled text only.
    fn outnamed(&self, own: &[String], all: &[Vec<String>]) -> bool {
        let named_by = |label: &str, words: &[String]| word_spans(label).filter(|(_, w)| hits(w, words)).count();
        let mut naming = self.labels.iter().map(|(label, _)| label).filter(|l| named_by(l, own) > 0).peekable();
        self.labelled
            && naming.peek().is_some()
            && naming.all(|l| all.iter().any(|words| words != own && named_by(l, words) > named_by(l, own)))
    }

    /// [`Self::mentions`] without stems.
    fn names(&self, words: &[String]) -> bool {
        words.iter().any(|k| {
            if k.len() < 3 {
                return self.labels.iter().any(|(label, _)| label == k);
            }
            self.vocabulary.contains(k)
                || self.vocabulary.contains(&format!("{k}s"))
                || self.vocabulary.iter().any(|w| w.len() >= 4 && k.starts_with(w.as_str()))
        })
    }
}

/// What follows each occurrence of each number in `lower` (spaces skipped, up to
/// eight characters), where it does not continue another number.
fn tails_of(lower: &str, numbers: &[String]) -> std::collections::HashMap<String, Vec<String>> {
    let mut out = std::collections::HashMap::new();
    for number in numbers {
        let number = number.to_lowercase();
        let tails: Vec<String> = lower
            .match_indices(number.as_str())
            .filter(|(at, _)| !lower[..*at].chars().next_back().is_some_and(|c| c.is_ascii_digit() || c == '.'))
            .map(|(at, _)| lower[at + number.len()..].trim_start_matches(' ').chars().take(8).collect())
            .collect();
        out.insert(number, tails);
    }
    out
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

/// Whether `word` (lower case) mentions one of `keys`: it is one, begins one with
/// 4+ letters (`temp` for `temperature`), or shares its stem (`diagnosed` for
/// `diagnosis`, `reported` for `reporter`).
fn hits(word: &str, keys: &[String]) -> bool {
    let plural = |k: &String| k.len() >= 3 && word.strip_suffix('s') == Some(k.as_str());
    (word.len() >= 2 && keys.iter().any(|k| k == word || plural(k)))
        || (word.len() >= 4 && keys.iter().any(|k| k.starts_with(word)))
        || stem(word).is_some_and(|w| keys.iter().any(|k| stem(k) == Some(w)))
}

/// A word of 5+ letters without its inflection (`-ed`, `-ing`, `-ion`, `-er`, `-is`,
/// `-e`...), where at least four letters are left.
fn stem(word: &str) -> Option<&str> {
    const SUFFIXES: &[&str] = &["ings", "ions", "ing", "ion", "ers", "ed", "er", "or", "is", "es", "e", "d", "s"];
    if word.len() < 5 || !word.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    Some(SUFFIXES.iter().find_map(|s| word.strip_suffix(s).filter(|w| w.len() >= 4)).unwrap_or(word))
}

/// What follows each mention of `keys` in `line`: past the rest of the label (up
/// to a `:` or `=` close after the word with no digit before it), cut before the
/// first later mention of `others`.
fn segments_after(line: &str, keys: &[String], others: &[String]) -> Vec<(String, bool)> {
    let lower = line.to_lowercase();
    if lower.len() != line.len() {
        return Vec::new(); // a case change moved byte offsets: no safe slicing
    }
    let spans: Vec<(usize, &str)> = word_spans(&lower).collect();
    let mut out = Vec::new();
    for (n, (start, word)) in spans.iter().enumerate() {
        if !hits(word, keys) {
            continue;
        }
        let mut end = start + word.len();
        let mut labelled = false;
        if let Some(rest) = line.get(end..) {
            if let Some(p) =
                rest.find([':', '=']).filter(|p| *p <= 24 && !rest[..*p].contains(|c: char| c.is_ascii_digit()))
            {
                end += p + 1;
                labelled = true;
            }
        }
        if word.len() < 3 && !labelled {
            continue; // `to` in a sentence is no label
        }
        // Cut before the next label of another key, past this value's first word.
        let cut = spans[n + 1..]
            .iter()
            .filter(|(s, _)| *s > end)
            .skip(1)
            .find(|(_, w)| hits(w, others) && !hits(w, keys))
            .map_or(line.len(), |(s, _)| *s);
        let mut segment = line.get(end..cut.max(end)).unwrap_or("").trim();
        // A `key=value` pair's value ends at white space, or at its closing quote.
        if labelled && line[end..].starts_with(|c: char| !c.is_whitespace()) {
            segment = match segment.strip_prefix('"').and_then(|q| q.find('"')) {
                Some(close) => &segment[..close + 2],
                None => segment.split_whitespace().next().unwrap_or(""),
            };
        }
        if !segment.is_empty() {
            out.push((segment.to_string(), labelled));
        }
        // `Order: Order ORD-44203`: the value can also start past the repeated word.
        if let Some((first, rest)) = segment.split_once(' ') {
            if labelled && hits(&first.to_lowercase(), keys) && !rest.trim().is_empty() {
                out.push((rest.trim().to_string(), labelled));
            }
        }
    }
    out
}

/// Whether `line` is only a label of `keys` (`Tasks:`), its value on the lines under it.
fn is_bare_label(line: &str, keys: &[String]) -> bool {
    line.strip_suffix(':').is_some_and(|label| {
        let lower = label.to_lowercase();
        let hit = word_spans(&lower).any(|(_, w)| hits(w, keys));
        hit
    })
}

/// Where `part` occurs in `text` as whole words (no letter or digit glued to it).
fn whole_matches<'t>(text: &'t str, part: &'t str) -> impl Iterator<Item = usize> + 't {
    text.match_indices(part).map(|(at, _)| at).filter(move |at| {
        let before = text[..*at].chars().next_back();
        let after = text[at + part.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// `text` up to its first sentence end: a `.` before a capital.
fn first_sentence(text: &str) -> &str {
    let end = text.match_indices(". ").map(|(at, _)| at).find(|at| text[at + 2..].starts_with(char::is_uppercase));
    end.map_or(text, |at| &text[..at])
}

/// A list written on one line, split at `,` `;` `|`, "and" and sentence ends.
fn split_items(text: &str) -> Vec<String> {
    let text = unquoted(text.trim());
    text.replace(" and ", ",")
        .replace(". ", ",")
        .split([',', ';', '|'])
        .map(|i| unquoted(without_joiners(i.trim().trim_end_matches('.'))))
        .filter(|i| !i.is_empty())
        .collect()
}

/// Words a value does not begin or end with: it goes on past them.
const JOINERS: &[&str] = &["and", "or", "at", "in", "on", "of", "to", "the", "a", "an", "with", "for", "by", "from"];

/// The entries of every list in `per_key` but the `i`th: what a key's siblings have.
fn all_but(per_key: &[Vec<String>], i: usize) -> Vec<String> {
    per_key.iter().enumerate().filter(|(j, _)| *j != i).flat_map(|(_, v)| v.clone()).collect()
}

/// Whether `word` is one of [`JOINERS`], in any casing.
fn is_joiner(word: &str) -> bool {
    JOINERS.iter().any(|j| j.eq_ignore_ascii_case(word))
}

/// `text` without joining words at either end (`and by Lena` → `Lena`).
fn without_joiners(mut text: &str) -> &str {
    while let Some((_, rest)) = text.split_once(' ').filter(|(f, _)| is_joiner(f)) {
        text = rest.trim_start();
    }
    while let Some((rest, _)) = text.rsplit_once(' ').filter(|(_, l)| is_joiner(l)) {
        text = rest.trim_end();
    }
    text
}

fn unquoted(s: &str) -> String {
    s.strip_prefix('"').and_then(|q| q.strip_suffix('"')).unwrap_or(s).to_string()
}

/// The labelled values of a text: "Label: value" lines and `label=value` or
/// `label:value` pairs (a quoted value may hold spaces).
fn labels_of(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let parts = text.lines().flat_map(|l| l.split([';', '|']));
    for line in parts.map(|l| l.trim().trim_start_matches(['-', '*']).trim()) {
        if let Some((label, value)) = line.split_once(':') {
            let is_label = !label.is_empty()
                && label.len() <= 32
                && label.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '_');
            // "Label: value" (a space after the colon, or a label of several words);
            // `RH:50% | at:06:45` is pairs.
            if is_label && (label.contains(' ') || !value.starts_with(|c: char| !c.is_whitespace())) {
                if !value.trim().is_empty() {
                    out.push((label.trim().to_lowercase(), value.trim().to_string()));
                }
                continue;
            }
        }
        let mut tokens =
            line.split(|c: char| c.is_whitespace() || matches!(c, '|' | ';' | ',')).filter(|t| !t.is_empty());
        while let Some(token) = tokens.next() {
            let Some(p) = token.find([':', '=']) else { continue };
            let (label, value) = (&token[..p], &token[p + 1..]);
            if label.is_empty() || !label.chars().all(|c| c.is_alphabetic() || c == '_') || value.is_empty() {
                continue;
            }
            let mut value = value.to_string();
            if value.starts_with('"') {
                while !(value.len() > 1 && value.ends_with('"')) {
                    let Some(next) = tokens.next() else { break };
                    value = format!("{value} {next}");
                }
            }
            out.push((label.to_lowercase(), unquoted(&value)));
        }
    }
    out
}

/// Words of up to [`WORD_MAX_LENGTH`] characters, outer punctuation trimmed.
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '|' | '=' | '(' | ')' | '[' | ']' | '<' | '>' | '"')
    })
    .map(|w| w.trim_end_matches(['.', ':']).trim_start_matches(':'))
    .filter(|w| !w.is_empty() && w.chars().count() as u64 <= WORD_MAX_LENGTH)
}

/// Where a value copied from the text can end (see [`word_prefixes`]).
#[derive(Clone, Copy, PartialEq)]
enum Ends {
    /// At any word (a value after its label in prose: `Node greenhouse-3 reports`).
    Words,
    /// Where a clause can: also before a joining word (`and`, `at`, `by`).
    Clauses,
    /// Only at punctuation (a value after its label on a labelled line).
    Lines,
}

/// The starts of `segment` that end where a value can: before `,` `;` `|`, a
/// sentence's end, a ` - `, the segment's end, and as `ends` says; trailing `.` and
/// `:` dropped, never ending in a joining word. A quoted start is its quote's
/// content. A labelled value starts right after its label.
fn word_prefixes(segment: &str, ends: Ends) -> Vec<String> {
    if let Some(quoted) = segment.strip_prefix('"') {
        return quoted.split('"').next().map(|q| vec![q.to_string()]).unwrap_or_default();
    }
    // A value does not run on into the next sentence.
    let segment = first_sentence(segment);
    let mut out = Vec::new();
    let mut push = |end: usize| {
        let prefix = without_joiners(segment[..end].trim_end_matches(['.', ':', ',', ';', '|', ' ', '-', '"']));
        if !prefix.is_empty() && !is_joiner(prefix) && !out.iter().any(|p: &String| p == prefix) {
            out.push(prefix.to_string());
        }
    };
    for (i, c) in segment.char_indices() {
        let rest = &segment[i + c.len_utf8()..];
        let ends = match c {
            ',' | ';' | '|' => true,
            '.' => rest.is_empty() || rest.starts_with(' '),
            ' ' => match ends {
                Ends::Words => true,
                Ends::Clauses => rest.starts_with("- ") || rest.split(' ').next().is_some_and(is_joiner),
                Ends::Lines => rest.starts_with("- "),
            },
            _ => false,
        };
        if ends {
            push(i);
        }
    }
    push(segment.len());
    out
}

/// Most spans [`clause_spans`] lists before a text counts as too long.
const MAX_CLAUSE_SPANS: usize = 600;

/// The spans of `lines` that start at a word (past a title's ` - ` or a quote) and
/// end where a value can (see [`word_prefixes`]), within one sentence; `None` when
/// there are more than [`MAX_CLAUSE_SPANS`].
fn clause_spans(lines: &[String]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        for sentence in line.split_inclusive(". ") {
            let starts = sentence.char_indices().filter(|&(i, c)| {
                let before = sentence[..i].chars().next_back();
                !c.is_whitespace() && before.is_none_or(|b| b.is_whitespace() || b == '"')
            });
            for (i, _) in starts {
                let rest = &sentence[i..];
                if rest.starts_with(['-', '"']) {
                    continue;
                }
                for span in word_prefixes(rest, Ends::Clauses) {
                    if !out.contains(&span) {
                        out.push(span);
                    }
                }
                if out.len() > MAX_CLAUSE_SPANS {
                    return None;
                }
            }
        }
    }
    Some(out)
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
        // A date, time, version or address (`2026-04-01`, `10:32`, `3.0.7`) is no number.
        let token_end = (i + 1..chars.len())
            .find(|&k| !(chars[k].is_ascii_digit() || matches!(chars[k], '.' | ':' | '/' | '-')))
            .unwrap_or(chars.len());
        let token: String = chars[i + 1..token_end].iter().collect();
        let token = token.trim_end_matches(['.', ':', '/', '-']);
        let parts: Vec<&str> = token.split('-').collect();
        if token.contains([':', '/']) || parts.len() > 2 || parts.iter().any(|p| p.matches('.').count() > 1) {
            i = token_end;
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
    // An array's items describe what it lists ("task done" for `tasks`).
    let descriptions = [schema.get("description"), schema.get("items").and_then(|i| i.get("description"))];
    for d in descriptions.into_iter().flatten().filter_map(Value::as_str) {
        for w in d.split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase) {
            if w.len() >= 4 && !COMMON.contains(&w.as_str()) && !words.contains(&w) {
                words.push(w);
            }
        }
    }
    words
}

/// The [`label_words`] of each of an object's keys, less the description words that
/// several of them share (`device` in "device id" and "device type"): a label with
/// such a word names none of them in particular.
fn sibling_words(props: &serde_json::Map<String, Value>, root: &Value) -> Vec<Vec<String>> {
    let all: Vec<(Vec<String>, Vec<String>)> =
        props.iter().map(|(k, p)| (key_words(k), label_words(k, deref(root, p)))).collect();
    let shared = |w: &String| all.iter().filter(|(_, words)| words.contains(w)).count() > 1;
    all.iter().map(|(own, words)| words.iter().filter(|w| own.contains(w) || !shared(w)).cloned().collect()).collect()
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
    // A two-letter key (`to`, `cc`, `ip`) is its own label; inside longer keys such
    // parts (`sensor_id`) say too little.
    if words.len() == 1 && words[0].len() == 2 {
        return words;
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
    /// The text values are copied from: the input, or the block of a nested object.
    text: Rc<Text>,
    options: Extractive,
    rules: Vec<String>,
    terminals: Vec<String>,
    n: usize,
    /// Labelled values whose label names no key of the schema: where a key the
    /// text calls by another name (`Unit:` for `device`) can be written.
    spare: Vec<String>,
    /// The units the schema's numeric keys name (see [`units_of`]).
    measured_units: Vec<&'static str>,
    /// Whether the object being compiled is an item of a list.
    item: bool,
}

impl<'a> Compiler<'a> {
    /// Runs `f` with values copied from `block` (the lines under a nested object's
    /// label, or one item of a list), not from the whole input.
    /// A label there that names none of `schema`'s own keys is spare, even when it
    /// names an outer key (`Device:` in an item of `devices`).
    fn within<T>(&mut self, block: &str, schema: &Value, f: impl FnOnce(&mut Self) -> T) -> T {
        let text = Text::read(block);
        let mut names = Vec::new();
        schema_words(schema, self.root, &mut names, 0);
        let spare = text.spare(&names);
        let outer = (std::mem::replace(&mut self.text, Rc::new(text)), std::mem::replace(&mut self.spare, spare));
        let out = f(self);
        (self.text, self.spare) = outer;
        out
    }

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
        self.anchored_value(schema, mentioned, depth, &Hints::default())
    }

    /// [`Self::value`], copied where `hints` say the text writes it.
    fn anchored_value(&mut self, schema: &Value, mentioned: bool, depth: usize, hints: &Hints) -> Option<String> {
        let schema = self.deref(schema)?;
        if depth > 6 {
            return None;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            // With evidence, the values the text writes (in any casing), when it writes any.
            let written: Vec<&Value> = values.iter().filter(|v| self.writes(v)).collect();
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
            // A nested object written as a block under its label takes its values from there.
            "object" if hints.blocks.len() == 1 && self.options.anchor => {
                let block = hints.blocks[0].clone();
                self.within(&block, schema, |c| c.object(schema, depth))
            }
            "object" => self.object(schema, depth),
            "array" => self.array(schema, mentioned, depth, hints),
            "string" => Some(self.string(schema, hints)),
            "integer" => Some(self.number(true, hints)),
            "number" => Some(self.number(false, hints)),
            "boolean" if self.options.evidence && hints.negated => Some("\"false\"".into()),
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
        let own_words: Vec<Vec<String>> = props.keys().map(|k| key_words(k)).collect();
        let label_words = sibling_words(props, self.root);
        // Spare labels go first to the required keys the text does not name; optional
        // ones get them only when there are more spare labels than that.
        let unnamed_required = props
            .iter()
            .zip(&label_words)
            .filter(|((k, _), words)| required.contains(&k.as_str()) && !self.text.labels_value_of(words))
            .count();
        let spare_for_optional = self.spare.len() > unnamed_required;
        // The values of each shaped key's shape the text writes, and of those the
        // ones after its own label: a key the text names claims them from the others.
        let shapes: Vec<Option<Shape>> = props.iter().map(|(key, prop)| self.shape_of(key, prop)).collect();
        let own_lines = self.text.top_level();
        let mut shaped: Vec<Vec<String>> = Vec::new();
        let mut claimed: Vec<Vec<String>> = Vec::new();
        for (i, shape) in shapes.iter().enumerate() {
            let values = shape.map(|shape| shape::find(shape, &own_lines)).unwrap_or_default();
            let others = all_but(&own_words, i);
            let after = if values.is_empty() || !self.options.anchor {
                Vec::new()
            } else {
                [&own_words[i], &label_words[i]]
                    .into_iter()
                    .map(|words| self.text.after_mentions(words, &others, false))
                    .find(|segments| !segments.is_empty())
                    .unwrap_or_default()
            };
            claimed.push(first_in(&values, &after));
            shaped.push(values);
        }
        let numeric_keys: Vec<bool> = props
            .values()
            .map(|p| {
                self.deref(p)
                    .and_then(|p| p.get("type"))
                    .and_then(Value::as_str)
                    .is_some_and(|t| t == "number" || t == "integer")
            })
            .collect();
        // The enum values the text writes, per key: what another key's string is not.
        let choices: Vec<Vec<String>> = props
            .values()
            .map(|p| {
                let values = self.deref(p).and_then(|p| p.get("enum")).and_then(Value::as_array);
                let written = values.into_iter().flatten().filter(|v| self.writes(v));
                written.filter_map(Value::as_str).map(str::to_string).collect()
            })
            .collect();
        let mut items = Vec::new();
        for (i, (key, prop)) in props.iter().enumerate() {
            let own = &own_words[i];
            let others = all_but(&own_words, i);
            let sibling_shaped = all_but(&shaped, i);
            let words = label_words[i].clone();
            // A flag is named by its own word: `charge` does not say `charging`.
            let flag = self.deref(prop)?.get("type").and_then(Value::as_str) == Some("boolean");
            let named = if flag { self.text.names(&words) } else { self.text.mentions(&words) };
            let mentioned =
                !self.options.evidence || (named && !(self.options.anchor && self.text.outnamed(own, &own_words)));
            // A scalar the text does not name can still be written under a label
            // that names no key.
            let spare = self.options.evidence
                && self.options.anchor
                && !mentioned
                && (is_plain_scalar(self.deref(prop)?) || self.enum_in(self.deref(prop)?, &self.spare));
            // Not a spare label's value that is another key's date, time or address,
            // nor, for a string, a number, a measure (`50%`) or another key's enum value.
            let string = self.deref(prop)?.get("type").and_then(Value::as_str) == Some("string");
            let enum_of_other = |v: &String| {
                props.iter().enumerate().any(|(j, (_, p))| {
                    j != i && self.deref(p).is_some_and(|p| self.enum_in(p, std::slice::from_ref(v)))
                })
            };
            let taken = |v: &String| {
                shaped.iter().enumerate().any(|(j, s)| j != i && s.iter().any(|s| s.contains(v.trim())))
                    || (string && (self.holds_other_value(v, &Hints::default()) || enum_of_other(v)))
            };
            let spare = if spare { self.spare.iter().filter(|v| !taken(v)).cloned().collect() } else { Vec::new() };
            let is_required = required.contains(&key.as_str());
            let numeric = matches!(self.deref(prop)?.get("type").and_then(Value::as_str), Some("number" | "integer"));
            // A key known to hold dates, times, addresses or codes takes one the text
            // writes; without one, an optional key is left out.
            let is_shaped = shapes[i].is_some();
            let shaped: Vec<String> = if mentioned {
                shaped[i].clone()
            } else {
                let by_others = |v: &String| claimed.iter().enumerate().any(|(j, c)| j != i && c.contains(v));
                shaped[i].iter().filter(|v| !by_others(v)).cloned().collect()
            };
            if self.options.evidence && !is_required && is_shaped && shaped.is_empty() {
                continue;
            }
            // Nor does an optional choice none of whose values the text writes, even
            // where it names the key: any value would be a guess.
            let choice = self.deref(prop)?.get("enum").is_some();
            if self.options.evidence && !is_required && choice && !self.written(self.deref(prop)?) {
                continue;
            }
            let presence = if is_required || (self.options.evidence && mentioned) {
                Presence::Required
            } else if self.options.evidence && numeric && self.text.numbers.is_empty() {
                continue; // no number written for it
            } else if is_shaped {
                Presence::Required // the text writes a value of its shape that no other key's label claims
            } else if self.options.evidence && !self.written(self.deref(prop)?) {
                continue; // a flag or a choice the text neither names nor writes
            } else if self.options.evidence && self.deref(prop)?.get("type").and_then(Value::as_str) == Some("array") {
                continue; // a list the text does not name
            } else if self.options.evidence && self.text.labelled && (spare.is_empty() || !spare_for_optional) {
                continue;
            } else {
                Presence::Optional
            };
            let mut hints = Hints {
                units: units_of(key),
                segments: spare,
                negated: self.text.negates(own),
                shaped,
                sibling_shaped,
                sibling_labelled: [self.labelled_by(&others), all_but(&choices, i)].concat(),
                numeric_sibling: self.item && numeric_keys.iter().enumerate().any(|(j, n)| j != i && *n),
                ..Hints::default()
            };
            if self.options.anchor && self.options.evidence && mentioned {
                // The key's own words first; its description's only when they find nothing.
                // In labelled text, a mention that is no label (a title line, `Door
                // event`) counts only when no spare label can hold the value.
                let labels_only = self.text.labelled;
                for label in [own, &words] {
                    if hints.segments.is_empty() {
                        hints.segments = self.text.after_mentions(label, &others, labels_only);
                    }
                    if hints.items.is_empty() {
                        hints.items = self.text.list_after(label, &others);
                    }
                    if hints.blocks.is_empty() {
                        hints.blocks = self.text.blocks_under(label);
                    }
                }
                if hints.segments.is_empty() && labels_only {
                    hints.segments = if is_plain_scalar(self.deref(prop)?) && !self.spare.is_empty() {
                        self.spare.clone()
                    } else {
                        self.text.after_mentions(own, &others, false)
                    };
                }
            }
            if self.options.evidence && presence == Presence::Optional && self.nothing_free(self.deref(prop)?, &hints) {
                continue;
            }
            // Named or not, an optional number the text does not write is left out.
            if self.options.evidence && !is_required && numeric {
                let integer = self.deref(prop)?.get("type").and_then(Value::as_str) == Some("integer");
                if self.number_candidates(integer, &hints).is_empty() {
                    continue; // no number the text writes can be this one
                }
            }
            let value = self.anchored_value(prop, mentioned, depth + 1, &hints)?;
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

    /// The values the text labels with one of `words` (`notifier` in `service=notifier`).
    fn labelled_by(&self, words: &[String]) -> Vec<String> {
        let named = |label: &str| word_spans(label).any(|(_, w)| hits(w, words));
        self.text.labels.iter().filter(|(label, _)| named(label)).map(|(_, value)| value.clone()).collect()
    }

    /// The shape of a key's string value (see [`shape::shape_of`]), with evidence on.
    fn shape_of(&self, key: &str, prop: &Value) -> Option<Shape> {
        let prop = self.deref(prop)?;
        let plain_string = prop.get("type").and_then(Value::as_str) == Some("string") && prop.get("enum").is_none();
        if !self.options.evidence || !plain_string {
            return None;
        }
        shape::shape_of(key, prop, &key_words(key))
    }

    /// Whether the text writes the enum value `v` (in any casing).
    fn writes(&self, v: &Value) -> bool {
        v.as_str().is_some_and(|s| self.text.value_words.contains(&s.to_lowercase()))
    }

    /// Whether the text can give a value of `schema` without naming its key: not for
    /// a boolean, nor for an enum none of whose values it writes.
    fn written(&self, schema: &Value) -> bool {
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values.iter().any(|v| self.writes(v));
        }
        schema.get("type").and_then(Value::as_str) != Some("boolean")
    }

    /// Whether one of `values` is one of the schema's enum values (any casing).
    fn enum_in(&self, schema: &Value, values: &[String]) -> bool {
        schema.get("enum").and_then(Value::as_array).is_some_and(|e| {
            e.iter().filter_map(Value::as_str).any(|v| values.iter().any(|s| s.eq_ignore_ascii_case(v)))
        })
    }

    fn array(&mut self, schema: &Value, mentioned: bool, depth: usize, hints: &Hints) -> Option<String> {
        let items_schema = self.deref(schema.get("items")?)?;
        let objects = items_schema.get("type").and_then(Value::as_str) == Some("object");
        let outer = std::mem::replace(&mut self.item, objects);
        let out = self.items(schema, items_schema, mentioned, depth, hints);
        self.item = outer;
        out
    }

    /// [`Self::array`] of `items_schema` items, with [`Self::item`] set for objects.
    fn items(
        &mut self,
        schema: &Value,
        items_schema: &Value,
        mentioned: bool,
        depth: usize,
        hints: &Hints,
    ) -> Option<String> {
        let mut max = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(DEFAULT_MAX_ITEMS);
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let min = if self.options.evidence && mentioned { min.max(1) } else { min };
        // A list of objects written as items under its label (`Items:` with bullets, or
        // `items A x 2; B x 3` on one line): each object from its own item.
        let objects = items_schema.get("type").and_then(Value::as_str) == Some("object");
        let blocks = if hints.blocks.is_empty() { &hints.items } else { &hints.blocks };
        let count = blocks.len() as u64;
        if objects && self.options.anchor && self.options.loop_guard && count > 0 && (min..=max).contains(&count) {
            let mut each = Vec::new();
            for block in blocks.clone() {
                each.push(self.within(&block, items_schema, |c| c.object(items_schema, depth + 1))?);
            }
            return Some(self.sequence(&each));
        }
        if let Some(listed) = self.listed_items(items_schema, &hints.items) {
            if (min..=max).contains(&(listed.len() as u64)) {
                return Some(self.sequence(&listed));
            }
        }
        let item = self.value(items_schema, mentioned, depth + 1)?;
        if self.options.loop_guard {
            let listed = hints.items.len() as u64;
            max = max.min(if listed > 0 { listed } else { self.text.separators.max(1) });
        }
        let max = max.max(min).max(1);
        // llguidance refuses `{0,0}`: a single item has no repetition at all.
        let more =
            if max > 1 { format!("(\", \" {item}){{{},{}}}", min.saturating_sub(1), max - 1) } else { String::new() };
        let body =
            if min == 0 { format!("\"[\" ({item} {more})? \"]\"") } else { format!("\"[\" {item} {more} \"]\"") };
        Some(self.rule("array", body))
    }

    /// The literals of a list's items as the text writes them under the key's label,
    /// for arrays of plain strings or numbers; `None` where there is no such list.
    fn listed_items(&self, items_schema: &Value, items: &[String]) -> Option<Vec<String>> {
        if !self.options.loop_guard || items.is_empty() {
            return None;
        }
        let literals: Vec<String> = match items_schema.get("type").and_then(Value::as_str)? {
            "string" if items_schema.get("enum").is_none() && items_schema.get("format").is_none() => {
                let max = items_schema.get("maxLength").and_then(Value::as_u64).unwrap_or(u64::MAX);
                items
                    .iter()
                    .filter(|i| i.chars().count() as u64 <= max)
                    .map(|i| lit(&format!("\"{}\"", json_escaped(i))))
                    .collect()
            }
            kind @ ("integer" | "number") => items
                .iter()
                .filter_map(|i| numbers_of(i).into_iter().find(|n| kind == "number" || !n.contains('.')))
                .map(|n| lit(&n))
                .collect(),
            _ => return None,
        };
        (!literals.is_empty()).then_some(literals)
    }

    /// An array of `items`, in their order: a list copied whole from the text, which
    /// can neither skip an item nor loop.
    fn sequence(&mut self, items: &[String]) -> String {
        self.rule("array", format!("\"[\" {} \"]\"", items.join(" \", \" ")))
    }

    fn string(&mut self, schema: &Value, hints: &Hints) -> String {
        let anchors = &hints.segments;
        let short = schema.get("maxLength").and_then(Value::as_u64).filter(|m| *m <= WORD_MAX_LENGTH);
        let shaped = self.shaped_choices(schema, hints);
        let mut choices: Vec<String> = match short {
            _ if !shaped.is_empty() => shaped,
            Some(max) => {
                let words = self.short_words(max, hints);
                let free = self.free_words(&words, hints);
                let words = if free.is_empty() || !self.options.evidence { words } else { free };
                words.iter().map(|w| lit(&json_escaped(w))).collect()
            }
            None if !anchors.is_empty() => {
                let max = schema.get("maxLength").and_then(Value::as_u64).unwrap_or(u64::MAX);
                let starts: BTreeSet<String> = anchors
                    .iter()
                    .flat_map(|a| word_prefixes(a, if self.text.labelled { Ends::Lines } else { Ends::Words }))
                    .filter(|p| p.chars().count() as u64 <= max)
                    .collect();
                // With evidence, none that is a sibling's value, when one is not.
                let own: Vec<&String> = starts.iter().filter(|p| !self.sibling_value(p, hints)).collect();
                let starts = if own.is_empty() || !self.options.evidence { starts.iter().collect() } else { own };
                starts.into_iter().map(|p| lit(&json_escaped(p))).collect()
            }
            None => {
                let max = schema.get("maxLength").and_then(Value::as_u64);
                match self.text.clauses.as_ref().filter(|_| self.options.anchor) {
                    // A clause or its end, or one word (an id in terse text); with
                    // evidence, none that holds a label or a measure another key takes.
                    Some(spans) => {
                        let all = self.unlabelled_spans(spans, max);
                        let free = self.free_spans(&all, hints);
                        let spans = if free.is_empty() || !self.options.evidence { all } else { free };
                        spans.iter().map(|s| lit(&json_escaped(s))).collect()
                    }
                    None => {
                        let lines = self.text.lines.clone();
                        lines.iter().map(|l| self.substring_terminal("LINE", l, max)).collect()
                    }
                }
            }
        };
        if choices.is_empty() {
            choices.push("\"\"".into());
        }
        let body = format!("\"\\\"\" ({}) \"\\\"\"", choices.join(" | "));
        self.rule("string", body)
    }

    /// What a string of at most `max` (a few) characters can be: a word after its
    /// label, else any word.
    fn short_words(&self, max: u64, hints: &Hints) -> Vec<String> {
        let fits = |w: &&str| w.chars().count() as u64 <= max;
        let anchored: BTreeSet<&str> = hints.segments.iter().flat_map(|a| words_of(a)).filter(fits).collect();
        let all: BTreeSet<&str> = words_of(&self.text.raw).filter(fits).collect();
        let words = if anchored.is_empty() { all } else { anchored };
        words.into_iter().map(str::to_string).collect()
    }

    /// The words that are another value (see [`Self::names_other`]) or a joining
    /// word; a number stays (a short string is often a code: `3814`).
    fn free_words(&self, words: &[String], hints: &Hints) -> Vec<String> {
        words.iter().filter(|w| !is_joiner(w) && !self.names_other(w, hints)).cloned().collect()
    }

    /// What an unlabelled string can be: a clause or its end, or one word (an id in
    /// terse text), within `max` characters.
    fn unlabelled_spans(&self, clauses: &[String], max: Option<u64>) -> Vec<String> {
        let all: BTreeSet<String> = clauses
            .iter()
            .cloned()
            .chain(self.text.raw_words().into_iter().filter(|w| !is_joiner(w)))
            .filter(|s| max.is_none_or(|m| s.chars().count() as u64 <= m))
            .collect();
        all.into_iter().collect()
    }

    /// The spans that hold no other value (see [`Self::holds_other_value`]).
    fn free_spans(&self, spans: &[String], hints: &Hints) -> Vec<String> {
        spans.iter().filter(|s| !self.holds_other_value(s, hints)).cloned().collect()
    }

    /// Whether an optional string the text does not name has no value of its own to
    /// take: every unlabelled span holds another value (`T=-9.4 °C` has no sensor).
    fn nothing_free(&self, schema: &Value, hints: &Hints) -> bool {
        let plain = schema.get("type").and_then(Value::as_str) == Some("string")
            && schema.get("enum").is_none()
            && schema.get("const").is_none();
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64).filter(|m| *m <= WORD_MAX_LENGTH) {
            return plain
                && hints.shaped.is_empty()
                && self.free_words(&self.short_words(max, hints), hints).is_empty();
        }
        if !plain || !hints.segments.is_empty() || !hints.shaped.is_empty() || !self.options.anchor {
            return false;
        }
        let max = schema.get("maxLength").and_then(Value::as_u64);
        self.text.clauses.as_ref().is_some_and(|c| self.free_spans(&self.unlabelled_spans(c, max), hints).is_empty())
    }

    /// Whether an unlabelled span holds what is not a string's value: a label
    /// (`service=notifier`, `app[4410]:`), a number or measure alone, a number
    /// written with a unit a numeric key of the schema names (`30.2°C`), or what
    /// [`Self::names_other`] says.
    fn holds_other_value(&self, span: &str, hints: &Hints) -> bool {
        let label = span.char_indices().any(|(i, c)| {
            let before = span[..i].chars().next_back();
            let after = span[i + c.len_utf8()..].chars().next();
            matches!(c, ':' | '=')
                && before.is_some_and(|b| b.is_alphabetic() || b == ']' || b == '_')
                && after.is_none_or(|a| !a.is_ascii_digit() || c == '=')
        });
        label
            || is_measure(span)
            || numbers_of(span).iter().any(|n| self.text.written_with(n, &self.measured_units))
            || self.names_other(span, hints)
    }

    /// Whether a span is a word the text writes only as a label (`T=-9.4`), a unit
    /// after a number (`°C`), or a sibling's value (see [`Self::sibling_value`]).
    fn names_other(&self, span: &str, hints: &Hints) -> bool {
        let lower = span.trim().to_lowercase();
        let unit = ALL_UNITS.contains(&lower.as_str())
            && self.text.numbers.iter().any(|n| self.text.written_with(n, &[lower.as_str()]));
        unit || self.text.only_label(span) || self.sibling_value(span, hints)
    }

    /// Whether a span is a sibling key's value: holds one of their shaped values or
    /// starts inside one (`10:05 cache flushed` for an event beside a time), labelled
    /// by a sibling's own word, or, beside a numeric key, a span with a bare
    /// number in it (`Relay board x 16`).
    fn sibling_value(&self, span: &str, hints: &Hints) -> bool {
        let bare_number = |w: &str| {
            let w = w.trim_end_matches([',', '.', ';']);
            !w.is_empty() && numbers_of(w).first().is_some_and(|n| n == w)
        };
        let span = span.trim();
        // Holds a shaped value, or starts inside one (`2026 and on C2` after `Sep 3 2026`).
        let shaped = hints.sibling_shaped.iter().chain(&hints.shaped).any(|v| {
            let inside = word_spans(v)
                .skip(1)
                .any(|(at, _)| span.starts_with(&v[at..]) && self.text.raw.contains(&format!("{}{span}", &v[..at])));
            inside || whole_matches(span, v).next().is_some()
        });
        shaped
            || hints.sibling_labelled.iter().any(|v| v.eq_ignore_ascii_case(span))
            || (hints.numeric_sibling && span.split_whitespace().any(bare_number))
    }

    /// The literals of a shaped key's values (see [`shape`]): those after its label
    /// when there are any, else all the text writes.
    fn shaped_choices(&self, schema: &Value, hints: &Hints) -> Vec<String> {
        let max = schema.get("maxLength").and_then(Value::as_u64).unwrap_or(u64::MAX);
        let fits: Vec<&String> = hints.shaped.iter().filter(|v| v.chars().count() as u64 <= max).collect();
        let firsts = first_in(&hints.shaped, &hints.segments);
        let anchored: Vec<&String> = fits.iter().copied().filter(|v| firsts.contains(v)).collect();
        let values = if anchored.is_empty() || !self.options.anchor { fits } else { anchored };
        values.into_iter().map(|v| lit(&json_escaped(v))).collect()
    }

    /// The terminal for substrings of `escaped` (JSON-escaped text), one per text
    /// and length bound; a bound (`maxLength`, counted on the escaped text, so never
    /// too long) only where the text is longer.
    fn substring_terminal(&mut self, stem: &str, escaped: &str, max: Option<u64>) -> String {
        let mut source = format!("%regex {{\"substring_words\": {}}}", Value::String(escaped.to_string()));
        if let Some(max) = max.filter(|m| escaped.chars().count() as u64 > *m) {
            source.push_str(&format!(" & /.{{0,{max}}}/"));
        }
        if let Some(t) = self.terminals.iter().find(|t| t.split_once(": ").is_some_and(|(_, body)| body == source)) {
            return t[..t.find(':').unwrap_or(0)].to_string();
        }
        let name = format!("{stem}_{}", self.terminals.len());
        self.terminals.push(format!("{name}: {source}"));
        name
    }

    /// The numbers a key can take, best evidence first: written with the key's unit
    /// after its label, with its unit, after its label, anywhere. A key with a unit
    /// never takes a number written with another unit.
    fn number_candidates(&self, integer: bool, hints: &Hints) -> Vec<String> {
        let fits = |n: &String| !integer || !n.contains('.');
        let mut all: Vec<String> = self.text.numbers.iter().filter(|n| fits(n)).cloned().collect();
        let mut anchored: Vec<String> =
            hints.segments.iter().filter_map(|a| numbers_of(a).into_iter().find(|n| fits(n))).collect();
        if !self.options.anchor {
            return if anchored.is_empty() { all } else { anchored };
        }
        let with_unit: Vec<String> = all.iter().filter(|n| self.text.written_with(n, hints.units)).cloned().collect();
        if with_unit.is_empty() && !hints.units.is_empty() {
            let foreign = |n: &String| self.text.written_with(n, ALL_UNITS);
            all.retain(|n| !foreign(n));
            anchored.retain(|n| !foreign(n));
        }
        let both: Vec<String> = anchored.iter().filter(|n| with_unit.contains(n)).cloned().collect();
        [both, with_unit, anchored, all].into_iter().find(|n| !n.is_empty()).unwrap_or_default()
    }

    fn number(&mut self, integer: bool, hints: &Hints) -> String {
        let numbers = self.number_candidates(integer, hints);
        let mut choices: Vec<String> = numbers.iter().map(|n| lit(n)).collect();
        choices.dedup();
        if choices.is_empty() {
            // Bounded: a model that keeps writing digits cannot run to the token limit.
            return if integer { emit::INTEGER.into() } else { emit::NUMBER.into() };
        }
        self.rule("number", alternatives(choices.into_iter()))
    }
}

/// Where the text writes one key's value.
#[derive(Default)]
struct Hints {
    /// The text after the key's mentions.
    segments: Vec<String>,
    /// The items of a list under the key's label.
    items: Vec<String>,
    /// Units a number for the key is written with (`%` for `humidity_pct`).
    units: &'static [&'static str],
    /// Whether the text negates the key's own word (`not charging`).
    negated: bool,
    /// The blocks under the key's bare label: a nested object's lines, or a list's
    /// items (see [`Text::blocks_under`]).
    blocks: Vec<String>,
    /// The values of the key's shape the text writes (see [`shape`]).
    shaped: Vec<String>,
    /// The values of its sibling keys' shapes: what a string of its own is not.
    sibling_shaped: Vec<String>,
    /// The values labelled by its sibling keys' own words (`service=notifier`).
    sibling_labelled: Vec<String>,
    /// Whether a sibling key is a number: a string then holds no bare number, which
    /// is the sibling's (`Relay board x 16`: the 16 is a quantity).
    numeric_sibling: bool,
}

/// Units that mark a number as a measure of something (see [`units_of`]).
const ALL_UNITS: &[&str] = &[
    "%", "°c", "°f", "°", "c", "f", "v", "mv", "a", "w", "kw", "kwh", "km/h", "kmh", "kph", "mph", "ms", "s", "sec",
    "min", "h", "hrs", "hours", "hpa", "mm", "cm", "m", "km", "kg", "g", "l", "db", "bpm", "rpm", "ppm", "mb", "gb",
];

/// The units a key's last part names (`_pct`, `_c`, `_kmh`): how a number for it is
/// written in text.
fn units_of(key: &str) -> &'static [&'static str] {
    // The key's last part (`_pct`), or a whole key that is a unit word (`hours`).
    let (last, whole) = match key.rsplit_once(['_', '-']) {
        Some((_, last)) => (last, false),
        None => (key, true),
    };
    let last = last.to_lowercase();
    if whole && last.len() < 3 {
        return &[];
    }
    match last.as_str() {
        "pct" | "percent" => &["%"],
        "c" | "celsius" => &["°c", "c", "°"],
        "f" | "fahrenheit" => &["°f", "f", "°"],
        "v" | "volts" => &["v"],
        "mv" => &["mv"],
        "a" | "amps" => &["a"],
        "w" | "watts" => &["w"],
        "kw" => &["kw"],
        "kwh" => &["kwh"],
        "kmh" | "kph" => &["km/h", "kmh", "kph"],
        "mph" => &["mph"],
        "ms" => &["ms"],
        "s" | "sec" | "secs" | "seconds" => &["s", "sec", "secs", "seconds"],
        "min" | "mins" | "minutes" => &["min", "mins", "minutes"],
        "h" | "hrs" | "hours" => &["h", "hrs", "hours"],
        "hpa" => &["hpa"],
        "mm" => &["mm"],
        "cm" => &["cm"],
        "m" => &["m"],
        "km" => &["km"],
        "kg" => &["kg"],
        "g" => &["g"],
        "l" => &["l"],
        "db" => &["db"],
        "bpm" => &["bpm"],
        "rpm" => &["rpm"],
        "ppm" => &["ppm"],
        "mb" => &["mb"],
        "gb" => &["gb"],
        _ => &[],
    }
}

/// A string (not an enum or const) or a number.
fn is_plain_scalar(schema: &Value) -> bool {
    schema.get("enum").is_none()
        && schema.get("const").is_none()
        && matches!(schema.get("type").and_then(Value::as_str), Some("string" | "number" | "integer"))
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
    fn the_token_cap_is_the_longest_output_of_a_line_per_value() {
        let schema = json!({"type": "object", "properties": {
            "site": {"type": "string"}, "ok": {"type": "boolean"}, "level": {"enum": ["low", "high"]},
            "temps": {"type": "array", "items": {"type": "number"}, "maxItems": 3}}});
        let input = "Site: north yard\nTemps 3.5, 4";
        // Keys with their `: ` (8, 6, 9, 9), the longest line (16 bytes) quoted, a flag
        // (5), the longest choice (`"high"`, 6), three numbers of a line each (or of
        // the 30 bytes of a number the text does not write) with their `, ` and
        // brackets (98), braces and separators (10), and 16 over.
        assert_eq!(ON.capped_grammar(&schema, input).1, Some(8 + 18 + 6 + 5 + 9 + 6 + 9 + 98 + 10 + 16));
        // A map bounds nothing here: the cap is the default.
        let map = json!({"type": "object", "properties": {"tags": {"type": "object"}}});
        assert_eq!(ON.capped_grammar(&map, input).1, None);
    }

    #[test]
    fn numbers_words_lines_and_labels_are_read_from_the_text() {
        let t = Text::read("Temp: -9.4 C\nHumidity: 40%\nip 10.2.218.142, id ORD-44203 \"quoted\"");
        assert_eq!(t.numbers, ["-9.4", "40"], "no number starts inside a word, another number or an address");
        assert_eq!(numbers_of("on 2026-04-01 at 10:32, v 3.0.7, 2874 h, 3.5-5.1"), ["2874", "3.5"]);
        assert!(
            t.raw_words().contains(&"ORD-44203".to_string()) && t.raw_words().contains(&"10.2.218.142".to_string())
        );
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
            t.after_mentions(&key_words("humidity"), &[], false),
            ["at 60% and at 10:32."],
            "offsets past multi-byte characters"
        );
    }

    #[test]
    fn key_words_drop_units_and_short_parts() {
        assert_eq!(key_words("humidity_pct"), ["humidity"]);
        assert_eq!(key_words("cardLast4"), ["card", "last4"]);
        assert_eq!(key_words("to"), ["to"], "a two-letter key is its own label");
        assert_eq!(key_words("sensor_id"), ["sensor"]);
        let t = Text::read("Cc: a@x.example\nTo: b@y.example, c@z.example\nplease reply to me");
        assert!(t.mentions(&key_words("to")) && !Text::read("reply to me").mentions(&key_words("to")));
        assert_eq!(t.list_after(&key_words("to"), &key_words("cc")), ["b@y.example", "c@z.example"]);
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
            "tasks": {"type": "array", "maxItems": 8,
                "items": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}}});
        let g = compile(&schema, "Tasks: cleaned sensor", ON).unwrap();
        assert!(g.contains("\"[\" object_") && !g.contains("{0,"), "one item written: one item at most: {g}");
        assert!(!g.contains("\"[\" (object_"), "mentioned: at least one item: {g}");
        let g =
            compile(&schema, "Tasks: a, b, c", Extractive { evidence: true, loop_guard: false, anchor: true }).unwrap();
        assert!(g.contains("{0,7}"), "{g}");
    }

    #[test]
    fn anchored_values_come_from_after_their_label() {
        let t = Text::read("Temp: 8.5 C\nHumidity: 40%\nnode=pump-house t=3");
        assert_eq!(t.after_mentions(&key_words("humidity_pct"), &[], true), ["40%"]);
        assert_eq!(t.after_mentions(&key_words("temperature_c"), &[], true), ["8.5 C"]);
        assert!(t.after_mentions(&key_words("sensor_id"), &[], false).is_empty());
        assert_eq!(t.after_mentions(&["node".to_string()], &[], true), ["pump-house"], "a pair's value is one word");
        let t = Text::read("alerts=\"door open,low tyre\" x=1");
        assert_eq!(t.list_after(&key_words("alerts"), &[]), ["door open", "low tyre"]);
        // A value ends where another key's label begins.
        let t = Text::read("Message: Worker pool resized to 8 threads, level DEBUG and in mqtt-bridge.");
        assert_eq!(
            t.after_mentions(&key_words("message"), &key_words("level"), true),
            ["Worker pool resized to 8 threads,"]
        );
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
        assert_eq!(word_prefixes("pump-house, zone 2.", Ends::Lines), ["pump-house", "pump-house, zone 2"]);
        assert_eq!(word_prefixes("\"2874 h\" host=x", Ends::Lines), ["2874 h"]);
        let line = "Alerts arrive twice on the phone";
        assert_eq!(word_prefixes(line, Ends::Lines), [line]);
        assert_eq!(word_prefixes("greenhouse-3 reports", Ends::Words), ["greenhouse-3", "greenhouse-3 reports"]);
        let spans = clause_spans(&["Titled \"MQTT outage\". From x.".to_string()]).unwrap();
        assert!(spans.contains(&"MQTT outage".to_string()) && !spans.iter().any(|s| s.ends_with('"')), "{spans:?}");
        assert_eq!(
            word_prefixes("Firmware update and verified and", Ends::Clauses),
            ["Firmware update", "Firmware update and verified"],
            "a value ends where a clause can, never in a joining word"
        );
        let schema = json!({"type": "object", "properties": {"device": {"type": "string"}}, "required": ["device"]});
        let g = compile(&schema, "Device: pump-ctrl-02\nState: degraded", ON).unwrap();
        assert!(g.contains("(\"pump-ctrl-02\")"), "{g}");
    }

    #[test]
    fn lists_under_a_label_are_copied_whole() {
        let t = Text::read("Work order\nTasks:\n  - cleaned sensor\n  - greased bearings\nMachine: pump P-101");
        assert_eq!(t.list_after(&key_words("tasks"), &key_words("asset")), ["cleaned sensor", "greased bearings"]);
        let t = Text::read("To: a@x.example, b@y.example\nports: 502, 443 and 80");
        assert_eq!(t.list_after(&["ports".to_string()], &[]), ["502", "443", "80"]);
        let schema = json!({"type": "object", "properties": {
            "tasks": {"type": "array", "items": {"type": "string"}, "maxItems": 8},
            "ports": {"type": "array", "items": {"type": "integer"}}}, "required": ["tasks"]});
        let g = compile(&schema, "Tasks: a, b\nports: 502 (tcp), 443", ON).unwrap();
        assert!(g.contains("\"[\" \"\\\"a\\\"\" \", \" \"\\\"b\\\"\" \"]\""), "{g}");
        assert!(g.contains("\"[\" \"502\" \", \" \"443\" \"]\"") && !g.contains("string_"), "{g}");
    }

    #[test]
    fn numbers_prefer_the_unit_their_key_names() {
        assert_eq!(units_of("charge_pct"), ["%"]);
        assert!(units_of("charge").is_empty());
        let schema = json!({"type": "object", "properties": {
            "charge_pct": {"type": "number"}, "voltage_v": {"type": "number"}},
            "required": ["charge_pct", "voltage_v"]});
        let g = compile(&schema, "Not charging and 3.89 V. Node 7 at 15%.", ON).unwrap();
        assert!(g.contains("(\"15\")") && g.contains("(\"3.89\")"), "{g}");
    }

    #[test]
    fn labels_that_name_no_key_hold_the_values_the_text_calls_otherwise() {
        assert_eq!(
            labels_of("Door event\nState of charge: 67%\nRH:50% | at:06:45 UTC\nsystemd: ok up=\"2874 h\" host=x"),
            [
                ("state of charge".to_string(), "67%".to_string()),
                ("rh".into(), "50%".into()),
                ("at".into(), "06:45".into()),
                ("systemd".into(), "ok up=\"2874 h\" host=x".into()),
            ]
        );
        let schema = json!({"type": "object", "properties": {
            "door": {"type": "string"}, "badge": {"type": "string"}, "time": {"type": "string"}},
            "required": ["door"]});
        // `Door event` is a title, not a label: the door is one of the spare labels' values.
        let g = compile(&schema, "Door event\nBadge: C-7\nEntrance: roof hatch", ON).unwrap();
        assert!(g.contains("(\"roof hatch\")") && !g.contains("\"event\""), "{g}");
        assert!(!g.contains("\"\\\"time"), "one spare label, one unnamed required key: no room for time: {g}");
        let g = compile(&schema, "Door event\nBadge: C-7\nEntrance: roof hatch\nAt: 12:00", ON).unwrap();
        assert!(g.contains("\"\\\"time"), "a second spare label: time may take it: {g}");
    }

    #[test]
    fn values_do_not_end_in_joining_words_and_negations_are_read() {
        assert_eq!(without_joiners("and by Lena Fischer and"), "Lena Fischer");
        assert_eq!(
            split_items("flushed coolant, greased bearings and calibrated probe and"),
            ["flushed coolant", "greased bearings", "calibrated probe"]
        );
        let schema =
            json!({"type": "object", "properties": {"charging": {"type": "boolean"}}, "required": ["charging"]});
        assert!(compile(&schema, "Battery 52%, not charging", ON).unwrap().contains("\"charging\\\": \" \"false\""));
        assert!(compile(&schema, "Battery 52%, charging", ON).unwrap().contains("(\"true\" | \"false\")"));
    }

    #[test]
    fn nested_blocks_and_list_items_take_values_from_their_own_lines() {
        let text =
            "Devices:\n  - Device: hvac-4\n    Online: n\n  - Device: cam-2; FW: 2.2\nGateway:\n  Host: gw-1\nSite: x";
        let t = Text::read(text);
        assert_eq!(t.blocks_under(&key_words("devices")), ["Device: hvac-4\nOnline: n", "Device: cam-2; FW: 2.2"]);
        assert_eq!(t.blocks_under(&key_words("gateway")), ["Host: gw-1"]);
        let device = json!({"type": "object", "properties": {"id": {"type": "string"}, "firmware": {"type": "string"}}, "required": ["id"]});
        let schema = json!({"type": "object", "properties": {
            "devices": {"type": "array", "items": device},
            "gateway": {"type": "object", "properties": {"hostname": {"type": "string"}}, "required": ["hostname"]}},
            "required": ["devices", "gateway"]});
        let g = compile(&schema, text, ON).unwrap();
        assert!(g.contains("\"hvac-4\"") && g.contains("(\"gw-1\")"), "{g}");
        assert!(!g.contains("{0,"), "one object per item, in order: {g}");
        assert_eq!(
            labels_of("At: 10:05; What: paged"),
            [("at".into(), "10:05".into()), ("what".into(), "paged".into())]
        );
        assert_eq!(t.top_level(), "Devices:\nGateway:\nSite: x", "the blocks under labels are left out");
        assert!(g.contains("\"[\" object_"), "{g}");
    }

    #[test]
    fn shaped_keys_take_values_of_their_shape_that_no_other_label_claims() {
        let schema = json!({"type": "object", "properties": {
            "sensor_id": {"type": "string"}, "temperature_c": {"type": "number"},
            "time": {"type": "string", "description": "time as written"},
            "date": {"type": "string"}, "next_due": {"type": "string"}},
            "required": ["temperature_c"]});
        let g = compile(&schema, "T=-9.4 °C", ON).unwrap();
        assert!(!g.contains("\"\\\"time") && !g.contains("\"\\\"date"), "no time or date written: {g}");
        let g = compile(&schema, "Temp 8.5 C at 10:32. Next service due 2026-07-22, on Sep 3 2026.", ON).unwrap();
        assert!(g.contains("(\"10:32\")"), "{g}");
        assert!(g.contains("(\"2026-07-22\")"), "the due date after its label: {g}");
        assert!(g.contains("(\"Sep 3 2026\")"), "the date no other label claims: {g}");
        for key in ["time", "date", "next_due"] {
            let member = format!("\"\\\"{key}\\\": \"");
            let line = g.lines().find(|l| l.starts_with("first_") && l.contains(&member)).unwrap_or_default();
            assert!(!line.is_empty() && !line.contains('|'), "{key} is written, so it is required: {g}");
        }
    }

    #[test]
    fn unlabelled_strings_are_clauses_or_words_without_labels_or_measures() {
        let schema = json!({"type": "object", "properties": {
            "station": {"type": "string"}, "temperature_c": {"type": "number"}}, "required": ["station", "temperature_c"]});
        let g = compile(&schema, "Brno T 20.1°C W 15.6 km/h", ON).unwrap();
        assert!(g.contains("\"Brno\"") && !g.contains("20.1°C") && !g.contains("\"15.6\""), "{g}");
        let spans = clause_spans(&["Saying disk full and critical alert. From watchdog.".to_string()]).unwrap();
        assert!(spans.contains(&"disk full".to_string()) && spans.contains(&"watchdog".to_string()), "{spans:?}");
        assert!(!spans.iter().any(|s| s.contains("alert. From")), "within one sentence: {spans:?}");
        let schema = json!({"type": "object", "properties": {
            "service": {"type": "string"}, "message": {"type": "string"}}, "required": ["message"]});
        let g = compile(&schema, "[ERROR] service=notifier Worker pool resized", ON).unwrap();
        assert!(g.contains("(\"notifier\")") && !g.contains("service=notifier Worker"), "{g}");
    }

    #[test]
    fn inline_lists_of_objects_give_one_object_per_item() {
        let schema = json!({"type": "object", "properties": {"items": {"type": "array", "items": {
            "type": "object", "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer"}},
            "required": ["sku", "quantity"]}}}, "required": ["items"]});
        let g = compile(&schema, "Placed by Orbit BV and items RLY-4CH x 26; AB-220 x 15.", ON).unwrap();
        assert!(g.contains("(\"26\")") && g.contains("(\"15\")") && !g.contains("{0,"), "{g}");
    }

    #[test]
    fn unnamed_flags_and_unwritten_choices_are_left_out() {
        let schema = json!({"type": "object", "properties": {
            "device": {"type": "string"}, "charging": {"type": "boolean"},
            "flag": {"enum": ["low", "normal", "high"]}}, "required": ["device"]});
        let g = compile(&schema, "gw-edge-01 reports and battery at 4%.", ON).unwrap();
        assert!(!g.contains("charging") && !g.contains("flag"), "{g}");
        let g = compile(&schema, "gw-edge-01 is charging, level high.", ON).unwrap();
        assert!(g.contains("charging") && g.contains("flag"), "{g}");
        // Named, but only as labels: `flag` is a guess; `charge` does not name `charging`.
        let g = compile(&schema, "flag: set\nLow: 3\ndevice: gw-1\ncharge: 40%", ON).unwrap();
        assert!(!g.contains("\"flag\"") && !g.contains("charging"), "{g}");
    }

    #[test]
    fn strings_take_no_label_unit_or_sibling_value() {
        let schema = json!({"type": "object", "properties": {
            "sensor_id": {"type": "string"}, "temperature_c": {"type": "number"}}, "required": ["temperature_c"]});
        let g = compile(&schema, "T=-9.4 °C", ON).unwrap();
        assert!(!g.contains("sensor_id"), "only a label and a unit: no sensor: {g}");
        let items = json!({"type": "object", "properties": {"lines": {"type": "array", "items": {
            "type": "object", "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer"}},
            "required": ["sku", "quantity"]}}}, "required": ["lines"]});
        let g = compile(&items, "lines: CBL-5M x 15; RLY-4CH x 21. In EUR.", ON).unwrap();
        assert!(g.contains("\"CBL-5M\"") && !g.contains("CBL-5M x 15") && !g.contains("EUR"), "{g}");
        let events = json!({"type": "object", "properties": {"timeline": {"type": "array", "items": {
            "type": "object", "properties": {"time": {"type": "string", "format": "time"}, "event": {"type": "string"}},
            "required": ["time", "event"]}}}, "required": ["timeline"]});
        let g = compile(&events, "Timeline: at 10:05 failover completed; at 09:20 cache flushed", ON).unwrap();
        assert!(g.contains("\"failover completed\"") && !g.contains("\"10:05 failover"), "{g}");
    }

    #[test]
    fn labels_go_to_the_key_they_name_best_and_label_words_are_no_values() {
        let schema = json!({"type": "object", "properties": {
            "date": {"type": "string"}, "due_date": {"type": "string"}, "total": {"type": "integer"}},
            "required": ["total"]});
        let g = compile(&schema, "INVOICE\ndue date: 2026-04-01\ntotal: 12", ON).unwrap();
        assert!(g.contains("due_date") && !g.contains("\\\"date"), "{g}");
        let t = Text::read("New log: Work done: replaced filter and T=4");
        assert!(t.only_label("Work") && t.only_label("T") && !t.only_label("replaced filter"));
    }

    #[test]
    fn short_strings_keep_numbers_and_drop_joining_words() {
        let schema = json!({"type": "object", "properties": {
            "pin_hint": {"type": "string", "maxLength": 4}, "weight": {"type": "number"}}, "required": ["weight"]});
        let g = compile(&schema, "locker code 5027, parcel 3.2 kg by the gate at noon.", ON).unwrap();
        assert!(g.contains("\"5027\"") && !g.contains("\"by\"") && !g.contains("\"at\""), "{g}");
    }

    #[test]
    fn key_words_match_by_stem() {
        assert!(hits("diagnosed", &key_words("diagnosis")) && hits("located", &key_words("location")));
        assert!(hits("reported", &key_words("reporter")) && !hits("charged", &key_words("voltage")));
        assert_eq!(stem("date"), None);
    }

    #[test]
    fn odd_texts_compile_for_every_shipped_schema() {
        let texts = [
            "",
            "\"",
            "°C: €5; ü=\"ä\" | 10:32° — 2026-01-01T€",
            "a:b:c=d=\"e\" f: \"g; h: 1.2.3.4.5 00:11:22:33:44:55:66 x@y.z@w",
            "Title\n  - k: v\n    - \n  -\n:\n=\n- : -",
            "ünïcödé - Ärger. Ö: ß, and at by. 12 Mär 2026; 3 May 2026, 1.5 km/h°",
        ];
        let mut n = 0;
        for dir in ["simple", "medium", "complex"] {
            let Ok(entries) = std::fs::read_dir(format!("{}/schemas/{dir}", env!("CARGO_MANIFEST_DIR"))) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
                let Ok(schema) = serde_json::from_str::<Value>(&text) else { continue };
                for input in texts {
                    let _ = compile(&schema, input, ON);
                    n += 1;
                }
            }
        }
        assert!(n >= 6 * 20, "the shipped schemas were read: {n}");
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
