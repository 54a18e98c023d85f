//! Stage 1, text: the input's lines as a tree of blocks by indentation, each line a
//! label/value pair (`Key: v`, `key=v`), a bare value, or a list item (`- v`).
//!
//! Nothing here knows the schema; [`super::plan`] aligns this tree with it.

use std::fmt;

/// One line of the input, or one `key=value` pair of a line that has several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// 1-based line number in the input.
    pub line: usize,
    pub indent: usize,
    /// The label before `:` or `=`, as written; `None` for a bare line.
    pub label: Option<String>,
    /// What follows the label (or the whole bare line), trimmed; a value that runs
    /// onto following unlabelled lines of the same indent keeps them, joined by `\n`.
    pub value: String,
    /// The line started with a bullet (`-`, `*`, `•`, `1.`): it starts a list item.
    pub bullet: bool,
    /// A blank line comes right before this one.
    pub after_blank: bool,
    /// Lines indented under this one, or bare lines right under an empty label.
    pub children: Vec<Node>,
}

impl Node {
    /// A header: a label with nothing after it.
    pub fn is_header(&self) -> bool {
        self.label.is_some() && self.value.is_empty()
    }
}

/// The input as a forest of top-level nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    pub nodes: Vec<Node>,
}

impl Doc {
    /// Whether any line (or `k=v` pair) is labelled: text with none is plain prose.
    pub fn has_labels(&self) -> bool {
        fn any(nodes: &[Node]) -> bool {
            nodes.iter().any(|n| n.label.is_some() || any(&n.children))
        }
        any(&self.nodes)
    }
}

/// Most words a label may have; longer text before a colon is a sentence. A text of
/// one line (a request) has a label of [`MAX_LONE_LABEL_WORDS`] at most: `Grab me two
/// tickets for Dune: Part Two` is a sentence.
const MAX_LABEL_WORDS: usize = 6;

/// Most words the label of a one-line text may have (every label of the labelled
/// sets has four at most).
const MAX_LONE_LABEL_WORDS: usize = 4;

/// Reads the text's structure.
pub fn parse(text: &str) -> Doc {
    let mut flat: Vec<Node> = Vec::new();
    // Whether the previous input line was blank: a value runs on only over adjacent lines.
    let mut after_blank = true;
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    let max_words = if lines == 1 { MAX_LONE_LABEL_WORDS } else { MAX_LABEL_WORDS };
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            after_blank = true;
            continue;
        }
        let (bullet, content) = strip_bullet(raw.trim());
        // A bullet sits one column deeper than its marker: its item's other lines
        // (aligned with its text) are its children, and a header at the marker's
        // column owns it.
        let indent = raw.len() - raw.trim_start().len() + usize::from(bullet);
        let pairs = split_line(content, max_words);
        if pairs.len() == 1 && pairs[0].0.is_none() && !bullet && !after_blank {
            if let Some(prev) = flat.last_mut() {
                // A bare line right under a labelled value at the same indent continues it.
                if prev.indent == indent && prev.label.is_some() && !prev.value.is_empty() {
                    prev.value.push('\n');
                    prev.value.push_str(content);
                    continue;
                }
            }
        }
        for (n, (label, value)) in pairs.into_iter().enumerate() {
            flat.push(Node {
                line,
                indent,
                label,
                value,
                bullet: bullet && n == 0,
                after_blank: after_blank && n == 0,
                children: Vec::new(),
            });
        }
        after_blank = false;
    }
    Doc { nodes: paths(nest(flat)) }
}

/// Most parts a dotted label is read into (`a.b.c`); a longer one stays a label.
const MAX_PATH_PARTS: usize = 6;

/// Dotted labels as blocks: `location.building=B2 location.room=101` is a header
/// `location` over `building` and `room`, where its first pair stands. Each block
/// is read once, then its dotted siblings grouped.
fn paths(nodes: Vec<Node>) -> Vec<Node> {
    let nodes = nodes
        .into_iter()
        .map(|mut node| {
            node.children = paths(std::mem::take(&mut node.children));
            node
        })
        .collect();
    group_dotted(nodes)
}

/// Groups siblings by the first part of their dotted labels, then the parts left
/// in each group (at most [`MAX_PATH_PARTS`] deep); children already read stay as
/// they are.
fn group_dotted(nodes: Vec<Node>) -> Vec<Node> {
    let mut out: Vec<Node> = Vec::new();
    // The headers this made, by label.
    let mut made: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for mut node in nodes {
        let Some((head, rest)) = node.label.as_deref().and_then(dotted) else {
            out.push(node);
            continue;
        };
        node.label = Some(rest);
        match made.get(&head) {
            Some(&i) => out[i].children.push(node),
            None => {
                made.insert(head.clone(), out.len());
                out.push(Node {
                    line: node.line,
                    indent: node.indent,
                    label: Some(head),
                    value: String::new(),
                    bullet: false,
                    after_blank: node.after_blank,
                    children: vec![node],
                });
            }
        }
    }
    for &i in made.values() {
        out[i].children = group_dotted(std::mem::take(&mut out[i].children));
    }
    out
}

/// `location.room` → (`location`, `room`): a label of word parts cut by dots.
fn dotted(label: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = label.split('.').collect();
    let word = |p: &&str| !p.is_empty() && p.chars().all(|c| c.is_alphanumeric() || "_-".contains(c));
    if !(2..=MAX_PATH_PARTS).contains(&parts.len()) || !parts.iter().all(word) {
        return None;
    }
    Some((parts[0].to_string(), parts[1..].join(".")))
}

/// Builds the tree: a node owns the following nodes indented deeper, and a header
/// also owns the bare lines right under it at its own indent (`Tags:` / `a` / `b`).
fn nest(flat: Vec<Node>) -> Vec<Node> {
    let mut roots: Vec<Node> = Vec::new();
    // Path of open nodes, as indices from the roots down.
    let mut stack: Vec<Node> = Vec::new();
    for node in flat {
        while let Some(top) = stack.last() {
            let owns = node.indent > top.indent
                || (node.indent == top.indent
                    && top.is_header()
                    && node.label.is_none()
                    && !node.after_blank
                    && (top.children.is_empty() || top.children.iter().all(|c| c.label.is_none())));
            if owns {
                break;
            }
            let done = stack.pop().expect("stack has a top");
            match stack.last_mut() {
                Some(parent) => parent.children.push(done),
                None => roots.push(done),
            }
        }
        let owned_bare = stack.last().is_some_and(|t| t.indent == node.indent);
        if owned_bare {
            // A bare line under a header at the same indent: a leaf child, never a parent.
            stack.last_mut().expect("stack has a top").children.push(node);
        } else {
            stack.push(node);
        }
    }
    while let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
    roots
}

/// `- x`, `* x`, `• x`, `1. x`, `2) x` → (true, `x`).
fn strip_bullet(s: &str) -> (bool, &str) {
    for b in ["- ", "* ", "• ", "– "] {
        if let Some(rest) = s.strip_prefix(b) {
            return (true, rest.trim_start());
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &s[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return (true, r.trim_start());
        }
    }
    (false, s)
}

/// A line's label/value pairs: one `Label: value`, or `k=v` pairs (log style, a
/// value running to the next `k=`), or the bare line.
fn split_line(s: &str, max_words: usize) -> Vec<(Option<String>, String)> {
    if let Some(pairs) = key_value_pairs(s) {
        return pairs;
    }
    // `Who: Kim; Task: call the vendor`: pairs separated by `;` when every part is one.
    if s.contains("; ") {
        let parts: Vec<Vec<(Option<String>, String)>> = s.split("; ").map(|p| label_value(p, max_words)).collect();
        if parts.len() > 1 && parts.iter().all(|p| p.len() == 1 && p[0].0.is_some()) {
            return parts.into_iter().flatten().collect();
        }
    }
    let labelled = label_value(s, max_words);
    if labelled[0].0.is_none() {
        if let Some(pairs) = spaced_pairs(s) {
            return pairs;
        }
    }
    labelled
}

/// A terse record of `label value` pairs (`T 30.2°C W 19.1 km/h stn Lisbon`,
/// `SoC 17% | dev pump-ctrl-02 | charging`): a short word before a number with its
/// unit, or before a number or an identifier as a segment of its own (cut by `|`,
/// `;`, `,`).
/// `None` unless the line holds two pairs (three with no separator), and no run of
/// three words: that is a sentence (`a triangle with base 6 and height 10`).
fn spaced_pairs(s: &str) -> Option<Vec<(Option<String>, String)>> {
    let segments: Vec<&str> = s.split(['|', ';', ',']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let mut out: Vec<(Option<String>, String)> = Vec::new();
    let mut pairs = 0;
    for segment in &segments {
        let toks: Vec<&str> = segment.split_whitespace().collect();
        let mut bare: Vec<&str> = Vec::new();
        let flush = |bare: &mut Vec<&str>, out: &mut Vec<(Option<String>, String)>| {
            if !bare.is_empty() {
                out.push((None, bare.join(" ")));
                bare.clear();
            }
        };
        let mut i = 0;
        while i < toks.len() {
            let label = toks[i].len() <= 5 && toks[i].chars().all(char::is_alphabetic);
            let number = |t: &str| {
                let t = t.trim_start_matches(['-', '+']);
                t.starts_with(|c: char| c.is_ascii_digit()) && !t.contains(':')
            };
            // A number and its unit; a bare number only as a segment of its own (so
            // `Add 3 and 5` is no record).
            let measure = toks.get(i + 1).filter(|t| label && number(t)).and_then(|n| {
                let unit = toks.get(i + 2).filter(|u| {
                    !measure_with_unit(n)
                        && crate::shape::unit_word(u).is_some()
                        && !toks.get(i + 3).is_some_and(|t| number(t))
                });
                match unit {
                    Some(unit) => Some((format!("{n} {unit}"), 3)),
                    None if measure_with_unit(n) || toks.len() == 2 => Some((n.to_string(), 2)),
                    None => None,
                }
            });
            if let Some((value, used)) = measure {
                flush(&mut bare, &mut out);
                out.push((Some(toks[i].to_string()), value));
                pairs += 1;
                i += used;
            } else if label && toks.len() == 2 && i == 0 && crate::shape::is_identifier(toks[1]) {
                out.push((Some(toks[0].to_string()), toks[1].to_string()));
                pairs += 1;
                i += 2;
            } else {
                bare.push(toks[i]);
                if bare.len() >= 3 {
                    return None;
                }
                i += 1;
            }
        }
        flush(&mut bare, &mut out);
    }
    // (a line with no separators is a record of three pairs at least: `What is 5kg
    // plus 3kg` is a sentence)
    (pairs >= if segments.len() > 1 { 2 } else { 3 }).then_some(out)
}

/// One `Label: value`, or the bare text.
fn label_value(s: &str, max_words: usize) -> Vec<(Option<String>, String)> {
    if let Some(colon) = s.find(':') {
        let (label, rest) = (&s[..colon], &s[colon + 1..]);
        // `10:32`, `http://`: a colon inside a value is no label.
        let value_ok = rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t');
        if value_ok && is_label(label, max_words) {
            return vec![(Some(label.trim().to_string()), rest.trim().to_string())];
        }
    }
    vec![(None, s.to_string())]
}

/// Text that can be a label: starts with a letter, a few words, no sentence punctuation.
fn is_label(s: &str, max_words: usize) -> bool {
    let s = s.trim();
    let words = s.split_whitespace().count();
    s.chars().next().is_some_and(char::is_alphanumeric)
        && (1..=max_words).contains(&words)
        && s.chars().all(|c| c.is_alphanumeric() || " _-/().'#&".contains(c))
        && !opens_a_quote(s)
}

/// Whether `s` opens a quote it does not close (`Find showtimes for 'Dune`: the colon
/// after it is inside the quoted title); an apostrophe inside a word opens none.
fn opens_a_quote(s: &str) -> bool {
    let mut open = false;
    let mut prev = ' ';
    for c in s.chars() {
        if c == '\'' {
            if !open && prev.is_whitespace() {
                open = true;
            } else if open {
                open = false;
            }
        }
        prev = c;
    }
    open
}

/// `a=1 b=two words c=3`, or glued `lat:57.2 lon:-16.1`, `RH:50% | T:33.1C` → pairs;
/// `None` unless every `=` is such a pair and the text before the first one is at
/// most a log header (`app[4410]:`, dropped) and a word or bracketed tag, or short
/// segments cut by `|`/`;` (`sensor-b12 | not charging | SoC=10%`). A glued colon is
/// a pair only with a value right after it (not `10:32`, `http://`). A value ends at
/// a `|` or ` - `, and one word that a capitalised sentence follows is the value
/// (`source=nagios Certificate expires`): what follows is a bare segment.
fn key_value_pairs(s: &str) -> Option<Vec<(Option<String>, String)>> {
    if !s.contains('=') && !s.contains(':') {
        return None;
    }
    // Start of each `key=` token: a word of [A-Za-z0-9_.-] right before `=`, at a word start.
    let bytes = s.as_bytes();
    let mut starts = Vec::new();
    let glued = s.match_indices(':').filter(|(i, _)| {
        bytes.get(i + 1).is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'+' || b == b'"')
    });
    let mut marks: Vec<usize> = s.match_indices('=').map(|(i, _)| i).chain(glued.map(|(i, _)| i)).collect();
    marks.sort_unstable();
    for i in marks {
        let mut k = i;
        while k > 0 && (bytes[k - 1].is_ascii_alphanumeric() || b"_.-".contains(&bytes[k - 1])) {
            k -= 1;
        }
        if k == i || !(k == 0 || b" ,;|".contains(&bytes[k - 1])) {
            continue;
        }
        if !bytes[k].is_ascii_alphabetic() {
            continue;
        }
        starts.push((k, i));
    }
    if starts.is_empty() {
        return None;
    }
    let mut out: Vec<(Option<String>, String)> =
        lead_segments(&s[..starts[0].0])?.into_iter().map(|v| (None, v)).collect();
    for (n, &(k, eq)) in starts.iter().enumerate() {
        let end = starts.get(n + 1).map_or(s.len(), |next| next.0);
        let (value, rest) = split_value(&s[eq + 1..end]);
        out.push((Some(s[k..eq].to_string()), value.to_string()));
        out.extend(rest.into_iter().map(|r| (None, r)));
    }
    Some(out)
}

/// The text before a line's first pair as bare segments; `None` when it reads as a
/// sentence (`a sentence with x=1`).
fn lead_segments(lead: &str) -> Option<Vec<String>> {
    let mut lead = lead.trim();
    let (first, rest) = lead.split_once(' ').unwrap_or((lead, ""));
    // (without a pid, only a level may follow it: `customer: Acme id=7` is a label)
    let rest = rest.trim();
    let level = rest.is_empty()
        || (rest.starts_with('[') && rest.ends_with(']'))
        || (!rest.contains(' ') && !rest.chars().any(char::is_lowercase));
    if is_log_header(first) && (first.contains('[') || level) {
        lead = rest;
    }
    let segments: Vec<&str> =
        lead.split(['|', ';']).map(|p| p.trim().trim_end_matches(',').trim()).filter(|p| !p.is_empty()).collect();
    // One word or bracketed tag (`WARNING`, `[Closed]`), or short segments.
    let most_words = if segments.len() > 1 { 2 } else { 1 };
    let fits = |p: &&str| (p.starts_with('[') && p.ends_with(']')) || p.split_whitespace().count() <= most_words;
    if !segments.iter().all(fits) {
        return None;
    }
    Some(segments.into_iter().map(str::to_string).collect())
}

/// `app[4410]:`, `kernel:`: the program (and pid) a log line starts with; a
/// capitalised word without a pid is a label (`Customer: Acme id=7`).
fn is_log_header(word: &str) -> bool {
    let Some(name) = word.strip_suffix(':') else { return false };
    let name = match name.split_once('[') {
        Some((name, pid)) => match pid.strip_suffix(']') {
            Some(pid) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => return false,
        },
        None => name,
    };
    let pid = word.contains('[');
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
        && (pid || !name.bytes().any(|b| b.is_ascii_uppercase()))
}

/// A pair's value and the bare segments after it: a value ends at a `|` or ` - `,
/// and an unquoted word followed by a capitalised sentence is one word.
fn split_value(raw: &str) -> (&str, Vec<String>) {
    let raw = raw.trim().trim_end_matches([',', ';', '|']).trim();
    let quoted = raw.starts_with('"') || raw.starts_with('\'');
    let cut = [" | ", " - "].iter().filter_map(|sep| raw.find(sep).map(|i| (i, sep.len()))).min();
    let (value, rest) = match cut {
        Some((i, len)) if !quoted => (raw[..i].trim(), raw[i + len..].trim()),
        _ => match raw.split_once(' ') {
            // (`source=nagios Certificate expires`, `SoC=52% charging`: a measure
            // with its unit glued on takes no second one)
            Some((word, rest))
                if !quoted
                    && ((!word.starts_with(char::is_uppercase)
                        && rest.starts_with(char::is_uppercase)
                        && rest.split_whitespace().count() >= 2)
                        || measure_with_unit(word)) =>
            {
                (word, rest.trim())
            }
            _ => (raw, ""),
        },
    };
    let rest = rest.split(" | ").map(str::trim).filter(|r| !r.is_empty()).map(str::to_string).collect();
    (unquote(value), rest)
}

/// `52%`, `5.93V`, `24.7mm`: a number with its unit of measure written on.
fn measure_with_unit(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
        && !word.trim_start_matches(|c: char| c.is_ascii_digit() || "+-.".contains(c)).is_empty()
        && crate::shape::unit(word).is_some()
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if s.len() >= 2 && s.starts_with(q) && s.ends_with(q) {
            return &s[1..s.len() - 1];
        }
    }
    s
}

impl fmt::Display for Doc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn write(f: &mut fmt::Formatter<'_>, nodes: &[Node], depth: usize) -> fmt::Result {
            for n in nodes {
                let pad = "  ".repeat(depth);
                let bullet = if n.bullet { "- " } else { "" };
                match &n.label {
                    Some(l) => writeln!(f, "{pad}{bullet}[{l}] {:?}", n.value)?,
                    None => writeln!(f, "{pad}{bullet}{:?}", n.value)?,
                }
                write(f, &n.children, depth + 1)?;
            }
            Ok(())
        }
        write(f, &self.nodes, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(nodes: &[Node]) -> Vec<String> {
        nodes.iter().map(|n| n.label.clone().unwrap_or_else(|| format!("={}", n.value))).collect()
    }

    #[test]
    fn blocks_follow_indentation() {
        let doc = parse("Title\n\nName: Ada\nParts:\n  Id: 1\n  Inner:\n    X: 2\n  Id: 3\nEnd: yes\n");
        assert_eq!(labels(&doc.nodes), ["=Title", "Name", "Parts", "End"]);
        let parts = &doc.nodes[2];
        assert!(parts.is_header());
        assert_eq!(labels(&parts.children), ["Id", "Inner", "Id"]);
        assert_eq!(labels(&parts.children[1].children), ["X"]);
    }

    #[test]
    fn bare_lines_under_a_header_are_its_items() {
        let doc = parse("Tags:\n  red\n  blue\nOwner: me\nKinds:\nA\nB\n\nbye");
        assert_eq!(labels(&doc.nodes[0].children), ["=red", "=blue"]);
        assert_eq!(labels(&doc.nodes[2].children), ["=A", "=B"]);
        assert_eq!(labels(&doc.nodes), ["Tags", "Owner", "Kinds", "=bye"]);
    }

    #[test]
    fn a_value_runs_onto_bare_lines_of_its_indent() {
        let doc = parse("Address: 1 Main St\nSpringfield, IL 6\nCity: X\n\nPlease extract.");
        assert_eq!(doc.nodes[0].value, "1 Main St\nSpringfield, IL 6");
        assert_eq!(labels(&doc.nodes), ["Address", "City", "=Please extract."]);
    }

    #[test]
    fn a_clause_before_a_colon_is_no_label() {
        assert!(!parse("Grab me two tickets for Dune: Part Two at 7:45 pm").has_labels());
        assert!(parse("Average Readings Per Device: 842.45").has_labels());
        // (nor the start of a quoted title; an apostrophe inside a word quotes nothing)
        assert!(!parse("Showtimes for 'Dune: Part Two' in Chicago").has_labels());
        assert!(parse("Owner's name: Ana").has_labels());
        // (a form's labels, on lines of their own, may be longer)
        let form = parse("Name for the booking: Ana Silva\nNumber of people in the party: 4");
        assert_eq!(labels(&form.nodes), ["Name for the booking", "Number of people in the party"]);
    }

    #[test]
    fn key_value_pairs_and_tags() {
        let doc = parse("[CRITICAL] source=ups-rack4 message=Battery low");
        assert_eq!(labels(&doc.nodes), ["=[CRITICAL]", "source", "message"]);
        assert_eq!(doc.nodes[2].value, "Battery low");
        assert_eq!(labels(&parse("a sentence with x=1 inside").nodes), ["=a sentence with x=1 inside"]);
        let doc = parse("RH:50% | at:06:45 UTC | T:33.1C");
        assert_eq!(labels(&doc.nodes), ["RH", "at", "T"]);
        assert_eq!(doc.nodes[1].value, "06:45 UTC");
        assert_eq!(labels(&parse("lat:57.2422 lon:-16.1030 spd:67.5 kmh").nodes), ["lat", "lon", "spd"]);
        assert_eq!(
            labels(&parse("Seen at 10:32, see http://x.example").nodes),
            ["=Seen at 10:32, see http://x.example"]
        );
    }

    #[test]
    fn log_headers_segments_and_messages_around_pairs() {
        let doc = parse("app[4410]: WARNING source=ups-rack4 Cache warmed with 1200 entries");
        assert_eq!(labels(&doc.nodes), ["=WARNING", "source", "=Cache warmed with 1200 entries"]);
        assert_eq!(doc.nodes[1].value, "ups-rack4");
        let doc = parse("agent[812]: [ERROR] service=ingest - Temperature threshold exceeded");
        assert_eq!(labels(&doc.nodes), ["=[ERROR]", "service", "=Temperature threshold exceeded"]);
        let doc = parse("sensor-b12 | not charging | SoC=10% | V=5.93V");
        assert_eq!(labels(&doc.nodes), ["=sensor-b12", "=not charging", "SoC", "V"]);
        assert_eq!(labels(&parse("valve-11 SoC=52% charging").nodes), ["=valve-11", "SoC", "=charging"]);
        assert_eq!(labels(&parse("spd=67.5 kmh").nodes), ["spd"]);
        let doc = parse("a=1 | spare | b=Two words");
        assert_eq!(labels(&doc.nodes), ["a", "=spare", "b"]);
        assert_eq!(doc.nodes[2].value, "Two words");
        // No log header, and not short segments: a sentence.
        assert_eq!(labels(&parse("the rate is x=1").nodes), ["=the rate is x=1"]);
        assert_eq!(labels(&parse("app[x]: WARNING a=1").nodes), ["=app[x]: WARNING a=1"]);
        assert_eq!(labels(&parse("Customer: Acme id=7").nodes), ["Customer"]);
        assert_eq!(labels(&parse("customer: Acme id=7").nodes), ["customer"]);
        assert_eq!(labels(&parse("kernel: WARN id=7").nodes), ["=WARN", "id"]);
    }

    #[test]
    fn terse_records_of_label_value_pairs() {
        let doc = parse("12:00 T 30.2°C W 19.1 km/h P 973.5 hPa stn Lisbon");
        assert_eq!(labels(&doc.nodes), ["=12:00", "T", "W", "P", "=stn Lisbon"]);
        assert_eq!(doc.nodes[2].value, "19.1 km/h");
        assert_eq!(labels(&parse("SoC 17% | dev pump-ctrl-02 | charging").nodes), ["SoC", "dev", "=charging"]);
        let doc = parse("v5.0.0-rc2, st online, dev plc-line-2, up 2546 h");
        assert_eq!(labels(&doc.nodes), ["=v5.0.0-rc2", "=st online", "dev", "up"]);
        // A sentence, or one pair in an address: no record.
        assert_eq!(
            labels(&parse("a triangle with base 6 and height 10").nodes),
            ["=a triangle with base 6 and height 10"]
        );
        assert_eq!(labels(&parse("Springfield, IL 6").nodes), ["=Springfield, IL 6"]);
        assert_eq!(labels(&parse("Add 3 and 5").nodes), ["=Add 3 and 5"]);
        assert_eq!(labels(&parse("What is 5 plus 3").nodes), ["=What is 5 plus 3"]);
        assert_eq!(labels(&parse("Find 2 cats and 3 dogs").nodes), ["=Find 2 cats and 3 dogs"]);
        assert_eq!(labels(&parse("What is 5kg plus 3kg").nodes), ["=What is 5kg plus 3kg"]);
    }

    #[test]
    fn dotted_labels_are_blocks() {
        let doc = parse("ip=10.0.0.1 location.building=\"Plant 1\" location.room=101 a.b.c=2");
        assert_eq!(labels(&doc.nodes), ["ip", "location", "a"]);
        assert_eq!(labels(&doc.nodes[1].children), ["building", "room"]);
        assert_eq!(doc.nodes[1].children[0].value, "Plant 1");
        assert_eq!(labels(&doc.nodes[2].children), ["b"]);
        assert_eq!(labels(&doc.nodes[2].children[0].children), ["c"]);
        assert_eq!(labels(&parse("Invoice No.: 7").nodes), ["Invoice No."]);
        assert_eq!(labels(&parse("a.b.c.d.e.f.g=1").nodes), ["a.b.c.d.e.f.g"]);
        // Nested blocks of dotted labels are read once each (this took 6^20 steps).
        let deep: String = (0..20).map(|i| format!("{}a.b.c.d.e.f=1\n", " ".repeat(i))).collect();
        assert_eq!(labels(&parse(&deep).nodes), ["a"]);
    }

    #[test]
    fn colons_inside_values_and_sentences_are_no_labels() {
        assert_eq!(parse("Time: 10:32").nodes[0].value, "10:32");
        assert!(parse("at 10:32 it rained").nodes[0].label.is_none());
        assert!(parse("The node in the far north greenhouse said: hi").nodes[0].label.is_none());
    }

    #[test]
    fn pairs_separated_by_semicolons() {
        let doc = parse("- Who: Kim; Task: call the vendor; By: May\nNote: a; b");
        assert_eq!(labels(&doc.nodes), ["Who", "Task", "By", "Note"]);
        assert!(doc.nodes[0].bullet && !doc.nodes[1].bullet);
        assert_eq!(doc.nodes[3].value, "a; b");
    }

    #[test]
    fn bullets_mark_items() {
        let doc = parse("Items:\n- Name: a\n  Qty: 1\n- Name: b\n");
        let items = &doc.nodes[0].children;
        assert_eq!(labels(items), ["Name", "Name"]);
        assert!(items[0].bullet && items[1].bullet);
        assert_eq!(labels(&items[0].children), ["Qty"]);
    }
}
