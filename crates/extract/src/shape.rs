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

/// The shape a key's last word names: a time (`start_time`), an e-mail address.
pub fn of_name(key: &str) -> Option<fn(&str) -> bool> {
    match crate::align::words(key).last().map(String::as_str) {
        Some("time") => Some(is_time),
        Some("email") => Some(is_email),
        _ => None,
    }
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

/// `10:32`, `10:32:05`.
pub fn is_time(t: &str) -> bool {
    let parts: Vec<&str> = t.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()))
}

/// `a.b@c.example`.
pub fn is_email(t: &str) -> bool {
    match t.split_once('@') {
        Some((user, host)) => !user.is_empty() && host.contains('.') && !host.starts_with('.') && !t.contains(' '),
        None => false,
    }
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
        assert!(is_email("a.b@c.example") && !is_email("@c.example") && !is_email("a@b"));
        assert!(is_identifier("greenhouse-7") && is_identifier("B1004") && is_identifier("pump_2"));
        assert!(!is_identifier("Node") && !is_identifier("23.4") && !is_identifier("-x"));
    }
}
