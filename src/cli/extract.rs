//! `maaza extract`: one job from the command line, no broker.

use super::{load_registry, Failure, EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INVALID_OUTPUT};
use crate::ExtractArgs;
use anyhow::Context as _;
use maaza::config::Config;
use maaza::engine::constraint::{Constraint, JsonSchemaConstraint, Unconstrained};
use maaza::engine::Engine;
use maaza::job::{ErrorCode, Job, JobError, JobResult, SchemaRef, Status};
use maaza::models::manifest::Manifest;
use maaza::models::{self, ModelSpec};
use maaza::pipeline::Pipeline;
use maaza::schema::SchemaRegistry;
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::time::Instant;

/// `maaza extract`: one job through the pipeline, printed.
pub fn run(config: &Config, args: ExtractArgs) -> Result<u8, Failure> {
    let text = read_text(args.text.as_deref())?;
    let (schema_ref, registry) = schema_for(config, &args.schema, args.schemas.as_deref())?;
    let manifest = Manifest::load(args.manifest.as_deref()).map_err(|e| Failure::bad_input(e.to_string()))?;
    let mut spec = models::resolve(args.model.as_deref(), config, &manifest)?;
    apply_overrides(&mut spec, args.threads, args.context)?;
    let engine = Engine::load(&spec)?;
    let constraint: Box<dyn Constraint> =
        if args.unconstrained { Box::new(Unconstrained) } else { Box::new(JsonSchemaConstraint) };
    let mut pipeline = Pipeline::new(&engine, &registry, constraint, config.limits.max_input_bytes, &config.node_id)?;
    let job = Job {
        id: format!("cli-{}", std::process::id()),
        schema: schema_ref,
        input: text,
        model: None,
        reply_to: None,
        max_tokens: Some(args.max_tokens),
    };
    let result = pipeline.run(&job, Instant::now());
    print_result(&result, args.json)
}

fn print_result(result: &JobResult, full: bool) -> Result<u8, Failure> {
    if full {
        println!("{}", serde_json::to_string_pretty(result).context("serializing the result")?);
    } else if let Some(output) = result.output.as_ref().filter(|_| result.status == Status::Ok) {
        println!("{}", serde_json::to_string_pretty(output).context("serializing the output")?);
    }
    let exit = match result.status {
        Status::Ok => 0,
        Status::Rejected => EXIT_BAD_INPUT,
        Status::Failed => EXIT_FAILED,
        Status::InvalidOutput => EXIT_INVALID_OUTPUT,
    };
    if result.status != Status::Ok && !full {
        for e in &result.errors {
            let at = e.path.as_deref().map(|p| format!(" at {p}")).unwrap_or_default();
            eprintln!("maaza: {}: {}{at}", e.code.code(), e.message);
        }
        if let Some(raw) = &result.raw {
            eprintln!("maaza: model output was: {raw}");
        }
    }
    Ok(exit)
}

fn read_text(arg: Option<&str>) -> Result<String, Failure> {
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

/// `--schema` as a file (inline schema, empty registry) or as a registry id.
fn schema_for(config: &Config, arg: &str, dir: Option<&Path>) -> Result<(SchemaRef, SchemaRegistry), Failure> {
    let as_path = Path::new(arg);
    if arg.ends_with(".json") || arg.contains('/') {
        let text = std::fs::read_to_string(as_path)
            .map_err(|e| JobError::new(ErrorCode::UnknownSchema, format!("cannot read schema file {arg}: {e}")))?;
        let value = serde_json::from_str(&text)
            .map_err(|e| JobError::new(ErrorCode::SchemaInvalid, format!("schema file {arg} is not JSON: {e}")))?;
        return Ok((SchemaRef::Inline(value), SchemaRegistry::default()));
    }
    let registry = load_registry(config, dir)?;
    Ok((SchemaRef::Id(arg.to_string()), registry))
}

fn apply_overrides(spec: &mut ModelSpec, threads: Option<u32>, context: Option<u32>) -> Result<(), Failure> {
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
