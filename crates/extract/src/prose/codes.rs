//! Names the text writes that a key asks for as a standard code: a language as its
//! ISO 639-1 code (`the Spanish word` → `es`), a country as its ISO 3166-1 alpha-2
//! code (`in the United Kingdom` → `GB`). Tables of names, not rules: a code is no
//! word of the text, so no other reading of it gives one.

use super::choices::{FROM_SIDE, TO_SIDE};
use super::words::{carries_on, separated_words};
use crate::align::words;
use crate::plan::main_type;
use serde_json::Value;

/// Languages by their English names, with their ISO 639-1 codes.
const LANGUAGES: [(&str, &str); 45] = [
    ("english", "en"),
    ("spanish", "es"),
    ("french", "fr"),
    ("german", "de"),
    ("italian", "it"),
    ("portuguese", "pt"),
    ("dutch", "nl"),
    ("russian", "ru"),
    ("chinese", "zh"),
    ("mandarin", "zh"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("arabic", "ar"),
    ("hindi", "hi"),
    ("bengali", "bn"),
    ("turkish", "tr"),
    ("polish", "pl"),
    ("swedish", "sv"),
    ("norwegian", "no"),
    ("danish", "da"),
    ("finnish", "fi"),
    ("greek", "el"),
    ("hebrew", "he"),
    ("thai", "th"),
    ("vietnamese", "vi"),
    ("indonesian", "id"),
    ("malay", "ms"),
    ("czech", "cs"),
    ("hungarian", "hu"),
    ("romanian", "ro"),
    ("ukrainian", "uk"),
    ("persian", "fa"),
    ("urdu", "ur"),
    ("swahili", "sw"),
    ("tagalog", "tl"),
    ("catalan", "ca"),
    ("irish", "ga"),
    ("welsh", "cy"),
    ("icelandic", "is"),
    ("bulgarian", "bg"),
    ("croatian", "hr"),
    ("serbian", "sr"),
    ("slovak", "sk"),
    ("tamil", "ta"),
    ("latin", "la"),
];

/// Countries by their English names (as words), with their ISO 3166-1 alpha-2 codes.
const COUNTRIES: [(&str, &str); 66] = [
    ("united states", "US"),
    ("united kingdom", "GB"),
    ("great britain", "GB"),
    ("britain", "GB"),
    ("canada", "CA"),
    ("mexico", "MX"),
    ("brazil", "BR"),
    ("argentina", "AR"),
    ("chile", "CL"),
    ("colombia", "CO"),
    ("peru", "PE"),
    ("france", "FR"),
    ("germany", "DE"),
    ("italy", "IT"),
    ("spain", "ES"),
    ("portugal", "PT"),
    ("netherlands", "NL"),
    ("belgium", "BE"),
    ("switzerland", "CH"),
    ("austria", "AT"),
    ("sweden", "SE"),
    ("norway", "NO"),
    ("denmark", "DK"),
    ("finland", "FI"),
    ("iceland", "IS"),
    ("ireland", "IE"),
    ("poland", "PL"),
    ("greece", "GR"),
    ("turkey", "TR"),
    ("russia", "RU"),
    ("ukraine", "UA"),
    ("czech republic", "CZ"),
    ("czechia", "CZ"),
    ("hungary", "HU"),
    ("romania", "RO"),
    ("croatia", "HR"),
    ("china", "CN"),
    ("japan", "JP"),
    ("south korea", "KR"),
    ("india", "IN"),
    ("pakistan", "PK"),
    ("bangladesh", "BD"),
    ("indonesia", "ID"),
    ("thailand", "TH"),
    ("vietnam", "VN"),
    ("philippines", "PH"),
    ("malaysia", "MY"),
    ("singapore", "SG"),
    ("taiwan", "TW"),
    ("australia", "AU"),
    ("new zealand", "NZ"),
    ("south africa", "ZA"),
    ("nigeria", "NG"),
    ("egypt", "EG"),
    ("kenya", "KE"),
    ("morocco", "MA"),
    ("ethiopia", "ET"),
    ("israel", "IL"),
    ("saudi arabia", "SA"),
    ("united arab emirates", "AE"),
    ("qatar", "QA"),
    ("iran", "IR"),
    ("iraq", "IQ"),
    ("cuba", "CU"),
    ("jamaica", "JM"),
    ("venezuela", "VE"),
];

/// The two kinds of names a key may ask a code of.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Language,
    Country,
}

impl Kind {
    /// The names of this kind, with their codes.
    fn names(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::Language => &LANGUAGES,
            Kind::Country => &COUNTRIES,
        }
    }
}

/// Which kind of names a key asks for a code of: languages where its description says ISO
/// 639 or a language code, or it is named for a language and its example or default
/// is two small letters (`'en'`); countries where it is named for a country and its
/// description asks for a code (ISO 3166, alpha-2). Not where the
/// description takes a name as well (`an ISO 639-1 code or English name`).
fn table(key: &str, prop: &Value) -> Option<Kind> {
    if main_type(prop) != Some("string") {
        return None;
    }
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("").to_lowercase();
    let said = words(&description);
    if said.iter().any(|w| w == "name" || w == "names") {
        return None;
    }
    let kw = words(key);
    let named = |w: &str| kw.iter().any(|k| k == w);
    let small_pair = |v: &Value| v.as_str().is_some_and(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_lowercase()));
    let example = description.contains("e.g. '") && {
        let at = description.find("e.g. '").unwrap_or(0) + 6;
        description[at..].split('\'').next().is_some_and(|e| small_pair(&Value::from(e)))
    };
    if description.contains("iso 639")
        || description.contains("language code")
        || ((named("language") || named("lang")) && (example || prop.get("default").is_some_and(small_pair)))
    {
        return Some(Kind::Language);
    }
    // (a key for a country by its name: a nationality's code is no destination's)
    let coded = description.contains("iso 3166") || description.contains("alpha-2") || said.iter().any(|w| w == "code");
    if named("country") && coded {
        return Some(Kind::Country);
    }
    None
}

/// The names of `table` the text writes, capitalised as names are (`Spanish`, `the
/// United Kingdom`), each with the word it starts at and its code, in text order; not
/// one inside a longer name, a capitalised word right before or after it with only a
/// space between (`New Mexico`, `India Gate`; `Paris, France` is two).
fn written(table: &[(&str, &'static str)], ws: &[(&str, &str)]) -> Vec<(usize, &'static str)> {
    let capital = |k: usize| ws.get(k).is_some_and(|(w, _)| w.starts_with(char::is_uppercase));
    let spaced = |k: usize| ws.get(k).is_some_and(|(_, sep)| sep.chars().all(char::is_whitespace));
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let found = table.iter().find(|(name, _)| {
            let nw: Vec<&str> = name.split(' ').collect();
            ws.get(i..i + nw.len()).is_some_and(|at| {
                at.iter().zip(&nw).all(|((w, _), n)| w.starts_with(char::is_uppercase) && w.to_lowercase() == *n)
            })
        });
        match found {
            Some((name, code)) => {
                let end = i + name.split(' ').count();
                let longer = (i > 0 && spaced(i) && capital(i - 1)) || (spaced(end) && capital(end));
                if !longer {
                    out.push((i, *code));
                }
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// Nouns for what is written or spoken in a language (as [`crate::align::stem`] has
/// them): `the Spanish word`, `German subtitles`.
const WRITTEN_IN: [&str; 10] =
    ["word", "text", "phrase", "sentence", "language", "version", "translation", "subtitle", "audio", "speaker"];

/// The code a key asks for ([`table`]) of the one name of its table the text writes;
/// where the schema has a key for each side (`source_language`, `target_language`),
/// the name right after `into` or `to` is the target's, after `from` the source's.
/// Where the key's schema lists choices, only one of them. A language's name counts
/// only where the text writes it as a language's.
pub(super) fn code_of(key: &str, prop: &Value, keys: &[(&str, &Value)], text: &str) -> Option<Value> {
    let kind = table(key, prop)?;
    let ws = separated_words(text);
    let mut names = written(kind.names(), &ws);
    let lower = |k: usize| ws.get(k).map_or(String::new(), |(w, _)| w.to_lowercase());
    let before = |i: usize| i.checked_sub(1).map_or(String::new(), lower);
    // (a language's name is also a people's: a key takes it only as a language,
    // after `in`, `into`, `to` or `from` where it ends its phrase, or before a word
    // for what is written in one: `in German please`, `the Spanish word`; not `Thai
    // food`, `the Italian chef's note`, `to Irish airports`)
    if kind == Kind::Language {
        names.retain(|&(i, _)| {
            let ends = ws
                .get(i + 1)
                .is_none_or(|(w, sep)| !sep.chars().all(char::is_whitespace) || !carries_on(&w.to_lowercase()));
            (matches!(before(i).as_str(), "in" | "into" | "to" | "from") && ends)
                || WRITTEN_IN.contains(&crate::align::stem(&lower(i + 1)).as_str())
        });
    }
    let kw = words(key);
    let side = |k: &[String], side: &[&str]| k.iter().any(|w| side.contains(&w.as_str()));
    let sided = keys.iter().any(|(k, p)| *k != key && table(k, p) == Some(kind));
    let code = if sided {
        let wanted: Vec<&str> = names
            .iter()
            .filter(|(i, _)| {
                (side(&kw, &TO_SIDE) && matches!(before(*i).as_str(), "into" | "to"))
                    || (side(&kw, &FROM_SIDE) && before(*i) == "from")
            })
            .map(|(_, c)| *c)
            .collect();
        match wanted[..] {
            [one] => one,
            _ => return None,
        }
    } else {
        let mut codes: Vec<&str> = names.iter().map(|(_, c)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        match codes[..] {
            [one] => one,
            _ => return None,
        }
    };
    match prop.get("enum").and_then(Value::as_array) {
        Some(choices) if !choices.iter().any(|c| c.as_str() == Some(code)) => None,
        _ => Some(Value::from(code)),
    }
}
