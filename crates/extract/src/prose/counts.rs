//! A count given in passing: the one optional key that counts a thing (`Number of
//! guests`), left out so far, takes the one whole number no key took (`there's 2 of
//! us`, `make me 20 flashcards`, `like a dozen`).

use super::bounds::bound_before;
use super::described::{counted, counts_returned};
use super::tokens::{word_at, Token};
use super::words::names;
use crate::align::{number_word, words};
use crate::plan::{main_type, Field, Part, Presence};
use crate::shape;
use crate::value::{self, Candidate};
use serde_json::Value;

/// Words after which a number opens a count: `the next three`, `it's 3 of us`, `make
/// me 20`, `like a dozen`, a request's verb.
const OPENERS: [&str; 23] = [
    "the", "next", "top", "first", "last", "like", "just", "only", "me", "us", "s", "re", "are", "were", "be", "a",
    "get", "find", "show", "give", "list", "want", "need",
];

/// Words that rank what a search returns, after which a number counts it whatever
/// follows.
const RANKS: [&str; 6] = ["next", "top", "like", "a", "first", "last"];

/// The one optional key that counts a thing, left out so far, takes the one whole
/// number the text writes that no other key took, where every other number key is
/// settled, and only after a word that opens a count ([`OPENERS`]). Not a number in a
/// unit, of a date or a time, after a bound (`above 8`), beside another number, in a
/// name (`World War 2`), glued to letters (`49ers`, `21st`), nor one that counts
/// another thing (`with 2 bags`, `3 star restaurants`, and so `split 8 ways`). A key
/// that counts what a search returns takes no `N of us`, and no number before a
/// pronoun or no word (`near the 285`, `the 2 i liked`).
pub(super) fn leftover_count(fields: &mut [Field], toks: &[Token], text: &str) {
    let counts: Vec<usize> = (0..fields.len())
        .filter(|&k| fields[k].presence == Presence::Absent)
        .filter(|&k| matches!(&fields[k].part, Part::Open { schema } if counted(schema).is_some()))
        .collect();
    let [k] = counts[..] else { return };
    let Part::Open { schema } = &fields[k].part else { return };
    let schema = schema.clone();
    let returned = counts_returned(&schema);
    // (the words of the key and of what it counts)
    let own: Vec<String> = words(&fields[k].key).into_iter().chain(counted(&schema).unwrap_or_default()).collect();
    let settled = |f: &Field| match &f.part {
        Part::Scalar { candidates, .. } => candidates.len() == 1,
        Part::Open { schema } | Part::Span { schema } => !matches!(main_type(schema), Some("number" | "integer")),
        _ => true,
    };
    if fields.iter().any(|f| f.presence == Presence::Present && !settled(f)) {
        return;
    }
    let taken = |n: &Value| {
        fields.iter().any(|f| {
            f.presence == Presence::Present
                && matches!(&f.part, Part::Scalar { candidates, .. } if candidates.iter().any(|c| value::same(&c.value, n)))
        })
    };
    let written = Written::of(text);
    let left: Vec<&Value> = toks
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match t {
            Token::Number(n)
                if n.as_u64().is_some_and(|n| (1..1000).contains(&n))
                    && !taken(n)
                    && counts_it(toks, i, &written, &own, returned) =>
            {
                Some(n)
            }
            _ => None,
        })
        .collect();
    let [n] = left[..] else { return };
    fields[k].part = Part::Scalar { candidates: vec![Candidate { value: n.clone(), score: 1.0 }], schema };
    fields[k].presence = Presence::Present;
}

/// What the text writes, read once for every number: its words with a capital inside
/// a sentence, and its pieces of letters and digits in lower case.
struct Written<'t> {
    text: &'t str,
    named: Vec<String>,
    pieces: Vec<String>,
}

impl<'t> Written<'t> {
    fn of(text: &'t str) -> Self {
        let raw: Vec<&str> = text.split_whitespace().collect();
        let named = (1..raw.len())
            .filter(|&i| !raw[i - 1].ends_with(['.', '!', '?']))
            .map(|i| raw[i].trim_matches(|c: char| !c.is_alphanumeric()).to_string())
            .filter(|w| w.chars().any(char::is_uppercase))
            .collect();
        let pieces =
            text.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).map(str::to_lowercase).collect();
        Written { text, named, pieces }
    }

    /// Whether the text writes `w` with a capital first (`Champions`).
    fn capitalised(&self, w: &str) -> bool {
        let mut c = w.chars();
        let upper: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
        self.text.split(|c: char| !c.is_alphanumeric()).any(|p| p == upper)
    }

    /// Whether the text writes number `n` alone, as digits or a word (not `49ers`).
    fn alone(&self, n: &Value) -> bool {
        self.pieces.iter().any(|p| p.parse::<u64>().ok().or_else(|| number_word(p)) == n.as_u64())
    }
}

/// Whether number token `i` may be the count the key counts ([`leftover_count`]):
/// `own` are the key's words and its counted phrase's, `returned` whether it counts
/// what a search returns.
fn counts_it(toks: &[Token], i: usize, written: &Written, own: &[String], returned: bool) -> bool {
    let before = word_at(toks, i.wrapping_sub(1));
    let opens = i == 0 || OPENERS.contains(&before);
    // (glued to letters, `49ers`, `21st`; after `a` or `like` it may be a word's,
    // `a dozen`, `a 2br`)
    let glued = matches!(&toks[i], Token::Number(n) if !written.alone(n)) && !matches!(before, "a" | "like");
    // (a date's, a time's or a list's, or another number's beside it)
    let near = |t: Option<&Token>| match t {
        Some(Token::Number(_) | Token::Percent(_) | Token::List(_) | Token::Punct(':')) => true,
        Some(Token::Word(w)) => crate::date::month(w).is_some(),
        _ => false,
    };
    let beside = near(toks.get(i + 1)) || near(i.checked_sub(1).and_then(|b| toks.get(b)));
    let unit =
        matches!(toks.get(i + 1), Some(Token::Word(w)) if shape::is_unit(w) || matches!(w.as_str(), "am" | "pm" | "o"));
    let bound = bound_before(toks, i).is_some();
    // (a plural in lower case that is none of the key's words, right after it or
    // after a noun: `2 bags`, `3 star restaurants`; not `20 flashcards` for
    // `num_cards`, `3 Champions League fixtures`)
    let plural = |w: &str| w.len() >= 4 && w.ends_with('s') && !w.ends_with("ss");
    let others = |t: Option<&Token>| {
        matches!(t, Some(Token::Word(w)) if plural(w) && !written.capitalised(w)
            && !own.iter().any(|k| names(k, w) || (k.len() >= 4 && w.ends_with(k.as_str()))))
    };
    let noun = |t: Option<&Token>| matches!(t, Some(Token::Word(w)) if !written.capitalised(w) && w.len() >= 3 && !w.ends_with('s'));
    let counts_other = others(toks.get(i + 1))
        || (noun(toks.get(i + 1)) && matches!(toks.get(i + 2), Some(Token::Word(w)) if plural(w)));
    // (a part of a name: `World War 2`, `iPhone 15`)
    let in_name = i > 0 && written.named.iter().any(|n| n.eq_ignore_ascii_case(before));
    // (for a count of results: not people, `the 3 of us`, nor a number before a
    // pronoun or no word, unless a word ranks it)
    let of_us = word_at(toks, i + 1) == "of" && matches!(word_at(toks, i + 2), "us" | "them");
    let pronoun = matches!(word_at(toks, i + 1), "i" | "we" | "you" | "they" | "he" | "she" | "it");
    let loose = !RANKS.contains(&before) && (pronoun || !matches!(toks.get(i + 1), Some(Token::Word(_))));
    let not_results = returned && (of_us || loose);
    opens && !glued && !beside && !unit && !bound && !counts_other && !in_name && !not_results
}
