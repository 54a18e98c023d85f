//! Reading the text word by word: where a phrase ends, where a key's words are
//! written, negation, and the small closed classes of words the rules read.

use super::choices::CHOICE_REACH;
use super::tokens::{word_at, Token};
use crate::align::{stem, words};

/// Whether a negation comes in the three tokens before a key's word, at any of the
/// places `spots` the text names it, within its phrase (`not family-friendly`; not
/// `not cheap but family friendly`).
pub(super) fn negated(spots: &[usize], toks: &[Token]) -> bool {
    negated_flag(spots, toks, &[], "")
}

/// Verbs that leave a thing out.
const LEAVE_OUT: [&str; 4] = ["avoid", "exclude", "skip", "omit"];

/// Verbs a flag that takes a thing away is named with (`remove_outliers`).
const REMOVE_VERBS: [&str; 10] =
    ["remove", "drop", "filter", "hide", "strip", "mute", "block", "ignore", "disable", "suppress"];

/// [`negated`] for a flag: a verb that leaves a thing out negates it as well, right
/// before its word or a determiner before it (`skip the warmup`, `excluding weekends`;
/// not `avoid delays, use express`, nor after `no need to`), and a word of the flag's
/// own name, at `own`, negates nothing (`ignoring spaces` for `ignore_spaces`).
pub(super) fn negated_flag(spots: &[usize], toks: &[Token], own: &[usize], key: &str) -> bool {
    // (not for a flag that itself takes a thing away: `exclude the outliers` for
    // `remove_outliers`)
    let removes = words(key).first().is_some_and(|w| REMOVE_VERBS.iter().chain(&LEAVE_OUT).any(|v| names(v, w)));
    let leaves_out = |b: usize, m: usize| {
        let next_to =
            b + 1 == m || (b + 2 == m && matches!(&toks[b + 1], Token::Word(d) if DETERMINERS.contains(&d.as_str())));
        let needless =
            b >= 2 && word_at(toks, b - 1) == "to" && matches!(word_at(toks, b - 2), "need" | "want" | "have");
        !own.is_empty()
            && !removes
            && next_to
            && !needless
            && matches!(&toks[b], Token::Word(w) if LEAVE_OUT.iter().any(|v| names(v, w)))
    };
    let negation = |b: usize, m: usize| (is_negation(&toks[b]) || leaves_out(b, m)) && !own.contains(&b);
    let ends =
        |t: &Token| matches!(t, Token::Punct(_)) || matches!(t, Token::Word(w) if is_coordinator(w) || w == "but");
    // (a negation negated is none: `don't ignore air resistance`)
    let denied = |b: usize| {
        b > 0
            && (is_negation(&toks[b - 1])
                || matches!((&toks[b - 1], toks.get(b.wrapping_sub(2))), (Token::Word(t), Some(Token::Word(n))) if t == "t" && n.ends_with('n')))
    };
    spots.iter().any(|&m| {
        let from = m.saturating_sub(3);
        (from..m).rev().take_while(|&b| !ends(&toks[b])).any(|b| negation(b, m) && !denied(b))
    })
}

/// Whether `n't` (`isn't`: the tokens `isn` and `t`) comes in the three tokens before
/// `at`, within its phrase. The tokens do not read it as a `not` (doing so moved
/// only BFCL `tune`); a yes/no flag reads it ([`as_flag`](super::flags::as_flag)).
pub(super) fn contracted_before(at: usize, toks: &[Token]) -> bool {
    let from = (at.saturating_sub(3)..at)
        .rev()
        .find(|&b| matches!(toks[b], Token::Punct(_)))
        .map_or(at.saturating_sub(3), |b| b + 1);
    toks[from..at]
        .windows(2)
        .any(|w| matches!((&w[0], &w[1]), (Token::Word(a), Token::Word(t)) if a.ends_with('n') && t == "t"))
}

/// `not`, `no`, `without`, `never`: a word that turns a flag off.
pub(super) fn is_negation(t: &Token) -> bool {
    matches!(t, Token::Word(w) if is_negation_word(w))
}

/// `not`, `no`, `without`, `never`, `nothing`, `ignore`, as a lower-case word.
pub(super) fn is_negation_word(w: &str) -> bool {
    matches!(w, "not" | "no" | "without" | "never" | "nothing" | "ignore" | "ignoring")
}

/// Whether `w` is a word of `key` with a prefix that negates it (`unequal` for
/// `equal_variance`, `non-smoking` for `smoking`).
pub(super) fn negated_form(key: &str, w: &str) -> bool {
    ["un", "non-", "non"]
        .iter()
        .filter_map(|p| w.strip_prefix(p))
        .any(|rest| rest.len() >= 4 && words(key).iter().any(|k| k.len() >= 4 && names(k, rest)))
}

/// Where the text names a key: tokens that are one of its words (a word under three
/// letters only as itself: `a=1`; `a` and `i` only right before a number, else they
/// are the article and the pronoun: `a right triangle` does not name `a`; nor does a
/// joining word of a longer key, [`is_joining`]). The words
/// after `per` name the rate's unit, and only as a rate: `$200 a night` names
/// `max_price_per_night`, `3 nights` does not.
pub(super) fn mentions(key: &str, toks: &[Token]) -> Vec<usize> {
    let mut kw = words(key);
    let per = kw.iter().position(|w| w == "per").filter(|&p| p > 0);
    let rate: Vec<String> = per.map_or_else(Vec::new, |p| kw.split_off(p)[1..].to_vec());
    // (a key's joining words name nothing: the `of` of `number_of_trials` is no
    // mention at `probability of getting 5`)
    if kw.len() > 1 {
        kw.retain(|w| !is_joining(w));
    }
    let as_rate = |i: usize| {
        i > 0 && matches!(&toks[i - 1], Token::Word(a) if matches!(a.as_str(), "a" | "an" | "per" | "each" | "every"))
    };
    toks.iter()
        .enumerate()
        .filter(|&(i, t)| match t {
            Token::Word(w) if matches!(w.as_str(), "a" | "i") => {
                kw.contains(w) && matches!(toks.get(i + 1), Some(Token::Number(_)))
            }
            // (`times` after a number multiplies: `0.8 times the speed of light` names
            // no `proper_time`, though a key `times` still)
            Token::Word(w) if w == "times" && i > 0 && matches!(toks[i - 1], Token::Number(_)) => {
                kw.iter().any(|k| k == w)
            }
            Token::Word(w) => {
                kw.iter().any(|k| is_key_word(k, w)) || (as_rate(i) && rate.iter().any(|k| is_key_word(k, w)))
            }
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

/// Whether a word of a key only joins its others (`of`, `the`, `for`); not one that
/// says which end or side it is (`from` of `year_from`, `in` of `check_in`).
fn is_joining(w: &str) -> bool {
    matches!(w, "of" | "is" | "or" | "as" | "a" | "an")
        || (FUNCTION_WORDS.contains(&w) && !matches!(w, "from" | "into"))
        || DETERMINERS.contains(&w)
}

/// Words of a key that name nothing by themselves (`reason_for_visit`).
pub(super) const FUNCTION_WORDS: [&str; 12] =
    ["for", "the", "and", "from", "with", "into", "per", "via", "than", "that", "this", "its"];

/// A key's words that name something: three letters or more, no [`FUNCTION_WORDS`].
pub(super) fn content_words(key: &str) -> Vec<String> {
    words(key).into_iter().filter(|k| k.len() >= 3 && !FUNCTION_WORDS.contains(&k.as_str())).collect()
}

/// Prepositions that open a phrase before the subject (`Near The Bakers, …`).
pub(super) const PREPOSITIONS: [&str; 12] =
    ["near", "next", "in", "at", "by", "on", "from", "with", "for", "to", "beside", "opposite"];

/// Words that open a noun phrase and name nothing on their own (`The prices are …`,
/// `Its customers rate …`).
pub(super) const DETERMINERS: [&str; 11] =
    ["the", "a", "an", "its", "his", "her", "their", "our", "my", "your", "every"];

/// The text's words in lower case, each with whether a phrase ends right after it
/// (`,` `;` `.` `!` `?` or a bracket before the next word).
pub(super) fn phrase_words(text: &str) -> Vec<(String, bool)> {
    lowered(&written_words(text))
}

/// [`written_words`] as [`phrase_words`] has them.
pub(super) fn lowered(written: &[(String, bool, (usize, usize))]) -> Vec<(String, bool)> {
    written.iter().map(|(w, end, _)| (w.to_lowercase(), *end)).collect()
}

/// Where the words before `at` within its phrase begin: at most `n` of them, and
/// none that `stop` holds for (it and those before it are left out).
pub(super) fn phrase_before(ws: &[(String, bool)], at: usize, n: usize, stop: impl Fn(&str) -> bool) -> usize {
    (at.saturating_sub(n)..at).find(|&b| ws[b..at].iter().all(|(w, end)| !end && !stop(w))).unwrap_or(at)
}

/// [`phrase_words`] as the text writes them, case and all, each with where it is
/// (its first character and the one after it, counted in characters; the `not` of
/// `isn't` is where its `'` is).
pub(super) fn written_words(text: &str) -> Vec<(String, bool, (usize, usize))> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<(String, bool, (usize, usize))> = Vec::new();
    let mut word = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c.is_alphanumeric() {
            word.push(c);
            continue;
        }
        // (`isn't`, `don't`: the word and a `not`)
        let contracted = matches!(c, '\'' | '’')
            && word.ends_with(['n', 'N'])
            && matches!(chars.get(i), Some('t' | 'T'))
            && !chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
        if !word.is_empty() {
            let start = i - 1 - word.chars().count();
            out.push((std::mem::take(&mut word), false, (start, i - 1)));
        }
        if contracted {
            out.push(("not".into(), false, (i - 1, i - 1)));
            i += 1;
        }
        if ",;.!?()[]".contains(c) {
            if let Some(last) = out.last_mut() {
                last.1 = true;
            }
        }
    }
    if !word.is_empty() {
        let start = chars.len() - word.chars().count();
        out.push((word, false, (start, chars.len())));
    }
    out
}

/// Where a key's words are written ([`content_words`], as
/// [`crate::align::same_word`]): each run of them within a phrase (`customer rating`).
pub(super) fn key_runs(key: &str, ws: &[(String, bool)]) -> Vec<(usize, usize)> {
    let kw = content_words(key);
    let mut out: Vec<(usize, usize)> = Vec::new();
    for i in (0..ws.len()).filter(|&i| kw.iter().any(|k| loosely(k, &ws[i].0))) {
        match out.last_mut() {
            Some((_, end)) if *end == i && !ws[i - 1].1 => *end = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

/// Every place a choice is written: its words in a row within a phrase, as
/// [`crate::align::written_as`] reads them, or [`loosely`] where `loose` (a claim may
/// read `highly` as `high`; that another key took a choice the text writes is read
/// strictly). A choice of one or two characters, `A`, is left to [`value::choose`](crate::value::choose).
pub(super) fn choice_spots(choice: &str, ws: &[(String, bool)], loose: bool) -> Vec<(usize, usize)> {
    let cw = words(choice);
    if cw.is_empty() || choice.chars().count() <= 2 || cw.len() > ws.len() {
        return Vec::new();
    }
    let same = |c: &str, w: &str| if loose { loosely(c, w) } else { crate::align::written_as(c, w) };
    (0..=ws.len() - cw.len())
        .filter(|&i| cw.iter().zip(&ws[i..]).all(|(c, (w, _))| same(c, w)))
        .filter(|&i| ws[i..i + cw.len() - 1].iter().all(|(_, end)| !end))
        .map(|i| (i, i + cw.len()))
        .collect()
}

/// Whether text word `w` is word `k` (of a key or a choice) in another form: by
/// [`names`], or by the same root of three letters or more once `-ly` and then
/// `-ing`, `-ed` or `-e` come off (`moderately` / `moderate`, `rated` / `rating`,
/// `highly` / `high`).
pub(super) fn loosely(k: &str, w: &str) -> bool {
    names(k, w) || same_root(k, w)
}

/// Whether two words are one as written ([`crate::align::written_as`]) or by the same
/// root of three letters or more once `-ly` and then `-ing`, `-ed` or `-e` come off.
pub(super) fn same_root(k: &str, w: &str) -> bool {
    crate::align::written_as(k, w) || (root(k).len() >= 3 && root(k) == root(w))
}

/// A word without `-ly` and then [`root_of`] it (`fairly` → `fair`).
fn root(w: &str) -> &str {
    root_of(w.strip_suffix("ly").filter(|s| s.len() >= 3).unwrap_or(w))
}

/// A word without `-ing`, `-ed` or `-e`, where three letters or more are left
/// (`serving` → `serv`).
fn root_of(w: &str) -> &str {
    ["ing", "ed", "e"].iter().find_map(|end| w.strip_suffix(end).filter(|s| s.len() >= 3)).unwrap_or(w)
}

/// How far choice `at` is from the key's words `run`: 0 right before them, else the
/// words between them and the choice after them, at most [`CHOICE_REACH`]; `None`
/// across a phrase's end, past that reach, or after a negation (`not high`).
pub(super) fn choice_distance(at: (usize, usize), run: (usize, usize), ws: &[(String, bool)]) -> Option<usize> {
    let negates = |from: usize, to: usize| ws[from..to].iter().any(|(w, _)| is_negation_word(w));
    if at.1 == run.0 {
        // (the two words before the choice, within its phrase)
        let from = phrase_before(ws, at.0, 2, |_| false);
        return (!ws[at.1 - 1].1 && !negates(from, at.0)).then_some(0);
    }
    let gap = at.0.checked_sub(run.1)?;
    let one_phrase = ws[run.1 - 1..at.0].iter().all(|(_, end)| !end);
    // (the two words before the key's words too, within its phrase: `not rated highly`)
    let from = phrase_before(ws, run.0, 2, |_| false);
    (gap <= CHOICE_REACH && one_phrase && !negates(from, at.0)).then_some(gap)
}

/// The words after word `i` to the end of its clause: its phrase's end, or before
/// `and`, `or` or a relative pronoun (`that`, `which`, `who`, `where`).
pub(super) fn clause_after(ws: &[(String, bool)], i: usize) -> &[(String, bool)] {
    if ws[i].1 {
        return &[];
    }
    let rest = &ws[i + 1..];
    let opens = |w: &str| is_coordinator(w) || matches!(w, "that" | "which" | "who" | "where");
    let end =
        rest.iter()
            .position(|(w, end)| *end || opens(w))
            .map_or(rest.len(), |j| if opens(&rest[j].0) { j } else { j + 1 });
    &rest[..end]
}

/// `is`, `are`, `was`, `were`: the verb that says what a thing is.
pub(super) fn is_copula(w: &str) -> bool {
    matches!(w, "is" | "are" | "was" | "were")
}

/// `and`, `or`: a word that joins two phrases, not a word of one.
pub(super) fn is_coordinator(w: &str) -> bool {
    matches!(w, "and" | "or")
}

/// Whether text word `w` is key word `k`: itself for a word under three letters
/// (`a=1`, a unit `c`), else by [`names`].
pub(super) fn is_key_word(k: &str, w: &str) -> bool {
    if k.len() < 3 {
        k == w
    } else {
        names(k, w)
    }
}

/// Whether text word `w` names key word `k`: the same stem, a shared start of five
/// letters, or the same root of four letters or more ([`root`]: `serve` names
/// `servings`, `booked` names `booking`).
pub(super) fn names(k: &str, w: &str) -> bool {
    crate::align::names(k, std::slice::from_ref(&w.to_string())) || same_stem_root(k, w)
}

/// Whether two words have the same root of four letters or more once their stems
/// lose `-ing`, `-ed` or `-e` (`servings` and `serve`; not `notes` and `not`, nor
/// `near` and `nearly`).
pub(super) fn same_stem_root(k: &str, w: &str) -> bool {
    let (rk, rw) = (stem(k), stem(w));
    let (rk, rw) = (root_of(&rk), root_of(&rw));
    rk.len() >= 4 && rk == rw
}

/// The text's words (letters and digits), each with what separates it from the word
/// before (`", "`, `" "`, `""` for the first).
pub(super) fn separated_words(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut last = 0;
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric() && i < text.len(), start) {
            (true, None) => start = Some(i),
            (false, Some(b)) => {
                out.push((&text[b..i], &text[last..b]));
                last = i;
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Whether a word right after a name, joined by a space, carries its phrase on
/// (`to Irish airports`, `a white background`); not one that opens another phrase or
/// closes a request (`in German please`, `into German using`, `in red with`).
pub(super) fn carries_on(w: &str) -> bool {
    let opens = w.len() >= 5 && w.ends_with("ing");
    !(PREPOSITIONS.contains(&w)
        || DETERMINERS.contains(&w)
        || is_coordinator(w)
        || opens
        || matches!(w, "please" | "pls" | "thanks"))
}

/// A key's words without the first of them that names a side (`start` of
/// `start_percent` among `side`), where one does: what the key is of, for pairing
/// it with the key for the other side.
pub(super) fn side_rest(key: &str, side: &[&str]) -> Option<Vec<String>> {
    let kw = words(key);
    let w = kw.iter().find(|w| side.contains(&w.as_str()))?;
    Some(kw.iter().filter(|x| *x != w).cloned().collect())
}
