//! Times of day as prose writes them (`3:30pm`, `8 p.m.`, `20:00`), written back in
//! the layout a key asks for (24-hour `HH:MM` where its description says so).

/// The times `text` writes, as written, in order: one piece (`7pm`, `10:30`), or a
/// clock and its `am`/`pm` written apart (`3:30 pm`).
pub fn written(text: &str) -> Vec<String> {
    let pieces: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || ",;()\"'`".contains(c))
        .map(|t| t.trim_end_matches(['!', '?', ',', ':']))
        .filter(|t| !t.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        // (a sentence's last `.` is no part of a time, but for `p.m.`)
        let piece = if crate::shape::is_time(piece) { piece } else { piece.trim_end_matches('.') };
        // (`p.m.` keeps its last dot; `pm.` ends a sentence)
        let half = pieces.get(i + 1).map(|n| n.trim_end_matches('.')).filter(|n| is_half(n));
        // (`noon` and `midnight` are times of their own, in lower case after a word
        // that places a time: `at noon`, `until midnight`; not `Midnight in Paris`,
        // `midnight blue`)
        let placed = i > 0
            && matches!(
                pieces[i - 1].to_ascii_lowercase().as_str(),
                "at" | "by" | "until" | "till" | "before" | "after" | "around" | "about" | "from" | "to" | "past"
            );
        if matches!(piece, "noon" | "midnight") && placed {
            let time = piece.to_string();
            if !out.contains(&time) {
                out.push(time);
            }
            continue;
        }
        let time = match half {
            Some(h) if crate::shape::is_time(&format!("{piece}{h}")) && h.contains('.') => format!("{piece} {h}."),
            Some(h) if crate::shape::is_time(&format!("{piece}{h}")) => format!("{piece} {h}"),
            _ if crate::shape::is_time(piece) => piece.to_string(),
            _ => continue,
        };
        if !out.contains(&time) {
            out.push(time);
        }
    }
    out
}

/// `am`, `pm`, `a.m`, `p.m`.
fn is_half(w: &str) -> bool {
    matches!(w.to_ascii_lowercase().as_str(), "am" | "pm" | "a.m" | "p.m")
}

/// The hours, minutes and seconds of a time `is_time` reads, or of `noon` and
/// `midnight`.
fn read(t: &str) -> Option<(u32, u32, Option<u32>)> {
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "noon" => return Some((12, 0, None)),
        "midnight" => return Some((0, 0, None)),
        _ => {}
    }
    let (clock, pm) = match ["am", "a.m.", "a.m", "pm", "p.m.", "p.m"]
        .iter()
        .find_map(|h| lower.strip_suffix(h).map(|c| (c, h.starts_with('p'))))
    {
        Some((c, pm)) => (c.trim_end(), Some(pm)),
        None => (lower.as_str(), None),
    };
    let mut parts = clock.split(':').map(|p| p.parse::<u32>().ok());
    let h = parts.next()??;
    let m = parts.next().unwrap_or(Some(0))?;
    let s = match parts.next() {
        Some(s) => Some(s?),
        None => None,
    };
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    (h < 24 && m < 60 && s.is_none_or(|s| s < 60)).then_some((h, m, s))
}

/// A time written as `t`, in the layout `description` asks: 24-hour `HH:MM` (or
/// `HH:MM:SS`) where the time has its `am`/`pm` and the description says `24-hour`
/// or `HH:MM`, and not `am`/`pm`, `12-hour` or a date's `YYYY`; else as written.
pub fn layout(t: &str, description: &str) -> String {
    let d = description.to_lowercase();
    // (`e.g. 10:30 AM`, `hh:mm a`: a 12-hour clock; `YYYY-MM-DDTHH:MM`: a date and time)
    let said = crate::align::words(&d);
    let twelve = d.contains("12-hour")
        || d.contains("12 hour")
        || d.contains("a.m.")
        || d.match_indices("hh:mm a").any(|(i, m)| !d[i + m.len()..].starts_with(char::is_alphabetic))
        || d.contains("yyyy")
        || said.iter().any(|w| w == "am" || w == "pm");
    let seconds = d.contains("hh:mm:ss");
    let asks = d.contains("24-hour") || d.contains("24 hour") || d.contains("24h") || d.contains("hh:mm");
    // (a time with no `am`/`pm` is read as written: `7:30 tonight` is no `07:30`)
    let lower = t.to_ascii_lowercase();
    let half = lower.trim_end_matches('.').ends_with('m') || lower == "noon" || lower == "midnight";
    match read(t) {
        Some((h, m, s)) if asks && !twelve && half => match (seconds, s) {
            (true, s) => format!("{h:02}:{m:02}:{:02}", s.unwrap_or(0)),
            (false, _) => format!("{h:02}:{m:02}"),
        },
        _ => t.to_string(),
    }
}

/// The date and time a key for both asks (`format: date-time`, `YYYY-MM-DDTHH:MM`,
/// an example such as `2025-01-31T09:00`), from the one date with a year and the one
/// time with its `am`/`pm` (or in 24 hours) that the text writes: `at 7 pm on May 10,
/// 2026` is `2026-05-10T19:00`, with seconds where the key's example or layout has
/// them; `None` where it asks for no such thing or the text writes other than one of
/// each.
pub fn date_time(text: &str, description: &str, format: Option<&str>) -> Option<String> {
    let seconds = asks_date_time(description, format)?;
    let dates: Vec<String> =
        crate::date::written(text).into_iter().filter_map(|x| crate::date::layout(x, "")).collect();
    let [date] = &dates[..] else { return None };
    let times = written(text);
    let [time] = &times[..] else { return None };
    let laid = layout(time, if seconds { "24-hour HH:MM:SS" } else { "24-hour HH:MM" });
    let clock = laid.as_bytes();
    (clock.len() >= 5 && clock[2] == b':' && clock[..2].iter().all(u8::is_ascii_digit))
        .then(|| format!("{date}T{laid}"))
}

/// Whether a key asks for a date and a time (`format: date-time`, `YYYY-MM-DDTHH:MM`,
/// an example such as `2025-01-31T09:00`): `Some(true)` where with seconds.
pub fn asks_date_time(description: &str, format: Option<&str>) -> Option<bool> {
    let d = description.to_lowercase();
    let example = d.split(|c: char| c.is_whitespace() || "'\"`(),".contains(c)).find(|w| {
        let b = w.as_bytes();
        b.len() >= 16 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[10] == b't' && b[13] == b':'
    });
    if format != Some("date-time") && !d.contains("yyyy-mm-ddthh") && example.is_none() {
        return None;
    }
    Some(d.contains("hh:mm:ss") || example.is_some_and(|e| e.len() >= 19 && e.as_bytes()[16] == b':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_written_and_in_24_hours() {
        assert_eq!(written("at 3:30pm? It takes 45 minutes."), ["3:30pm"]);
        assert_eq!(written("at 7pm. Or 11 p.m."), ["7pm", "11 p.m."]);
        assert_eq!(written("at 8 p.m. on Friday, or 9 pm."), ["8 p.m.", "9 pm"]);
        assert_eq!(written("from 10:15 to 11:00."), ["10:15", "11:00"]);
        assert_eq!(written("spam at 13pm, 7:3pm"), Vec::<String>::new());
        let h24 = "Start time in 24-hour HH:MM format.";
        assert_eq!(layout("3:30pm", h24), "15:30");
        assert_eq!(layout("8 p.m.", h24), "20:00");
        assert_eq!(layout("12am", h24), "00:00");
        assert_eq!(layout("12:15 PM", h24), "12:15");
        assert_eq!(layout("7:30", h24), "7:30", "no am or pm: as written");
        assert_eq!(layout("7pm", "Time in HH:MM:SS."), "19:00:00");
        assert_eq!(layout("7pm", "The time of the meeting."), "7pm", "no layout asked: as written");
        assert_eq!(layout("7pm", "Time, e.g. 7:00 PM (12-hour clock, HH:MM AM/PM)."), "7pm");
        assert_eq!(layout("3:30pm", "Time in HH:MM format, e.g. 10:30 AM."), "3:30pm");
        assert_eq!(layout("3pm", "Start in YYYY-MM-DDTHH:MM:SS."), "3pm");
        assert_eq!(layout("4:30pm", "Time as hh:mm a (04:30 PM)."), "4:30pm");
        assert_eq!(layout("4:30pm", "Time as hh:mm and 24-hour."), "16:30");
    }

    #[test]
    fn a_date_and_a_time_joined_where_a_key_asks_for_both() {
        let iso = "The date and time in ISO 8601 format, e.g. '2025-01-31T09:00'.";
        let text = "remind me to call mom at 7 pm on Sunday, May 10, 2026";
        assert_eq!(date_time(text, iso, None).as_deref(), Some("2026-05-10T19:00"));
        assert_eq!(date_time(text, "When.", Some("date-time")).as_deref(), Some("2026-05-10T19:00"));
        assert_eq!(date_time(text, "Start, YYYY-MM-DDTHH:MM:SS.", None).as_deref(), Some("2026-05-10T19:00:00"));
        assert_eq!(date_time(text, "The date of the reminder.", None), None, "no time asked");
        assert_eq!(date_time("call mom at 7 pm or 8 pm on May 10, 2026", iso, None), None, "two times");
        assert_eq!(date_time("call mom at 7:30 on May 10, 2026", iso, None), None, "no am or pm: which 7:30");
    }
}
