//! The schema registry: the JSON Schemas in `schemas/`, indexed by file stem and
//! compiled once at start, plus inline schemas sent with a job.
//!
//! `jsonschema` is built without its HTTP and file resolvers, and any `$ref` that
//! leaves the schema is refused up front (`schema_remote_ref`): a job must never
//! make the device fetch a URL or read a file.

use crate::job::{ErrorCode, ErrorDetail, JobError, SchemaRef};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Compiled size allowed to one `pattern` (the `regex` crate's size limit).
const PATTERN_BYTES: usize = 1 << 20;

/// A schema ready to validate outputs.
pub struct CompiledSchema {
    /// Registry id (file stem) or `inline`.
    pub id: String,
    /// The schema document, for prompt and grammar building.
    pub schema: Value,
    /// `format` as an annotation (JSON Schema 2020-12's default): a date-time without
    /// a UTC offset, as texts write them, passes.
    validator: jsonschema::Validator,
    /// `format` asserted (RFC 3339 date-times and so on).
    strict: jsonschema::Validator,
}

impl std::fmt::Debug for CompiledSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledSchema").field("id", &self.id).finish_non_exhaustive()
    }
}

impl CompiledSchema {
    /// Checks and compiles a schema document.
    pub fn compile(id: &str, schema: Value) -> Result<CompiledSchema, JobError> {
        if !schema.is_object() {
            return Err(JobError::new(ErrorCode::SchemaInvalid, "a schema must be a JSON object"));
        }
        if let Some(r) = external_ref(&schema) {
            return Err(JobError::new(
                ErrorCode::SchemaRemoteRef,
                format!("`$ref: {r}` points outside the schema; only local `#...` references are allowed"),
            ));
        }
        let build = |formats: bool| {
            // The `regex` crate: linear time whatever the pattern, so `(a+)+$` cannot hold
            // the worker; a pattern it cannot compile (look-around, back-references, or
            // one that grows past the size limit) makes the schema invalid.
            jsonschema::options()
                .with_pattern_options(jsonschema::PatternOptions::regex().size_limit(PATTERN_BYTES))
                .should_validate_formats(formats)
                .build(&schema)
                .map_err(|e| JobError::new(ErrorCode::SchemaInvalid, format!("not a valid JSON Schema: {e}")))
        };
        let (validator, strict) = (build(false)?, build(true)?);
        Ok(CompiledSchema { id: id.to_string(), schema, validator, strict })
    }

    /// Every way `output` breaks the schema, `format` taken as an annotation; empty
    /// when it is valid.
    pub fn violations(&self, output: &Value) -> Vec<ErrorDetail> {
        Self::errors(&self.validator, output)
    }

    /// Every way `output` breaks the schema with `format` asserted.
    pub fn strict_violations(&self, output: &Value) -> Vec<ErrorDetail> {
        Self::errors(&self.strict, output)
    }

    fn errors(validator: &jsonschema::Validator, output: &Value) -> Vec<ErrorDetail> {
        validator
            .iter_errors(output)
            .map(|e| ErrorDetail {
                code: ErrorCode::SchemaViolation,
                message: e.to_string(),
                path: Some(e.instance_path().as_str().to_string()).filter(|p| !p.is_empty()),
            })
            .collect()
    }
}

/// Refuses an inline schema over `max_bytes` (compact JSON) or nested deeper than
/// `max_depth` objects and arrays, before anything compiles it.
pub fn check_size(schema: &Value, max_bytes: usize, max_depth: usize) -> Result<(), JobError> {
    let depth = nesting(schema, max_depth.saturating_add(1));
    if depth > max_depth {
        return Err(JobError::new(
            ErrorCode::SchemaInvalid,
            format!("the schema nests deeper than {max_depth} objects and arrays (limits.max_schema_depth)"),
        ));
    }
    let mut counter = ByteCount(0);
    // Writing into a counter cannot fail; the count stops mattering past the limit.
    let _ = serde_json::to_writer(&mut counter, schema);
    if counter.0 > max_bytes {
        return Err(JobError::new(
            ErrorCode::SchemaInvalid,
            format!("the schema is {} bytes, over the limit of {max_bytes} (limits.max_schema_bytes)", counter.0),
        ));
    }
    Ok(())
}

/// Nesting depth of objects and arrays in `v`, counted no further than `cap`.
fn nesting(v: &Value, cap: usize) -> usize {
    if cap == 0 {
        return 0;
    }
    let inner = match v {
        Value::Object(m) => m.values().map(|x| nesting(x, cap - 1)).max().unwrap_or(0),
        Value::Array(a) => a.iter().map(|x| nesting(x, cap - 1)).max().unwrap_or(0),
        _ => return 0,
    };
    1 + inner
}

/// A writer that only counts bytes.
struct ByteCount(usize);

impl std::io::Write for ByteCount {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The first `$ref` (or `$dynamicRef`/`$recursiveRef`) that does not start with `#`.
pub fn external_ref(schema: &Value) -> Option<String> {
    match schema {
        Value::Object(map) => map.iter().find_map(|(k, v)| match (k.as_str(), v) {
            ("$ref" | "$dynamicRef" | "$recursiveRef", Value::String(r)) if !r.starts_with('#') => Some(r.clone()),
            _ => external_ref(v),
        }),
        Value::Array(items) => items.iter().find_map(external_ref),
        _ => None,
    }
}

/// Why the registry could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read schema directory {path}: {source}; set schemas_dir in the config or pass --schemas DIR")]
    Dir { path: PathBuf, source: std::io::Error },
    #[error("{} schema file(s) are unusable:\n{}", .0.len(), .0.iter().map(|(p, m)| format!("  {}: {m}", p.display())).collect::<Vec<_>>().join("\n"))]
    BadFiles(Vec<(PathBuf, String)>),
}

/// All schemas of a directory tree, by id.
#[derive(Debug, Default)]
pub struct SchemaRegistry {
    schemas: BTreeMap<String, (PathBuf, Arc<CompiledSchema>)>,
}

impl SchemaRegistry {
    /// Loads every `*.json` under `dir` (recursively). Reports every bad file at once.
    pub fn load(dir: &Path) -> Result<SchemaRegistry, RegistryError> {
        let mut files = Vec::new();
        collect_json_files(dir, &mut files).map_err(|source| RegistryError::Dir { path: dir.to_path_buf(), source })?;
        files.sort();
        let mut registry = SchemaRegistry::default();
        let mut bad = Vec::new();
        for path in files {
            let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            if let Some((first, _)) = registry.schemas.get(&id) {
                bad.push((path.clone(), format!("id `{id}` is already used by {}", first.display())));
                continue;
            }
            match load_file(&path, &id) {
                Ok(s) => {
                    registry.schemas.insert(id, (path, Arc::new(s)));
                }
                Err(message) => bad.push((path, message)),
            }
        }
        if bad.is_empty() {
            Ok(registry)
        } else {
            Err(RegistryError::BadFiles(bad))
        }
    }

    /// The schema a job names: a registry id, or its inline schema compiled now.
    pub fn resolve(&self, schema: &SchemaRef) -> Result<Arc<CompiledSchema>, JobError> {
        match schema {
            SchemaRef::Id(id) => self.get(id),
            SchemaRef::Inline(value) => CompiledSchema::compile("inline", value.clone()).map(Arc::new),
        }
    }

    /// The registry schema with this id.
    pub fn get(&self, id: &str) -> Result<Arc<CompiledSchema>, JobError> {
        self.schemas.get(id).map(|(_, s)| s.clone()).ok_or_else(|| {
            JobError::new(
                ErrorCode::UnknownSchema,
                format!("no schema `{id}` in the registry; `maaza schemas list` shows the ids"),
            )
        })
    }

    /// Ids with the file each came from, sorted by id.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Path)> {
        self.schemas.iter().map(|(id, (p, _))| (id.as_str(), p.as_path()))
    }

    /// Number of schemas.
    pub fn len(&self) -> usize {
        self.schemas.len()
    }

    /// Whether the registry is empty.
    pub fn is_empty(&self) -> bool {
        self.schemas.is_empty()
    }
}

/// Reads and compiles one schema file; the error is a one-line reason.
pub fn load_file(path: &Path, id: &str) -> Result<CompiledSchema, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    CompiledSchema::compile(id, value).map_err(|e| e.to_string())
}

fn collect_json_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patterns_run_in_linear_time_or_are_refused() {
        // With a backtracking engine this check takes 2^40 steps.
        let s = CompiledSchema::compile("x", json!({"type": "string", "pattern": "^(a+)+$"})).unwrap();
        let bad = format!("{}!", "a".repeat(40));
        assert_eq!(s.violations(&json!(bad)).len(), 1);
        assert!(s.violations(&json!("aaaa")).is_empty());
        let look = json!({"type": "string", "pattern": "(?=x)a"});
        assert_eq!(CompiledSchema::compile("x", look).unwrap_err().code, ErrorCode::SchemaInvalid);
    }

    #[test]
    fn remote_refs_are_refused_and_local_ones_allowed() {
        let remote = json!({"type":"object","properties":{"a":{"$ref":"https://evil.example/s.json"}}});
        assert_eq!(CompiledSchema::compile("x", remote).unwrap_err().code, ErrorCode::SchemaRemoteRef);
        let file = json!({"allOf":[{"$ref":"other.json#/a"}]});
        assert_eq!(CompiledSchema::compile("x", file).unwrap_err().code, ErrorCode::SchemaRemoteRef);
        let local = json!({"$defs":{"n":{"type":"integer"}},"type":"object","properties":{"a":{"$ref":"#/$defs/n"}}});
        let s = CompiledSchema::compile("x", local).unwrap();
        assert!(s.violations(&json!({"a": 1})).is_empty());
        let v = s.violations(&json!({"a": "one"}));
        assert_eq!(v[0].path.as_deref(), Some("/a"));
    }

    #[test]
    fn inline_schemas_over_the_size_or_depth_limit_are_refused() {
        let mut deep = json!({"type": "string"});
        for _ in 0..20 {
            deep = json!({"type": "object", "properties": {"a": deep}});
        }
        assert!(check_size(&deep, 1 << 20, 41).is_ok());
        let e = check_size(&deep, 1 << 20, 40).unwrap_err();
        assert_eq!(e.code, ErrorCode::SchemaInvalid);
        assert!(e.message.contains("limits.max_schema_depth"), "{}", e.message);
        let wide = json!({"enum": (0..1000).map(|i| format!("value-{i}")).collect::<Vec<_>>()});
        let e = check_size(&wide, 4096, 32).unwrap_err();
        assert!(e.message.contains("limits.max_schema_bytes"), "{}", e.message);
        assert!(check_size(&wide, 1 << 20, 32).is_ok());
    }

    #[test]
    fn invalid_schemas_are_schema_invalid() {
        assert_eq!(CompiledSchema::compile("x", json!([1])).unwrap_err().code, ErrorCode::SchemaInvalid);
        assert_eq!(CompiledSchema::compile("x", json!({"type": 12})).unwrap_err().code, ErrorCode::SchemaInvalid);
    }

    #[test]
    fn registry_reports_bad_files_and_duplicate_ids() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("good.json"), r#"{"type":"object"}"#).unwrap();
        std::fs::write(dir.path().join("a/good.json"), r#"{"type":"object"}"#).unwrap();
        std::fs::write(dir.path().join("broken.json"), "{nope").unwrap();
        let e = SchemaRegistry::load(dir.path()).unwrap_err().to_string();
        assert!(e.contains("broken.json: not JSON"), "{e}");
        assert!(e.contains("already used"), "{e}");
    }

    #[test]
    fn shipped_registry_loads_with_enough_schemas_per_tier() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        let r = SchemaRegistry::load(&dir).unwrap();
        for tier in ["simple", "medium", "complex"] {
            let n = r.entries().filter(|(_, p)| p.parent().is_some_and(|d| d.ends_with(tier))).count();
            assert!(n >= 8, "{tier} has {n} schemas");
        }
        assert_eq!(r.get("nope").unwrap_err().code, ErrorCode::UnknownSchema);
    }
}
