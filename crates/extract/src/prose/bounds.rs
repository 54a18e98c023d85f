//! Keys that bound a range (`min_price` / `max_price`, `start_year` / `end_year`)
//! and the range the text writes for them (`between 50 and 150`, `from 2010 to
//! 2015`, `20-30`).

use super::anchor::Anchor;
use super::described::{in_units, measured_in, unit_at};
use super::tokens::Token;
use super::words::{is_coordinator, PREPOSITIONS};
use crate::align::{stem, words};
use crate::plan::{main_type, Field, Part, Presence};
use crate::shape;
use serde_json::Value;

/// Which side of a range a key bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Low,
    High,
}

/// The side a key bounds, by a word of its name (`min_price`, `release_year_max`,
/// `start_year`); `None` for a key with words of both sides or neither.
fn side(key: &str) -> Option<Side> {
    let kw = words(key);
    let has = |ws: &[&str]| kw.iter().any(|w| ws.contains(&w.as_str()));
    let low = has(&["min", "minimum", "lower", "start", "from", "earliest", "lowest"]);
    let high = has(&["max", "maximum", "upper", "end", "to", "until", "latest", "highest"]);
    match (low, high) {
        (true, false) => Some(Side::Low),
        (false, true) => Some(Side::High),
        _ => None,
    }
}

/// The words of a key other than its side's (`price` of `min_price`).
fn rest(key: &str) -> Vec<String> {
    words(key).into_iter().filter(|w| side(w).is_none()).collect()
}

/// The one pair of number keys that bound one range: a low and a high of the same
/// other words (`min_price` and `max_price`; not `max_results`).
pub(super) fn range_keys<'k>(props: &[(&'k str, &Value)]) -> Option<(&'k str, &'k str)> {
    let number = |p: &Value| matches!(main_type(p), Some("number" | "integer"));
    let of = |s: Side| props.iter().filter(move |(k, p)| number(p) && side(k) == Some(s));
    let pairs: Vec<(&str, &str)> = of(Side::Low)
        .flat_map(|(l, _)| of(Side::High).map(move |(h, _)| (*l, *h)))
        .filter(|(l, h)| rest(l) == rest(h))
        .collect();
    match pairs[..] {
        [pair] => Some(pair),
        _ => None,
    }
}

/// The ranges the text writes, rising: `between 50 and 150`, `from 2010 to 2015`,
/// `20 to 30`, `20-30`, a word allowed after the first number (`50 miles and 200`),
/// as the tokens of their two numbers.
fn ranges(toks: &[Token]) -> Vec<(usize, usize)> {
    let word = |i: usize| match toks.get(i) {
        Some(Token::Word(w)) => w.as_str(),
        _ => "",
    };
    let value = |i: usize| match toks.get(i) {
        Some(Token::Number(n)) => n.as_f64(),
        _ => None,
    };
    let mut out = Vec::new();
    for i in 0..toks.len() {
        let Some(a) = value(i) else { continue };
        let joins = |w: &str| matches!(w, "and" | "to" | "through" | "until" | "till");
        let join = if value(i + 1).is_none() && !word(i + 1).is_empty() && !joins(word(i + 1)) { i + 2 } else { i + 1 };
        // (the word before, past the list a run of numbers opens with)
        let before = if matches!(toks.get(i.wrapping_sub(1)), Some(Token::List(_))) { i.wrapping_sub(1) } else { i };
        let range = match word(join) {
            "and" => word(before.wrapping_sub(1)) == "between",
            w => joins(w),
        };
        if range && value(join + 1).is_some_and(|b| b > a) {
            out.push((i, join + 1));
        }
    }
    out
}

/// Whether a range measures what the keys bound: a word written right after either
/// number is a unit the keys' description names, or their other words (`3-4
/// bedrooms` for `min_bedrooms`; not `40-50 inches` for a price in dollars, nor
/// `2-3 person tents`), or joins a phrase (`between $50 and $150, sorted`); and
/// years (`from 2010 to 2015`) bound only keys of years.
fn measures(toks: &[Token], (i, j): (usize, usize), low: &str, prop: &Value) -> bool {
    let units = measured_in(prop);
    let described = words(prop.get("description").and_then(Value::as_str).unwrap_or(""));
    // (a unit the description names, `in miles`, or writes, `in US dollars`)
    let said_at = |k: usize| match toks.get(k) {
        Some(Token::Word(w)) => {
            unit_at(toks, k).is_some_and(|u| in_units(&units, &u))
                || (shape::is_unit(w) && described.iter().any(|d| stem(d) == stem(w)))
                || rest(low).iter().any(|r| stem(r) == stem(w))
        }
        _ => false,
    };
    let fits_after = match toks.get(j + 1) {
        None | Some(Token::Punct(_)) => true,
        Some(Token::Word(w)) => said_at(j + 1) || is_coordinator(w) || PREPOSITIONS.contains(&w.as_str()),
        _ => false,
    };
    // (`50 miles and 200`: the word after the first number says the same)
    let first_unit = i + 1 == j - 1 || said_at(i + 1);
    let year = |k: usize| matches!(&toks[k], Token::Number(n) if n.as_u64().is_some_and(|y| (1000..3000).contains(&y)));
    let of_years = rest(low).iter().any(|r| stem(r) == "year")
        || prop.get("description").and_then(Value::as_str).is_some_and(|d| d.to_lowercase().contains("year"));
    fits_after && first_unit && (!(year(i) && year(j)) || of_years)
}

/// The one pair of keys that bound a range ([`range_keys`]) takes the one range the
/// text writes for them ([`measures`]), low then high, before any other anchor:
/// `between 50 and 200 miles` gives `min_distance` 50 and `max_distance` 200
/// whatever the schema's order.
pub(super) fn bounds(fields: &[Field], toks: &[Token], fits: &dyn Fn(&Field, &Token) -> bool, pairs: &mut Vec<Anchor>) {
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
    let written: Vec<(usize, usize)> = ranges(toks).into_iter().filter(|&r| measures(toks, r, low, prop)).collect();
    if let [(i, j)] = written[..] {
        if fits(&fields[l], &toks[i]) && fits(&fields[h], &toks[j]) {
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, l, i));
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, h, j));
        }
    }
}

/// Whether the text writes a range for `key`, one of the one pair of keys that
/// bound one ([`range_keys`]): a key it does not name is present so (`between $50
/// and $150` for `min_price` and `max_price`).
pub(super) fn range_written(key: &str, props: &[(&str, &Value)], toks: &[Token]) -> bool {
    let Some((low, high)) = range_keys(props) else { return false };
    let Some((_, prop)) = props.iter().find(|(k, _)| *k == low) else { return false };
    (key == low || key == high) && ranges(toks).into_iter().any(|r| measures(toks, r, low, prop))
}
