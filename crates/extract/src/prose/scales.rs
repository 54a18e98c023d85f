//! Choices that hold numbers (`5 out of 5`, `£20-25`, `more than £30`), read from
//! the numbers, bounds and currencies the text writes.

use super::choices::{choice_words, open_choices};
use super::words::{is_negation_word, key_runs, lowered, phrase_before, phrase_words, written_words, DETERMINERS};
use crate::align::stem;
use crate::plan::{Field, Part, Presence};
use crate::value::Candidate;
use serde_json::Value;

/// How far after a choice's first number its other numbers may be written
/// (`between £20 and £25`).
pub(super) const NUMBER_REACH: usize = 3;

/// Words that say a number is a bound from above (`under £20`, `£20 or less`) or
/// below (`over £30`, `from £30`, `£30 plus`): a closed class, as negations are.
pub(super) const LESS_WORDS: [&str; 9] = ["under", "below", "less", "lower", "cheaper", "within", "max", "most", "up"];
pub(super) const MORE_WORDS: [&str; 11] =
    ["over", "above", "more", "from", "plus", "higher", "beyond", "start", "starts", "starting", "least"];
/// Words that say a number is about right, no bound (`around $100`).
pub(super) const ABOUT_WORDS: [&str; 5] = ["around", "about", "approximately", "roughly", "nearly"];

/// The bound a word says (a number is at most, at least or about it), if any.
pub(super) fn bound_word(w: &str) -> Option<Bound> {
    if LESS_WORDS.contains(&w) {
        Some(Bound::AtMost)
    } else if MORE_WORDS.contains(&w) {
        Some(Bound::AtLeast)
    } else if ABOUT_WORDS.contains(&w) {
        Some(Bound::About)
    } else {
        None
    }
}

/// The currency a sign or name stands for (`£`, `pounds`: `GBP`).
pub(super) fn currency_of(s: &str) -> Option<&'static str> {
    match crate::currency::written(s).as_deref() {
        Some([(_, code)]) => Some(code),
        _ => None,
    }
}

/// What a bound word says of a number.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Bound {
    AtMost,
    AtLeast,
    About,
}

/// A choice that holds numbers and more (`5 out of 5`, `more than £30`, `£20-25`), of
/// a key whose choices the text does not write, is read from a number the text
/// writes (`a 5 star rating` → `5 out of 5`, `prices over £30` → `more than £30`,
/// `between £20 and £25` → `£20-25`). The number is a whole one (not a part of
/// `4.5`, `7:30` or `1,500`), outside every written choice, not the second of a pair
/// (`4 out of 5`), not negated, and a number in words only in lower case and not
/// before `of` (`All Bar One`, `one of the best` are no numbers); it has a currency
/// sign or name exactly where the choice has one (`£20`, `20 pounds`; not `20
/// minutes`), and a choice with none is read only where the text names its key
/// (`rated 3 stars`; not `tables for 5`). It goes to the choices whose first number it
/// is and whose bound word agrees with the text's (`under £20` is not `more than
/// £20`; a bound the text writes fits a choice with none only where it is a range
/// written whole, `from £20 to £25`); of those, to the ones with the most of their other
/// numbers written within [`NUMBER_REACH`] words after it, then the fewest left
/// unwritten (`£20` → `less than £20` rather than `£20-25`). A number that fits the
/// choices of more than one key, or that another key may take as its value (`send 3
/// bags`), is left alone; a key that takes several picks among them.
pub(super) fn number_choices(fields: &mut [Field], text: &str) {
    let as_written = written_words(text);
    let ws = lowered(&as_written);
    let places: Vec<(bool, (usize, usize))> =
        as_written.into_iter().map(|(w, _, at)| (!w.chars().any(char::is_uppercase), at)).collect();
    let chars: Vec<char> = text.chars().collect();
    let numeral = |w: &str| w.parse::<u64>().ok().or_else(|| crate::align::number_word(w));
    let sign = |c: Option<&char>| c.is_some_and(|c| "£$€¥".contains(*c));
    // (a choice's numbers, the currency of a sign before its first, its bound if any,
    // whether it holds more than numbers, and its unit)
    let read_choice = |c: &str| {
        let cw = phrase_words(c);
        let nums: Vec<u64> = cw.iter().filter_map(|(w, _)| numeral(w)).collect();
        let cs: Vec<char> = c.chars().collect();
        let signed = cs.iter().position(char::is_ascii_digit).and_then(|d| cs.get(d.checked_sub(1)?)).copied();
        let signed = signed.filter(|c| sign(Some(c))).and_then(|c| currency_of(&c.to_string()));
        let bound = cw.iter().find_map(|(w, _)| bound_word(w));
        let more = cw.len() > nums.len() || signed.is_some();
        // (the word right after its first number, where no other number follows: a
        // unit, `1 hour`; `5 out of 5` and `£20-25` are scales)
        let first = cw.iter().position(|(w, _)| numeral(w).is_some());
        let unit = first.and_then(|i| cw.get(i + 1)).filter(|_| nums.len() == 1).map(|(w, _)| w.clone());
        (nums, signed, bound, more, unit)
    };
    // (the words of every choice the text writes, of any key, are no number of their own)
    let mut written = choice_words(fields, &ws);
    let mut picked: Vec<Vec<String>> = vec![Vec::new(); fields.len()];
    for at in 0..ws.len() {
        let (lower, (start, end)) = places[at];
        let digits = ws[at].0.chars().all(|c| c.is_ascii_digit());
        let Some(n) = numeral(&ws[at].0).filter(|_| !written[at] && (digits || lower)) else { continue };
        // (a whole number: not `4.5`, `7:30`, `1,500`)
        let joined = |c: Option<&char>, d: Option<&char>| {
            c.is_some_and(|c| ".,:".contains(*c)) && d.is_some_and(char::is_ascii_digit)
        };
        let part = start >= 2 && joined(chars.get(start - 1), chars.get(start - 2))
            || joined(chars.get(end), chars.get(end + 1));
        // (the words before it within its phrase, at most two)
        let before: Vec<&str> = ws[phrase_before(&ws, at, 2, |_| false)..at].iter().map(|(w, _)| w.as_str()).collect();
        // (the second of a pair: `4 out of 5`, `£20 to £25`; not `£30 and a three
        // star rating`)
        let paired = ws[phrase_before(&ws, at, NUMBER_REACH, |w| DETERMINERS.contains(&w))..at]
            .iter()
            .any(|(w, _)| numeral(w).is_some());
        let of_next = !digits && ws.get(at + 1).is_some_and(|(w, _)| w == "of");
        if part || paired || of_next || before.iter().any(|w| is_negation_word(w)) {
            continue;
        }
        // (a number another key may take as its value is that key's: `order 5 bags`)
        let a_value = fields.iter().any(|f| match &f.part {
            Part::Scalar { candidates, schema } if f.presence == Presence::Present && schema.get("enum").is_none() => {
                candidates.iter().any(|c| c.value.as_f64() == Some(n as f64))
            }
            _ => false,
        });
        if a_value {
            continue;
        }
        let after_word = ws.get(at + 1).filter(|_| !ws[at].1).map(|(w, _)| w.as_str());
        // (a capitalised word after it makes it part of a name: `5 Bridge Street`)
        if after_word.is_some() && !places[at + 1].0 {
            continue;
        }
        // (the currency written at it: a sign before it, or a name after it)
        let before_sign = start.checked_sub(1).and_then(|b| chars.get(b)).filter(|c| sign(Some(c)));
        let money = match (before_sign, after_word.filter(|w| crate::currency::is_name(w))) {
            (Some(c), _) if digits => currency_of(&c.to_string()),
            (_, Some(w)) => currency_of(w),
            _ => None,
        };
        // (its bound: a word before it, or one of the two after it: `£20 or less`)
        let after_two: Vec<&str> = (at + 1..(at + 3).min(ws.len()))
            .filter(|&j| ws[at..j].iter().all(|(_, end)| !end))
            .map(|j| ws[j].0.as_str())
            .collect();
        let bound = before.iter().chain(&after_two).find_map(|w| bound_word(w));
        // (the numbers written within reach after it, within its phrase, and where)
        let mut after: Vec<(usize, u64)> = Vec::new();
        let mut i = at;
        while !ws[i].1 && i + 1 < ws.len() && i < at + NUMBER_REACH {
            i += 1;
            after.extend(
                numeral(&ws[i].0)
                    .filter(|_| (places[i].0 || ws[i].0.chars().all(|c| c.is_ascii_digit())) && !written[i])
                    .map(|m| (i, m)),
            );
        }
        // (each choice whose first number this is: the key, the choice, where its other
        // numbers are written, and how well it fits)
        let mut fitting: Vec<NumberFit> = Vec::new();
        for (k, f) in fields.iter().enumerate() {
            let named = !key_runs(&f.key, &ws).is_empty();
            for c in open_choices(f).into_iter().flatten() {
                let (nums, signed, own_bound, more, unit) = read_choice(&c);
                let same_unit = match (&unit, after_word) {
                    (Some(u), Some(w)) => crate::align::written_as(u, w) || stem(u) == stem(w),
                    (Some(_), None) => false,
                    _ => true,
                };
                if nums.first() != Some(&n) || !more || signed != money || !(signed.is_some() || named) || !same_unit {
                    continue;
                }
                let mut left = after.clone();
                let found: Vec<usize> = nums[1..]
                    .iter()
                    .filter_map(|m| left.iter().position(|x| x.1 == *m).map(|i| left.remove(i).0))
                    .collect();
                // (a bound the text writes is the choice's, or the choice is a range
                // written whole: `from £20 to £25`, not `above £20` for `£20-25`)
                let whole_range = found.len() + 1 == nums.len() && nums.len() > 1;
                let agrees = match (bound, own_bound) {
                    (Some(a), Some(b)) => a == b,
                    (Some(_), None) => whole_range,
                    (None, Some(_)) => false,
                    (None, None) => true,
                };
                // (and the text writes no other number in reach that it leaves out: `3
                // out of 10` is no `3 out of 5`)
                let other = after.iter().any(|(i, _)| !found.contains(i)) && found.len() + 1 < nums.len();
                if !agrees || other {
                    continue;
                }
                let fit = (found.len(), std::cmp::Reverse(nums.len() - 1 - found.len()));
                fitting.push((k, c, found, fit));
            }
        }
        let Some(k) = fitting.first().map(|f| f.0) else { continue };
        if fitting.iter().any(|f| f.0 != k) {
            continue;
        }
        let best = fitting.iter().map(|f| f.3).max();
        for (_, c, found, _) in fitting.into_iter().filter(|f| Some(f.3) == best) {
            // (its other numbers are read with it: `£25` of `between £20 and £25`)
            found.into_iter().for_each(|i| written[i] = true);
            if !picked[k].contains(&c) {
                picked[k].push(c);
            }
        }
    }
    for (f, choices) in fields.iter_mut().zip(picked).filter(|(_, c)| !c.is_empty()) {
        let Some(schema) = f.part.schema().cloned() else { continue };
        let score = if choices.len() == 1 { 1.0 } else { 0.5 };
        let candidates = choices.into_iter().map(|c| Candidate { value: Value::String(c), score }).collect();
        f.part = Part::Scalar { candidates, schema };
        f.presence = Presence::Present;
    }
}

/// A choice a number fits: (field, choice, where its other numbers are written, how
/// well: those written, fewer left unwritten).
pub(super) type NumberFit = (usize, String, Vec<usize>, (usize, std::cmp::Reverse<usize>));
