//! What a key's own description says about its value: the examples it lists, the
//! unit it is in, a count it converts (`compounded monthly`), a year.

use super::tokens::{signed_amounts, tokens, word_at, Token};
use super::words::{FUNCTION_WORDS, PREPOSITIONS};
use super::{max_items, plain_string};
use crate::align::{stem, words};
use crate::emit::CODE;
use crate::plan::main_type;
use crate::shape;
use crate::value::Candidate;
use serde_json::Value;

/// The values an optional string key's description lists that the text writes: quoted
/// (`'IMAX', '2D'`) or after `e.g.` / `such as` / `like`, leaving out its default.
/// For a list of strings, one candidate: the list of them.
pub(super) fn examples_written(prop: &Value, items: Option<&Value>, text: &str) -> Vec<Candidate> {
    let plain_list = main_type(prop) == Some("array") && items.is_some_and(plain_string);
    if !plain_string(prop) && !plain_list {
        return Vec::new();
    }
    let Some(description) = prop.get("description").and_then(Value::as_str) else { return Vec::new() };
    let text_words = words(text);
    // (in the order the text writes them)
    // (not an example of units that is a word of any sentence: `'in'` for inches, at
    // `in portland`)
    let all = examples(description, prop.get("default"));
    // (its quoted words, the default's too)
    let quoted = description.split(['\'', '"']).skip(1).step_by(2);
    let units = quoted.clone().any(|e| !PREPOSITIONS.contains(&e) && shape::is_unit(e));
    let mut found: Vec<(usize, String)> =
        all.into_iter()
            .filter(|e| {
                // (unless written right after a number: `12 in`)
                let after_number =
                    text.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| {
                        w[0].parse::<f64>().is_ok() && w[1].trim_end_matches(|c: char| !c.is_alphanumeric()) == e
                    });
                !units || after_number || (!PREPOSITIONS.contains(&e.as_str()) && !FUNCTION_WORDS.contains(&e.as_str()))
            })
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

/// Of `examples` (string candidates), those the text writes right before or after a
/// word of `key` (`vacation leave` for `leave_type`, `single room` for `room_type`).
pub(super) fn examples_beside(key: &str, examples: &[Candidate], text: &str) -> Vec<Candidate> {
    let text_words = words(text);
    let key_word = |i: usize| {
        text_words.get(i).is_some_and(|w| words(key).iter().any(|k| k.len() >= 3 && super::words::is_key_word(k, w)))
    };
    examples
        .iter()
        .filter(|c| {
            let Some(e) = c.value.as_str() else { return false };
            let Some(at) = crate::align::written_at(e, text, &text_words) else { return false };
            (at > 0 && key_word(at - 1)) || key_word(at + words(e).len())
        })
        .cloned()
        .collect()
}

/// The values a description lists: quoted ones, and those in lower case after `e.g.`,
/// `such as`, `like` up to the end of the clause; not its default (`Default is 'bus'`,
/// `default: 'bus'`, `defaults to 'bus'`).
pub(super) fn examples(description: &str, default: Option<&Value>) -> Vec<String> {
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
            // (to the clause's end, a bracket, or where it names the default; a dot
            // inside a word ends nothing: `e.g. 'example.com'`)
            let sentence_end = clause
                .char_indices()
                .find(|&(i, c)| {
                    c == '.'
                        && (clause[i + 1..].chars().next().is_none_or(|n| !n.is_alphanumeric())
                            || clause[..i].ends_with(['\'', '"']))
                })
                .map(|(i, _)| i);
            let end = clause.find(['(', ')', ';']).into_iter().chain(sentence_end).min().unwrap_or(clause.len());
            let end = clause[..end].to_ascii_lowercase().find("default").unwrap_or(end);
            // Unquoted, only words in lower case: kinds (`vegan, gluten-free`), not names
            // that a comma splits (`San Francisco, CA`).
            for item in clause[..end].split([',', '/']).flat_map(|p| p.split(" or ")).flat_map(|p| p.split(" and ")) {
                let item = item.trim().trim_start_matches(':').trim().trim_matches(['\'', '"', '[', ']']);
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
pub(super) fn coded(prop: &Value) -> Value {
    let mut schema = prop.clone();
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
    if let (Some(len), Some(map)) = (example_code(description), schema.as_object_mut()) {
        map.insert(CODE.into(), len.into());
    }
    schema
}

/// The length of the code a description's example ends in: `e.g. New York, NY` or
/// `for instance Boston, MA` give 2; `e.g., CBC, CMP` (a list, no name) nothing.
pub(super) fn example_code(description: &str) -> Option<usize> {
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
pub(super) const FREQUENCIES: [(&str, u64); 7] = [
    ("annually", 1),
    ("yearly", 1),
    ("biannually", 2),
    ("quarterly", 4),
    ("monthly", 12),
    ("weekly", 52),
    ("daily", 365),
];

/// Ordinal words, first to tenth.
const ORDINALS: [&str; 10] =
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/// The number an integer key for a position takes where the text writes an ordinal
/// word in lower case right before one of the key's words (`the second reading
/// frame` for `reading_frame`: 2), the one such number (and one of its choices, where
/// it has them). Not for a key that counts (`Number of years`: `the first year … over
/// 10 years`), nor where a number is written right at the same word (`version 3, the
/// second version`), nor `second` after a number (`a 3 second timeout`), nor inside a
/// name (`5 Third Street`), nor for a key measured in a unit (an interval `in
/// minutes`).
pub(super) fn ordinal_value(key: &str, prop: &Value, toks: &[Token], text: &str) -> Option<u64> {
    if main_type(prop) != Some("integer") {
        return None;
    }
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("").to_lowercase();
    // (nor a measure: `every 15 minute interval, the first interval` for an interval
    // `in minutes`)
    if ["number of", "how many", "count of", "total", "year"].iter().any(|c| said.contains(c))
        || !measured_in(prop).is_empty()
    {
        return None;
    }
    let kw: Vec<String> = words(key).iter().filter(|w| w.len() >= 3).map(|w| stem(w)).collect();
    let mut found = None;
    for (i, w) in toks.windows(2).enumerate() {
        let [Token::Word(o), Token::Word(next)] = w else { continue };
        let Some(n) = ORDINALS.iter().position(|x| x == o).and_then(|n| u64::try_from(n + 1).ok()) else { continue };
        let plural = next.ends_with('s') && !next.ends_with("ss") && !next.ends_with("us");
        if !kw.contains(&stem(next)) || plural {
            continue;
        }
        let after_number = i > 0 && matches!(toks[i - 1], Token::Number(_));
        let lower = text.contains(&format!("{o} {next}"));
        // (a number at the same word: `version 3`, `5th grade`, `10 years`)
        let counted = (0..toks.len()).any(|j| {
            matches!(&toks[j], Token::Word(w) if stem(w) == stem(next))
                && (matches!(toks.get(j + 1), Some(Token::Number(_)))
                    || (j > 0 && matches!(toks[j - 1], Token::Number(_))))
        });
        if after_number || !lower || counted {
            return None;
        }
        if found.is_some_and(|f| f != n) {
            return None;
        }
        found = Some(n);
    }
    let n = found?;
    match prop.get("enum").and_then(Value::as_array) {
        Some(choices) if !choices.iter().any(|c| c.as_u64() == Some(n)) => None,
        _ => Some(n),
    }
}

/// The times a year an integer key that counts times in a period (its description
/// says `the number of times …` and `per` or `compounded`, or its name ends `per
/// year`) takes from the one frequency the text writes as a word: `compounded
/// monthly` is 12, `semi-annually` 2 (`bi-weekly`: none).
pub(super) fn times_a_year(key: &str, prop: &Value, toks: &[Token]) -> Option<u64> {
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
pub(super) fn year_value(key: &str, prop: &Value, toks: &[Token]) -> Option<usize> {
    if !matches!(main_type(prop), Some("number" | "integer")) || words(key).last().is_none_or(|w| w != "year") {
        return None;
    }
    let year = |t: &Token| matches!(t, Token::Number(n) if n.as_u64().is_some_and(|y| (1000..3000).contains(&y)));
    let mut at = toks.iter().enumerate().filter(|(_, t)| year(t)).map(|(i, _)| i);
    let first = at.next()?;
    let same = |i: usize| toks[i] == toks[first];
    at.all(same).then_some(first)
}

/// Whether a key is named for a month (`month`, `birth_month`).
pub(super) fn is_month_key(key: &str) -> bool {
    words(key).last().is_some_and(|w| w == "month")
}

/// The month, as a number from 1 to 12 (or its name, for a string key), that a key
/// named for one takes from the one month the text names as a date does: capitalised (not in capitals: `APR`),
/// in full or shortened (`Sept.`), next to a number or after a preposition
/// (`March 2024`, `December 25`, `Jun.20`, `in Sept.`; not `Jan spent`, `June's`);
/// `None` when it names none or several.
pub(super) fn month_value(key: &str, prop: &Value, text: &str) -> Option<Value> {
    if !is_month_key(key) {
        return None;
    }
    match main_type(prop) {
        Some("number" | "integer") => named_month(text).map(Value::from),
        // (a string one in `YYYY-MM`, with the one year the text writes: `June 2025`)
        // (the year right after the month's name: not `in June, budget 2000`)
        _ if plain_string(prop) && asks_year_month(prop) => {
            let month = named_month(text)?;
            let ws = super::words::separated_words(text);
            let mut years: Vec<&str> = (1..ws.len())
                .filter(|&i| crate::date::month(&ws[i - 1].0.to_lowercase()).map(u64::from) == Some(month))
                .map(|i| ws[i].0)
                .filter(|w| w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y)))
                .collect();
            years.sort_unstable();
            years.dedup();
            let [year] = years[..] else { return None };
            Some(Value::from(format!("{year}-{month:02}")))
        }
        // (a string one, by its name: `Month of travel, e.g. 'March'`)
        // (not where its description asks for digits: `Month, e.g. '01'`)
        _ if plain_string(prop) && !description_has_digits(prop) => {
            named_month(text).and_then(crate::date::month_name).map(Value::from)
        }
        _ => None,
    }
}

/// Whether a key's description asks for a year and a month, `YYYY-MM`, and no day.
fn asks_year_month(prop: &Value) -> bool {
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("").to_lowercase();
    said.contains("yyyy-mm") && !said.contains("yyyy-mm-dd")
}

/// Whether a key's description writes a digit.
fn description_has_digits(prop: &Value) -> bool {
    prop.get("description").and_then(Value::as_str).is_some_and(|d| d.contains(|c: char| c.is_ascii_digit()))
}

/// [`month_value`]'s month.
fn named_month(text: &str) -> Option<u64> {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let numeral = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
    let mut named = raw.iter().enumerate().filter_map(|(i, w)| {
        let letters: String = w.chars().take_while(|c| c.is_alphabetic()).collect();
        let rest = &w[letters.len()..];
        let lower = letters.to_lowercase();
        let month = crate::date::month(&lower)?;
        let cased = letters.starts_with(char::is_uppercase) && letters.chars().skip(1).all(char::is_lowercase);
        let before = i.checked_sub(1).map(|j| raw[j].to_lowercase());
        let dated = rest.trim_start_matches('.').starts_with(|c: char| c.is_ascii_digit())
            || (rest.is_empty() || rest == "." || rest == ",") && raw.get(i + 1).is_some_and(|n| numeral(n))
            || before.as_deref().is_some_and(|b| {
                numeral(b) || PREPOSITIONS.contains(&b) || matches!(b, "since" | "until" | "through" | "during" | "of")
            });
        // (not a person's name: `April Smith`)
        let person = rest.is_empty() && raw.get(i + 1).is_some_and(|n| n.starts_with(char::is_uppercase));
        (cased && dated && !person && !rest.starts_with('\'')).then_some(u64::from(month))
    });
    let first = named.next()?;
    named.all(|m| m == first).then_some(first)
}

/// The units a number key's description names (`(in miles)`, `in minutes`, `in kg`):
/// each a unit's first word, without its power, and whether the unit has one.
pub(super) fn declared_units(prop: &Value) -> Vec<(String, bool)> {
    if !matches!(main_type(prop), Some("number" | "integer")) {
        return Vec::new();
    }
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("");
    let description = tokens(said);
    let mut units: Vec<(String, bool)> = (1..description.len())
        .filter(|&i| description[i - 1] == Token::Word("in".into()))
        .filter_map(|i| unit_at(&description, i))
        .collect();
    units.retain(|(u, _)| u.chars().count() >= 2);
    units
}

/// [`declared_units`] that are units of measure ([`shape::is_unit`]; not `in hotel`).
pub(super) fn measured_in(prop: &Value) -> Vec<(String, bool)> {
    let mut units = declared_units(prop);
    units.retain(|(u, _)| u.split('/').all(shape::is_unit));
    units
}

/// The unit written at token `at` (its first word, without its power, and whether it
/// has one; a rate as `m/s`), read the same way in a description and in the text;
/// degrees of a scale are that scale's (`30 degree Celsius` is in Celsius).
pub(super) fn unit_at(toks: &[Token], at: usize) -> Option<(String, bool)> {
    match toks.get(at)? {
        Token::Word(w) if shape::same_unit(w, "deg") && temperature_at(toks, at + 1) => unit_at(toks, at + 1),
        // (power times hours is energy: `kilowatt-hours`, `watt hours`)
        Token::Word(w) if shape::same_unit(word_at(toks, at + 1), "h") && power(w).is_some() => {
            power(w).map(|p| (format!("{p}h"), false))
        }
        Token::Word(w) => {
            let raised = toks[at..]
                .iter()
                .take(3)
                .map_while(|t| match t {
                    Token::Word(w) => Some(w.contains('^')),
                    _ => None,
                })
                .any(|p| p);
            let unit = w.split('^').next().unwrap_or(w);
            // (a unit over another is a rate, `m/s`, `meters per second` and `litres a
            // minute` alike: not the unit on top; written without a word between, the
            // one below is of time, as the `/` of `km/h` is not read; `s` alone is a
            // second only there; `m/s²` and `per second squared` are raised)
            let (below, said) = match word_at(toks, at + 1) {
                "per" | "a" | "an" => (at + 2, true),
                _ => (at + 1, false),
            };
            let written = word_at(toks, below);
            let bare = written.trim_end_matches(['²', '³']);
            let below_unit = if bare == "s" { "sec" } else { bare };
            // (a percentage or an amount of money a period is in its unit still: `6
            // percent a year`, `60000 dollars a year`)
            let money = ["percent", "pct"].contains(&unit) || crate::currency::is_name(unit);
            let over = !money && shape::is_unit(unit) && shape::is_unit(below_unit) && (said || of_time(below_unit));
            let squared = bare != written || matches!(word_at(toks, below + 1), "squared" | "cubed");
            match over {
                true => Some((format!("{unit}/{below_unit}"), raised || squared)),
                false => Some((unit.to_string(), raised)),
            }
        }
        _ => None,
    }
}

/// Whether two units as [`unit_at`] reads them are the same, a rate part by part.
fn same_units(a: &str, b: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| shape::same_unit(x, y))
}

/// Units of power, which hours after them make units of energy.
const POWERS: [&str; 3] = ["w", "kw", "mw"];

/// The unit of power `w` names, if it names one (`kilowatt` is `kw`).
fn power(w: &str) -> Option<&'static str> {
    POWERS.iter().find(|p| shape::same_unit(w, p)).copied()
}

/// Whether token `at` names a scale of temperature (`Celsius`, `F`).
fn temperature_at(toks: &[Token], at: usize) -> bool {
    let w = word_at(toks, at);
    ["c", "f", "kelvin"].iter().any(|t| shape::same_unit(w, t))
}

/// Whether `unit` (as [`unit_at`] reads it) is one of `units`.
pub(super) fn in_units(units: &[(String, bool)], (w, p): &(String, bool)) -> bool {
    units.iter().any(|(u, q)| same_units(u, w) && p == q)
}

/// Where the text writes numbers in the unit a key's description names
/// ([`measured_in`]): `10 miles`, `30 minutes`, `20 kg`, in its order. A unit
/// raised to a power is another unit: `2 meters/second^2` is not in `meters/second`,
/// `10 meters/second` not in `meters/second^2`.
pub(super) fn unit_values(prop: &Value, toks: &[Token]) -> Vec<usize> {
    let units = measured_in(prop);
    (0..toks.len().saturating_sub(1))
        .filter(|&i| matches!(toks[i], Token::Number(_)) && unit_at(toks, i + 1).is_some_and(|u| in_units(&units, &u)))
        .collect()
}

/// Where the text writes its one percentage, for a key that counts in percent
/// ([`super::tokens::counts_in_percent`]): its unit, as [`unit_values`] has numbers
/// in theirs (`tax on a $1.2m house at 1.1%` for a rate `as a percentage`). Of
/// several, which is whose is in the words.
pub(super) fn percent_values(key: &str, prop: &Value, toks: &[Token]) -> Vec<usize> {
    if !matches!(main_type(prop), Some("number" | "integer")) || !super::tokens::counts_in_percent(key, prop) {
        return Vec::new();
    }
    let written: Vec<usize> = (0..toks.len()).filter(|&i| matches!(toks[i], Token::Percent(_))).collect();
    if written.len() == 1 {
        written
    } else {
        Vec::new()
    }
}

/// Seconds in each unit of time a description or the text writes.
pub(super) const SECONDS: [(&str, f64); 6] =
    [("ms", 0.001), ("sec", 1.0), ("min", 60.0), ("h", 3600.0), ("day", 86400.0), ("week", 604_800.0)];

/// Seconds in the unit of time `w` names (`hours`, `mins`, `day`), if it names one.
fn seconds_in(w: &str) -> Option<f64> {
    SECONDS.iter().find(|(u, _)| shape::same_unit(u, w)).map(|&(_, s)| s)
}

/// Whether `w` is a unit of time or of the calendar (`weeks`, `months`).
pub(super) fn of_time(w: &str) -> bool {
    seconds_in(w).is_some() || matches!(stem(w).as_str(), "month" | "year")
}

/// Whether a key is measured in a unit of time ([`time_unit`]).
pub(super) fn timed(key: &str, prop: &Value) -> bool {
    time_unit(key, prop).is_some()
}

/// The unit of time a key's description measures it in (`in minutes`) or counts
/// (`Number of days in the period`), else the last word of a number key's name
/// (`time_seconds`; not a rate, `hours_per_day`).
fn time_unit(key: &str, prop: &Value) -> Option<String> {
    let kw = words(key);
    let named = kw
        .last()
        .filter(|w| {
            seconds_in(w).is_some() && super::measures::named_unit(w) && kw.len() >= 2 && !kw.iter().any(|k| k == "per")
        })
        .filter(|_| matches!(main_type(prop), Some("number" | "integer")))
        .cloned();
    described_time_unit(prop).or(named)
}

/// The unit of time a key's description measures it in (`in minutes`) or, for a
/// number key, counts in its first sentence (`Number of days in the period`).
fn described_time_unit(prop: &Value) -> Option<String> {
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
    let first = words(description.split(". ").next().unwrap_or(description));
    let counts = first
        .windows(3)
        .find(|w| w[0] == "number" && w[1] == "of" && seconds_in(&w[2]).is_some())
        .map(|w| w[2].clone())
        .filter(|_| matches!(main_type(prop), Some("number" | "integer")));
    measured_in(prop).into_iter().map(|(u, _)| u).find(|u| seconds_in(u).is_some()).or(counts)
}

/// The durations the text writes, in seconds: a number before a unit of time
/// (`45 minutes`, `1.5 hours`), `a`/`an` before one (`an hour`, `an hour and a
/// half`; not a rate, `twice a day`, `45 units a day`); `half an hour` is a number
/// before one to [`tokens`].
fn durations(toks: &[Token]) -> Vec<(f64, Vec<usize>)> {
    let word = |i: usize| word_at(toks, i);
    // (each duration: its seconds, the size of its unit, its number's token)
    let mut out: Vec<(f64, f64, usize)> = Vec::new();
    for i in 0..toks.len() {
        let Some(unit) = seconds_in(word(i + 1)).filter(|_| !word(i + 1).is_empty()) else { continue };
        let half_after = word(i + 2) == "and" && word(i + 3) == "a" && word(i + 4) == "half";
        let count = match &toks[i] {
            Token::Number(n) => n.as_f64().map(|n| if half_after { n + 0.5 } else { n }),
            // (not `a second opinion`, `the first part of an hour`, nor a rate: `twice
            // a day`, `3 times a week`, `5 km a day`, `60 km an hour`, `45 units a
            // day`; `a quarter of an hour` is a number before its unit to [`tokens`])
            Token::Word(a)
                if (a == "a" || a == "an")
                    && word(i + 1) != "second"
                    && !matches!(word(i.wrapping_sub(1)), "once" | "times" | "per")
                    && !(word(i.wrapping_sub(1)) == "of" && PARTS.contains(&word(i.wrapping_sub(2))))
                    && !matches!(toks.get(i.wrapping_sub(1)), Some(Token::Number(_) | Token::Percent(_)))
                    && !shape::is_unit(word(i.wrapping_sub(1)))
                    && !counted_before(toks, i) =>
            {
                Some(if half_after { 1.5 } else { 1.0 })
            }
            _ => None,
        };
        out.extend(count.map(|n| (n * unit, unit, i)));
    }
    // (one written in two units, the larger first, is one: `27 min 30 sec`, `2 hours
    // and 15 minutes`)
    let mut joined: Vec<(f64, Vec<usize>)> = Vec::new();
    let mut last: Option<(f64, usize)> = None;
    for (seconds, unit, i) in out {
        let follows = last.is_some_and(|(u, j)| unit < u && (i == j + 2 || (i == j + 3 && word(j + 2) == "and")));
        match joined.last_mut() {
            Some((total, at)) if follows => {
                *total += seconds;
                at.push(i);
            }
            _ => joined.push((seconds, vec![i])),
        }
        last = Some((unit, i));
    }
    joined
}

/// Nouns for a part of a whole: `the first part of an hour` is no hour.
const PARTS: [&str; 9] = ["part", "most", "rest", "end", "fraction", "bit", "middle", "start", "beginning"];

/// Whether a count of things ends right before token `i`: `45 units` of `45 units a
/// day`, whose `a day` is a rate, no duration (not `a Model 3 for a week`).
fn counted_before(toks: &[Token], i: usize) -> bool {
    matches!(toks.get(i.wrapping_sub(1)), Some(Token::Word(w)) if !PREPOSITIONS.contains(&w.as_str()))
        && matches!(toks.get(i.wrapping_sub(2)), Some(Token::Number(_)))
}

/// The numbers of the one duration the text writes (`27 min 30 sec`: 27 and 30).
pub(super) fn duration_numbers(toks: &[Token]) -> Vec<Value> {
    match &durations(toks)[..] {
        [(_, at)] => at
            .iter()
            .filter_map(|&i| match &toks[i] {
                Token::Number(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The value of a key measured in a unit of time (`Length of the timer in
/// minutes`) where the text writes one duration, in another unit: `an hour and a
/// half` is 90 minutes. `None` where it writes none, several, or one in the key's
/// own unit (read as written); where only the key's name says its unit, only a
/// duration written in two units.
pub(super) fn duration_value(key: &str, prop: &Value, toks: &[Token]) -> Option<Value> {
    let per = seconds_in(&time_unit(key, prop)?)?;
    let [(seconds, at)] = &durations(toks)[..] else { return None };
    let seconds = *seconds;
    // (a unit only the key's name says takes a duration written in two units alone:
    // `27 min 30 sec` for `time_seconds`, not `a week` for `peak_sun_hours`)
    if at.len() < 2 && described_time_unit(prop).is_none() {
        return None;
    }
    // (a number in the key's own unit is read as written, unless it is part of the one
    // duration: `27 min 30 sec` for a time in seconds)
    let in_unit = unit_values(prop, toks);
    if !in_unit.is_empty() && (at.len() < 2 || !in_unit.iter().all(|i| at.contains(i))) {
        return None;
    }
    let x = seconds / per;
    if x.fract() == 0.0 && x.abs() < 9e15 {
        Some(Value::from(x as i64))
    } else if main_type(prop) == Some("number") {
        serde_json::Number::from_f64((x * 1e6).round() / 1e6).map(Value::Number)
    } else {
        None
    }
}

/// An initial speed (`initial_velocity`, `start_speed`) is 0 where the text says the
/// body starts from rest (`accelerates from rest`).
pub(super) fn at_rest(key: &str, prop: &Value, toks: &[Token]) -> Option<Value> {
    let kw = words(key);
    let has = |ws: &[&str]| kw.iter().any(|w| ws.contains(&w.as_str()));
    if !matches!(main_type(prop), Some("number" | "integer"))
        || !has(&["initial", "start", "starting"])
        || !has(&["velocity", "speed"])
    {
        return None;
    }
    // (only `from rest`: `at rest` is also where a body ends or waits before a kick;
    // and not where the text writes an initial speed of its own)
    let rest = toks
        .windows(2)
        .any(|w| matches!((&w[0], &w[1]), (Token::Word(p), Token::Word(r)) if p == "from" && r == "rest"));
    let own = toks.iter().any(|t| matches!(t, Token::Word(w) if w == "initial"));
    (rest && !own).then(|| Value::from(0))
}

/// The choice of a key whose choices are periods' adverbs (`daily`, `weekly`) that
/// the text writes as the period itself: `every day`, `each week`, `once a month`
/// (not `every 2 weeks`, `every other day`, nor a rate's `per year`); `None` where it
/// writes none or several, or writes one of the choices as it is.
pub(super) fn periodic(prop: &Value, toks: &[Token]) -> Option<Value> {
    period(prop, toks).map(|(choice, _)| choice)
}

/// [`periodic`]'s choice, with the words it reads it from (`every day`, `once a
/// month`).
pub(super) fn period(prop: &Value, toks: &[Token]) -> Option<(Value, String)> {
    let choices = prop.get("enum").and_then(Value::as_array)?;
    // (a choice written as itself is read as written: `3% per year, compounded
    // quarterly`)
    let written = |c: &Value| {
        c.as_str().is_some_and(|c| toks.iter().any(|t| matches!(t, Token::Word(w) if w.eq_ignore_ascii_case(c))))
    };
    if choices.iter().any(written) {
        return None;
    }
    // (the words before a period that say it recurs: `every`, `each`, `once a`)
    let every = |i: usize| match (i.checked_sub(1).map(|j| &toks[j]), i.checked_sub(2).map(|j| &toks[j])) {
        (Some(Token::Word(e)), _) if matches!(e.as_str(), "every" | "each") => Some(e.clone()),
        (Some(Token::Word(a)), Some(Token::Word(o))) if a == "a" && o == "once" => Some("once a".into()),
        _ => None,
    };
    let mut found = choices.iter().filter_map(|c| {
        let lower = c.as_str().map(str::to_lowercase)?;
        let base = lower.strip_suffix("ly").filter(|b| b.len() >= 3)?;
        let period = match base.strip_suffix('i') {
            Some(stem) => format!("{stem}y"),
            None => base.to_string(),
        };
        let words = toks.iter().enumerate().find_map(|(i, t)| match t {
            Token::Word(w) if *w == period => every(i).map(|e| format!("{e} {w}")),
            _ => None,
        })?;
        Some((c.clone(), words))
    });
    let one = found.next()?;
    found.next().is_none().then_some(one)
}

/// Words that end the noun phrase a count names (`Number of days to forecast`).
const PHRASE_ENDS: [&str; 20] = [
    "to", "that", "in", "for", "per", "which", "of", "from", "on", "with", "you", "required", "needed", "or", "and",
    "the", "between", "as", "at", "by",
];

/// The noun each key of an object counts ([`counted`]), where no other key counts
/// it (`desired_cards` and `cards_drawn` count `cards` both: neither).
pub(super) fn counted_alone<'v>(schemas: impl IntoIterator<Item = Option<&'v Value>>) -> Vec<Option<String>> {
    let nouns: Vec<Option<String>> =
        schemas.into_iter().map(|s| s.and_then(counted).and_then(|p| p.last().cloned())).collect();
    nouns.iter().map(|n| n.clone().filter(|_| nouns.iter().filter(|m| *m == n).count() == 1)).collect()
}

/// The noun phrase an integer key's description counts (`Number of decimal places
/// to round to` counts `decimal places`, `How many upcoming games to list` counts
/// `upcoming games`), as words, its noun last: a plural of four letters or more
/// (`people` too), the phrase not qualified by a place or a whole (`in the deck`).
pub(super) fn counted(prop: &Value) -> Option<Vec<String>> {
    if main_type(prop) != Some("integer") {
        return None;
    }
    // (in its first sentence: `Number of adult passengers. Default 1.`)
    let description = prop.get("description").and_then(Value::as_str)?;
    let said = words(description.split(". ").next().unwrap_or(description));
    // (`Number of …`, `Count of …`, `How many …`)
    let at = said
        .windows(2)
        .position(|w| ((w[0] == "number" || w[0] == "count") && w[1] == "of") || (w[0] == "how" && w[1] == "many"))?;
    // (ending as well at a participle after its noun: `people splitting the bill`)
    let phrase: Vec<String> = said[at + 2..]
        .iter()
        .skip_while(|w| *w == "the")
        .enumerate()
        .take_while(|(n, w)| !(PHRASE_ENDS.contains(&w.as_str()) || (*n > 0 && w.len() >= 6 && w.ends_with("ing"))))
        .map(|(_, w)| w.clone())
        .collect();
    let noun = phrase.last()?;
    // (a phrase that a place or a whole qualifies counts what the text may count
    // elsewhere: `Number of cards in the deck`, `of days of the trip`; not the
    // function's own output: `Number of decimal places in the result`)
    let after = said.get(at + 2 + phrase.len()).map(String::as_str);
    let output = matches!(said.get(at + 3 + phrase.len()..at + 5 + phrase.len()), Some([the, o]) if the == "the" && OUTPUTS.contains(&stem(o).as_str()));
    let plain =
        output || after.is_none_or(|w| !matches!(w, "in" | "of" | "per" | "on" | "from" | "with" | "at" | "between"));
    // (not `times`: `Number of times the event occurred` is no `flip a coin 100 times`)
    let plural = (noun.ends_with('s') && !noun.ends_with("ss")) || matches!(noun.as_str(), "people" | "children");
    (plain && noun.len() >= 4 && plural && noun != "times").then_some(phrase)
}

/// Nouns for what a function gives back (`in the result`), as [`stem`] has them.
const OUTPUTS: [&str; 4] = ["result", "output", "answer", "response"];

/// Verbs after the phrase a key's description counts that say it counts what a
/// search gives back (`Number of titles to return`).
const RETURNS: [&str; 6] = ["return", "retrieve", "fetch", "show", "list", "display"];

/// Whether an integer key counts what a search gives back, by its description
/// (`Maximum number of books to return`).
pub(super) fn counts_returned(prop: &Value) -> bool {
    let Some(phrase) = counted(prop) else { return false };
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
    let said = words(description.split(". ").next().unwrap_or(description));
    said.windows(phrase.len() + 2).any(|w| {
        w[..phrase.len()] == phrase[..] && w[phrase.len()] == "to" && RETURNS.contains(&w[phrase.len() + 1].as_str())
    })
}

/// Where the text writes a number with the sign of the one currency a key's
/// description prices it in (`Maximum price in US dollars`: `under $150`), as
/// [`unit_values`] has numbers in a unit, where the text writes one such amount,
/// once.
pub(super) fn priced_values(prop: &Value, toks: &[Token], text: &str) -> Vec<usize> {
    priced(prop, toks, text, false)
}

/// [`priced_values`] with the amounts written with the currency's name after them
/// too (`300 bucks`): weaker evidence, which a key's own words outrank (`budget is
/// 500, 2 dollars per cupcake`).
pub(super) fn priced_amounts(prop: &Value, toks: &[Token], text: &str) -> Vec<usize> {
    priced(prop, toks, text, true)
}

/// The one currency a key's description prices it in (`Maximum price in US dollars`:
/// `USD`), if it names one.
pub(super) fn described_currency(prop: &Value) -> Option<&'static str> {
    currency(prop.get("description").and_then(Value::as_str).unwrap_or(""))
}

/// The one currency `s` names, if it names one.
fn currency(s: &str) -> Option<&'static str> {
    match crate::currency::written(s).as_deref() {
        Some([(_, code)]) => Some(*code),
        _ => None,
    }
}

fn priced(prop: &Value, toks: &[Token], text: &str, by_name: bool) -> Vec<usize> {
    if !matches!(main_type(prop), Some("number" | "integer")) {
        return Vec::new();
    }
    let Some(code) = described_currency(prop) else { return Vec::new() };
    let mut signed: Vec<Value> = signed_amounts(text)
        .into_iter()
        .filter(|(c, _)| currency(&c.to_string()) == Some(code))
        .map(|(_, n)| n)
        .collect();
    // (or with its name after it: `300 bucks`, `50 US dollars`)
    for i in (1..toks.len()).filter(|_| by_name) {
        let (Token::Number(n), Token::Word(w)) = (&toks[i - 1], &toks[i]) else { continue };
        let two = format!("{w} {}", word_at(toks, i + 1));
        if (currency(w) == Some(code) || currency(&two) == Some(code)) && !signed.contains(n) {
            signed.push(n.clone());
        }
    }
    // (one amount: `under $120, with a $50 coupon` says which of two is whose only in words)
    if signed.len() != 1 {
        return Vec::new();
    }
    let once = |n: &Value| toks.iter().filter(|t| matches!(t, Token::Number(m) if m == n)).count() == 1;
    (0..toks.len()).filter(|&i| matches!(&toks[i], Token::Number(n) if signed.contains(n) && once(n))).collect()
}

/// Where the text writes the noun phrase a number key's description opens with, two
/// or three words in a row (`The significance level. Default is 0.05.` for `alpha`:
/// `at a significance level of 0.01`): the places of its first and last words.
pub(super) fn described_mentions(prop: &Value, toks: &[Token]) -> Vec<(usize, usize)> {
    if !matches!(main_type(prop), Some("number" | "integer")) {
        return Vec::new();
    }
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("");
    let opening = said.split(|c: char| ".,;:(".contains(c)).next().unwrap_or("");
    let phrase: Vec<String> = words(opening)
        .into_iter()
        .skip_while(|w| matches!(w.as_str(), "the" | "a" | "an"))
        .take_while(|w| !PHRASE_ENDS.contains(&w.as_str()))
        .map(|w| stem(&w))
        .collect();
    if !(2..=3).contains(&phrase.len()) {
        return Vec::new();
    }
    let n = phrase.len();
    (n - 1..toks.len())
        .filter(|&i| toks[i + 1 - n..=i].iter().zip(&phrase).all(|(t, p)| matches!(t, Token::Word(w) if stem(w) == *p)))
        .map(|i| (i + 1 - n, i))
        .collect()
}

/// The unit a key for the unit of the text's numbers (`unit`, `distance_unit`: a
/// string, no choices) takes: the one unit of measure the text writes its numbers in
/// or asks for (`a radius of 4 inches`, `7 m and 11 m`, `the distance in miles`), as
/// written; `None` where it writes none, several, or one of two words (`km/h`), and
/// for a conversion's two keys. A key with choices of units (`celsius`,
/// `fahrenheit`) takes the choice that names that unit (`68°F`), as may the source
/// of a conversion (`input_unit`: `12ft by 15ft`, not the unit asked for); its target
/// takes the choice the text asks for (`output_unit`: `the current in milliamperes`).
pub(super) fn unit_written(key: &str, prop: &Value, toks: &[Token], text: &str) -> Option<String> {
    let last = words(key).last().cloned().unwrap_or_default();
    // (not a conversion's two units: `from_unit`, `to_unit`)
    let role = super::convert::conversion_role(key);
    let choices = super::choices::enum_strings(prop).filter(|_| main_type(prop) == Some("string"));
    // (a target with choices takes only the unit the text asks for: `the current in
    // milliamperes` for `output_unit`)
    let target = role == Some(false);
    let fits_key = match &choices {
        Some(_) => true,
        None => plain_string(prop) && role.is_none(),
    };
    if !matches!(last.as_str(), "unit" | "units") || !fits_key {
        return None;
    }
    let choice_of = |w: &str| -> Option<&String> {
        let mut named = choices.iter().flatten().filter(|c| shape::same_unit(c, w));
        named.next().filter(|_| named.next().is_none())
    };
    let mut units: Vec<(&str, bool)> = Vec::new();
    for i in 1..toks.len() {
        let (Token::Word(w), before) = (&toks[i], &toks[i - 1]) else { continue };
        // (`20 x 14 feet`: the `×` is no unit)
        if w == "×" {
            continue;
        }
        // (`68 degrees Fahrenheit` is in Fahrenheit)
        let degrees = i >= 2
            && matches!(toks[i - 2], Token::Number(_))
            && matches!(before, Token::Word(d) if shape::same_unit(d, "deg"));
        let after_number = matches!(before, Token::Number(_)) || degrees;
        // (`degrees` before a scale is no unit of its own)
        let scale = |t: Option<&Token>| matches!(t, Some(Token::Word(n)) if shape::degrees_of(n, "degrees"));
        if shape::same_unit(w, "deg") && after_number && scale(toks.get(i + 1)) {
            continue;
        }
        // (a unit it cannot read is another: `15 m³` beside `45 kg`)
        if after_number && !w.chars().all(char::is_alphabetic) {
            return None;
        }
        // (a letter after `in` is no unit: `in C`)
        let asked = matches!(before, Token::Word(b) if b == "in" || (target && (b == "to" || b == "into")))
            && w.chars().count() > 1
            && role != Some(true);
        if !(after_number || asked) || !shape::is_unit(w) || w.contains('^') {
            continue;
        }
        // (of choices, only the units they name: `350 F for 20 min`)
        if choices.is_some() && choice_of(w).is_none() {
            continue;
        }
        if matches!(toks.get(i + 1), Some(Token::Word(n)) if shape::is_unit(n)) {
            return None;
        }
        units.push((w, after_number));
    }
    // (the unit the numbers are written in before one the text asks for: `350 F in
    // celsius`)
    let written: Vec<&str> = units.iter().filter(|(_, n)| *n && !target).map(|(w, _)| *w).collect();
    if target {
        units.retain(|(_, n)| !n);
    }
    let units: Vec<&str> = if written.is_empty() { units.iter().map(|(w, _)| *w).collect() } else { written };
    let first = *units.first()?;
    if !units.iter().all(|u| shape::same_unit(u, first)) {
        return None;
    }
    if choices.is_some() {
        return choice_of(first).cloned();
    }
    // (of the kind the description names, where it names any: not `days` for a
    // temperature unit `celsius or fahrenheit`, nor `kg` for a system `'metric'`; and
    // no unit of time where it names none, `the next 5 days`)
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("");
    let default = prop.get("default").and_then(Value::as_str).map(str::to_string).or_else(|| {
        let lower = said.to_lowercase();
        let at = lower.find("default")?;
        words(&said[at..]).into_iter().find(|w| shape::is_unit(w))
    });
    // (its default names no kind: `Default is 'cm'` is no less a unit for `inches`)
    let named: Vec<String> =
        words(said).into_iter().filter(|w| shape::is_unit(w) && Some(w) != default.as_ref()).collect();
    let listed = !examples(said, prop.get("default")).is_empty();
    let of_time = of_time(first);
    // (the default is of the kind: `'F' or 'C'. Default 'F'.`)
    let fits = if named.is_empty() {
        !listed && !of_time
    } else {
        named.iter().chain(&default).any(|n| shape::same_unit(n, first))
    };
    if !fits {
        return None;
    }
    // (in the text's own case: `MWh`)
    let written = text.split(|c: char| !c.is_alphanumeric()).find(|w| w.to_lowercase() == first);
    Some(written.unwrap_or(first).to_string())
}

/// The one piece of the text written in the shape of a string key's example, where
/// that shape is digits and marks alone (`The season, e.g. '2021-2022'`: `2019-2020`;
/// `'2023-24'`: `2022-23`; not a formula's `'x^3'`): each digit of one class, the
/// marks as they are. `None` where no example has such a shape or the text writes
/// none or several pieces of it.
pub(super) fn shaped_as_example(prop: &Value, text: &str) -> Option<String> {
    let description = prop.get("description").and_then(Value::as_str).filter(|_| plain_string(prop))?;
    let shape = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' => '9',
                'A'..='Z' => 'A',
                'a'..='z' => 'a',
                c => c,
            })
            .collect()
    };
    // (digits and marks alone: a formula's `x^3` is no shape of one)
    let marked = |s: &String| {
        s.contains('9')
            && s.chars().all(|c| c == '9' || !c.is_alphanumeric() && !c.is_whitespace())
            && s.contains(|c: char| c != '9')
    };
    let all: Vec<String> = examples(description, prop.get("default")).iter().map(|e| shape(e)).collect();
    let shapes: Vec<String> = all.iter().filter(|s| marked(s)).cloned().collect();
    if shapes.is_empty() {
        return code_written_apart(&all, text);
    }
    let mut found = text
        .split(char::is_whitespace)
        .map(|p| p.trim_matches(|c: char| ",.;:!?()[]\"'".contains(c)))
        .filter(|p| shapes.contains(&shape(p)));
    let one = found.next()?;
    found.all(|p| p == one).then(|| one.to_string())
}

/// English words and common abbreviations of two letters: no code's letters (`in
/// 2025`, `us 3`, `ID 4456`); nor is a unit (`km 40`), nor a year (`LA 2025`).
const TWO_LETTER_WORDS: [&str; 36] = [
    "am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it", "me", "my", "no", "of", "oh", "ok",
    "on", "or", "so", "to", "up", "us", "we", "pm", "id", "hi", "ex", "vs", "mr", "ms", "dr", "st", "ya",
];

/// The one code of two letters and two to five digits written apart in any case (`ba 287`),
/// where an example of the key is such a code written together (`'UA100'`): as the
/// example writes it, `BA287`.
fn code_written_apart(shapes: &[String], text: &str) -> Option<String> {
    let coded = |s: &String| (4..=7).contains(&s.len()) && s.starts_with("AA") && s[2..].bytes().all(|b| b == b'9');
    if !shapes.iter().any(coded) {
        return None;
    }
    let ws: Vec<&str> = text.split(char::is_whitespace).filter(|w| !w.is_empty()).collect();
    let mut found = ws.windows(2).filter_map(|w| {
        let digits = w[1].trim_end_matches(|c: char| ",.;:!?)".contains(c));
        let letters = w[0].trim_start_matches('(');
        let fits = letters.len() == 2
            && letters.bytes().all(|b| b.is_ascii_alphabetic())
            && !TWO_LETTER_WORDS.contains(&letters.to_lowercase().as_str())
            && !shape::is_unit(letters)
            && !(digits.len() == 4 && digits.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y)))
            && (2..=5).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit());
        fits.then(|| format!("{}{digits}", letters.to_uppercase()))
    });
    let one = found.next()?;
    found.all(|p| p == one).then_some(one)
}
