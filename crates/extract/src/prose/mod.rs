//! The plan for prose (requests, descriptions): no labels to lay the schema over, so
//! the text gives evidence instead. A required key is always written; an optional
//! one only where the text names it (a word of its key, or one of its enum values)
//! or writes a value of its kind (an example its description lists, the one place
//! after `in` for the schema's one key for a place).
//! Numbers are the numbers the text writes, strings are spans of the text, a choice
//! is among the values the text writes (else all), and the model picks among what
//! the evidence leaves (a value written right at a key's words is that key's).
//!
//! `object` reads the evidence in passes over the keys' parts: what each key's own
//! description and words say (`described`, `flags`), a polynomial's coefficients
//! (`equation`), the range a pair of keys bounds (`bounds`), values written right at
//! a key's words (`anchor`), names (`names`), languages and countries as the codes a
//! key asks for (`codes`), then choices, as written or in words of the same degree
//! (`choices`) and as numbers (`scales`), the two units of a conversion (`convert`),
//! and numbers by their units: rates, sizes, other units of a key's kind, systems of
//! units (`measures`); last, spans refuse what other keys take in other words.
//! `tokens` and `words` read the text for all of them.

mod anchor;
mod bounds;
mod choices;
mod codes;
mod convert;
mod counts;
mod described;
mod equation;
mod flags;
mod frequency;
mod lists;
mod measures;
mod names;
mod radix;
mod scales;
#[cfg(test)]
mod tests;
mod tokens;
mod words;

use crate::align::{stem, words};
use crate::emit::refuse;
use crate::plan::{main_type, resolve, Field, Part, Plan, Presence};
use crate::shape;
use crate::value::{self, Candidate};
use anchor::{anchor, count_spots, currencies};
use bounds::{change_written, range_written};
use choices::{anchor_choices, loose_choices, partial_choices, reordered_choices, sexed_choices, sided_choices};
use described::{
    at_rest, coded, counted_alone, described_mentions, duration_value, examples_beside, examples_written, is_month_key,
    month_value, ordinal_value, periodic, priced_amounts, shaped_as_example, timed, times_a_year, unit_values,
    unit_written, year_value,
};
use flags::{as_flag, own_words, shared_words};
use lists::written_series;
use names::{
    anchor_names, choices_inside_names, holds_a_name, holds_a_place, introduced, lowercase_place, maker_after_work,
    name_the_subject, named_before_noun, place_of, work_by_maker,
};
use scales::number_choices;
use serde_json::Value;
use tokens::{identifiers, number, tokens, Token};
use words::{is_key_word, is_negation_word, mentions, names, negated_flag, negated_form, same_stem_root};

/// The prose plan of `text` under `schema`.
pub fn plan(schema: &Value, text: &str) -> Plan {
    let toks = tokens(text);
    let root = object(schema, schema, text, &toks, 0);
    Plan { root, aligned_labels: 0, spare_labels: 0, named_in_prose: 0, placed: 0 }
}

/// Verbs a flag's name opens with that turn its thing off (`avoid_tolls`,
/// `exclude_weekends`).
pub(super) const OFF_VERBS: [&str; 5] = ["avoid", "exclude", "skip", "omit", "without"];

/// Most levels of nested objects the prose plan reads; deeper ones (a schema that
/// refers to itself) are left to the model.
const MAX_DEPTH: usize = 4;

/// The plan of one object of the schema (`root` resolves its references).
fn object(root: &Value, schema: &Value, text: &str, toks: &[Token], depth: usize) -> Part {
    let text_words = words(text);
    let stems: Vec<String> = text_words.iter().map(|w| stem(w)).collect();
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
    // (whether a key took the one duration the text writes, converted)
    let mut by_duration = false;
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        // (one month the text names is no start and end month both)
        let month_keys = props.keys().filter(|k| is_month_key(k)).count();
        // (one date and time the text writes is no two keys')
        let dated = props.iter().filter(|(k, p)| takes_dates(k, resolve(root, p))).count();
        // (one duration the text writes is no two keys' in units of time)
        let timed_keys = props.iter().filter(|(k, p)| timed(k, resolve(root, p))).count();
        let keys: Vec<&String> = props.keys().collect();
        let resolved: Vec<(&str, &Value)> = props.iter().map(|(k, p)| (k.as_str(), resolve(root, p))).collect();
        let counts = counted_alone(resolved.iter().map(|(_, p)| Some(*p)));
        // (the one key for a place, where the schema has one)
        let places = resolved.iter().filter(|(k, p)| holds_a_place(k, p)).count();
        // (and the one optional key for a name, where the schema has one)
        let name_keys = resolved.iter().filter(|(k, p)| !required.contains(k) && holds_a_name(k, p)).count();
        let shared = shared_words(&resolved);
        for ((key, prop), counts) in props.iter().zip(&counts) {
            let prop = resolve(root, prop);
            let is_required = required.contains(&key.as_str());
            let items = prop.get("items").map(|i| resolve(root, i));
            let choices = prop.get("enum").or_else(|| items.and_then(|i| i.get("enum"))).and_then(Value::as_array);
            // (a word of the same root names a number key, `serve` names `servings`: an
            // optional number still needs a value written at its words; not a string,
            // `Create a meeting` names no `created_by`; a flag by any word of its root:
            // `detailed` names `detail`, `details` `detailed`)
            // (a flag that turns a thing off, `avoid_highways`, is named by its thing:
            // `avoid tolls` names `avoid_tolls` only)
            let kw = words(key);
            let off_verb = main_type(prop) == Some("boolean") && kw.len() >= 2 && OFF_VERBS.contains(&kw[0].as_str());
            let own = own_words(&kw, &shared);
            let naming = if off_verb {
                &kw[1..]
            } else if main_type(prop) == Some("boolean") && !own.is_empty() {
                &own[..]
            } else {
                &kw[..]
            };
            // (not by a word that is another key's whole name: `the notes E, G, B` names
            // `notes`, not `bass_note`)
            let others_name = |w: &String| {
                keys.iter().any(|k| k.as_str() != key && words(k).len() == 1 && stem(&words(k)[0]) == stem(w))
            };
            let named = naming.iter().filter(|w| w.len() >= 3 && !others_name(w)).any(|w| stems.contains(&stem(w)))
                || (choices.is_none()
                    && matches!(main_type(prop), Some("number" | "integer"))
                    && words(key).iter().any(|k| text_words.iter().any(|w| same_stem_root(k, w))))
                || (main_type(prop) == Some("boolean")
                    && naming
                        .iter()
                        .filter(|w| w.len() >= 3)
                        .any(|k| toks.iter().any(|t| matches!(t, Token::Word(w) if names(k, w)))));
            let written = choices.is_some_and(|c| !written_in_order(c, text).is_empty());
            // A key whose description lists values (`'IMAX', '2D'`, `e.g. vegan,
            // gluten-free`) takes one the text writes; an optional one is present so.
            let examples = examples_written(prop, items, text);
            // An optional key for a place, the schema's one, takes the one place the
            // text writes after `in` (`landmark cases in China` for `country`).
            // (a proper name: a place, or a maker)
            let mut proper = if !is_required && places == 1 { place_of(key, prop, &keys, text) } else { Vec::new() };
            // An optional key for a name, the schema's one, takes the name the text
            // writes after `by` right after a quoted work (`'Billie Jean' by Michael
            // Jackson`).
            if proper.is_empty() && !is_required && name_keys == 1 && holds_a_name(key, prop) {
                proper.extend(maker_after_work(text).map(|n| Candidate { value: Value::String(n), score: 1.0 }));
            }
            let present = is_required
                || named
                || written
                || !examples.is_empty()
                || !proper.is_empty()
                || !unit_values(prop, toks).is_empty()
                || !priced_amounts(prop, toks, text).is_empty()
                || !described_mentions(prop, toks).is_empty()
                || range_written(key, &resolved, toks, text)
                || change_written(key, &resolved, toks)
                || (counts.is_some() && !count_spots(prop, toks, text).is_empty())
                || shape_written(key, prop, text, toks)
                || (plain_string(prop) && introduced(key, prop, &keys, text))
                || (plain_string(prop) && words(key).iter().any(|w| w == "currency") && currency_asked(text));
            // (a count the text writes in other words, `compounded monthly`, and a month
            // it names: `March 2024`)
            let early = times_a_year(key, prop, toks)
                .or_else(|| ordinal_value(key, prop, toks, text))
                .map(Value::from)
                .or_else(|| month_value(key, prop, text).filter(|_| month_keys == 1));
            let timed_value = if early.is_none() && timed_keys == 1 { duration_value(key, prop, toks) } else { None };
            by_duration |= timed_value.is_some() && (examples.is_empty() || is_required);
            let converted = early
                .or(timed_value)
                .or_else(|| at_rest(key, prop, toks))
                .or_else(|| periodic(prop, toks))
                .or_else(|| unit_written(key, prop, toks, text).map(Value::from))
                .or_else(|| shaped_as_example(prop, text).map(Value::from))
                .or_else(|| codes::code_of(key, prop, &resolved, text))
                .or_else(|| measures::unit_system(prop, toks));
            // (a required one where the text gives its value no other way, where it
            // would be any span of the text, and writes the example beside one of the
            // key's words: `a vacation leave request` for `leave_type`, not `weather
            // in Kyoto, I flew in from Tokyo` for a `city` whose example is `Tokyo`)
            let part = if !examples.is_empty() && !is_required {
                Some(Part::Scalar { candidates: examples, schema: prop.clone() })
            } else if let Some(value) = converted {
                Some(Part::Scalar { candidates: vec![Candidate { value, score: 1.0 }], schema: prop.clone() })
            } else if !proper.is_empty() {
                Some(Part::Scalar { candidates: proper, schema: prop.clone() })
            } else if present {
                let beside = examples_beside(key, &examples, text);
                match value_part(key, prop, text, &numbers, toks, (root, depth, dated, &shared)) {
                    Some(Part::Span { .. }) if !beside.is_empty() && plain_string(prop) => {
                        Some(Part::Scalar { candidates: beside, schema: prop.clone() })
                    }
                    part => part,
                }
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
    equation::polynomial(&mut fields, text);
    bounds::date_range(&mut fields, text, &required);
    anchor(&mut fields, toks, text);
    // (the numbers of a duration a key took are no other key's: `27 min 30 sec`)
    if by_duration {
        let taken = described::duration_numbers(toks);
        for f in fields.iter_mut() {
            if let Part::Scalar { candidates, .. } = &mut f.part {
                let is_taken = |c: &Candidate| taken.iter().any(|t| value::same(t, &c.value));
                if candidates.len() > 1 && candidates.iter().any(|c| !is_taken(c)) {
                    candidates.retain(|c| !is_taken(c));
                }
            }
        }
    }
    measures::rates(&mut fields, toks);
    bounds::changes(&mut fields, toks);
    measures::dimensions(&mut fields, toks);
    anchor_names(&mut fields, text);
    named_before_noun(&mut fields, text);
    work_by_maker(&mut fields, text);
    lowercase_place(&mut fields, text);
    radix::bases(&mut fields, text);
    written_series(&mut fields, text);
    lists::day_sets(&mut fields, text);
    lists::added_thing(&mut fields, text);
    name_the_subject(&mut fields, text);
    choices_inside_names(&mut fields, text, &required);
    anchor_choices(&mut fields, text, &required);
    number_choices(&mut fields, text);
    loose_choices(&mut fields, text);
    partial_choices(&mut fields, text);
    reordered_choices(&mut fields, text);
    sexed_choices(&mut fields, text);
    sided_choices(&mut fields, text);
    frequency::frequency_choices(&mut fields, text);
    currencies(&mut fields, text);
    convert::conversions(&mut fields, text);
    measures::into_key_units(&mut fields, toks);
    measures::cents(&mut fields, toks);
    refuse_taken(&mut fields, text, toks);
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
    counts::leftover_count(&mut fields, toks, text);
    Part::Object { fields, extra: Vec::new() }
}

/// Whether the text asks for amounts in one currency it names after `in` (`prices
/// in euros`, `in GBP`), and names no other.
fn currency_asked(text: &str) -> bool {
    let Some(written) = crate::currency::written(text) else { return false };
    let [(at, _)] = written[..] else { return false };
    text[..at].trim_end().rsplit(|c: char| !c.is_alphanumeric()).next().is_some_and(|w| w.eq_ignore_ascii_case("in"))
}

/// What another key takes in other words (a time, a date, a period it settles) or as
/// the one number it takes is no span's to hold nor be a part of
/// ([`crate::emit::REFUSE`]): `remind me to take my meds every day at 8am` leaves the
/// message `take my meds`, not `every day at 8am`.
fn refuse_taken(fields: &mut [Field], text: &str, toks: &[Token]) {
    let takes = |is: fn(&str) -> bool| {
        fields.iter().any(|f| match &f.part {
            Part::Scalar { candidates, .. } if f.presence == Presence::Present => {
                !candidates.is_empty() && candidates.iter().all(|c| c.value.as_str().is_some_and(is))
            }
            _ => false,
        })
    };
    // (the one time or date the text writes: where it writes two, the span may be
    // about the other, `tell Sam I'll be home by 6pm, send it at 5pm`)
    let mut taken: Vec<String> = Vec::new();
    let times = crate::clock::written(text);
    if times.len() == 1 && takes(|s| shape::is_time(s) || (shape::is_date(s) && s.contains('T'))) {
        taken.extend(times);
    }
    // (or every date it writes, where as many keys each take one: `from July 10, 2022
    // to July 20, 2022` leaves no `2022` to a room type)
    let settled_dates = fields
        .iter()
        .filter(|f| f.presence == Presence::Present)
        .filter(|f| {
            matches!(&f.part, Part::Scalar { candidates, .. }
                if candidates.len() == 1
                    && candidates[0].value.as_str().is_some_and(|d| shape::is_date(d) || !crate::date::written(d).is_empty()))
        })
        .count();
    let dates = crate::date::written_as(text);
    if (dates.len() == 1 && takes(shape::is_date)) || (!dates.is_empty() && settled_dates >= dates.len()) {
        taken.extend(dates.into_iter().map(str::to_string));
    }
    for f in fields.iter().filter(|f| f.presence == Presence::Present) {
        if let Part::Scalar { candidates, schema } = &f.part {
            if let (Some((choice, words)), [one]) = (described::period(schema, toks), &candidates[..]) {
                if one.value == choice {
                    taken.push(words);
                }
            }
            // (the one number a number key takes, where the text writes its digits
            // once: `under $200` is no part of the query; with the key's word right
            // before it, that too: `volume 30`)
            if let [one] = &candidates[..] {
                let digits = one.value.as_number().map(ToString::to_string).unwrap_or_default();
                if !digits.is_empty() && text.matches(digits.as_str()).count() == 1 {
                    // (and the word that holds them, whole: no span ends in the `$`
                    // of `under $200`)
                    let word = word_holding(&digits, text);
                    let bound = bounding_phrase(&digits, text);
                    taken.push(named_before(&f.key, &digits, text).unwrap_or(digits));
                    taken.extend(word);
                    taken.extend(bound);
                }
            }
        }
    }
    if taken.is_empty() {
        return;
    }
    for f in fields.iter_mut() {
        let Part::Span { schema } = &mut f.part else { continue };
        if !plain_string(schema) {
            continue;
        }
        refuse(schema, taken.iter().map(String::as_str));
    }
}

/// `digits` with the word of `key` written right before them, as the text writes
/// them (`volume 30` for `volume`), if it does.
fn named_before(key: &str, digits: &str, text: &str) -> Option<String> {
    let at = text.find(digits)?;
    let head = text[..at].trim_end_matches(' ');
    let word: String =
        head.chars().rev().take_while(|c| c.is_alphabetic()).collect::<Vec<_>>().into_iter().rev().collect();
    let named = !word.is_empty() && head.len() < at && words(key).iter().any(|k| is_key_word(k, &word.to_lowercase()));
    named.then(|| text[head.len() - word.len()..at + digits.len()].to_string())
}

/// The word of the text that holds `digits` with the word before it, where that
/// word bounds the number (`under $200`): no span ends in `under`.
fn bounding_phrase(digits: &str, text: &str) -> Option<String> {
    let ws: Vec<&str> = text.split_whitespace().collect();
    let at = ws.iter().position(|w| w.contains(digits)).filter(|&at| at > 0)?;
    let bounds = matches!(ws[at - 1].to_lowercase().as_str(), "under" | "below" | "over" | "above" | "within");
    let word = ws[at].trim_end_matches([',', '.', ';', ':', '!', '?']);
    bounds.then(|| format!("{} {word}", ws[at - 1]))
}

/// The word of the text that is `digits` with a currency sign before them or a unit
/// after them (`$200`, `100g`, `16th`), without the marks that close a phrase.
fn word_holding(digits: &str, text: &str) -> Option<String> {
    let word = text.split_whitespace().find(|w| w.contains(digits))?;
    let word = word.trim_end_matches([',', '.', ';', ':', '!', '?']);
    let (sign, unit) = word.split_once(digits)?;
    let signed = sign.is_empty() || (sign.chars().count() == 1 && "$€£¥".contains(sign));
    let unit_after = unit.chars().all(|c| c.is_alphabetic() || c == '°');
    (word != digits && signed && unit_after).then(|| word.to_string())
}

/// Whether number `n` is an amount of money and so no year for `key`, a key named
/// for a year: the text writes it after a currency sign, and its digits once (`$1,000
/// from 1990`; not `$2,000 from 2000`).
pub(super) fn money_no_year(key: &str, n: &Value, text: &str) -> bool {
    let once = text.replace(',', "").matches(n.to_string().as_str()).count() == 1;
    words(key).last().is_some_and(|w| w == "year") && once && tokens::signed_amounts(text).iter().any(|(_, m)| m == n)
}

/// Whether a key takes a date: named for one (`return_date`, `start_datetime`), of
/// a date's `format`, or described in a date's layout (`YYYY-MM-DD`) or with an
/// example of one (`2025-01-31T09:00`).
fn takes_dates(key: &str, prop: &Value) -> bool {
    let format = prop.get("format").and_then(Value::as_str);
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("").to_lowercase();
    words(key).last().is_some_and(|w| w.ends_with("date") || w.ends_with("datetime"))
        || matches!(format, Some("date" | "date-time"))
        || said.contains("yyyy")
        || crate::clock::asks_date_time(&said, format).is_some()
}

/// The part of a key the text gives evidence for; `None` when its value has a shape
/// (a date, an e-mail address) that the text never writes.
fn value_part(
    key: &str,
    prop: &Value,
    text: &str,
    numbers: &[&Token],
    toks: &[Token],
    (root, depth, dated, shared): (&Value, usize, usize, &[String]),
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
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
    // (named for a date, or described as one: `Check-in date (month and day)`, `in
    // YYYY-MM-DD format`, not with a time)
    let lower = description.to_lowercase();
    let opening = lower.split(|c: char| ".,;:(".contains(c)).next().unwrap_or("");
    let described =
        (words(opening).last().is_some_and(|w| w == "date") || lower.contains("yyyy")) && !lower.contains("hh");
    let date_key = format == Some("date")
        || ((words(key).last().is_some_and(|w| w == "date") || described)
            && format.is_none()
            && prop.get("pattern").is_none());
    // (unless the key wants it `as written`: then it is a span like any string)
    if main_type(prop) == Some("string")
        && date_key
        && prop.get("enum").is_none()
        && !description.contains("as written")
    {
        let mut found: Vec<Candidate> = Vec::new();
        // (a date with no year is the key's as written, where its description asks for
        // no year: `Check-in date (month and day)`)
        let as_written = |at: std::ops::Range<usize>| Some(text[at].to_string()).filter(|_| !lower.contains("yyyy"));
        for (at, d) in crate::date::found(text) {
            let Some(d) = crate::date::layout(d, description).or_else(|| as_written(at)) else { continue };
            if !found.iter().any(|c| c.value == d) {
                found.push(Candidate { value: Value::String(d), score: 0.8 });
            }
        }
        if !found.is_empty() {
            return Some(string(found));
        }
    }
    if main_type(prop) == Some("string") {
        // A key for a date and a time takes the one of each the text writes, joined,
        // where it is the object's one key for a date (not `start` and `end`, nor a
        // departure beside a return date).
        if let Some(at) = crate::clock::date_time(text, description, format).filter(|_| dated == 1) {
            return Some(string(vec![Candidate { value: Value::String(at), score: 0.8 }]));
        }
        if let Some(fits) = shape::of_format(prop) {
            let found = shaped(&fits);
            return (!found.is_empty()).then(|| string(found));
        }
        // A key named for a time (`start_time`; `showtime` or `depart_after` where its
        // description asks a clock's layout and, for the latter, names a time) takes
        // the times the text writes, in the layout its description asks (`3:30pm` is
        // `15:30` in 24-hour `HH:MM`).
        let lower = description.to_lowercase();
        let clock = lower.contains("hh:mm") && !lower.contains("yyyy");
        let timed = |w: &String| w == "time" || (clock && w.ends_with("time") && !w.ends_with("datetime"));
        let described_time = clock && words(&lower).iter().any(|w| w == "time");
        if words(key).last().is_some_and(timed) || described_time {
            let mut found: Vec<Candidate> = Vec::new();
            for t in crate::clock::written(text).iter().map(|t| crate::clock::layout(t, description)) {
                if !found.iter().any(|c| c.value == t.as_str()) {
                    found.push(Candidate { value: Value::String(t), score: 0.8 });
                }
            }
            if !found.is_empty() {
                return Some(string(found));
            }
        }
        // A key named for an e-mail address (or, where the text names it or the
        // schema requires it, described as one: `Email address of the recipient`)
        // takes one the text writes, if any.
        let described: Option<fn(&str) -> bool> = shape::described_as_email(prop).then_some(shape::is_email);
        if let Some(fits) = shape::of_name(key).or(described) {
            let found = shaped(&fits);
            if !found.is_empty() {
                return Some(string(found));
            }
        }
        // A key named for a web address (`url`, `website`, `domain`) takes one the text
        // writes (`staging.myapp.io`), if any.
        if words(key).last().is_some_and(|w| matches!(w.as_str(), "url" | "website" | "domain" | "link")) {
            let found = shaped(&shape::is_web_address);
            if !found.is_empty() {
                return Some(string(found));
            }
        }
        // A key named for a function (`function`, `expression`) takes the one call the
        // text writes (`cos(x)`, `log(x+1)`), where it writes one.
        let formula = ["function", "func", "expression", "formula"];
        if words(key).last().is_some_and(|w| formula.contains(&w.as_str())) {
            if let [call] = calls(text)[..] {
                return Some(string(vec![Candidate { value: Value::String(call.to_string()), score: 0.8 }]));
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
            let mut spots = mentions(key, toks);
            let all = spots.clone();
            // (a flag that turns a thing off, `avoid_tolls`, is on where the text
            // writes its verb, or the thing negated: `without paying any tolls`)
            let kw = words(key);
            let off = kw.len() >= 2 && OFF_VERBS.contains(&kw[0].as_str());
            // (by its own words where it shares some with other flags)
            let own = own_words(&kw, shared);
            if !off && !own.is_empty() && own.len() < kw.len() {
                spots.retain(|&m| matches!(&toks[m], Token::Word(w) if own.iter().any(|k| is_key_word(k, w))));
            }
            // (its verb where the thing is next to it in its phrase: `avoiding
            // highways` is no `avoid_tolls`, `toll roads avoided` is)
            let is_thing =
                |t: &Token| matches!(t, Token::Word(w) if kw[1..].iter().any(|k| k.len() >= 3 && names(k, w)));
            let phrase = |t: &&Token| !matches!(t, Token::Punct(_));
            let thing = |m: usize| {
                toks[m + 1..(m + 4).min(toks.len())].iter().take_while(phrase).any(is_thing)
                    || toks[m.saturating_sub(3)..m].iter().rev().take_while(phrase).any(is_thing)
            };
            let verb: Vec<usize> = spots
                .iter()
                .copied()
                .filter(|&m| off && matches!(&toks[m], Token::Word(w) if names(&kw[0], w)) && thing(m))
                .collect();
            let spots: Vec<usize> = if off {
                spots.iter().copied().filter(|&m| !matches!(&toks[m], Token::Word(w) if names(&kw[0], w))).collect()
            } else {
                spots
            };
            // (the thing negated right before it, or after `without`: not `no
            // problem with tolls`)
            let denied = |m: usize| {
                matches!(toks.get(m.wrapping_sub(1)), Some(Token::Word(w)) if is_negation_word(w))
                    || toks[m.saturating_sub(3)..m].iter().any(|t| matches!(t, Token::Word(w) if w == "without"))
            };
            // (a key word with a prefix that negates it, at or right before the
            // mention: `unequal variances` for `equal_variance`)
            let negated_form = |m: usize| {
                toks[m.saturating_sub(1)..=m].iter().any(|t| matches!(t, Token::Word(w) if negated_form(key, w)))
                    || (m > 0 && matches!(&toks[m - 1], Token::Word(w) if w == "non"))
            };
            let value = if !off || !verb.is_empty() {
                !negated_flag(if off { &verb } else { &spots }, toks, &all, key)
                    && !spots.iter().any(|&m| negated_form(m))
            } else {
                spots.iter().any(|&m| denied(m))
            };
            let candidates = if spots.is_empty() {
                [false, true].map(|b| Candidate { value: Value::Bool(b), score: 0.5 }).to_vec()
            } else {
                vec![Candidate { value: Value::Bool(value), score: 0.8 }]
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
            // (an amount of money is no year: `$1,000 from 1990 worth in 2020`)
            let mut fits: Vec<Candidate> = Vec::new();
            for n in numbers.iter().filter_map(|t| number(t, key, prop)).filter(|n| !money_no_year(key, n, text)) {
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

/// The choices of a list's items that the text writes, in its order, as many as the
/// list takes; `None` when its items are no choice or the text writes none.
fn written_items(root: &Value, prop: &Value, text: &str) -> Option<Vec<Value>> {
    let choices = prop.get("items").map(|i| resolve(root, i)).and_then(|i| i.get("enum")).and_then(Value::as_array)?;
    let mut found = written_in_order(choices, text);
    found.truncate(max_items(prop));
    (!found.is_empty()).then_some(found)
}

/// The choices the text writes (as [`value::choose`] finds them, every one of them
/// if it writes all), in the order it writes them; empty when it writes none. Not a
/// choice written only inside another one it writes: `medium rare` is no `medium`
/// nor `rare` where `medium_rare` is a choice.
fn written_in_order(choices: &[Value], text: &str) -> Vec<Value> {
    let text_words = words(text);
    let inner = value::written_inside_others(choices, text);
    let mut found: Vec<(usize, Value)> = value::choose(choices, text)
        .into_iter()
        .filter(|c| c.score >= 0.7 && !inner.contains(&c.value))
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

/// Whether a present number key still has numbers to choose among (more than one
/// candidate): a key a later reading may settle.
fn open_number(f: &Field) -> bool {
    f.presence == Presence::Present
        && matches!(&f.part, Part::Scalar { candidates, schema }
            if candidates.len() > 1 && matches!(main_type(schema), Some("number" | "integer")))
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
        !crate::clock::written(text).is_empty()
    } else if format == Some("email") || has("email") {
        any(shape::is_email)
    } else if format == Some("date") || (has("date") && format.is_none() && prop.get("pattern").is_none()) {
        crate::date::written(text).iter().any(|d| d.year.is_some())
    } else {
        false
    }
}

/// The calls of a function the text writes: a name of letters and its arguments in
/// brackets right after it, with no space in them (`cos(x)`, `log(x+1)`).
fn calls(text: &str) -> Vec<&str> {
    let pieces: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || ",;\"'`".contains(c))
        .map(|p| p.trim_end_matches(['.', '?', '!', ':']))
        .filter(|p| !p.is_empty())
        .collect();
    // (a name of two letters or more, `f(x)` names a function it does not write; and
    // the whole of a formula: not `sin(x)` of `x * sin(x)`)
    let word = |p: Option<&&str>| p.is_none_or(|p| p.len() >= 2 && p.chars().all(char::is_alphabetic));
    (0..pieces.len())
        .filter(|&i| {
            let Some((name, rest)) = pieces[i].split_once('(') else { return false };
            name.len() >= 2
                && name.chars().all(|c| c.is_ascii_alphabetic())
                && rest.ends_with(')')
                && rest.len() > 1
                && !rest[..rest.len() - 1].contains(['(', ')'])
                && word(i.checked_sub(1).and_then(|j| pieces.get(j)))
                && word(pieces.get(i + 1))
        })
        .map(|i| pieces[i])
        .collect()
}

/// The text's whitespace-separated pieces, without quotes, brackets and a closing `.`.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || ",;()\"'`".contains(c)).map(|t| t.trim_end_matches(['.', ':', '!', '?']))
}

/// An object schema that lists at least one key.
pub fn keyed(schema: &Value) -> bool {
    schema.get("properties").and_then(Value::as_object).is_some_and(|m| !m.is_empty())
}
