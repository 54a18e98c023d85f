//! Choices (enums) the text writes, or writes in other words of the same degree,
//! given to the key they are written at.

use super::words::{
    choice_distance, choice_spots, clause_after, content_words, is_coordinator, is_copula, is_negation_word, key_runs,
    lowered, phrase_before, phrase_words, same_root, side_rest, written_words, DETERMINERS, PREPOSITIONS,
};
use crate::align::words;
use crate::plan::{Field, Part, Presence};
use crate::value::Candidate;
use serde_json::Value;

/// Most words between a key's words and a choice written after them (`priority is
/// high`, `a rating of 5 out of 5`).
pub(super) const CHOICE_REACH: usize = 2;

/// A choice written right before a key's words (`high priority`, `a high customer
/// rating`) or at most [`CHOICE_REACH`] words after them (`impact: low`, `impact is
/// low`), within one phrase and with no negation in the two words before it or
/// between, is that key's: all of the key's words before some of them (`output
/// format CSV`), nearest first, a longer choice before a shorter, each written
/// choice to one key. A one-word choice that is a degree word is also written as
/// another word of its degree (`low prices` for `cheap`, `prices are average` for
/// `moderate`: [`DEGREE_WORDS`]), where it is its key's one choice of that degree,
/// the key's words written close their noun phrase, the phrase writes none of the
/// numbers its choices hold, and, before the key's words, the rest of their clause
/// says no degree or number of its own. A key whose written choices another key
/// took takes none of them: where the text does not name it, it keeps those left
/// that are phrases, or no other key's and written right before a choice (`more
/// than £30`, `a cheap coffee shop` beside `a high customer rating`; not `low
/// lighting`), else is left out where optional (`low priority` says nothing of the
/// impact); the model picks among the rest where the key is required or the text
/// names it (`prices under £20` beside `a high customer rating`) and two choices or
/// more are left, and among all where required.
pub(super) fn anchor_choices(fields: &mut [Field], text: &str, required: &[&str]) {
    let ws = phrase_words(text);
    let choices_of = |f: &Field| match &f.part {
        Part::Scalar { candidates, schema } if f.presence == Presence::Present && schema.get("enum").is_some() => {
            Some(candidates.iter().filter_map(|c| c.value.as_str().map(str::to_string)).collect::<Vec<_>>())
        }
        // (a key the text names only in another form, `moderately priced`)
        Part::Open { schema } if f.presence == Presence::Absent => enum_strings(schema),
        _ => None,
    };
    let mut claims: Vec<ChoiceClaim> = Vec::new();
    for (k, f) in fields.iter().enumerate() {
        let Some(choices) = choices_of(f) else { continue };
        let runs = key_runs(&f.key, &ws);
        let all_words = content_words(&f.key).len();
        // (some of the key's words say a degree only where they close their noun
        // phrase, or end in a participle: `low prices.`, `prices are low`, `prices
        // at`, `a fairly priced pub`; not `average customer service`, `customer
        // service is high`, `an average range of dishes`)
        let closes = |run: (usize, usize)| {
            run.1 - run.0 == all_words
                || ws[run.1 - 1].1
                || ws[run.1 - 1].0.ends_with("ed")
                || ws.get(run.1).is_none_or(|(w, _)| {
                    is_coordinator(w)
                        || PREPOSITIONS.contains(&w.as_str())
                        || DETERMINERS.contains(&w.as_str())
                        || is_copula(w)
                })
        };
        // (after the key's words, only a verb `to be` between: `prices are low`, not
        // `prices and low lighting`; before them, only where the rest of their clause
        // says no degree or number of its own: not `the average price at The Mill is
        // high`, `the average price is £15`)
        let said_of = |run: (usize, usize), at: (usize, usize)| {
            if at.0 < run.0 {
                let own = |w: &String| degree_of(w).is_some() || w.starts_with(|c: char| c.is_ascii_digit());
                return !clause_after(&ws, run.1 - 1).iter().any(|(w, _)| own(w));
            }
            ws.get(run.1..at.0).is_some_and(|between| between.iter().all(|(w, _)| is_copula(w)))
        };
        // (a degree word may say any of the key's choices, written or not)
        let every = f.part.schema().and_then(enum_strings).unwrap_or_default();
        // (but where the phrase writes a number the choices hold, that says more:
        // `averagely priced at £20-£25` is `£20-25`)
        let held: Vec<String> =
            every.iter().flat_map(|c| words(c)).filter(|w| w.chars().all(|c| c.is_ascii_digit())).collect();
        let numbered = |run: (usize, usize)| {
            let start = (0..run.0).rev().find(|&i| ws[i].1).map_or(0, |i| i + 1);
            let end = (run.0..ws.len()).find(|&i| ws[i].1).map_or(ws.len(), |i| i + 1);
            ws[start..end].iter().any(|(w, _)| held.contains(w))
        };
        let written = choices.iter().flat_map(|c| choice_spots(c, &ws, true).into_iter().map(move |at| (c, at, false)));
        let by_degree =
            every.iter().flat_map(|c| degree_spots(c, &every, &ws).into_iter().map(move |at| (c, at, true)));
        for (c, at, by_degree) in written.chain(by_degree) {
            for &run in runs.iter().filter(|&&run| !by_degree || (closes(run) && !numbered(run) && said_of(run, at))) {
                if let Some(d) = choice_distance(at, run, &ws) {
                    let partial = run.1 - run.0 < all_words;
                    claims.push((partial, d, std::cmp::Reverse(at.1 - at.0), k, c.clone(), at));
                }
            }
        }
    }
    claims.sort();
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let mut taken: Vec<(usize, (usize, usize))> = Vec::new();
    let mut keyed: Vec<Option<String>> = vec![None; fields.len()];
    for (_, _, _, k, c, at) in claims {
        if keyed[k].is_none() && !taken.iter().any(|(_, t)| overlaps(*t, at)) {
            keyed[k] = Some(c);
            taken.push((k, at));
        }
    }
    // (every key's choices, and the words of those written)
    let others: Vec<Vec<String>> =
        fields.iter().map(|f| f.part.schema().and_then(enum_strings).unwrap_or_default()).collect();
    let kinds = choice_words(fields, &ws);
    for (k, f) in fields.iter_mut().enumerate() {
        if choices_of(f).is_none() {
            continue;
        }
        if f.presence == Presence::Absent {
            if let (Some(c), Part::Open { schema }) = (&keyed[k], &f.part) {
                let candidates = vec![Candidate { value: Value::String(c.clone()), score: 1.0 }];
                f.part = Part::Scalar { candidates, schema: schema.clone() };
                f.presence = Presence::Present;
            }
            continue;
        }
        let named = !key_runs(&f.key, &ws).is_empty() || required.contains(&f.key.as_str());
        let Part::Scalar { candidates, schema } = &mut f.part else { continue };
        if let Some(c) = &keyed[k] {
            *candidates = vec![Candidate { value: Value::String(c.clone()), score: 1.0 }];
            continue;
        }
        // (written, and only where another key took it)
        let theirs = |c: &str| {
            let spots = choice_spots(c, &ws, false);
            !spots.is_empty() && spots.iter().all(|&at| taken.iter().any(|&(j, t)| j != k && overlaps(t, at)))
        };
        if !candidates.iter().any(|x| x.value.as_str().is_some_and(theirs)) {
            continue;
        }
        let left: Vec<Candidate> =
            candidates.iter().filter(|x| !x.value.as_str().is_some_and(theirs)).cloned().collect();
        // (a choice of several words that no key took is still written for this one,
        // and so is one no other key has, written right before a choice: `for more
        // than £30` and `a cheap coffee shop` beside `a high customer rating`; not
        // `low lighting`, nor after `the`: `the average Indian restaurant` is a
        // typical one)
        let own = |c: &str| {
            words(c).len() >= 2
                || (!others.iter().enumerate().any(|(j, e)| j != k && e.iter().any(|o| o.eq_ignore_ascii_case(c)))
                    && choice_spots(c, &ws, false).iter().any(|at| {
                        !ws[at.1 - 1].1 && kinds.get(at.1) == Some(&true) && (at.0 == 0 || ws[at.0 - 1].0 != "the")
                    }))
        };
        let phrases: Vec<Candidate> = left.iter().filter(|x| x.value.as_str().is_some_and(own)).cloned().collect();
        if !named && !phrases.is_empty() && left.iter().all(|x| x.score >= 0.7) {
            *candidates = phrases;
            continue;
        }
        if !named {
            f.presence = Presence::Absent;
            continue;
        }
        let all = schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
        let rest: Vec<Candidate> = all
            .iter()
            .filter(|v| !v.as_str().is_some_and(theirs))
            .map(|value| Candidate { value: value.clone(), score: 0.1 })
            .collect();
        *candidates = match (left.is_empty(), rest.len()) {
            (false, _) => left,
            (true, 2..) => rest,
            _ if required.contains(&f.key.as_str()) => {
                all.into_iter().map(|value| Candidate { value, score: 0.1 }).collect()
            }
            _ => {
                f.presence = Presence::Absent;
                continue;
            }
        };
    }
}

/// The choices of an enum key that nothing the text writes settled: every choice is
/// still open (none written), or the key is absent.
pub(super) fn open_choices(f: &Field) -> Option<Vec<String>> {
    let schema = match &f.part {
        Part::Scalar { candidates, schema } if f.presence == Presence::Present => {
            candidates.iter().all(|c| c.score < 0.7).then_some(schema)?
        }
        Part::Open { schema } if f.presence == Presence::Absent => schema,
        _ => return None,
    };
    enum_strings(schema)
}

/// The string choices of an enum schema.
pub(super) fn enum_strings(schema: &Value) -> Option<Vec<String>> {
    let choices = schema.get("enum")?.as_array()?;
    Some(choices.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

/// Which of the text's words (`ws`) belong to a choice of any key written as it is.
pub(super) fn choice_words(fields: &[Field], ws: &[(String, bool)]) -> Vec<bool> {
    let mut written = vec![false; ws.len()];
    for f in fields {
        let all = f.part.schema().and_then(|s| s.get("enum"));
        for c in all.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            for (a, b) in choice_spots(c, ws, false) {
                written[a..b].iter_mut().for_each(|w| *w = true);
            }
        }
    }
    written
}

/// A one-word choice of a key whose choices the text does not write is read from a
/// noun after a determiner that is the choice's first part (`by the river` →
/// `riverside`: both parts of four letters or more; not `over $50` for `overnight`,
/// `in town` for `townhouse`). Only in lower case (`the Mexico office` is no
/// `Mexican`), with no negation in the three words before within the phrase (`isn't
/// by the river`), where the word fits one choice of one key, does not come right
/// before another key's words in its phrase (it says more of that), and the key has
/// no other such word.
pub(super) fn loose_choices(fields: &mut [Field], text: &str) {
    let places = written_words(text);
    let ws = lowered(&places);
    let lower: Vec<bool> = places.iter().map(|(w, _, _)| !w.chars().any(char::is_uppercase)).collect();
    let written = choice_words(fields, &ws);
    let mut picked: Vec<Option<String>> = vec![None; fields.len()];
    let mut several = vec![false; fields.len()];
    // (where each key's words begin)
    let starts: Vec<Vec<usize>> = fields.iter().map(|f| key_runs(&f.key, &ws).iter().map(|r| r.0).collect()).collect();
    for at in (0..ws.len()).filter(|&at| !written[at] && lower[at]) {
        if ws[phrase_before(&ws, at, 3, |_| false)..at].iter().any(|(w, _)| is_negation_word(w)) {
            continue;
        }
        let mut fits: Vec<(usize, String, usize)> = Vec::new();
        for (k, f) in fields.iter().enumerate() {
            let all = f.part.schema().and_then(|s| s.get("enum")).and_then(Value::as_array);
            for c in all.into_iter().flatten().filter_map(Value::as_str) {
                let cw = words(c);
                // (a noun after a determiner: `by the river`; not `over $50`, `scroll down`)
                let noun = at > 0 && !ws[at - 1].1 && DETERMINERS.contains(&ws[at - 1].0.as_str());
                let last = (cw.len() == 1 && noun && compound_start(&ws[at].0, &cw[0])).then_some(at);
                if let Some(last) = last {
                    fits.push((k, c.to_string(), last));
                }
            }
        }
        let [(k, c, last)] = &fits[..] else { continue };
        // (nor right before another key's words, which it says more of: `riverfront
        // prices`)
        let before_another = !ws[*last].1 && starts.iter().enumerate().any(|(j, s)| j != *k && s.contains(&(last + 1)));
        if open_choices(&fields[*k]).is_none() || before_another {
            continue;
        }
        match &picked[*k] {
            Some(p) if p != c => several[*k] = true,
            _ => picked[*k] = Some(c.clone()),
        }
    }
    for ((f, c), several) in fields.iter_mut().zip(picked).zip(several) {
        let (Some(c), false) = (c, several) else { continue };
        let Some(schema) = f.part.schema().cloned() else { continue };
        f.part = Part::Scalar { candidates: vec![Candidate { value: Value::String(c), score: 0.7 }], schema };
        f.presence = Presence::Present;
    }
}

/// A choice of two content words or more that the text writes in part, as a run of
/// its words in their order that ends in its last word (`a written contract` for
/// `breach_of_written_contract`), is its key's where nothing else settled the key,
/// the run holds two words or more and half the choice's words at least, and no
/// other choice of any key has a run as long: `New York` names neither
/// `new_york_times` nor `new_york_post`. Not where the words it leaves out say a
/// degree (`blood sugar is high` is no `low_blood_sugar`), nor after a negation
/// (`not a written contract`); `new account` is no `new_account_opening`.
pub(super) fn partial_choices(fields: &mut [Field], text: &str) {
    let ws = phrase_words(text);
    // (the longest run of `cw` written in order as consecutive words of one phrase:
    // its length, where it starts in the text and in `cw`)
    let run = |cw: &[String]| {
        let mut best = (0, 0, 0);
        for start in 0..ws.len() {
            for offset in 0..cw.len() {
                let n = cw[offset..]
                    .iter()
                    .zip(&ws[start..])
                    .enumerate()
                    .take_while(|(i, (c, (w, _)))| (*i == 0 || !ws[start + i - 1].1) && same_root(c, w))
                    .count();
                if n > best.0 {
                    best = (n, start, offset);
                }
            }
        }
        best
    };
    let mut best: Vec<(usize, String, usize)> = Vec::new();
    for (k, f) in fields.iter().enumerate() {
        let Some(choices) = open_choices(f) else { continue };
        for c in choices {
            let cw = content_words(&c);
            if cw.len() < 2 {
                continue;
            }
            let (n, start, offset) = run(&cw);
            let to_the_end = offset + n == cw.len();
            let degree_left = cw[..offset].iter().any(|w| degree_of(w).is_some());
            let negated = ws[phrase_before(&ws, start, 3, |_| false)..start].iter().any(|(w, _)| is_negation_word(w));
            if n >= 2 && 2 * n >= cw.len() && to_the_end && !degree_left && !negated {
                best.push((k, c, n));
            }
        }
    }
    // (the one choice of every key's with the longest run)
    let runs: Vec<usize> = fields
        .iter()
        .filter_map(|f| f.part.schema().and_then(enum_strings))
        .flatten()
        .map(|c| run(&content_words(&c)).0)
        .collect();
    let longest = runs.iter().copied().max().unwrap_or(0);
    if runs.iter().filter(|&&n| n == longest).count() != 1 {
        return;
    }
    let top: Vec<&(usize, String, usize)> = best.iter().filter(|(_, _, n)| *n == longest).collect();
    let [(k, c, _)] = top[..] else { return };
    let Some(schema) = fields[*k].part.schema().cloned() else { return };
    fields[*k].part =
        Part::Scalar { candidates: vec![Candidate { value: Value::String(c.clone()), score: 0.7 }], schema };
    fields[*k].presence = Presence::Present;
}

/// Words that say a person's sex: a closed class, as degree words are.
const SEXES: [(&str, &[&str]); 2] = [
    ("female", &["female", "woman", "women", "girl", "lady", "she", "mother", "wife", "daughter", "sister"]),
    ("male", &["male", "man", "men", "boy", "guy", "he", "father", "husband", "son", "brother"]),
];

/// A key whose choices are the two sexes (`male` / `female`, `m` / `f`, `men` /
/// `women`), none written, takes the one the text's words say (`a 35-year-old
/// woman`), where they say only one, and not of someone's (`my wife`).
pub(super) fn sexed_choices(fields: &mut [Field], text: &str) {
    let ws: Vec<String> = phrase_words(text).into_iter().map(|(w, _)| w).collect();
    // (not a word for someone of the speaker's or another's: `my wife and I`)
    let possessive = |i: usize| i > 0 && matches!(ws[i - 1].as_str(), "my" | "his" | "her" | "our" | "your" | "their");
    let said: Vec<&str> = SEXES
        .iter()
        .filter(|(_, words)| ws.iter().enumerate().any(|(i, w)| words.contains(&w.as_str()) && !possessive(i)))
        .map(|(s, _)| *s)
        .collect();
    let [sex] = said[..] else { return };
    for f in fields.iter_mut() {
        let Some(choices) = open_choices(f) else { continue };
        // (each choice of the key is one sex or the other: its name, a word of it, or
        // its first letter)
        let of = |c: &str, s: &str| {
            let c = c.to_lowercase();
            c == s || c == s[..1] || SEXES.iter().any(|(x, words)| *x == s && words.contains(&c.as_str()))
        };
        if choices.len() != 2 || !choices.iter().all(|c| of(c, "female") || of(c, "male")) {
            continue;
        }
        let [pick] = &choices.iter().filter(|c| of(c, sex)).collect::<Vec<_>>()[..] else { continue };
        let Some(schema) = f.part.schema().cloned() else { continue };
        f.part =
            Part::Scalar { candidates: vec![Candidate { value: Value::String((*pick).clone()), score: 0.7 }], schema };
        f.presence = Presence::Present;
    }
}

/// Words that place a thing low, in the middle or high on a scale (`low prices`,
/// `average prices`): a closed class, as bound words are. Praise is no degree:
/// `great prices` are low ones, a `great rating` a high one.
pub(super) const DEGREE_WORDS: [(Degree, &[&str]); 3] = [
    (Degree::Low, &["low", "cheap", "inexpensive", "affordable", "budget"]),
    (Degree::Middle, &["average", "moderate", "medium", "mid", "middle", "reasonable", "fair"]),
    (Degree::High, &["high", "expensive", "pricey", "costly", "premium"]),
];

/// Where a degree word places a thing on a scale.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Degree {
    Low,
    Middle,
    High,
}

/// The degree a word says, by its root (`moderately`, `highly`; not `prices` for
/// `pricey`), if any.
pub(super) fn degree_of(w: &str) -> Option<Degree> {
    DEGREE_WORDS.iter().find(|(_, ws)| ws.iter().any(|d| same_root(d, w))).map(|(d, _)| *d)
}

/// Where the text writes choice `c` in other words of its degree (`low prices` for
/// `cheap`, `average prices` for `moderate`): `c` is one word, itself a degree word,
/// and the only one of its key's `choices` of that degree.
pub(super) fn degree_spots(c: &str, choices: &[String], ws: &[(String, bool)]) -> Vec<(usize, usize)> {
    let one_word_degree = |c: &str| if words(c).len() == 1 { degree_of(&c.to_lowercase()) } else { None };
    let Some(degree) = one_word_degree(c) else { return Vec::new() };
    if choices.iter().filter(|o| one_word_degree(o) == Some(degree)).count() != 1 {
        return Vec::new();
    }
    // (not one that only makes another stronger: `fairly high prices`)
    let intensifies = |i: usize| !ws[i].1 && ws.get(i + 1).is_some_and(|(w, _)| degree_of(w).is_some());
    (0..ws.len())
        .filter(|&i| degree_of(&ws[i].0) == Some(degree) && !same_root(&c.to_lowercase(), &ws[i].0) && !intensifies(i))
        .map(|i| (i, i + 1))
        .collect()
}

/// Whether word `w` is the first part of compound `c`, both of four letters or more
/// (`river` of `riverside`; not `month` of `monthly`, `modern` of `moderate`).
pub(super) fn compound_start(w: &str, c: &str) -> bool {
    let rest = c.strip_prefix(w).unwrap_or("");
    w.chars().count() >= 4 && rest.chars().count() >= 4 && rest.chars().all(char::is_alphabetic)
}

/// A key's claim on a written choice: (by part of the key's words only, distance,
/// longer first, field, choice, where it is written), in the order claims are granted.
pub(super) type ChoiceClaim = (bool, usize, std::cmp::Reverse<usize>, usize, String, (usize, usize));

/// Words that name the side a conversion goes to (`to_calendar`, `target_unit`) and
/// the side it comes from (`from_calendar`, `source_unit`).
pub(super) const TO_SIDE: [&str; 4] = ["target", "to", "destination", "output"];
pub(super) const FROM_SIDE: [&str; 4] = ["source", "from", "origin", "input"];

/// Two keys of the same choices for the two sides of a conversion (`from_calendar`
/// and `to_calendar`, the rest of their words the same) take the choices the text
/// writes by the word before each: right after `to` or `into` (past `the`) the to
/// side's, after `from` the from side's; where the text writes two choices and marks
/// one side, the other is the other side's (`the Gregorian date March 21, 2025 to the
/// Persian calendar`).
pub(super) fn sided_choices(fields: &mut [Field], text: &str) {
    let ws = phrase_words(text);
    let choices = |f: &Field| f.part.schema().and_then(enum_strings);
    let pairs: Vec<(usize, usize)> = (0..fields.len())
        .flat_map(|a| (0..fields.len()).map(move |b| (a, b)))
        .filter(|&(a, b)| {
            a != b
                && fields[a].presence == Presence::Present
                && fields[b].presence == Presence::Present
                && choices(&fields[a]).is_some_and(|c| c.len() >= 2 && Some(&c) == choices(&fields[b]).as_ref())
                && matches!((side_rest(&fields[a].key, &FROM_SIDE), side_rest(&fields[b].key, &TO_SIDE)), (Some(x), Some(y)) if x == y)
        })
        .collect();
    let [(from, to)] = pairs[..] else { return };
    let Some(all) = choices(&fields[from]) else { return };
    // (each choice the text writes, once, with the word before it past `the`)
    let mut written: Vec<(String, String)> = Vec::new();
    for c in &all {
        let spots = choice_spots(c, &ws, false);
        let [(at, _)] = spots[..] else {
            if spots.len() > 1 {
                return;
            }
            continue;
        };
        let before = |i: usize| i.checked_sub(1).map_or("", |j| ws[j].0.as_str());
        let mark = if before(at) == "the" { before(at - 1) } else { before(at) };
        written.push((c.clone(), mark.to_string()));
    }
    let marked = |words: &[&str]| -> Vec<String> {
        written.iter().filter(|(_, m)| words.contains(&m.as_str())).map(|(c, _)| c.clone()).collect()
    };
    let (mut to_side, mut from_side) = (marked(&["to", "into"]), marked(&["from"]));
    if written.len() == 2 {
        let other = |c: &[String]| written.iter().map(|(w, _)| w.clone()).filter(|w| !c.contains(w)).collect();
        match (to_side.len(), from_side.len()) {
            (1, 0) => from_side = other(&to_side),
            (0, 1) => to_side = other(&from_side),
            _ => {}
        }
    }
    for (k, side) in [(to, to_side), (from, from_side)] {
        let [one] = &side[..] else { continue };
        let Some(schema) = fields[k].part.schema().cloned() else { continue };
        fields[k].part =
            Part::Scalar { candidates: vec![Candidate { value: Value::String(one.clone()), score: 0.9 }], schema };
    }
}

/// A choice of two content words or more that the text writes all of within one
/// phrase in another order, with at most one word between (`tons of TNT` for
/// `tnt_tons`), is its key's where nothing else settled the key, no negation comes
/// before it, no other choice of any key is written so, and no other choice of the
/// key has the same words (`fahrenheit_to_celsius` beside `celsius_to_fahrenheit`).
pub(super) fn reordered_choices(fields: &mut [Field], text: &str) {
    let ws = phrase_words(text);
    let mut found: Vec<(usize, String)> = Vec::new();
    for (k, f) in fields.iter().enumerate() {
        let Some(choices) = open_choices(f) else { continue };
        // (the content words of each choice, as a set: where two choices share them,
        // their order is what tells them apart, `celsius_to_fahrenheit`)
        let sets: Vec<Vec<String>> = choices
            .iter()
            .map(|c| {
                let mut w = content_words(c);
                w.sort();
                w
            })
            .collect();
        for (n, c) in choices.iter().enumerate() {
            let cw = content_words(c);
            if cw.len() < 2 || cw.len() + 1 > ws.len() || sets.iter().enumerate().any(|(m, x)| m != n && *x == sets[n])
            {
                continue;
            }
            let written = (0..=ws.len() - (cw.len() + 1)).any(|start| {
                let window = &ws[start..start + cw.len() + 1];
                let one_phrase = window[..window.len() - 1].iter().all(|(_, end)| !end);
                let negated =
                    ws[phrase_before(&ws, start, 3, |_| false)..start].iter().any(|(w, _)| is_negation_word(w));
                let spots: Vec<Option<usize>> =
                    cw.iter().map(|c| window.iter().position(|(w, _)| same_root(c, w))).collect();
                let distinct = spots.iter().all(Option::is_some) && {
                    let mut at: Vec<usize> = spots.iter().flatten().copied().collect();
                    let in_order = at.windows(2).all(|p| p[0] < p[1]);
                    at.sort_unstable();
                    at.dedup();
                    at.len() == cw.len() && !in_order
                };
                one_phrase && !negated && distinct
            });
            if written {
                found.push((k, c.clone()));
            }
        }
    }
    let [(k, c)] = &found[..] else { return };
    let Some(schema) = fields[*k].part.schema().cloned() else { return };
    fields[*k].part =
        Part::Scalar { candidates: vec![Candidate { value: Value::String(c.clone()), score: 0.7 }], schema };
    fields[*k].presence = Presence::Present;
}
