//! `maaza extract`: one job from the command line, no broker.

use super::{load_engine, load_registry, pipeline, print_result, read_text, schema_ref, Failure};
use crate::ExtractArgs;
use anyhow::Context as _;
use maaza::config::Config;
use maaza::job::{Job, SchemaRef};
use maaza::schema::SchemaRegistry;
use std::time::Instant;

/// `maaza extract`: one job through the pipeline, printed.
pub fn run(config: &Config, args: ExtractArgs) -> Result<u8, Failure> {
    let text = read_text(args.text.as_deref())?;
    let schema_ref = schema_ref(&args.schema)?;
    let registry = match schema_ref {
        SchemaRef::Id(_) => load_registry(config, args.schemas.as_deref())?,
        SchemaRef::Inline(_) => SchemaRegistry::default(),
    };
    let engine = load_engine(config, &args.run)?;
    let mut pipeline = pipeline(config, &engine, &registry, &args.run)?;
    let job = Job {
        id: format!("cli-{}", std::process::id()),
        schema: schema_ref,
        input: text,
        model: None,
        reply_to: None,
        max_tokens: args.run.max_tokens,
    };
    let result = pipeline.run(&job, Instant::now());
    let value = serde_json::to_value(&result).context("serializing the result")?;
    print_result(&value, args.json)
}
