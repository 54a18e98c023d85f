//! `maaza`: parse arguments, load config, call one entry point per subcommand.

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use maaza::config::Config;
use maaza::engine::constraint::{Constraint, JsonSchemaConstraint, Unconstrained};
use maaza::engine::Engine;
use maaza::job::{ErrorCode, Job, JobError, JobResult, SchemaRef, Status};
use maaza::models::fetch::{self, Fetched, Progress};
use maaza::models::manifest::Manifest;
use maaza::models::{self, ModelSpec};
use maaza::pipeline::Pipeline;
use maaza::schema::SchemaRegistry;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Exit code for bad input: a rejected job, a bad argument, config or model file.
const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when maaza itself failed.
const EXIT_FAILED: u8 = 1;
/// Exit code when the model's output did not validate.
const EXIT_INVALID_OUTPUT: u8 = 3;

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
    /// List, fetch and verify model files.
    #[command(subcommand)]
    Models(ModelsCommand),
    /// List or check the schema registry.
    #[command(subcommand)]
    Schemas(SchemasCommand),
}

#[derive(Args)]
struct ExtractArgs {
    /// Registry id (e.g. sensor_reading) or a path to a JSON Schema file.
    #[arg(long, short)]
    schema: String,
    /// Model name (config or manifest) or path to a .gguf file.
    #[arg(long, short)]
    model: Option<String>,
    /// Schema directory (default: schemas_dir from the config).
    #[arg(long, value_name = "DIR")]
    schemas: Option<PathBuf>,
    /// Threads for llama.cpp (default: the model's config, else all cores).
    #[arg(long)]
    threads: Option<u32>,
    /// Context size in tokens (default: the model's config, else 2048).
    #[arg(long)]
    context: Option<u32>,
    /// Cap on generated tokens.
    #[arg(long, default_value_t = maaza::pipeline::DEFAULT_MAX_TOKENS)]
    max_tokens: u32,
    /// Decode without the schema grammar (for comparison; output may not validate).
    #[arg(long)]
    unconstrained: bool,
    /// Print the full result object (status, errors, telemetry) instead of the output.
    #[arg(long)]
    json: bool,
    /// Extra model manifest (extends the built-in one); also MAAZA_MANIFEST.
    #[arg(long, env = "MAAZA_MANIFEST", value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// The text, or `-` (or nothing) to read it from standard input.
    text: Option<String>,
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// Show known models and whether each is present in the model directory.
    List(ModelsArgs),
    /// Download a model (default: the manifest's default) and verify its sha256.
    Fetch(ModelArgs),
    /// Check the sha256 of a downloaded model.
    Verify(ModelArgs),
}

#[derive(Args)]
struct ModelsArgs {
    /// Model directory (default: model_dir from the config, else the user's cache).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Extra model manifest (extends the built-in one); also MAAZA_MANIFEST.
    #[arg(long, env = "MAAZA_MANIFEST", value_name = "FILE")]
    manifest: Option<PathBuf>,
}

#[derive(Args)]
struct ModelArgs {
    /// Model name from the manifest.
    name: Option<String>,
    #[command(flatten)]
    common: ModelsArgs,
}

#[derive(Subcommand)]
enum SchemasCommand {
    /// List schema ids and their files.
    List(SchemasArgs),
    /// Load and compile every schema; report each bad file.
    Check(SchemasArgs),
}

#[derive(Args)]
struct SchemasArgs {
    /// Schema directory (default: schemas_dir from the config).
    #[arg(long, value_name = "DIR")]
    schemas: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let outcome = Config::discover(cli.config.as_deref())
        .map_err(|e| Failure::bad_input(e.to_string()))
        .and_then(|config| match cli.command {
            Command::Extract(args) => extract(&config, args),
            Command::Models(cmd) => models_command(&config, cmd),
            Command::Schemas(cmd) => schemas_command(&config, cmd),
        });
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("maaza: {}", f.message);
            ExitCode::from(f.exit)
        }
    }
}

/// An error for the user, with the exit code it ends the program with.
struct Failure {
    exit: u8,
    message: String,
}

impl Failure {
    fn bad_input(message: String) -> Failure {
        Failure { exit: EXIT_BAD_INPUT, message }
    }
    fn internal(message: String) -> Failure {
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

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MAAZA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,llama_cpp_2=error"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

fn extract(config: &Config, args: ExtractArgs) -> Result<u8, Failure> {
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
                return Err(Failure::bad_input("no text given: pass it as an argument or pipe it on standard input".into()));
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
        let text = std::fs::read_to_string(as_path).map_err(|e| {
            JobError::new(ErrorCode::UnknownSchema, format!("cannot read schema file {arg}: {e}"))
        })?;
        let value = serde_json::from_str(&text)
            .map_err(|e| JobError::new(ErrorCode::SchemaInvalid, format!("schema file {arg} is not JSON: {e}")))?;
        return Ok((SchemaRef::Inline(value), SchemaRegistry::default()));
    }
    let registry = load_registry(config, dir)?;
    Ok((SchemaRef::Id(arg.to_string()), registry))
}

fn load_registry(config: &Config, dir: Option<&Path>) -> Result<SchemaRegistry, Failure> {
    let dir = dir.unwrap_or(&config.schemas_dir);
    SchemaRegistry::load(dir).map_err(|e| Failure::bad_input(e.to_string()))
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

fn models_command(config: &Config, cmd: ModelsCommand) -> Result<u8, Failure> {
    let common = match &cmd {
        ModelsCommand::List(c) => c,
        ModelsCommand::Fetch(a) | ModelsCommand::Verify(a) => &a.common,
    };
    let manifest = Manifest::load(common.manifest.as_deref()).map_err(|e| Failure::bad_input(e.to_string()))?;
    let dir = common.dir.clone().unwrap_or_else(|| config.model_dir.clone());
    let entry = |name: &Option<String>| {
        let found = match name {
            Some(n) => manifest.get(n),
            None => manifest.default_entry(),
        };
        found.ok_or_else(|| {
            Failure::bad_input(format!(
                "unknown_model: no model `{}` in the manifest; known: {}",
                name.as_deref().unwrap_or("<default>"),
                manifest.names().join(", ")
            ))
        })
    };
    match &cmd {
        ModelsCommand::List(_) => {
            for e in &manifest.models {
                let path = dir.join(&e.file);
                let here = if path.is_file() { "present" } else { "absent" };
                let default = if manifest.default.as_deref() == Some(&e.name) { " (default)" } else { "" };
                println!("{}{default}\t{}\t{} MB\t{here}\t{}", e.name, e.quant, e.size / 1_000_000, path.display());
            }
            Ok(0)
        }
        ModelsCommand::Fetch(a) => {
            let e = entry(&a.name)?;
            eprintln!("fetching {} into {}", e.name, dir.display());
            let fetched = fetch::fetch(e, &dir, &mut Bar::default()).map_err(|err| match err {
                fetch::FetchError::Sha256Mismatch { .. } => Failure::bad_input(format!("sha256_mismatch: {err}")),
                other => Failure::internal(other.to_string()),
            })?;
            match &fetched {
                Fetched::AlreadyPresent(_) => eprintln!("{} already present and verified", e.name),
                Fetched::Downloaded(p) => eprintln!("{} downloaded and verified ({} bytes)", e.name, file_size(p)),
            }
            println!("{}", fetched.path().display());
            Ok(0)
        }
        ModelsCommand::Verify(a) => {
            let e = entry(&a.name)?;
            let path = dir.join(&e.file);
            match models::verify(&path, &e.sha256) {
                Ok(true) => {
                    println!("ok\t{}", path.display());
                    Ok(0)
                }
                Ok(false) => Err(Failure::bad_input(format!("sha256_mismatch: {} does not match the manifest", path.display()))),
                Err(err) => Err(Failure::bad_input(format!(
                    "model_unavailable: {}: {err}; run `maaza models fetch {}`",
                    path.display(),
                    e.name
                ))),
            }
        }
    }
}

fn file_size(p: &Path) -> u64 {
    std::fs::metadata(p).map_or(0, |m| m.len())
}

/// Download progress on stderr: a bar on a terminal, a line per 10% otherwise.
#[derive(Default)]
struct Bar {
    bar: Option<indicatif::ProgressBar>,
    total: Option<u64>,
    reported: u64,
}

impl Progress for Bar {
    fn start(&mut self, what: &str, total: Option<u64>) {
        self.total = total;
        self.reported = 0;
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total.unwrap_or(0));
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message(what.to_string());
            self.bar = Some(bar);
        } else {
            eprintln!("downloading {what} ({} bytes)", total.map_or("unknown".into(), |t| t.to_string()));
        }
    }

    fn advance(&mut self, done: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(done);
        } else if let Some(total) = self.total.filter(|t| *t > 0) {
            let tenth = done * 10 / total;
            if tenth > self.reported {
                self.reported = tenth;
                eprintln!("  {}%", tenth * 10);
            }
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn schemas_command(config: &Config, cmd: SchemasCommand) -> Result<u8, Failure> {
    match cmd {
        SchemasCommand::List(a) => {
            let registry = load_registry(config, a.schemas.as_deref())?;
            for (id, path) in registry.entries() {
                println!("{id}\t{}", path.display());
            }
            Ok(0)
        }
        SchemasCommand::Check(a) => {
            let registry = load_registry(config, a.schemas.as_deref())?;
            println!("{} schemas ok in {}", registry.len(), a.schemas.as_deref().unwrap_or(&config.schemas_dir).display());
            Ok(0)
        }
    }
}
