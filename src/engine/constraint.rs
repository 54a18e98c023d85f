//! The constraint step: schema + input text → the grammar decoding must follow.
//!
//! This is the one seam the decoding strategy lives behind. Today the grammar is
//! the JSON Schema itself (compiled by llguidance); an extractive grammar built from
//! the schema *and* the input drops in as another [`Constraint`] without touching
//! the session or the pipeline.

use llguidance::api::TopLevelGrammar;
use serde_json::{json, Value};

/// Turns a schema and an input into a grammar, or `None` for free decoding.
pub trait Constraint: Send + Sync {
    /// The grammar for this job. `schema` is already checked (no remote `$ref`).
    fn grammar(&self, schema: &Value, input: &str) -> Option<TopLevelGrammar>;
    /// Short name for logs and reports.
    fn name(&self) -> &'static str;
    /// What to decode under when this constraint's grammar fails to compile.
    fn fallback(&self) -> Option<&dyn Constraint> {
        None
    }
    /// Tidies a decoded output that parsed as JSON, before it is validated.
    fn settle(&self, _schema: &Value, _output: &mut Value) {}
    /// [`Constraint::grammar`] with the most tokens an output under it takes, where
    /// the grammar bounds it; `None` where it does not (free text, free JSON).
    fn capped_grammar(&self, schema: &Value, input: &str) -> (Option<TopLevelGrammar>, Option<u32>) {
        (self.grammar(schema, input), None)
    }
}

/// The constraint `[decoding]` asks for.
pub fn from_config(decoding: &crate::config::DecodingConfig) -> Box<dyn Constraint> {
    match decoding.grammar {
        crate::config::GrammarKind::JsonSchema => Box::new(JsonSchemaConstraint),
        crate::config::GrammarKind::Extractive => Box::new(super::extractive::Extractive {
            evidence: decoding.evidence,
            loop_guard: decoding.loop_guard,
            anchor: decoding.anchor,
        }),
    }
}

/// Decoding constrained to the JSON Schema, objects closed, compact separators.
pub struct JsonSchemaConstraint;

impl Constraint for JsonSchemaConstraint {
    fn grammar(&self, schema: &Value, _input: &str) -> Option<TopLevelGrammar> {
        let mut schema = schema.clone();
        close_objects(&mut schema);
        if let Value::Object(map) = &mut schema {
            // One line, one space after separators: the form small models saw most,
            // and no room for runs of white space between tokens.
            map.insert(
                "x-guidance".into(),
                json!({"whitespace_flexible": false, "item_separator": ", ", "key_separator": ": "}),
            );
        }
        Some(TopLevelGrammar::from_json_schema(schema))
    }

    fn name(&self) -> &'static str {
        "json_schema"
    }
}

/// No grammar at all: what the model writes on its own (for comparison benches).
pub struct Unconstrained;

impl Constraint for Unconstrained {
    fn grammar(&self, _schema: &Value, _input: &str) -> Option<TopLevelGrammar> {
        None
    }

    fn name(&self) -> &'static str {
        "unconstrained"
    }
}

pub use maaza_extract::emit::close_objects;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closes_objects_that_list_properties_only() {
        let mut s = json!({
            "type": "object",
            "properties": {"a": {"type": "object", "properties": {"b": {"type": "string"}}},
                           "c": {"type": "object", "additionalProperties": true}},
            "enum": [{"properties": {}}]
        });
        close_objects(&mut s);
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(s["properties"]["a"]["additionalProperties"], false);
        assert_eq!(s["properties"]["c"]["additionalProperties"], true);
        assert!(s["enum"][0].get("additionalProperties").is_none());
    }

    #[test]
    fn unconstrained_has_no_grammar() {
        assert!(Unconstrained.grammar(&json!({}), "x").is_none());
        assert!(JsonSchemaConstraint.grammar(&json!({"type": "object"}), "x").is_some());
    }
}
