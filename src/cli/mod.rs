//! The subcommands' work, one file each, and the error type they end the program with.

pub mod bench;
pub mod docs;
pub mod extract;
pub mod models;
pub mod plan;
pub mod schemas;
pub mod serve;
pub mod status;
pub mod submit;

use anyhow::Context as _;
use maaza::config::Config;
use maaza::job::{ErrorCode, JobError, SchemaRef};
use maaza::schema::SchemaRegistry;
use serde_json::Value;
use std::io::{IsTerminal, Read};
use std::path::Path;

/// Exit code for bad input: a rejected job, a bad argument, config or model file.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when maaza itself failed.
pub const EXIT_FAILED: u8 = 1;
/// Exit code when the model's output did not validate.
pub const EXIT_INVALID_OUTPUT: u8 = 3;

/// An error for the user, with the exit code it ends the program with.
pub struct Failure {
    pub exit: u8,
    pub message: String,
}

impl Failure {
    pub fn bad_input(message: String) -> Failure {
        Failure { exit: EXIT_BAD_INPUT, message }
    }
    pub fn internal(message: String) -> Failure {
        Failure { exit: EXIT_FAILED, message }
    }
}

impl From<JobError> for Failure {
    fn from(e: JobError) -> Failure {
        let exit = if e.code == ErrorCode::Internal { EXIT_FAILED } else { EXIT_BAD_INPUT };
        Failure { exit, message: e.to_string() }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::internal(format!("{e:#}"))
    }
}

/// The schema registry of `dir`, else of the config's `schemas_dir`.
pub fn load_registry(config: &Config, dir: Option<&Path>) -> Result<SchemaRegistry, Failure> {
    let dir = dir.unwrap_or(&config.schemas_dir);
    SchemaRegistry::load(dir).map_err(|e| Failure::bad_input(e.to_string()))
}

/// The registry a job on `schema` needs: the schema directory for a registry id, none
/// for an inline schema.
pub fn registry_for(config: &Config, schema: &SchemaRef, dir: Option<&Path>) -> Result<SchemaRegistry, Failure> {
    match schema {
        SchemaRef::Id(_) => load_registry(config, dir),
        SchemaRef::Inline(_) => Ok(SchemaRegistry::default()),
    }
}

/// The text argument, or standard input for `-` or none.
pub fn read_text(arg: Option<&str>) -> Result<String, Failure> {
    match arg {
        Some(t) if t != "-" => Ok(t.to_string()),
        _ => {
            if std::io::stdin().is_terminal() {
                return Err(Failure::bad_input(
                    "no text given: pass it as an argument or pipe it on standard input".into(),
                ));
            }
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| Failure::bad_input(format!("cannot read standard input: {e}")))?;
            Ok(s)
        }
    }
}

/// `--schema`: a path to a JSON Schema file (sent inline) or a registry id.
pub fn schema_ref(arg: &str) -> Result<SchemaRef, Failure> {
    if !(arg.ends_with(".json") || arg.contains('/')) {
        return Ok(SchemaRef::Id(arg.to_string()));
    }
    let text = std::fs::read_to_string(arg)
        .map_err(|e| JobError::new(ErrorCode::UnknownSchema, format!("cannot read schema file {arg}: {e}")))?;
    let value = serde_json::from_str(&text)
        .map_err(|e| JobError::new(ErrorCode::SchemaInvalid, format!("schema file {arg} is not JSON: {e}")))?;
    Ok(SchemaRef::Inline(value))
}

/// Prints a result (serialized `JobResult`): the output alone, or everything with `full`.
/// Errors go to stderr; the exit code follows the status.
pub fn print_result(result: &Value, full: bool) -> Result<u8, Failure> {
    let status = result.get("status").and_then(Value::as_str).unwrap_or("failed");
    if full {
        println!("{}", serde_json::to_string_pretty(result).context("serializing the result")?);
    } else if let Some(output) = result.get("output").filter(|_| status == "ok") {
        println!("{}", serde_json::to_string_pretty(output).context("serializing the output")?);
    }
    if status != "ok" && !full {
        for e in result.get("errors").and_then(Value::as_array).into_iter().flatten() {
            let field = |k: &str| e.get(k).and_then(Value::as_str);
            let at = field("path").map(|p| format!(" at {p}")).unwrap_or_default();
            eprintln!("maaza: {}: {}{at}", field("code").unwrap_or("?"), field("message").unwrap_or(""));
        }
        if let Some(raw) = result.get("raw").and_then(Value::as_str) {
            eprintln!("maaza: model output was: {raw}");
        }
    }
    Ok(match status {
        "ok" => 0,
        "rejected" => EXIT_BAD_INPUT,
        "invalid_output" => EXIT_INVALID_OUTPUT,
        _ => EXIT_FAILED,
    })
}

/// `--threads`, `--context`, `--kv-cache`, `--batch` and `--prefix-cache-mb` over a model's settings, checked.
fn apply_overrides(spec: &mut maaza::models::ModelSpec, run: &crate::RunArgs) -> Result<(), Failure> {
    let (threads, context) = (run.threads, run.context);
    if let Some(kv) = run.kv_cache {
        spec.kv_cache = kv;
    }
    if let Some(mb) = run.prefix_cache_mb {
        spec.prefix_cache_mb = mb;
    }
    if let Some(b) = run.batch {
        let range = maaza::config::BATCH_RANGE;
        if !range.contains(&b) {
            return Err(Failure::bad_input(format!("--batch must be between {} and {}", range.start(), range.end())));
        }
        spec.batch = b;
    }
    if let Some(t) = threads {
        if t == 0 {
            return Err(Failure::bad_input("--threads must be at least 1".into()));
        }
        spec.threads = t;
    }
    if let Some(c) = context {
        if c < maaza::config::MIN_CONTEXT {
            return Err(Failure::bad_input(format!("--context must be at least {}", maaza::config::MIN_CONTEXT)));
        }
        spec.context = c;
    }
    Ok(())
}

/// The model `--model` (or the config) names, with the run's overrides applied, loaded.
pub fn load_engine(config: &Config, run: &crate::RunArgs) -> Result<maaza::engine::Engine, Failure> {
    let manifest = maaza::models::manifest::Manifest::load(run.manifest.as_deref())
        .map_err(|e| Failure::bad_input(e.to_string()))?;
    let mut spec = maaza::models::resolve(run.model.as_deref(), config, &manifest)?;
    apply_overrides(&mut spec, run)?;
    if run.bare {
        spec.adapters.clear();
        spec.default_adapter = None;
    }
    if let Some((file, name)) = run.adapter.as_deref().and_then(|a| Some((a, maaza::models::file_name_of(a)?))) {
        if !spec.adapters.iter().any(|x| x.name == name) {
            spec.adapters.push(maaza::models::AdapterSpec { name, path: file.into(), scale: 1.0 });
        }
    }
    Ok(maaza::engine::Engine::load(&spec)?)
}

/// The name `--adapter` goes by in results: a configured name, or a file's stem.
pub fn adapter_name(adapter: &str) -> String {
    maaza::models::file_name_of(adapter).unwrap_or_else(|| adapter.to_string())
}

/// A pipeline over `engine` as the daemon runs it: the schema grammar unless
/// `--unconstrained`, and the config's telemetry meters.
pub fn pipeline<'m>(
    config: &Config,
    engine: &'m maaza::engine::Engine,
    registry: &'m SchemaRegistry,
    run: &crate::RunArgs,
) -> Result<maaza::pipeline::Pipeline<'m>, Failure> {
    use maaza::engine::constraint::{from_config, Unconstrained};
    let mut decoding = config.decoding;
    if let Some(grammar) = run.grammar {
        decoding.grammar = grammar;
    }
    decoding.evidence &= !run.no_evidence;
    decoding.loop_guard &= !run.no_loop_guard;
    decoding.anchor &= !run.no_anchor;
    decoding.plan &= !run.no_plan;
    if run.prose_plan {
        decoding.plan_prose = maaza::config::ProsePlan::Always;
    }
    if run.no_prose_plan {
        decoding.plan_prose = maaza::config::ProsePlan::Never;
    }
    let constraint = if run.unconstrained { Box::new(Unconstrained) } else { from_config(&decoding) };
    let mut pipeline = maaza::pipeline::Pipeline::new(engine, registry, constraint, &config.limits, &config.node_id)?;
    pipeline.configure(&decoding);
    pipeline.jump_forward(!run.no_jump_forward);
    if let Some(adapter) = run.adapter.as_deref() {
        pipeline.default_adapter(Some(adapter_name(adapter)));
    }
    if let Some(limit) = config.limits.job_timeout_s {
        pipeline.limit_time(std::time::Duration::from_secs_f64(limit));
    }
    let meters = maaza::telemetry::Meters::open(&config.telemetry).map_err(Failure::bad_input)?;
    pipeline.measure(std::sync::Arc::new(meters));
    Ok(pipeline)
}
