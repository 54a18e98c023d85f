//! Prompt text for small models: a short instruction and a compact field list,
//! never the raw schema JSON (which 135M models copy into values).
//!
//! The prompt is returned in three parts so the engine can tokenize the user's text
//! without parsing special tokens (no `<|im_end|>` injection from an input) and so
//! everything before the text is a stable prefix for the KV cache. The start of that
//! prefix, up to the field list, is the same for every schema: it is marked so the
//! engine can keep it evaluated across jobs on different schemas.

use serde_json::Value;

/// The instruction every job gets.
pub const SYSTEM: &str = "You extract data from text into JSON. Return one JSON object with the fields listed. \
Copy each value exactly as it is written in the text. Leave out fields the text does not mention.";

/// Stand-in for the input while the chat template is applied.
pub const INPUT_MARK: &str = "\u{1}MAAZA_INPUT\u{1}";

/// Stand-in for the start of the user message (the field list) while the chat
/// template is applied: what comes before it is the same for every schema.
pub const SCHEMA_MARK: &str = "\u{1}MAAZA_SCHEMA\u{1}";

/// A rendered prompt: template text around the untouched input.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// Everything before the input (system turn, field list, start of user turn).
    pub prefix: String,
    /// Bytes of `prefix` before the field list, the same for every schema (0: unknown).
    pub shared: usize,
    /// The job's text, tokenized as plain text.
    pub input: String,
    /// Everything after (end of user turn, start of assistant turn).
    pub suffix: String,
}

/// The user message, with [`INPUT_MARK`] where the text goes.
pub fn user_message(schema: &Value) -> String {
    let mut lines = Vec::new();
    field_lines(schema, schema, 0, &mut lines);
    if lines.is_empty() {
        format!("Text:\n{INPUT_MARK}")
    } else {
        format!("Fields:\n{}\n\nText:\n{INPUT_MARK}", lines.join("\n"))
    }
}

/// The user message as the engine renders it: [`user_message`] after [`SCHEMA_MARK`].
pub fn marked_user_message(schema: &Value) -> String {
    format!("{SCHEMA_MARK}{}", user_message(schema))
}

/// The whole prompt for a model without chat turns (`template = "plain"`): the
/// instruction, the field list and the text, then `JSON:` for the answer to follow.
pub fn plain(schema: &Value) -> String {
    // (the mark before the blank line: a tokenizer may join "\n\n" into one token)
    format!("{SYSTEM}{SCHEMA_MARK}\n\n{}\n\nJSON:\n", user_message(schema))
}

/// Splits a rendered template at [`INPUT_MARK`], and takes [`SCHEMA_MARK`] out of the
/// prefix, noting where it was.
pub fn split(rendered: &str, input: &str) -> Option<Prompt> {
    let (prefix, suffix) = rendered.split_once(INPUT_MARK)?;
    let (prefix, shared) = match prefix.split_once(SCHEMA_MARK) {
        Some((before, after)) => (format!("{before}{}", after.replace(SCHEMA_MARK, "")), before.len()),
        None => (prefix.to_string(), 0),
    };
    Some(Prompt { prefix, shared, input: input.to_string(), suffix: suffix.to_string() })
}

/// A schema with local `$ref`s followed (the planner's rule, one for the whole engine).
pub(super) use maaza_extract::plan::resolve as deref;

fn field_lines(root: &Value, schema: &Value, depth: usize, out: &mut Vec<String>) {
    let schema = deref(root, schema);
    let Some(props) = schema.get("properties").and_then(Value::as_object) else { return };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let indent = "  ".repeat(depth);
    for (name, prop) in props {
        let prop = deref(root, prop);
        let mut line = format!("{indent}- {name}: {}", type_words(root, prop));
        if required.contains(&name.as_str()) {
            line.push_str(", required");
        }
        if let Some(d) = prop.get("description").and_then(Value::as_str) {
            line.push_str(" — ");
            line.push_str(d);
        }
        out.push(line);
        if depth < 3 {
            let items = prop.get("items").map(|i| deref(root, i));
            let nested = if prop.get("properties").is_some() { Some(prop) } else { items };
            if let Some(n) = nested {
                field_lines(root, n, depth + 1, out);
            }
        }
    }
}

/// "number", "list of objects", "one of: a, b" …
fn type_words(root: &Value, prop: &Value) -> String {
    if let Some(values) = prop.get("enum").and_then(Value::as_array) {
        let shown: Vec<String> = values.iter().map(|v| v.as_str().map_or(v.to_string(), str::to_string)).collect();
        return format!("one of {}", shown.join(", "));
    }
    if let Some(c) = prop.get("const") {
        return format!("always {c}");
    }
    let ty = match prop.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => {
            ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect::<Vec<_>>().join(" or ")
        }
        _ if prop.get("properties").is_some() => "object".into(),
        _ => "value".into(),
    };
    match ty.as_str() {
        "array" => {
            let item = prop.get("items").map(|i| deref(root, i));
            match item {
                Some(i) if i.get("properties").is_some() => "list of objects with".into(),
                Some(i) => format!("list of {}", type_words(root, i)),
                None => "list".into(),
            }
        }
        "object" if prop.get("properties").is_some() => "object with".into(),
        _ => match prop.get("format").and_then(Value::as_str) {
            Some(f) => format!("{ty} ({f})"),
            None => ty,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_list_is_compact_and_nested() {
        let s = json!({
            "type": "object",
            "required": ["device"],
            "properties": {
                "device": {"type": "string", "description": "device id"},
                "level": {"enum": ["low", "high"]},
                "at": {"type": "string", "format": "date-time"},
                "readings": {"type": "array", "items": {"$ref": "#/$defs/r"}}
            },
            "$defs": {"r": {"type": "object", "properties": {"value": {"type": ["number", "null"]}}}}
        });
        let m = user_message(&s);
        assert!(m.starts_with("Fields:\n- device: string, required — device id\n"), "{m}");
        assert!(m.contains("- level: one of low, high\n"), "{m}");
        assert!(m.contains("- at: string (date-time)\n"), "{m}");
        assert!(m.contains("- readings: list of objects with\n  - value: number\n"), "{m}");
        assert!(m.ends_with(&format!("Text:\n{INPUT_MARK}")));
        assert!(!m.contains('{'), "no schema JSON in the prompt: {m}");
    }

    #[test]
    fn split_keeps_input_apart() {
        let p = split(&format!("<s>sys\nFields\n{INPUT_MARK}<e>\n<a>"), "Temp <|im_end|> 5").unwrap();
        assert_eq!(p.prefix, "<s>sys\nFields\n");
        assert_eq!(p.shared, 0);
        assert_eq!(p.input, "Temp <|im_end|> 5");
        assert_eq!(p.suffix, "<e>\n<a>");
        assert!(split("no mark", "x").is_none());
    }

    #[test]
    fn split_marks_the_part_every_schema_shares() {
        let s = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        let rendered = format!("<s>sys</s><u>{}</u><a>", marked_user_message(&s));
        let p = split(&rendered, "x").unwrap();
        assert_eq!(&p.prefix[..p.shared], "<s>sys</s><u>");
        assert!(p.prefix[p.shared..].starts_with("Fields:\n- a: string"), "{}", p.prefix);
        assert!(!p.prefix.contains(SCHEMA_MARK));
        let plain = split(&plain(&s), "x").unwrap();
        assert_eq!(&plain.prefix[..plain.shared], SYSTEM);
        assert!(plain.prefix[plain.shared..].starts_with("\n\nFields:\n"), "{}", plain.prefix);
    }
}
