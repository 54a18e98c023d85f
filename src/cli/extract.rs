//! `maaza extract`: one job from the command line, no broker.

use super::{load_engine, pipeline, print_result, read_text, registry_for, schema_ref, Failure};
use crate::ExtractArgs;
use anyhow::Context as _;
use maaza::config::Config;
use maaza::job::Job;
use std::time::Instant;

/// `maaza extract`: one job through the pipeline, printed.
pub fn run(config: &Config, args: ExtractArgs) -> Result<u8, Failure> {
    let text = read_text(args.text.as_deref())?;
    let schema_ref = schema_ref(&args.schema)?;
    let registry = registry_for(config, &schema_ref, args.schemas.as_deref())?;
    let engine = load_engine(config, &args.run)?;
    let mut pipeline = pipeline(config, &engine, &registry, &args.run)?;
    let job = Job {
        id: format!("cli-{}", std::process::id()),
        schema: schema_ref,
        input: text,
        model: None,
        adapter: None,
        reply_to: None,
        max_tokens: args.run.max_tokens,
    };
    let result = pipeline.run(&job, Instant::now());
    let value = serde_json::to_value(&result).context("serializing the result")?;
    print_result(&value, args.json)
}
