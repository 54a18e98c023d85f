//! Stage 2, alignment: how well a label written in the text names a schema key.
//!
//! A label names a key when their words agree: as written (`Customer Name` /
//! `customer_name`), as stems (`Tags` / `tag`), run together (`E-mail` / `email`), or
//! through the key's `title`. Scores order the ways, so a label goes to the key it
//! names best.

use serde_json::Value;

/// Lowest score at which a label names a key.
pub const MIN_SCORE: f64 = 0.5;

/// Lower-case words of a label or key: split at non-alphanumerics and at
/// lower→upper case changes (`camelCase`).
pub fn words(s: &str) -> Vec<String> {
    words_and_gaps(s).into_iter().map(|(w, _)| w).collect()
}

/// [`words`], each with what the text writes between it and the word before (empty
/// at a case change).
fn words_and_gaps(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut gap = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push((std::mem::take(&mut cur), std::mem::take(&mut gap)));
            }
            gap.push(c);
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push((std::mem::take(&mut cur), std::mem::take(&mut gap)));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push((cur, gap));
    }
    out
}

/// A word without its plural ending: `batteries` → `battery`, `boxes` → `box`, `tags` → `tag`.
pub fn stem(w: &str) -> String {
    if let Some(s) = w.strip_suffix("ies").filter(|s| s.len() > 1) {
        return format!("{s}y");
    }
    for end in ["sses", "shes", "ches", "xes"] {
        if w.ends_with(end) {
            return w[..w.len() - 2].to_string();
        }
    }
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..w.len() - 1].to_string();
    }
    w.to_string()
}

/// Whether two lower-case words are the same word: as written, or as stems of three
/// letters or more (`tolls` is `toll`, `days` is `day`; a stem cannot tell `news` from
/// `new`).
pub fn same_word(a: &str, b: &str) -> bool {
    a == b || {
        let (sa, sb) = (stem(a), stem(b));
        sa == sb && sa.len() >= 3
    }
}

/// A number written as a word: `zero` to `twenty`, and the tens to `ninety`.
pub fn number_word(w: &str) -> Option<u64> {
    const SMALL: [&str; 21] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    const TENS: [&str; 7] = ["thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    if let Some(n) = SMALL.iter().position(|s| *s == w) {
        return u64::try_from(n).ok();
    }
    TENS.iter().position(|s| *s == w).and_then(|n| u64::try_from(n * 10 + 30).ok())
}

/// Whether a choice's word `c` is written as text word `w`: the [`same_word`], a
/// number in digits or in words (`5` / `five`), or spelled with `-re` for `-er`
/// (`centre` / `center`, `theatre` / `theater`; not `quiet` / `quite`).
pub fn written_as(c: &str, w: &str) -> bool {
    let number = |a: &str, b: &str| a.parse::<u64>().is_ok_and(|n| number_word(b) == Some(n));
    let re_er = |a: &str, b: &str| {
        a.strip_suffix("re").zip(b.strip_suffix("er")).is_some_and(|(a, b)| a == b && a.chars().count() >= 3)
    };
    same_word(c, w) || number(c, w) || number(w, c) || re_er(c, w) || re_er(w, c)
}

/// Where the text's words (`text_words`, lower case) write `phrase`'s words in a row,
/// word by word as [`written_as`]; a phrase of one or two characters (`A`, `CA`, `B+`)
/// only as written, case and all, as a piece of `text` between spaces (outer
/// punctuation aside).
pub fn written_at(phrase: &str, text: &str, text_words: &[String]) -> Option<usize> {
    if phrase.chars().count() <= 2 {
        let mut at = 0;
        for piece in text.split_whitespace() {
            if piece.trim_matches(|c: char| ".,;:!?()[]\"'`".contains(c)) == phrase {
                return Some(at);
            }
            at += words(piece).len();
        }
        return None;
    }
    let ws = words_and_gaps(phrase);
    if ws.is_empty() {
        return None;
    }
    // Two numbers joined by `:`, `.`, `/` or `,` are one (a time, a decimal, a date, a
    // grouped number): they write two of the phrase's numbers only where the phrase
    // joins them so too (`10:15` is not `£10-15`; `10.30` is `10:30`).
    let gaps: Vec<String> = words_and_gaps(text).into_iter().map(|(_, g)| g).collect();
    let glue = |g: &str| [":", ".", "/", ","].contains(&g);
    let digits = |w: &str| w.chars().all(|c| c.is_ascii_digit());
    let joined_alike = |at: usize| {
        (1..ws.len()).all(|j| {
            let text_gap = gaps.get(at + j).map_or("", String::as_str);
            !(digits(&ws[j - 1].0) && digits(&ws[j].0) && glue(text_gap)) || glue(&ws[j].1)
        })
    };
    text_words
        .windows(ws.len())
        .enumerate()
        .position(|(at, win)| win.iter().zip(&ws).all(|(a, (b, _))| written_as(b, a)) && joined_alike(at))
}

fn stems(ws: &[String]) -> Vec<String> {
    ws.iter().map(|w| stem(w)).collect()
}

/// How well `label` names `key` (whose schema is `prop`): 0 when it does not.
pub fn score(label: &str, key: &str, prop: &Value) -> f64 {
    let lw = words(label);
    if lw.is_empty() {
        return 0.0;
    }
    let kw = words(key);
    if lw == kw {
        return 1.0;
    }
    if stems(&lw) == stems(&kw) {
        return 0.95;
    }
    if lw.concat() == kw.concat() {
        return 0.9;
    }
    if let Some(title) = prop.get("title").and_then(Value::as_str) {
        let tw = words(title);
        if lw == tw || stems(&lw) == stems(&tw) {
            return 0.85;
        }
    }
    // A label sharing a word with the key (`Ticket` / `ticket_id`), else with its
    // description (`Problem` / "short description of the problem"): weaker, so a
    // label that names a key fully always wins.
    if shares_word(&lw, &kw) {
        return 0.6;
    }
    if let Some(d) = prop.get("description").and_then(Value::as_str) {
        if shares_word(&lw, &words(d)) {
            return 0.55;
        }
    }
    0.0
}

/// Whether two word lists share a word of three letters or more, as stems.
fn shares_word(a: &[String], b: &[String]) -> bool {
    let b: Vec<String> = b.iter().filter(|w| w.len() >= 3).map(|w| stem(w)).collect();
    a.iter().filter(|w| w.len() >= 3).any(|w| b.contains(&stem(w)))
}

/// Whether a text's words name the key word `w` (three letters or more): the same
/// stem, or a shared start of five letters (`attached` / `attachment`).
pub fn names(w: &str, text_words: &[String]) -> bool {
    if w.len() < 3 {
        return false;
    }
    let ws = stem(w);
    text_words.iter().any(|t| stem(t) == ws || (w.len() >= 5 && t.len() >= 5 && w.as_bytes()[..5] == t.as_bytes()[..5]))
}

/// Whether `label` is a short form of `key`'s first word: one word of up to five
/// letters, shorter than it, that starts it and whose letters it holds in order
/// (`dev` / `device`, `stn` / `station`, `V` / `voltage_v`). A short form names a key
/// only where it names no other key of the object.
pub fn abbreviates(label: &str, key: &str) -> bool {
    let l = label.to_lowercase();
    let Some(first) = words(key).into_iter().next() else { return false };
    if l.is_empty() || l.len() > 5 || l.len() >= first.len() || !l.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let mut rest = first.bytes();
    l.bytes().next() == first.bytes().next() && l.bytes().all(|c| rest.any(|k| k == c))
}

/// The one key of `keys` that `label` is a short form of ([`abbreviates`]); `None`
/// where it abbreviates none or several.
pub fn short_form_of<'k>(label: &str, keys: impl IntoIterator<Item = &'k str>) -> Option<usize> {
    let mut found = keys.into_iter().enumerate().filter(|(_, key)| abbreviates(label, key)).map(|(k, _)| k);
    match (found.next(), found.next()) {
        (Some(k), None) => Some(k),
        _ => None,
    }
}

/// snake_case of a label, the key an open object gives it: `Battery Level` → `battery_level`.
pub fn key_of(label: &str) -> String {
    words(label).join("_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn words_split_every_common_form() {
        assert_eq!(words("Customer Name"), ["customer", "name"]);
        assert_eq!(words("customer_name"), ["customer", "name"]);
        assert_eq!(words("customerName"), ["customer", "name"]);
        assert_eq!(words("Icd10 Code"), ["icd10", "code"]);
    }

    #[test]
    fn labels_name_keys_by_words_stems_run_together_title_or_a_shared_word() {
        let none = json!({});
        assert_eq!(score("Date Of Birth", "date_of_birth", &none), 1.0);
        assert_eq!(score("Tag", "tags", &none), 0.95);
        assert_eq!(score("Batteries", "battery", &none), 0.95);
        assert_eq!(score("E-mail", "email", &none), 0.9);
        assert_eq!(score("Temp", "t", &json!({"title": "Temp"})), 0.85);
        assert_eq!(score("Name", "device_name", &none), 0.6);
        assert_eq!(score("Problem", "summary", &json!({"description": "the problem"})), 0.55);
        assert_eq!(score("Kind", "device_type", &none), 0.0);
    }

    #[test]
    fn short_forms_start_the_key_and_keep_its_letters_in_order() {
        assert!(abbreviates("dev", "device"));
        assert!(abbreviates("stn", "station"));
        assert!(abbreviates("V", "voltage_v"));
        assert!(abbreviates("up", "uptime_h"));
        assert!(!abbreviates("val", "reading"));
        assert!(!abbreviates("ts", "station"));
        assert!(!abbreviates("device", "device"));
        assert!(!abbreviates("SoC", "charge_pct"));
    }

    #[test]
    fn stems_keep_words_that_only_end_in_s() {
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("address"), "address");
        assert_eq!(stem("analysis"), "analysis");
        assert_eq!(stem("devices"), "device");
    }
}
