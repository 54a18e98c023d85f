//! A conversion between two choices of one kind (`from_unit` / `to_unit`,
//! `from_scale` / `to_scale`), read from the units the text writes in full or short
//! (`26.2 miles`, `98.6 F to C`): the one written with the amount is the source.

use super::choices::enum_strings;
use super::words::{lowered, written_words};
use crate::align::words;
use crate::plan::{Field, Part, Presence};
use crate::shape;
use crate::value::Candidate;
use serde_json::Value;

/// Whether a key is the source of a conversion (`Some(true)`: `from_currency`,
/// `base`, `source_unit`) or its target (`Some(false)`: `to_scale`, `target`), by its
/// words.
pub(super) fn conversion_role(key: &str) -> Option<bool> {
    let kw = words(key);
    let has = |ws: &[&str]| kw.iter().any(|w| ws.contains(&w.as_str()));
    match (
        has(&["from", "base", "source", "original", "input"]),
        has(&["to", "target", "destination", "into", "output"]),
    ) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

/// Two keys that convert one choice into another of the same choices (a unit, a
/// scale) take the units the text writes for them: of two, the one written right
/// after a number (`26.2 miles`, `98.6 F`) or after `from` is the source, the one
/// after `to`, `into` or `in` the target; one alone goes to the key it is written
/// for. A unit is a choice's short form or its name (`km`, `kilometers`); one letter
/// (`F`, `C`) only right after a number or after `to` or `into`.
pub(super) fn conversions(fields: &mut [Field], text: &str) {
    let choices = |f: &Field| match &f.part {
        Part::Scalar { schema, .. } if f.presence == Presence::Present => enum_strings(schema),
        _ => None,
    };
    let keys: Vec<(usize, bool)> = (0..fields.len())
        .filter_map(|k| Some((k, conversion_role(&fields[k].key)?)).filter(|_| choices(&fields[k]).is_some()))
        .collect();
    let [(a, ra), (b, rb)] = keys[..] else { return };
    if ra == rb {
        return;
    }
    let (from, to) = if ra { (a, b) } else { (b, a) };
    let Some(units) = choices(&fields[from]).filter(|c| Some(c) == choices(&fields[to]).as_ref()) else { return };
    let ws = lowered(&written_words(text));
    let number = |i: usize| i > 0 && ws[i - 1].0.chars().all(|c| c.is_ascii_digit()) && !ws[i - 1].1;
    let after = |i: usize, of: &[&str]| i > 0 && of.contains(&ws[i - 1].0.as_str()) && !ws[i - 1].1;
    // (each choice written, where, and whether the text says it is the source)
    let mut written: Vec<(&String, Option<bool>)> = Vec::new();
    for (i, (w, _)) in ws.iter().enumerate() {
        let short = w.chars().count() == 1;
        if short && !(number(i) || after(i, &["to", "into"])) {
            continue;
        }
        // (a word of several choices is none of them: `degrees`)
        let mut of = units.iter().filter(|u| shape::is_unit(u) && shape::same_unit(u, w));
        let (Some(unit), None) = (of.next(), of.next()) else { continue };
        let source = if number(i) || after(i, &["from"]) {
            Some(true)
        } else if after(i, &["to", "into", "in"]) {
            Some(false)
        } else {
            None
        };
        if !written.iter().any(|(u, s)| *u == unit && *s == source) {
            written.push((unit, source));
        }
    }
    let mut distinct: Vec<&String> = Vec::new();
    for (u, _) in &written {
        if !distinct.contains(u) {
            distinct.push(u);
        }
    }
    let said = |u: &String| {
        let says: Vec<bool> = written.iter().filter(|(v, _)| *v == u).filter_map(|(_, s)| *s).collect();
        match says[..] {
            [s] => Some(s),
            _ => None,
        }
    };
    let (source, target) = match distinct[..] {
        [x, y] => match (said(x), said(y)) {
            (Some(s), other) if other != Some(s) => {
                if s {
                    (Some(x), Some(y))
                } else {
                    (Some(y), Some(x))
                }
            }
            (None, Some(s)) => {
                if s {
                    (Some(y), Some(x))
                } else {
                    (Some(x), Some(y))
                }
            }
            _ => return,
        },
        [x] => match said(x) {
            Some(true) => (Some(x), None),
            Some(false) => (None, Some(x)),
            None => return,
        },
        _ => return,
    };
    for (k, unit) in [(from, source.cloned()), (to, target.cloned())] {
        let Some(unit) = unit else { continue };
        if let Part::Scalar { candidates, .. } = &mut fields[k].part {
            *candidates = vec![Candidate { value: Value::String(unit), score: 1.0 }];
        }
    }
}
