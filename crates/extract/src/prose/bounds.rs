//! Keys that bound a range (`min_price` / `max_price`, `start_year` / `end_year`)
//! and the range the text writes for them (`between 50 and 150`, `from 2010 to
//! 2015`, `20-30`).

use super::anchor::Anchor;
use super::described::{in_units, measured_in, unit_at};
use super::tokens::{before_number, word_at, Token};
use super::words::{is_coordinator, names, side_rest, PREPOSITIONS};
use crate::align::{stem, words};
use crate::plan::{main_type, Field, Part, Presence};
use crate::shape;
use crate::value::Candidate;
use serde_json::Value;

/// Words that name a range's two ends, low first (`min_price` / `max_price`,
/// `departure_date` / `return_date`, `check_in` / `check_out`).
const ENDS: [(&str, &str); 14] = [
    ("min", "max"),
    ("minimum", "maximum"),
    ("lower", "upper"),
    ("low", "high"),
    ("lowest", "highest"),
    ("earliest", "latest"),
    ("start", "end"),
    ("begin", "end"),
    ("from", "to"),
    ("in", "out"),
    ("departure", "return"),
    ("outbound", "return"),
    ("pickup", "return"),
    ("arrival", "departure"),
];

/// Whether `low` and `high` name the two ends of one range: a pair of [`ENDS`], the
/// rest of their words the same (`min_price` and `max_price`; not `max_results`).
fn ends(low: &str, high: &str) -> bool {
    let (lw, hw) = (words(low), words(high));
    ENDS.iter().any(|(l, h)| {
        let without = |ws: &[String], w: &str| -> Option<Vec<String>> {
            ws.iter().any(|x| x == w).then(|| ws.iter().filter(|x| *x != w).cloned().collect())
        };
        matches!((without(&lw, l), without(&hw, h)), (Some(a), Some(b)) if a == b)
    })
}

/// The one pair of keys of `kind` that bound one range ([`ends`]), low first.
fn pair_of<'k>(props: &[(&'k str, &Value)], kind: &dyn Fn(&Value) -> bool) -> Option<(&'k str, &'k str)> {
    let keys: Vec<&str> = props.iter().filter(|(_, p)| kind(p)).map(|(k, _)| *k).collect();
    let pairs: Vec<(&str, &str)> =
        keys.iter().flat_map(|&l| keys.iter().map(move |&h| (l, h))).filter(|&(l, h)| l != h && ends(l, h)).collect();
    match pairs[..] {
        [pair] => Some(pair),
        _ => None,
    }
}

/// The one pair of number keys that bound one range.
pub(super) fn range_keys<'k>(props: &[(&'k str, &Value)]) -> Option<(&'k str, &'k str)> {
    pair_of(props, &|p| matches!(main_type(p), Some("number" | "integer")))
}

/// The words of a key other than the ends' (`price` of `min_price`).
fn rest(key: &str) -> Vec<String> {
    let end = |w: &str| ENDS.iter().any(|(l, h)| *l == w || *h == w);
    words(key).into_iter().filter(|w| !end(w)).collect()
}

/// The ranges the text writes, rising: `between 50 and 150`, `from 2010 to 2015`,
/// `20 to 30`, `20-30`, a word allowed after the first number (`50 miles and 200`),
/// as the tokens of their two numbers.
fn ranges(toks: &[Token]) -> Vec<(usize, usize)> {
    let word = |i: usize| word_at(toks, i);
    let value = |i: usize| match toks.get(i) {
        Some(Token::Number(n)) => n.as_f64(),
        _ => None,
    };
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let Some(a) = value(i) else { continue };
        let joins = |w: &str| matches!(w, "and" | "to" | "through" | "until" | "till");
        let join = if value(i + 1).is_none() && !word(i + 1).is_empty() && !joins(word(i + 1)) { i + 2 } else { i + 1 };
        let range = match word(join) {
            "and" => word(before_number(toks, i)) == "between",
            w => joins(w),
        };
        if range && value(join + 1).is_some_and(|b| b > a) {
            out.push((i, join + 1));
        }
    }
    out
}

/// The range a number key's values lie in, where it says one: its schema's
/// `minimum` and `maximum`, the one range its description writes (`The brightness
/// level from 0 to 100`), 0 to 1 for a probability (`The probability of success`).
pub(super) fn value_range(key: &str, prop: &Value) -> (f64, f64) {
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("");
    // (read for every number a key is offered: the description is tokenized only
    // where it writes a digit, the only place a range can be)
    let toks = if said.contains(|c: char| c.is_ascii_digit()) { super::tokens::tokens(said) } else { Vec::new() };
    let number = |t: &Token| match t {
        Token::Number(n) => n.as_f64(),
        _ => None,
    };
    // (a range the description bounds with `from` or `between`, not a typical one,
    // `typically 15 to 30`, nor a rate, `1-2 per room`)
    let bounding = |a: usize, b: usize| {
        matches!(word_at(&toks, before_number(&toks, a)), "from" | "between") && word_at(&toks, b + 1) != "per"
    };
    let (mut low, mut high) = match ranges(&toks)[..] {
        [(a, b)] if bounding(a, b) => (number(&toks[a]).unwrap_or(f64::MIN), number(&toks[b]).unwrap_or(f64::MAX)),
        _ => (f64::MIN, f64::MAX),
    };
    let said_words = words(said);
    let opening = said_words.iter().find(|w| *w != "the" && *w != "a");
    let in_percent = said.contains('%') || said_words.iter().any(|w| w == "percent" || w == "percentage");
    if words(key).iter().chain(opening).any(|w| w == "probability") && !in_percent {
        (low, high) = (low.max(0.0), high.min(1.0));
    }
    let bound = |k: &str| prop.get(k).and_then(Value::as_f64);
    (bound("minimum").map_or(low, |m| low.max(m)), bound("maximum").map_or(high, |m| high.min(m)))
}

/// Words that say a key holds money (`Maximum price in US dollars`, `max_budget`).
const MONEY: [&str; 10] = ["price", "cost", "budget", "fee", "rent", "salary", "dollar", "usd", "euro", "money"];

/// Whether a range says it measures what the keys bound, by a word written right
/// after either number that is a unit the keys' description names or their other
/// words (`50 and 200 miles`, `3-4 bedrooms`), or right before the range (`ages
/// 8-12`); by a currency sign before its first number for keys of money (`between
/// $50 and $150`); or by being years for keys of years (`from 2010 to 2015`). Not
/// `40-50 inches`, `2-3 person tents` or `sizes 9-10` for a price, `June 3 to 7`, nor
/// years for other keys or other numbers for years.
fn measures(toks: &[Token], (i, j): (usize, usize), low: &str, prop: &Value, text: &str) -> bool {
    let units = measured_in(prop);
    let described = words(prop.get("description").and_then(Value::as_str).unwrap_or(""));
    let own = rest(low);
    // (a unit the description names, `in miles`, or writes, `in US dollars`, or the
    // keys' other words)
    let said_at = |k: usize| match toks.get(k) {
        Some(Token::Word(w)) => {
            unit_at(toks, k).is_some_and(|u| in_units(&units, &u))
                || (shape::is_unit(w) && described.iter().any(|d| stem(d) == stem(w)))
                || own.iter().any(|r| stem(r) == stem(w))
        }
        _ => false,
    };
    let closes = match toks.get(j + 1) {
        None | Some(Token::Punct(_)) => true,
        Some(Token::Word(w)) => is_coordinator(w) || PREPOSITIONS.contains(&w.as_str()),
        _ => false,
    };
    // (`50 miles and 200`: the word after the first number says what it measures; one
    // number alone, `under $200`, is the range's one end)
    let first = i == j || i + 1 == j - 1 || said_at(i + 1);
    // (the word before the range, past its `between` or `from`)
    let before = before_number(toks, i);
    let before = if matches!(word_at(toks, before), "between" | "from") { before.wrapping_sub(1) } else { before };
    let year = |k: usize| matches!(&toks[k], Token::Number(n) if n.as_u64().is_some_and(|y| (1000..3000).contains(&y)));
    let of_years = own.iter().any(|r| stem(r) == "year") || described.iter().any(|d| stem(d) == "year");
    let money = own.iter().chain(&described).any(|w| MONEY.contains(&stem(w).as_str()));
    let signed = |k: usize| {
        let Some(n) = (match &toks[k] {
            Token::Number(n) => n.as_f64(),
            _ => None,
        }) else {
            return false;
        };
        let plain = text.replace(',', "");
        ["$", "€", "£"].iter().any(|c| plain.contains(&format!("{c}{n}")))
    };
    // (or the currency's name after the last number: `50 to 150 bucks`)
    let named = money && crate::currency::is_name(word_at(toks, j + 1));
    // (keys that bound any value, `min_value` / `max_value`, `lower_bound` /
    // `upper_bound`, take a range that closes its phrase whatever it measures:
    // `numbers between one and fifty,`)
    let generic = own.iter().all(|w| matches!(w.as_str(), "value" | "number" | "num" | "val" | "bound" | "limit"));
    let said = first
        && ((said_at(j + 1) || (closes && said_at(before)))
            || (closes && money && signed(i))
            || named
            || (closes && generic && !money));
    // (an amount of money is no year: `under $1,500`)
    let money_written = money && (signed(i) || named);
    if of_years {
        year(i) && year(j) && (closes || said_at(j + 1))
    } else {
        !(year(i) && year(j) && !money_written) && said
    }
}

/// The one pair of keys that bound a range ([`range_keys`]) takes the one range the
/// text writes for them ([`measures`]), low then high, before any other anchor:
/// `between 50 and 200 miles` gives `min_distance` 50 and `max_distance` 200
/// whatever the schema's order.
pub(super) fn bounds(
    fields: &[Field],
    toks: &[Token],
    text: &str,
    fits: &dyn Fn(&Field, &Token) -> bool,
    pairs: &mut Vec<Anchor>,
) {
    let props: Vec<(&str, &Value)> = fields
        .iter()
        .filter(|f| f.presence == Presence::Present && matches!(f.part, Part::Scalar { .. }))
        .filter_map(|f| Some((f.key.as_str(), f.part.schema()?)))
        .collect();
    let Some((low, high)) = range_keys(&props) else { return };
    let (Some(l), Some(h)) = (fields.iter().position(|f| f.key == low), fields.iter().position(|f| f.key == high))
    else {
        return;
    };
    let Some(prop) = fields[l].part.schema() else { return };
    let written: Vec<(usize, usize)> =
        ranges(toks).into_iter().filter(|&r| measures(toks, r, low, prop, text)).collect();
    if let [(i, j)] = written[..] {
        if fits(&fields[l], &toks[i]) && fits(&fields[h], &toks[j]) {
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, l, i));
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, h, j));
        }
    }
    // One end written after a word that bounds it (`under $200`, `at least 3
    // bedrooms`) is that end's, where the text writes no range and one such end.
    // (at most one of each: `over $50 but under $120` gives both)
    if written.is_empty() {
        let ends: Vec<(usize, bool)> = (0..toks.len())
            .filter_map(|i| Some((i, bound_before(toks, i)?)))
            .filter(|&(i, _)| measures(toks, (i, i), low, prop, text))
            .collect();
        for upper in [false, true] {
            let side: Vec<usize> = ends.iter().filter(|(_, u)| *u == upper).map(|(i, _)| *i).collect();
            let k = if upper { h } else { l };
            if let [i] = side[..] {
                if fits(&fields[k], &toks[i]) {
                    pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, k, i));
                }
            }
        }
    }
}

/// Whether the words right before number token `i` bound it from above (`under`,
/// `below`, `up to`, `at most`, `less than`, `max`) or below (`over`, `above`, `at
/// least`, `more than`, `min`).
pub(super) fn bound_before(toks: &[Token], i: usize) -> Option<bool> {
    if !matches!(toks.get(i), Some(Token::Number(_))) {
        return None;
    }
    let w = |k: usize| if k < i { word_at(toks, i - 1 - k) } else { "" };
    // (not after a negation: `no more than $100`, `not over $100`, `nothing above`)
    let negated = |k: usize| matches!(w(k), "no" | "not" | "nothing" | "never");
    if negated(1) || (negated(2) && matches!((w(1), w(0)), ("up", "to") | ("at", _) | (_, "than"))) {
        return None;
    }
    match (w(1), w(0)) {
        (_, "under" | "below" | "max" | "maximum") | ("up", "to") | ("at", "most") | ("less" | "fewer", "than") => {
            Some(true)
        }
        (_, "over" | "above" | "min" | "minimum") | ("at", "least") | ("more", "than") => Some(false),
        _ => None,
    }
}

/// Whether the text writes a range for `key`, one of the one pair of keys that
/// bound one ([`range_keys`]): a key it does not name is present so (`between $50
/// and $150` for `min_price` and `max_price`).
pub(super) fn range_written(key: &str, props: &[(&str, &Value)], toks: &[Token], text: &str) -> bool {
    let Some((low, high)) = range_keys(props) else { return false };
    let Some((_, prop)) = props.iter().find(|(k, _)| *k == low) else { return false };
    (key == low || key == high) && ranges(toks).into_iter().any(|r| measures(toks, r, low, prop, text))
}

/// A pair of date keys that bound one range (`start_date` / `end_date`,
/// `departure_date` / `return_date`) takes the two dates the text writes, in its
/// order, where it writes two that rise (`between June 1 and August 31, 2025`).
/// Where it writes one, that is the start's: an optional end is left out unless the
/// text names its end or writes the date as one (`a one-way flight on March 3` has no
/// return date; `returning March 3`, `until March 3` may have one).
pub(super) fn date_range(fields: &mut [Field], text: &str, required: &[&str]) {
    let dates = |f: &Field| -> Option<Vec<String>> {
        let Part::Scalar { candidates, schema } = &f.part else { return None };
        (f.presence == Presence::Present && main_type(schema) == Some("string"))
            .then(|| candidates.iter().filter_map(|c| c.value.as_str().map(str::to_string)).collect())
    };
    let found = crate::date::found(text);
    let written: Vec<crate::date::Date> = found.iter().map(|(_, d)| *d).collect();
    let props: Vec<(&str, &Value)> = fields
        .iter()
        .filter(|f| dates(f).is_some_and(|d| d.len() == written.len() && (1..=2).contains(&d.len())))
        .filter_map(|f| Some((f.key.as_str(), f.part.schema()?)))
        .collect();
    let Some((low, high)) = pair_of(&props, &|_| true) else { return };
    if written.len() == 1 {
        let text_words = words(text);
        let own: Vec<String> = words(high).into_iter().filter(|w| !words(low).contains(w)).collect();
        // (or writes the date as an end: `up to 2024-03-31`, `until March 31`)
        let before = words(&text[..found[0].0.start]);
        let as_end =
            before.last().is_some_and(|w| matches!(w.as_str(), "to" | "until" | "till" | "through" | "by" | "before"));
        let named = as_end || own.iter().any(|k| text_words.iter().any(|w| names(k, w)));
        if !named && !required.contains(&high) {
            let high = high.to_string();
            for f in fields.iter_mut().filter(|f| f.key == high) {
                if let Some(schema) = f.part.schema().cloned() {
                    f.presence = Presence::Absent;
                    f.part = Part::Open { schema };
                }
            }
        }
        return;
    }
    let [a, b] = written[..] else { return };
    if (a.year, a.month, a.day) >= (b.year, b.month, b.day) {
        return;
    }
    // (the keys' two candidates are those dates, in the keys' layout: not two
    // choices of another kind)
    let year = |c: &String| [a, b].iter().any(|d| d.year.is_some_and(|y| c.contains(&y.to_string())));
    if ![low, high].iter().all(|k| fields.iter().any(|f| f.key == *k && dates(f).is_some_and(|d| d.iter().all(year)))) {
        return;
    }
    let (low, high) = (low.to_string(), high.to_string());
    for f in fields.iter_mut() {
        let Some(both) = dates(f) else { continue };
        let value = if f.key == low {
            &both[0]
        } else if f.key == high {
            &both[1]
        } else {
            continue;
        };
        let Some(schema) = f.part.schema().cloned() else { continue };
        f.part =
            Part::Scalar { candidates: vec![Candidate { value: Value::String(value.clone()), score: 1.0 }], schema };
    }
}

/// Words that name the side before a change (`initial_concentration`,
/// `current_weight`, `start_percent`) and the side after it (`final_concentration`,
/// `target_weight`, `target_percent`); any of the first with any of the second.
const BEFORE: [&str; 6] = ["initial", "start", "starting", "current", "original", "old"];
const AFTER: [&str; 7] = ["final", "end", "ending", "target", "new", "desired", "goal"];

/// Whether keys `a` and `b` name the two sides of one change, before first: a word
/// of [`BEFORE`] and one of [`AFTER`], the rest of their words the same.
fn change_sides(a: &str, b: &str) -> bool {
    matches!((side_rest(a, &BEFORE), side_rest(b, &AFTER)), (Some(x), Some(y)) if x == y && !x.is_empty())
}

/// Whether the text writes a change, `from 20 to 90%`, for `key`, one of the one pair
/// of number keys for its two sides ([`change_sides`]): an optional side it does not
/// name is present so. The change must say it measures what the keys count: a
/// percentage for keys in percent, else a unit the keys' description names or a
/// word of theirs after its last number (`from 10,000 to 80,000 cells`); not `open
/// from 9 to 5`.
pub(super) fn change_written(key: &str, props: &[(&str, &Value)], toks: &[Token]) -> bool {
    let numeric: Vec<(&str, &Value)> =
        props.iter().filter(|(_, p)| matches!(main_type(p), Some("number" | "integer"))).copied().collect();
    let keys: Vec<&str> = numeric.iter().map(|(k, _)| *k).collect();
    let Some((before, after)) = change_pair(&keys) else { return false };
    let Some(&(_, prop)) = numeric.iter().find(|(k, _)| *k == after) else { return false };
    let percent = super::tokens::counts_in_percent(after, prop);
    let units = measured_in(prop);
    let own: Vec<String> = words(after).into_iter().filter(|w| !AFTER.contains(&w.as_str())).collect();
    let measured = |j: usize| {
        if percent {
            matches!(toks.get(j), Some(Token::Percent(_))) || word_at(toks, j + 1) == "percent"
        } else {
            unit_at(toks, j + 1).is_some_and(|u| in_units(&units, &u))
                || own.iter().any(|w| w.len() >= 3 && stem(w) == stem(word_at(toks, j + 1)))
        }
    };
    (key == before || key == after)
        && (0..toks.len()).any(|i| {
            word_at(toks, i) == "from"
                && matches!(toks.get(i + 1), Some(Token::Number(_) | Token::Percent(_)))
                && word_at(toks, i + 2) == "to"
                && matches!(toks.get(i + 3), Some(Token::Number(_) | Token::Percent(_)))
                && measured(i + 3)
        })
}

/// A pair of number keys for the two sides of one change ([`change_sides`]) where the
/// text writes one of their numbers right after `to` (`diluted to 0.5 M`; not `into 4
/// mugs`) takes it for the side after, and one right after `from` for the side
/// before: falling as well as rising (`cooled from 90 to 20`). Only numbers both keys
/// may take; the other key keeps the rest.
pub(super) fn changes(fields: &mut [Field], toks: &[Token]) {
    let Some((before, after)) = change_keys(fields) else { return };
    let candidates = |k: usize| match &fields[k].part {
        Part::Scalar { candidates, .. } => candidates.iter().map(|c| c.value.clone()).collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let both: Vec<Value> =
        candidates(before).into_iter().filter(|v| candidates(after).iter().any(|w| crate::value::same(v, w))).collect();
    for (k, word) in [(after, "to"), (before, "from")] {
        let written: Vec<Value> =
            numbers_after(toks, word).into_iter().filter(|v| both.iter().any(|b| crate::value::same(b, v))).collect();
        let [n] = &written[..] else { continue };
        let other = if k == after { before } else { after };
        let Some(value) = both.iter().find(|b| crate::value::same(b, n)).cloned() else { continue };
        if let Part::Scalar { candidates, .. } = &mut fields[other].part {
            if candidates.len() > 1 {
                candidates.retain(|c| !crate::value::same(&c.value, &value));
            }
        }
        if let Part::Scalar { candidates, .. } = &mut fields[k].part {
            *candidates = vec![Candidate { value, score: 1.0 }];
        }
    }
}

/// The one pair of open number keys for the two sides of a change
/// ([`change_sides`]), before first.
fn change_keys(fields: &[Field]) -> Option<(usize, usize)> {
    let open: Vec<&str> = fields.iter().filter(|f| super::open_number(f)).map(|f| f.key.as_str()).collect();
    let (before, after) = change_pair(&open)?;
    Some((fields.iter().position(|f| f.key == before)?, fields.iter().position(|f| f.key == after)?))
}

/// The one pair of `keys` for the two sides of a change ([`change_sides`]), before
/// first.
fn change_pair<'k>(keys: &[&'k str]) -> Option<(&'k str, &'k str)> {
    let pairs: Vec<(&str, &str)> = keys
        .iter()
        .flat_map(|&a| keys.iter().map(move |&b| (a, b)))
        .filter(|&(a, b)| a != b && change_sides(a, b))
        .collect();
    match pairs[..] {
        [pair] => Some(pair),
        _ => None,
    }
}

/// The numbers (and percentages) the text writes right after `word`.
fn numbers_after(toks: &[Token], word: &str) -> Vec<Value> {
    (1..toks.len())
        .filter(|&i| matches!(&toks[i - 1], Token::Word(w) if w == word))
        .filter_map(|i| match &toks[i] {
            Token::Number(n) | Token::Percent(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}
