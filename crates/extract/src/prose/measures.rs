//! A number written in another unit than the one its key counts in (`after 3 hours`
//! for `duration_minutes`, `12 centimeters` for a displacement `in meters`) is
//! converted into the key's unit, where both are units of one kind whose ratio is
//! fixed: time, length, mass.

use super::described::{measured_in, unit_at};
use super::tokens::{round, Token};
use crate::align::words;
use crate::plan::{main_type, Field, Part, Presence};
use crate::shape;
use serde_json::Value;

/// Units of one kind, as [`shape::same_unit`] reads them, each with its size in the
/// kind's base unit. (`in` is no inch: as a word of a sentence it is no unit.)
const KINDS: [&[(&str, f64)]; 3] = [
    &[("sec", 1.0), ("min", 60.0), ("h", 3600.0), ("day", 86_400.0), ("week", 604_800.0)],
    &[("mm", 0.001), ("cm", 0.01), ("m", 1.0), ("km", 1000.0), ("inch", 0.0254), ("ft", 0.3048), ("mi", 1609.344)],
    &[("mg", 0.001), ("g", 1.0), ("kg", 1000.0), ("lb", 453.592_37), ("oz", 28.349_523_125)],
];

/// The kind and size of a unit as written, where [`KINDS`] has it.
fn size(unit: &str) -> Option<(usize, f64)> {
    KINDS
        .iter()
        .enumerate()
        .find_map(|(k, units)| units.iter().find(|(u, _)| shape::same_unit(u, unit)).map(|&(_, s)| (k, s)))
}

/// The unit a number key counts in: the one its description names (`in meters`), else
/// the last word of its name (`duration_minutes`, `weight_kg`).
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
    words(key).last().and_then(|w| size(w))
}

/// Converts the candidates of number keys written in another unit of their kind into
/// the key's own. Not where a key of the schema takes a unit or a system of units
/// (`weight` beside `unit_system`): the number then stays as written. A candidate is
/// converted only where every place the text writes it has one unit after it, and an
/// integer key only into a whole number.
pub(super) fn into_key_units(fields: &mut [Field], toks: &[Token]) {
    let takes_units = fields.iter().any(|f| words(&f.key).iter().any(|w| ["unit", "units", "system"].contains(&w.as_str())));
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
            let units: Vec<Option<(usize, f64)>> = (0..toks.len())
                .filter(|&i| matches!(&toks[i], Token::Number(n) if n.as_f64() == c.value.as_f64()))
                .map(|i| {
                    // (nor a rate the text writes: `6 hours a day`, `5 km per hour`)
                    let rate = matches!(toks.get(i + 2), Some(Token::Word(w)) if ["a", "an", "per", "each", "every"].contains(&w.as_str()));
                    unit_at(toks, i + 1).filter(|(_, raised)| !raised && !rate).and_then(|(u, _)| size(&u))
                })
                .collect();
            let Some(Some((k, written))) = units.first().copied() else { continue };
            if k != kind || written == own || units.iter().any(|u| *u != Some((k, written))) {
                continue;
            }
            let Some(x) = c.value.as_f64().map(|x| x * written / own) else { continue };
            let converted = round(Value::from(x));
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
