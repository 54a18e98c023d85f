//! An inline schema, as a job would carry it: within the size and depth limits it
//! compiles or is refused as `schema_invalid`/`schema_remote_ref`, and everything that
//! runs on a compiled schema (validation, the prompt, the planner, the extractive
//! grammar) returns. The bytes after the first NUL are the job's text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use maaza::engine::extractive::{compile, Extractive};
use maaza::job::ErrorCode;
use maaza::schema::{check_size, CompiledSchema};

fuzz_target!(|data: &[u8]| {
    let (schema, text) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(schema) = serde_json::from_slice::<serde_json::Value>(schema) else { return };
    let text = String::from_utf8_lossy(text);
    // The daemon's defaults ([limits] max_schema_bytes, max_schema_depth).
    if check_size(&schema, 65536, 32).is_err() {
        return;
    }
    match CompiledSchema::compile("inline", schema.clone()) {
        Err(e) => assert!(matches!(e.code, ErrorCode::SchemaInvalid | ErrorCode::SchemaRemoteRef), "{e:?}"),
        Ok(compiled) => {
            let _ = compiled.violations(&serde_json::json!({"a": text}));
            let _ = maaza::engine::prompt::user_message(&schema);
            let plan = maaza_extract::plan(&schema, &text);
            let _ = maaza_extract::emit::lark(&plan, &schema, &text);
            let _ = compile(&schema, &text, Extractive { evidence: true, loop_guard: true, anchor: true });
        }
    }
});
