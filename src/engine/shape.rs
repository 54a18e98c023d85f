//! Value shapes: what a key's value looks like when its schema `format`, its name
//! or its description says what it holds (`time`, `*_date`, `ip`, `mac`, `email`,
//! `currency`), and where text writes values of that shape.
//!
//! A shaped key takes only values of its shape that the text writes, in the text's
//! own spelling (`Sep 3 2026`, `14.08.2026` for a date; `06:45 UTC` for a time):
//! lenient about the spelling, strict about the kind, so a time is never `-9.4` and
//! a MAC address never the IP address beside it.

use regex::Regex;
use serde_json::Value;
use std::sync::OnceLock;

/// The kinds of value a key can be known to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A time of day, with its date and zone where the text writes them.
    Time,
    /// A calendar date, with its time where the text writes one right after it.
    Date,
    Email,
    Ipv4,
    Mac,
    /// An ISO 4217 currency code.
    Currency,
}

/// The shape a string key holds: from its `format`, else from the words of its name
/// and description (`scanned_at`, "start time as written", `next_due`).
pub fn shape_of(key: &str, schema: &Value, key_words: &[String]) -> Option<Shape> {
    match schema.get("format").and_then(Value::as_str) {
        Some("time" | "date-time") => return Some(Shape::Time),
        Some("date") => return Some(Shape::Date),
        Some("email" | "idn-email") => return Some(Shape::Email),
        Some("ipv4") => return Some(Shape::Ipv4),
        Some(_) => return None,
        None => {}
    }
    let description = schema.get("description").and_then(Value::as_str).unwrap_or("").to_lowercase();
    let mut words: Vec<&str> = description.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.extend(key_words.iter().map(String::as_str));
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    let lower = key.to_lowercase();
    if has(&["time", "timestamp"]) || lower.ends_with("_at") {
        Some(Shape::Time)
    } else if has(&["date", "due", "dob", "birthday"]) {
        Some(Shape::Date)
    } else if has(&["email", "mail"]) {
        Some(Shape::Email)
    } else if has(&["ip", "ipv4"]) {
        Some(Shape::Ipv4)
    } else if has(&["mac"]) {
        Some(Shape::Mac)
    } else if has(&["currency"]) {
        Some(Shape::Currency)
    } else {
        None
    }
}

const MONTH: &str = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.?";
const ISO_DATE: &str = r"\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2}";
const CLOCK: &str = r"\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:\s?[ap]\.?m\.?)?(?:Z|\s?UTC|\s?GMT|[+-]\d{2}:?\d{2})?";

fn date_pattern() -> String {
    let numeric = r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}";
    let day_month = format!(r"\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}");
    let month_day = format!(r"{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}");
    format!("{ISO_DATE}|{numeric}|{day_month}|{month_day}")
}

/// Where `text` writes values of `shape`, as written, in order, each once.
pub fn find(shape: Shape, text: &str) -> Vec<String> {
    static PATTERNS: OnceLock<Vec<(Option<Shape>, Regex)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        let date = date_pattern();
        [
            (Some(Shape::Time), format!(r"(?i)\b(?:(?:{date})(?:T|\s+|,\s*))?{CLOCK}")),
            (Some(Shape::Date), format!(r"(?i)\b(?:{date})(?:(?:T|\s+){CLOCK})?")),
            (Some(Shape::Email), r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+".to_string()),
            (Some(Shape::Ipv4), r"\b\d{1,3}(?:\.\d{1,3}){3}\b".to_string()),
            (Some(Shape::Mac), r"(?i)\b[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}\b".to_string()),
            (Some(Shape::Currency), r"\b[A-Za-z]{3}\b".to_string()),
            (None, format!(r"(?i){CLOCK}$")),
        ]
        .into_iter()
        .filter_map(|(s, p)| Regex::new(&p).ok().map(|r| (s, r)))
        .collect()
    });
    let regex = |s: Option<Shape>| patterns.iter().find(|(k, _)| *k == s).map(|(_, r)| r);
    let Some(pattern) = regex(Some(shape)) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    let mut push = |v: &str| {
        let v = v.trim().trim_end_matches(',');
        if !v.is_empty() && !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    };
    for m in pattern.find_iter(text) {
        let value = m.as_str();
        if !standalone(text, m.start(), m.end(), shape) {
            continue;
        }
        push(value);
        // The time or the date alone too, where the text writes both together.
        let clock = match shape {
            Shape::Time | Shape::Date => regex(None).and_then(|r| r.find(value)),
            _ => None,
        };
        match (shape, clock) {
            (Shape::Time, Some(clock)) => push(clock.as_str()),
            (Shape::Date, Some(clock)) => push(value[..clock.start()].trim_end_matches(['T', ' ', ','])),
            _ => {}
        }
    }
    out
}

/// Whether the match at `start..end` is a whole value, not part of a longer token
/// (`10.2.218` in an IP address, `ORD` in `ORD-15833`), and, for a currency, a code.
fn standalone(text: &str, start: usize, end: usize, shape: Shape) -> bool {
    let before = text[..start].chars().next_back();
    let mut after = text[end..].chars();
    let (next, second) = (after.next(), after.next());
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let joins = |c: Option<char>| c.is_some_and(|c| matches!(c, '.' | ':' | '/' | '-'));
    if word(before) || word(next) || (joins(next) && word(second)) {
        return false;
    }
    match shape {
        Shape::Currency => !joins(before) && CURRENCIES.contains(&text[start..end].to_uppercase().as_str()),
        Shape::Email => true,
        _ => {
            !(joins(before) && text[..start.saturating_sub(1)].chars().next_back().is_some_and(|c| c.is_ascii_digit()))
        }
    }
}

/// ISO 4217 codes in common use.
const CURRENCIES: &[&str] = &[
    "USD", "EUR", "GBP", "JPY", "CNY", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "INR", "AUD",
    "CAD", "NZD", "BRL", "MXN", "ZAR", "KRW", "SGD", "HKD", "TRY", "AED", "SAR", "ILS", "THB", "IDR", "MYR", "PHP",
    "VND", "ARS", "CLP", "COP", "PEN", "EGP", "NGN", "KES", "UAH", "ISK", "TWD", "PKR", "BDT",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(key: &str) -> Vec<String> {
        key.split('_').map(str::to_string).collect()
    }

    #[test]
    fn shapes_come_from_format_name_and_description() {
        let s = |key: &str, schema: Value| shape_of(key, &schema, &words(key));
        assert_eq!(s("time", json!({"type": "string"})), Some(Shape::Time));
        assert_eq!(s("scanned_at", json!({"type": "string"})), Some(Shape::Time));
        assert_eq!(s("started", json!({"description": "start time as written"})), Some(Shape::Time));
        assert_eq!(s("next_due", json!({})), Some(Shape::Date));
        assert_eq!(s("when", json!({"format": "date"})), Some(Shape::Date));
        assert_eq!(s("mac", json!({})), Some(Shape::Mac));
        assert_eq!(s("ip", json!({})), Some(Shape::Ipv4));
        assert_eq!(s("currency", json!({})), Some(Shape::Currency));
        assert_eq!(s("uptime_h", json!({"description": "uptime in hours"})), None);
        assert_eq!(s("address", json!({"description": "postal address"})), None);
        assert_eq!(s("x", json!({"format": "uri"})), None);
    }

    #[test]
    fn values_are_found_as_written() {
        assert_eq!(find(Shape::Time, "T=-9.4 C, RH 50%"), Vec::<String>::new());
        assert_eq!(find(Shape::Time, "RH:50% | at:06:45 UTC | T:33.1C"), ["06:45 UTC"]);
        assert_eq!(find(Shape::Time, "date: 2026-03-04 14:20"), ["2026-03-04 14:20", "14:20"]);
        assert_eq!(find(Shape::Time, "at 2026-05-01T09:30:00Z."), ["2026-05-01T09:30:00Z", "09:30:00Z"]);
        assert_eq!(
            find(Shape::Date, "On Sep 3 2026, due 14.08.2026 or June 9, 2026; 1 May 2026 and 2026-07-22"),
            ["Sep 3 2026", "14.08.2026", "June 9, 2026", "1 May 2026", "2026-07-22"]
        );
        assert_eq!(find(Shape::Date, "date: 2026-03-04 14:20"), ["2026-03-04 14:20", "2026-03-04"]);
        assert_eq!(find(Shape::Ipv4, "at 10.2.218.142, MAC 00:1a:2b:3c:4d:5e"), ["10.2.218.142"]);
        assert_eq!(find(Shape::Mac, "at 10.2.218.142, MAC 00:1a:2b:3c:4d:5e"), ["00:1a:2b:3c:4d:5e"]);
        assert_eq!(find(Shape::Email, "From: a.b@x.example, c@d.org."), ["a.b@x.example", "c@d.org"]);
        assert_eq!(find(Shape::Currency, "In SEK and order ORD-15833, cur: usd"), ["SEK", "usd"]);
    }
}
