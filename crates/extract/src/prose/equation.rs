//! A polynomial the text writes (`solve 2x^2 - 5x + 3 = 0`) gives its coefficients to
//! keys that are letters in a row (`a`, `b`, `c`), highest power first.

use crate::plan::{main_type, Field, Part, Presence};
use crate::value::Candidate;
use serde_json::Value;

/// The coefficients of the polynomial in one letter that `text` writes with a
/// square or a cube (`x^2`, `x²`, `x**2`) and two terms or more, highest power
/// first, the right side of an `=` moved over (`x^2 + 5x = 2x + 10` is `x^2 + 3x -
/// 10`); `None` where it writes none or writes it in a way this does not read
/// (brackets, two letters).
pub(super) fn coefficients(text: &str) -> Option<Vec<f64>> {
    let chars: Vec<char> = text.chars().collect();
    // (the letter raised to a power, not inside a word: `x^2`, not `max^2`)
    let at = (0..chars.len()).find(|&i| {
        chars[i].is_ascii_lowercase()
            && (i == 0 || !chars[i - 1].is_alphabetic())
            && power(&chars, i + 1).is_some_and(|(p, _)| p >= 2)
    })?;
    let v = chars[at];
    // (the equation around it: terms in that letter, and one `=`)
    let in_terms = |c: char| c.is_ascii_digit() || c == v || " .+-−*^²³=".contains(c);
    let mut start = at - chars[..at].iter().rev().take_while(|c| in_terms(**c)).count();
    let mut end = at + chars[at..].iter().take_while(|c| in_terms(**c)).count();
    while start < at && " =".contains(chars[start]) {
        start += 1;
    }
    while end > at && " =".contains(chars[end - 1]) {
        end -= 1;
    }
    // (a letter or a bracket right at the terms: `3xy`, `2(x^2)`, `m^2` after a word)
    let joined = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric() || "()[]/".contains(*c));
    if joined(chars.get(end)) || joined(start.checked_sub(1).map(|i| &chars[i])) {
        return None;
    }
    let written: String = chars[start..end].iter().collect();
    let sides: Vec<&str> = written.split('=').collect();
    let terms = match sides[..] {
        [left] => read_terms(&left.chars().collect::<Vec<_>>(), v)?,
        [left, right] => {
            let (left, right) = (
                read_terms(&left.trim().chars().collect::<Vec<_>>(), v)?,
                read_terms(&right.trim().chars().collect::<Vec<_>>(), v)?,
            );
            // (the side with the letter stays: `10 = x^2 + 3x` is `x^2 + 3x - 10`)
            let (mut terms, moved) = if left.iter().all(|&(p, _)| p == 0) { (right, left) } else { (left, right) };
            terms.extend(moved.into_iter().map(|(p, c)| (p, -c)));
            terms
        }
        _ => return None,
    };
    // (one term is no equation to solve: `an area in m^2`)
    if terms.len() < 2 {
        return None;
    }
    let degree = terms.iter().map(|&(p, _)| p).max()?;
    let mut out = vec![0.0; degree + 1];
    for (p, c) in terms {
        out[degree - p] += c;
    }
    Some(out)
}

/// The power written after a letter at `i` (`^2`, `**2`, `²`) and where it ends.
fn power(chars: &[char], i: usize) -> Option<(usize, usize)> {
    match chars.get(i) {
        Some('²') => Some((2, i + 1)),
        Some('³') => Some((3, i + 1)),
        Some('^') => chars.get(i + 1)?.to_digit(10).map(|d| (d as usize, i + 2)),
        Some('*') if chars.get(i + 1) == Some(&'*') => chars.get(i + 2)?.to_digit(10).map(|d| (d as usize, i + 3)),
        _ => None,
    }
}

/// The terms (power, coefficient) of `2x^2 - 5x + 3`; `None` where a term does not
/// read.
fn read_terms(chars: &[char], v: char) -> Option<Vec<(usize, f64)>> {
    let mut out = Vec::new();
    let mut i = 0;
    let skip = |i: &mut usize| {
        while chars.get(*i) == Some(&' ') {
            *i += 1;
        }
    };
    skip(&mut i);
    while i < chars.len() {
        let mut sign = 1.0;
        if let Some(&c) = chars.get(i).filter(|c| "+-−".contains(**c)) {
            if c != '+' {
                sign = -1.0;
            }
            i += 1;
            skip(&mut i);
        } else if !out.is_empty() {
            return None;
        }
        let digits: String = chars[i..].iter().take_while(|c| c.is_ascii_digit() || **c == '.').collect();
        i += digits.chars().count();
        skip(&mut i);
        if chars.get(i) == Some(&'*') && chars.get(i + 1) != Some(&'*') {
            i += 1;
            skip(&mut i);
        }
        let coefficient = if digits.is_empty() { None } else { Some(digits.parse::<f64>().ok()?) };
        let term = if chars.get(i) == Some(&v) {
            let (p, to) = power(chars, i + 1).unwrap_or((1, i + 1));
            i = to;
            (p, coefficient.unwrap_or(1.0))
        } else {
            (0, coefficient?)
        };
        out.push((term.0, sign * term.1));
        skip(&mut i);
    }
    Some(out)
}

/// Keys that are letters in a row from `a` (`a`, `b`, `c`), all numbers, take the
/// coefficients of the polynomial the text writes, where it has one more of them
/// than its highest power: `x^2 - 5x + 6` gives `a` 1, `b` -5 and `c` 6.
pub(super) fn polynomial(fields: &mut [Field], text: &str) {
    let letters: Vec<usize> = (b'a'..=b'z')
        .map_while(|c| {
            fields.iter().position(|f| {
                f.key.as_bytes() == [c]
                    && f.presence == Presence::Present
                    && matches!(f.part.schema().and_then(main_type), Some("number" | "integer"))
            })
        })
        .collect();
    if letters.len() < 2 {
        return;
    }
    let Some(found) = coefficients(text).filter(|c| c.len() == letters.len()) else { return };
    let mut values = Vec::new();
    for (&k, c) in letters.iter().zip(found) {
        let integer = fields[k].part.schema().and_then(main_type) == Some("integer");
        let value = if c.fract() == 0.0 && c.abs() < 9e15 {
            Some(Value::from(c as i64))
        } else {
            serde_json::Number::from_f64(c).filter(|_| !integer).map(Value::Number)
        };
        match value {
            Some(v) => values.push((k, v)),
            None => return,
        }
    }
    for (k, value) in values {
        let Some(schema) = fields[k].part.schema().cloned() else { continue };
        fields[k].part = Part::Scalar { candidates: vec![Candidate { value, score: 1.0 }], schema };
    }
}
