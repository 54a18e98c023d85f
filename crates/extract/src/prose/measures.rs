//! Numbers read by their units: a number written in another unit than the one its
//! key counts in (`after 3 hours` for `duration_minutes`, `12 centimeters` for a
//! displacement `in meters`) is converted into the key's unit, where both are units
//! of one kind whose ratio is fixed (time, length, mass); an amount in cents into its
//! currency's unit; a rate (`32 hrs a week`) goes to the key that counts per its
//! period; a size (`12 by 14`) to the keys for its sides.

use super::described::{self, measured_in, unit_at};
use super::tokens::{number_spots, round, word_at, Token};
use crate::align::words;
use crate::plan::{main_type, Field, Part, Presence};
use crate::shape;
use crate::value::Candidate;
use serde_json::Value;

/// Units of one kind, as [`shape::same_unit`] reads them, each with its size in the
/// kind's base unit: time (as [`described::SECONDS`] has it), the calendar's months
/// and years, length, mass, volume, capacitance, voltage. (`in` is no inch: as a word of a sentence it is no unit.)
const KINDS: [&[(&str, f64)]; 7] = [
    &described::SECONDS,
    &[("month", 1.0), ("year", 12.0)],
    &[("mm", 0.001), ("cm", 0.01), ("m", 1.0), ("km", 1000.0), ("inch", 0.0254), ("ft", 0.3048), ("mi", 1609.344)],
    &[("mg", 0.001), ("g", 1.0), ("kg", 1000.0), ("lb", 453.592_37), ("oz", 28.349_523_125)],
    &[("ml", 0.001), ("l", 1.0)],
    &[("pf", 1e-12), ("nf", 1e-9), ("uf", 1e-6), ("farad", 1.0)],
    &[("mv", 0.001), ("v", 1.0), ("kv", 1000.0)],
];

/// Quantities a key may be named for, each with the units it is measured in, as
/// [`shape::same_unit`] reads them: a number written in a unit of one is no value of
/// a key named for another (`2.5 liters at 1 atm` for `initial_pressure`).
const QUANTITIES: [(&[&str], &[&str]); 6] = [
    (&["pressure"], &["atm", "atmosphere", "pascal", "pa", "kpa", "bar", "psi", "mmhg", "torr"]),
    (&["volume"], &["l", "ml", "gallon", "quart", "pint", "cup", "teaspoon", "tablespoon"]),
    (&["mass", "weight"], &["kg", "g", "mg", "lb", "oz", "ton", "tonne"]),
    (&["temperature"], &["c", "f", "kelvin"]),
    (
        &["length", "distance", "height", "width", "radius", "diameter", "depth", "altitude"],
        &["mm", "cm", "m", "km", "mi", "ft", "inch", "yard"],
    ),
    (&["duration", "time"], &["ms", "sec", "min", "h", "day", "week", "month", "year"]),
];

/// The quantities of [`QUANTITIES`] that `key` is named for.
fn named_quantities(key: &str) -> Vec<usize> {
    let named = words(key);
    (0..QUANTITIES.len())
        .filter(|&q| QUANTITIES[q].0.iter().any(|n| named.iter().any(|w| crate::align::stem(w) == *n)))
        .collect()
}

/// The quantities of [`QUANTITIES`] that `unit` measures.
fn measured_quantities(unit: &str) -> Vec<usize> {
    (0..QUANTITIES.len()).filter(|&q| QUANTITIES[q].1.iter().any(|n| shape::same_unit(n, unit))).collect()
}

/// The unit written at token `at` where it is one unit alone: not raised to a power
/// (`m^3`, `m/s^2`), nor a part of a rate (`km/h`, `miles per gallon`, `$3 a gallon`).
fn plain_unit(toks: &[Token], at: usize) -> Option<String> {
    let (unit, raised) = unit_at(toks, at)?;
    let next = word_at(toks, at + 1);
    let rate = shape::is_unit(next) || matches!(next, "per" | "a" | "an" | "each" | "every");
    (!raised && !rate).then_some(unit)
}

/// Whether number token `i` is written in a unit of another quantity than the one
/// `key` is named for (`3.2 atm` for `initial_volume`); false where either is none
/// that [`QUANTITIES`] has.
pub(super) fn other_quantity(key: &str, toks: &[Token], i: usize) -> bool {
    let Some(unit) = plain_unit(toks, i + 1) else { return false };
    let (keys, units) = (named_quantities(key), measured_quantities(&unit));
    !keys.is_empty() && !units.is_empty() && !keys.iter().any(|q| units.contains(q))
}

/// Where the text writes numbers in another unit of the kind a number key counts in,
/// and none in its own (`250 ml` for a volume `in liters`; [`described::unit_values`]
/// reads those in its own unit), or, where its description names no unit, in a unit of the quantity it
/// is named for (`2.5 liters` for `initial_volume`, `10 years` for `proper_time`).
pub(super) fn quantity_values(key: &str, prop: &Value, toks: &[Token]) -> Vec<usize> {
    if !matches!(main_type(prop), Some("number" | "integer")) {
        return Vec::new();
    }
    // (another unit only where the text writes none in the key's own, not even atop a
    // rate: `15 mg per kg` for a dose in mg)
    let own = key_unit(key, prop);
    let written_own = (1..toks.len()).filter(|&i| matches!(toks[i - 1], Token::Number(_))).any(|i| {
        unit_at(toks, i).and_then(|(u, _)| size(u.split('/').next().unwrap_or(""))).is_some_and(|s| Some(s) == own)
    });
    let own = own.filter(|_| described::unit_values(prop, toks).is_empty() && !written_own);
    let keys = if measured_in(prop).is_empty() { named_quantities(key) } else { Vec::new() };
    let fits = |u: &str| match (own, size(u)) {
        (Some((kind, own)), Some((k, size))) if k == kind => size != own,
        _ => measured_quantities(u).iter().any(|q| keys.contains(q)),
    };
    // (nor a part of a measure in two units: `5 feet 9 inches`)
    // (`in` is an inch only there: `5 ft 9 in`)
    let kind_at = |i: usize| match word_at(toks, i) {
        "in" => size("inch").map(|(k, _)| k),
        _ => plain_unit(toks, i).and_then(|u| size(&u)).map(|(k, _)| k),
    };
    let in_two = |i: usize| {
        let this = kind_at(i + 1);
        (matches!(toks.get(i + 2), Some(Token::Number(_))) && this.is_some() && kind_at(i + 3) == this)
            || (i >= 2 && matches!(toks[i - 2], Token::Number(_)) && this.is_some() && kind_at(i - 1) == this)
    };
    (0..toks.len().saturating_sub(1))
        .filter(|&i| matches!(toks[i], Token::Number(_)) && plain_unit(toks, i + 1).is_some_and(|u| fits(&u)))
        .filter(|&i| !in_two(i))
        .collect()
}

/// The kind and size of a unit as written, where [`KINDS`] has it.
fn size(unit: &str) -> Option<(usize, f64)> {
    KINDS
        .iter()
        .enumerate()
        .find_map(|(k, units)| units.iter().find(|(u, _)| shape::same_unit(u, unit)).map(|&(_, s)| (k, s)))
}

/// The unit a number key counts in: the one its description names (`in meters`), else
/// the last word of its name (`duration_minutes`, `weight_kg`, `days`; not a short name
/// that is all of it, `km` for a Michaelis constant).
fn key_unit(key: &str, prop: &Value) -> Option<(usize, f64)> {
    // (not a rate: `hours_per_day`, `in meters per second`)
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
    let said = words(description);
    if words(key).iter().chain(&said).any(|w| w == "per") || description.contains('/') {
        return None;
    }
    if let [(u, false)] = &measured_in(prop)[..] {
        return size(u);
    }
    let name = words(key);
    name.last().filter(|w| named_unit(w) && (name.len() > 1 || w.len() > 2)).and_then(|w| size(w))
}

/// Whether the last word of a key's name is a unit it counts in: not a word that
/// says something else as well (`min` of `price_min`), nor one letter (`box_h`).
pub(super) fn named_unit(w: &str) -> bool {
    w.chars().count() >= 2 && !matches!(w, "min" | "max" | "sec")
}

/// The last number of the size that starts at number token `i` (`40 x 30 x 25 cm`:
/// the `25`, whose unit is the size's), or `i` where none does.
fn run_end(toks: &[Token], mut i: usize) -> usize {
    while joins(toks, i + 1) && matches!(toks.get(i + 2), Some(Token::Number(_))) {
        i += 2;
    }
    i
}

/// Whether token `i` joins the numbers of a size: `by`, `x`.
fn joins(toks: &[Token], i: usize) -> bool {
    matches!(toks.get(i), Some(Token::Word(w)) if w == "by" || w == "x" || w == "×")
}

/// Words after a unit that make it a rate: `6 hours a day`, `5 km per hour`.
const RATE_WORDS: [&str; 5] = ["a", "an", "per", "each", "every"];

/// Converts the candidates of number keys written in another unit of their kind into
/// the key's own. Not where a key of the schema takes a unit or a system of units
/// (`weight` beside `unit_system`): the number then stays as written. A candidate is
/// converted only where every place the text writes it has one unit after it, and an
/// integer key only into a whole number.
pub(super) fn into_key_units(fields: &mut [Field], toks: &[Token]) {
    let takes_units =
        fields.iter().any(|f| words(&f.key).iter().any(|w| ["unit", "units", "system"].contains(&w.as_str())));
    if takes_units {
        return;
    }
    for f in fields.iter_mut().filter(|f| f.presence == Presence::Present) {
        let Part::Scalar { candidates, schema } = &mut f.part else { continue };
        if !matches!(main_type(schema), Some("number" | "integer")) || schema.get("enum").is_some() {
            continue;
        }
        let Some((kind, own)) = key_unit(&f.key, schema) else { continue };
        let integer = main_type(schema) == Some("integer");
        for c in candidates.iter_mut() {
            let units: Vec<Option<(usize, f64)>> = number_spots(toks, &c.value)
                .into_iter()
                .map(|i| {
                    let end = run_end(toks, i);
                    // (nor a rate the text writes: `6 hours a day`, `5 km per hour`)
                    let rate = matches!(toks.get(end + 2), Some(Token::Word(w)) if RATE_WORDS.contains(&w.as_str()));
                    unit_at(toks, end + 1).filter(|(_, raised)| !raised && !rate).and_then(|(u, _)| size(&u))
                })
                .collect();
            let Some(Some((k, written))) = units.first().copied() else { continue };
            if k != kind || written == own || units.iter().any(|u| *u != Some((k, written))) {
                continue;
            }
            let Some(x) = c.value.as_f64().map(|x| x * written / own) else { continue };
            // (to thirteen figures, so that `470 pF` is 4.7e-10 F, not 5e-10)
            let converted = format!("{x:.12e}").parse::<f64>().map_or_else(|_| round(Value::from(x)), Value::from);
            if integer && converted.as_f64().is_none_or(|v| v.fract() != 0.0) {
                continue;
            }
            c.value = match converted.as_f64() {
                Some(v) if v.fract() == 0.0 && v.abs() < 9e15 => Value::from(v as i64),
                _ => converted,
            };
        }
    }
}

/// Adverbs of a period: `hourly` is per hour.
const PERIODICALLY: [(&str, &str); 6] = [
    ("hourly", "hour"),
    ("daily", "day"),
    ("weekly", "week"),
    ("monthly", "month"),
    ("yearly", "year"),
    ("annual", "year"),
];

/// The period a number key counts per, by its name (`hours_per_week`, `hourly_rate`):
/// the word after `per`, or the period of an adverb of one.
fn per_period(key: &str) -> Option<String> {
    let kw = words(key);
    if let Some(p) = kw.iter().position(|w| w == "per") {
        return kw.get(p + 1).map(|w| crate::align::stem(w));
    }
    let periods: Vec<&str> =
        kw.iter().filter_map(|w| PERIODICALLY.iter().find(|(a, _)| a == w).map(|(_, p)| *p)).collect();
    match periods[..] {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// A rate the text writes: a number, the unit word after it if any, then `a`, `an`
/// or `per` and a period (`$23.50 an hour`, `32 hrs a week`): the number's token,
/// the unit and the period.
fn written_rates(toks: &[Token]) -> Vec<(usize, Option<&str>, String)> {
    let word = |i: usize| match toks.get(i) {
        Some(Token::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let mut out = Vec::new();
    for i in (0..toks.len()).filter(|&i| matches!(toks[i], Token::Number(_))) {
        let tries = [Some((None, i + 1)), word(i + 1).map(|u| (Some(u), i + 2))];
        for (unit, at) in tries.into_iter().flatten() {
            if unit.is_some_and(|u| ["a", "an", "per"].contains(&u)) {
                continue;
            }
            if let (Some("a" | "an" | "per"), Some(period)) = (word(at), word(at + 1)) {
                out.push((i, unit, crate::align::stem(period)));
                break;
            }
        }
    }
    out
}

/// Whether a key per `period` counts what a rate in `unit` counts: where the key's
/// words say what it counts (a unit or a plural noun), the rate's unit is that: `32
/// hrs a week` for `hours_per_week`; not `$800 a week` or `5 days a week` for
/// `hours_per_week`, nor `2 chapters a day` for `pages_per_day`.
fn counts_in(key: &str, period: &str, unit: Option<&str>) -> bool {
    let stem = crate::align::stem;
    let own: Vec<String> = words(key)
        .into_iter()
        .filter(|w| w != "per" && stem(w) != period && !PERIODICALLY.iter().any(|(a, _)| a == w))
        .collect();
    let counts: Vec<&String> = own.iter().filter(|w| shape::is_unit(w) || (w.len() > 3 && w.ends_with('s'))).collect();
    match unit {
        Some(u) => counts.is_empty() || counts.iter().any(|w| shape::same_unit(w, u) || stem(w) == stem(u)),
        None => counts.is_empty(),
    }
}

/// A number key that counts per a period (`hours_per_week`, `hourly_rate`) takes the
/// one rate the text writes per that period (`32 hrs a week`, `$23.50 an hour`);
/// where several keys count per it, the one whose words name the rate's unit (`hrs`
/// for `hours_per_week`).
pub(super) fn rates(fields: &mut [Field], toks: &[Token]) {
    let rates = written_rates(toks);
    if rates.is_empty() {
        return;
    }
    let periods: Vec<Option<String>> = fields
        .iter()
        .map(|f| match &f.part {
            Part::Scalar { schema, .. } | Part::Open { schema }
                if f.presence == Presence::Present && matches!(main_type(schema), Some("number" | "integer")) =>
            {
                per_period(&f.key)
            }
            _ => None,
        })
        .collect();
    let mut settled: Vec<(usize, usize)> = Vec::new();
    for (i, unit, period) in &rates {
        let named: Vec<usize> = (0..fields.len())
            .filter(|&k| periods[k].as_deref() == Some(period.as_str()) && counts_in(&fields[k].key, period, *unit))
            .collect();
        if let [k] = named[..] {
            settled.push((k, *i));
        }
    }
    for &(k, i) in &settled {
        // (a key two rates fit takes neither)
        if settled.iter().filter(|(j, _)| *j == k).count() > 1 {
            continue;
        }
        let Some(schema) = fields[k].part.schema().cloned() else { continue };
        let Some(value) = super::tokens::number(&toks[i], &fields[k].key, &schema) else { continue };
        // (the rate is no other key's, where that key has others to pick from)
        for (j, f) in fields.iter_mut().enumerate().filter(|(j, _)| *j != k) {
            if let Part::Scalar { candidates, .. } = &mut f.part {
                if candidates.len() > 1 && settled.iter().all(|&(s, _)| s != j) {
                    candidates.retain(|c| !crate::value::same(&c.value, &value));
                }
            }
        }
        fields[k].part = Part::Scalar { candidates: vec![Candidate { value, score: 1.0 }], schema };
    }
}

/// An amount written in cents (`14 cents/kwh`) is a hundredth of its currency's unit,
/// for a number key that does not count cents itself (`amount_cents`).
pub(super) fn cents(fields: &mut [Field], toks: &[Token]) {
    let in_cents = |i: usize| matches!(toks.get(i + 1), Some(Token::Word(w)) if w == "cents" || w == "cent");
    for f in fields.iter_mut().filter(|f| f.presence == Presence::Present) {
        let said = f.part.schema().and_then(|s| s.get("description")).and_then(Value::as_str).unwrap_or("").to_string();
        if words(&f.key).iter().chain(&words(&said)).any(|w| w == "cents" || w == "cent") {
            continue;
        }
        let Part::Scalar { candidates, schema } = &mut f.part else { continue };
        if main_type(schema) != Some("number") {
            continue;
        }
        for c in candidates.iter_mut() {
            let at = number_spots(toks, &c.value);
            if !at.is_empty() && at.iter().all(|&i| in_cents(i)) {
                if let Some(x) = c.value.as_f64() {
                    c.value = round(Value::from(x / 100.0));
                }
            }
        }
    }
}

/// Words naming the sides of a size, in the order a size is written (`12 by 14`,
/// `40 x 30 x 25`).
const SIDES: [&str; 3] = ["length", "width", "height"];

/// A size written as numbers joined by `by` or `x` (`a room 12 by 14`, `40 x 30 x
/// 25 cm`) gives the keys for its sides (a key's word `length`, `width`, `height`,
/// each one key) its numbers in that order, where the schema has a key for each of
/// them and the text writes one such size; the numbers are then no other key's.
pub(super) fn dimensions(fields: &mut [Field], toks: &[Token]) {
    let [size] = &sizes(toks)[..] else { return };
    if size.len() > 3 || names_sides(toks) {
        return;
    }
    let keys: Option<Vec<usize>> = SIDES[..size.len()].iter().map(|side| side_key(fields, side)).collect();
    let Some(keys) = keys else { return };
    let values: Vec<Value> = size
        .iter()
        .filter_map(|&t| match &toks[t] {
            Token::Number(n) => Some(n.clone()),
            _ => None,
        })
        .collect();
    for (k, f) in fields.iter_mut().enumerate() {
        let Part::Scalar { candidates, .. } = &mut f.part else { continue };
        match keys.iter().position(|&s| s == k) {
            Some(side) => *candidates = vec![Candidate { value: values[side].clone(), score: 1.0 }],
            None if candidates.len() > 1 => {
                let kept: Vec<Candidate> = candidates
                    .iter()
                    .filter(|c| !values.iter().any(|v| crate::value::same(v, &c.value)))
                    .cloned()
                    .collect();
                if !kept.is_empty() {
                    *candidates = kept;
                }
            }
            None => {}
        }
    }
}

/// The sizes the text writes, as the tokens of their numbers (`12 by 14`, `40 x 30 x
/// 25`).
fn sizes(toks: &[Token]) -> Vec<Vec<usize>> {
    let number = |i: usize| matches!(toks.get(i), Some(Token::Number(_)));
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut run = vec![i];
        let mut last = i;
        while number(last) && joins(toks, last + 1) && number(last + 2) {
            last += 2;
            run.push(last);
        }
        if run.len() >= 2 {
            out.push(run);
        }
        i = last + 1;
    }
    out
}

/// Whether the text names a size's sides itself: `20 m long`, `(W x D x H)`.
fn names_sides(toks: &[Token]) -> bool {
    toks.iter().enumerate().any(|(i, t)| match t {
        Token::Word(w) => {
            SIDE_WORDS.contains(&w.as_str())
                || (w.chars().count() == 1 && (joins(toks, i + 1) || (i > 0 && joins(toks, i - 1))))
        }
        _ => false,
    })
}

/// Words that name a side of a size.
const SIDE_WORDS: [&str; 10] = ["long", "wide", "tall", "high", "deep", "thick", "length", "width", "height", "depth"];

/// The one open number key with `side` among its words.
fn side_key(fields: &[Field], side: &str) -> Option<usize> {
    let of: Vec<usize> = (0..fields.len())
        .filter(|&k| super::open_number(&fields[k]) && words(&fields[k].key).iter().any(|w| w == side))
        .collect();
    match of[..] {
        [k] => Some(k),
        _ => None,
    }
}

/// Units of the metric system and of the imperial (US customary) one, as
/// [`shape::same_unit`] reads them.
const METRIC: [&str; 11] = ["mm", "cm", "m", "km", "mg", "g", "kg", "l", "ml", "c", "kmh"];
const IMPERIAL: [&str; 11] = ["inch", "ft", "yard", "mi", "oz", "lb", "gallon", "quart", "pint", "f", "mph"];

/// Names a key's choices give the imperial system.
const IMPERIAL_NAMES: [&str; 5] = ["imperial", "us", "us_customary", "customary", "english"];

/// The system of units a key of systems (its choices `metric` and `imperial`, or
/// another name of it) takes from the units the text writes after its numbers or
/// after `in` (`weighs 180 pounds`, `temps in fahrenheit`), written with two letters
/// or more, where all of them are of one system.
pub(super) fn unit_system(prop: &Value, toks: &[Token]) -> Option<Value> {
    let choices = prop.get("enum").and_then(Value::as_array)?;
    let named = |names: &[&str]| {
        choices.iter().find(|c| c.as_str().is_some_and(|s| names.iter().any(|n| s.eq_ignore_ascii_case(n)))).cloned()
    };
    let (metric, imperial) = (named(&["metric"])?, named(&IMPERIAL_NAMES)?);
    let (mut metrics, mut imperials) = (0, 0);
    for i in 1..toks.len() {
        let Token::Word(w) = &toks[i] else { continue };
        let measured = matches!(toks[i - 1], Token::Number(_)) || matches!(&toks[i - 1], Token::Word(p) if p == "in");
        // (not a unit of one letter: `2 c of flour` is cups, `in 10 m` minutes)
        if !measured || w.chars().count() < 2 {
            continue;
        }
        if METRIC.iter().any(|u| shape::same_unit(u, w)) {
            metrics += 1;
        } else if IMPERIAL.iter().any(|u| shape::same_unit(u, w)) {
            imperials += 1;
        }
    }
    match (metrics, imperials) {
        (0, 0) => None,
        (_, 0) => Some(metric),
        (0, _) => Some(imperial),
        _ => None,
    }
}
