//! Surface forms: one record written as a labelled block, prose, a log line, a terse
//! sensor string or an e-mail, with labels, their casing and the field order drawn per
//! example.

use super::{pools, Field, Form, Record, Rng, Val};

/// Per-example choices shared by every field of one text.
struct Style {
    case: Case,
    yes_no: (&'static str, &'static str),
}

#[derive(Clone, Copy)]
enum Case {
    AsWritten,
    Lower,
    Upper,
}

impl Style {
    fn draw(rng: &mut Rng) -> Self {
        let case = match rng.below(6) {
            0..=2 => Case::AsWritten,
            3..=4 => Case::Lower,
            _ => Case::Upper,
        };
        Style { case, yes_no: *rng.pick(&[("yes", "no"), ("true", "false"), ("Yes", "No"), ("y", "n")]) }
    }

    /// For values inside prose, log and terse text.
    fn plain() -> Self {
        Style { case: Case::AsWritten, yes_no: ("yes", "no") }
    }

    fn label(&self, text: &str) -> String {
        match self.case {
            Case::AsWritten => text.to_string(),
            Case::Lower => text.to_lowercase(),
            Case::Upper => text.to_uppercase(),
        }
    }
}

/// Writes `record` in `form`.
pub fn render(record: &Record, form: Form, rng: &mut Rng) -> String {
    let style = Style::draw(rng);
    let mut fields = record.fields.clone();
    rng.shuffle(&mut fields);
    match form {
        Form::Block => {
            let title = title(record, rng);
            format!("{title}\n{}", block(&fields, &style, rng))
        }
        Form::Prose => prose(record, &fields, rng),
        Form::Log => log(&fields, rng),
        Form::Terse => terse(&fields, rng),
        Form::Email => email(record, fields, &style, rng),
    }
}

fn title(record: &Record, rng: &mut Rng) -> String {
    let t = *rng.pick(record.titles);
    match rng.below(4) {
        0 => t.to_uppercase(),
        1 => format!("== {t} =="),
        _ => t.to_string(),
    }
}

fn label(field: &Field, rng: &mut Rng) -> &'static str {
    // Favour the first (full) labels; the short form is mostly for terse text.
    let n = field.labels.len();
    field.labels[rng.below(if n > 1 { n - 1 } else { 1 })]
}

fn scalar(value: &Val, style: &Style) -> String {
    match value {
        Val::Text(s) => s.clone(),
        Val::Num(t, unit) => format!("{t}{unit}"),
        Val::Bool(b) => (if *b { style.yes_no.0 } else { style.yes_no.1 }).to_string(),
        Val::Choice(_, text) => text.clone(),
        Val::Obj(_) | Val::List(_) => String::new(),
    }
}

fn is_objects(items: &[Val]) -> bool {
    items.iter().any(|v| matches!(v, Val::Obj(_)))
}

/// `Label: value` lines; nested objects and lists indented under their label.
fn block(fields: &[Field], style: &Style, rng: &mut Rng) -> String {
    let labels: Vec<String> = fields.iter().map(|f| style.label(label(f, rng))).collect();
    let align = rng.chance(0.25);
    let width = labels.iter().map(|l| l.len()).max().unwrap_or(0) + 1;
    let list_lines = rng.chance(0.5);
    let mut out = String::new();
    for (f, l) in fields.iter().zip(&labels) {
        let head = if align { format!("{:<width$} ", format!("{l}:")) } else { format!("{l}: ") };
        match &f.value {
            Val::Obj(sub) => {
                out += &format!("{l}:\n");
                for line in block(sub, style, rng).lines() {
                    out += &format!("  {line}\n");
                }
            }
            Val::List(items) if is_objects(items) => {
                out += &format!("{l}:\n");
                for item in items {
                    let Val::Obj(sub) = item else { continue };
                    if list_lines {
                        let parts: Vec<String> = sub
                            .iter()
                            .map(|s| format!("{}: {}", style.label(label(s, rng)), inline(&s.value, style)))
                            .collect();
                        out += &format!("  - {}\n", parts.join("; "));
                    } else {
                        for (i, line) in block(sub, style, rng).lines().enumerate() {
                            out += &format!("  {} {line}\n", if i == 0 { "-" } else { " " });
                        }
                    }
                }
            }
            Val::List(items) if list_lines && items.len() > 1 => {
                out += &format!("{l}:\n");
                for item in items {
                    out += &format!("  - {}\n", scalar(item, style));
                }
            }
            value => out += &format!("{head}{}\n", inline(value, style)),
        }
    }
    out.trim_end().to_string()
}

/// A value on one line: lists joined with commas, objects as `label value` pairs.
fn inline(value: &Val, style: &Style) -> String {
    match value {
        Val::List(items) => items.iter().map(|v| inline(v, style)).collect::<Vec<_>>().join(", "),
        Val::Obj(sub) => sub
            .iter()
            .map(|s| format!("{} {}", style.label(s.labels[0]), inline(&s.value, style)))
            .collect::<Vec<_>>()
            .join(", "),
        v => scalar(v, style),
    }
}

/// How prose says one field.
fn phrase(field: &Field, rng: &mut Rng) -> String {
    if let Val::Bool(b) = field.value {
        let (yes, no) = field.phrase.split_once('|').unwrap_or((field.phrase, field.phrase));
        return (if b { yes } else { no }).to_string();
    }
    let value = match &field.value {
        Val::Obj(sub) => sub.iter().map(|s| phrase(s, rng)).collect::<Vec<_>>().join(", "),
        Val::List(items) if is_objects(items) => items
            .iter()
            .filter_map(|v| match v {
                Val::Obj(sub) => Some(sub.iter().map(|s| phrase(s, rng)).collect::<Vec<_>>().join(" ")),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("; "),
        Val::List(items) => and_list(&items.iter().map(|v| scalar(v, &Style::plain())).collect::<Vec<_>>()),
        v => scalar(v, &Style::plain()),
    };
    if field.phrase.is_empty() {
        format!("{} {value}", label(field, rng).to_lowercase())
    } else {
        field.phrase.replace("{}", &value)
    }
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// Sentences of two or three phrases each, opened by the record's title.
fn prose(record: &Record, fields: &[Field], rng: &mut Rng) -> String {
    // A sentence that starts with a value keeps the value's own casing.
    let phrases: Vec<(String, bool)> = fields
        .iter()
        .map(|f| (phrase(f, rng), f.phrase.starts_with('{') && !matches!(f.value, Val::Bool(_))))
        .collect();
    let t = rng.pick(record.titles).to_lowercase();
    let opener = match rng.below(3) {
        0 => format!("New {t}: "),
        1 => format!("{} - ", capitalised(&t)),
        _ => String::new(),
    };
    let mut sentences = Vec::new();
    let mut rest = &phrases[..];
    while !rest.is_empty() {
        let take = (2 + rng.below(2)).min(rest.len());
        let text = and_list(&rest[..take].iter().map(|(p, _)| p.clone()).collect::<Vec<_>>());
        sentences.push(if rest[0].1 { text } else { capitalised(&text) } + ".");
        rest = &rest[take..];
    }
    format!("{opener}{}", sentences.join(" "))
}

/// One log line of `key=value` pairs, nested keys dotted; enum values bare up front and
/// a long free-text field last, as many loggers write them.
fn log(fields: &[Field], rng: &mut Rng) -> String {
    let by_key = rng.chance(0.5);
    let mut head = Vec::new();
    let mut pairs = Vec::new();
    let mut tail = None;
    for f in fields {
        match &f.value {
            Val::Choice(_, text) if rng.chance(0.7) => {
                head.push(if rng.chance(0.5) { format!("[{text}]") } else { text.clone() })
            }
            Val::Text(s) if tail.is_none() && s.contains(' ') && s.len() > 20 => tail = Some(s.clone()),
            _ => kv(f, "", by_key, rng, &mut pairs),
        }
    }
    let prefix = if rng.chance(0.4) { format!("{} ", rng.pick(pools::LOG_TAGS)) } else { String::new() };
    let mut line = format!("{prefix}{}", head.into_iter().chain(pairs).collect::<Vec<_>>().join(" "));
    if let Some(t) = tail {
        line += &format!(" {}{t}", if rng.chance(0.5) { "- " } else { "" });
    }
    line.trim().to_string()
}

fn kv(f: &Field, parent: &str, by_key: bool, rng: &mut Rng, out: &mut Vec<String>) {
    let name = if by_key { f.key.to_string() } else { label(f, rng).to_lowercase().replace(' ', "_") };
    let name = if parent.is_empty() { name } else { format!("{parent}.{name}") };
    match &f.value {
        Val::Obj(sub) => sub.iter().for_each(|s| kv(s, &name, by_key, rng, out)),
        Val::List(items) => {
            let joined = items.iter().map(|v| scalar(v, &Style::plain())).collect::<Vec<_>>().join(",");
            out.push(format!("{name}={}", quoted(&joined)));
        }
        Val::Bool(b) => out.push(format!("{name}={b}")),
        v => out.push(format!("{name}={}", quoted(&scalar(v, &Style::plain())))),
    }
}

fn quoted(s: &str) -> String {
    if s.contains(' ') {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

/// Short labels, values with their units; a leading name without a label.
fn terse(fields: &[Field], rng: &mut Rng) -> String {
    let sep = *rng.pick(&[" ", ", ", " | ", "; "]);
    let joint = *rng.pick(&["=", ":", " "]);
    let mut parts = Vec::new();
    let mut bare = None;
    for f in fields {
        let short = f.labels[f.labels.len() - 1];
        match &f.value {
            Val::Text(s) if bare.is_none() && !s.contains(' ') && rng.chance(0.6) => bare = Some(s.clone()),
            Val::Bool(_) => parts.push(phrase(f, rng)),
            Val::Obj(sub) => parts.extend(
                sub.iter()
                    .map(|s| format!("{}{joint}{}", s.labels[s.labels.len() - 1], inline(&s.value, &Style::plain()))),
            ),
            v => parts.push(format!("{short}{joint}{}", inline(v, &Style::plain()))),
        }
    }
    bare.into_iter().chain(parts).collect::<Vec<_>>().join(sep)
}

/// Headers and a body. E-mail records are their headers; any other record gets a
/// covering e-mail whose body is its block or prose.
fn email(record: &Record, fields: Vec<Field>, style: &Style, rng: &mut Rng) -> String {
    if record.headers {
        let mut headers = String::new();
        let mut body = rng.pick(pools::EMAIL_BODIES).to_string();
        for f in &fields {
            match f.value {
                Val::Bool(_) => body = format!("{body} {}", capitalised(&phrase(f, rng)) + "."),
                _ => headers += &format!("{}: {}\n", f.labels[0], inline(&f.value, style)),
            }
        }
        return format!("{headers}\n{body}\n\n{}", rng.pick(pools::SIGN_OFFS));
    }
    let from = rng.pick(pools::SENDERS);
    let subject = format!("{} {}", rng.pick(record.titles), rng.pick(pools::SUBJECT_TAILS));
    let body = if rng.chance(0.5) { block(&fields, style, rng) } else { prose(record, &fields, rng) };
    format!(
        "From: {from}\nSubject: {subject}\n\n{}\n\n{body}\n\n{}",
        rng.pick(pools::GREETINGS),
        rng.pick(pools::SIGN_OFFS)
    )
}
