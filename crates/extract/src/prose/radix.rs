//! Numbers written in a base: keys for the bases of a conversion (`from_base`,
//! `to_base`) take the bases the text names (`hexadecimal`, `binary`, `base 36`), and
//! the key for the number the one written in its digits (`3FA7`).

use super::choices::{FROM_SIDE, TO_SIDE};
use super::plain_string;
use crate::align::words;
use crate::plan::{main_type, Field, Part, Presence};
use crate::value::Candidate;
use serde_json::Value;

/// Bases by their names.
const NAMED: [(&str, u32); 5] = [("binary", 2), ("octal", 8), ("decimal", 10), ("hexadecimal", 16), ("hex", 16)];

/// The bases the text names, in its order, each with whether it is the one converted
/// to (after `to` or `into`; `in` may name the number's own, `1011 in binary`):
/// `binary`, `base 36`, `base-8`.
fn bases_written(text: &str) -> Vec<(u32, bool)> {
    let raw: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '-')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, w) in raw.iter().enumerate() {
        let base = NAMED.iter().find(|(n, _)| n == w).map(|&(_, b)| b).or_else(|| {
            (w == "base")
                .then(|| raw.get(i + 1).and_then(|n| n.parse::<u32>().ok()))
                .flatten()
                .filter(|b| (2..=36).contains(b))
        });
        let Some(base) = base else { continue };
        let before = raw[..i].iter().rev().find(|w| !matches!(w.as_str(), "a" | "the")).map(String::as_str);
        out.push((base, matches!(before, Some("to" | "into"))));
    }
    out
}

/// Whether `w` is a number written in the digits of `base`, with a digit in it
/// (`3FA7` in 16, `101101` in 2).
fn in_digits(w: &str, base: u32) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_digit(base)) && w.chars().any(|c| c.is_ascii_digit())
}

/// The pair of integer keys for the bases of a conversion, one for each side (`from_base`
/// and `to_base`), takes the one base the text names to convert from and the one to
/// convert to; then a string key for the number (`number`, `value`) the one piece
/// written in the digits of the base it is from.
pub(super) fn bases(fields: &mut [Field], text: &str) {
    let base_key = |f: &Field, side: &[&str]| {
        let kw = words(&f.key);
        kw.iter().any(|w| w == "base" || w == "radix")
            && kw.iter().any(|w| side.contains(&w.as_str()))
            && f.part.schema().is_some_and(|s| main_type(s) == Some("integer"))
    };
    let (Some(from), Some(to)) =
        (fields.iter().position(|f| base_key(f, &FROM_SIDE)), fields.iter().position(|f| base_key(f, &TO_SIDE)))
    else {
        return;
    };
    let written = bases_written(text);
    let (sources, targets): (Vec<_>, Vec<_>) = written.iter().partition(|(_, to)| !to);
    let ([(source, _)], [(target, _)]) = (&sources[..], &targets[..]) else { return };
    for (k, base) in [(from, *source), (to, *target)] {
        let Some(schema) = fields[k].part.schema().cloned() else { return };
        fields[k].part = Part::Scalar { candidates: vec![Candidate { value: Value::from(base), score: 1.0 }], schema };
        fields[k].presence = Presence::Present;
    }
    // (not the number of a base: `base 16`)
    let pieces: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || ",;()'\"".contains(c))
        .map(|w| w.trim_end_matches(['.', '?', '!']))
        .filter(|w| !w.is_empty())
        .collect();
    let numbers: Vec<&str> = (0..pieces.len())
        .filter(|&i| in_digits(pieces[i], *source) && (i == 0 || !pieces[i - 1].eq_ignore_ascii_case("base")))
        .map(|i| pieces[i])
        .collect();
    let [number] = numbers[..] else { return };
    let Some(k) = fields.iter().position(|f| {
        matches!(&f.part, Part::Span { schema } if plain_string(schema))
            && words(&f.key).iter().any(|w| matches!(w.as_str(), "number" | "value" | "input"))
    }) else {
        return;
    };
    let Some(schema) = fields[k].part.schema().cloned() else { return };
    fields[k].part = Part::Scalar { candidates: vec![Candidate { value: Value::from(number), score: 1.0 }], schema };
}
