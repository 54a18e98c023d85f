//! Names: the name the text is about, names after a key's words, and the choices
//! written inside a name.

use super::plain_string;
use super::words::{
    choice_spots, content_words, phrase_words, same_stem_root, DETERMINERS, FUNCTION_WORDS, PREPOSITIONS,
};
use crate::align::{stem, words};
use crate::emit::CODE;
use crate::plan::{main_type, Field, Part, Presence};
use crate::value::Candidate;
use serde_json::Value;

/// The one key for a name (`name`, `restaurant_name`) that no word of the text
/// anchors takes the name the text is about, where it writes one: capitalised words
/// (and small words between them, five words at most, no pronoun, not opening with a
/// preposition, not a lone determiner nor another key's choice) that open the text
/// or a clause after `,` `;` `.` and come before what says what the thing is or
/// does: right before `is a`, `are a`, `was a` or `has a` (or `an`: `Zizzi is a pub`,
/// `Located near The Bakers, Alimentum is an …`; not `Age is 34`), or before `, a`
/// or a verb in the third person whose next words write another key's choice
/// (`Giraffe, a children friendly pub`, `Green Man serves English food`; not `Find
/// restaurants near me`, `The prices are`); one of another key's choices
/// (`Fitzbillies coffee shop serves …`) or an aside between commas (`Blue Spice,
/// located near Avalon, has a …`) may come between; or, right after the `is` of a
/// clause that opens with a preposition, before `, a` and another key's choice
/// (`Near The Bakers is Alimentum, a family friendly restaurant`); after such a
/// choice, `is`, `was` or `has` will do, or a preposition after a name that opens
/// with `The` (`The Vaults pub near …`). The same name wherever written.
pub(super) fn name_the_subject(fields: &mut [Field], text: &str) {
    let named = |f: &Field| words(&f.key).last().is_some_and(|w| w == "name");
    let [k] = (0..fields.len()).filter(|&k| named(&fields[k])).collect::<Vec<_>>()[..] else { return };
    let Part::Span { schema } = &fields[k].part else { return };
    if fields[k].presence != Presence::Present || main_type(schema) != Some("string") || schema.get(CODE).is_some() {
        return;
    }
    let raw: Vec<&str> = text.split_whitespace().collect();
    let article = |w: Option<&&str>| w.is_some_and(|w| matches!(*w, "a" | "an"));
    // (`serves`, `offers`; not `is`, `has`, `class`, `bus`)
    let third_person = |w: Option<&&str>| {
        w.is_some_and(|w| {
            w.chars().count() >= 4
                && w.chars().all(|c| c.is_ascii_lowercase())
                && w.ends_with('s')
                && !w.ends_with("ss")
                && !w.ends_with("us")
        })
    };
    let kinds: Vec<Vec<String>> = fields
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != k)
        .filter_map(|(_, f)| f.part.schema()?.get("enum")?.as_array())
        .flatten()
        .filter_map(|c| Some(c.as_str()?.split_whitespace().map(str::to_lowercase).collect()))
        .collect();
    let clause_start = |i: usize| i == 0 || raw[i - 1].ends_with([',', ';', '.', '!']);
    // (right after the `is` of a clause that opens with a preposition: `Near The Bakers
    // is Alimentum, a …`)
    let inverted = |i: usize| {
        i >= 2
            && raw[i - 1] == "is"
            && (0..i - 1).rev().find(|&j| clause_start(j)).is_some_and(|j| {
                PREPOSITIONS.contains(&raw[j].to_lowercase().as_str())
                    && raw[j..i - 1].iter().all(|w| w.ends_with(char::is_alphanumeric))
            })
    };
    let mut found: Vec<String> = Vec::new();
    for i in 0..raw.len() {
        if !clause_start(i) && !inverted(i) {
            continue;
        }
        // (capitalised words, and small words between them: `Taste of Cambridge`;
        // the last may end in a comma)
        let bare = |w: &str| w.strip_suffix(',').unwrap_or(w).to_string();
        let capital = |w: &&str| {
            let w = bare(w);
            w.starts_with(char::is_uppercase) && w.ends_with(char::is_alphanumeric)
        };
        let small = |w: &&str| w.chars().count() <= 3 && w.chars().all(char::is_lowercase);
        let mut run = 0;
        while run < 6 && raw.get(i + run).is_some_and(capital) {
            run += 1;
            if raw[i + run - 1].ends_with(',') {
                break;
            }
            if raw.get(i + run).is_some_and(small) && raw.get(i + run + 1).is_some_and(capital) {
                run += 1;
            }
        }
        if run == 0 {
            continue;
        }
        // (what it is may come between, one of another key's choices: `Fitzbillies
        // coffee shop serves …`)
        let mut at = i + run;
        if !raw[at - 1].ends_with(',') {
            at += choice_at(&raw, at, &kinds).unwrap_or(0);
        }
        // (it says what the thing is: `is a …`, `has an …`; not `Age is 34`, `Prices are
        // high`, `Tonight is our anniversary`; or `, a …` or a verb whose next three
        // words write one of another key's choices: `, a cheap pub`, `serves English
        // food`; not `Find restaurants near me`, `Book Nobu, a table for two`, where the
        // first word is no name)
        let choice_near = |at: usize| (at..at + 3).any(|j| choice_at(&raw, j, &kinds).is_some());
        let verb_at = |at: usize| {
            let (next, after) = (raw.get(at), raw.get(at + 1));
            next.is_some_and(|w| matches!(*w, "is" | "are" | "was" | "has")) && article(after)
                || third_person(next) && choice_near(at + 1)
        };
        // (or after an aside between commas: `Blue Spice, located near Avalon, has a …`)
        let aside_end = |at: usize| {
            raw.iter()
                .enumerate()
                .skip(at)
                .take(ASIDE_WORDS)
                .find(|(_, w)| w.ends_with([',', '.', ';']))
                .map(|(j, _)| j)
        };
        // (after what it is, `is`, `was` or `has` (not `are`: `Boston restaurants are
        // great`): `Clowns pub is in the
        // riverside area`; or a preposition after a name that opens with `The`, as a
        // request's verb never does: `The Vaults pub near Café Adriatic`, not
        // `Recommend Cambridge pubs in …`; and no word of the name is another key's
        // choice: not `Find Chinese restaurant near me`)
        let kind_then = |at: usize| {
            let verb = raw.get(at).is_some_and(|w| matches!(*w, "is" | "was" | "has"));
            let preposition = raw.get(at).is_some_and(|w| PREPOSITIONS.contains(&w.to_lowercase().as_str()))
                && raw[i] == "The"
                && run >= 2;
            at > i + run && (verb || preposition) && (i..i + run).all(|j| choice_at(&raw, j, &kinds).is_none())
        };
        let says = if inverted(i) {
            raw[at - 1].ends_with(',') && article(raw.get(at)) && choice_near(at + 1)
        } else if raw[at - 1].ends_with(',') {
            article(raw.get(at)) && choice_near(at + 1)
                || aside_end(at).is_some_and(|j| raw[j].ends_with(',') && verb_at(j + 1))
        } else {
            verb_at(at) || kind_then(at)
        };
        let first = bare(&raw[i].to_lowercase());
        // (nor another key's choice: `Chinese restaurant serves …`)
        let no_name = crate::emit::NO_NAMES.contains(&first.as_str())
            || PREPOSITIONS.contains(&first.as_str())
            || (run == 1 && DETERMINERS.contains(&first.as_str()))
            || choice_at(&raw, i, &kinds).is_some();
        if run <= 5 && says && !no_name {
            let name = raw[i..i + run].iter().map(|w| bare(w)).collect::<Vec<_>>().join(" ");
            if !found.contains(&name) {
                found.push(name);
            }
        }
    }
    if let [name] = &found[..] {
        if within_max_length(schema, name) {
            let candidates = vec![Candidate { value: Value::String(name.clone()), score: 1.0 }];
            fields[k].part = Part::Scalar { candidates, schema: schema.clone() };
        }
    }
}

/// A choice written only inside a name another key takes, between its first and
/// last words (`Indian` of `near Raja Indian Cuisine`; not `near Café Rouge Italian
/// restaurant …`, where the name may run on), is that name's word, not the choice:
/// its key drops it, and is left out where optional and nothing else is written for
/// it.
pub(super) fn choices_inside_names(fields: &mut [Field], text: &str, required: &[&str]) {
    let ws = phrase_words(text);
    let mut names: Vec<(usize, (usize, usize))> = Vec::new();
    for (k, f) in fields.iter().enumerate() {
        let Part::Scalar { candidates, schema } = &f.part else { continue };
        let ([c], true) = (&candidates[..], plain_string(schema)) else { continue };
        let Some(name) = c.value.as_str().filter(|_| c.score >= 1.0) else { continue };
        names.extend(choice_spots(name, &ws, false).into_iter().map(|at| (k, at)));
    }
    for (k, f) in fields.iter_mut().enumerate() {
        let Part::Scalar { candidates, schema } = &mut f.part else { continue };
        if schema.get("enum").is_none() || candidates.iter().any(|c| c.score < 0.7) {
            continue;
        }
        let inside = |c: &Candidate| {
            let spots = c.value.as_str().map(|c| choice_spots(c, &ws, false)).unwrap_or_default();
            !spots.is_empty() && spots.iter().all(|at| names.iter().any(|&(j, n)| j != k && n.0 < at.0 && at.1 < n.1))
        };
        if !candidates.iter().any(inside) {
            continue;
        }
        candidates.retain(|c| !inside(c));
        if candidates.is_empty() {
            if required.contains(&f.key.as_str()) {
                let all = schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
                *candidates = all.into_iter().map(|value| Candidate { value, score: 0.1 }).collect();
            } else {
                f.presence = Presence::Absent;
            }
        }
    }
}

/// Most words of an aside between commas after a name (`Blue Spice, located near
/// Avalon in the riverside area, has …`).
pub(super) const ASIDE_WORDS: usize = 12;

/// How many words the longest of `choices` written at word `at` of `raw` has (as
/// [`crate::align::written_as`] reads them; a comma may end it), if one is.
pub(super) fn choice_at(raw: &[&str], at: usize, choices: &[Vec<String>]) -> Option<usize> {
    let bare = |w: &str| w.trim_end_matches([',', '.', ';']).to_lowercase();
    choices
        .iter()
        .filter(|c| {
            !c.is_empty()
                && raw
                    .get(at..at + c.len())
                    .is_some_and(|ws| c.iter().zip(ws).all(|(c, w)| crate::align::written_as(c, &bare(w))))
        })
        .map(Vec::len)
        .max()
}

/// Whether string `s` fits a string schema's `maxLength`, if it has one.
pub(super) fn within_max_length(schema: &Value, s: &str) -> bool {
    schema.get("maxLength").and_then(Value::as_u64).is_none_or(|m| s.chars().count() as u64 <= m)
}

/// Most words of a name a key's words introduce.
pub(super) const NAME_WORDS: usize = 5;

/// A name written right after a key's word (`near The Sorrento`, `the artist Frida
/// Kahlo`, `plate B MZ 2026`, and for a key's word `name` after `called` or `named`:
/// `a pub called The Wrestlers`; capitalised words with nothing between them, numbers
/// going on; after a preposition, `the` may come first, `near the Crowne Plaza
/// Hotel`; the key's word too where it is capitalised inside a sentence, `in Hotel
/// Paradise`, but not a preposition, `Near Café Rouge`; for `title` after `called`,
/// `titled` or `entitled`) is that string key's value,
/// where the text writes one such name for it and no other key takes the same. Not
/// where the name may go on (`Vincent van Gogh`, `The Lord of the Rings`), ends in an
/// abbreviation (`St.`), or where the key's word is capitalised at a sentence's start
/// or after a capitalised word (`Kansas City Chiefs` for a city): the model reads
/// those.
pub(super) fn anchor_names(fields: &mut [Field], text: &str) {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let mut found: Vec<(usize, Vec<String>)> = Vec::new();
    for (k, f) in fields.iter().enumerate().filter(|(_, f)| f.presence == Presence::Present) {
        let Part::Span { schema } = &f.part else { continue };
        if main_type(schema) != Some("string") || schema.get(CODE).is_some() {
            continue;
        }
        let mut names: Vec<Vec<String>> = (0..raw.len()).filter_map(|i| name_after(&raw, i, &f.key)).collect();
        names.dedup();
        if let [readings] = names.as_slice() {
            if readings.iter().all(|name| within_max_length(schema, name)) {
                found.push((k, readings.clone()));
            }
        }
    }
    for (k, readings) in &found {
        if found.iter().filter(|(_, n)| n == readings).count() == 1 {
            // (two readings, the name alone and with what follows it: the model picks)
            let score = if readings.len() == 1 { 1.0 } else { 0.5 };
            let candidates =
                readings.iter().map(|name| Candidate { value: Value::String(name.clone()), score }).collect();
            let schema = match &fields[*k].part {
                Part::Span { schema } => schema.clone(),
                _ => continue,
            };
            fields[*k].part = Part::Scalar { candidates, schema };
        }
    }
}

/// Whether the text introduces a name for a key named for one (`name`, `title`) with
/// a verb of naming after a word of the key's description, the thing it names: `a
/// palette called Sunset` for `Palette name.`, `a note titled 'Groceries'` for `Note
/// title.`; not `my friend called Anna` for `Restaurant name.`, nor where another key
/// is named for the thing (`my playlist called Road Trip` beside a `playlist` key).
pub(super) fn introduced(key: &str, prop: &Value, siblings: &[&String], text: &str) -> bool {
    let raw: Vec<&str> = text.split_whitespace().collect();
    // (not where the thing is another key's: `my playlist called Road Trip` beside a
    // `playlist` key names that playlist, not a new one)
    let theirs: Vec<String> = siblings.iter().filter(|k| k.as_str() != key).flat_map(|k| content_words(k)).collect();
    let said: Vec<String> = words(prop.get("description").and_then(Value::as_str).unwrap_or(""))
        .into_iter()
        .filter(|w| !theirs.iter().any(|t| crate::align::same_word(t, w)))
        .collect();
    // (`called` names a thing, `titled` a work: a note, a book, a film)
    let verbs: &[&str] = match words(key).last().map(String::as_str) {
        Some("name") => &["called", "named"],
        Some("title") => &["titled", "entitled"],
        _ => return false,
    };
    let verb = |w: &str| verbs.contains(&w);
    let of_it = |i: usize| {
        let before = i.checked_sub(1).map(|j| raw[j].trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase());
        before.is_some_and(|b| said.iter().any(|w| crate::align::same_word(w, &b)))
    };
    (0..raw.len()).any(|i| verb(raw[i]) && of_it(i) && name_after(&raw, i, key).is_some())
}

/// The name the word at `i` of `raw` (the text's pieces between spaces) introduces
/// as one of `key`'s words, by [`anchor_names`]'s reading: one reading, or two where
/// joining words ([`NAME_JOINERS`]) and a capitalised one follow it (`Vincent van
/// Gogh`, `Express by Holiday Inn`; `Café Rouge in Cambridge`), the longer first.
pub(super) fn name_after(raw: &[&str], i: usize, key: &str) -> Option<Vec<String>> {
    let core = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let capital = |w: &str| core(w).starts_with(char::is_uppercase);
    // (a word that ends in punctuation ends the phrase: `near Paris, France`)
    let ends = |w: &str| w.ends_with(|c: char| !c.is_alphanumeric());
    let starts_sentence = |i: usize| i == 0 || raw[i - 1].ends_with(['.', '?', '!', ':', '-', '–', '—']);
    let word = core(raw[i]).to_lowercase();
    // (`called` and `named` introduce a name: `a pub called The Wrestlers`; after one of
    // the key's other words where it has some, `a restaurant called Nobu` for
    // `restaurant_name`, not `my friend named Sarah`; never after a pronoun, `I called`)
    let others: Vec<String> = content_words(key).into_iter().filter(|k| k != "name" && k != "title").collect();
    let before = i.checked_sub(1).map(|j| core(raw[j]).to_lowercase()).unwrap_or_default();
    let introduced_by = if others.is_empty() {
        !before.is_empty() && !crate::emit::NO_NAMES.contains(&before.as_str())
    } else {
        others.iter().any(|k| crate::align::same_word(k, &before))
    };
    let introduces = |k: &str| {
        let verbs: &[&str] = match k {
            "name" => &["called", "named"],
            "title" => &["called", "titled", "entitled"],
            _ => &[],
        };
        verbs.contains(&word.as_str()) && introduced_by
    };
    let is_key = content_words(key).iter().any(|k| crate::align::same_word(k, &word) || introduces(k));
    // (a lowercase `the` may come between after a preposition: `near the Crowne Plaza
    // Hotel`; not `the song the Weeknd performed`)
    let first = i + 1 + usize::from(raw.get(i + 1) == Some(&"the") && PREPOSITIONS.contains(&word.as_str()));
    if !is_key || ends(raw[i]) || !raw.get(first).is_some_and(|w| capital(w)) {
        return None;
    }
    // (a capitalised key's word that starts a sentence, or follows a capitalised
    // word, is inside a name: `Hotel Paradise has …`, `Kansas City Chiefs`; a
    // preposition is not, `Near Café Rouge is …`)
    let own = capital(raw[i]) && !PREPOSITIONS.contains(&word.as_str()) && first == i + 1;
    if own && (starts_sentence(i) || (capital(raw[i - 1]) && !ends(raw[i - 1]))) {
        return None;
    }
    let mut run = if own { vec![core(raw[i])] } else { Vec::new() };
    let j = first;
    run.push(core(raw[j]));
    let goes_on = |w: &str| capital(w) || core(w).starts_with(|c: char| c.is_ascii_digit());
    let extend = |run: &mut Vec<String>, mut j: usize| {
        while !ends(raw[j]) && j + 1 < raw.len() && goes_on(raw[j + 1]) && run.len() < NAME_WORDS {
            j += 1;
            run.push(core(raw[j]));
        }
        j
    };
    let j = extend(&mut run, j);
    let lone_letter = run.len() == 1 && run[0].chars().count() < 2;
    let abbreviated = raw[j].ends_with('.') && core(raw[j]).chars().count() <= 3 && capital(raw[j]);
    if lone_letter || abbreviated {
        return None;
    }
    // (one or two small words, of three letters at most, and then a capitalised one:
    // the name may go on, `Vincent van Gogh`, `Lord of the Rings`; not `Cotto that
    // serves Indian food`)
    let small = |w: &str| !capital(w) && !ends(w) && core(w).chars().count() <= 3;
    let smalls = match (raw.get(j + 1), raw.get(j + 2), raw.get(j + 3)) {
        _ if ends(raw[j]) => 0,
        (Some(a), Some(b), _) if small(a) && capital(b) => 1,
        (Some(a), Some(b), Some(c)) if small(a) && small(b) && capital(c) => 2,
        _ => 0,
    };
    let name = run.join(" ");
    if smalls == 0 {
        return Some(vec![name]);
    }
    // (two readings only where the small words join names and the name that
    // follows is one, whole within [`NAME_WORDS`]: not `The Bakers is The Eagle`,
    // `Burger King and I`, `Harry Potter and the Chamber of …`; those the model reads)
    let joins = raw[j + 1..=j + smalls].iter().all(|w| NAME_JOINERS.contains(&core(w).as_str()));
    let pronoun = crate::emit::NO_NAMES.contains(&core(raw[j + smalls + 1]).to_lowercase().as_str());
    let mut longer = run.clone();
    longer.extend(raw[j + 1..=j + smalls + 1].iter().map(|w| core(w)));
    let last = extend(&mut longer, j + smalls + 1);
    let cut = !ends(raw[last]) && raw.get(last + 1).is_some_and(|w| goes_on(w) || small(w));
    (joins && !pronoun && !(cut && longer.len() >= NAME_WORDS)).then(|| vec![longer.join(" "), name])
}

/// Small words that join the parts of a name (`Lord of the Rings`, `Vincent van
/// Gogh`, `Express by Holiday Inn`, `Google in California`).
pub(super) const NAME_JOINERS: [&str; 20] = [
    "of", "the", "and", "by", "in", "on", "at", "for", "to", "a", "an", "van", "von", "de", "la", "le", "du", "da",
    "del", "der",
];

/// Words that say a key holds a place (`location`, `country`; `The city to search`).
const PLACES: [&str; 6] = ["location", "country", "city", "place", "region", "town"];

/// Whether a string key holds a place: by a word of its name or of its
/// description's first sentence ([`PLACES`]).
pub(super) fn holds_a_place(key: &str, prop: &Value) -> bool {
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("");
    let first = said.split(". ").next().unwrap_or(said);
    plain_string(prop)
        && words(key).iter().chain(&words(first)).any(|w| PLACES.contains(&crate::align::stem(w).as_str()))
}

/// The readings of the one place the text writes after `in` ([`place_in`]) for a
/// key that holds a place, unless another key's word is part of it (`in Premier
/// League` beside a `league` key).
pub(super) fn place_of(key: &str, prop: &Value, keys: &[&String], text: &str) -> Vec<Candidate> {
    if !holds_a_place(key, prop) {
        return Vec::new();
    }
    let theirs: Vec<String> = keys.iter().filter(|k| k.as_str() != key).flat_map(|k| words(k)).collect();
    let theirs_in = |p: &String| words(p).iter().any(|w| theirs.iter().any(|t| t.len() >= 3 && same_stem_root(t, w)));
    place_in(text)
        .into_iter()
        .filter(|p| !theirs_in(p))
        .map(|p| Candidate { value: Value::String(p), score: 0.5 })
        .collect()
}

/// Whether a word in lower case is none of a place's: a month or a day (`in March`),
/// a unit or a currency (`in Celsius`, `in USD`), a language or a people's word (`in
/// English`, `in Spanish`), one letter (`in C`).
fn no_place(w: &str) -> bool {
    crate::date::month(w).is_some()
        || super::lists::WEEKDAYS.contains(&w)
        || crate::shape::is_unit(w)
        || crate::currency::is_name(w)
        || w.chars().count() < 2
        || ["ish", "ese", "ian"].iter().any(|end| w.ends_with(end))
}

/// A word of a text without capitals as its phrases read it: in lower case, without
/// the marks around it (an apostrophe kept: `joe's`).
fn bare(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'').to_lowercase()
}

/// Whether a word of a text ends its phrase with a mark (`boston,`).
fn marked(w: &str) -> bool {
    w.ends_with(|c: char| ",.;:!?".contains(c))
}

/// Whether a bare word opens a phrase: a preposition, a function word, a determiner
/// (or none at all).
fn opens_phrase(w: &str) -> bool {
    PREPOSITIONS.contains(&w) || FUNCTION_WORDS.contains(&w) || DETERMINERS.contains(&w) || w.is_empty()
}

/// The one place the text writes after `in` (or `in the`) inside a sentence, ending
/// its phrase: capitalised words, and a capitalised part after a comma (`in Rome,
/// Italy`: that and `Rome`; `in the United States`); not a month or a day (`in
/// March`), a unit or a currency (`in Celsius`, `in USD`), a language or a people's
/// word (`in English`, `in Spanish`), one letter (`in C`), nor a name that goes on in
/// lower case (`in PDF format`, `in AI research`). Empty where it writes none or
/// several.
pub(super) fn place_in(text: &str) -> Vec<String> {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let core = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let capital = |w: &str| core(w).starts_with(char::is_uppercase);
    let ends = |w: &str| w.ends_with(|c: char| !c.is_alphanumeric());
    let other = |piece: &str| {
        let written = core(piece);
        no_place(&written.to_lowercase()) || crate::currency::written(&written).is_some_and(|c| !c.is_empty())
    };
    // (a phrase ends at a mark, the text's end, or a word that opens another: `in Los
    // Angeles departing at 5:30`)
    let closes = |j: usize| {
        ends(raw[j])
            || raw.get(j + 1).is_none_or(|w| {
                let w = core(w).to_lowercase();
                PREPOSITIONS.contains(&w.as_str())
                    || DETERMINERS.contains(&w.as_str())
                    || matches!(
                        w.as_str(),
                        "and" | "or" | "but" | "that" | "which" | "who" | "where" | "this" | "next" | "last"
                    )
                    || (w.ends_with("ing") && w.len() > 5)
            })
    };
    let mut found: Vec<Vec<String>> = Vec::new();
    for i in (1..raw.len()).filter(|&i| core(raw[i - 1]) == "in" && !ends(raw[i - 1])) {
        let i = if raw[i] == "the" && raw.get(i + 1).is_some_and(|w| capital(w)) { i + 1 } else { i };
        if !capital(raw[i]) || other(raw[i]) {
            continue;
        }
        let mut run = vec![core(raw[i])];
        let mut j = i;
        while !ends(raw[j]) && j + 1 < raw.len() && capital(raw[j + 1]) && run.len() < NAME_WORDS {
            j += 1;
            run.push(core(raw[j]));
        }
        if !closes(j) {
            continue;
        }
        let name = run.join(" ");
        // (and its country or state after a comma: `Rome, Italy`, `Austin, TX`)
        let part = (raw[j].ends_with(',') && raw.get(j + 1).is_some_and(|w| capital(w) && !other(w)))
            .then(|| format!("{name}, {}", core(raw[j + 1])));
        found.push(part.into_iter().chain([name]).collect());
    }
    match &found[..] {
        [one] => one.clone(),
        _ => Vec::new(),
    }
}

/// Whether a string key holds the name of the one its own word names, by its
/// description (`artist`: `Name of the performing artist.`); not a thing's name
/// (`museum`: `Museum name`, `file_name`).
pub(super) fn holds_a_name(key: &str, prop: &Value) -> bool {
    let said = prop.get("description").and_then(Value::as_str).unwrap_or("").to_lowercase();
    let kw = words(key);
    let Some(at) = said.find("name of") else { return false };
    let after = words(&said[at..]);
    plain_string(prop)
        && !kw.iter().any(|w| matches!(w.as_str(), "name" | "title" | "file"))
        && kw.iter().any(|k| k.len() >= 3 && after.iter().any(|w| w == k))
}

/// Small words inside a person's name (`Vincent van Gogh`, `Leonardo da Vinci`).
const NAME_PARTICLES: [&str; 12] = ["van", "von", "de", "da", "del", "der", "den", "di", "du", "la", "le", "bin"];

/// The name the text writes after `by` right after a quoted work: `the song 'Billie
/// Jean' by Michael Jackson.`, `'The Starry Night' by Vincent van Gogh`: capitalised
/// words (small lower-case ones between, `van`), up to the end of the phrase; the one
/// such name, else none.
pub(super) fn maker_after_work(text: &str) -> Option<String> {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let core = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let capital = |w: &str| core(w).starts_with(char::is_uppercase);
    let ends = |w: &str| w.ends_with(|c: char| !c.is_alphanumeric());
    let quoted = |w: &str| w.ends_with(['\'', '"', '’', '”']);
    let mut found: Option<String> = None;
    for i in (1..raw.len()).filter(|&i| raw[i] == "by" && quoted(raw[i - 1])) {
        let mut run: Vec<String> = Vec::new();
        let mut j = i + 1;
        while j < raw.len() && run.len() < NAME_WORDS {
            let w = raw[j];
            let small = NAME_PARTICLES.contains(&core(w).as_str()) && raw.get(j + 1).is_some_and(|n| capital(n));
            if !(capital(w) || (small && !run.is_empty())) || core(w).is_empty() {
                break;
            }
            run.push(core(w));
            if ends(w) {
                break;
            }
            j += 1;
        }
        // (not a day or a month, `by Friday`, nor a part of the work, `by Chapter 3`)
        let first = run.first().map(|w| w.to_lowercase()).unwrap_or_default();
        let month = (1..=12).filter_map(crate::date::month_name).any(|m| m.to_lowercase() == first);
        let dated = month || super::lists::WEEKDAYS.contains(&first.as_str());
        let numbered = raw.get(i + 1 + run.len()).is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()));
        if run.is_empty() || run.last().is_some_and(|w| !capital(w)) || dated || numbered {
            continue;
        }
        let name = run.join(" ");
        if found.as_ref().is_some_and(|f| *f != name) {
            return None;
        }
        found = Some(name);
    }
    found
}

/// A string key named for a noun (`repository`, `branch`) takes the one identifier
/// the text writes between `the` and that noun (`in the acme/payments-service
/// repository`, `the release-2.1 branch`): in lower case, starting with a letter
/// (not `the 3-bed room`), with a digit, `/`, `_` or `.` (not hyphens alone: `the
/// pick-up location`), no part of it an ordinal. Where the
/// text writes the key's noun once.
pub(super) fn named_before_noun(fields: &mut [Field], text: &str) {
    let raw: Vec<&str> = text.split_whitespace().collect();
    let core = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    for f in fields.iter_mut().filter(|f| f.presence == Presence::Present) {
        let Part::Span { schema } = &f.part else { continue };
        if !plain_string(schema) {
            continue;
        }
        let kw = words(&f.key);
        let Some(noun) = kw.last().filter(|n| n.chars().count() >= 4) else { continue };
        let stem = crate::align::stem;
        let at_noun: Vec<usize> =
            (0..raw.len()).filter(|&i| stem(&core(raw[i]).to_lowercase()) == stem(noun)).collect();
        let [i] = at_noun[..] else { continue };
        if i < 2 || core(raw[i - 2]).to_lowercase() != "the" || raw[i - 2].ends_with(|c: char| !c.is_alphanumeric()) {
            continue;
        }
        let word = raw[i - 1];
        let bare = core(word);
        // (an identifier: a plain word before a noun is more often part of it, `the
        // living room`, `the chemical equation`, and so is one joined by hyphens
        // alone, `the pick-up location`, `the high-yield account`)
        let plain = bare.chars().all(|c| c.is_lowercase() || c.is_ascii_digit() || "-_/.".contains(c))
            && bare.starts_with(char::is_alphabetic)
            && bare.chars().any(|c| c.is_ascii_digit() || "_/.".contains(c));
        // (no part of it an ordinal: `the 2nd-floor printer`)
        let ordinal = bare.split('-').any(|part| {
            let lower = part.to_lowercase();
            crate::align::number_word(&lower).is_some()
                || super::anchor::ORDINALS.contains(&lower.as_str())
                || ["st", "nd", "rd", "th"]
                    .iter()
                    .any(|e| lower.strip_suffix(e).is_some_and(|d| d.parse::<u32>().is_ok()))
        });
        if (word != bare && !word.ends_with(&*bare)) || !plain || ordinal {
            continue;
        }
        let schema = schema.clone();
        f.part = Part::Scalar { candidates: vec![Candidate { value: Value::String(bare), score: 1.0 }], schema };
    }
}

/// Words for any work (`music`, `something`), pronouns, and what a list is sorted by:
/// none is a work or a maker's name.
const GENERIC: [&str; 28] = [
    "music",
    "something",
    "anything",
    "stuff",
    "one",
    "tune",
    "record",
    "show",
    "single",
    "hit",
    "some",
    "new",
    "latest",
    "novel",
    "poem",
    "biography",
    "memoir",
    "thriller",
    "mystery",
    "story",
    "essay",
    "podcast",
    "jazz",
    "rock",
    "pop",
    "classical",
    "playlist",
    "cover",
];
const PRONOUNS: [&str; 10] = ["i", "it", "me", "you", "we", "they", "this", "that", "these", "those"];
const SORT_KEYS: [&str; 20] = [
    "topic",
    "subject",
    "location",
    "category",
    "mood",
    "default",
    "request",
    "type",
    "popularity",
    "genre",
    "title",
    "date",
    "year",
    "rating",
    "price",
    "name",
    "length",
    "release",
    "relevance",
    "view",
];

/// Words a key for a work is named for, and words a key for its maker is.
const WORKS: [&str; 9] = ["song", "track", "album", "book", "movie", "film", "painting", "title", "work"];
const MAKERS: [&str; 9] =
    ["artist", "author", "band", "composer", "singer", "director", "painter", "writer", "creator"];

/// A work and its maker written `<work> by <maker>` in words of no capitals (`queue
/// up rumours by fleetwood mac`, `the lyrics to dreams by fleetwood mac`) go to the
/// schema's one key for a work (`album`, `song_title`) and one for a maker (`artist`),
/// both spans so far: the work the words before `by` back to a word that opens a
/// phrase (`up` of `queue up` too) or the text's first word (its verb), the maker the words after it to the
/// phrase's end; the one `by` of the text, neither side over four words, the maker
/// not a time (`by friday`, `by 5pm`).
pub(super) fn work_by_maker(fields: &mut [Field], text: &str) {
    let named = |key: &str, nouns: &[&str]| words(key).iter().any(|w| nouns.contains(&stem(w).as_str()));
    let keys = |nouns: &[&str]| -> Vec<usize> {
        (0..fields.len())
            .filter(|&k| named(&fields[k].key, nouns))
            .filter(
                |&k| matches!(&fields[k].part, Part::Span { schema } | Part::Open { schema } if plain_string(schema)),
            )
            .collect()
    };
    let ([work], [maker]) = (&keys(&WORKS)[..], &keys(&MAKERS)[..]) else { return };
    let raw: Vec<&str> = text.split_whitespace().collect();
    let bys: Vec<usize> = (1..raw.len()).filter(|&i| raw[i] == "by").collect();
    let [by] = bys[..] else { return };
    if raw.iter().skip(1).any(|w| w.chars().any(char::is_uppercase)) {
        return;
    }
    let opens = |w: &str| opens_phrase(w) || matches!(w, "up" | "out" | "off" | "down" | "of");
    let mut before: Vec<String> = Vec::new();
    for b in (1..by).rev() {
        let w = bare(raw[b]);
        if opens(&w) || marked(raw[b]) {
            break;
        }
        before.insert(0, w);
    }
    let mut after: Vec<String> = Vec::new();
    for w in &raw[by + 1..] {
        let c = bare(w);
        if opens(&c) && !(after.is_empty() && c == "the") {
            break;
        }
        after.push(c);
        if marked(w) {
            break;
        }
    }
    let named = after.iter().find(|w| *w != "the");
    let timed = named.is_some_and(|w| {
        w.starts_with(|c: char| c.is_ascii_digit())
            || crate::date::month(w).is_some()
            || super::lists::WEEKDAYS.contains(&w.as_str())
            || matches!(
                w.as_str(),
                "today"
                    | "tomorrow"
                    | "tonight"
                    | "noon"
                    | "midnight"
                    | "then"
                    | "now"
                    | "end"
                    | "time"
                    | "way"
                    | "next"
                    | "weekend"
                    | "morning"
                    | "evening"
                    | "afternoon"
                    | "night"
            )
    });
    // (the work's own noun before it is none of it, `the album rumours`; a work that
    // is only such nouns, a pronoun or a participle is none: `a song by adele`, `songs
    // by the weeknd`, `something by drake`, `directed by nolan`, `sorted by
    // popularity`)
    let noun = |w: &String| WORKS.iter().chain(&MAKERS).chain(&GENERIC).any(|n| stem(w) == *n);
    // (nor a kind of work right after the request's verb: `find thrillers by`)
    let kind =
        before.len() == 1 && before[0].ends_with('s') && raw.iter().position(|w| bare(w) == before[0]) == Some(1);
    let lead = before.iter().take_while(|w| noun(w)).count();
    before.drain(..lead);
    let vague = before.iter().any(|w| {
        noun(w) || PRONOUNS.contains(&w.as_str()) || w.ends_with("ed") || w.ends_with("en") || w.ends_with("ing")
    });
    let sorted = named.is_some_and(|w| SORT_KEYS.contains(&stem(w).as_str()));
    let (w, m) = (before.join(" "), after.join(" "));
    if before.is_empty() || before.len() > 4 || after.is_empty() || after.len() > 4 || timed || vague || sorted || kind
    {
        return;
    }
    for (k, value) in [(*work, w), (*maker, m)] {
        let Some(schema) = fields[k].part.schema().cloned() else { return };
        fields[k].part =
            Part::Scalar { candidates: vec![Candidate { value: Value::String(value), score: 1.0 }], schema };
        fields[k].presence = Presence::Present;
    }
}

/// In a text written without capitals (`when's low tide at half moon bay on july 4th`),
/// the schema's one key for a place ([`holds_a_place`]), a span so far, takes the one
/// place written after `in`, `at` or `near`, and a pair of them for the two ends of a
/// trip the one `from … to …` (`buses from boston to nyc`): up to four words, to a mark, the text's end
/// or a word that opens a phrase; not a time, a date, a number, a unit or a phrase that
/// opens with `the`.
pub(super) fn lowercase_place(fields: &mut [Field], text: &str) {
    if text.chars().skip(1).any(char::is_uppercase) {
        return;
    }
    // (not an address: a town is none)
    let address = |k: usize| words(&fields[k].key).iter().any(|w| matches!(w.as_str(), "address" | "street"));
    let places: Vec<usize> = (0..fields.len())
        .filter(|&k| fields[k].part.schema().is_some_and(|s| holds_a_place(&fields[k].key, s)))
        .filter(|&k| matches!(fields[k].part, Part::Span { .. }) && !address(k))
        .collect();
    let raw: Vec<&str> = text.split_whitespace().collect();
    // (nor the words of a time after it: `in denver rn`, `in delhi right now`)
    let opens = |w: &str| {
        opens_phrase(w)
            || matches!(
                w,
                "rn" | "now"
                    | "right"
                    | "today"
                    | "tonight"
                    | "tomorrow"
                    | "during"
                    | "over"
                    | "next"
                    | "last"
                    | "asap"
                    | "pls"
                    | "please"
                    | "tho"
                    | "lol"
            )
    };
    let other = |w: &str| {
        no_place(w)
            || w.starts_with(|c: char| c.is_ascii_digit())
            || matches!(w, "night" | "noon" | "midnight" | "home" | "work" | "least" | "most" | "all" | "once")
            // (a word that no place is: `near me`, `in general`, `in walking distance`,
            // `at reasonable prices`)
            || matches!(
                w,
                "me" | "here" | "there" | "us" | "you" | "general" | "detail" | "bulk" | "budget" | "total"
                    | "lunch" | "dinner" | "brunch" | "breakfast" | "sunset" | "sunrise" | "dawn" | "dusk"
                    | "season" | "style" | "between" | "short" | "metric" | "units" | "rates" | "ur" | "economy"
                    | "scratch" | "random" | "advance" | "time" | "stock" | "person" | "mind" | "case" | "fact"
                    | "order" | "price" | "prices" | "full" | "particular"
            )
            || w.ends_with("ing")
    };
    // (nor a kind of place alone: `in town`, `near campus`; `cape town` is one)
    let lone = |p: &[String]| matches!(p, [w] if matches!(w.as_str(), "town" | "campus" | "school" | "downtown" | "office" | "city"));
    // (the place after word `i`, and whether a mark ends it)
    let place_after = |i: usize| -> Option<(Vec<String>, bool)> {
        if marked(raw[i]) {
            return None;
        }
        let mut place: Vec<String> = Vec::new();
        for w in &raw[i + 1..] {
            let c = bare(w);
            if opens(&c) {
                break;
            }
            // (a short word's `.` is its own: `st. paul`, `washington d.c.`; an
            // abbreviation ends no place)
            let abbreviated = w.ends_with('.') && c.len() <= 3 && !w[..w.len() - 1].contains('.') || c.contains('.');
            place.push(if abbreviated { w.to_lowercase() } else { c });
            if marked(w) && !abbreviated {
                return Some((place, true)).filter(|(p, _)| p.len() <= 4 && !p.iter().any(|w| other(w)) && !lone(p));
            }
        }
        Some((place, false)).filter(|(p, _)| !p.is_empty() && p.len() <= 4 && !p.iter().any(|w| other(w)) && !lone(p))
    };
    let at =
        |words: &[&str]| -> Vec<usize> { (0..raw.len()).filter(|&i| words.contains(&bare(raw[i]).as_str())).collect() };
    let settle = |fields: &mut [Field], k: usize, place: &[String]| {
        if let Some(schema) = fields[k].part.schema().cloned() {
            let candidates = vec![Candidate { value: Value::String(place.join(" ")), score: 1.0 }];
            fields[k].part = Part::Scalar { candidates, schema };
        }
    };
    match places[..] {
        [k] => {
            let found: Vec<Vec<String>> =
                at(&["in", "at", "near"]).into_iter().filter_map(|i| place_after(i).map(|(p, _)| p)).collect();
            if let [place] = &found[..] {
                settle(fields, k, place);
            }
        }
        // (a pair for the two ends of a trip, `origin` and `destination`, takes `from
        // boston to nyc`)
        [a, b] => {
            let side = |k: usize, names: &[&str]| {
                let said = fields[k].part.schema().and_then(|s| s.get("description")).and_then(Value::as_str);
                words(&fields[k].key).iter().chain(&words(said.unwrap_or(""))).any(|w| names.contains(&w.as_str()))
            };
            const FROM: [&str; 6] = ["origin", "from", "start", "starting", "departure", "pickup"];
            const TO: [&str; 5] = ["destination", "to", "end", "arrival", "dropoff"];
            let (from, to) = match (side(a, &FROM), side(a, &TO), side(b, &FROM), side(b, &TO)) {
                (true, false, false, true) => (a, b),
                (false, true, true, false) => (b, a),
                _ => return,
            };
            let trips: Vec<(Vec<String>, Vec<String>)> = at(&["from"])
                .into_iter()
                .filter_map(|i| {
                    let (start, marked) = place_after(i)?;
                    let j = i + 1 + start.len();
                    let (end, _) =
                        (!marked && raw.get(j).is_some_and(|w| *w == "to")).then(|| place_after(j)).flatten()?;
                    Some((start, end))
                })
                .collect();
            if let [(start, end)] = &trips[..] {
                settle(fields, from, start);
                settle(fields, to, end);
            }
        }
        _ => {}
    }
}
