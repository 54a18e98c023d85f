//! Value shapes a token can have: dates, times, e-mail addresses, identifiers.

use serde_json::Value;

/// The shape a string key's `format` asks for: `date-time`, `date`, `time`, `email`.
pub fn of_format(prop: &Value) -> Option<fn(&str) -> bool> {
    match prop.get("format").and_then(Value::as_str)? {
        "date-time" => Some(|t: &str| is_date(t) && t.contains('T')),
        "date" => Some(is_date),
        "time" => Some(is_time),
        "email" => Some(is_email),
        _ => None,
    }
}

/// The shape a key's name says it holds: a time or an e-mail address by its last
/// word (`start_time`, `contact_email`), an IPv4 or MAC address by any word
/// (`ip_address`, `mac`).
pub fn of_name(key: &str) -> Option<fn(&str) -> bool> {
    let words = crate::align::words(key);
    match words.last().map(String::as_str) {
        Some("time") => Some(is_time),
        Some("email") => Some(is_email),
        _ if words.iter().any(|w| w == "ip" || w == "ipv4") => Some(is_ipv4),
        _ if words.iter().any(|w| w == "mac") => Some(is_mac),
        _ => None,
    }
}

/// Whether a key's description says it holds an e-mail address (`Email address of
/// the recipient`; not `Email subject`).
pub fn described_as_email(prop: &Value) -> bool {
    let description = prop.get("description").and_then(Value::as_str).unwrap_or("").to_lowercase();
    ["email address", "e-mail address", "email addresses", "e-mail addresses"].iter().any(|a| description.contains(a))
}

/// `2024-05-01`, `2024-05-01T10:00:00`, `2024-05-01T10:00:00.5Z`.
pub fn is_date(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || b[10] == b'T' || b[10] == b' ')
}

/// `10:32`, `10:32:05`; on a twelve-hour clock `7pm`, `7:30am`, `11 p.m.` as one token.
pub fn is_time(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    let clock = ["am", "pm", "a.m.", "p.m.", "a.m", "p.m"].iter().find_map(|h| lower.strip_suffix(h));
    if let Some(hour) = clock.map(str::trim_end) {
        let (h, m) = hour.split_once(':').unwrap_or((hour, "00"));
        let digits = |p: &str, n: usize| !p.is_empty() && p.len() <= n && p.bytes().all(|c| c.is_ascii_digit());
        return digits(h, 2) && h.parse::<u8>().is_ok_and(|h| (1..=12).contains(&h)) && digits(m, 2) && m.len() == 2;
    }
    // (minutes and seconds in two digits under 60: `1:1` is a ratio, `10:75` no time)
    let parts: Vec<&str> = t.split(':').collect();
    let number = |p: &str| p.bytes().all(|c| c.is_ascii_digit()).then(|| p.parse::<u8>().ok()).flatten();
    (2..=3).contains(&parts.len())
        && (1..=2).contains(&parts[0].len())
        && number(parts[0]).is_some_and(|h| h <= 24)
        && parts[1..].iter().all(|p| p.len() == 2 && number(p).is_some_and(|m| m < 60))
}

/// `staging.example.io`, `https://example.com/a`: a host name of two parts or more
/// cut by dots, the last a word of two to six letters, with a scheme and a path or
/// without (not `3.5`, `e.g`, nor an e-mail address).
pub fn is_web_address(t: &str) -> bool {
    let rest = t.strip_prefix("https://").or_else(|| t.strip_prefix("http://")).unwrap_or(t);
    let marked = rest.len() < t.len() || rest.starts_with("www.");
    let host = rest.split('/').next().unwrap_or(rest);
    let parts: Vec<&str> = host.split('.').collect();
    let last = parts.last().copied().unwrap_or("").to_lowercase();
    // (without a scheme or `www.`, a known ending: not a file's name, `config.yaml`, nor
    // a selector, `div.price`)
    let plain = DOMAIN_ENDINGS.contains(&last.as_str());
    parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && (2..=6).contains(&last.len())
        && last.chars().all(|c| c.is_ascii_alphabetic())
        && (marked || plain)
        && !is_email(t)
}

/// Endings of host names common enough to be read without a scheme or `www.`.
const DOMAIN_ENDINGS: [&str; 24] = [
    "com", "org", "net", "io", "dev", "app", "ai", "co", "edu", "gov", "me", "ly", "us", "uk", "de", "fr", "ca", "au",
    "info", "biz", "tv", "xyz", "eu", "nl",
];

/// `a.b@c.example`.
pub fn is_email(t: &str) -> bool {
    match t.split_once('@') {
        Some((user, host)) => !user.is_empty() && host.contains('.') && !host.starts_with('.') && !t.contains(' '),
        None => false,
    }
}

/// `10.0.4.17`: four numbers up to 255, cut by dots.
pub fn is_ipv4(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u8>().is_ok())
}

/// `dc:a6:32:01:7e:55`: six hex pairs cut by `:` (or all by `-`).
pub fn is_mac(t: &str) -> bool {
    [':', '-'].iter().any(|&sep| {
        let parts: Vec<&str> = t.split(sep).collect();
        parts.len() == 6 && parts.iter().all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_hexdigit()))
    })
}

/// Units of measure, as [`unit`] writes them: `%` is `pct`, `km/h` is `kmh`, `°C` is `c`.
const UNITS: &[&str] = &[
    "pct", "percent", "v", "mv", "kv", "ma", "w", "kw", "mw", "wh", "kwh", "mwh", "h", "hr", "hrs", "hour", "hours",
    "min", "mins", "s", "sec", "secs", "ms", "c", "f", "km", "kmh", "kph", "mph", "m", "cm", "mm", "kg", "g", "mg",
    "lb", "lbs", "oz", "hpa", "pa", "kpa", "bar", "mbar", "psi", "db", "dbm", "hz", "khz", "mhz", "ghz", "l", "ml",
    "kb", "mb", "gb", "tb", "rpm", "bpm", "ppm", "deg", "kn", "knots", "ft", "mi", "lux",
];

/// The unit a measure is written in (`17%` → `pct`, `64.2 km/h` → `kmh`, `-4.5 °C`
/// → `c`), where it is a unit of measure; `None` for a bare number or a word.
pub fn unit(measure: &str) -> Option<String> {
    unit_word(measure.trim_start_matches(|c: char| c.is_ascii_digit() || "+-., ".contains(c)))
}

/// A unit of measure as written (`%`, `km/h`, `°C`, `hPa`), as [`UNITS`] holds it.
pub fn unit_word(word: &str) -> Option<String> {
    let unit: String =
        word.replace('%', "pct").chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    let only_unit = word.chars().all(|c| c.is_alphabetic() || "%°/ ".contains(c));
    (only_unit && UNITS.contains(&unit.as_str())).then_some(unit)
}

/// Units written in full and their short forms (`70 kg` is in `kilograms`). Not `in`
/// (inch), `a` (ampere) nor `s` (second): as words of a sentence they are no unit.
const UNIT_NAMES: &[(&str, &[&str])] = &[
    ("kg", &["kilogram", "kilo"]),
    ("g", &["gram"]),
    ("mg", &["milligram"]),
    ("km", &["kilometer", "kilometre"]),
    ("m", &["meter", "metre"]),
    ("cm", &["centimeter", "centimetre"]),
    ("mm", &["millimeter", "millimetre"]),
    ("mi", &["mile"]),
    ("ft", &["foot", "feet"]),
    ("lb", &["lbs", "pound"]),
    ("oz", &["ounce"]),
    ("l", &["liter", "litre"]),
    ("ml", &["milliliter", "millilitre"]),
    ("h", &["hr", "hrs", "hour"]),
    ("min", &["mins", "minute"]),
    ("sec", &["secs", "second"]),
    ("ms", &["millisecond"]),
    ("v", &["volt"]),
    ("mv", &["millivolt"]),
    ("kv", &["kilovolt"]),
    ("farad", &["farad"]),
    ("uf", &["microfarad", "uf", "µf", "μf"]),
    ("nf", &["nanofarad", "nf"]),
    ("pf", &["picofarad", "pf"]),
    ("ma", &["milliamp", "milliampere"]),
    ("w", &["watt"]),
    ("kw", &["kilowatt"]),
    ("wh", &["watt-hour"]),
    ("kwh", &["kilowatt-hour"]),
    ("mwh", &["megawatt-hour"]),
    ("hz", &["hertz"]),
    ("c", &["celsius"]),
    ("f", &["fahrenheit"]),
    ("deg", &["degree"]),
];

/// Units of measure written in full that [`UNIT_NAMES`] has no short form for, and
/// money (`in dollars`, `in USD`).
const UNIT_WORDS: &[&str] = &[
    "inch",
    "yard",
    "acre",
    "hectare",
    "gallon",
    "quart",
    "pint",
    "cup",
    "teaspoon",
    "tablespoon",
    "ton",
    "tonne",
    "byte",
    "kilobyte",
    "megabyte",
    "gigabyte",
    "terabyte",
    "joule",
    "calorie",
    "kelvin",
    "newton",
    "pascal",
    "ampere",
    "amp",
    "atm",
    "atmosphere",
    "ohm",
    "day",
    "week",
    "month",
    "year",
    "dollar",
    "euro",
    "cent",
    "usd",
    "eur",
    "gbp",
];

/// Whether a word is a unit of measure: a short form ([`UNITS`]), a full name of one
/// ([`UNIT_NAMES`]) or another unit written in full (`inches`, `tablespoons`).
pub fn is_unit(w: &str) -> bool {
    let w = w.to_lowercase();
    let one = crate::align::stem(&w);
    UNITS.contains(&w.as_str())
        || UNIT_NAMES.iter().any(|(_, names)| names.contains(&w.as_str()) || names.contains(&one.as_str()))
        || UNIT_WORDS.contains(&one.as_str())
}

/// Whether two words name the same unit: the same word, or a unit's full name and a
/// short form of it (`kg` and `kilograms`, `hrs` and `hours`).
pub fn same_unit(a: &str, b: &str) -> bool {
    let canonical = |w: &str| {
        let w = w.to_lowercase();
        let one = crate::align::stem(&w);
        UNIT_NAMES
            .iter()
            .find(|(short, names)| *short == w || names.contains(&w.as_str()) || names.contains(&one.as_str()))
            .map_or(w, |(short, _)| short.to_string())
    };
    crate::align::same_word(&a.to_lowercase(), &b.to_lowercase()) || canonical(a) == canonical(b)
}

/// Whether `w` is written in degrees and `unit` is a temperature's (`72 degrees` for
/// a key in Fahrenheit): a number such a key may take, though not one written in its
/// unit.
pub fn degrees_of(unit: &str, w: &str) -> bool {
    same_unit(w, "deg") && ["c", "f", "kelvin"].iter().any(|t| same_unit(unit, t))
}

/// Whether a key's name ends in a unit (`charge_pct`, `wind_kmh`, `uptime_h`).
pub fn unit_of_key(key: &str) -> Option<String> {
    let words = crate::align::words(key);
    words.last().filter(|w| words.len() > 1 && UNITS.contains(&w.as_str())).cloned()
}

/// A token naming a thing: letters with digits (`B1004`), or parts joined by `-`/`_`
/// (`greenhouse-7`, `pump_2`); not a plain number or word.
pub fn is_identifier(t: &str) -> bool {
    let has_digit = t.bytes().any(|c| c.is_ascii_digit());
    let has_alpha = t.bytes().any(|c| c.is_ascii_alphabetic());
    let joined = t.contains(['-', '_']) && !t.starts_with(['-', '_']) && !t.ends_with(['-', '_']);
    !t.is_empty()
        && t.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && has_alpha
        && (has_digit || joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(is_date("2024-05-01") && is_date("2024-05-01T10:00:00") && !is_date("2024-5-1"));
        assert!(is_time("10:32") && is_time("10:32:05") && !is_time("10:32:05:1") && !is_time("a:b"));
        assert!(is_time("7pm") && is_time("7:30AM") && is_time("11 p.m.") && !is_time("13pm") && !is_time("pm"));
        assert!(!is_time("spam") && !is_time("7:3pm") && !is_time("0am"));
        assert!(!is_time("1:1") && !is_time("10:75") && !is_time("31:20") && is_time("7:05"), "a ratio, no clock");
        assert!(same_unit("kg", "kilograms") && same_unit("Hours", "hrs") && same_unit("feet", "ft"));
        assert!(!same_unit("kg", "grams") && !same_unit("in", "inches") && !same_unit("m", "miles"));
        assert!(is_web_address("staging.example.io") && is_web_address("https://example.com/a/b"));
        assert!(!is_web_address("3.5") && !is_web_address("e.g") && !is_web_address("a@b.com"));
        assert!(!is_web_address("node.js") && !is_web_address("div.price") && is_web_address("www.shop.store"));
        assert!(is_unit("inches") && is_unit("Tablespoons") && is_unit("kg") && is_unit("feet") && is_unit("hrs"));
        assert!(!is_unit("tonight") && !is_unit("please") && !is_unit("square"));
        assert!(is_unit("degrees") && same_unit("degrees", "deg") && !same_unit("degrees", "Fahrenheit"));
        assert!(degrees_of("Fahrenheit", "degrees") && !degrees_of("kg", "degrees") && !same_unit("celsius", "f"));
        assert!(is_email("a.b@c.example") && !is_email("@c.example") && !is_email("a@b"));
        assert!(is_identifier("greenhouse-7") && is_identifier("B1004") && is_identifier("pump_2"));
        assert!(!is_identifier("Node") && !is_identifier("23.4") && !is_identifier("-x"));
        assert!(
            is_ipv4("10.0.4.17")
                && !is_ipv4("10.0.4")
                && !is_ipv4("300.1.1.1")
                && !is_ipv4("1.2.3.4.5")
                && !is_ipv4("+1.+2.+3.+4")
        );
        assert!(is_mac("dc:a6:32:01:7e:55") && is_mac("00-1A-2B-3C-4D-5E") && !is_mac("dc:a6:32:01:7e"));
        assert!(
            of_name("ip_address").is_some_and(|f| f("10.0.4.17"))
                && of_name("mac").is_some_and(|f| f("00:1a:2b:3c:4d:5e"))
        );
    }
}
