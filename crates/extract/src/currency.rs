//! Currencies as a text names them (`200 US dollars`, `British pounds`, `€`), read
//! as their ISO 4217 codes: what a key for a currency takes.

/// Names and signs of the common currencies, by code. A longer name is tried before
/// a shorter one (`Canadian dollars` before `dollars`); a bare `dollar` (or `buck`) is
/// the US one.
const NAMES: [(&str, &[&str]); 20] = [
    ("USD", &["us dollar", "u.s. dollar", "united states dollar", "american dollar", "dollar", "buck", "$"]),
    ("EUR", &["euro", "€"]),
    ("GBP", &["british pound", "pound sterling", "pounds sterling", "sterling", "pound", "£"]),
    ("JPY", &["japanese yen", "yen", "¥"]),
    ("CAD", &["canadian dollar"]),
    ("AUD", &["australian dollar"]),
    ("NZD", &["new zealand dollar"]),
    ("SGD", &["singapore dollar"]),
    ("HKD", &["hong kong dollar"]),
    ("CHF", &["swiss franc"]),
    ("CNY", &["chinese yuan", "yuan", "renminbi"]),
    ("INR", &["indian rupee", "rupee"]),
    ("MXN", &["mexican peso"]),
    ("BRL", &["brazilian real"]),
    ("RUB", &["russian ruble", "russian rouble", "ruble", "rouble"]),
    ("KRW", &["south korean won", "korean won"]),
    ("SEK", &["swedish krona", "swedish kronor"]),
    ("NOK", &["norwegian krone"]),
    ("DKK", &["danish krone"]),
    ("ZAR", &["south african rand"]),
];

/// Whether a word (lower case) is the last word of a currency's name (`pounds`,
/// `euro`, `dollars`).
pub fn is_name(word: &str) -> bool {
    let word = crate::align::stem(word);
    NAMES.iter().flat_map(|(_, ns)| ns.iter()).any(|n| n.rsplit(' ').next() == Some(word.as_str()))
}

/// Names that several currencies share: after a capitalised word of its own
/// (`Pakistani rupees`, `Egyptian pounds`) such a name is a currency not in [`NAMES`].
const SHARED: [&str; 6] = ["dollar", "pound", "rupee", "ruble", "rouble", "$"];

/// The currencies `text` writes, as codes, in the order it writes them, each once:
/// by name (`Japanese Yen`, `euros`), by sign, or by code as written (`GBP`). `None`
/// where it names one it cannot read (`Pakistani rupees`, `C$150`).
pub fn written(text: &str) -> Option<Vec<(usize, &'static str)>> {
    // (ASCII case only, so that places in it are places in `text`)
    let lower = text.to_ascii_lowercase();
    let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut names: Vec<(&str, &'static str)> =
        NAMES.iter().flat_map(|(code, ns)| ns.iter().map(move |n| (*n, *code))).collect();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    for (name, code) in names {
        for (at, _) in lower.match_indices(name) {
            let end = at + name.len();
            if !bounded(&lower, at, end, name) || found.iter().any(|&(a, e, _)| at < e && a < end) {
                continue;
            }
            if SHARED.contains(&name) && unknown_before(text, at, name) {
                return None;
            }
            found.push((at, end, code));
        }
    }
    for (code, _) in NAMES {
        for (at, _) in text.match_indices(code) {
            if bounded(text, at, at + code.len(), code) && !found.iter().any(|&(a, e, _)| at < e && a < at + 3) {
                found.push((at, at + code.len(), code));
            }
        }
    }
    found.sort_unstable();
    let mut out: Vec<(usize, &'static str)> = Vec::new();
    for (at, _, code) in found {
        if !out.iter().any(|(_, c)| *c == code) {
            out.push((at, code));
        }
    }
    Some(out)
}

/// Whether the shared name at `at` has a word of its own before it: a capitalised
/// word inside a sentence (`Pakistani rupees`), or letters glued to a `$` (`C$`,
/// `HK$`; `US$` is the US dollar).
fn unknown_before(text: &str, at: usize, name: &str) -> bool {
    let before = &text[..at];
    if name == "$" {
        let letters: String = before.chars().rev().take_while(|c| c.is_alphabetic()).collect();
        return !letters.is_empty() && letters != "SU";
    }
    let head = before.trim_end();
    let word: String =
        head.chars().rev().take_while(|c| c.is_alphabetic()).collect::<Vec<_>>().into_iter().rev().collect();
    let rest = head[..head.len() - word.len()].trim_end();
    let sentence_start = rest.is_empty() || rest.ends_with(['.', '!', '?', ':']);
    word.starts_with(char::is_uppercase) && !sentence_start
}

/// Whether `text[at..end]` is a whole word (a sign needs no bounds; a name may take a
/// plural `s`).
fn bounded(text: &str, at: usize, end: usize, name: &str) -> bool {
    if !name.starts_with(char::is_alphanumeric) {
        return true;
    }
    let before = text[..at].chars().next_back();
    let rest = &text[end..];
    let rest = rest.strip_prefix('s').unwrap_or(rest);
    !before.is_some_and(char::is_alphanumeric) && !rest.starts_with(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        written(text).unwrap_or_default().into_iter().map(|(_, c)| c).collect()
    }

    #[test]
    fn names_signs_and_codes_are_read_in_order() {
        assert_eq!(codes("How many Canadian dollars can I get for 500 US dollars?"), ["CAD", "USD"]);
        assert_eq!(codes("Send 20 euros, or £15, to my GBP account in Swiss Francs"), ["EUR", "GBP", "CHF"]);
        assert_eq!(codes("Convert 20000 Japanese Yen into United States Dollar"), ["JPY", "USD"]);
        assert!(codes("The pounding rain and the Eurostar, 5 poundsterling").is_empty());
        assert!(codes("USDA grade beef").is_empty());
        assert_eq!(codes("Dollars to euros, US$ 20"), ["USD", "EUR"]);
        for text in
            ["Convert 5000 Pakistani rupees to US dollars", "Convert 250 Egyptian pounds to euros", "C$150 in euros"]
        {
            assert_eq!(written(text), None, "{text}");
        }
    }
}
