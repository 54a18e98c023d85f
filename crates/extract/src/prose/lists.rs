//! Lists the text writes as a series: items between commas, the last after `and` or
//! `or` (`tofu, spinach and rice`), given to the one key that takes a list of names
//! and refused to the other keys' spans; days a word for a set of them names; the
//! thing a request adds to a list.

use super::words::{is_negation_word, DETERMINERS, FUNCTION_WORDS, PREPOSITIONS};
use super::{max_items, plain_string};
use crate::align::words;
use crate::emit::refuse;
use crate::plan::{main_type, Field, Part, Presence};
use crate::shape;
use crate::value::Candidate;
use serde_json::Value;

/// The days of the week, which a series of dates lists.
pub(super) const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Verbs that open a request to put things somewhere: `add`, `put`, `buy`.
pub(super) const PUT_VERBS: [&str; 8] = ["add", "put", "buy", "get", "grab", "pack", "bring", "order"];

/// Most words of one item of a series.
const ITEM_WORDS: usize = 3;

/// The series the text writes, of three items or more: items of at most
/// [`ITEM_WORDS`] words between commas, the last after `and` or `or` (`, and` too).
/// The items between two commas, all of one width, tell how many words one holds:
/// the first is as many words before its comma, the last as many after the `and` at
/// most, ending at a punctuation mark, the text's end or a word that opens a phrase
/// (`and rice for dinner` ends at `rice`). No series has an item of several words with a number in
/// it (`coolant 87 C`), an item that negates (`but no mushrooms`) or a day of the
/// week, an item opening with a determiner (`a dozen eggs`), nor follows a negation
/// in its sentence (`without nuts, dairy or gluten`), `from` or `at` (`from Target,
/// Costco or Walmart`) or a number (`2 gallons of milk, …`).
pub(super) fn series(text: &str) -> Vec<Vec<String>> {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let bare = |w: &str| w.trim_matches(|c: char| "\"'`()[]".contains(c)).to_string();
    let opens = |w: &str| {
        let w = bare(w).to_lowercase();
        PREPOSITIONS.contains(&w.as_str()) || FUNCTION_WORDS.contains(&w.as_str()) || DETERMINERS.contains(&w.as_str())
    };
    let joins = |w: &str| matches!(w, "and" | "or");
    let comma = |w: &str| w.ends_with(',');
    // (punctuation other than a comma ends the series)
    let stops = |w: &str| w.trim_end_matches(|c: char| "\"'`)]".contains(c)).ends_with(|c: char| ".;:!?".contains(c));
    let item = |ws: &[&str]| bare(ws.join(" ").trim_end_matches(|c: char| ",.;:!?".contains(c)));
    let mut out = Vec::new();
    for i in (0..raw.len()).filter(|&i| comma(raw[i])) {
        // Middle items: words up to a comma, or up to `and`/`or` (the last separator).
        let (mut middles, mut j, mut closed) = (Vec::new(), i + 1, false);
        while j < raw.len() && !joins(raw[j]) {
            let Some(len) = (0..ITEM_WORDS).find(|&n| {
                raw.get(j + n).is_some_and(|w| comma(w) || stops(w)) || raw.get(j + n + 1).is_some_and(|w| joins(w))
            }) else {
                break;
            };
            let words = &raw[j..=j + len];
            if words.iter().any(|w| stops(w) || joins(w)) {
                break;
            }
            middles.push(words.to_vec());
            j += len + 1;
            if !comma(raw[j - 1]) {
                closed = raw.get(j).is_some_and(|w| joins(w));
                break;
            }
            closed = raw.get(j).is_some_and(|w| joins(w));
        }
        if middles.is_empty() || !closed {
            continue;
        }
        // (the middle items, of one width, tell the first's: where they differ, where
        // the first begins is not written, `…, organized, easy going and …`)
        let width = middles.iter().map(Vec::len).max().unwrap_or(1);
        if middles.iter().any(|m| m.len() != width) {
            continue;
        }
        // The first item: as many words before its comma, none of them opening a phrase.
        let Some(mut start) = (i + 1).checked_sub(width) else { continue };
        // (not the request's verb that opens the text: `put eggs, oat milk and …`)
        if start == 0 && start < i && PUT_VERBS.contains(&bare(raw[0]).to_lowercase().as_str()) {
            start = 1;
        }
        let first = &raw[start..=i];
        if first.iter().any(|w| opens(w)) || raw[start..i].iter().any(|w| comma(w) || stops(w)) {
            continue;
        }
        // The last item: after `and`/`or`, as many words at most, that end where the
        // phrase does (at a punctuation mark, the text's end or a word that opens a
        // phrase: `and rice for lunch`), not cut short (`and titled "Gateway …`).
        let mut last = Vec::new();
        let mut ended = false;
        for (n, w) in raw.iter().enumerate().skip(j + 1) {
            if opens(w) {
                ended = true;
                break;
            }
            if n > j + width {
                break;
            }
            last.push(*w);
            if !w.ends_with(char::is_alphanumeric) {
                ended = true;
                break;
            }
        }
        ended |= j + 1 + last.len() == raw.len();
        if last.is_empty() || !ended {
            continue;
        }
        let mut items = vec![item(first)];
        items.extend(middles.iter().map(|m| item(m)));
        items.push(item(&last));
        // (an item of several words with a number in it is a measure or a clause, not a
        // name: `coolant 87 C`, `resolved 17:02`; one that negates is no item, `but no
        // mushrooms`, and a series after a negation in its sentence is what is not
        // wanted: `without nuts, dairy or gluten`; days are dates, not names)
        let measure = |s: &String| s.contains(' ') && s.contains(|c: char| c.is_ascii_digit());
        let negates = |w: &str| {
            let w = bare(w).to_lowercase();
            is_negation_word(&w) || matches!(w.as_str(), "but" | "except" | "excluding")
        };
        let sentence = raw[..start].iter().rev().take_while(|w| !stops(w)).count();
        let negated = raw[start - sentence..=j].iter().any(|w| negates(w))
            || items.iter().any(|s| s.split_whitespace().any(&negates));
        let days = items.iter().any(|s| WEEKDAYS.contains(&s.to_lowercase().as_str()));
        // (a series after `from` or `at` lists places or sources, `from Target, Costco
        // or Walmart`; one whose first item follows a number, or with an item opening
        // with a determiner, lists amounts, `2 gallons of milk, a dozen eggs and bread`)
        let before = start.checked_sub(1).map(|b| bare(raw[b]).to_lowercase()).unwrap_or_default();
        let placed = matches!(before.as_str(), "from" | "at")
            || before.parse::<f64>().is_ok()
            || crate::align::number_word(&before).is_some();
        let counted = items.iter().any(|s| s.split_whitespace().next().is_some_and(&opens));
        if !negated
            && !days
            && !placed
            && !counted
            && items.iter().all(|s| !s.is_empty() && !measure(s))
            && !out.iter().any(|o: &Vec<String>| o.ends_with(&items[1..]))
        {
            out.push(items);
        }
    }
    out
}

/// The one key of an object that takes a list of names (strings with no choices)
/// takes the one series the text writes, where it has room for all its items.
pub(super) fn written_series(fields: &mut [Field], text: &str) {
    let takes_names = |f: &Field| match &f.part {
        Part::Span { schema } => main_type(schema) == Some("array") && schema.get("items").is_some_and(plain_string),
        _ => false,
    };
    let lists: Vec<usize> = (0..fields.len()).filter(|&k| takes_names(&fields[k])).collect();
    // (a list of e-mail addresses takes addresses, not a series of words)
    let addresses = |k: usize| fields[k].part.schema().is_some_and(shape::described_as_email);
    if lists.iter().any(|&k| addresses(k)) {
        return;
    }
    let [k] = lists[..] else { return };
    let [items] = &series(text)[..] else { return };
    let Part::Span { schema } = &fields[k].part else { return };
    if fields[k].presence != Presence::Present || items.len() > max_items(schema) {
        return;
    }
    let value = Value::Array(items.iter().map(|s| Value::String(s.clone())).collect());
    let schema = schema.clone();
    fields[k].part = Part::Scalar { candidates: vec![Candidate { value, score: 0.7 }], schema };
    // The items are the list's: a key the model fills with a span of the text may
    // neither write one nor a part of one ([`crate::emit::REFUSE`]: `a chess tournament for Alice,
    // Bob and Carol` does not give the game `Carol`).
    for f in fields.iter_mut() {
        let Part::Span { schema } = &mut f.part else { continue };
        if main_type(schema) != Some("string") {
            continue;
        }
        refuse(schema, items.iter().map(String::as_str));
    }
}

/// A list of days of the week (its items' choices name the days: `monday`, `Mon`)
/// takes the days a word for a set of them names, where the text writes one and no day
/// by its name: `weekdays` Monday to Friday, `weekends` Saturday and Sunday, in the
/// choices' order. The schema's one such list, not one of days left out, and not where
/// the text leaves some out (`except`, `not`).
pub(super) fn day_sets(fields: &mut [Field], text: &str) {
    let lower = text.to_lowercase();
    let written = |w: &str| lower.split(|c: char| !c.is_alphanumeric()).any(|p| p == w);
    // (nor where it leaves some out, `every day except weekends`, or names a day or two
    // sets; plurals only: `the weekend` is one)
    let leaves_out = ["except", "but", "not", "no", "without", "excluding"].iter().any(|w| written(w));
    if leaves_out || WEEKDAYS.iter().any(|d| written(d)) {
        return;
    }
    let said: Vec<&[&str]> = [(written("weekdays"), &WEEKDAYS[..5]), (written("weekends"), &WEEKDAYS[5..])]
        .into_iter()
        .filter_map(|(w, d)| w.then_some(d))
        .collect();
    let [days] = said[..] else { return };
    // (the schema's one list of days)
    let lists = fields.iter().filter(|f| f.part.schema().is_some_and(day_list)).count();
    if lists != 1 {
        return;
    }
    // (nor a list of days left out: `excluded_days`, `days_off`)
    let out = |key: &str| {
        words(key).iter().any(|w| {
            matches!(w.as_str(), "excluded" | "exclude" | "off" | "skip" | "blocked" | "unavailable" | "except")
        })
    };
    for f in fields.iter_mut() {
        let Some(schema) = f.part.schema().filter(|s| day_list(s) && !out(&f.key)) else { continue };
        let Some(choices) = schema.get("items").and_then(|i| i.get("enum")).and_then(Value::as_array) else { continue };
        let value: Vec<Value> =
            choices.iter().filter(|c| day(c).is_some_and(|d| days.contains(&WEEKDAYS[d]))).cloned().collect();
        let schema = schema.clone();
        f.part = Part::Scalar { candidates: vec![Candidate { value: Value::Array(value), score: 1.0 }], schema };
        f.presence = Presence::Present;
    }
}

/// The day of the week a choice names: its name or the name's start (`Mon`).
fn day(c: &Value) -> Option<usize> {
    let c = c.as_str().unwrap_or("").to_lowercase();
    WEEKDAYS.iter().position(|d| c.len() >= 3 && d.starts_with(c.as_str()))
}

/// Whether a schema is a list of the days of the week, each one choice of its items.
fn day_list(schema: &Value) -> bool {
    let choices = schema.get("items").and_then(|i| i.get("enum")).and_then(Value::as_array);
    main_type(schema) == Some("array")
        && choices.is_some_and(|c| {
            c.len() == WEEKDAYS.len() && (0..WEEKDAYS.len()).all(|d| c.iter().any(|x| day(x) == Some(d)))
        })
}

/// Kinds of things a request adds, written before the thing's name.
const KINDS_ADDED: [&str; 12] =
    ["show", "movie", "film", "book", "song", "album", "podcast", "task", "item", "event", "reminder", "game"];

/// Last words of a key for the thing a request adds (`title`, `task`, `item`).
const ADDED: [&str; 8] = ["title", "task", "item", "name", "text", "summary", "content", "note"];

/// The thing a request adds somewhere, `add <thing> to <my list>` (`add renew passport
/// to my to-do list`, `add a dentist visit to the calendar`), goes to the schema's one
/// key named for it (`title`, `task`, `item`), a span so far: one to six words, past a
/// determiner, none a mark.
pub(super) fn added_thing(fields: &mut [Field], text: &str) {
    let keys: Vec<usize> = (0..fields.len())
        .filter(|&k| matches!(&fields[k].part, Part::Span { schema } if plain_string(schema)))
        .filter(|&k| words(&fields[k].key).last().is_some_and(|w| ADDED.contains(&w.as_str())))
        .collect();
    let [k] = keys[..] else { return };
    let raw: Vec<&str> = text.split_whitespace().collect();
    let lower = |w: &str| w.to_lowercase();
    let adds: Vec<usize> = (0..raw.len()).filter(|&i| lower(raw[i]) == "add").collect();
    let [at] = adds[..] else { return };
    let Some(to) = (at + 1..raw.len()).find(|&j| lower(raw[j]) == "to") else { return };
    let mut thing: Vec<&str> = raw[at + 1..to].to_vec();
    if thing.first().is_some_and(|w| DETERMINERS.contains(&lower(w).as_str())) {
        thing.remove(0);
    }
    // (past the kind of thing it is: `the show severance`)
    if thing.len() > 1 && KINDS_ADDED.contains(&lower(thing[0]).as_str()) {
        thing.remove(0);
    }
    let marked = thing.iter().any(|w| w.contains(|c: char| ",.;:!?\"'()".contains(c)));
    let owner = raw.get(to + 1).is_some_and(|w| matches!(lower(w).as_str(), "my" | "the" | "our" | "a" | "your"));
    let pronoun =
        matches!(thing[..], [w] if matches!(lower(w).as_str(), "it" | "this" | "that" | "them" | "these" | "those"));
    if thing.is_empty() || thing.len() > 6 || marked || !owner || pronoun {
        return;
    }
    let Part::Span { schema } = &fields[k].part else { return };
    let schema = schema.clone();
    let candidates = vec![Candidate { value: Value::String(thing.join(" ")), score: 0.8 }];
    fields[k].part = Part::Scalar { candidates, schema };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_is_its_items() {
        let cases = [
            ("What can I make with tofu, spinach and rice?", vec![vec!["tofu", "spinach", "rice"]]),
            ("Save a palette called Sunset with orange, pink, and purple.", vec![vec!["orange", "pink", "purple"]]),
            (
                "Buy olive oil, brown rice or black beans for dinner",
                vec![vec!["olive oil", "brown rice", "black beans"]],
            ),
            ("Hi, I want tofu, spinach and rice for lunch", vec![vec!["tofu", "spinach", "rice"]]),
            ("Compare Python, Rust, Go and Java", vec![vec!["Python", "Rust", "Go", "Java"]]),
        ];
        for (text, want) in cases {
            assert_eq!(series(text), want, "{text}");
        }
        // (two items, or items that are no series: none)
        for text in [
            "Find tofu and rice",
            "Hotels in Paris, France",
            "Well, the tofu and the rice",
            "Engine 1507 rpm, coolant 87 C, codes P0420 and P0171.",
            "Resolved 14:20, customers were affected and titled \"Gateway firmware crash loop\".",
            "Find recipes without nuts, dairy or gluten",
            "Dinner ideas using chicken, but no mushrooms, olives or anchovies",
            "Weather for Tuesday, Wednesday and Thursday in Paris",
            "From Target, Costco or Walmart, whichever is cheapest, order paper towels",
            "Order 2 gallons of milk, a dozen eggs and bread",
            "A nurse who is calm, kind, easy going and patient",
        ] {
            assert!(series(text).is_empty(), "{text}: {:?}", series(text));
        }
    }
}
