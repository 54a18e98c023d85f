//! Property tests for what a job brings from outside: its payload and its inline
//! schema. Whatever the bytes, parsing answers a job or a stable rejection code; whatever
//! the schema, compiling it answers a schema or `schema_invalid`/`schema_remote_ref`,
//! and what runs on a compiled schema (validation, the prompt, the planner, the
//! extractive grammar) returns without a panic.

use maaza::engine::extractive::{compile, Extractive};
use maaza::job::{parse_job, ErrorCode};
use maaza::schema::CompiledSchema;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ]
}

/// JSON Schema keywords with values of the right and the wrong kind.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        prop::sample::select(vec!["string", "number", "integer", "boolean", "object", "array", "null"])
            .prop_map(|t| json!({ "type": t })),
        prop::sample::select(vec!["date-time", "date", "time", "email", "ipv4", "uuid", "uri", "nope"])
            .prop_map(|f| json!({"type": "string", "format": f})),
        "[a-z()+*?|\\[\\]{}^$.\\\\0-9,]{0,16}".prop_map(|p| json!({"type": "string", "pattern": p})),
        prop::collection::vec(scalar(), 0..6).prop_map(|e| json!({ "enum": e })),
        prop::sample::select(vec!["#", "#/$defs/a", "#/properties/x", "#/nope", "other.json", "https://e.x/s"])
            .prop_map(|r| json!({ "$ref": r })),
        scalar(),
        Just(json!({"type": "number", "minimum": 5, "maximum": 1, "multipleOf": 0.5})),
        Just(json!({"type": "string", "minLength": 3, "maxLength": 2})),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        let keyword = prop::sample::select(vec![
            "properties",
            "items",
            "allOf",
            "anyOf",
            "oneOf",
            "not",
            "$defs",
            "additionalProperties",
            "required",
            "prefixItems",
            "if",
            "then",
            "type",
            "const",
            "minItems",
        ]);
        prop::collection::vec((keyword, prop::collection::vec(("[a-z_]{1,6}", inner), 0..4)), 1..4).prop_map(|kws| {
            let mut map = Map::new();
            for (kw, subs) in kws {
                let value = match kw {
                    "properties" | "$defs" => Value::Object(subs.into_iter().collect()),
                    "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                        Value::Array(subs.into_iter().map(|(_, s)| s).collect())
                    }
                    "required" => Value::Array(subs.into_iter().map(|(k, _)| Value::from(k)).collect()),
                    "type" => json!("object"),
                    _ => subs.into_iter().next().map_or(json!({}), |(_, s)| s),
                };
                map.insert(kw.to_string(), value);
            }
            Value::Object(map)
        })
    })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof!["[A-Za-z_]{1,8}: [A-Za-z0-9 .%-]{0,12}", "[a-z_]{1,6}=[0-9.]{1,6}", "\\PC{0,16}"],
        0..8,
    )
    .prop_map(|l| l.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn any_payload_is_a_job_or_a_stable_rejection(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Err(e) = parse_job(&bytes) {
            prop_assert!(e.is_rejection(), "{e:?}");
        }
    }

    #[test]
    fn job_shaped_payloads_too(
        id in prop_oneof![scalar(), "[a-z0-9+#/ -]{0,20}".prop_map(Value::from)],
        input in prop_oneof![scalar(), text().prop_map(Value::from)],
        schema in prop_oneof![schema(), "[a-z_]{0,12}".prop_map(Value::from)],
        extra in prop::collection::vec((prop::sample::select(vec!["max_tokens", "reply_to", "model", "adapter", "x"]), scalar()), 0..3),
    ) {
        let mut job = json!({"id": id, "input": input, "schema": schema});
        for (k, v) in extra {
            job[k] = v;
        }
        if let Err(e) = parse_job(&serde_json::to_vec(&job).unwrap()) {
            prop_assert!(e.is_rejection(), "{e:?}");
        }
    }

    #[test]
    fn any_schema_compiles_or_is_refused_and_nothing_downstream_panics(schema in schema(), text in text(), instance in schema()) {
        match CompiledSchema::compile("inline", schema.clone()) {
            Err(e) => prop_assert!(matches!(e.code, ErrorCode::SchemaInvalid | ErrorCode::SchemaRemoteRef), "{e:?}"),
            Ok(compiled) => {
                let _ = compiled.violations(&instance);
                let _ = compiled.strict_violations(&instance);
                let _ = maaza::engine::prompt::user_message(&schema);
                let plan = maaza_extract::plan(&schema, &text);
                let _ = maaza_extract::emit::lark(&plan, &schema, &text);
                let options = Extractive { evidence: true, loop_guard: true, anchor: true };
                let _ = compile(&schema, &text, options);
            }
        }
    }
}
