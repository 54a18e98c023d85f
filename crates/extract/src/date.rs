//! Calendar dates as prose writes them (`April 4th`, `15th October, 2023`,
//! `Jun.20,2023`, `2022/08/16`), read into year, month and day, and written back in
//! the layout a key asks for (`YYYY-MM-DD` unless its description names another).

/// A date the text writes; `year` is `None` where the text gives none anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: Option<u32>,
    pub month: u32,
    pub day: u32,
}

/// The name of month `m` (1 to 12), capitalised: `November`.
pub fn month_name(m: u64) -> Option<String> {
    let name = MONTHS.get(usize::try_from(m).ok()?.checked_sub(1)?)?;
    let mut chars = name.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect())
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The dates `text` writes, in order. A date without a year takes the year the text
/// writes nearest before it, else after it (`from 2023 April 4th to April 8th`).
pub fn written(text: &str) -> Vec<Date> {
    found(text).into_iter().map(|(_, d)| d).collect()
}

/// The dates `text` writes, as it writes them (`March 3rd, 2024`, `2024-03-03`).
pub fn written_as(text: &str) -> Vec<&str> {
    found(text).into_iter().map(|(at, _)| &text[at]).collect()
}

/// The dates `text` writes, each with where it writes it (in bytes).
pub fn found(text: &str) -> Vec<(std::ops::Range<usize>, Date)> {
    let mut places: Vec<std::ops::Range<usize>> = Vec::new();
    for (at, c) in text.char_indices() {
        match places.last_mut() {
            Some(w) if c.is_alphanumeric() && w.end == at => w.end = at + c.len_utf8(),
            _ if c.is_alphanumeric() => places.push(at..at + c.len_utf8()),
            _ => {}
        }
    }
    let words: Vec<String> = places.iter().map(|w| text[w.clone()].to_lowercase()).collect();
    let mut found: Vec<(usize, usize, Date)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = |k: usize| words.get(i + k).map(String::as_str);
        let at = |k: usize, f: fn(&str) -> Option<u32>| w(k).and_then(f);
        if let Some(both) = one_month_range(text, &places, &words, i) {
            i = both[1].0 + both[1].1;
            found.extend(both);
            continue;
        }
        let date = if let (Some(y), Some(m), Some(d)) = (at(0, year), at(1, month), at(2, day)) {
            Some((3, Date { year: Some(y), month: m, day: d }))
        } else if let (Some(m), Some(d)) = (at(0, month), at(1, day)) {
            let y = at(2, year);
            Some((2 + usize::from(y.is_some()), Date { year: y, month: m, day: d }))
        } else if let (Some(d), Some(m)) = (at(0, day), at(1, month)) {
            let y = at(2, year);
            Some((2 + usize::from(y.is_some()), Date { year: y, month: m, day: d }))
        } else {
            numeric(&words[i..])
        };
        match date {
            Some((len, d)) if d.day <= days_in(d.month, d.year) => {
                found.push((i, len, d));
                i += len;
            }
            _ => i += 1,
        }
    }
    // (a date without its year takes one the text writes elsewhere, of this era: not
    // the 1200 of `$1200 due march 3`)
    let years: Vec<(usize, u32)> = words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| year(w).filter(|y| (1900..=2100).contains(y)).map(|y| (i, y)))
        .collect();
    found
        .into_iter()
        .map(|(i, len, mut d)| {
            if d.year.is_none() {
                let before = years.iter().rev().find(|(at, _)| *at < i);
                d.year = before.or_else(|| years.iter().find(|(at, _)| *at > i)).map(|(_, y)| *y);
            }
            (places[i].start..places[i + len - 1].end, d)
        })
        .filter(|(_, d)| d.day <= days_in(d.month, d.year))
        .collect()
}

/// Two dates of one month written as a range from word `i` (`May 14 to 18, 2025`,
/// `May 14-18`, `the 14th to the 18th of May 2025`, `14-18 May`), each with its first
/// word and its number of words; the second day after the first.
fn one_month_range(
    text: &str,
    places: &[std::ops::Range<usize>],
    words: &[String],
    i: usize,
) -> Option<[(usize, usize, Date); 2]> {
    let w = |k: usize| words.get(i + k).map(String::as_str);
    let at = |k: usize, f: fn(&str) -> Option<u32>| w(k).and_then(f);
    // (a word that ends a range's first day, or a dash between the two)
    let to = |k: usize| matches!(w(k), Some("to" | "through" | "thru" | "until" | "till"));
    let dash = |k: usize| {
        places.get(i + k).is_some_and(|p| {
            let gap = text[places[i + k - 1].end..p.start].trim();
            gap == "-" || gap == "–"
        })
    };
    // (the day after the first: past `to` and a `the`, or right after a dash)
    let second = |k: usize| -> Option<usize> {
        if to(k) {
            let k = k + 1 + usize::from(w(k + 1) == Some("the"));
            at(k, day).map(|_| k)
        } else {
            (dash(k) && at(k, day).is_some()).then_some(k)
        }
    };
    let (first_len, month, d1, k) = if let (Some(m), Some(d)) = (at(0, month), at(1, day)) {
        (2, m, d, second(2)?)
    } else {
        let d = at(0, day)?;
        let k = second(1)?;
        let m_at = k + 1 + usize::from(w(k + 1) == Some("of"));
        (1, at(m_at, month)?, d, k)
    };
    let d2 = at(k, day)?;
    // (the year after the second day, or after its month)
    let end = if first_len == 2 { k } else { k + 1 + usize::from(w(k + 1) == Some("of")) };
    let year = at(end + 1, year);
    let len = end + 1 + usize::from(year.is_some()) - k;
    // (and then the phrase ends: not `May 14 to 18 guests`)
    let last = i + k + len - 1;
    let after = text[places[last].end..].trim_start();
    let closed = after.is_empty()
        || after.starts_with(|c: char| !c.is_alphanumeric())
        || words.get(last + 1).is_some_and(|n| {
            matches!(
                n.as_str(),
                "and" | "or" | "for" | "at" | "in" | "on" | "with" | "from" | "to" | "until" | "this" | "next"
            )
        });
    if !closed {
        return None;
    }
    (d2 > d1 && d2 <= days_in(month, year))
        .then(|| [(i, first_len, Date { year, month, day: d1 }), (i + k, len, Date { year, month, day: d2 })])
}

/// Days of `month` in `year` (29 in February of an unknown year).
fn days_in(month: u32, year: Option<u32>) -> u32 {
    match month {
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `2022 08 16` (from `2022/08/16` or `2022-08-16`), `08 16 2022` (month first, where
/// both could be) or `16 08 2022` (day first).
fn numeric(w: &[String]) -> Option<(usize, Date)> {
    let n = |k: usize| w.get(k).filter(|s| s.bytes().all(|b| b.is_ascii_digit())).and_then(|s| s.parse::<u32>().ok());
    let (a, b, c) = (n(0)?, n(1)?, n(2)?);
    let month_day = |m: u32, d: u32| (1..=12).contains(&m) && (1..=31).contains(&d);
    if w[0].len() == 4 && month_day(b, c) {
        return Some((3, Date { year: Some(a), month: b, day: c }));
    }
    if w[2].len() == 4 && month_day(a, b) {
        return Some((3, Date { year: Some(c), month: a, day: b }));
    }
    // Day first where the first number cannot be a month: `16/08/2022`.
    if w[2].len() == 4 && month_day(b, a) {
        return Some((3, Date { year: Some(c), month: b, day: a }));
    }
    None
}

/// Whether `text` is a date and nothing else (`June 3rd`, `3 June, 2024`,
/// `2024/06/03`): one date is written, and every word is part of a date.
pub fn only(text: &str) -> bool {
    let mut words = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase);
    let dated = |w: &str| w.bytes().all(|b| b.is_ascii_digit()) || day(w).is_some() || month(w).is_some();
    written(text).len() == 1 && words.all(|w| dated(&w))
}

fn year(w: &str) -> Option<u32> {
    (w.len() == 4).then(|| w.parse::<u32>().ok()).flatten().filter(|y| (1000..3000).contains(y))
}

/// The month a lower-case word names, 1 to 12: `april`, `apr`, `sept`.
pub fn month(w: &str) -> Option<u32> {
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| m.starts_with(w)).and_then(|n| u32::try_from(n + 1).ok())
}

/// `4`, `4th`, `21st`.
fn day(w: &str) -> Option<u32> {
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &w[digits..];
    if digits == 0 || digits > 2 || !(rest.is_empty() || ["st", "nd", "rd", "th"].contains(&rest)) {
        return None;
    }
    w[..digits].parse().ok().filter(|d| (1..=31).contains(d))
}

/// The date in the layout `description` names (`MM-DD-YYYY`, `DD-MM-YYYY`,
/// `month-day-year`), else ISO `YYYY-MM-DD`; `None` without a year.
pub fn layout(d: Date, description: &str) -> Option<String> {
    let y = d.year?;
    let desc = description.to_lowercase();
    Some(if desc.contains("mm-dd-yyyy") || desc.contains("month-day-year") {
        format!("{:02}-{:02}-{y}", d.month, d.day)
    } else if desc.contains("dd-mm-yyyy") || desc.contains("day-month-year") {
        format!("{:02}-{:02}-{y}", d.day, d.month)
    } else {
        format!("{y}-{:02}-{:02}", d.month, d.day)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> Vec<String> {
        written(text).into_iter().filter_map(|d| layout(d, "")).collect()
    }

    #[test]
    fn dates_in_words_and_digits() {
        assert_eq!(iso("from 2023 April 4th to April 8th"), ["2023-04-04", "2023-04-08"]);
        assert_eq!(iso("starting from 15th October,2023."), ["2023-10-15"]);
        assert_eq!(iso("this weekend, Jun.20,2023"), ["2023-06-20"]);
        assert_eq!(iso("on 2022/08/16 and 04/27/2022"), ["2022-08-16", "2022-04-27"]);
        assert_eq!(iso("March 3 nights, may I"), Vec::<String>::new(), "no year anywhere: no date to write");
        let d = written("from July 10, 2022")[0];
        assert_eq!(layout(d, "The format is MM-DD-YYYY.").as_deref(), Some("07-10-2022"));
        assert_eq!(layout(Date { year: None, month: 1, day: 2 }, ""), None);
        assert_eq!(iso("on 16/08/2022"), ["2022-08-16"], "day first where it cannot be a month");
        assert_eq!(iso("Feb 30, 2023 or 2023/02/29 or Feb 29, 2024"), ["2024-02-29"], "only days that exist");
        assert_eq!(written_as("on Sunday, May 10, 2026 or 2024/06/03."), ["May 10, 2026", "2024/06/03"]);
        assert_eq!(written_as("from 2023 April 4th to April 8th"), ["2023 April 4th", "April 8th"]);
    }

    #[test]
    fn two_days_of_one_month() {
        assert_eq!(iso("from the 14th to the 18th of may 2025"), ["2025-05-14", "2025-05-18"]);
        assert_eq!(iso("May 14 to 18, 2025"), ["2025-05-14", "2025-05-18"]);
        assert_eq!(iso("on May 14-18, 2025"), ["2025-05-14", "2025-05-18"]);
        assert_eq!(iso("14-18 May 2025"), ["2025-05-14", "2025-05-18"]);
        assert_eq!(written_as("May 14 to 18, 2025"), ["May 14", "18, 2025"]);
        // (not a second day before the first, nor numbers that are no days)
        assert_eq!(iso("May 18 to 14, 2025"), ["2025-05-18"]);
        assert_eq!(iso("May 14, 2025 to 300 people"), ["2025-05-14"]);
        assert_eq!(iso("on May 14 to 18 guests, 2025"), ["2025-05-14"]);
    }

    #[test]
    fn a_date_and_nothing_else() {
        assert!(only("June 3rd") && only("3 June, 2024") && only("2024/06/03"));
        assert!(!only("the June 3 gala") && !only("June 3 to June 5") && !only("June"));
    }
}
