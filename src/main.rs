//! `maaza`: parse arguments, load config, call one entry point per subcommand.

mod cli;

use clap::{Args, CommandFactory, Parser, Subcommand};
use cli::Failure;
use maaza::config::Config;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "maaza", version, about = "Schema-constrained JSON extraction with small GGUF models")]
struct Cli {
    /// Config file (default: $MAAZA_CONFIG, else /etc/maaza/maaza.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract JSON from one text (no broker) and print it.
    Extract(ExtractArgs),
    /// Show how the planner reads a text under a schema (no model): blocks, plan, output or grammar.
    Plan(PlanArgs),
    /// Run the MQTT daemon: jobs from the broker, validated results back.
    Serve(ServeArgs),
    /// Send one job to a running daemon over MQTT and print its result.
    Submit(SubmitArgs),
    /// Show every node on the broker: state, uptime, model, jobs, queue, speed, temperature.
    Status(StatusArgs),
    /// Run an EdgeJSON dataset through the pipeline and score it.
    Bench(BenchArgs),
    /// List, fetch and verify model files.
    #[command(subcommand)]
    Models(ModelsCommand),
    /// List or check the schema registry.
    #[command(subcommand)]
    Schemas(SchemasCommand),
    /// Print a shell completion script (e.g. `maaza completions bash > /etc/bash_completion.d/maaza`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the maaza(1) man page (roff).
    Man,
}

/// The broker of `submit` and `status`, over the config's `[mqtt]`.
#[derive(Args)]
pub struct BrokerArgs {
    /// Broker host (default: mqtt.host from the config).
    #[arg(long)]
    pub host: Option<String>,
    /// Broker port (default: mqtt.port from the config).
    #[arg(long)]
    pub port: Option<u16>,
}

impl BrokerArgs {
    /// The config's `[mqtt]` with `--host` and `--port` applied.
    pub fn apply(&self, mqtt: &maaza::config::MqttConfig) -> maaza::config::MqttConfig {
        let mut mqtt = mqtt.clone();
        if let Some(h) = &self.host {
            mqtt.host = h.clone();
        }
        if let Some(p) = self.port {
            mqtt.port = p;
        }
        mqtt
    }
}

#[derive(Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub broker: BrokerArgs,
    /// Keep the table on screen and redraw it every --interval seconds.
    #[arg(long)]
    pub watch: bool,
    /// Seconds between redraws with --watch.
    #[arg(long, default_value_t = 2.0)]
    pub interval: f64,
    /// Print the nodes' status messages as a JSON array (one line per redraw with --watch).
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ExtractArgs {
    /// Registry id (e.g. sensor_reading) or a path to a JSON Schema file.
    #[arg(long, short)]
    pub schema: String,
    /// Schema directory (default: schemas_dir from the config).
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
    /// Print the full result object (status, errors, telemetry) instead of the output.
    #[arg(long)]
    pub json: bool,
    /// The text, or `-` (or nothing) to read it from standard input.
    pub text: Option<String>,
}

#[derive(Args)]
pub struct PlanArgs {
    /// Registry id (e.g. sensor_reading) or a path to a JSON Schema file.
    #[arg(long, short)]
    pub schema: String,
    /// Schema directory (default: schemas_dir from the config).
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
    /// The text, or `-` (or nothing) to read it from standard input.
    pub text: Option<String>,
}

/// Model and decoding options shared by `extract` and `bench`.
#[derive(Args)]
pub struct RunArgs {
    /// Model name (config or manifest) or path to a .gguf file.
    #[arg(long, short)]
    pub model: Option<String>,
    /// LoRA adapter: a name from the model's `adapters` in the config, or a path to a
    /// GGUF adapter file, applied to every job (default: the manifest model's own adapter,
    /// `smollm2-135m-requests` for the default model).
    #[arg(long, value_name = "NAME|FILE", conflicts_with = "bare")]
    pub adapter: Option<String>,
    /// The bare model: no adapter, not even the manifest model's own.
    #[arg(long)]
    pub bare: bool,
    /// Threads for llama.cpp (default: the model's config, else the physical cores).
    #[arg(long)]
    pub threads: Option<u32>,
    /// Context size in tokens (default: the model's config, else 2048).
    #[arg(long)]
    pub context: Option<u32>,
    /// KV cache element type (default: the model's config, else f16).
    #[arg(long, value_name = "TYPE")]
    pub kv_cache: Option<maaza::config::KvCache>,
    /// Tokens per llama.cpp batch (default: the model's config, else 512).
    #[arg(long, value_name = "TOKENS")]
    pub batch: Option<u32>,
    /// Memory for saved prompt prefixes, one per schema, in MiB; 0 turns it off (default:
    /// the model's config, else 16).
    #[arg(long, value_name = "MIB")]
    pub prefix_cache_mb: Option<u32>,
    /// Decode grammar-forced tokens one per step instead of in one batch (to check
    /// whether outputs change; docs/bench.md has the comparison).
    #[arg(long)]
    pub no_jump_forward: bool,
    /// Cap on generated tokens per job (default: the longest output the plan admits,
    /// else 1024).
    #[arg(long)]
    pub max_tokens: Option<u32>,
    /// Decode without the schema grammar (for comparison; output may not validate).
    #[arg(long)]
    pub unconstrained: bool,
    /// Grammar: `extractive` (values copied from the input) or `json-schema` (default: the config's [decoding]).
    #[arg(long, value_name = "KIND")]
    pub grammar: Option<maaza::config::GrammarKind>,
    /// Extractive decoding without label evidence (for ablation).
    #[arg(long)]
    pub no_evidence: bool,
    /// Extractive decoding without the array loop guard (for ablation).
    #[arg(long)]
    pub no_loop_guard: bool,
    /// Extractive decoding without label anchoring (for ablation).
    #[arg(long)]
    pub no_anchor: bool,
    /// Skip the structure-first planner: every job decodes under `--grammar` (for ablation).
    #[arg(long)]
    pub no_plan: bool,
    /// Decode all prose under the prose plan, labelled or not (`[decoding] plan_prose = true`).
    #[arg(long, conflicts_with = "no_prose_plan")]
    pub prose_plan: bool,
    /// Decode all prose under `--grammar`, even text with no label (`[decoding] plan_prose = false`).
    #[arg(long)]
    pub no_prose_plan: bool,
    /// Extra model manifest (extends the built-in one); also MAAZA_MANIFEST.
    #[arg(long, env = "MAAZA_MANIFEST", value_name = "FILE")]
    pub manifest: Option<PathBuf>,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub command: Option<BenchCommand>,
    /// EdgeJSON JSONL: id, schema_id, prompt, expected_output[, complexity].
    #[arg(long, value_name = "FILE", required = true)]
    pub dataset: Option<PathBuf>,
    /// Folder searched recursively for `<schema_id>.json`.
    #[arg(long, value_name = "DIR", required = true)]
    pub schemas: Option<PathBuf>,
    /// Only the first N examples.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Write the JSON report here.
    #[arg(long, value_name = "OUT.json")]
    pub report: Option<PathBuf>,
    /// Write one line per example here: id, output (parsed JSON or raw text), valid.
    #[arg(long, value_name = "OUT.jsonl")]
    pub predictions: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
    /// Draw accuracy by complexity and the latency distribution here (SVG).
    #[arg(long, value_name = "OUT.svg")]
    pub chart: Option<PathBuf>,
    /// Write each example as chat messages (maaza's system and user prompt) with its
    /// expected answer, one JSON object per line, and run nothing: training data for an
    /// adapter that sees the prompts maaza sends (`training/`).
    #[arg(long, value_name = "OUT.jsonl")]
    pub prompts: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Generate our EdgeJSON-format dataset over schemas/ (seeded, reproducible):
    /// writes OUT/dev.jsonl and OUT/heldout.jsonl.
    Gen {
        /// The same seed always gives the same dataset.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Examples in all (40% simple, 40% medium, 20% complex).
        #[arg(long, default_value_t = 200)]
        count: usize,
        /// Share of each complexity kept for the held-out split.
        #[arg(long, default_value_t = 0.4)]
        holdout: f64,
        /// Folder to write dev.jsonl and heldout.jsonl into.
        #[arg(long, value_name = "DIR", default_value = "bench")]
        out: PathBuf,
    },
    /// Print several reports side by side (constrained vs unconstrained, model vs model).
    Compare {
        /// Report files written by `maaza bench --report`.
        #[arg(required = true, num_args = 2..)]
        reports: Vec<PathBuf>,
    },
}

#[derive(Args)]
pub struct ServeArgs {
    /// Model name (config or manifest) or path to a .gguf file (default: the config's default model).
    #[arg(long, short)]
    pub model: Option<String>,
    /// Extra model manifest (extends the built-in one); also MAAZA_MANIFEST.
    #[arg(long, env = "MAAZA_MANIFEST", value_name = "FILE")]
    pub manifest: Option<PathBuf>,
}

#[derive(Args)]
pub struct SubmitArgs {
    /// Registry id (e.g. sensor_reading) or a path to a JSON Schema file (sent inline).
    #[arg(long, short)]
    pub schema: String,
    #[command(flatten)]
    pub broker: BrokerArgs,
    /// Send to this node only (`<prefix>/nodes/NODE/jobs`) instead of the shared `<prefix>/jobs`.
    #[arg(long)]
    pub node: Option<String>,
    /// Job id (default: a fresh one). Reusing an id gets the stored answer.
    #[arg(long)]
    pub id: Option<String>,
    /// Model name the daemon should use.
    #[arg(long, short)]
    pub model: Option<String>,
    /// LoRA adapter (by name) of that model.
    #[arg(long)]
    pub adapter: Option<String>,
    /// Topic for the result (default: `<prefix>/results/<id>`).
    #[arg(long)]
    pub reply_to: Option<String>,
    /// Cap on generated tokens.
    #[arg(long)]
    pub max_tokens: Option<u32>,
    /// Seconds to wait for the result.
    #[arg(long, default_value_t = 300.0)]
    pub timeout: f64,
    /// Print the full result object (status, errors, telemetry) instead of the output.
    #[arg(long)]
    pub json: bool,
    /// The text, or `-` (or nothing) to read it from standard input.
    pub text: Option<String>,
}

#[derive(Subcommand)]
pub enum ModelsCommand {
    /// Show known models and whether each is present in the model directory.
    List(ModelsArgs),
    /// Download a model (default: the manifest's default) and verify its sha256.
    Fetch(ModelArgs),
    /// Check the sha256 of a downloaded model.
    Verify(ModelArgs),
    /// Download a GGUF (model or LoRA adapter) by URL and pin it by name in the user
    /// manifest (~/.config/maaza/models.toml, or --manifest FILE): without --sha256 the
    /// hash of what was downloaded is printed and pinned; with it, a mismatch is refused.
    Add(AddArgs),
}

#[derive(Args)]
pub struct AddArgs {
    /// Name to pin it under (used by `--model`, `models fetch|verify` and adapters' `entry`).
    pub name: String,
    /// HTTP(S) URL of the .gguf file.
    pub url: String,
    /// Expected sha256 of the file (64 hex digits).
    #[arg(long)]
    pub sha256: Option<String>,
    #[command(flatten)]
    pub common: ModelsArgs,
}

#[derive(Args)]
pub struct ModelsArgs {
    /// Model directory (default: model_dir from the config, else the user's cache).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Extra model manifest (extends the built-in one); also MAAZA_MANIFEST.
    #[arg(long, env = "MAAZA_MANIFEST", value_name = "FILE")]
    pub manifest: Option<PathBuf>,
}

#[derive(Args)]
pub struct ModelArgs {
    /// Model name from the manifest.
    pub name: Option<String>,
    #[command(flatten)]
    pub common: ModelsArgs,
}

#[derive(Subcommand)]
pub enum SchemasCommand {
    /// List schema ids and their files.
    List(SchemasArgs),
    /// Load and compile every schema; report each bad file.
    Check(SchemasArgs),
}

#[derive(Args)]
pub struct SchemasArgs {
    /// Schema directory (default: schemas_dir from the config).
    #[arg(long, value_name = "DIR")]
    pub schemas: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Generated from the definitions alone, with no config (the .deb build runs them).
    let generated = match &cli.command {
        Command::Completions { shell } => Some(cli::docs::completions(*shell)),
        Command::Man => Some(cli::docs::man()),
        _ => None,
    };
    if let Some(outcome) = generated {
        return finish(outcome);
    }
    let config = Config::discover(cli.config.as_deref());
    // The daemon logs what it does; one-shot commands only what goes wrong.
    let level = if matches!(cli.command, Command::Serve(_)) { "info" } else { "warn" };
    maaza::logging::init(config.as_ref().map_or(Default::default(), |c| c.log_format), level);
    let outcome = config.map_err(|e| Failure::bad_input(e.to_string())).and_then(|config| match cli.command {
        Command::Extract(args) => cli::extract::run(&config, args),
        Command::Plan(args) => cli::plan::run(&config, args),
        Command::Serve(args) => cli::serve::run(&config, args),
        Command::Submit(args) => cli::submit::run(&config, args),
        Command::Bench(args) => cli::bench::run(&config, args),
        Command::Models(cmd) => cli::models::run(&config, cmd),
        Command::Schemas(cmd) => cli::schemas::run(&config, cmd),
        Command::Status(args) => cli::status::run(&config, args),
        Command::Completions { .. } | Command::Man => Ok(0),
    });
    finish(outcome)
}

/// The exit code of a command; its error on stderr.
fn finish(outcome: Result<u8, Failure>) -> ExitCode {
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("maaza: {}", f.message);
            ExitCode::from(f.exit)
        }
    }
}

/// The clap definition, for completions and the man page.
pub fn command() -> clap::Command {
    Cli::command()
}
