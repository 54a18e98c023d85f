//! How often: a choice of frequency (`weekly`, `biweekly`, `quarterly`) is the one the
//! text says in other words (`every two weeks`, `twice a year`, `each quarter`).

use super::choices::enum_strings;
use crate::plan::{Field, Part, Presence};
use crate::value::Candidate;
use serde_json::Value;

/// Choices that name a frequency, by the days between two times (their words joined,
/// without `-`, `_` or spaces, in lower case), months of 30 days and years of 360.
const CHOICES: [(&str, u32); 20] = [
    ("daily", 1),
    ("everyday", 1),
    ("weekly", 7),
    ("biweekly", 14),
    ("fortnightly", 14),
    ("everytwoweeks", 14),
    ("semimonthly", 15),
    ("twicemonthly", 15),
    ("twiceamonth", 15),
    ("monthly", 30),
    ("bimonthly", 60),
    ("quarterly", 90),
    ("semiannually", 180),
    ("semiannual", 180),
    ("halfyearly", 180),
    ("biannually", 180),
    ("annually", 360),
    ("annual", 360),
    ("yearly", 360),
    ("everyyear", 360),
];

/// The days of a period's name (`week` 7), and of a count of them.
fn period_days(w: &str) -> Option<u32> {
    match crate::align::stem(w).as_str() {
        "day" => Some(1),
        "week" => Some(7),
        "fortnight" => Some(14),
        "month" => Some(30),
        "quarter" => Some(90),
        "year" => Some(360),
        _ => None,
    }
}

/// The days between two times that the text says in other words than a choice's,
/// where it says one: `every two weeks`, `every other week`, `every 3 months`, `each
/// quarter`, `once a month`, `twice a year`, `fortnightly`.
pub(super) fn said_days(text: &str) -> Option<u32> {
    let ws: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let count = |w: &str| match w {
        "other" | "two" | "2" => Some(2),
        "three" | "3" => Some(3),
        "four" | "4" => Some(4),
        "six" | "6" => Some(6),
        _ => None,
    };
    let mut said: Vec<u32> = Vec::new();
    for (i, w) in ws.iter().enumerate() {
        let next = |k: usize| ws.get(i + k).map(String::as_str).unwrap_or("");
        let found = match w.as_str() {
            "every" | "each" => match (period_days(next(1)), count(next(1)).zip(period_days(next(2)))) {
                (Some(d), _) => Some(d),
                (None, Some((n, d))) => Some(n * d),
                _ => None,
            },
            "once" | "twice" if matches!(next(1), "a" | "per" | "every") => {
                period_days(next(2)).map(|d| if w == "twice" { d / 2 } else { d })
            }
            // (a choice's own word is read where it is written; `annual interest` says
            // no frequency)
            "fortnightly" => Some(14),
            _ => None,
        };
        said.extend(found);
    }
    said.dedup();
    match said[..] {
        [d] => Some(d),
        _ => None,
    }
}

/// A key whose choices name frequencies takes the one whose days the text says.
pub(super) fn frequency_choices(fields: &mut [Field], text: &str) {
    let Some(days) = said_days(text) else { return };
    // (the schema's one such key: `contribution_frequency` beside
    // `compounding_frequency` says which is whose in its words)
    let frequencies = fields
        .iter()
        .filter(|f| {
            f.part
                .schema()
                .and_then(enum_strings)
                .is_some_and(|c| c.iter().filter(|c| of_choice(c).is_some()).count() >= 2)
        })
        .count();
    if frequencies != 1 {
        return;
    }
    // (not a key settled before: `period_type: weekly` as written)
    let settled = |f: &Field| matches!(&f.part, Part::Scalar { candidates, .. } if candidates.len() == 1);
    for f in fields.iter_mut().filter(|f| f.presence == Presence::Present && !settled(f)) {
        let Some(choices) = f.part.schema().and_then(enum_strings) else { continue };
        if choices.iter().filter(|c| of_choice(c).is_some()).count() < 2 {
            continue;
        }
        let fit: Vec<&String> = choices.iter().filter(|c| of_choice(c) == Some(days)).collect();
        let [one] = fit[..] else { continue };
        let Some(schema) = f.part.schema().cloned() else { continue };
        f.part = Part::Scalar { candidates: vec![Candidate { value: Value::String(one.clone()), score: 0.9 }], schema };
    }
}

/// The days between two times a choice names ([`CHOICES`]), if it names a frequency.
fn of_choice(c: &str) -> Option<u32> {
    let joined: String = c.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    CHOICES.iter().find(|(n, _)| *n == joined).map(|&(_, d)| d)
}
