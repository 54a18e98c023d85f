//! The plan for prose (requests, descriptions): no labels to lay the schema over, so
//! the text gives evidence instead. A required key is always written; an optional
//! one only where the text names it (a word of its key, or one of its enum values).
//! Numbers are the numbers the text writes, strings are spans of the text, a choice
//! is among the values the text writes (else all), and the model picks among what
//! the evidence leaves (a value written right at a key's words is that key's).

use crate::align::{stem, words};
use crate::emit::CODE;
use crate::plan::{main_type, resolve, Field, Part, Plan, Presence};
use crate::shape;
use crate::value::{self, Candidate};
use serde_json::Value;

/// The prose plan of `text` under `schema`.
pub fn plan(schema: &Value, text: &str) -> Plan {
    let toks = tokens(text);
    let root = object(schema, schema, text, &toks, 0);
    Plan { root, aligned_labels: 0, spare_labels: 0, named_in_prose: 0, placed: 0 }
}

/// Most levels of nested objects the prose plan reads; deeper ones (a schema that
/// refers to itself) are left to the model.
const MAX_DEPTH: usize = 4;

/// The plan of one object of the schema (`root` resolves its references).
fn object(root: &Value, schema: &Value, text: &str, toks: &[Token], depth: usize) -> Part {
    let stems: Vec<String> = words(text).iter().map(|w| stem(w)).collect();
    let mut numbers: Vec<&Token> = Vec::new();
    for t in toks.iter().filter(|t| matches!(t, Token::Number(_) | Token::Percent(_))) {
        if !numbers.contains(&t) {
            numbers.push(t);
        }
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map_or(Vec::new(), |r| r.iter().filter_map(Value::as_str).collect());
    let mut fields = Vec::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (key, prop) in props {
            let prop = resolve(root, prop);
            let is_required = required.contains(&key.as_str());
            let items = prop.get("items").map(|i| resolve(root, i));
            let choices = prop.get("enum").or_else(|| items.and_then(|i| i.get("enum"))).and_then(Value::as_array);
            // (a flag by any word of its root: `detailed` names `detail`, `details` `detailed`)
            let named = words(key).iter().filter(|w| w.len() >= 3).any(|w| stems.contains(&stem(w)))
                || (main_type(prop) == Some("boolean")
                    && words(key)
                        .iter()
                        .filter(|w| w.len() >= 3)
                        .any(|k| toks.iter().any(|t| matches!(t, Token::Word(w) if names(k, w)))));
            let written = choices.is_some_and(|c| !written_in_order(c, text).is_empty());
            // An optional key whose description lists values (`'IMAX', '2D'`, `e.g.
            // vegan, gluten-free`) is present where the text writes one of them.
            let examples = if is_required { Vec::new() } else { examples_written(prop, items, text) };
            let present = is_required
                || named
                || written
                || !examples.is_empty()
                || !unit_values(prop, toks).is_empty()
                || shape_written(key, prop, text, toks);
            // (a count the text writes in other words: `compounded monthly`)
            let converted = times_a_year(key, prop, toks).map(Value::from);
            let part = if !examples.is_empty() {
                Some(Part::Scalar { candidates: examples, schema: prop.clone() })
            } else if let Some(value) = converted {
                Some(Part::Scalar { candidates: vec![Candidate { value, score: 1.0 }], schema: prop.clone() })
            } else if present {
                value_part(key, prop, text, &numbers, toks, (root, depth))
            } else {
                None
            };
            // A value the text has nothing for (a date where it writes none) is left
            // out rather than invented, even when the schema requires it.
            let (presence, part) = match part {
                Some(part) => (Presence::Present, part),
                None => (Presence::Absent, Part::Open { schema: prop.clone() }),
            };
            fields.push(Field { key: key.clone(), presence, line: None, part });
        }
    }
    anchor(&mut fields, toks);
    units_written(&mut fields, text, toks);
    anchor_names(&mut fields, text);
    name_the_subject(&mut fields, text);
    choices_inside_names(&mut fields, text, &required);
    anchor_choices(&mut fields, text, &required);
    number_choices(&mut fields, text);
    loose_choices(&mut fields, text);
    currencies(&mut fields, text);
    // An optional number the text names but writes no value next to (`light`, `rooms`)
    // is left out: any number it picked would be another key's, or invented.
    for f in fields.iter_mut().filter(|f| f.presence == Presence::Present && !required.contains(&f.key.as_str())) {
        let unanchored = match &f.part {
            // (a choice among numbers is settled by the choices the text writes)
            Part::Scalar { candidates, schema } => {
                matches!(main_type(schema), Some("number" | "integer"))
                    && schema.get("enum").is_none()
                    && candidates.iter().all(|c| c.score < 1.0)
            }
            Part::Open { schema } => matches!(main_type(schema), Some("number" | "integer")),
            _ => false,
        };
        if unanchored {
            f.presence = Presence::Absent;
        }
    }
    Part::Object { fields, extra: Vec::new() }
}

/// The part of a key the text gives evidence for; `None` when its value has a shape
/// (a date, an e-mail address) that the text never writes.
fn value_part(
    key: &str,
    prop: &Value,
    text: &str,
    numbers: &[&Token],
    toks: &[Token],
    (root, depth): (&Value, usize),
) -> Option<Part> {
    if let Some(choices) = prop.get("enum").and_then(Value::as_array).filter(|c| !c.is_empty()) {
        if let Some(flag) = as_flag(key, choices, toks) {
            return Some(Part::Scalar { candidates: vec![flag], schema: prop.clone() });
        }
        let written = value::written_choices(choices, text);
        return Some(Part::Scalar { candidates: written, schema: prop.clone() });
    }
    let shaped = |fits: &dyn Fn(&str) -> bool| -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::new();
        for t in pieces(text).filter(|t| fits(t)) {
            if !out.iter().any(|c| c.value == t) {
                out.push(Candidate { value: Value::String(t.to_string()), score: 0.8 });
            }
        }
        out
    };
    let string = |candidates: Vec<Candidate>| Part::Scalar { candidates, schema: prop.clone() };
    // A date key takes the dates the text writes, in the layout its description asks.
    let format = prop.get("format").and_then(Value::as_str);
    let date_key = format == Some("date")
        || (words(key).last().is_some_and(|w| w == "date") && format.is_none() && prop.get("pattern").is_none());
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
    // (unless the key wants it `as written`: then it is a span like any string)
    if main_type(prop) == Some("string")
        && date_key
        && prop.get("enum").is_none()
        && !description.contains("as written")
    {
        let mut found: Vec<Candidate> = Vec::new();
        for d in crate::date::written(text).into_iter().filter_map(|d| crate::date::layout(d, description)) {
            if !found.iter().any(|c| c.value == d) {
                found.push(Candidate { value: Value::String(d), score: 0.8 });
            }
        }
        if !found.is_empty() {
            return Some(string(found));
        }
    }
    if main_type(prop) == Some("string") {
        if let Some(fits) = shape::of_format(prop) {
            let found = shaped(&fits);
            return (!found.is_empty()).then(|| string(found));
        }
        // A key named for a time or an e-mail address takes one the text writes, if any.
        if let Some(fits) = shape::of_name(key) {
            let found = shaped(&fits);
            if !found.is_empty() {
                return Some(string(found));
            }
        }
        // An identifier (`sensor_id`, `building_id`) is a token with a digit or joined
        // parts (`greenhouse-7`, `B1004`), where the text writes one.
        if words(key).last().is_some_and(|w| w == "id") {
            let found = shaped(&|t: &str| identifiers(t).next().is_some());
            if !found.is_empty() {
                return Some(string(found));
            }
        }
    }
    Some(match main_type(prop) {
        // A flag the text names is on, unless a negation comes right before its words
        // within their phrase (`n't` is not read: it moved only BFCL `tune`).
        Some("boolean") => {
            let spots = mentions(key, toks);
            let candidates = if spots.is_empty() {
                [false, true].map(|b| Candidate { value: Value::Bool(b), score: 0.5 }).to_vec()
            } else {
                vec![Candidate { value: Value::Bool(!negated(&spots, toks)), score: 0.8 }]
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
            // Else a list of the numbers the text writes, at most as many as it writes.
            let item = prop.get("items").cloned().unwrap_or(Value::Null);
            let mut singles: Vec<Candidate> = Vec::new();
            for n in toks.iter().filter_map(|t| number(t, key, &item)) {
                if !singles.iter().any(|c| value::same(&c.value, &n)) {
                    singles.push(Candidate { value: n, score: 0.5 });
                }
            }
            let bound = prop.get("maxItems").and_then(Value::as_u64).unwrap_or(MAX_LIST);
            let max = u64::try_from(singles.len()).unwrap_or(u64::MAX).min(bound).min(MAX_LIST);
            if lists.is_empty() && !singles.is_empty() && max >= 1 && one_item_will_do(prop) {
                Part::List { candidates: singles, max }
            } else if lists.is_empty() {
                Part::Open { schema: listed(prop, toks) }
            } else {
                Part::Scalar { candidates: lists, schema: prop.clone() }
            }
        }
        Some("integer" | "number") => {
            let mut fits: Vec<Candidate> = Vec::new();
            for n in numbers.iter().filter_map(|t| number(t, key, prop)) {
                if !fits.iter().any(|c| value::same(&c.value, &n)) {
                    fits.push(Candidate { value: n, score: 0.5 });
                }
            }
            if fits.is_empty() {
                Part::Open { schema: prop.clone() }
            } else {
                Part::Scalar { candidates: fits, schema: prop.clone() }
            }
        }
        Some("string") if plain_string(prop) => Part::Span { schema: coded(prop) },
        // A list of names the text writes (`Microsoft and Google`): spans of the text.
        Some("array") if prop.get("items").is_some_and(plain_string) && one_item_will_do(prop) => {
            Part::Span { schema: listed(prop, toks) }
        }
        // A list of choices is the choices the text writes, in its order.
        Some("array") => match written_items(root, prop, text).filter(|_| one_item_will_do(prop)) {
            Some(items) => Part::Scalar {
                candidates: vec![Candidate { value: Value::Array(items), score: 0.7 }],
                schema: prop.clone(),
            },
            None => Part::Open { schema: listed(prop, toks) },
        },
        // A nested object is planned from the same evidence, key by key.
        Some("object") if depth < MAX_DEPTH && keyed(prop) => object(root, prop, text, toks, depth + 1),
        _ => Part::Open { schema: prop.clone() },
    })
}

/// `yes` and `no` as a key's choices, read as a flag where the text writes the
/// key's words in a row with no `yes`, `no`, `true` or `false` right after them: on,
/// or off after a negation within the phrase (`family-friendly`, `not family
/// friendly`; `wifi: no` is the choice as written); and off where a negation comes
/// before its last word joined to a word of the text's own in place of the others
/// (`isn't kid friendly`, `not child-friendly` for `familyFriendly`). `None` where
/// they are other choices or the text says less: the model picks.
fn as_flag(key: &str, choices: &[Value], toks: &[Token]) -> Option<Candidate> {
    let said = |w: &str| matches!(w.to_lowercase().as_str(), "yes" | "no" | "true" | "false");
    let flag =
        |b: bool| choices.iter().find(|c| c.as_str().is_some_and(|c| said(c) && value::boolean(c) == Some(b))).cloned();
    let (2, Some(on), Some(off)) = (choices.len(), flag(true), flag(false)) else { return None };
    let (at, len, whole) = flag_words(key, toks)?;
    let after = &toks[at + len..(at + len + 3).min(toks.len())];
    if after.iter().any(|t| matches!(t, Token::Word(w) if said(w))) {
        return None;
    }
    let off_now = negated(&[at], toks) || contracted_before(at, toks);
    // (the last word after a modifier turns the flag off only: `not kid friendly`;
    // `dog friendly` may be another flag, the model reads it)
    if !whole && !off_now {
        return None;
    }
    Some(Candidate { value: if off_now { off } else { on }, score: 0.8 })
}

/// Where the text writes a flag's key (start, tokens): all its words in a row, else
/// its last word right after a modifier of the text's own, a word of three letters
/// or more that is no [`FUNCTION_WORDS`] nor [`CLOSED_WORDS`] and no `-ly` adverb
/// (`kid friendly`; not `very friendly`, `are friendly`).
fn flag_words(key: &str, toks: &[Token]) -> Option<(usize, usize, bool)> {
    let kw = words(key);
    let is_key = |k: &String, t: &Token| matches!(t, Token::Word(w) if is_key_word(k, w));
    let full = (0..=toks.len().saturating_sub(kw.len()))
        .find(|&i| !kw.is_empty() && kw.len() <= toks.len() && kw.iter().zip(&toks[i..]).all(|(k, t)| is_key(k, t)));
    if let Some(at) = full {
        return Some((at, kw.len(), true));
    }
    let [.., head] = kw.as_slice() else { return None };
    if kw.len() < 2 || head.len() < 3 {
        return None;
    }
    let modifier = |t: &Token| match t {
        Token::Word(m) => {
            m.len() >= 3
                && !m.ends_with("ly")
                && !FUNCTION_WORDS.contains(&m.as_str())
                && !CLOSED_WORDS.contains(&m.as_str())
                && !is_negation_word(m)
                && !kw.iter().any(|k| is_key_word(k, m))
        }
        _ => false,
    };
    (1..toks.len()).find(|&i| is_key(head, &toks[i]) && modifier(&toks[i - 1])).map(|i| (i - 1, 2, false))
}

/// Closed-class words that cannot stand for a key's own word before its last one:
/// forms of `be` and `have`, and words of degree.
const CLOSED_WORDS: [&str; 16] = [
    "are", "was", "were", "been", "being", "has", "had", "have", "very", "quite", "really", "pretty", "too", "most",
    "more", "less",
];

/// The choices of a list's items that the text writes, in its order, as many as the
/// list takes; `None` when its items are no choice or the text writes none.
fn written_items(root: &Value, prop: &Value, text: &str) -> Option<Vec<Value>> {
    let choices = prop.get("items").map(|i| resolve(root, i)).and_then(|i| i.get("enum")).and_then(Value::as_array)?;
    let mut found = written_in_order(choices, text);
    found.truncate(max_items(prop));
    (!found.is_empty()).then_some(found)
}

/// The choices the text writes (as [`value::choose`] finds them, every one of them
/// if it writes all), in the order it writes them; empty when it writes none.
fn written_in_order(choices: &[Value], text: &str) -> Vec<Value> {
    let text_words = words(text);
    let mut found: Vec<(usize, Value)> = value::choose(choices, text)
        .into_iter()
        .filter(|c| c.score >= 0.7)
        .filter_map(|c| {
            let at = match &c.value {
                Value::String(s) => crate::align::written_at(s, text, &text_words)?,
                _ => usize::MAX,
            };
            Some((at, c.value))
        })
        .collect();
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, v)| v).collect()
}

/// The values an optional string key's description lists that the text writes: quoted
/// (`'IMAX', '2D'`) or after `e.g.` / `such as` / `like`, leaving out its default.
/// For a list of strings, one candidate: the list of them.
fn examples_written(prop: &Value, items: Option<&Value>, text: &str) -> Vec<Candidate> {
    let plain_list = main_type(prop) == Some("array") && items.is_some_and(plain_string);
    if !plain_string(prop) && !plain_list {
        return Vec::new();
    }
    let Some(description) = prop.get("description").and_then(Value::as_str) else { return Vec::new() };
    let text_words = words(text);
    // (in the order the text writes them)
    let mut found: Vec<(usize, String)> = examples(description, prop.get("default"))
        .into_iter()
        .filter_map(|e| Some((crate::align::written_at(&e, text, &text_words)?, e)))
        .collect();
    found.sort_by_key(|(at, _)| *at);
    let found: Vec<String> = found.into_iter().map(|(_, e)| e).collect();
    if found.is_empty() {
        Vec::new()
    } else if plain_list {
        let list = found.into_iter().take(max_items(prop)).map(Value::String).collect();
        vec![Candidate { value: Value::Array(list), score: 0.7 }]
    } else {
        found.into_iter().map(|e| Candidate { value: Value::String(e), score: 0.7 }).collect()
    }
}

/// The values a description lists: quoted ones, and those in lower case after `e.g.`,
/// `such as`, `like` up to the end of the clause; not its default (`Default is 'bus'`,
/// `default: 'bus'`, `defaults to 'bus'`).
fn examples(description: &str, default: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut defaults: Vec<String> = default.and_then(Value::as_str).map(str::to_lowercase).into_iter().collect();
    let chars: Vec<char> = description.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let q = chars[i];
        let opens = matches!(q, '\'' | '"') && (i == 0 || !chars[i - 1].is_alphanumeric());
        if let Some(len) = chars.get(i + 1..).and_then(|rest| rest.iter().position(|&c| c == q)).filter(|_| opens) {
            let inner: String = chars[i + 1..i + 1 + len].iter().collect();
            let before: String = chars[..i].iter().collect::<String>().to_lowercase();
            let before = before.trim_end().trim_end_matches([':', '(']).trim_end();
            if ["default is", "defaults to", "default"].iter().any(|d| before.ends_with(d)) {
                defaults.push(inner.to_lowercase());
            } else {
                out.push(inner);
            }
            i += len + 2;
            continue;
        }
        i += 1;
    }
    // (ASCII case only, so that its byte offsets are the description's)
    let lower = description.to_ascii_lowercase();
    for marker in ["e.g.", "e.g", "such as", "like"] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(marker).map(|a| a + from) {
            from = at + marker.len();
            let word_start = at == 0 || !lower[..at].ends_with(|c: char| c.is_alphanumeric());
            let word_end = !lower[from..].starts_with(|c: char| c.is_alphanumeric());
            if !word_start || !word_end {
                continue;
            }
            let clause = &description[from..];
            // (to the clause's end, a bracket, or where it names the default)
            let end = clause.find(['.', '(', ')', ';']).unwrap_or(clause.len());
            let end = clause[..end].to_ascii_lowercase().find("default").unwrap_or(end);
            // Unquoted, only words in lower case: kinds (`vegan, gluten-free`), not names
            // that a comma splits (`San Francisco, CA`).
            for item in clause[..end].split([',', '/']).flat_map(|p| p.split(" or ")).flat_map(|p| p.split(" and ")) {
                let item = item.trim().trim_start_matches(':').trim().trim_matches(['\'', '"']);
                let ends_list = ["etc", "more", "others", "so on"].contains(&item);
                if !item.is_empty()
                    && !ends_list
                    && !item.chars().any(char::is_uppercase)
                    && item.split_whitespace().count() <= 3
                {
                    out.push(item.to_string());
                }
            }
        }
    }
    let mut unique: Vec<String> = Vec::new();
    for e in out {
        if !e.is_empty() && e.len() <= 40 && !defaults.contains(&e.to_lowercase()) && !unique.contains(&e) {
            unique.push(e);
        }
    }
    unique
}

/// A string's schema marked with the code its description's example ends in
/// (`The city and state, e.g. Los Angeles, CA`: a name, a comma and two or three
/// capitals), which the value ends in too ([`CODE`]): the text writes the name, the
/// model the code (`Los Angeles` → `Los Angeles, CA`), unless the text writes a
/// comma and more after the name itself (`Boston, Massachusetts`).
fn coded(prop: &Value) -> Value {
    let mut schema = prop.clone();
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
    if let (Some(len), Some(map)) = (example_code(description), schema.as_object_mut()) {
        map.insert(CODE.into(), len.into());
    }
    schema
}

/// The length of the code a description's example ends in: `e.g. New York, NY` or
/// `for instance Boston, MA` give 2; `e.g., CBC, CMP` (a list, no name) nothing.
fn example_code(description: &str) -> Option<usize> {
    let lower = description.to_ascii_lowercase();
    ["e.g.", "e.g", "for example", "for instance"].iter().find_map(|marker| {
        let at = lower.find(marker)? + marker.len();
        let clause = description[at..].trim_start_matches([',', ':', ' ']);
        let (name, rest) = clause.split_once(", ")?;
        let named = name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().any(|c| c.is_ascii_lowercase())
            && name.split_whitespace().count() <= 3;
        // (ASCII capitals and markers: every offset here is a character boundary)
        let len = rest.chars().take_while(char::is_ascii_uppercase).count();
        let ends = rest[len..].is_empty() || rest[len..].starts_with(['.', ',', ')', ';']);
        (named && (2..=3).contains(&len) && ends).then_some(len)
    })
}

/// Frequencies written as words, with the times a year they mean.
const FREQUENCIES: [(&str, u64); 7] = [
    ("annually", 1),
    ("yearly", 1),
    ("biannually", 2),
    ("quarterly", 4),
    ("monthly", 12),
    ("weekly", 52),
    ("daily", 365),
];

/// The times a year an integer key that counts times in a period (its description
/// says `the number of times …` and `per` or `compounded`, or its name ends `per
/// year`) takes from the one frequency the text writes as a word: `compounded
/// monthly` is 12, `semi-annually` 2 (`bi-weekly`: none).
fn times_a_year(key: &str, prop: &Value, toks: &[Token]) -> Option<u64> {
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("").to_lowercase();
    let kw = words(key);
    // (times in a period: `compounded per year`, `per unit time`; not `the number of
    // times the alarm rings`)
    let per_period =
        description.contains("number of times") && (description.contains(" per ") || description.contains("compound"));
    let counts = per_period || kw.ends_with(&["per".to_string(), "year".to_string()]);
    if main_type(prop) != Some("integer") || !counts {
        return None;
    }
    let mut found: Vec<u64> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let Token::Word(w) = t else { continue };
        let Some(&(_, n)) = FREQUENCIES.iter().find(|(f, _)| f == w) else { continue };
        // (`semi-annually` is 2; `bi-weekly`, `semi-monthly` say two things: none)
        let prefix = match i.checked_sub(1).map(|j| &toks[j]) {
            Some(Token::Word(p)) if p == "semi" || p == "bi" => Some(p.as_str()),
            _ => None,
        };
        let n = match prefix {
            None => n,
            Some("semi") if n == 1 => 2,
            Some(_) => return None,
        };
        if !found.contains(&n) {
            found.push(n);
        }
    }
    match found.as_slice() {
        [n] => Some(*n),
        _ => None,
    }
}

/// Where the text writes the one year (a whole number from 1000 to 2999) that a
/// number key named for a year (`year`, `birth_year`) takes; `None` when it writes
/// none or several.
fn year_value(key: &str, prop: &Value, toks: &[Token]) -> Option<usize> {
    if !matches!(main_type(prop), Some("number" | "integer")) || words(key).last().is_none_or(|w| w != "year") {
        return None;
    }
    let year = |t: &Token| matches!(t, Token::Number(n) if n.as_u64().is_some_and(|y| (1000..3000).contains(&y)));
    let mut at = toks.iter().enumerate().filter(|(_, t)| year(t)).map(|(i, _)| i);
    let first = at.next()?;
    let same = |i: usize| toks[i] == toks[first];
    at.all(same).then_some(first)
}

/// Where the text writes numbers in the unit a key's description names (`(in
/// miles)`, `in minutes`, `(kg)`): `10 miles`, `30 minutes`, `20 kg`, in its order. A
/// unit raised to a power is another unit: `2 meters/second^2` is not in
/// `meters/second`, `10 meters/second` not in `meters/second^2`.
fn unit_values(prop: &Value, toks: &[Token]) -> Vec<usize> {
    if !matches!(main_type(prop), Some("number" | "integer")) {
        return Vec::new();
    }
    // (a unit's first word, without its power, and whether the unit has one: read
    // the same way in the description and in the text)
    let unit_at = |toks: &[Token], at: usize| match &toks[at] {
        Token::Word(w) => {
            let raised = toks[at..]
                .iter()
                .take(3)
                .map_while(|t| match t {
                    Token::Word(w) => Some(w.contains('^')),
                    _ => None,
                })
                .any(|p| p);
            Some((w.split('^').next().unwrap_or(w).to_string(), raised))
        }
        _ => None,
    };
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("");
    let description = tokens(said);
    let mut units: Vec<(String, bool)> = (1..description.len())
        .filter(|&i| description[i - 1] == Token::Word("in".into()))
        .filter_map(|i| unit_at(&description, i))
        .collect();
    // (a unit alone in parentheses: `The mass of the first body (kg).`)
    for inner in said.split('(').skip(1).filter_map(|s| s.split_once(')')).map(|(inner, _)| tokens(inner)) {
        if let [Token::Word(_)] = inner.as_slice() {
            units.extend(unit_at(&inner, 0));
        }
    }
    units.retain(|(u, _)| u.chars().count() >= 2);
    (0..toks.len().saturating_sub(1))
        .filter(|&i| {
            matches!(toks[i], Token::Number(_))
                && unit_at(toks, i + 1)
                    .is_some_and(|(w, p)| units.iter().any(|(u, q)| crate::align::same_word(u, &w) && p == *q))
        })
        .collect()
}

/// A string with no `format`, `pattern` or `enum`: any span of the text may be it.
fn plain_string(prop: &Value) -> bool {
    main_type(prop) == Some("string") && ["format", "pattern", "enum", "const"].iter().all(|k| prop.get(k).is_none())
}

/// Most items a list the prose plan reads may hold.
const MAX_LIST: u64 = 64;

/// Most items a list of schema `prop` takes: its `maxItems`, at most [`MAX_LIST`].
fn max_items(prop: &Value) -> usize {
    let max = prop.get("maxItems").and_then(Value::as_u64).unwrap_or(MAX_LIST).min(MAX_LIST);
    usize::try_from(max).unwrap_or(usize::MAX)
}

/// Whether a list of one item up to its bound fits the schema (no `minItems` over 1,
/// no `maxItems` of 0, no `uniqueItems`): else the model decodes it freely.
fn one_item_will_do(prop: &Value) -> bool {
    prop.get("minItems").and_then(Value::as_u64).unwrap_or(0) <= 1
        && prop.get("maxItems").and_then(Value::as_u64) != Some(0)
        && prop.get("uniqueItems") != Some(&Value::Bool(true))
}

/// An array schema bounded by the items a sentence can list: one more than the
/// text's separators (`,` `;` `and` `or`). The model cannot run a list on.
fn listed(prop: &Value, toks: &[Token]) -> Value {
    let separators = toks
        .iter()
        .filter(|t| matches!(t, Token::Punct(',' | ';')) || matches!(t, Token::Word(w) if w == "and" || w == "or"))
        .count();
    let bound = u64::try_from(separators + 1).unwrap_or(u64::MAX).min(MAX_LIST);
    let mut schema = prop.clone();
    if let Value::Object(map) = &mut schema {
        let max = map.get("maxItems").and_then(Value::as_u64).map_or(bound, |m| m.min(bound));
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        map.insert("maxItems".into(), max.max(min).into());
    }
    schema
}

/// Whether an optional key whose value has a shape by its name or `format`
/// finds a value of that shape in the text: an identifier for `sensor_id`, a time for
/// `time`, an e-mail address for `email`, a dated day for `start_date`, the one year
/// the text writes for `year`.
fn shape_written(key: &str, prop: &Value, text: &str, toks: &[Token]) -> bool {
    if year_value(key, prop, toks).is_some() {
        return true;
    }
    if main_type(prop) != Some("string") || prop.get("enum").is_some() {
        return false;
    }
    let kw = words(key);
    let format = prop.get("format").and_then(Value::as_str);
    // The key's last word names what it holds: `start_time`, not `time_zone`.
    let has = |w: &str| kw.last().is_some_and(|k| k == w);
    let any = |fits: fn(&str) -> bool| pieces(text).any(fits);
    if has("id") {
        identifiers(text).next().is_some()
    } else if format == Some("time") || has("time") {
        any(shape::is_time)
    } else if format == Some("email") || has("email") {
        any(shape::is_email)
    } else if format == Some("date") || (has("date") && format.is_none() && prop.get("pattern").is_none()) {
        crate::date::written(text).iter().any(|d| d.year.is_some())
    } else {
        false
    }
}

/// The text's whitespace-separated pieces, without quotes, brackets and a closing `.`.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || ",;()\"'`".contains(c)).map(|t| t.trim_end_matches(['.', ':', '!', '?']))
}

/// An object schema that lists at least one key.
pub fn keyed(schema: &Value) -> bool {
    schema.get("properties").and_then(Value::as_object).is_some_and(|m| !m.is_empty())
}

/// The identifier-shaped tokens of `text` (`greenhouse-7`, `B1004`): not an ordinal
/// (`2nd`) nor a measure (`21.5C`).
fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    pieces(text).filter(|t| shape::is_identifier(t)).filter(|t| {
        let digits = t.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        digits == 0 || !t[digits..].bytes().all(|b| b.is_ascii_alphabetic())
    })
}

/// A token of prose: a word, a number, or a quoted span.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number(Value),
    /// An identifier with a digit, as written: `greenhouse-7`, `B1004`, `ORD-88020`.
    Ident(String),
    /// A number written with `%` after it: `8%`.
    Percent(Value),
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
                        // A coordinate west or south is negative: `(33.44 N, 112.07 W)`.
                        [Token::Number(n), Token::Word(d)] if d == "w" || d == "s" => {
                            n.as_f64().and_then(|x| serde_json::Number::from_f64(-x)).map(Value::Number)
                        }
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
            // (an apostrophe inside a word closes nothing: `'Let's meet at 10'`)
            let closes = |j: usize| {
                chars[j] == c
                    && !(c == '\''
                        && j > 0
                        && chars[j - 1].is_alphabetic()
                        && chars.get(j + 1).is_some_and(|n| n.is_alphabetic()))
            };
            if let Some(len) = (i + 1..chars.len()).position(closes) {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                if !inner.trim().is_empty() && len <= 80 {
                    out.push(Token::Quoted(inner));
                    i += len + 2;
                    continue;
                }
            }
        }
        if c.is_alphanumeric() && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let len = chars[i..].iter().take_while(|c| c.is_alphanumeric() || "-_.".contains(**c)).count();
            let run: String = chars[i..i + len].iter().collect();
            let run = run.trim_end_matches(['.', '-', '_']);
            // It starts with a letter: `30-year` and `1e5` stay numbers.
            let has_digit = run.bytes().any(|b| b.is_ascii_digit());
            if c.is_alphabetic() && has_digit && identifiers(run).next() == Some(run) {
                out.push(Token::Ident(run.to_string()));
                i += run.chars().count();
                continue;
            }
        }
        // Digits after `^` or `**` that follow a letter are a power (`m/s^2`, `x**3`,
        // `x^2.5`): part of a unit or a formula, not a value of the text. (`2^10` and
        // `(1.05)^10` are numbers.)
        let power = (i >= 2 && chars[i - 1] == '^' && chars[i - 2].is_alphabetic())
            || (i >= 3 && chars[i - 1] == '*' && chars[i - 2] == '*' && chars[i - 3].is_alphabetic());
        if c.is_ascii_digit() && power {
            let digits = |from: usize| chars[from..].iter().take_while(|c| c.is_ascii_digit()).count();
            let from = i;
            i += digits(i);
            if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                i += 1 + digits(i + 1);
            }
            // The word it raises keeps it: `second^2` is not `second`.
            if let Some(Token::Word(w)) = out.last_mut() {
                w.push('^');
                w.extend(&chars[from..i]);
            }
            continue;
        }
        // Digits after `letters-` belong to an identifier (`greenhouse-7`), not a number.
        if c.is_ascii_digit() && i >= 2 && chars[i - 1] == '-' && chars[i - 2].is_alphanumeric() {
            let end = i + chars[i..].iter().take_while(|c| c.is_alphanumeric()).count();
            out.push(Token::Word(chars[i..end].iter().collect::<String>().to_lowercase()));
            i = end;
            continue;
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
            // An ordinal's suffix is part of the number: `2nd`, `4th`.
            let rest: String = chars[end..(end + 3).min(chars.len())].iter().collect::<String>().to_lowercase();
            let ordinal = ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| rest.starts_with(s) && !rest[s.len()..].starts_with(|c: char| c.is_alphanumeric()));
            let spaces = chars[end..].iter().take_while(|c| **c == ' ').count();
            let percent = chars.get(end + spaces) == Some(&'%');
            if let Some(c) = value::candidates(&serde_json::json!({"type": "number"}), &written).into_iter().next() {
                out.push(if percent { Token::Percent(c.value) } else { Token::Number(c.value) });
            }
            i = if ordinal {
                end + 2
            } else if percent {
                end + spaces + 1
            } else {
                end
            };
            continue;
        }
        if c.is_alphabetic() {
            let mut end = i + 1;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            let word = chars[i..end].iter().collect::<String>().to_lowercase();
            out.push(match crate::align::number_word(&word) {
                Some(n) => Token::Number(n.into()),
                None => Token::Word(word),
            });
            i = end;
            continue;
        }
        if ",;.:!?".contains(c) {
            out.push(Token::Punct(c));
        }
        i += 1;
    }
    with_runs(scaled(out))
}

/// A number with a scale word after it is the number it says: `213 million` is
/// 213000000, `8.5 thousand` is 8500.
fn scaled(mut toks: Vec<Token>) -> Vec<Token> {
    for i in 1..toks.len() {
        let scale = match &toks[i] {
            Token::Word(w) => match w.as_str() {
                "thousand" => 1e3,
                "million" => 1e6,
                "billion" => 1e9,
                "trillion" => 1e12,
                _ => continue,
            },
            _ => continue,
        };
        if let Token::Number(n) = &toks[i - 1] {
            if let Some(x) = n.as_f64().map(|x| x * scale).filter(|x| x.is_finite()) {
                // A whole number stays an integer, so an integer key takes it.
                toks[i - 1] = Token::Number(if x.fract() == 0.0 && x.abs() < 9e15 {
                    Value::from(x as i64)
                } else {
                    round(x.into())
                });
            }
        }
    }
    toks
}

/// Where a run of two or more numbers that each carry the same unit word ends
/// (`440 hz and 880 hz`, `5 c, 6 c and 7 c`), when one starts at `i`.
fn run_with_unit(toks: &[Token], i: usize) -> Option<usize> {
    let (Some(Token::Number(_)), Some(Token::Word(unit))) = (toks.get(i), toks.get(i + 1)) else { return None };
    if is_coordinator(unit) {
        return None;
    }
    let joins =
        |t: Option<&Token>| matches!(t, Some(Token::Punct(','))) || matches!(t, Some(Token::Word(w)) if w == "and");
    let mut end = i + 2;
    while joins(toks.get(end))
        && matches!(toks.get(end + 1), Some(Token::Number(_)))
        && matches!(toks.get(end + 2), Some(Token::Word(w)) if w == unit)
    {
        end += 3;
    }
    (end > i + 2).then_some(end)
}

/// Adds a [`Token::List`] before each run of two or more numbers in a row (`,` or
/// `and` between them, each number with the same unit word or none: `5C and 7C`): a
/// list only a list-valued key takes.
fn with_runs(toks: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        if let Some(end) = run_with_unit(&toks, i) {
            let xs = toks[i..end].iter().filter_map(|t| match t {
                Token::Number(n) => Some(n.clone()),
                _ => None,
            });
            out.push(Token::List(xs.collect()));
            out.extend(toks[i..end].iter().cloned());
            i = end;
            continue;
        }
        let mut run = 0;
        while let Some(Token::Number(_)) = toks.get(i + run) {
            run += 1;
            let joins = |t: Option<&Token>| {
                matches!(t, Some(Token::Punct(','))) || matches!(t, Some(Token::Word(w)) if w == "and")
            };
            if joins(toks.get(i + run)) && matches!(toks.get(i + run + 1), Some(Token::Number(_))) {
                run += 1;
            }
        }
        let numbers = toks[i..i + run].iter().filter(|t| matches!(t, Token::Number(_))).count();
        if numbers >= 2 {
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

/// The value a number token gives a key of schema `prop`, if it fits its type. A
/// percentage is a fraction (`8%` is 0.08) unless the key counts in percent (its name
/// or description says so, and the description does not ask for a decimal) or takes
/// integers.
fn number(t: &Token, key: &str, prop: &Value) -> Option<Value> {
    let integer = main_type(prop) == Some("integer");
    if !integer && main_type(prop) != Some("number") {
        return None;
    }
    let fits = |n: &Value| !integer || n.is_i64() || n.is_u64();
    match t {
        Token::Number(n) => fits(n).then(|| n.clone()),
        Token::Percent(n) => {
            let says = |s: &str| s.to_lowercase().contains("percent") || s.contains('%');
            let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
            let in_percent = integer
                || says(key)
                || words(key).iter().any(|w| w == "pct")
                || (says(description) && !as_decimal(description));
            if in_percent {
                fits(n).then(|| n.clone())
            } else {
                n.as_f64().and_then(|x| serde_json::Number::from_f64(x / 100.0)).map(|x| round(x.into()))
            }
        }
        _ => None,
    }
}

/// Whether a description asks for a rate as a decimal: `in decimal form`, `Enter as a
/// decimal. E.g, 5% is 0.05` (not `decimal places`, nor `as a decimal number between
/// 0 and 100`).
fn as_decimal(description: &str) -> bool {
    let ws = words(description);
    let other = |n: &String| ["number", "point", "places", "digits"].contains(&n.as_str());
    ws.windows(2).any(|w| w[0] == "decimal" && w[1] == "form")
        || ws
            .windows(3)
            .enumerate()
            .any(|(i, w)| w == ["as", "a", "decimal"] && ws.get(i + 3).is_none_or(|n| !other(n)))
}

/// `x` without the float noise of a division (0.07 rather than 0.07000000000000001).
fn round(x: Value) -> Value {
    match x.as_f64() {
        Some(f) => format!("{f:.10}")
            .trim_end_matches('0')
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(x, Value::Number),
        None => x,
    }
}

/// Whether a negation comes in the three tokens before a key's word, at any of the
/// places `spots` the text names it, within its phrase (`not family-friendly`; not
/// `not cheap but family friendly`).
fn negated(spots: &[usize], toks: &[Token]) -> bool {
    let ends =
        |t: &Token| matches!(t, Token::Punct(_)) || matches!(t, Token::Word(w) if is_coordinator(w) || w == "but");
    spots.iter().any(|&m| toks[m.saturating_sub(3)..m].iter().rev().take_while(|t| !ends(t)).any(is_negation))
}

/// Whether `n't` (`isn't`: the tokens `isn` and `t`) comes in the three tokens before
/// `at`, within its phrase. The tokens do not read it as a `not` (doing so moved
/// only BFCL `tune`); a yes/no flag reads it ([`as_flag`]).
fn contracted_before(at: usize, toks: &[Token]) -> bool {
    let from = (at.saturating_sub(3)..at)
        .rev()
        .find(|&b| matches!(toks[b], Token::Punct(_)))
        .map_or(at.saturating_sub(3), |b| b + 1);
    toks[from..at]
        .windows(2)
        .any(|w| matches!((&w[0], &w[1]), (Token::Word(a), Token::Word(t)) if a.ends_with('n') && t == "t"))
}

/// `not`, `no`, `without`, `never`: a word that turns a flag off.
fn is_negation(t: &Token) -> bool {
    matches!(t, Token::Word(w) if is_negation_word(w))
}

/// `not`, `no`, `without`, `never`, as a lower-case word.
fn is_negation_word(w: &str) -> bool {
    matches!(w, "not" | "no" | "without" | "never")
}

/// Where the text names a key: tokens that are one of its words (a word under three
/// letters only as itself: `a=1`).
fn mentions(key: &str, toks: &[Token]) -> Vec<usize> {
    let kw = words(key);
    toks.iter()
        .enumerate()
        .filter(|(_, t)| match t {
            Token::Word(w) => kw.iter().any(|k| is_key_word(k, w)),
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
        (Part::Scalar { schema, .. }, Token::Number(_) | Token::Percent(_)) => number(t, &f.key, schema).is_some(),
        (Part::Scalar { schema, .. }, Token::List(_)) => {
            main_type(schema) == Some("array")
                && matches!(schema.get("items").and_then(main_type), Some("number" | "integer"))
        }
        (Part::Span { schema }, Token::Quoted(_) | Token::Ident(_)) => main_type(schema) == Some("string"),
        _ => false,
    };
    // (more of the key's words around the mention first, then nearer, then a value
    // right before the key's noun (`3 bedrooms`) over one after, key order, text order)
    let mut pairs: Vec<Anchor> = Vec::new();
    // (a value settled before, `compounded monthly`, takes no number of the text)
    let open = |f: &Field| {
        f.presence == Presence::Present
            && !matches!(&f.part, Part::Scalar { candidates, .. } if candidates.len() == 1 && candidates[0].score >= 1.0)
    };
    for (k, f) in fields.iter().enumerate().filter(|(_, f)| open(f)) {
        // A number in the key's unit (`within 10 miles` for a distance `(in miles)`;
        // the first not taken: `20 kg … 15 kg` for two masses `(kg)`), and the year
        // the text writes for a key named for one.
        if let Part::Scalar { schema, .. } = &f.part {
            for i in unit_values(schema, toks).into_iter().chain(year_value(&f.key, schema, toks)) {
                if fits(f, &toks[i]) {
                    pairs.push((std::cmp::Reverse(1), 1, 0, k, i));
                }
            }
        }
        let kw = words(&f.key);
        for m in mentions(&f.key, toks) {
            let around = &toks[m.saturating_sub(2)..(m + 3).min(toks.len())];
            let strength =
                kw.iter().filter(|k| around.iter().any(|t| matches!(t, Token::Word(w) if is_key_word(k, w)))).count();
            // A value right before the last of the key's words as written (its noun):
            // `3 bedrooms`, `5 years`, `48 % humidity` for `humidity_pct`. A short last
            // key word is a unit, and only right after its number: `23.4 C` (not the
            // `in` of `period_in_years`).
            let after_number = m > 0 && matches!(toks[m - 1], Token::Number(_) | Token::Percent(_));
            let key_word = |t: &Token| matches!(t, Token::Word(w) if kw.iter().any(|k| is_key_word(k, w)));
            let unit = |k: &String| after_number && kw.last() == Some(k);
            let head = matches!(&toks[m], Token::Word(w)
                    if kw.iter().any(|k| (k.len() >= 3 || unit(k)) && is_key_word(k, w)))
                && !toks.get(m + 1).is_some_and(key_word);
            // ... before the whole phrase of the key's words (`600 at-bats`).
            let start = m - toks[..m].iter().rev().take_while(|t| key_word(t)).count();
            if head && start > 0 && fits(f, &toks[start - 1]) {
                pairs.push((std::cmp::Reverse(strength), 1, 0, k, start - 1));
            } else if head
                && start > 1
                && matches!(&toks[start - 1], Token::Word(w) if !is_coordinator(w))
                && fits(f, &toks[start - 2])
            {
                // ... or one word before it: `61 % relative humidity`, after a value
                // as near after the key (`1 gallon covers approximately 350`), and
                // never across `and` (`weight 0.5 and decay rate of 0.1`).
                pairs.push((std::cmp::Reverse(strength), 2, 2, k, start - 2));
            }
            for (i, t) in toks.iter().enumerate().skip(m + 1).take(ANCHOR_REACH) {
                if fits(f, t) {
                    pairs.push((std::cmp::Reverse(strength), i - m, 1, k, i));
                    break;
                }
            }
        }
    }
    // `base and height as 6cm and 10cm`: two keys named in a row take two values
    // written in a row, in order, before any other anchor.
    let key_at = |i: usize| {
        fields.iter().position(|f| f.presence == Presence::Present && mentions(&f.key, &toks[i..=i]).len() == 1)
    };
    let is_and = |t: &Token| matches!(t, Token::Word(w) if w == "and");
    for i in 0..toks.len().saturating_sub(2) {
        let (Some(a), Some(b)) = (key_at(i), key_at(i + 2)) else { continue };
        if a == b || !is_and(&toks[i + 1]) {
            continue;
        }
        let Some(x) = (i + 3..(i + 3 + ANCHOR_REACH).min(toks.len())).find(|&j| fits(&fields[a], &toks[j])) else {
            continue;
        };
        // Unit words may follow the first value: `6cm and 10cm`.
        let units = toks[x + 1..].iter().take_while(|t| matches!(t, Token::Word(_)) && !is_and(t)).count();
        let y = x + 1 + units + 1;
        if units <= 1 && toks.get(y - 1).is_some_and(is_and) && toks.get(y).is_some_and(|t| fits(&fields[b], t)) {
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, a, x));
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, b, y));
        }
    }
    siblings_in_order(fields, toks, &fits, &mut pairs);
    pairs.sort();
    let mut keyed: Vec<bool> = fields.iter().map(|f| !open(f)).collect();
    let mut used = vec![false; toks.len()];
    for (_, _, _, k, t) in pairs {
        if keyed[k] || used[t] {
            continue;
        }
        keyed[k] = true;
        used[t] = true;
        let schema = match &fields[k].part {
            Part::Scalar { schema, .. } | Part::Span { schema } => schema.clone(),
            _ => continue,
        };
        let value = match &toks[t] {
            Token::Number(_) | Token::Percent(_) => match number(&toks[t], &fields[k].key, &schema) {
                Some(n) => n,
                None => continue,
            },
            Token::Quoted(q) | Token::Ident(q) => Value::String(q.clone()),
            Token::List(xs) => Value::Array(xs.clone()),
            Token::Word(_) | Token::Punct(_) => continue,
        };
        fields[k].part = Part::Scalar { candidates: vec![Candidate { value, score: 1.0 }], schema };
    }
    // What an anchor took is no one else's: the keys left choose among the values
    // written where no anchor took them.
    let left: Vec<&Token> = toks.iter().zip(&used).filter(|(_, u)| !**u).map(|(t, _)| t).collect();
    for (k, f) in fields.iter_mut().enumerate() {
        if keyed[k] {
            continue;
        }
        let key = f.key.clone();
        if let Part::Scalar { candidates, schema } = &mut f.part {
            if candidates.len() > 1 && candidates.iter().all(|c| c.value.is_number() || c.value.is_array()) {
                let left: Vec<Value> = left
                    .iter()
                    .filter_map(|t| match t {
                        Token::List(xs) => Some(Value::Array(xs.clone())),
                        t => number(t, &key, schema),
                    })
                    .collect();
                let kept: Vec<Candidate> =
                    candidates.iter().filter(|c| left.iter().any(|t| value::same(t, &c.value))).cloned().collect();
                if !kept.is_empty() {
                    *candidates = kept;
                }
            }
        }
    }
}

/// A key for the unit of another key's value (`unit`: `The unit of measurement for
/// the radius`) takes the word the text writes right after the number that key took
/// (`a radius of 4 inches` gives `inches`, `6cm` gives `cm`), as written; a word that
/// opens a phrase or joins one (`of`, `and`, `the`) is no unit.
fn units_written(fields: &mut [Field], text: &str, toks: &[Token]) {
    let settled = |f: &Field| match &f.part {
        Part::Scalar { candidates, .. } if candidates.len() == 1 && candidates[0].score >= 1.0 => {
            Some(candidates[0].value.clone()).filter(Value::is_number)
        }
        _ => None,
    };
    for k in 0..fields.len() {
        let f = &fields[k];
        let Some(schema) = f.part.schema() else { continue };
        let unit_key = words(&f.key).last().is_some_and(|w| w == "unit" || w == "units");
        if !unit_key || main_type(schema) != Some("string") || schema.get("enum").is_some() {
            continue;
        }
        let said: Vec<String> =
            words(schema.get("description").and_then(Value::as_str).unwrap_or("")).iter().map(|w| stem(w)).collect();
        // (the one other key the description names, with the number it took)
        let named: Vec<Value> = fields
            .iter()
            .filter(|g| g.key != f.key)
            .filter(|g| {
                let kw = content_words(&g.key);
                !kw.is_empty() && kw.iter().all(|w| said.contains(&stem(w)))
            })
            .filter_map(settled)
            .collect();
        let [value] = named.as_slice() else { continue };
        let unit = (0..toks.len().saturating_sub(1)).find_map(|i| match (&toks[i], &toks[i + 1]) {
            (Token::Number(n), Token::Word(w)) if value::same(n, value) => Some(w.clone()),
            _ => None,
        });
        let Some(unit) = unit.filter(|w| {
            w.chars().count() >= 2
                && w.chars().all(char::is_alphabetic)
                && !FUNCTION_WORDS.contains(&w.as_str())
                && !PREPOSITIONS.contains(&w.as_str())
                && !DETERMINERS.contains(&w.as_str())
                && !is_coordinator(w)
                && !is_copula(w)
        }) else {
            continue;
        };
        let as_written = written_words(text).into_iter().map(|(w, _, _)| w).find(|w| w.to_lowercase() == unit);
        let candidates = vec![Candidate { value: Value::String(as_written.unwrap_or(unit)), score: 1.0 }];
        let schema = schema.clone();
        fields[k].presence = Presence::Present;
        fields[k].part = Part::Scalar { candidates, schema };
    }
}

/// Keys for a currency (`currency`, `base_currency`) take the codes of the
/// currencies the text names (`US dollars` is `USD`), where it names one for each.
/// Of a pair converting one into the other (`from_currency` / `to_currency`, `base`
/// / `target`), the one written with the amount (`500 US dollars`, `$500`) is the
/// source, else the one after `from`, the other after `to`, `into` or `in`.
fn currencies(fields: &mut [Field], text: &str) {
    let keys: Vec<usize> = (0..fields.len())
        .filter(|&k| {
            let f = &fields[k];
            f.presence == Presence::Present
                && matches!(&f.part, Part::Span { schema } if plain_string(schema))
                && words(&f.key).iter().any(|w| w == "currency")
        })
        .collect();
    if keys.is_empty() {
        return;
    }
    let Some(codes) = crate::currency::written(text).filter(|c| c.len() >= keys.len()) else { return };
    let role = |key: &str| {
        let kw = words(key);
        let has = |ws: &[&str]| kw.iter().any(|w| ws.contains(&w.as_str()));
        match (has(&["from", "base", "source", "original"]), has(&["to", "target", "destination", "into"])) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        }
    };
    // (whether the currency written at `at` is the source: `Some(true)`)
    let source = |at: usize| {
        let before = text[..at].trim_end();
        let sign = !text[at..].starts_with(char::is_alphanumeric);
        if before.ends_with(|c: char| c.is_ascii_digit())
            || (sign && text[at..].chars().nth(1).is_some_and(|c| c.is_ascii_digit()))
        {
            return Some(true);
        }
        match before.rsplit(|c: char| !c.is_alphanumeric()).next().map(str::to_lowercase).as_deref() {
            Some("from") => Some(true),
            Some("to" | "into" | "in") => Some(false),
            _ => None,
        }
    };
    let mut assigned: Vec<(usize, &str)> = Vec::new();
    if let ([a, b], [(x, cx), (y, cy)]) = (keys.as_slice(), codes.as_slice()) {
        let (ra, rb) = (role(&fields[*a].key), role(&fields[*b].key));
        let (sx, sy) = (source(*x), source(*y));
        // (one source and one not, from either side's reading)
        let x_source = match (sx, sy) {
            (Some(s), other) if other != Some(s) => Some(s),
            (None, Some(s)) => Some(!s),
            _ => None,
        };
        if let (Some(ra), Some(rb), Some(x_source)) = (ra, rb, x_source) {
            if ra != rb {
                let (from, to) = if ra { (*a, *b) } else { (*b, *a) };
                let (src, dst) = if x_source { (*cx, *cy) } else { (*cy, *cx) };
                assigned = vec![(from, src), (to, dst)];
            }
        }
    }
    for &k in &keys {
        let candidates: Vec<Candidate> = match assigned.iter().find(|(j, _)| *j == k) {
            Some((_, code)) => vec![Candidate { value: Value::String((*code).into()), score: 1.0 }],
            None => codes.iter().map(|(_, c)| Candidate { value: Value::String((*c).into()), score: 0.8 }).collect(),
        };
        let Part::Span { schema } = &fields[k].part else { continue };
        fields[k].part = Part::Scalar { candidates, schema: schema.clone() };
    }
}

/// Words of a key that name nothing by themselves (`reason_for_visit`).
const FUNCTION_WORDS: [&str; 12] =
    ["for", "the", "and", "from", "with", "into", "per", "via", "than", "that", "this", "its"];

/// A key's words that name something: three letters or more, no [`FUNCTION_WORDS`].
fn content_words(key: &str) -> Vec<String> {
    words(key).into_iter().filter(|k| k.len() >= 3 && !FUNCTION_WORDS.contains(&k.as_str())).collect()
}

/// Prepositions that open a phrase before the subject (`Near The Bakers, …`).
const PREPOSITIONS: [&str; 12] =
    ["near", "next", "in", "at", "by", "on", "from", "with", "for", "to", "beside", "opposite"];

/// Words that open a noun phrase and name nothing on their own (`The prices are …`,
/// `Its customers rate …`).
const DETERMINERS: [&str; 11] = ["the", "a", "an", "its", "his", "her", "their", "our", "my", "your", "every"];

/// The one key for a name (`name`, `restaurant_name`) that no word of the text
/// anchors takes the name the text is about, where it writes one: capitalised words
/// (and small words between them, five words at most, no pronoun, not opening with a
/// preposition, not a lone determiner nor another key's choice) that open the text
/// or a clause after `,` `;` `.` and come before what says what the thing is or
/// does: right before `is a`, `are a`, `was a` or `has a` (or `an`: `Zizzi is a pub`,
/// `Located near The Bakers, Alimentum is an …`; not `Age is 34`), or before `, a`
/// or a verb in the third person whose next words write another key's choice
/// (`Giraffe, a children friendly pub`, `Green Man serves English food`; not `Find
/// restaurants near me`, `The prices are`); one of another key's choices
/// (`Fitzbillies coffee shop serves …`) or an aside between commas (`Blue Spice,
/// located near Avalon, has a …`) may come between; or, right after the `is` of a
/// clause that opens with a preposition, before `, a` and another key's choice
/// (`Near The Bakers is Alimentum, a family friendly restaurant`); after such a
/// choice, `is`, `was` or `has` will do, or a preposition after a name that opens
/// with `The` (`The Vaults pub near …`). The same name wherever written.
fn name_the_subject(fields: &mut [Field], text: &str) {
    let named = |f: &Field| words(&f.key).last().is_some_and(|w| w == "name");
    let [k] = (0..fields.len()).filter(|&k| named(&fields[k])).collect::<Vec<_>>()[..] else { return };
    let Part::Span { schema } = &fields[k].part else { return };
    if fields[k].presence != Presence::Present || main_type(schema) != Some("string") || schema.get(CODE).is_some() {
        return;
    }
    let raw: Vec<&str> = text.split_whitespace().collect();
    let article = |w: Option<&&str>| w.is_some_and(|w| matches!(*w, "a" | "an"));
    // (`serves`, `offers`; not `is`, `has`, `class`, `bus`)
    let third_person = |w: Option<&&str>| {
        w.is_some_and(|w| {
            w.chars().count() >= 4
                && w.chars().all(|c| c.is_ascii_lowercase())
                && w.ends_with('s')
                && !w.ends_with("ss")
                && !w.ends_with("us")
        })
    };
    let kinds: Vec<Vec<String>> = fields
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != k)
        .filter_map(|(_, f)| f.part.schema()?.get("enum")?.as_array())
        .flatten()
        .filter_map(|c| Some(c.as_str()?.split_whitespace().map(str::to_lowercase).collect()))
        .collect();
    let clause_start = |i: usize| i == 0 || raw[i - 1].ends_with([',', ';', '.', '!']);
    // (right after the `is` of a clause that opens with a preposition: `Near The Bakers
    // is Alimentum, a …`)
    let inverted = |i: usize| {
        i >= 2
            && raw[i - 1] == "is"
            && (0..i - 1).rev().find(|&j| clause_start(j)).is_some_and(|j| {
                PREPOSITIONS.contains(&raw[j].to_lowercase().as_str())
                    && raw[j..i - 1].iter().all(|w| w.ends_with(char::is_alphanumeric))
            })
    };
    let mut found: Vec<String> = Vec::new();
    for i in 0..raw.len() {
        if !clause_start(i) && !inverted(i) {
            continue;
        }
        // (capitalised words, and small words between them: `Taste of Cambridge`;
        // the last may end in a comma)
        let bare = |w: &str| w.strip_suffix(',').unwrap_or(w).to_string();
        let capital = |w: &&str| {
            let w = bare(w);
            w.starts_with(char::is_uppercase) && w.ends_with(char::is_alphanumeric)
        };
        let small = |w: &&str| w.chars().count() <= 3 && w.chars().all(char::is_lowercase);
        let mut run = 0;
        while run < 6 && raw.get(i + run).is_some_and(capital) {
            run += 1;
            if raw[i + run - 1].ends_with(',') {
                break;
            }
            if raw.get(i + run).is_some_and(small) && raw.get(i + run + 1).is_some_and(capital) {
                run += 1;
            }
        }
        if run == 0 {
            continue;
        }
        // (what it is may come between, one of another key's choices: `Fitzbillies
        // coffee shop serves …`)
        let mut at = i + run;
        if !raw[at - 1].ends_with(',') {
            at += choice_at(&raw, at, &kinds).unwrap_or(0);
        }
        // (it says what the thing is: `is a …`, `has an …`; not `Age is 34`, `Prices are
        // high`, `Tonight is our anniversary`; or `, a …` or a verb whose next three
        // words write one of another key's choices: `, a cheap pub`, `serves English
        // food`; not `Find restaurants near me`, `Book Nobu, a table for two`, where the
        // first word is no name)
        let choice_near = |at: usize| (at..at + 3).any(|j| choice_at(&raw, j, &kinds).is_some());
        let verb_at = |at: usize| {
            let (next, after) = (raw.get(at), raw.get(at + 1));
            next.is_some_and(|w| matches!(*w, "is" | "are" | "was" | "has")) && article(after)
                || third_person(next) && choice_near(at + 1)
        };
        // (or after an aside between commas: `Blue Spice, located near Avalon, has a …`)
        let aside_end = |at: usize| {
            raw.iter()
                .enumerate()
                .skip(at)
                .take(ASIDE_WORDS)
                .find(|(_, w)| w.ends_with([',', '.', ';']))
                .map(|(j, _)| j)
        };
        // (after what it is, `is`, `was` or `has` (not `are`: `Boston restaurants are
        // great`): `Clowns pub is in the
        // riverside area`; or a preposition after a name that opens with `The`, as a
        // request's verb never does: `The Vaults pub near Café Adriatic`, not
        // `Recommend Cambridge pubs in …`; and no word of the name is another key's
        // choice: not `Find Chinese restaurant near me`)
        let kind_then = |at: usize| {
            let verb = raw.get(at).is_some_and(|w| matches!(*w, "is" | "was" | "has"));
            let preposition = raw.get(at).is_some_and(|w| PREPOSITIONS.contains(&w.to_lowercase().as_str()))
                && raw[i] == "The"
                && run >= 2;
            at > i + run && (verb || preposition) && (i..i + run).all(|j| choice_at(&raw, j, &kinds).is_none())
        };
        let says = if inverted(i) {
            raw[at - 1].ends_with(',') && article(raw.get(at)) && choice_near(at + 1)
        } else if raw[at - 1].ends_with(',') {
            article(raw.get(at)) && choice_near(at + 1)
                || aside_end(at).is_some_and(|j| raw[j].ends_with(',') && verb_at(j + 1))
        } else {
            verb_at(at) || kind_then(at)
        };
        let first = bare(&raw[i].to_lowercase());
        // (nor another key's choice: `Chinese restaurant serves …`)
        let no_name = crate::emit::NO_NAMES.contains(&first.as_str())
            || PREPOSITIONS.contains(&first.as_str())
            || (run == 1 && DETERMINERS.contains(&first.as_str()))
            || choice_at(&raw, i, &kinds).is_some();
        if run <= 5 && says && !no_name {
            let name = raw[i..i + run].iter().map(|w| bare(w)).collect::<Vec<_>>().join(" ");
            if !found.contains(&name) {
                found.push(name);
            }
        }
    }
    if let [name] = &found[..] {
        if within_max_length(schema, name) {
            let candidates = vec![Candidate { value: Value::String(name.clone()), score: 1.0 }];
            fields[k].part = Part::Scalar { candidates, schema: schema.clone() };
        }
    }
}

/// A choice written only inside a name another key takes, between its first and
/// last words (`Indian` of `near Raja Indian Cuisine`; not `near Café Rouge Italian
/// restaurant …`, where the name may run on), is that name's word, not the choice:
/// its key drops it, and is left out where optional and nothing else is written for
/// it.
fn choices_inside_names(fields: &mut [Field], text: &str, required: &[&str]) {
    let ws = phrase_words(text);
    let mut names: Vec<(usize, (usize, usize))> = Vec::new();
    for (k, f) in fields.iter().enumerate() {
        let Part::Scalar { candidates, schema } = &f.part else { continue };
        let ([c], true) = (&candidates[..], plain_string(schema)) else { continue };
        let Some(name) = c.value.as_str().filter(|_| c.score >= 1.0) else { continue };
        names.extend(choice_spots(name, &ws, false).into_iter().map(|at| (k, at)));
    }
    for (k, f) in fields.iter_mut().enumerate() {
        let Part::Scalar { candidates, schema } = &mut f.part else { continue };
        if schema.get("enum").is_none() || candidates.iter().any(|c| c.score < 0.7) {
            continue;
        }
        let inside = |c: &Candidate| {
            let spots = c.value.as_str().map(|c| choice_spots(c, &ws, false)).unwrap_or_default();
            !spots.is_empty() && spots.iter().all(|at| names.iter().any(|&(j, n)| j != k && n.0 < at.0 && at.1 < n.1))
        };
        if !candidates.iter().any(inside) {
            continue;
        }
        candidates.retain(|c| !inside(c));
        if candidates.is_empty() {
            if required.contains(&f.key.as_str()) {
                let all = schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
                *candidates = all.into_iter().map(|value| Candidate { value, score: 0.1 }).collect();
            } else {
                f.presence = Presence::Absent;
            }
        }
    }
}

/// Most words of an aside between commas after a name (`Blue Spice, located near
/// Avalon in the riverside area, has …`).
const ASIDE_WORDS: usize = 12;

/// How many words the longest of `choices` written at word `at` of `raw` has (as
/// [`crate::align::written_as`] reads them; a comma may end it), if one is.
fn choice_at(raw: &[&str], at: usize, choices: &[Vec<String>]) -> Option<usize> {
    let bare = |w: &str| w.trim_end_matches([',', '.', ';']).to_lowercase();
    choices
        .iter()
        .filter(|c| {
            !c.is_empty()
                && raw
                    .get(at..at + c.len())
                    .is_some_and(|ws| c.iter().zip(ws).all(|(c, w)| crate::align::written_as(c, &bare(w))))
        })
        .map(Vec::len)
        .max()
}

/// Whether string `s` fits a string schema's `maxLength`, if it has one.
fn within_max_length(schema: &Value, s: &str) -> bool {
    schema.get("maxLength").and_then(Value::as_u64).is_none_or(|m| s.chars().count() as u64 <= m)
}

/// Most words of a name a key's words introduce.
const NAME_WORDS: usize = 5;

/// A name written right after a key's word (`near The Sorrento`, `the artist Frida
/// Kahlo`, `plate B MZ 2026`, and for a key's word `name` after `called` or `named`:
/// `a pub called The Wrestlers`; capitalised words with nothing between them, numbers
/// going on; after a preposition, `the` may come first, `near the Crowne Plaza
/// Hotel`; the key's word too where it is capitalised inside a sentence, `in Hotel
/// Paradise`, but not a preposition, `Near Café Rouge`) is that string key's value,
/// where the text writes one such name for it and no other key takes the same. Not
/// where the name may go on (`Vincent van Gogh`, `The Lord of the Rings`), ends in an
/// abbreviation (`St.`), or where the key's word is capitalised at a sentence's start
/// or after a capitalised word (`Kansas City Chiefs` for a city): the model reads
/// those.
fn anchor_names(fields: &mut [Field], text: &str) {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let mut found: Vec<(usize, Vec<String>)> = Vec::new();
    for (k, f) in fields.iter().enumerate().filter(|(_, f)| f.presence == Presence::Present) {
        let Part::Span { schema } = &f.part else { continue };
        if main_type(schema) != Some("string") || schema.get(CODE).is_some() {
            continue;
        }
        let mut names: Vec<Vec<String>> = (0..raw.len()).filter_map(|i| name_after(&raw, i, &f.key)).collect();
        names.dedup();
        if let [readings] = names.as_slice() {
            if readings.iter().all(|name| within_max_length(schema, name)) {
                found.push((k, readings.clone()));
            }
        }
    }
    for (k, readings) in &found {
        if found.iter().filter(|(_, n)| n == readings).count() == 1 {
            // (two readings, the name alone and with what follows it: the model picks)
            let score = if readings.len() == 1 { 1.0 } else { 0.5 };
            let candidates =
                readings.iter().map(|name| Candidate { value: Value::String(name.clone()), score }).collect();
            let schema = match &fields[*k].part {
                Part::Span { schema } => schema.clone(),
                _ => continue,
            };
            fields[*k].part = Part::Scalar { candidates, schema };
        }
    }
}

/// The name the word at `i` of `raw` (the text's pieces between spaces) introduces
/// as one of `key`'s words, by [`anchor_names`]'s reading: one reading, or two where
/// joining words ([`NAME_JOINERS`]) and a capitalised one follow it (`Vincent van
/// Gogh`, `Express by Holiday Inn`; `Café Rouge in Cambridge`), the longer first.
fn name_after(raw: &[&str], i: usize, key: &str) -> Option<Vec<String>> {
    let core = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let capital = |w: &str| core(w).starts_with(char::is_uppercase);
    // (a word that ends in punctuation ends the phrase: `near Paris, France`)
    let ends = |w: &str| w.ends_with(|c: char| !c.is_alphanumeric());
    let starts_sentence = |i: usize| i == 0 || raw[i - 1].ends_with(['.', '?', '!', ':', '-', '–', '—']);
    let word = core(raw[i]).to_lowercase();
    // (`called` and `named` introduce a name: `a pub called The Wrestlers`; after one of
    // the key's other words where it has some, `a restaurant called Nobu` for
    // `restaurant_name`, not `my friend named Sarah`; never after a pronoun, `I called`)
    let others: Vec<String> = content_words(key).into_iter().filter(|k| k != "name").collect();
    let before = i.checked_sub(1).map(|j| core(raw[j]).to_lowercase()).unwrap_or_default();
    let introduced_by = if others.is_empty() {
        !before.is_empty() && !crate::emit::NO_NAMES.contains(&before.as_str())
    } else {
        others.iter().any(|k| crate::align::same_word(k, &before))
    };
    let introduces = |k: &str| k == "name" && matches!(word.as_str(), "called" | "named") && introduced_by;
    let is_key = content_words(key).iter().any(|k| crate::align::same_word(k, &word) || introduces(k));
    // (a lowercase `the` may come between after a preposition: `near the Crowne Plaza
    // Hotel`; not `the song the Weeknd performed`)
    let first = i + 1 + usize::from(raw.get(i + 1) == Some(&"the") && PREPOSITIONS.contains(&word.as_str()));
    if !is_key || ends(raw[i]) || !raw.get(first).is_some_and(|w| capital(w)) {
        return None;
    }
    // (a capitalised key's word that starts a sentence, or follows a capitalised
    // word, is inside a name: `Hotel Paradise has …`, `Kansas City Chiefs`; a
    // preposition is not, `Near Café Rouge is …`)
    let own = capital(raw[i]) && !PREPOSITIONS.contains(&word.as_str()) && first == i + 1;
    if own && (starts_sentence(i) || (capital(raw[i - 1]) && !ends(raw[i - 1]))) {
        return None;
    }
    let mut run = if own { vec![core(raw[i])] } else { Vec::new() };
    let j = first;
    run.push(core(raw[j]));
    let goes_on = |w: &str| capital(w) || core(w).starts_with(|c: char| c.is_ascii_digit());
    let extend = |run: &mut Vec<String>, mut j: usize| {
        while !ends(raw[j]) && j + 1 < raw.len() && goes_on(raw[j + 1]) && run.len() < NAME_WORDS {
            j += 1;
            run.push(core(raw[j]));
        }
        j
    };
    let j = extend(&mut run, j);
    let lone_letter = run.len() == 1 && run[0].chars().count() < 2;
    let abbreviated = raw[j].ends_with('.') && core(raw[j]).chars().count() <= 3 && capital(raw[j]);
    if lone_letter || abbreviated {
        return None;
    }
    // (one or two small words, of three letters at most, and then a capitalised one:
    // the name may go on, `Vincent van Gogh`, `Lord of the Rings`; not `Cotto that
    // serves Indian food`)
    let small = |w: &str| !capital(w) && !ends(w) && core(w).chars().count() <= 3;
    let smalls = match (raw.get(j + 1), raw.get(j + 2), raw.get(j + 3)) {
        _ if ends(raw[j]) => 0,
        (Some(a), Some(b), _) if small(a) && capital(b) => 1,
        (Some(a), Some(b), Some(c)) if small(a) && small(b) && capital(c) => 2,
        _ => 0,
    };
    let name = run.join(" ");
    if smalls == 0 {
        return Some(vec![name]);
    }
    // (two readings only where the small words join names and the name that
    // follows is one, whole within [`NAME_WORDS`]: not `The Bakers is The Eagle`,
    // `Burger King and I`, `Harry Potter and the Chamber of …`; those the model reads)
    let joins = raw[j + 1..=j + smalls].iter().all(|w| NAME_JOINERS.contains(&core(w).as_str()));
    let pronoun = crate::emit::NO_NAMES.contains(&core(raw[j + smalls + 1]).to_lowercase().as_str());
    let mut longer = run.clone();
    longer.extend(raw[j + 1..=j + smalls + 1].iter().map(|w| core(w)));
    let last = extend(&mut longer, j + smalls + 1);
    let cut = !ends(raw[last]) && raw.get(last + 1).is_some_and(|w| goes_on(w) || small(w));
    (joins && !pronoun && !(cut && longer.len() >= NAME_WORDS)).then(|| vec![longer.join(" "), name])
}

/// Small words that join the parts of a name (`Lord of the Rings`, `Vincent van
/// Gogh`, `Express by Holiday Inn`, `Google in California`).
const NAME_JOINERS: [&str; 20] = [
    "of", "the", "and", "by", "in", "on", "at", "for", "to", "a", "an", "van", "von", "de", "la", "le", "du", "da",
    "del", "der",
];

/// Most words between a key's words and a choice written after them (`priority is
/// high`, `a rating of 5 out of 5`).
const CHOICE_REACH: usize = 2;

/// A choice written right before a key's words (`high priority`, `a high customer
/// rating`) or at most [`CHOICE_REACH`] words after them (`impact: low`, `impact is
/// low`), within one phrase and with no negation in the two words before it or
/// between, is that key's: all of the key's words before some of them (`output
/// format CSV`), nearest first, a longer choice before a shorter, each written
/// choice to one key. A one-word choice that is a degree word is also written as
/// another word of its degree (`low prices` for `cheap`, `prices are average` for
/// `moderate`: [`DEGREE_WORDS`]), where it is its key's one choice of that degree,
/// the key's words written close their noun phrase, the phrase writes none of the
/// numbers its choices hold, and, before the key's words, the rest of their clause
/// says no degree or number of its own. A key whose written choices another key
/// took takes none of them: where the text does not name it, it keeps those left
/// that are phrases, or no other key's and written right before a choice (`more
/// than £30`, `a cheap coffee shop` beside `a high customer rating`; not `low
/// lighting`), else is left out where optional (`low priority` says nothing of the
/// impact); the model picks among the rest where the key is required or the text
/// names it (`prices under £20` beside `a high customer rating`) and two choices or
/// more are left, and among all where required.
fn anchor_choices(fields: &mut [Field], text: &str, required: &[&str]) {
    let ws = phrase_words(text);
    let choices_of = |f: &Field| match &f.part {
        Part::Scalar { candidates, schema } if f.presence == Presence::Present && schema.get("enum").is_some() => {
            Some(candidates.iter().filter_map(|c| c.value.as_str().map(str::to_string)).collect::<Vec<_>>())
        }
        // (a key the text names only in another form, `moderately priced`)
        Part::Open { schema } if f.presence == Presence::Absent => enum_strings(schema),
        _ => None,
    };
    let mut claims: Vec<ChoiceClaim> = Vec::new();
    for (k, f) in fields.iter().enumerate() {
        let Some(choices) = choices_of(f) else { continue };
        let runs = key_runs(&f.key, &ws);
        let all_words = content_words(&f.key).len();
        // (some of the key's words say a degree only where they close their noun
        // phrase, or end in a participle: `low prices.`, `prices are low`, `prices
        // at`, `a fairly priced pub`; not `average customer service`, `customer
        // service is high`, `an average range of dishes`)
        let closes = |run: (usize, usize)| {
            run.1 - run.0 == all_words
                || ws[run.1 - 1].1
                || ws[run.1 - 1].0.ends_with("ed")
                || ws.get(run.1).is_none_or(|(w, _)| {
                    is_coordinator(w)
                        || PREPOSITIONS.contains(&w.as_str())
                        || DETERMINERS.contains(&w.as_str())
                        || is_copula(w)
                })
        };
        // (after the key's words, only a verb `to be` between: `prices are low`, not
        // `prices and low lighting`; before them, only where the rest of their clause
        // says no degree or number of its own: not `the average price at The Mill is
        // high`, `the average price is £15`)
        let said_of = |run: (usize, usize), at: (usize, usize)| {
            if at.0 < run.0 {
                let own = |w: &String| degree_of(w).is_some() || w.starts_with(|c: char| c.is_ascii_digit());
                return !clause_after(&ws, run.1 - 1).iter().any(|(w, _)| own(w));
            }
            ws.get(run.1..at.0).is_some_and(|between| between.iter().all(|(w, _)| is_copula(w)))
        };
        // (a degree word may say any of the key's choices, written or not)
        let every = f.part.schema().and_then(enum_strings).unwrap_or_default();
        // (but where the phrase writes a number the choices hold, that says more:
        // `averagely priced at £20-£25` is `£20-25`)
        let held: Vec<String> =
            every.iter().flat_map(|c| words(c)).filter(|w| w.chars().all(|c| c.is_ascii_digit())).collect();
        let numbered = |run: (usize, usize)| {
            let start = (0..run.0).rev().find(|&i| ws[i].1).map_or(0, |i| i + 1);
            let end = (run.0..ws.len()).find(|&i| ws[i].1).map_or(ws.len(), |i| i + 1);
            ws[start..end].iter().any(|(w, _)| held.contains(w))
        };
        let written = choices.iter().flat_map(|c| choice_spots(c, &ws, true).into_iter().map(move |at| (c, at, false)));
        let by_degree =
            every.iter().flat_map(|c| degree_spots(c, &every, &ws).into_iter().map(move |at| (c, at, true)));
        for (c, at, by_degree) in written.chain(by_degree) {
            for &run in runs.iter().filter(|&&run| !by_degree || (closes(run) && !numbered(run) && said_of(run, at))) {
                if let Some(d) = choice_distance(at, run, &ws) {
                    let partial = run.1 - run.0 < all_words;
                    claims.push((partial, d, std::cmp::Reverse(at.1 - at.0), k, c.clone(), at));
                }
            }
        }
    }
    claims.sort();
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let mut taken: Vec<(usize, (usize, usize))> = Vec::new();
    let mut keyed: Vec<Option<String>> = vec![None; fields.len()];
    for (_, _, _, k, c, at) in claims {
        if keyed[k].is_none() && !taken.iter().any(|(_, t)| overlaps(*t, at)) {
            keyed[k] = Some(c);
            taken.push((k, at));
        }
    }
    // (every key's choices, and the words of those written)
    let others: Vec<Vec<String>> =
        fields.iter().map(|f| f.part.schema().and_then(enum_strings).unwrap_or_default()).collect();
    let kinds = choice_words(fields, &ws);
    for (k, f) in fields.iter_mut().enumerate() {
        if choices_of(f).is_none() {
            continue;
        }
        if f.presence == Presence::Absent {
            if let (Some(c), Part::Open { schema }) = (&keyed[k], &f.part) {
                let candidates = vec![Candidate { value: Value::String(c.clone()), score: 1.0 }];
                f.part = Part::Scalar { candidates, schema: schema.clone() };
                f.presence = Presence::Present;
            }
            continue;
        }
        let named = !key_runs(&f.key, &ws).is_empty() || required.contains(&f.key.as_str());
        let Part::Scalar { candidates, schema } = &mut f.part else { continue };
        if let Some(c) = &keyed[k] {
            *candidates = vec![Candidate { value: Value::String(c.clone()), score: 1.0 }];
            continue;
        }
        // (written, and only where another key took it)
        let theirs = |c: &str| {
            let spots = choice_spots(c, &ws, false);
            !spots.is_empty() && spots.iter().all(|&at| taken.iter().any(|&(j, t)| j != k && overlaps(t, at)))
        };
        if !candidates.iter().any(|x| x.value.as_str().is_some_and(theirs)) {
            continue;
        }
        let left: Vec<Candidate> =
            candidates.iter().filter(|x| !x.value.as_str().is_some_and(theirs)).cloned().collect();
        // (a choice of several words that no key took is still written for this one,
        // and so is one no other key has, written right before a choice: `for more
        // than £30` and `a cheap coffee shop` beside `a high customer rating`; not
        // `low lighting`, nor after `the`: `the average Indian restaurant` is a
        // typical one)
        let own = |c: &str| {
            words(c).len() >= 2
                || (!others.iter().enumerate().any(|(j, e)| j != k && e.iter().any(|o| o.eq_ignore_ascii_case(c)))
                    && choice_spots(c, &ws, false).iter().any(|at| {
                        !ws[at.1 - 1].1 && kinds.get(at.1) == Some(&true) && (at.0 == 0 || ws[at.0 - 1].0 != "the")
                    }))
        };
        let phrases: Vec<Candidate> = left.iter().filter(|x| x.value.as_str().is_some_and(own)).cloned().collect();
        if !named && !phrases.is_empty() && left.iter().all(|x| x.score >= 0.7) {
            *candidates = phrases;
            continue;
        }
        if !named {
            f.presence = Presence::Absent;
            continue;
        }
        let all = schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
        let rest: Vec<Candidate> = all
            .iter()
            .filter(|v| !v.as_str().is_some_and(theirs))
            .map(|value| Candidate { value: value.clone(), score: 0.1 })
            .collect();
        *candidates = match (left.is_empty(), rest.len()) {
            (false, _) => left,
            (true, 2..) => rest,
            _ if required.contains(&f.key.as_str()) => {
                all.into_iter().map(|value| Candidate { value, score: 0.1 }).collect()
            }
            _ => {
                f.presence = Presence::Absent;
                continue;
            }
        };
    }
}

/// The choices of an enum key that nothing the text writes settled: every choice is
/// still open (none written), or the key is absent.
fn open_choices(f: &Field) -> Option<Vec<String>> {
    let schema = match &f.part {
        Part::Scalar { candidates, schema } if f.presence == Presence::Present => {
            candidates.iter().all(|c| c.score < 0.7).then_some(schema)?
        }
        Part::Open { schema } if f.presence == Presence::Absent => schema,
        _ => return None,
    };
    enum_strings(schema)
}

/// The string choices of an enum schema.
fn enum_strings(schema: &Value) -> Option<Vec<String>> {
    let choices = schema.get("enum")?.as_array()?;
    Some(choices.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

/// Which of the text's words (`ws`) belong to a choice of any key written as it is.
fn choice_words(fields: &[Field], ws: &[(String, bool)]) -> Vec<bool> {
    let mut written = vec![false; ws.len()];
    for f in fields {
        let all = f.part.schema().and_then(|s| s.get("enum"));
        for c in all.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            for (a, b) in choice_spots(c, ws, false) {
                written[a..b].iter_mut().for_each(|w| *w = true);
            }
        }
    }
    written
}

/// A one-word choice of a key whose choices the text does not write is read from a
/// noun after a determiner that is the choice's first part (`by the river` →
/// `riverside`: both parts of four letters or more; not `over $50` for `overnight`,
/// `in town` for `townhouse`). Only in lower case (`the Mexico office` is no
/// `Mexican`), with no negation in the three words before within the phrase (`isn't
/// by the river`), where the word fits one choice of one key, does not come right
/// before another key's words in its phrase (it says more of that), and the key has
/// no other such word.
fn loose_choices(fields: &mut [Field], text: &str) {
    let places = written_words(text);
    let ws = lowered(&places);
    let lower: Vec<bool> = places.iter().map(|(w, _, _)| !w.chars().any(char::is_uppercase)).collect();
    let written = choice_words(fields, &ws);
    let mut picked: Vec<Option<String>> = vec![None; fields.len()];
    let mut several = vec![false; fields.len()];
    // (where each key's words begin)
    let starts: Vec<Vec<usize>> = fields.iter().map(|f| key_runs(&f.key, &ws).iter().map(|r| r.0).collect()).collect();
    for at in (0..ws.len()).filter(|&at| !written[at] && lower[at]) {
        if ws[phrase_before(&ws, at, 3, |_| false)..at].iter().any(|(w, _)| is_negation_word(w)) {
            continue;
        }
        let mut fits: Vec<(usize, String, usize)> = Vec::new();
        for (k, f) in fields.iter().enumerate() {
            let all = f.part.schema().and_then(|s| s.get("enum")).and_then(Value::as_array);
            for c in all.into_iter().flatten().filter_map(Value::as_str) {
                let cw = words(c);
                // (a noun after a determiner: `by the river`; not `over $50`, `scroll down`)
                let noun = at > 0 && !ws[at - 1].1 && DETERMINERS.contains(&ws[at - 1].0.as_str());
                let last = (cw.len() == 1 && noun && compound_start(&ws[at].0, &cw[0])).then_some(at);
                if let Some(last) = last {
                    fits.push((k, c.to_string(), last));
                }
            }
        }
        let [(k, c, last)] = &fits[..] else { continue };
        // (nor right before another key's words, which it says more of: `riverfront
        // prices`)
        let before_another = !ws[*last].1 && starts.iter().enumerate().any(|(j, s)| j != *k && s.contains(&(last + 1)));
        if open_choices(&fields[*k]).is_none() || before_another {
            continue;
        }
        match &picked[*k] {
            Some(p) if p != c => several[*k] = true,
            _ => picked[*k] = Some(c.clone()),
        }
    }
    for ((f, c), several) in fields.iter_mut().zip(picked).zip(several) {
        let (Some(c), false) = (c, several) else { continue };
        let Some(schema) = f.part.schema().cloned() else { continue };
        f.part = Part::Scalar { candidates: vec![Candidate { value: Value::String(c), score: 0.7 }], schema };
        f.presence = Presence::Present;
    }
}

/// Words that place a thing low, in the middle or high on a scale (`low prices`,
/// `average prices`): a closed class, as bound words are. Praise is no degree:
/// `great prices` are low ones, a `great rating` a high one.
const DEGREE_WORDS: [(Degree, &[&str]); 3] = [
    (Degree::Low, &["low", "cheap", "inexpensive", "affordable", "budget"]),
    (Degree::Middle, &["average", "moderate", "medium", "mid", "middle", "reasonable", "fair"]),
    (Degree::High, &["high", "expensive", "pricey", "costly", "premium"]),
];

/// Where a degree word places a thing on a scale.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Degree {
    Low,
    Middle,
    High,
}

/// The degree a word says, by its root (`moderately`, `highly`; not `prices` for
/// `pricey`), if any.
fn degree_of(w: &str) -> Option<Degree> {
    DEGREE_WORDS.iter().find(|(_, ws)| ws.iter().any(|d| same_root(d, w))).map(|(d, _)| *d)
}

/// Where the text writes choice `c` in other words of its degree (`low prices` for
/// `cheap`, `average prices` for `moderate`): `c` is one word, itself a degree word,
/// and the only one of its key's `choices` of that degree.
fn degree_spots(c: &str, choices: &[String], ws: &[(String, bool)]) -> Vec<(usize, usize)> {
    let one_word_degree = |c: &str| if words(c).len() == 1 { degree_of(&c.to_lowercase()) } else { None };
    let Some(degree) = one_word_degree(c) else { return Vec::new() };
    if choices.iter().filter(|o| one_word_degree(o) == Some(degree)).count() != 1 {
        return Vec::new();
    }
    // (not one that only makes another stronger: `fairly high prices`)
    let intensifies = |i: usize| !ws[i].1 && ws.get(i + 1).is_some_and(|(w, _)| degree_of(w).is_some());
    (0..ws.len())
        .filter(|&i| degree_of(&ws[i].0) == Some(degree) && !same_root(&c.to_lowercase(), &ws[i].0) && !intensifies(i))
        .map(|i| (i, i + 1))
        .collect()
}

/// Whether word `w` is the first part of compound `c`, both of four letters or more
/// (`river` of `riverside`; not `month` of `monthly`, `modern` of `moderate`).
fn compound_start(w: &str, c: &str) -> bool {
    let rest = c.strip_prefix(w).unwrap_or("");
    w.chars().count() >= 4 && rest.chars().count() >= 4 && rest.chars().all(char::is_alphabetic)
}

/// How far after a choice's first number its other numbers may be written
/// (`between £20 and £25`).
const NUMBER_REACH: usize = 3;

/// Words that say a number is a bound from above (`under £20`, `£20 or less`) or
/// below (`over £30`, `from £30`, `£30 plus`): a closed class, as negations are.
const LESS_WORDS: [&str; 9] = ["under", "below", "less", "lower", "cheaper", "within", "max", "most", "up"];
const MORE_WORDS: [&str; 11] =
    ["over", "above", "more", "from", "plus", "higher", "beyond", "start", "starts", "starting", "least"];
/// Words that say a number is about right, no bound (`around $100`).
const ABOUT_WORDS: [&str; 5] = ["around", "about", "approximately", "roughly", "nearly"];

/// The bound a word says (a number is at most, at least or about it), if any.
fn bound_word(w: &str) -> Option<Bound> {
    if LESS_WORDS.contains(&w) {
        Some(Bound::AtMost)
    } else if MORE_WORDS.contains(&w) {
        Some(Bound::AtLeast)
    } else if ABOUT_WORDS.contains(&w) {
        Some(Bound::About)
    } else {
        None
    }
}

/// The currency a sign or name stands for (`£`, `pounds`: `GBP`).
fn currency_of(s: &str) -> Option<&'static str> {
    match crate::currency::written(s).as_deref() {
        Some([(_, code)]) => Some(code),
        _ => None,
    }
}

/// What a bound word says of a number.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bound {
    AtMost,
    AtLeast,
    About,
}

/// A choice that holds numbers and more (`5 out of 5`, `more than £30`, `£20-25`), of
/// a key whose choices the text does not write, is read from a number the text
/// writes (`a 5 star rating` → `5 out of 5`, `prices over £30` → `more than £30`,
/// `between £20 and £25` → `£20-25`). The number is a whole one (not a part of
/// `4.5`, `7:30` or `1,500`), outside every written choice, not the second of a pair
/// (`4 out of 5`), not negated, and a number in words only in lower case and not
/// before `of` (`All Bar One`, `one of the best` are no numbers); it has a currency
/// sign or name exactly where the choice has one (`£20`, `20 pounds`; not `20
/// minutes`), and a choice with none is read only where the text names its key
/// (`rated 3 stars`; not `tables for 5`). It goes to the choices whose first number it
/// is and whose bound word agrees with the text's (`under £20` is not `more than
/// £20`; a bound the text writes fits a choice with none only where it is a range
/// written whole, `from £20 to £25`); of those, to the ones with the most of their other
/// numbers written within [`NUMBER_REACH`] words after it, then the fewest left
/// unwritten (`£20` → `less than £20` rather than `£20-25`). A number that fits the
/// choices of more than one key, or that another key may take as its value (`send 3
/// bags`), is left alone; a key that takes several picks among them.
fn number_choices(fields: &mut [Field], text: &str) {
    let as_written = written_words(text);
    let ws = lowered(&as_written);
    let places: Vec<(bool, (usize, usize))> =
        as_written.into_iter().map(|(w, _, at)| (!w.chars().any(char::is_uppercase), at)).collect();
    let chars: Vec<char> = text.chars().collect();
    let numeral = |w: &str| w.parse::<u64>().ok().or_else(|| crate::align::number_word(w));
    let sign = |c: Option<&char>| c.is_some_and(|c| "£$€¥".contains(*c));
    // (a choice's numbers, the currency of a sign before its first, its bound if any,
    // whether it holds more than numbers, and its unit)
    let read_choice = |c: &str| {
        let cw = phrase_words(c);
        let nums: Vec<u64> = cw.iter().filter_map(|(w, _)| numeral(w)).collect();
        let cs: Vec<char> = c.chars().collect();
        let signed = cs.iter().position(char::is_ascii_digit).and_then(|d| cs.get(d.checked_sub(1)?)).copied();
        let signed = signed.filter(|c| sign(Some(c))).and_then(|c| currency_of(&c.to_string()));
        let bound = cw.iter().find_map(|(w, _)| bound_word(w));
        let more = cw.len() > nums.len() || signed.is_some();
        // (the word right after its first number, where no other number follows: a
        // unit, `1 hour`; `5 out of 5` and `£20-25` are scales)
        let first = cw.iter().position(|(w, _)| numeral(w).is_some());
        let unit = first.and_then(|i| cw.get(i + 1)).filter(|_| nums.len() == 1).map(|(w, _)| w.clone());
        (nums, signed, bound, more, unit)
    };
    // (the words of every choice the text writes, of any key, are no number of their own)
    let mut written = choice_words(fields, &ws);
    let mut picked: Vec<Vec<String>> = vec![Vec::new(); fields.len()];
    for at in 0..ws.len() {
        let (lower, (start, end)) = places[at];
        let digits = ws[at].0.chars().all(|c| c.is_ascii_digit());
        let Some(n) = numeral(&ws[at].0).filter(|_| !written[at] && (digits || lower)) else { continue };
        // (a whole number: not `4.5`, `7:30`, `1,500`)
        let joined = |c: Option<&char>, d: Option<&char>| {
            c.is_some_and(|c| ".,:".contains(*c)) && d.is_some_and(char::is_ascii_digit)
        };
        let part = start >= 2 && joined(chars.get(start - 1), chars.get(start - 2))
            || joined(chars.get(end), chars.get(end + 1));
        // (the words before it within its phrase, at most two)
        let before: Vec<&str> = ws[phrase_before(&ws, at, 2, |_| false)..at].iter().map(|(w, _)| w.as_str()).collect();
        // (the second of a pair: `4 out of 5`, `£20 to £25`; not `£30 and a three
        // star rating`)
        let paired = ws[phrase_before(&ws, at, NUMBER_REACH, |w| DETERMINERS.contains(&w))..at]
            .iter()
            .any(|(w, _)| numeral(w).is_some());
        let of_next = !digits && ws.get(at + 1).is_some_and(|(w, _)| w == "of");
        if part || paired || of_next || before.iter().any(|w| is_negation_word(w)) {
            continue;
        }
        // (a number another key may take as its value is that key's: `order 5 bags`)
        let a_value = fields.iter().any(|f| match &f.part {
            Part::Scalar { candidates, schema } if f.presence == Presence::Present && schema.get("enum").is_none() => {
                candidates.iter().any(|c| c.value.as_f64() == Some(n as f64))
            }
            _ => false,
        });
        if a_value {
            continue;
        }
        let after_word = ws.get(at + 1).filter(|_| !ws[at].1).map(|(w, _)| w.as_str());
        // (a capitalised word after it makes it part of a name: `5 Bridge Street`)
        if after_word.is_some() && !places[at + 1].0 {
            continue;
        }
        // (the currency written at it: a sign before it, or a name after it)
        let before_sign = start.checked_sub(1).and_then(|b| chars.get(b)).filter(|c| sign(Some(c)));
        let money = match (before_sign, after_word.filter(|w| crate::currency::is_name(w))) {
            (Some(c), _) if digits => currency_of(&c.to_string()),
            (_, Some(w)) => currency_of(w),
            _ => None,
        };
        // (its bound: a word before it, or one of the two after it: `£20 or less`)
        let after_two: Vec<&str> = (at + 1..(at + 3).min(ws.len()))
            .filter(|&j| ws[at..j].iter().all(|(_, end)| !end))
            .map(|j| ws[j].0.as_str())
            .collect();
        let bound = before.iter().chain(&after_two).find_map(|w| bound_word(w));
        // (the numbers written within reach after it, within its phrase, and where)
        let mut after: Vec<(usize, u64)> = Vec::new();
        let mut i = at;
        while !ws[i].1 && i + 1 < ws.len() && i < at + NUMBER_REACH {
            i += 1;
            after.extend(
                numeral(&ws[i].0)
                    .filter(|_| (places[i].0 || ws[i].0.chars().all(|c| c.is_ascii_digit())) && !written[i])
                    .map(|m| (i, m)),
            );
        }
        // (each choice whose first number this is: the key, the choice, where its other
        // numbers are written, and how well it fits)
        let mut fitting: Vec<NumberFit> = Vec::new();
        for (k, f) in fields.iter().enumerate() {
            let named = !key_runs(&f.key, &ws).is_empty();
            for c in open_choices(f).into_iter().flatten() {
                let (nums, signed, own_bound, more, unit) = read_choice(&c);
                let same_unit = match (&unit, after_word) {
                    (Some(u), Some(w)) => crate::align::written_as(u, w) || stem(u) == stem(w),
                    (Some(_), None) => false,
                    _ => true,
                };
                if nums.first() != Some(&n) || !more || signed != money || !(signed.is_some() || named) || !same_unit {
                    continue;
                }
                let mut left = after.clone();
                let found: Vec<usize> = nums[1..]
                    .iter()
                    .filter_map(|m| left.iter().position(|x| x.1 == *m).map(|i| left.remove(i).0))
                    .collect();
                // (a bound the text writes is the choice's, or the choice is a range
                // written whole: `from £20 to £25`, not `above £20` for `£20-25`)
                let whole_range = found.len() + 1 == nums.len() && nums.len() > 1;
                let agrees = match (bound, own_bound) {
                    (Some(a), Some(b)) => a == b,
                    (Some(_), None) => whole_range,
                    (None, Some(_)) => false,
                    (None, None) => true,
                };
                // (and the text writes no other number in reach that it leaves out: `3
                // out of 10` is no `3 out of 5`)
                let other = after.iter().any(|(i, _)| !found.contains(i)) && found.len() + 1 < nums.len();
                if !agrees || other {
                    continue;
                }
                let fit = (found.len(), std::cmp::Reverse(nums.len() - 1 - found.len()));
                fitting.push((k, c, found, fit));
            }
        }
        let Some(k) = fitting.first().map(|f| f.0) else { continue };
        if fitting.iter().any(|f| f.0 != k) {
            continue;
        }
        let best = fitting.iter().map(|f| f.3).max();
        for (_, c, found, _) in fitting.into_iter().filter(|f| Some(f.3) == best) {
            // (its other numbers are read with it: `£25` of `between £20 and £25`)
            found.into_iter().for_each(|i| written[i] = true);
            if !picked[k].contains(&c) {
                picked[k].push(c);
            }
        }
    }
    for (f, choices) in fields.iter_mut().zip(picked).filter(|(_, c)| !c.is_empty()) {
        let Some(schema) = f.part.schema().cloned() else { continue };
        let score = if choices.len() == 1 { 1.0 } else { 0.5 };
        let candidates = choices.into_iter().map(|c| Candidate { value: Value::String(c), score }).collect();
        f.part = Part::Scalar { candidates, schema };
        f.presence = Presence::Present;
    }
}

/// A choice a number fits: (field, choice, where its other numbers are written, how
/// well: those written, fewer left unwritten).
type NumberFit = (usize, String, Vec<usize>, (usize, std::cmp::Reverse<usize>));

/// A key's claim on a written choice: (by part of the key's words only, distance,
/// longer first, field, choice, where it is written), in the order claims are granted.
type ChoiceClaim = (bool, usize, std::cmp::Reverse<usize>, usize, String, (usize, usize));

/// The text's words in lower case, each with whether a phrase ends right after it
/// (`,` `;` `.` `!` `?` or a bracket before the next word).
fn phrase_words(text: &str) -> Vec<(String, bool)> {
    lowered(&written_words(text))
}

/// [`written_words`] as [`phrase_words`] has them.
fn lowered(written: &[(String, bool, (usize, usize))]) -> Vec<(String, bool)> {
    written.iter().map(|(w, end, _)| (w.to_lowercase(), *end)).collect()
}

/// Where the words before `at` within its phrase begin: at most `n` of them, and
/// none that `stop` holds for (it and those before it are left out).
fn phrase_before(ws: &[(String, bool)], at: usize, n: usize, stop: impl Fn(&str) -> bool) -> usize {
    (at.saturating_sub(n)..at).find(|&b| ws[b..at].iter().all(|(w, end)| !end && !stop(w))).unwrap_or(at)
}

/// [`phrase_words`] as the text writes them, case and all, each with where it is
/// (its first character and the one after it, counted in characters; the `not` of
/// `isn't` is where its `'` is).
fn written_words(text: &str) -> Vec<(String, bool, (usize, usize))> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<(String, bool, (usize, usize))> = Vec::new();
    let mut word = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c.is_alphanumeric() {
            word.push(c);
            continue;
        }
        // (`isn't`, `don't`: the word and a `not`)
        let contracted = matches!(c, '\'' | '’')
            && word.ends_with(['n', 'N'])
            && matches!(chars.get(i), Some('t' | 'T'))
            && !chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
        if !word.is_empty() {
            let start = i - 1 - word.chars().count();
            out.push((std::mem::take(&mut word), false, (start, i - 1)));
        }
        if contracted {
            out.push(("not".into(), false, (i - 1, i - 1)));
            i += 1;
        }
        if ",;.!?()[]".contains(c) {
            if let Some(last) = out.last_mut() {
                last.1 = true;
            }
        }
    }
    if !word.is_empty() {
        let start = chars.len() - word.chars().count();
        out.push((word, false, (start, chars.len())));
    }
    out
}

/// Where a key's words are written ([`content_words`], as
/// [`crate::align::same_word`]): each run of them within a phrase (`customer rating`).
fn key_runs(key: &str, ws: &[(String, bool)]) -> Vec<(usize, usize)> {
    let kw = content_words(key);
    let mut out: Vec<(usize, usize)> = Vec::new();
    for i in (0..ws.len()).filter(|&i| kw.iter().any(|k| loosely(k, &ws[i].0))) {
        match out.last_mut() {
            Some((_, end)) if *end == i && !ws[i - 1].1 => *end = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

/// Every place a choice is written: its words in a row within a phrase, as
/// [`crate::align::written_as`] reads them, or [`loosely`] where `loose` (a claim may
/// read `highly` as `high`; that another key took a choice the text writes is read
/// strictly). A choice of one or two characters, `A`, is left to [`value::choose`].
fn choice_spots(choice: &str, ws: &[(String, bool)], loose: bool) -> Vec<(usize, usize)> {
    let cw = words(choice);
    if cw.is_empty() || choice.chars().count() <= 2 || cw.len() > ws.len() {
        return Vec::new();
    }
    let same = |c: &str, w: &str| if loose { loosely(c, w) } else { crate::align::written_as(c, w) };
    (0..=ws.len() - cw.len())
        .filter(|&i| cw.iter().zip(&ws[i..]).all(|(c, (w, _))| same(c, w)))
        .filter(|&i| ws[i..i + cw.len() - 1].iter().all(|(_, end)| !end))
        .map(|i| (i, i + cw.len()))
        .collect()
}

/// Whether text word `w` is word `k` (of a key or a choice) in another form: by
/// [`names`], or by the same root of three letters or more once `-ly` and then
/// `-ing`, `-ed` or `-e` come off (`moderately` / `moderate`, `rated` / `rating`,
/// `highly` / `high`).
fn loosely(k: &str, w: &str) -> bool {
    names(k, w) || same_root(k, w)
}

/// Whether two words are one as written ([`crate::align::written_as`]) or by the same
/// root of three letters or more once `-ly` and then `-ing`, `-ed` or `-e` come off.
fn same_root(k: &str, w: &str) -> bool {
    fn root(w: &str) -> &str {
        let w = w.strip_suffix("ly").filter(|s| s.len() >= 3).unwrap_or(w);
        ["ing", "ed", "e"].iter().find_map(|end| w.strip_suffix(end).filter(|s| s.len() >= 3)).unwrap_or(w)
    }
    crate::align::written_as(k, w) || (root(k).len() >= 3 && root(k) == root(w))
}

/// How far choice `at` is from the key's words `run`: 0 right before them, else the
/// words between them and the choice after them, at most [`CHOICE_REACH`]; `None`
/// across a phrase's end, past that reach, or after a negation (`not high`).
fn choice_distance(at: (usize, usize), run: (usize, usize), ws: &[(String, bool)]) -> Option<usize> {
    let negates = |from: usize, to: usize| ws[from..to].iter().any(|(w, _)| is_negation_word(w));
    if at.1 == run.0 {
        // (the two words before the choice, within its phrase)
        let from = phrase_before(ws, at.0, 2, |_| false);
        return (!ws[at.1 - 1].1 && !negates(from, at.0)).then_some(0);
    }
    let gap = at.0.checked_sub(run.1)?;
    let one_phrase = ws[run.1 - 1..at.0].iter().all(|(_, end)| !end);
    // (the two words before the key's words too, within its phrase: `not rated highly`)
    let from = phrase_before(ws, run.0, 2, |_| false);
    (gap <= CHOICE_REACH && one_phrase && !negates(from, at.0)).then_some(gap)
}

/// The words after word `i` to the end of its clause: its phrase's end, or before
/// `and`, `or` or a relative pronoun (`that`, `which`, `who`, `where`).
fn clause_after(ws: &[(String, bool)], i: usize) -> &[(String, bool)] {
    if ws[i].1 {
        return &[];
    }
    let rest = &ws[i + 1..];
    let opens = |w: &str| is_coordinator(w) || matches!(w, "that" | "which" | "who" | "where");
    let end =
        rest.iter()
            .position(|(w, end)| *end || opens(w))
            .map_or(rest.len(), |j| if opens(&rest[j].0) { j } else { j + 1 });
    &rest[..end]
}

/// `is`, `are`, `was`, `were`: the verb that says what a thing is.
fn is_copula(w: &str) -> bool {
    matches!(w, "is" | "are" | "was" | "were")
}

/// `and`, `or`: a word that joins two phrases, not a word of one.
fn is_coordinator(w: &str) -> bool {
    matches!(w, "and" | "or")
}

/// A candidate anchor: (more key words around first, distance, side, field, token).
type Anchor = (std::cmp::Reverse<usize>, usize, usize, usize, usize);

/// The ordinal words that number a key (`first_note_frequency`).
const ORDINALS: [&str; 5] = ["first", "second", "third", "fourth", "fifth"];

/// Keys numbered in a row (`number1`, `number2`; `charge_1`, `charge_2`;
/// `first_note_frequency`, `second_note_frequency`) take a run of as many values
/// written in a row (`36 and 48`, `1e-9 and 2e-9`, `440Hz and 880Hz`), in order,
/// before any other anchor: the text lists them as the schema numbers them.
fn siblings_in_order(fields: &[Field], toks: &[Token], fits: &dyn Fn(&Field, &Token) -> bool, pairs: &mut Vec<Anchor>) {
    // (by a number at its end, or by an ordinal word: `first_note_frequency`)
    let numbered = |key: &str| {
        let stem = key.trim_end_matches(|c: char| c.is_ascii_digit());
        if let Ok(n) = key[stem.len()..].parse() {
            return Some((stem.trim_end_matches('_').to_string(), n));
        }
        let kw = words(key);
        let (at, n) = kw.iter().enumerate().find_map(|(i, w)| Some((i, ORDINALS.iter().position(|o| o == w)? + 1)))?;
        let rest: Vec<&str> = kw.iter().enumerate().filter(|&(i, _)| i != at).map(|(_, w)| w.as_str()).collect();
        Some((rest.join("_"), n))
    };
    let mut groups: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for (k, f) in fields.iter().enumerate().filter(|(_, f)| f.presence == Presence::Present) {
        let Some((stem, n)) = numbered(&f.key) else { continue };
        match groups.iter_mut().find(|(s, _)| *s == stem) {
            Some((_, members)) => members.push((n, k)),
            None => groups.push((stem, vec![(n, k)])),
        }
    }
    for (_, mut members) in groups.into_iter().filter(|(s, m)| !s.is_empty() && m.len() >= 2) {
        members.sort_unstable();
        // A run is a list token followed by its numbers, one token each.
        let mut runs = toks.iter().enumerate().filter_map(|(j, t)| match t {
            Token::List(xs) if xs.len() == members.len() && matches!(toks.get(j + 1), Some(Token::Number(_))) => {
                let at: Vec<usize> =
                    (j + 1..toks.len()).filter(|&i| matches!(toks[i], Token::Number(_))).take(xs.len()).collect();
                // (not a bracketed list, whose numbers are no tokens of their own)
                let own = at.len() == xs.len() && at.iter().zip(xs).all(|(&i, x)| toks[i] == Token::Number(x.clone()));
                own.then_some(at)
            }
            _ => None,
        });
        let Some(at) = runs.find(|at| members.iter().zip(at).all(|(&(_, k), &i)| fits(&fields[k], &toks[i]))) else {
            continue;
        };
        for (&(_, k), &i) in members.iter().zip(&at) {
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, k, i));
        }
    }
}

/// Whether text word `w` is key word `k`: itself for a word under three letters
/// (`a=1`, a unit `c`), else by [`names`].
fn is_key_word(k: &str, w: &str) -> bool {
    if k.len() < 3 {
        k == w
    } else {
        names(k, w)
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

    /// The field of `key` in the plan of an object.
    fn field<'p>(p: &'p Plan, key: &str) -> &'p Field {
        let Part::Object { fields, .. } = &p.root else { panic!("not an object: {p}") };
        fields.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("no {key}: {p}"))
    }

    #[test]
    fn an_example_ending_in_a_code_lets_the_span_end_in_one() {
        assert_eq!(example_code("The city and state, e.g. Los Angeles, CA"), Some(2));
        assert_eq!(example_code("The city, for instance Boston, MA"), Some(2));
        assert_eq!(example_code("e.g., New York City, NY. Required."), Some(2));
        assert_eq!(example_code("e.g. New York, NY, you should format it as such"), Some(2));
        assert_eq!(example_code("Blood tests to run (e.g., CBC, CMP)"), None);
        assert_eq!(example_code("The city, e.g. Paris, France"), None);
        assert_eq!(example_code("e.g. Use the API, ID required"), None);
        assert_eq!(example_code("The platform (e.g. Windows 10, PS5)"), None);
        assert_eq!(example_code("The city and state"), None);
        let schema = json!({"type": "object", "required": ["location"], "properties": {
            "location": {"type": "string", "description": "The city and state, e.g. Denver, CO"},
            "cuisine": {"type": "string", "description": "The kind of food"}}});
        let p = plan(&schema, "Find a vegan restaurant in Denver.");
        let Part::Object { fields, .. } = &p.root else { panic!("{p}") };
        let Part::Span { schema } = &fields[0].part else { panic!("{p}") };
        assert_eq!(schema[CODE], json!(2));
        assert!(p.to_string().contains("a name from the text and a code of 2 capitals"), "{p}");
    }

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
        let toks = tokens("from (33.4484 N, 112.0740 W) to");
        assert!(toks.contains(&Token::List(vec![json!(33.4484), json!(-112.074)])), "{toks:?}");
        let toks = tokens("scores 85, 90, 88; then 1");
        assert!(toks.contains(&Token::List(vec![json!(85), json!(90), json!(88)])), "{toks:?}");
        let toks = tokens("the 2nd, 3rd and 4th floors");
        assert!(toks.contains(&Token::List(vec![json!(2), json!(3), json!(4)])), "{toks:?}");
        assert!(tokens("ports 443 and 80 open").contains(&Token::List(vec![json!(443), json!(80)])));
    }

    #[test]
    fn a_list_of_names_is_spans_of_the_text_as_many_as_it_lists() {
        let schema = json!({"type": "object", "required": ["companies", "tags"], "properties": {
            "companies": {"type": "array", "items": {"type": "string"}},
            "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}}});
        let p = plan(&schema, "Stock prices of Microsoft and Google for the last 2 weeks.");
        let Part::Object { fields, .. } = &p.root else { panic!() };
        let Part::Span { schema } = &fields[0].part else { panic!("{p}") };
        assert_eq!(schema["maxItems"], json!(2), "one `and`: two items at most");
        assert!(p.root.allows(&json!({"companies": ["Microsoft", "Google"], "tags": ["a"]})));
        let Part::Open { schema } = &fields[1].part else { panic!("{p}") };
        assert_eq!(schema["maxItems"], json!(2), "a list of choices is bounded the same way");
    }

    #[test]
    fn a_device_sentence_units_after_numbers_and_its_identifier() {
        let schema = json!({"type": "object", "required": ["temperature_c"], "properties": {
            "sensor_id": {"type": "string"}, "temperature_c": {"type": "number"},
            "humidity_pct": {"type": "number"}, "time": {"type": "string"}}});
        let p = plan(&schema, "Node barn-2 reports 19.5 C and 48 % relative humidity; fan on.");
        assert_eq!(p.forced(), Some(json!({"sensor_id": "barn-2", "temperature_c": 19.5, "humidity_pct": 48})), "{p}");
        let p = plan(&schema, "Shed-4 says temp 8.5C, humidity 70% at 06:10");
        assert_eq!(
            p.forced(),
            Some(json!({"sensor_id": "Shed-4", "temperature_c": 8.5, "humidity_pct": 70, "time": "06:10"})),
            "a measure (8.5C) is no identifier, and a time key takes the time the text writes: {p}"
        );
    }

    #[test]
    fn keys_named_in_a_row_take_values_written_in_a_row() {
        let schema = json!({"type": "object", "required": ["base", "height"], "properties": {
            "base": {"type": "integer"}, "height": {"type": "integer"}}});
        let p = plan(&schema, "Area of a triangle given its base and height as 6cm and 10cm.");
        assert_eq!(p.forced(), Some(json!({"base": 6, "height": 10})), "{p}");
    }

    #[test]
    fn an_identifier_after_a_key_is_its_value_and_nested_objects_are_planned_too() {
        let schema = json!({"type": "object", "required": ["gateway", "site"], "properties": {
            "gateway": {"type": "string"},
            "site": {"type": "object", "required": ["rack"], "properties": {"rack": {"type": "string"}}}}});
        let p = plan(&schema, "Gateway gw-north-2 is up in rack R-14.");
        assert_eq!(p.forced(), Some(json!({"gateway": "gw-north-2", "site": {"rack": "R-14"}})), "{p}");
        let toks = tokens("order ORD-88020, 6cm");
        assert_eq!(toks[1], Token::Ident("ORD-88020".into()));
        assert_eq!(toks[3], Token::Number(json!(6)), "a measure is no identifier: {toks:?}");
    }

    #[test]
    fn a_list_of_numbers_no_list_writes_is_picked_among_the_text_numbers() {
        let schema = json!({"type": "object", "required": ["quantities"], "properties": {
            "quantities": {"type": "array", "items": {"type": "integer"}}}});
        let p = plan(&schema, "The price of three pumpkins and 24 eggs at the store.");
        let Part::Object { fields, .. } = &p.root else { panic!() };
        assert!(matches!(fields[0].part, Part::List { max: 2, .. }), "{p}");
        assert!(p.root.allows(&json!({"quantities": [3, 24]})));
        assert!(!p.root.allows(&json!({"quantities": [3, 24, 3]})), "two numbers written: two items at most");
    }

    #[test]
    fn numbered_keys_take_a_run_in_order_and_scale_words_multiply() {
        let schema = json!({"type": "object", "required": ["side1", "side2", "budget"], "properties": {
            "side1": {"type": "number"}, "side2": {"type": "number"}, "budget": {"type": "integer"},
            "gain": {"type": "number"}, "decay": {"type": "number"}, "spare": {"type": "integer"}}});
        let p = plan(&schema, "Two sides of 3.5 and 7, a budget of 2 million, gain 0.2 and decay of 0.9, spares.");
        assert_eq!(
            p.forced(),
            Some(json!({"side1": 3.5, "side2": 7, "budget": 2000000, "gain": 0.2, "decay": 0.9})),
            "`two sides` counts the keys; `0.2 and decay` is no value before `decay`; an optional \
             number named with no value next to it is left out: {p}"
        );
    }

    #[test]
    fn a_count_of_times_takes_a_frequency_written_as_a_word() {
        let schema = json!({"type": "object", "required": ["deposit", "years"], "properties": {
            "deposit": {"type": "integer"}, "years": {"type": "integer"},
            "payments_per_year": {"type": "integer"}}});
        let p = plan(&schema, "A deposit of 900 paid back weekly over 4 years.");
        assert_eq!(p.forced(), Some(json!({"deposit": 900, "years": 4, "payments_per_year": 52})), "{p}");
        let p = plan(&schema, "A deposit of 900 paid semi-annually over 4 years.");
        assert_eq!(p.forced(), Some(json!({"deposit": 900, "years": 4, "payments_per_year": 2})), "{p}");
        let p = plan(&schema, "A deposit of 900 paid bi-weekly over 4 years.");
        assert_eq!(p.forced(), Some(json!({"deposit": 900, "years": 4})), "bi-weekly says two things: {p}");
        let p = plan(&schema, "A deposit of 900, monthly or weekly, over 4 years.");
        assert_eq!(p.forced(), Some(json!({"deposit": 900, "years": 4})), "two frequencies: none: {p}");
    }

    #[test]
    fn currency_keys_take_codes_and_the_amounts_is_the_source() {
        let pair = |from: &str, to: &str| {
            json!({"type": "object", "required": [from, to, "amount"], "properties": {
                from: {"type": "string"}, to: {"type": "string"}, "amount": {"type": "number"}}})
        };
        let schema = pair("from_currency", "to_currency");
        let p = plan(&schema, "What are my 80 Swiss francs worth in euros?");
        assert_eq!(p.forced(), Some(json!({"from_currency": "CHF", "to_currency": "EUR", "amount": 80})), "{p}");
        let schema = pair("base_currency", "target_currency");
        let p = plan(&schema, "How many Australian dollars do I get for $120?");
        assert_eq!(p.forced(), Some(json!({"base_currency": "USD", "target_currency": "AUD", "amount": 120})), "{p}");
        let p = plan(&schema, "Rate from Indian rupees to yen, amount 5000.");
        assert_eq!(p.forced(), Some(json!({"base_currency": "INR", "target_currency": "JPY", "amount": 5000})), "{p}");
        let p = plan(&schema, "Swap 300 of my savings between yen and rupees.");
        let Part::Object { fields, .. } = &p.root else { panic!() };
        assert!(
            fields.iter().take(2).all(|f| f.part.allows(&json!("JPY")) && f.part.allows(&json!("INR"))),
            "no side told: the model picks: {p}"
        );
        let p = plan(&schema, "Convert 300 rupees for my trip.");
        assert!(matches!(field(&p, "base_currency").part, Part::Span { .. }), "one currency for two keys: spans: {p}");
    }

    #[test]
    fn numbered_keys_take_values_written_with_one_unit_in_order() {
        let schema = json!({"type": "object", "required": ["resistor1", "resistor2"], "properties": {
            "resistor1": {"type": "number"}, "resistor2": {"type": "number"}}});
        let p = plan(&schema, "Put two resistors of 220 ohm and 330 ohm in series.");
        assert_eq!(p.forced(), Some(json!({"resistor1": 220, "resistor2": 330})), "`two` counts the keys: {p}");
        let schema = json!({"type": "object", "required": ["first_tone_hz", "second_tone_hz"], "properties": {
            "first_tone_hz": {"type": "integer"}, "second_tone_hz": {"type": "integer"}}});
        let p = plan(&schema, "Mix two tones of 300Hz and 500Hz for a beat.");
        assert_eq!(p.forced(), Some(json!({"first_tone_hz": 300, "second_tone_hz": 500})), "{p}");
        let p = plan(&schema, "Mix two tones of 300 apples and 500 pears.");
        assert_ne!(p.forced(), Some(json!({"first_tone_hz": 300, "second_tone_hz": 500})), "two units: no run: {p}");
    }

    #[test]
    fn a_choice_written_next_to_a_keys_words_is_that_keys() {
        let levels = json!({"type": "string", "enum": ["low", "medium", "high"]});
        let schema = json!({"type": "object", "required": ["priority"], "properties": {
            "priority": levels, "impact": levels, "cost": levels}});
        let p = plan(&schema, "Printer jammed again, high priority but low impact.");
        assert_eq!(p.forced(), Some(json!({"priority": "high", "impact": "low"})), "{p}");
        let p = plan(&schema, "Impact is low, priority high.");
        assert_eq!(p.forced(), Some(json!({"priority": "high", "impact": "low"})), "{p}");
        let p = plan(&schema, "Impact is high, priority low.");
        assert_eq!(p.forced(), Some(json!({"priority": "low", "impact": "high"})), "not across a comma: {p}");
        let p = plan(&schema, "Toner is running low again, high priority.");
        assert_eq!(p.forced(), Some(json!({"priority": "high"})), "keys the text does not name: {p}");
        for text in ["This is not a high priority.", "Priority isn't high."] {
            assert_ne!(plan(&schema, text).forced(), Some(json!({"priority": "high"})), "{text}");
        }
        let p = plan(&schema, "Low impact, high priority, cost unknown.");
        assert_eq!(p.forced(), Some(json!({"priority": "high", "impact": "low"})), "one choice left is no answer: {p}");
        let formats = json!({"type": "string", "enum": ["json", "csv", "xml"]});
        let io = json!({"type": "object", "properties": {"input_format": formats, "output_format": formats}});
        let p = plan(&io, "Output format CSV, input format JSON.");
        assert_eq!(p.forced(), Some(json!({"input_format": "json", "output_format": "csv"})), "{p}");
        let p = plan(&schema, "The VPN drops every hour; low priority.");
        assert_eq!(p.forced(), Some(json!({"priority": "low"})), "`low priority` says nothing of the impact: {p}");
        let p = plan(&schema, "High impact, and about the cost: unclear.");
        let cost = field(&p, "cost");
        assert!(cost.part.allows(&json!("low")) && !cost.part.allows(&json!("high")), "a key the text names: {p}");
        let p = plan(&schema, "Low impact.");
        assert_eq!(field(&p, "cost").presence, Presence::Absent, "{p}");
        assert!(
            field(&p, "priority").part.allows(&json!("medium")),
            "a required key the text leaves is the model's: {p}"
        );
    }

    #[test]
    fn a_choice_holding_numbers_is_read_from_the_numbers_written() {
        let schema = json!({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"},
            "price": {"type": "string", "enum": ["cheap", "less than £10", "£10-15", "more than £15"]},
            "stars": {"type": "string", "enum": ["poor", "good", "1 out of 3", "2 out of 3", "3 out of 3"]}}});
        // (the values a key may take)
        let choices = |p: &Plan, key: &str| match &field(p, key).part {
            Part::Scalar { candidates, .. } => candidates.iter().map(|c| c.value.clone()).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        let p = plan(&schema, "Basil is a 2 star bistro near Mill Road. Dinner starts at £15.");
        assert_eq!(choices(&p, "stars"), [json!("2 out of 3")], "{p}");
        assert_eq!(choices(&p, "price"), [json!("more than £15")], "{p}");
        for (text, price) in [
            ("Lunch at Basil costs between £10 and £15.", "£10-15"),
            ("Lunch at Basil costs £10 to £15.", "£10-15"),
            ("Lunch at Basil is under £10.", "less than £10"),
            ("Lunch at Basil is under ten pounds.", "less than £10"),
        ] {
            let p = plan(&schema, text);
            assert_eq!(choices(&p, "price"), [json!(price)], "{text}: {p}");
        }
        let p = plan(&schema, "Basil, a three-star bistro.");
        assert_eq!(choices(&p, "stars"), [json!("3 out of 3")], "{p}");
        let p = plan(&schema, "Basil is under £10 and a three star bistro.");
        assert_eq!(choices(&p, "stars"), [json!("3 out of 3")], "not the second of a pair: {p}");
        // (a number in words that is part of a name is no number: `Two Rivers`)
        let p = plan(&schema, "Basil is near Two Rivers.");
        assert_eq!(field(&p, "stars").presence, Presence::Absent, "{p}");
        for text in [
            "Basil is a bistro with dinner above £10.",
            "Basil is a bistro with dinner under £15.",
            "Basil is 10 minutes from the station.",
            "Basil opens at 10:30.",
            "Basil charges about £10.50 for lunch.",
            "Basil is one of the best bistros, with tables for 2.",
            "Basil is rated 1 out of 2 by critics.",
            "Basil is not a 2 star bistro.",
            "Basil is a bistro rated by 3 critics.",
            "Basil is rated 2.5 by critics.",
            "Dinner at Basil is up to £15.",
            "Dinner at Basil costs around £15.",
            "Dinner at Basil costs $15 or more.",
            "Basil is rated 2 out of 10 by its stars.",
            "Basil, at 2 Mill Road, has stars.",
        ] {
            let p = plan(&schema, text);
            assert!(choices(&p, "price").len() != 1 && choices(&p, "stars").len() != 1, "{text}: {p}");
        }
        // (a number another key takes is that key's)
        let order = json!({"type": "object", "properties": {
            "bags": {"type": "integer"}, "size": {"type": "string", "enum": ["1 kg", "3 kg"]}}});
        let p = plan(&order, "Send 3 bags of flour.");
        assert_eq!(field(&p, "size").presence, Presence::Absent, "{p}");
    }

    #[test]
    fn a_choice_inside_a_name_another_key_takes_is_no_choice() {
        let schema = json!({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "near": {"type": "string"},
            "food": {"type": "string", "enum": ["Indian", "English"]}}});
        let p = plan(&schema, "Zizzi is a pub near Raja Indian Cuisine.");
        assert_eq!(p.forced(), Some(json!({"name": "Zizzi", "near": "Raja Indian Cuisine"})), "{p}");
        let p = plan(&schema, "Zizzi is an Indian pub near Raja Indian Cuisine.");
        assert_eq!(first(&p, "food"), json!("Indian"), "written outside the name too: {p}");
        let p = plan(&schema, "Near Café Rouge Indian restaurant Zizzi serves cheap meals.");
        assert_eq!(field(&p, "food").presence, Presence::Present, "the name may run on: {p}");
    }

    #[test]
    fn a_degree_word_by_a_keys_words_picks_its_choice_of_that_degree() {
        let schema = json!({"type": "object", "properties": {
            "priceRange": {"type": "string", "enum": ["cheap", "moderate", "high", "less than £20", "£20-25"]},
            "customer rating": {"type": "string", "enum": ["low", "average", "high", "5 out of 5"]}}});
        for (text, want) in [
            ("A pub with low prices.", json!({"priceRange": "cheap"})),
            ("A fairly priced pub.", json!({"priceRange": "moderate"})),
            ("A pub with fairly high prices.", json!({"priceRange": "high"})),
            (
                "A pub with low prices, rated 5 out of 5.",
                json!({"priceRange": "cheap", "customer rating": "5 out of 5"}),
            ),
            (
                "Its prices are average and the customer rating is high.",
                json!({"priceRange": "moderate", "customer rating": "high"}),
            ),
        ] {
            assert_eq!(plan(&schema, text).forced(), Some(want), "{text}");
        }
        for text in [
            "A pub with great customer service.",
            "The customer service is great.",
            "Prices are not low.",
            "It is averagely priced at 20 to 25 pounds.",
            "A pub with great prices.",
            "A pub with good prices and affordable food.",
            "A pub with an average range of dishes.",
            "Its food hygiene rating is poor.",
        ] {
            let p = plan(&schema, text);
            let Part::Object { fields, .. } = &p.root else { panic!() };
            let settled = fields.iter().filter(|f| {
                matches!(&f.part, Part::Scalar { candidates, .. }
                if candidates.len() == 1 && candidates[0].score >= 1.0)
            });
            assert_eq!(settled.count(), 0, "{text}: {p}");
        }
        // A choice left over where another key took the rest is this key's where it
        // comes right before a choice of the thing described.
        let mut place = schema.clone();
        place["properties"]["eatType"] = json!({"type": "string", "enum": ["pub", "coffee shop"]});
        let p = plan(&place, "A cheap coffee shop with a high customer rating.");
        assert_eq!(first(&p, "priceRange"), json!("cheap"), "{p}");
        for text in ["A pub with high customer rating and low lighting.", "A high customer rating, moderate portions."]
        {
            assert_eq!(field(&plan(&place, text), "priceRange").presence, Presence::Absent, "{text}");
        }
        for text in ["A pub with high prices and low lighting.", "The average pub here has high prices."] {
            assert_eq!(field(&plan(&place, text), "customer rating").presence, Presence::Absent, "{text}");
        }
        // A degree before the key's words is not the key's where the rest of the
        // clause says its own.
        for text in ["The average price at The Mill is high.", "The average price at The Mill is about £15."] {
            let p = plan(&place, text);
            assert!(
                !matches!(&field(&p, "priceRange").part, Part::Scalar { candidates, .. } if candidates[0].value == "moderate"),
                "{text}: {p}"
            );
        }
    }

    #[test]
    fn a_choice_in_another_form_is_read_where_it_fits_one_key() {
        let schema = json!({"type": "object", "properties": {
            "setting": {"type": "string", "enum": ["waterfront", "mountains", "town centre"]},
            "cost": {"type": "string", "enum": ["budget", "average", "luxury"]},
            "reviews": {"type": "string", "enum": ["average", "glowing"]}}});
        let p = plan(&schema, "A cottage by the water with glowing reviews.");
        assert_eq!(p.forced(), Some(json!({"setting": "waterfront", "reviews": "glowing"})), "{p}");
        let p = plan(&schema, "A cottage by the water, priced at 90.");
        assert_eq!(field(&p, "setting").presence, Presence::Present, "across a comma: {p}");
        for text in [
            "A cottage that is not by the water.",
            "A cottage near Waterloo Bridge.",
            "A cottage in water country.",
            "A cottage by the water cost band.",
            "The food came out of the centre, the town was quiet.",
        ] {
            assert_eq!(field(&plan(&schema, text), "setting").presence, Presence::Absent, "{text}");
        }
        let every = json!({"type": "object", "properties": {
            "interval": {"type": "string", "enum": ["daily", "weekly", "monthly"]}}});
        let p = plan(&every, "Get stock prices for the last month.");
        assert_eq!(field(&p, "interval").presence, Presence::Absent, "no compound: {p}");
    }

    #[test]
    fn a_choice_and_a_key_in_other_forms_go_together() {
        let schema = json!({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"},
            "priceRange": {"type": "string", "enum": ["cheap", "moderate", "high"]},
            "customer rating": {"type": "string", "enum": ["low", "average", "high"]}}});
        let p = plan(&schema, "Loch Fyne is moderately priced and highly rated.");
        assert_eq!(field(&p, "priceRange").part.forced(), Some(json!("moderate")), "{p}");
        assert_eq!(field(&p, "customer rating").part.forced(), Some(json!("high")), "{p}");
        let schema = json!({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"},
            "priceRange": {"type": "string", "enum": ["cheap", "high", "more than £30"]},
            "customer rating": {"type": "string", "enum": ["low", "average", "high"]}}});
        let p = plan(&schema, "Wildwood serves Japanese food for more than £30 and has a high customer rating.");
        assert_eq!(field(&p, "priceRange").part.forced(), Some(json!("more than £30")), "a phrase no key took: {p}");
        let p = plan(&schema, "Wildwood serves food at high prices. It is not rated highly.");
        assert!(!field(&p, "customer rating").part.allows(&json!("high")), "the written `high` is the price's: {p}");
        let p = plan(&schema, "Wildwood is not rated highly.");
        let Part::Object { fields, .. } = &p.root else { panic!() };
        assert!(fields.iter().filter(|f| f.key != "name").all(|f| f.presence == Presence::Absent), "{p}");
        let p = plan(&schema, "Loch Fyne is not moderately priced; the staff rated it.");
        let Part::Object { fields, .. } = &p.root else { panic!() };
        assert!(fields.iter().filter(|f| f.key != "name").all(|f| f.presence == Presence::Absent), "{p}");
    }

    #[test]
    fn a_name_right_after_a_keys_word_is_its_value() {
        let schema = json!({"type": "object", "required": ["artist", "hotel", "city"], "properties": {
            "artist": {"type": "string"}, "hotel": {"type": "string"}, "city": {"type": "string"},
            "plate": {"type": "string"}}});
        let p = plan(&schema, "Tickets for the artist Frida Kahlo Trio, a room at Hotel Paradise, plate B MZ 2026.");
        let field = |key: &str| field(&p, key);
        assert!(
            matches!(&field("artist").part, Part::Scalar { candidates, .. } if candidates[0].value == "Frida Kahlo Trio")
        );
        assert!(
            matches!(&field("hotel").part, Part::Scalar { candidates, .. } if candidates[0].value == "Hotel Paradise")
        );
        assert!(matches!(&field("plate").part, Part::Scalar { candidates, .. } if candidates[0].value == "B MZ 2026"));
        assert!(matches!(field("city").part, Part::Span { .. }), "no name after `city`: {p}");
        // (joining words and a capitalised one after a name: it may go on, the model picks)
        for (text, longer, name) in [
            ("The artist Vincent van Gogh.", "Vincent van Gogh", "Vincent"),
            ("Rooms at the hotel Express by Holiday Inn.", "Express by Holiday Inn", "Express"),
            ("The artist Frida Kahlo in Paris.", "Frida Kahlo in Paris", "Frida Kahlo"),
        ] {
            let p = plan(&schema, text);
            let key = if text.contains("artist") { "artist" } else { "hotel" };
            let Part::Scalar { candidates, .. } = &super::tests::field(&p, key).part else { panic!("{p}") };
            let values: Vec<&Value> = candidates.iter().map(|c| &c.value).collect();
            assert_eq!(values, [longer, name], "{text}");
        }
        for text in [
            "The city Paris or the city Lyon.",
            "The artist Harry Potter and the Chamber of Secrets.",
            "The artist Burger King and I went.",
            "The artist Ranch is The Eagle.",
            "In Kansas City Chiefs land.",
            "Hotel Paradise has two rooms.",
        ] {
            let p = plan(&schema, text);
            let Part::Object { fields, .. } = &p.root else { panic!() };
            let spans = fields.iter().filter(|f| f.presence == Presence::Present);
            assert!(spans.clone().all(|f| matches!(f.part, Part::Span { .. })), "the model reads these: {p}");
        }
    }

    #[test]
    fn a_name_after_a_preposition_that_opens_a_sentence_or_after_the() {
        let schema = json!({"type": "object", "required": ["near"], "properties": {"near": {"type": "string"}}});
        for (text, want) in [
            ("Near Café Rouge is a family-friendly pub.", "Café Rouge"),
            ("You will find it near the Crowne Plaza Hotel.", "Crowne Plaza Hotel"),
        ] {
            assert_eq!(plan(&schema, text).forced(), Some(json!({"near": want})), "{text}");
        }
        let song = json!({"type": "object", "required": ["song"], "properties": {"song": {"type": "string"}}});
        let p = plan(&song, "Play the song the Weeknd performed.");
        assert_eq!(p.forced(), None, "`the` after a noun opens a clause: {p}");
    }

    #[test]
    fn an_apostrophe_inside_a_word_closes_no_quote() {
        let schema = json!({"type": "object", "required": ["body"], "properties": {"body": {"type": "string"}}});
        let p = plan(&schema, "Send the body 'Let's meet at 10, it's late' to Ann.");
        assert_eq!(p.forced(), Some(json!({"body": "Let's meet at 10, it's late"})), "{p}");
    }

    #[test]
    fn the_name_a_description_is_about_is_its_subject() {
        let schema = json!({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "near": {"type": "string"},
            "food": {"type": "string", "enum": ["English", "French"]}, "eatType": {"type": "string", "enum": ["pub"]}}});
        for (text, want) in [
            ("Located near The Bakers, Alimentum is an adult-only Chinese restaurant.", "Alimentum"),
            ("A Japanese place in the city centre, Wildwood has a high price range. Wildwood is a pub.", "Wildwood"),
            ("The Eagle is a coffee shop.", "The Eagle"),
            ("Taste of Cambridge is a pub; its customers rated it low.", "Taste of Cambridge"),
            ("Giraffe, a children friendly pub by the riverside, serves French food.", "Giraffe"),
            ("Green Man serves English food in the riverside area.", "Green Man"),
            ("The Old Bell pub near the river.", "The Old Bell"),
            ("Zizzi is a pub in the city centre. Great pub for families.", "Zizzi"),
        ] {
            let p = plan(&schema, text);
            assert!(
                matches!(&field(&p, "name").part, Part::Scalar { candidates, .. } if candidates[0].value == want),
                "{p}"
            );
        }
        for text in [
            "It is a pub. There is wifi.",
            "Zizzi is a pub, Aromi is a cafe.",
            "Is Zizzi open?",
            "A profile for John Smith. Age is 34, email is js@example.com.",
            "Tonight is our anniversary, book Nobu.",
            "Near The Portland Arms is a cheap pub, Cotto.",
            "Find restaurants near me that serve Italian food.",
            "Get details of the booking. Its customers rate it highly.",
            "Book Nobu, a table for two at 8pm.",
            "Show Tom Hanks movies released after 2000.",
            "I, a Boston resident, want a pub.",
            "English pub serves French food.",
        ] {
            let p = plan(&schema, text);
            assert!(matches!(&field(&p, "name").part, Part::Span { .. }), "the model reads it: {p}");
        }
    }

    #[test]
    fn what_the_subject_is_or_an_aside_may_come_before_its_verb() {
        let schema = json!({"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "eatType": {"type": "string", "enum": ["pub", "coffee shop"]},
            "food": {"type": "string", "enum": ["Japanese"]}}});
        for text in [
            "Blue Spice coffee shop serves Japanese food.",
            "Blue Spice coffee shop, located near Avalon in the riverside area, has a high price range.",
            "Blue Spice, by the river, is a pub.",
            "Blue Spice coffee shop is by the river and has Japanese food.",
            "Blue Spice coffee shop is in the city centre.",
            "Near The Bakers is Blue Spice, a pub that serves Japanese food.",
            "In the city centre is Blue Spice, a Japanese coffee shop.",
        ] {
            let p = plan(&schema, text);
            assert!(
                matches!(&field(&p, "name").part, Part::Scalar { candidates, .. } if candidates[0].value == "Blue Spice"),
                "{p}"
            );
        }
        for text in [
            "Blue Spice tea room serves Japanese food.",
            "Blue Spice, by the river. It has a pub.",
            "Find Japanese pub near me.",
            "Get Japanese food near me.",
            "Book Nobu pub near me.",
            "We are in town. Recommend Cambridge pubs in the centre.",
            "Blue Spice pub, near the river.",
            "Near the river is Blue Spice.",
            "Near me is Cambridge, a city with a pub.",
            "The pub near the river is Blue Spice, a Japanese one.",
        ] {
            let p = plan(&schema, text);
            assert!(matches!(&field(&p, "name").part, Part::Span { .. }), "the model reads it: {p}");
        }
    }

    #[test]
    fn a_choice_written_with_numbers_in_words_or_spelled_otherwise() {
        let schema = json!({"type": "object", "properties": {
            "rating": {"type": "string", "enum": ["1 out of 5", "5 out of 5"]},
            "area": {"type": "string", "enum": ["city centre", "riverside"]}}});
        let p = plan(&schema, "A pub in the city center, rated five out of five.");
        assert_eq!(p.forced(), Some(json!({"rating": "5 out of 5", "area": "city centre"})), "{p}");
        let p = plan(&schema, "A pub in the center, rated fifty.");
        assert_eq!(p.forced(), Some(json!({})), "no choice is written: {p}");
    }

    #[test]
    fn called_and_named_introduce_a_name() {
        let schema = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}});
        for text in ["There is a cheap pub called The Wrestlers in the city centre.", "A pub named The Wrestlers."] {
            assert_eq!(plan(&schema, text).forced(), Some(json!({"name": "The Wrestlers"})), "{text}");
        }
        let rest = json!({"type": "object", "required": ["restaurant_name"], "properties": {
            "restaurant_name": {"type": "string"}}});
        let p = plan(&rest, "Book a restaurant called Nobu for my friend named Sarah.");
        assert_eq!(p.forced(), Some(json!({"restaurant_name": "Nobu"})), "{p}");
        let p = plan(&schema, "Text Sarah that I called Tom.");
        assert_eq!(p.forced(), None, "`I called` introduces no name: {p}");
        let text = "A coffee shop named Cotto that serves Indian food.";
        assert_eq!(plan(&schema, text).forced(), Some(json!({"name": "Cotto"})), "no small word goes on: {text}");
        let two = json!({"type": "object", "required": ["player_name", "team_name"], "properties": {
            "player_name": {"type": "string"}, "team_name": {"type": "string"}}});
        let p = plan(&two, "Stats of a player named Ada Stone.");
        assert_eq!(p.forced(), None, "two keys take the same name: the model reads it: {p}");
    }

    #[test]
    fn a_keys_function_words_introduce_no_name() {
        let schema = json!({"type": "object", "required": ["patient_name", "reason_for_visit"], "properties": {
            "patient_name": {"type": "string"}, "reason_for_visit": {"type": "string"}}});
        let p = plan(&schema, "Book an appointment for Maria Lopez, reason: back pain.");
        let Part::Object { fields, .. } = &p.root else { panic!() };
        assert!(fields.iter().all(|f| matches!(f.part, Part::Span { .. })), "{p}");
    }

    #[test]
    fn a_choice_of_yes_and_no_is_a_flag() {
        let schema = json!({"type": "object", "properties": {
            "familyFriendly": {"type": "string", "enum": ["yes", "no"]}, "wifi": {"type": "string", "enum": ["yes", "no"]}}});
        let p = plan(&schema, "A family friendly pub by the river.");
        assert_eq!(p.forced(), Some(json!({"familyFriendly": "yes"})), "{p}");
        let p = plan(&schema, "A pub with friendly staff.");
        assert_eq!(p.forced(), None, "one word of the key: the model reads it: {p}");
        for text in [
            "A very friendly pub.",
            "The staff are friendly.",
            "It is really friendly.",
            "A kid friendly pub.",
            "A dog-friendly pub.",
            "Not cheap, but kid friendly.",
        ] {
            assert_eq!(plan(&schema, text).forced(), None, "the model reads these: {text}");
        }
        for (text, want) in [
            ("The Eagle is not family-friendly.", "no"),
            ("The Eagle isn't family-friendly.", "no"),
            ("Not cheap but family friendly.", "yes"),
            ("No smoking; family friendly pub.", "yes"),
            ("It is not children friendly.", "no"),
            ("It isn't kid friendly.", "no"),
        ] {
            let p = plan(&schema, text);
            assert_eq!(p.forced(), Some(json!({"familyFriendly": want})), "{text}: {p}");
        }
        let p = plan(&schema, "The Mill is not family-friendly; wifi: no.");
        assert_eq!(p.forced(), Some(json!({"familyFriendly": "no", "wifi": "no"})), "a written choice stays: {p}");
    }

    #[test]
    fn an_optional_choice_among_numbers_stays_where_the_text_writes_it() {
        let schema = json!({"type": "object", "properties": {"level": {"type": "integer", "enum": [1, 2, 3]}}});
        assert_eq!(plan(&schema, "2 is the level I want").forced(), Some(json!({"level": 2})));
    }

    #[test]
    fn a_description_or_a_list_of_choices_names_an_optional_key() {
        let schema = json!({"type": "object", "required": ["city"], "properties": {
            "city": {"type": "string"},
            "surface": {"type": "string", "description": "Court surface, e.g. clay, grass. Default is 'hard'."},
            "lighting": {"type": "string", "description": "Either 'floodlit' or 'daylight'."},
            "extras": {"type": "array", "items": {"type": "string", "enum": ["showers", "locker", "parking"]}},
            "walk": {"type": "integer", "description": "Longest walk to the court (in minutes)."}}});
        let p = plan(&schema, "A grass court in Leeds with parking and lockers, at most 12 minutes on foot.");
        let Part::Object { fields, .. } = &p.root else { panic!() };
        let by = |k: &str| fields.iter().find(|f| f.key == k).unwrap();
        assert_eq!(by("lighting").presence, Presence::Absent);
        assert!(p
            .root
            .allows(&json!({"city": "Leeds", "surface": "grass", "extras": ["parking", "locker"], "walk": 12})));
        assert!(!p
            .root
            .allows(&json!({"city": "Leeds", "surface": "hard", "extras": ["parking", "locker"], "walk": 12})));
        assert!(!p
            .root
            .allows(&json!({"city": "Leeds", "surface": "grass", "extras": ["locker", "parking"], "walk": 12})));
        assert_eq!(examples("Either 'a' or 'b'. Default is 'c'.", None), ["a", "b"]);
        assert_eq!(examples("İİ kind, e.g. köln or izmir", None), ["köln", "izmir"], "offsets survive case");
        assert!(examples("City, e.g. San Francisco, CA", None).is_empty(), "names a comma splits are no examples");
        assert_eq!(examples("Format (default: 'png'), like 'svg', jpeg and more", None), ["svg", "jpeg"]);
    }

    #[test]
    fn a_schema_that_refers_to_itself_is_read_to_a_depth() {
        let schema = json!({"type": "object", "required": ["next", "value"], "properties": {
            "value": {"type": "integer"}, "next": {"$ref": "#"}}});
        let p = plan(&schema, "the next value is 5");
        assert_eq!(p.open_parts(), 1, "levels below the depth are left to the model: {p}");
        let toks = tokens("a 30-year loan at 1e5");
        assert!(toks.contains(&Token::Number(json!(30))) && toks.contains(&Token::Number(json!(100000.0))), "{toks:?}");
        // (a power is part of a unit or a formula)
        let numbers = |t: &str| tokens(t).into_iter().filter(|t| matches!(t, Token::Number(_))).count();
        assert_eq!(numbers("accelerating at 4 m/s^2 from 10 m"), 2);
        assert_eq!(numbers("the area under y=x**3 + x^2.5 - 4"), 1);
        assert_eq!(numbers("1000*(1.05)^10 and 2^8"), 5, "a power of a number is written as numbers");
    }

    #[test]
    fn percentages_and_numbers_in_words() {
        let schema = json!({"type": "object", "required": ["rate", "yield_pct", "share", "years"], "properties": {
            "rate": {"type": "number", "description": "Annual rate of return."},
            "yield_pct": {"type": "number"},
            "share": {"type": "number", "description": "Share as a percentage."},
            "years": {"type": "integer"}}});
        let p = plan(&schema, "A rate of 7% over five years; yield 4.5 %, share 12%.");
        assert_eq!(p.forced(), Some(json!({"rate": 0.07, "yield_pct": 4.5, "share": 12, "years": 5})), "{p}");
        // (a description that shows a percentage as a decimal asks for the fraction)
        let schema = json!({"type": "object", "required": ["rate"], "properties": {
            "rate": {"type": "number", "description": "The rate in decimal form, e.g. 4% is 0.04."}}});
        assert_eq!(plan(&schema, "at a rate of 6%").forced(), Some(json!({"rate": 0.06})));
        let schema = json!({"type": "object", "required": ["lightness"], "properties": {
            "lightness": {"type": "number", "description": "Lightness in percent, to 2 decimal places."}}});
        assert_eq!(plan(&schema, "a lightness of 6%").forced(), Some(json!({"lightness": 6})));
        let schema = json!({"type": "object", "required": ["share"], "properties": {
            "share": {"type": "number", "description": "The share in %, as a decimal number from 0 to 100."}}});
        assert_eq!(plan(&schema, "a share of 6%").forced(), Some(json!({"share": 6})));
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

    /// The first candidate value the plan gives the scalar key `key`.
    fn first(p: &Plan, key: &str) -> Value {
        let Part::Object { fields, .. } = &p.root else { panic!("{p}") };
        match &fields.iter().find(|f| f.key == key).unwrap().part {
            Part::Scalar { candidates, .. } => candidates[0].value.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_unit_raised_to_a_power_is_another_unit() {
        let schema = json!({"type": "object", "required": ["speed", "rate"], "properties": {
            "speed": {"type": "number", "description": "Speed of the cart in km/h."},
            "rate": {"type": "number", "description": "How fast it speeds up, in km/h^2."}}});
        let p = plan(&schema, "A cart gaining 6 km/h^2 that rolls at 40 km/h now");
        assert_eq!((first(&p, "speed"), first(&p, "rate")), (json!(40), json!(6)), "{p}");
        assert!(tokens("6 km/h^2").contains(&Token::Word("h^2".into())));
        // (a raised unit is still its unit, however the description writes it)
        let schema = json!({"type": "object", "required": ["area", "count"], "properties": {
            "area": {"type": "number", "description": "Floor area(in ft^2)."},
            "count": {"type": "integer", "description": "How many rooms."}}});
        let p = plan(&schema, "3 rooms over 120 ft^2 in all");
        assert_eq!(first(&p, "area"), json!(120), "{p}");
    }

    #[test]
    fn a_unit_alone_in_parentheses_takes_the_numbers_written_in_it() {
        let schema = json!({"type": "object", "required": ["load", "heat", "spare"], "properties": {
            "load": {"type": "integer", "description": "Weight of the first crate (kg)."},
            "heat": {"type": "integer", "description": "Starting heat of the first crate (Celsius)."},
            "spare": {"type": "integer", "description": "Weight of the second crate (kg)."}}});
        // (`heat when 12` would take the mass but for the unit)
        let p = plan(&schema, "Find the heat when 12 kg of sand at 40 degree Celsius meets 7 kg of sand");
        assert_eq!((first(&p, "load"), first(&p, "spare")), (json!(12), json!(7)), "{p}");
        assert_eq!(first(&p, "heat"), json!(40), "{p}");
        // (a phrase in parentheses is no unit)
        let schema = json!({"type": "object", "required": ["rate"], "properties": {
            "rate": {"type": "number", "description": "Interest rate (per year)."}}});
        assert!(unit_values(&schema["properties"]["rate"], &tokens("5 per year")).is_empty());
    }

    #[test]
    fn a_unit_key_takes_the_word_written_after_the_number_it_names() {
        let schema = json!({"type": "object", "required": ["side"], "properties": {
            "side": {"type": "integer", "description": "Side of the square."},
            "unit": {"type": "string", "description": "The unit of the side. Default is 'm'."}}});
        let p = plan(&schema, "What is the area of a square with a side of 7 Feet?");
        assert_eq!(field(&p, "unit").presence, Presence::Present, "{p}");
        assert_eq!(first(&p, "unit"), json!("Feet"), "{p}");
        let p = plan(&schema, "Area of a square with side 7cm");
        assert_eq!(first(&p, "unit"), json!("cm"), "{p}");
        // (no unit after it, or a word that joins the phrase: no unit)
        for text in ["Area of a square with a side of 7.", "A square with a side of 7 and a door"] {
            let p = plan(&schema, text);
            assert_eq!(field(&p, "unit").presence, Presence::Absent, "{p}");
        }
    }
}
