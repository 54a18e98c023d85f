//! Flags: `yes`/`no` choices read as a flag where the text writes the key's words, and
//! the words flags share.

use super::tokens::Token;
use super::words::{contracted_before, is_key_word, is_negation_word, negated, FUNCTION_WORDS};
use crate::align::words;
use crate::plan::main_type;
use crate::value::{self, Candidate};
use serde_json::Value;

/// `yes` and `no` as a key's choices, read as a flag where the text writes the
/// key's words in a row with no `yes`, `no`, `true` or `false` right after them: on,
/// or off after a negation within the phrase (`family-friendly`, `not family
/// friendly`; `wifi: no` is the choice as written); and off where a negation comes
/// before its last word joined to a word of the text's own in place of the others
/// (`isn't kid friendly`, `not child-friendly` for `familyFriendly`). `None` where
/// they are other choices or the text says less: the model picks.
pub(super) fn as_flag(key: &str, choices: &[Value], toks: &[Token]) -> Option<Candidate> {
    let said = |w: &str| matches!(w.to_lowercase().as_str(), "yes" | "no" | "true" | "false");
    let flag =
        |b: bool| choices.iter().find(|c| c.as_str().is_some_and(|c| said(c) && value::boolean(c) == Some(b))).cloned();
    let (2, Some(on), Some(off)) = (choices.len(), flag(true), flag(false)) else { return None };
    let (at, len, whole) = flag_words(key, toks)?;
    let after = &toks[at + len..(at + len + 3).min(toks.len())];
    if after.iter().any(|t| matches!(t, Token::Word(w) if said(w))) {
        return None;
    }
    let off_now = negated(&[at], toks) || contracted_before(at, toks);
    // (the last word after a modifier turns the flag off only: `not kid friendly`;
    // `dog friendly` may be another flag, the model reads it)
    if !whole && !off_now {
        return None;
    }
    Some(Candidate { value: if off_now { off } else { on }, score: 0.8 })
}

/// Where the text writes a flag's key (start, tokens): all its words in a row, else
/// its last word right after a modifier of the text's own, a word of three letters
/// or more that is no [`FUNCTION_WORDS`] nor [`CLOSED_WORDS`] and no `-ly` adverb
/// (`kid friendly`; not `very friendly`, `are friendly`).
pub(super) fn flag_words(key: &str, toks: &[Token]) -> Option<(usize, usize, bool)> {
    let kw = words(key);
    let is_key = |k: &String, t: &Token| matches!(t, Token::Word(w) if is_key_word(k, w));
    let full = (0..=toks.len().saturating_sub(kw.len()))
        .find(|&i| !kw.is_empty() && kw.len() <= toks.len() && kw.iter().zip(&toks[i..]).all(|(k, t)| is_key(k, t)));
    if let Some(at) = full {
        return Some((at, kw.len(), true));
    }
    let [.., head] = kw.as_slice() else { return None };
    if kw.len() < 2 || head.len() < 3 {
        return None;
    }
    let modifier = |t: &Token| match t {
        Token::Word(m) => {
            m.len() >= 3
                && !m.ends_with("ly")
                && !FUNCTION_WORDS.contains(&m.as_str())
                && !CLOSED_WORDS.contains(&m.as_str())
                && !is_negation_word(m)
                && !kw.iter().any(|k| is_key_word(k, m))
        }
        _ => false,
    };
    (1..toks.len()).find(|&i| is_key(head, &toks[i]) && modifier(&toks[i - 1])).map(|i| (i - 1, 2, false))
}

/// Closed-class words that cannot stand for a key's own word before its last one:
/// forms of `be` and `have`, and words of degree.
pub(super) const CLOSED_WORDS: [&str; 16] = [
    "are", "was", "were", "been", "being", "has", "had", "have", "very", "quite", "really", "pretty", "too", "most",
    "more", "less",
];

/// The words two flags' names or more share (`include` of `include_commanders` and
/// `include_casualties`): they name neither.
pub(super) fn shared_words(props: &[(&str, &Value)]) -> Vec<String> {
    let flags: Vec<Vec<String>> =
        props.iter().filter(|(_, p)| main_type(p) == Some("boolean")).map(|(k, _)| words(k)).collect();
    let mut shared: Vec<String> =
        flags.iter().flatten().filter(|w| flags.iter().filter(|f| f.contains(w)).count() >= 2).cloned().collect();
    shared.sort();
    shared.dedup();
    shared
}

/// A flag's words that no other flag's name shares ([`shared_words`]).
pub(super) fn own_words(kw: &[String], shared: &[String]) -> Vec<String> {
    kw.iter().filter(|w| !shared.contains(w)).cloned().collect()
}
