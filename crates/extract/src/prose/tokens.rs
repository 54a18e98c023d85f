//! The text as tokens: words, numbers (with scale words and units read), identifiers,
//! quoted spans and lists of numbers.

use super::pieces;
use super::words::{is_coordinator, DETERMINERS, PREPOSITIONS};
use crate::align::words;
use crate::plan::main_type;
use crate::shape;
use crate::value;
use serde_json::Value;

/// The identifier-shaped tokens of `text` (`greenhouse-7`, `B1004`): not an ordinal
/// (`2nd`) nor a measure (`21.5C`).
pub(super) fn identifiers(text: &str) -> impl Iterator<Item = &str> {
    pieces(text).filter(|t| shape::is_identifier(t)).filter(|t| {
        let digits = t.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
        digits == 0 || !t[digits..].bytes().all(|b| b.is_ascii_alphabetic())
    })
}

/// A token of prose: a word, a number, or a quoted span.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Word(String),
    Number(Value),
    /// An identifier with a digit, as written: `greenhouse-7`, `B1004`, `ORD-88020`.
    Ident(String),
    /// A number written with `%` after it: `8%`.
    Percent(Value),
    Quoted(String),
    /// Numbers written as one list: in brackets or parentheses, or in a row.
    List(Vec<Value>),
    /// `,` `;` `.` `:` `!` `?` between words: where a phrase ends.
    Punct(char),
}

/// The text as words, numbers (sign, fraction and exponent kept) and quoted spans.
pub(super) fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(close) = match c {
            '[' => Some(']'),
            '(' => Some(')'),
            _ => None,
        } {
            if let Some(len) = chars[i + 1..].iter().position(|&q| q == close) {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                let items: Vec<Option<Value>> = inner
                    .split(',')
                    .map(|part| match tokens(part).as_slice() {
                        // A coordinate west or south is negative: `(33.44 N, 112.07 W)`.
                        [Token::Number(n), Token::Word(d)] if d == "w" || d == "s" => {
                            n.as_f64().and_then(|x| serde_json::Number::from_f64(-x)).map(Value::Number)
                        }
                        [Token::Number(n), rest @ ..] if rest.iter().all(|t| matches!(t, Token::Word(_))) => {
                            Some(n.clone())
                        }
                        _ => None,
                    })
                    .collect();
                if items.len() >= 2 && items.iter().all(Option::is_some) {
                    out.push(Token::List(items.into_iter().flatten().collect()));
                    i += len + 2;
                    continue;
                }
            }
        }
        // A year cut to its last two digits after an apostrophe: `built in '98` (1998),
        // `since '05` (2005); not a quote's `'98 Days'` (a later apostrophe after a
        // letter or digit closes it).
        let apostrophe = matches!(c, '\'' | '’') && (i == 0 || chars[i - 1].is_whitespace());
        let two = chars.get(i + 1..i + 3).is_some_and(|d| d.iter().all(char::is_ascii_digit));
        if apostrophe && two && !chars.get(i + 3).is_some_and(|d| d.is_alphanumeric()) {
            let closed = (i + 3..chars.len()).take_while(|&j| chars[j] != '\n').any(|j| {
                chars[j] == c
                    && chars[j - 1].is_alphanumeric()
                    && !chars.get(j + 1).is_some_and(|n| n.is_alphanumeric())
            });
            if !closed {
                let yy: u32 = chars[i + 1..i + 3].iter().collect::<String>().parse().unwrap_or(0);
                out.push(Token::Number(Value::from(if yy <= 30 { 2000 + yy } else { 1900 + yy })));
                i += 3;
                continue;
            }
        }
        if matches!(c, '\'' | '"' | '`') && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            // (an apostrophe inside a word closes nothing: `'Let's meet at 10'`)
            let closes = |j: usize| {
                chars[j] == c
                    && !(c == '\''
                        && j > 0
                        && chars[j - 1].is_alphabetic()
                        && chars.get(j + 1).is_some_and(|n| n.is_alphabetic()))
            };
            if let Some(len) = (i + 1..chars.len()).position(closes) {
                let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                if !inner.trim().is_empty() && len <= 80 {
                    out.push(Token::Quoted(inner));
                    i += len + 2;
                    continue;
                }
            }
        }
        if c.is_alphanumeric() && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let len = chars[i..].iter().take_while(|c| c.is_alphanumeric() || "-_.".contains(**c)).count();
            let run: String = chars[i..i + len].iter().collect();
            let run = run.trim_end_matches(['.', '-', '_']);
            // It starts with a letter: `30-year` and `1e5` stay numbers.
            let has_digit = run.bytes().any(|b| b.is_ascii_digit());
            if c.is_alphabetic() && has_digit && identifiers(run).next() == Some(run) {
                out.push(Token::Ident(run.to_string()));
                i += run.chars().count();
                continue;
            }
        }
        // Digits after `^` or `**` that follow a letter are a power (`m/s^2`, `x**3`,
        // `x^2.5`): part of a unit or a formula, not a value of the text. (`2^10` and
        // `(1.05)^10` are numbers.)
        let power = (i >= 2 && chars[i - 1] == '^' && chars[i - 2].is_alphabetic())
            || (i >= 3 && chars[i - 1] == '*' && chars[i - 2] == '*' && chars[i - 3].is_alphabetic());
        if c.is_ascii_digit() && power {
            let digits = |from: usize| chars[from..].iter().take_while(|c| c.is_ascii_digit()).count();
            let from = i;
            i += digits(i);
            if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
                i += 1 + digits(i + 1);
            }
            // The word it raises keeps it: `second^2` is not `second`.
            if let Some(Token::Word(w)) = out.last_mut() {
                w.push('^');
                w.extend(&chars[from..i]);
            }
            continue;
        }
        // A date of three parts is one word, no number: `2024-09-03` gives no `2024`
        // to a count of days.
        if c.is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric()) {
            let run: String = chars[i..].iter().take_while(|c| c.is_ascii_digit() || **c == '-').collect();
            let parts: Vec<usize> = run.split('-').map(str::len).collect();
            if parts == [4, 2, 2] && !chars.get(i + run.len()).is_some_and(|c| c.is_alphanumeric()) {
                out.push(Token::Word(run.clone()));
                i += run.len();
                continue;
            }
        }
        // Two numbers joined by `-`, the second the larger and at most ten times the
        // first, are a range: `20-30` reads as `20 to 30` (not `9-5`, `77-4410`, nor a
        // date or code of three parts: `2024-03-15`).
        let range = c.is_ascii_digit() && i >= 2 && chars[i - 1] == '-' && chars[i - 2].is_ascii_digit() && {
            let len = chars[i..].iter().take_while(|c| c.is_ascii_digit() || **c == '.').count();
            let high: String = chars[i..i + len].iter().collect();
            let before = chars[..i - 1].iter().rev().take_while(|c| c.is_alphanumeric() || **c == '.');
            let joined = before.clone().all(|c| c.is_ascii_digit() || *c == '.')
                && chars[..i - 1].iter().rev().nth(before.count()) != Some(&'-');
            let ends = !chars.get(i + len).is_some_and(|c| c.is_ascii_digit() || *c == '-');
            let low = match out.last() {
                Some(Token::Number(n)) => n.as_f64(),
                _ => None,
            };
            // (of one size: `77-4410` is a code)
            joined && ends && high.parse::<f64>().ok().zip(low).is_some_and(|(h, l)| h > l && h <= 10.0 * l)
        };
        if range {
            out.push(Token::Word("to".into()));
        }
        // Digits after `letters-` belong to an identifier (`greenhouse-7`), not a number.
        if !range && c.is_ascii_digit() && i >= 2 && chars[i - 1] == '-' && chars[i - 2].is_alphanumeric() {
            let end = i + chars[i..].iter().take_while(|c| c.is_alphanumeric()).count();
            out.push(Token::Word(chars[i..end].iter().collect::<String>().to_lowercase()));
            i = end;
            continue;
        }
        let starts_number = c.is_ascii_digit()
            || (c == '-'
                && chars.get(i + 1).is_some_and(char::is_ascii_digit)
                && (i == 0 || !chars[i - 1].is_alphanumeric()));
        if starts_number {
            let mut end = i + 1;
            while end < chars.len() {
                let d = chars[end];
                let next_digit = chars.get(end + 1).is_some_and(char::is_ascii_digit);
                let exp = (d == 'e' || d == 'E')
                    && (next_digit
                        || (matches!(chars.get(end + 1), Some('-' | '+'))
                            && chars.get(end + 2).is_some_and(char::is_ascii_digit)));
                if d.is_ascii_digit() || ((d == '.' || d == ',') && next_digit) {
                    end += 1;
                } else if exp {
                    end += 2;
                } else {
                    break;
                }
            }
            let mut written: String = chars[i..end].iter().filter(|&&d| d != ',').collect();
            // A power of ten written out is part of the number: `6.42 × 10^23`.
            if let Some((exponent, to)) = times_ten_to(&chars, end) {
                written = format!("{written}e{exponent}");
                end = to;
            }
            // After a currency sign, `k`, `m` and `bn` scale it: `$1.2k`, `€3m`; a `k`
            // in lower case does where no noun follows it: `under 450k`, `save 10k,`,
            // `4.2k in claims`, `60k a year`, `85k this year` (not `a 5k run`, `my 10k
            // in 52 minutes`; `300K` is kelvin).
            let signed = i > 0 && "$€£".contains(chars[i - 1]);
            let scale = chars[end..].iter().take_while(|c| c.is_ascii_alphabetic()).collect::<String>();
            let next: String = chars[end + scale.len()..]
                .iter()
                .skip_while(|c| **c == ' ')
                .take_while(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            // (nor after a determiner: `my 10k`, `a 5k.` are races)
            let head: String = chars[..i].iter().collect();
            let before = head.trim_end_matches(' ').rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
            let before = before.to_lowercase();
            let rate = matches!(next.as_str(), "a" | "an" | "per" | "each" | "this" | "last" | "every");
            let alone = (next.is_empty() || rate || PREPOSITIONS.contains(&next.as_str()) || is_coordinator(&next))
                && !DETERMINERS.contains(&before.as_str());
            let power = match scale.to_lowercase().as_str() {
                "k" if signed || (scale == "k" && alone) => Some(3),
                "m" | "mn" if signed => Some(6),
                "b" | "bn" if signed => Some(9),
                _ => None,
            };
            if let Some(e) = power {
                let scaled = written.parse::<f64>().ok().map(|x| x * 10f64.powi(e));
                if let Some(x) = scaled.filter(|x| x.is_finite() && x.fract() == 0.0 && x.abs() < 9e15) {
                    written = format!("{}", x as i64);
                    end += scale.len();
                }
            }
            // An ordinal's suffix is part of the number: `2nd`, `4th`.
            let rest: String = chars[end..(end + 3).min(chars.len())].iter().collect::<String>().to_lowercase();
            let ordinal = ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| rest.starts_with(s) && !rest[s.len()..].starts_with(|c: char| c.is_alphanumeric()));
            let spaces = chars[end..].iter().take_while(|c| **c == ' ').count();
            let percent = chars.get(end + spaces) == Some(&'%');
            if let Some(c) = value::candidates(&serde_json::json!({"type": "number"}), &written).into_iter().next() {
                out.push(if percent { Token::Percent(c.value) } else { Token::Number(c.value) });
            }
            // (two numbers joined by `x` are two: `1920x1080`; not `0x1F`)
            let by = matches!(chars.get(end), Some('x' | '×'))
                && chars.get(end + 1).is_some_and(char::is_ascii_digit)
                && !chars[end + 1..].iter().find(|c| !c.is_ascii_digit()).is_some_and(|c| c.is_alphanumeric());
            i = if ordinal {
                end + 2
            } else if percent {
                end + spaces + 1
            } else if by {
                end + 1
            } else {
                end
            };
            continue;
        }
        if c.is_alphabetic() {
            let mut end = i + 1;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            let word = chars[i..end].iter().collect::<String>().to_lowercase();
            // Tens and units written as two words are one number: `thirty-five`,
            // `twenty one`.
            if let Some((n, to)) = tens_and_units(&word, &chars, end) {
                out.push(Token::Number(n.into()));
                i = to;
                continue;
            }
            // (an `x` written apart between numbers is a size's `×`: `40 x 30`, not
            // the `x` of `2x - 1`)
            let apart = |j: usize| chars.get(j).is_none_or(|c| *c == ' ');
            let digit_after = chars[end..].iter().find(|c| **c != ' ').is_some_and(char::is_ascii_digit);
            if word == "x"
                && i > 0
                && apart(i - 1)
                && apart(end)
                && digit_after
                && matches!(out.last(), Some(Token::Number(_)))
            {
                out.push(Token::Word("×".into()));
                i = end;
                continue;
            }
            // (`a dozen` is 12, `half a dozen` 6; in `two dozen eggs` the dozen may be
            // the unit)
            if word == "dozen" && !matches!(out.last(), Some(Token::Number(_))) {
                let half = matches!(&out[out.len().saturating_sub(2)..], [Token::Word(h), Token::Word(a)] if h == "half" && a == "a");
                if half {
                    out.truncate(out.len() - 2);
                }
                out.push(Token::Number(if half { 6 } else { 12 }.into()));
                i = end;
                continue;
            }
            // (`yrs` is written for `years`, `yo` after a number and before a word for
            // `years old`: `41 yo male`, not `a table for 4 yo`)
            let after_number = || {
                matches!(out.last(), Some(Token::Number(_)))
                    && chars[end..].iter().take_while(|c| **c == ' ').count() > 0
                    && chars[end..].iter().find(|c| **c != ' ').is_some_and(|c| c.is_alphabetic())
            };
            let word = match word.as_str() {
                "yr" => "year".to_string(),
                "yrs" => "years".to_string(),
                "yo" if after_number() => "years".to_string(),
                _ => word,
            };
            // (`twice a week`, `thrice daily`: how many times in a period; not `twice as
            // long`, a ratio, nor `a die twice`, whose sides it does not count)
            let times = match word.as_str() {
                "twice" => Some(2),
                "thrice" => Some(3),
                _ => None,
            };
            let period = ["a", "an", "per", "each", "every", "daily", "weekly", "monthly", "yearly", "hourly"];
            let in_a_period = || {
                let next: String =
                    chars[end..].iter().skip_while(|c| c.is_whitespace()).take_while(|c| c.is_alphabetic()).collect();
                period.iter().any(|p| next.eq_ignore_ascii_case(p))
            };
            if let Some(n) = times.filter(|_| in_a_period()) {
                out.push(Token::Number(n.into()));
                i = end;
                continue;
            }
            out.push(match crate::align::number_word(&word) {
                Some(n) => Token::Number(n.into()),
                None => Token::Word(word),
            });
            i = end;
            continue;
        }
        if ",;.:!?".contains(c) {
            out.push(Token::Punct(c));
        }
        if c == '×' {
            out.push(Token::Word("×".into()));
        }
        i += 1;
    }
    with_runs(scaled_ranges(scaled(halves(out)), text))
}

/// The exponent and the end of `× 10^23` (also `x`, `*`; `10**23`) written right
/// after a number that ends at `at`.
fn times_ten_to(chars: &[char], at: usize) -> Option<(i32, usize)> {
    let spaces = |from: usize| chars[from.min(chars.len())..].iter().take_while(|c| **c == ' ').count();
    let mut j = at + spaces(at);
    if !matches!(chars.get(j), Some('×' | 'x' | 'X' | '*')) {
        return None;
    }
    j += 1;
    j += spaces(j);
    let rest: String = chars[j.min(chars.len())..].iter().take(4).collect();
    j += if rest.starts_with("10^") {
        3
    } else if rest.starts_with("10**") {
        4
    } else {
        return None;
    };
    let sign = usize::from(matches!(chars.get(j), Some('-' | '+')));
    let digits = chars[(j + sign).min(chars.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let exponent: String = chars[j..j + sign + digits].iter().collect();
    Some((exponent.parse().ok()?, j + sign + digits))
}

/// A tens word and a units word after it, joined by `-` or a space (`thirty-five`,
/// `twenty one`): the number and where it ends.
fn tens_and_units(word: &str, chars: &[char], at: usize) -> Option<(u64, usize)> {
    let tens = crate::align::number_word(word).filter(|n| *n >= 20 && n % 10 == 0)?;
    if !matches!(chars.get(at), Some('-' | ' ')) {
        return None;
    }
    let len = chars[at + 1..].iter().take_while(|c| c.is_alphabetic()).count();
    let next: String = chars[at + 1..at + 1 + len].iter().collect::<String>().to_lowercase();
    let units = crate::align::number_word(&next).filter(|n| (1..=9).contains(n))?;
    Some((tens + units, at + 1 + len))
}

/// A number with `and a half` after it is half more: `three and a half` is 3.5; `half
/// a` thing is 0.5 of it (`half a mile`), as are `half of` it and `half an` hour;
/// `a quarter of` a thing is 0.25 of it, `three quarters of` it 0.75 (`a quarter of
/// an hour`, `a quarter of the rows`).
fn halves(toks: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        let word = |k: usize| match toks.get(k) {
            Some(Token::Word(w)) => w.as_str(),
            _ => "",
        };
        let part = match (&toks[i], word(i + 1)) {
            (Token::Word(a), "quarter") if a == "a" => Some(0.25),
            (Token::Number(n), "quarter") if n.as_u64() == Some(1) => Some(0.25),
            (Token::Number(n), "quarters") if n.as_u64() == Some(3) => Some(0.75),
            (Token::Word(h), "of") if h == "half" => Some(0.5),
            _ => None,
        };
        // (`half of` is one word before its `of`; `a quarter of` two)
        let of = if word(i) == "half" { i + 1 } else { i + 2 };
        // (not a part of a number: `a quarter of 80`, `half of 500 euros`, `a quarter
        // of a million`, which the model reads)
        let of_number = matches!(toks.get(of + 1), Some(Token::Number(_)))
            || (matches!(word(of + 1), "a" | "an")
                && matches!(word(of + 2), "million" | "thousand" | "billion" | "dozen"));
        if let Some(x) = part.filter(|_| word(of) == "of" && !of_number) {
            out.push(Token::Number(Value::from(x)));
            // (`of a` or `of an` before a unit: the unit is what it is a part of)
            let article = matches!(word(of + 1), "a" | "an") && shape::is_unit(word(of + 2));
            i = if article { of + 2 } else { of };
            continue;
        }
        if matches!(&toks[i..(i + 3).min(toks.len())],
            [Token::Word(h), Token::Word(a), Token::Word(_)] if h == "half" && (a == "a" || a == "an"))
        {
            out.push(Token::Number(Value::from(0.5)));
            i += 2;
            continue;
        }
        let half = matches!(&toks[i + 1..(i + 4).min(toks.len())],
            [Token::Word(a), Token::Word(b), Token::Word(c)] if a == "and" && b == "a" && c == "half");
        match (&toks[i], half) {
            (Token::Number(n), true) => match n.as_f64().map(|x| x + 0.5).and_then(serde_json::Number::from_f64) {
                Some(x) => {
                    out.push(Token::Number(Value::Number(x)));
                    i += 4;
                }
                None => {
                    out.push(toks[i].clone());
                    i += 1;
                }
            },
            _ => {
                out.push(toks[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// A range whose second end carries a scale letter carries it on both: `150-180k`
/// is 150000 to 180000, `40 to 60k` 40000 to 60000 (not `2 to 5000 pages`).
fn scaled_ranges(mut toks: Vec<Token>, text: &str) -> Vec<Token> {
    for i in 0..toks.len().saturating_sub(2) {
        let (Token::Number(a), Token::Word(to), Token::Number(b)) = (&toks[i], &toks[i + 1], &toks[i + 2]) else {
            continue;
        };
        let (Some(a), Some(b)) = (a.as_u64(), b.as_u64()) else { continue };
        if to != "to" {
            continue;
        }
        // (read only where the text writes a range: `tokens` reads every description)
        let lower = text.to_lowercase().replace(',', "");
        for (e, letter) in [(1_000_000_000, "b"), (1_000_000, "m"), (1_000, "k")] {
            let c = b / e;
            // (the letter ends the number's word: not the `k` of `3-5km`)
            let ends_word = |w: &str| {
                lower.match_indices(w).any(|(at, _)| !lower[at + w.len()..].starts_with(char::is_alphanumeric))
            };
            let written = [format!("-{c}{letter}"), format!("-${c}{letter}"), format!("to {c}{letter}")];
            if b % e == 0 && a < c && written.iter().any(|w| ends_word(w)) {
                toks[i] = Token::Number(Value::from(a * e));
                break;
            }
        }
    }
    toks
}

/// A number with a scale word after it is the number it says: `213 million` is
/// 213000000, `8.5 thousand` is 8500, `5 grand` is 5000 where no noun follows
/// (`2 grand pianos`).
pub(super) fn scaled(mut toks: Vec<Token>) -> Vec<Token> {
    for i in 1..toks.len() {
        let alone = match toks.get(i + 1) {
            None | Some(Token::Punct(_)) => true,
            Some(Token::Word(w)) => {
                PREPOSITIONS.contains(&w.as_str()) || is_coordinator(w) || matches!(w.as_str(), "a" | "if")
            }
            _ => false,
        };
        let scale = match &toks[i] {
            Token::Word(w) => match w.as_str() {
                "grand" if alone => 1e3,
                "thousand" => 1e3,
                "million" => 1e6,
                "billion" => 1e9,
                "trillion" => 1e12,
                _ => continue,
            },
            _ => continue,
        };
        if let Token::Number(n) = &toks[i - 1] {
            if let Some(x) = n.as_f64().map(|x| x * scale).filter(|x| x.is_finite()) {
                // A whole number stays an integer, so an integer key takes it.
                toks[i - 1] = Token::Number(if x.fract() == 0.0 && x.abs() < 9e15 {
                    Value::from(x as i64)
                } else {
                    round(x.into())
                });
            }
        }
    }
    toks
}

/// Where a run of two or more numbers that each carry the same unit word ends
/// (`440 hz and 880 hz`, `5 c, 6 c and 7 c`), when one starts at `i`.
pub(super) fn run_with_unit(toks: &[Token], i: usize) -> Option<usize> {
    let (Some(Token::Number(_)), Some(Token::Word(unit))) = (toks.get(i), toks.get(i + 1)) else { return None };
    if is_coordinator(unit) {
        return None;
    }
    let joins =
        |t: Option<&Token>| matches!(t, Some(Token::Punct(','))) || matches!(t, Some(Token::Word(w)) if w == "and");
    let mut end = i + 2;
    while joins(toks.get(end))
        && matches!(toks.get(end + 1), Some(Token::Number(_)))
        && matches!(toks.get(end + 2), Some(Token::Word(w)) if w == unit)
    {
        end += 3;
    }
    (end > i + 2).then_some(end)
}

/// Adds a [`Token::List`] before each run of two or more numbers in a row (`,`,
/// `and` or `x` between them, each number with the same unit word or none: `5C and 7C`): a
/// list only a list-valued key takes.
pub(super) fn with_runs(toks: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while i < toks.len() {
        if let Some(end) = run_with_unit(&toks, i) {
            let xs = toks[i..end].iter().filter_map(|t| match t {
                Token::Number(n) => Some(n.clone()),
                _ => None,
            });
            out.push(Token::List(xs.collect()));
            out.extend(toks[i..end].iter().cloned());
            i = end;
            continue;
        }
        let mut run = 0;
        while let Some(Token::Number(_)) = toks.get(i + run) {
            run += 1;
            // (`×` between sizes: `40 x 30 x 25 cm`)
            let joins = |t: Option<&Token>| {
                matches!(t, Some(Token::Punct(','))) || matches!(t, Some(Token::Word(w)) if w == "and" || w == "×")
            };
            if joins(toks.get(i + run)) && matches!(toks.get(i + run + 1), Some(Token::Number(_))) {
                run += 1;
            } else if matches!(toks.get(i + run), Some(Token::Punct(',')))
                && matches!(toks.get(i + run + 1), Some(Token::Word(w)) if w == "and")
                && matches!(toks.get(i + run + 2), Some(Token::Number(_)))
                && toks[i..i + run].iter().any(|t| matches!(t, Token::Punct(',')))
                && !(matches!(toks.get(i + run + 3), Some(Token::Punct(',')))
                    && matches!(toks.get(i + run + 4), Some(Token::Number(_))))
            {
                // (`, and` before the last of three or more: `4, 8, 15, and 42`, `$3,000,
                // $4,000, and $5,000`; not two lists, `1, 2, and 4, 6`)
                run += 2;
            }
        }
        let numbers = toks[i..i + run].iter().filter(|t| matches!(t, Token::Number(_))).count();
        if numbers >= 2 {
            out.push(Token::List(
                toks[i..i + run]
                    .iter()
                    .filter_map(|t| match t {
                        Token::Number(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect(),
            ));
        }
        out.extend(toks[i..i + run.max(1)].iter().cloned());
        i += run.max(1);
    }
    out
}

/// The tokens where the text writes number `value` (as a number, not a percentage).
pub(super) fn number_spots(toks: &[Token], value: &Value) -> Vec<usize> {
    (0..toks.len()).filter(|&i| matches!(&toks[i], Token::Number(n) if n.as_f64() == value.as_f64())).collect()
}

/// The word at token `i`, or `""` where there is none (a number, a mark, the end).
pub(super) fn word_at(toks: &[Token], i: usize) -> &str {
    match toks.get(i) {
        Some(Token::Word(w)) => w.as_str(),
        _ => "",
    }
}

/// Where the words before the number at `i` end: the token before it, or before the
/// [`Token::List`] that a run of numbers opens with.
pub(super) fn before_number(toks: &[Token], i: usize) -> usize {
    let at = if matches!(toks.get(i.wrapping_sub(1)), Some(Token::List(_))) { i.wrapping_sub(1) } else { i };
    at.wrapping_sub(1)
}

/// The value a number token gives a key of schema `prop`, if it fits its type. A
/// percentage is a fraction (`8%` is 0.08) unless the key counts in percent (its name
/// or description says so, and the description does not ask for a decimal) or takes
/// integers.
pub(super) fn number(t: &Token, key: &str, prop: &Value) -> Option<Value> {
    let integer = main_type(prop) == Some("integer");
    if !integer && main_type(prop) != Some("number") {
        return None;
    }
    // (within the range the key's values lie in: a probability is no `7`)
    let (low, high) = super::bounds::value_range(key, prop);
    number_as(t, key, prop, integer).filter(|n| n.as_f64().is_some_and(|x| (low..=high).contains(&x)))
}

/// [`number`], in any range.
fn number_as(t: &Token, key: &str, prop: &Value, integer: bool) -> Option<Value> {
    let fits = |n: &Value| !integer || n.is_i64() || n.is_u64();
    match t {
        Token::Number(n) => fits(n).then(|| n.clone()),
        // (a percentage is no amount of money: `putting 20% down` for a down payment
        // in USD)
        Token::Percent(_) if priced_in_one_currency(prop) => None,
        Token::Percent(n) => {
            if integer || counts_in_percent(key, prop) {
                fits(n).then(|| n.clone())
            } else {
                n.as_f64().and_then(|x| serde_json::Number::from_f64(x / 100.0)).map(|x| round(x.into()))
            }
        }
        _ => None,
    }
}

/// Whether a key's description prices it in one currency (`in US dollars`).
fn priced_in_one_currency(prop: &Value) -> bool {
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("");
    super::described::described_currency(prop).is_some() && !said.to_lowercase().contains("percent")
}

/// The numbers the text writes right after a currency sign, with the sign (`$1.2m`:
/// 1200000, `€40`).
pub(super) fn signed_amounts(text: &str) -> Vec<(char, Value)> {
    text.char_indices()
        .filter(|&(_, c)| "$€£¥".contains(c))
        .filter_map(|(at, c)| match tokens(&text[at..]).first() {
            Some(Token::Number(n)) => Some((c, n.clone())),
            _ => None,
        })
        .collect()
}

/// Whether a key counts in percent: its name or description says so (`discount_pct`,
/// `The tax rate as a percentage`), and the description does not ask for a decimal.
pub(super) fn counts_in_percent(key: &str, prop: &Value) -> bool {
    let says = |s: &str| s.to_lowercase().contains("percent") || s.contains('%');
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("");
    says(key) || words(key).iter().any(|w| w == "pct") || (says(description) && !as_decimal(description))
}

/// Whether a description asks for a rate as a decimal: `in decimal form`, `Enter as a
/// decimal. E.g, 5% is 0.05` (not `decimal places`, nor `as a decimal number between
/// 0 and 100`).
pub(super) fn as_decimal(description: &str) -> bool {
    let ws = words(description);
    let other = |n: &String| ["number", "point", "places", "digits"].contains(&n.as_str());
    ws.windows(2).any(|w| w[0] == "decimal" && w[1] == "form")
        || ws
            .windows(3)
            .enumerate()
            .any(|(i, w)| w == ["as", "a", "decimal"] && ws.get(i + 3).is_none_or(|n| !other(n)))
}

/// `x` without the float noise of a division (0.07 rather than 0.07000000000000001).
pub(super) fn round(x: Value) -> Value {
    match x.as_f64() {
        Some(f) => format!("{f:.10}")
            .trim_end_matches('0')
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(x, Value::Number),
        None => x,
    }
}
