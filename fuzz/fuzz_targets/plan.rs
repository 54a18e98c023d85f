//! The planner on any text, under each shipped schema: the first byte picks the schema,
//! the rest is the text. Plans, prose plans and the Lark they emit always return.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;

/// The shipped registry, read once.
fn schemas() -> &'static [Value] {
    static SCHEMAS: OnceLock<Vec<Value>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        let mut out = Vec::new();
        for tier in ["simple", "medium", "complex"] {
            let Ok(dir) = std::fs::read_dir(root.join(tier)) else { continue };
            let mut paths: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
            paths.sort();
            for p in paths {
                if let Some(v) = std::fs::read_to_string(&p).ok().and_then(|s| serde_json::from_str(&s).ok()) {
                    out.push(v);
                }
            }
        }
        assert!(!out.is_empty(), "no schemas under {}", root.display());
        out
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_first() else { return };
    let schemas = schemas();
    let schema = &schemas[usize::from(pick) % schemas.len()];
    let text = String::from_utf8_lossy(text);
    let plan = maaza_extract::plan(schema, &text);
    let _ = maaza_extract::emit::lark(&plan, schema, &text);
    let prose = maaza_extract::prose::plan(schema, &text);
    let _ = maaza_extract::emit::lark(&prose, schema, &text);
});
