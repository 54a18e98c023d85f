//! `maaza extract`: one job from the command line, no broker.

use super::{apply_overrides, load_registry, print_result, read_text, schema_ref, Failure};
use crate::ExtractArgs;
use anyhow::Context as _;
use maaza::config::Config;
use maaza::engine::constraint::{Constraint, JsonSchemaConstraint, Unconstrained};
use maaza::engine::Engine;
use maaza::job::{Job, SchemaRef};
use maaza::models;
use maaza::models::manifest::Manifest;
use maaza::pipeline::Pipeline;
use maaza::schema::SchemaRegistry;
use maaza::telemetry::Meters;
use std::time::Instant;

/// `maaza extract`: one job through the pipeline, printed.
pub fn run(config: &Config, args: ExtractArgs) -> Result<u8, Failure> {
    let text = read_text(args.text.as_deref())?;
    let schema_ref = schema_ref(&args.schema)?;
    let registry = match schema_ref {
        SchemaRef::Id(_) => load_registry(config, args.schemas.as_deref())?,
        SchemaRef::Inline(_) => SchemaRegistry::default(),
    };
    let manifest = Manifest::load(args.manifest.as_deref()).map_err(|e| Failure::bad_input(e.to_string()))?;
    let mut spec = models::resolve(args.model.as_deref(), config, &manifest)?;
    apply_overrides(&mut spec, args.threads, args.context)?;
    let engine = Engine::load(&spec)?;
    let constraint: Box<dyn Constraint> =
        if args.unconstrained { Box::new(Unconstrained) } else { Box::new(JsonSchemaConstraint) };
    let mut pipeline = Pipeline::new(&engine, &registry, constraint, config.limits.max_input_bytes, &config.node_id)?;
    let meters = Meters::open(&config.telemetry).map_err(Failure::bad_input)?;
    pipeline.measure(std::sync::Arc::new(meters));
    let job = Job {
        id: format!("cli-{}", std::process::id()),
        schema: schema_ref,
        input: text,
        model: None,
        reply_to: None,
        max_tokens: Some(args.max_tokens),
    };
    let result = pipeline.run(&job, Instant::now());
    let value = serde_json::to_value(&result).context("serializing the result")?;
    print_result(&value, args.json)
}
