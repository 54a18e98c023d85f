//! `maaza bench`: run an EdgeJSON dataset through the pipeline, print the table,
//! write the report and the predictions.

use super::{load_engine, pipeline, Failure, EXIT_BAD_INPUT};
use crate::{BenchArgs, BenchCommand};
use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use maaza::bench::{self, ModelReport};
use maaza::config::Config;
use maaza::job::{Job, SchemaRef};
use maaza::schema::SchemaRegistry;
use std::io::{IsTerminal, Write};
use std::time::Instant;

/// `maaza bench` and `maaza bench compare`.
pub fn run(config: &Config, args: BenchArgs) -> Result<u8, Failure> {
    match &args.command {
        Some(BenchCommand::Compare { reports }) => return compare(reports),
        Some(BenchCommand::Gen { seed, count, holdout, out }) => return generate(*seed, *count, *holdout, out),
        None => {}
    }
    let (Some(dataset), Some(schemas)) = (&args.dataset, &args.schemas) else {
        return Err(Failure::bad_input("--dataset and --schemas are required".into()));
    };
    if let Some(chart) = args.chart.as_ref().filter(|p| p.extension().and_then(|e| e.to_str()) != Some("svg")) {
        return Err(Failure::bad_input(format!("--chart {}: only .svg charts are supported", chart.display())));
    }
    let registry = SchemaRegistry::load(schemas).map_err(|e| Failure::bad_input(e.to_string()))?;
    let folder_of = |id: &str| {
        registry
            .entries()
            .find(|(i, _)| *i == id)
            .and_then(|(_, p)| p.parent().and_then(|d| d.file_name()).map(|n| n.to_string_lossy().into_owned()))
    };
    let mut examples = bench::load_dataset(dataset, folder_of).map_err(Failure::bad_input)?;
    if let Some(limit) = args.limit {
        examples.truncate(limit);
    }
    if let Some(path) = &args.prompts {
        return write_prompts(path, &examples, &registry);
    }
    let engine = load_engine(config, &args.run)?;
    let mut pipeline = pipeline(config, &engine, &registry, &args.run)?;

    let bar = ProgressBar::new(examples.len() as u64);
    // No terminal, no bar: plain lines now and then instead.
    let mut lines = (!std::io::stderr().is_terminal()).then(|| {
        bar.set_draw_target(ProgressDrawTarget::hidden());
        bench::progress::Progress::new(examples.len(), Instant::now())
    });
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} examples, {elapsed} elapsed, ETA {eta} {msg}")
    {
        bar.set_style(style);
    }
    let mut scored = Vec::with_capacity(examples.len());
    for ex in &examples {
        bar.set_message(ex.id.clone());
        let job = Job {
            id: ex.id.clone(),
            schema: SchemaRef::Id(ex.schema_id.clone()),
            input: ex.prompt.clone(),
            model: None,
            adapter: None,
            reply_to: None,
            max_tokens: args.run.max_tokens,
        };
        let schema = registry.get(&ex.schema_id).ok();
        let plan = schema.as_deref().and_then(|s| pipeline.plan_for(&s.schema, &ex.prompt));
        let s = bench::score(ex, pipeline.run(&job, Instant::now()), schema.as_deref(), plan.as_ref());
        if let Some(line) =
            lines.as_mut().and_then(|p| p.tick(s.json_exact, s.result.telemetry.total_ms, Instant::now()))
        {
            eprintln!("{line}");
        }
        scored.push(s);
        bar.inc(1);
    }
    bar.finish_and_clear();

    let spec = engine.spec();
    let model = ModelReport {
        name: spec.name.clone(),
        file: spec.path.display().to_string(),
        quant: spec.quant.clone(),
        params: engine.n_params(),
        adapter: args.run.adapter.as_deref().map(super::adapter_name).or_else(|| spec.default_adapter.clone()),
    };
    let report = bench::report(model, spec.threads, !args.run.unconstrained, &scored);
    print!("{}", bench::table(&report));
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&report).context("serializing the report")?;
        std::fs::write(path, text + "\n").with_context(|| format!("writing {}", path.display()))?;
        eprintln!("maaza: report written to {}", path.display());
    }
    if let Some(path) = &args.chart {
        let latencies: Vec<f64> = scored.iter().map(|s| s.result.telemetry.total_ms).collect();
        bench::chart::draw(path, &report, &latencies).map_err(Failure::bad_input)?;
        eprintln!("maaza: chart written to {}", path.display());
    }
    if let Some(path) = &args.predictions {
        let mut file = std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        );
        for s in &scored {
            writeln!(file, "{}", s.prediction).with_context(|| format!("writing {}", path.display()))?;
        }
        file.flush().with_context(|| format!("writing {}", path.display()))?;
        eprintln!("maaza: predictions written to {}", path.display());
    }
    let rejected = scored.iter().filter(|s| s.result.status == maaza::job::Status::Rejected).count();
    if rejected > 0 {
        eprintln!(
            "maaza: {rejected} examples were rejected (unknown schema, context overflow, ...): see the predictions"
        );
        return Ok(EXIT_BAD_INPUT);
    }
    Ok(0)
}

/// `--prompts`: each example as the messages maaza would send, with the answer.
fn write_prompts(
    path: &std::path::Path,
    examples: &[bench::Example],
    registry: &SchemaRegistry,
) -> Result<u8, Failure> {
    use maaza::engine::prompt;
    let mut out = String::new();
    for ex in examples {
        let schema = registry.get(&ex.schema_id)?;
        let user = prompt::user_message(&schema.schema).replace(prompt::INPUT_MARK, &ex.prompt);
        let line = serde_json::json!({
            "id": ex.id,
            "messages": [{"role": "system", "content": prompt::SYSTEM}, {"role": "user", "content": user}],
            "answer": ex.expected,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("maaza: {} prompts written to {}", examples.len(), path.display());
    Ok(0)
}

fn generate(seed: u64, count: usize, holdout: f64, out: &std::path::Path) -> Result<u8, Failure> {
    if count == 0 || !(0.0..1.0).contains(&holdout) {
        return Err(Failure::bad_input("--count must be at least 1 and --holdout in [0, 1)".into()));
    }
    let generated = bench::gen::generate(seed, count, holdout);
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (name, examples) in [("dev.jsonl", &generated.dev), ("heldout.jsonl", &generated.heldout)] {
        let path = out.join(name);
        let text: String = examples.iter().map(|e| format!("{e}\n")).collect();
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("maaza: {} examples written to {}", examples.len(), path.display());
    }
    Ok(0)
}

fn compare(paths: &[std::path::PathBuf]) -> Result<u8, Failure> {
    let mut labels = Vec::new();
    let mut reports = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(p)
            .map_err(|e| Failure::bad_input(format!("cannot read report {}: {e}", p.display())))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Failure::bad_input(format!("report {} is not JSON: {e}", p.display())))?;
        labels.push(p.file_name().map_or(p.display().to_string(), |n| n.to_string_lossy().into_owned()));
        reports.push(value);
    }
    print!("{}", bench::compare(&labels, &reports));
    Ok(0)
}
