//! Property tests: whatever the text and the schema, the planner and the grammar it
//! emits return, without a panic. Texts are built from the pieces structure is read
//! from (labels, separators, bullets, indentation, numbers with units, quotes) and
//! from arbitrary Unicode; schemas are the shipped ones plus hostile shapes.

use proptest::prelude::*;
use serde_json::{json, Value};

/// The shipped registry, and schemas that try to make the planner loop or recurse.
fn schemas() -> Vec<Value> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap());
            }
        }
    }
    assert!(out.len() >= 24, "the shipped schemas were not found");
    let mut deep = json!({"type": "string"});
    for i in 0..40 {
        deep = json!({"type": "object", "properties": {format!("k{i}"): deep, "name": {"type": "string"}}});
    }
    out.extend([
        json!({"$ref": "#"}),
        json!({"type": "object", "properties": {"a": {"$ref": "#"}, "b": {"type": "array", "items": {"$ref": "#"}}}}),
        json!({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "type": "object",
               "properties": {"x": {"$ref": "#/$defs/a"}}}),
        json!({"type": "object", "additionalProperties": true}),
        json!({"type": "object", "properties": {"e": {"enum": (0..500).map(|i| format!("v{i}")).collect::<Vec<_>>()}}}),
        json!({"type": "object", "properties": {"p": {"type": "string", "pattern": "(a+)+$"}, "n": {"type": "number"}}}),
        json!({"allOf": [{"allOf": [{"allOf": [{"type": "object", "properties": {"q": {"type": "integer"}}}]}]}]}),
        json!({"type": "array", "items": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}}),
        json!({"type": ["object", "null"], "properties": {"t": {"type": ["string", "number", "boolean"]}}}),
        deep,
    ]);
    out
}

/// A line of text made of structure-bearing pieces.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z_ ]{1,12}: [A-Za-z0-9 .,%/-]{0,20}",
        "[a-z_.]{1,10}=[A-Za-z0-9.\"%-]{0,12}",
        "  {0,8}[-*•] [A-Za-z0-9: ]{0,20}",
        "[0-9]{1,6}(\\.[0-9]{1,3})? ?(%|V|°C|km/h|hPa|kg|ms)?",
        "(\\[[A-Z]{3,8}\\]|[a-z]{2,8}\\[[0-9]{1,5}\\]:) [a-z =0-9|;]{0,30}",
        "[\"'`|;,(){}\\[\\]<>#\t]{1,6}",
        "\\PC{0,24}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn plans_and_grammars_never_panic(text in text(), pick in any::<prop::sample::Index>(), joiner in "[ \n;|,]") {
        let schemas = schemas();
        let schema = &schemas[pick.index(schemas.len())];
        for t in [text.clone(), text.replace('\n', &joiner)] {
            let plan = maaza_extract::plan(schema, &t);
            let _ = maaza_extract::emit::lark(&plan, schema, &t);
            let prose = maaza_extract::prose::plan(schema, &t);
            let _ = maaza_extract::emit::lark(&prose, schema, &t);
        }
    }

    #[test]
    fn arbitrary_bytes_as_text_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), pick in any::<prop::sample::Index>()) {
        let schemas = schemas();
        let schema = &schemas[pick.index(schemas.len())];
        let t = String::from_utf8_lossy(&bytes);
        let plan = maaza_extract::plan(schema, &t);
        let _ = maaza_extract::emit::lark(&plan, schema, &t);
    }
}
