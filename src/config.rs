//! The TOML config contract of DESIGN.md: one struct tree, a default for every key,
//! and errors that name the file and the key.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Default config path when neither `--config` nor `MAAZA_CONFIG` is given.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/maaza/maaza.toml";

/// Why a config could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("config {path}: `{key}` {message}")]
    Invalid { path: PathBuf, key: String, message: String },
}

/// The whole config file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Name of this node in results and status topics.
    pub node_id: String,
    /// Folder searched recursively for `<id>.json` schemas.
    pub schemas_dir: PathBuf,
    /// Where the daemon keeps its state.
    pub state_dir: PathBuf,
    /// Where `maaza models fetch` puts files and where manifest models are looked up.
    pub model_dir: PathBuf,
    pub mqtt: MqttConfig,
    pub limits: Limits,
    /// Models this node serves; empty means the manifest's default model in `model_dir`.
    pub models: Vec<ModelConfig>,
    /// Which model (and adapter) a job gets when it names none, by schema or by tier.
    pub routes: Vec<Route>,
    pub telemetry: TelemetryConfig,
    pub decoding: DecodingConfig,
    pub homeassistant: HomeAssistantConfig,
    /// Where log lines go; see [`LogFormat`].
    pub log_format: LogFormat,
}

/// How the program logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// journald when systemd started us (`JOURNAL_STREAM` is set), else plain.
    #[default]
    Auto,
    /// Human-readable lines on stderr.
    Plain,
    /// One JSON object per line on stderr.
    Json,
    /// Native journald entries with the fields as journal fields (`JOB_ID=…`).
    Journald,
}

/// `[homeassistant]`: MQTT discovery of this node as a Home Assistant device.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HomeAssistantConfig {
    pub enabled: bool,
    /// Home Assistant's discovery prefix.
    pub prefix: String,
}

impl Default for HomeAssistantConfig {
    fn default() -> Self {
        HomeAssistantConfig { enabled: false, prefix: "homeassistant".into() }
    }
}

/// `[mqtt]`: broker connection and topics.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MqttConfig {
    pub host: String,
    pub port: u16,
    pub topic_prefix: String,
    /// Shared-subscription group; empty subscribes without `$share`.
    pub shared_group: String,
    pub keep_alive_s: u64,
    pub heartbeat_s: u64,
    pub username: Option<String>,
    pub password_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    pub cert_file: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
}

/// `[limits]`: what a job may ask for.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub max_input_bytes: usize,
    pub queue_capacity: usize,
    /// Wall time a job may take (grammar, prompt, generation) before it is stopped and
    /// answered `failed`/`deadline_exceeded`, which frees the model for the next job.
    /// The daemon uses [`DEFAULT_JOB_TIMEOUT_S`] when unset; `extract` and `bench`
    /// apply it only when set (one job at a time, and Ctrl-C stops it).
    pub job_timeout_s: Option<f64>,
    /// Memory the node's models may take, in MiB: weights, adapters and KV caches
    /// together (an estimate from the GGUF headers), checked before anything loads.
    /// Unset: no limit.
    pub memory_budget_mb: Option<u64>,
    /// Most tokens a job may generate: a job asking for more is rejected (`bad_field`),
    /// and the budget the plan derives is capped here.
    pub max_tokens: u32,
    /// Largest inline schema a job may carry, in bytes of compact JSON.
    pub max_schema_bytes: usize,
    /// Deepest nesting of objects and arrays in an inline schema.
    pub max_schema_depth: usize,
}

/// The daemon's per-job time limit when `limits.job_timeout_s` is not set.
pub const DEFAULT_JOB_TIMEOUT_S: f64 = 120.0;

impl Limits {
    /// The daemon's per-job time limit.
    pub fn daemon_job_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.job_timeout_s.unwrap_or(DEFAULT_JOB_TIMEOUT_S))
    }
}

/// One `[[models]]` entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    pub name: String,
    pub path: PathBuf,
    #[serde(default = "default_threads")]
    pub threads: u32,
    /// The most tokens of prompt and answer a job may take. The context starts
    /// smaller and grows to what jobs need, up to this.
    #[serde(default = "default_context")]
    pub context: u32,
    /// How the KV cache stores keys and values: `f16`, or `q8_0` at about half the memory.
    #[serde(default)]
    pub kv_cache: KvCache,
    /// Tokens evaluated per llama.cpp batch; the compute buffers grow with it.
    #[serde(default = "default_batch")]
    pub batch: u32,
    /// Memory for evaluated prompt prefixes, one per schema, in MiB (0: off): a job on
    /// a schema seen before restores its prefix instead of evaluating it again.
    #[serde(default = "default_prefix_cache_mb")]
    pub prefix_cache_mb: u32,
    #[serde(default)]
    pub default: bool,
    /// How the prompt is laid out; the manifest's choice (else `auto`) when unset.
    #[serde(default)]
    pub template: Option<PromptTemplate>,
    /// LoRA adapters loaded on this model; a job or a route picks one by name.
    #[serde(default)]
    pub adapters: Vec<AdapterConfig>,
}

/// The element type of a model's KV cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, serde::Serialize, clap::ValueEnum)]
pub enum KvCache {
    /// 16-bit floats, llama.cpp's default.
    #[default]
    #[serde(rename = "f16")]
    F16,
    /// 8-bit blocks: about half the bytes of `f16` (needs flash attention, which
    /// llama.cpp turns on wherever it can).
    #[serde(rename = "q8_0")]
    #[value(name = "q8_0")]
    Q8_0,
}

impl KvCache {
    /// Bytes per stored element, on average (q8_0 keeps a 2-byte scale per 32 values).
    pub fn bytes_per_element(self) -> f64 {
        match self {
            KvCache::F16 => 2.0,
            KvCache::Q8_0 => 34.0 / 32.0,
        }
    }
}

/// How a prompt is laid out for a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PromptTemplate {
    /// The chat template in the GGUF, else ChatML.
    #[default]
    Auto,
    /// ChatML, whatever the GGUF says.
    Chatml,
    /// No chat turns: instruction, field list, text, then `JSON:` (base models such
    /// as Gemma-3-270M, which carry no template).
    Plain,
}

/// One LoRA adapter of a `[[models]]` entry: `{ name, path | entry, scale }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdapterConfig {
    pub name: String,
    /// A GGUF LoRA adapter file.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Or a manifest entry, looked up in `model_dir`.
    #[serde(default)]
    pub entry: Option<String>,
    /// How strongly the adapter applies (llama.cpp's LoRA scale).
    #[serde(default = "default_scale")]
    pub scale: f32,
}

fn default_scale() -> f32 {
    1.0
}

/// A schema's shape, for routing: `flat` (no object or list of objects inside) or `nested`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Flat,
    Nested,
}

/// One `[[routes]]` entry: jobs on `schema` (a registry id, or `inline`), or on any
/// schema of `tier`, go to `model` (default: the node's default model) with `adapter`.
/// A job's own `model`/`adapter` wins; schema routes win over tier routes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    #[serde(default)]
    pub schema: Option<String>,
    #[serde(default)]
    pub tier: Option<Tier>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub adapter: Option<String>,
}

/// Where per-job energy figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EnergySource {
    #[default]
    Auto,
    Rapl,
    Hwmon,
    Pmic,
    Estimate,
    None,
}

/// The grammar outputs are decoded under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum GrammarKind {
    /// Values copied from the input (strings, numbers), compiled from schema and input.
    #[default]
    Extractive,
    /// The JSON Schema alone: any value of the right type.
    JsonSchema,
}

/// `[decoding]`: how outputs are constrained. Each refinement can be switched off,
/// so the bench can show what it is worth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DecodingConfig {
    pub grammar: GrammarKind,
    /// Extractive only: optional keys the input mentions are required, others left out
    /// of labelled text; mentioned arrays get an item; a key that holds a date, time,
    /// address or currency code takes only a value of that shape; an optional key
    /// whose value repeats another key's is dropped after decoding.
    pub evidence: bool,
    /// Extractive only: arrays hold at most as many items as the input can separate; a
    /// list written under its label is copied whole, in order, one object per item.
    pub loop_guard: bool,
    /// Extractive with evidence: a key's value is copied from where the text writes it:
    /// after its label (up to the next key's label), with its unit (`_pct` → `%`), under
    /// a label no key names (`Unit:` for `device`), from its own block or list item.
    pub anchor: bool,
    /// Text laid out in labels goes through the structure-first planner: what the
    /// labels settle is fixed, the model decodes only the rest, and no model runs when
    /// the plan admits one output. Prose goes to the prose plan or `grammar`
    /// (`plan_prose`).
    pub plan: bool,
    /// Which prose goes through the prose plan (required keys and optional keys the
    /// text names, numbers the text writes, strings and lists of names as spans of the
    /// text, choices the text writes) rather than `grammar`: `"unlabelled"` (the
    /// default: text with no label at all, such as a request), `true` (all text the
    /// planner cannot lay out) or `false` (none). See docs/decoding.md.
    pub plan_prose: ProsePlan,
    /// Validate `format` (date-time, email, ...) as an assertion; by default it is an
    /// annotation, as in JSON Schema 2020-12, so `2024-05-01T10:00:00` without an
    /// offset, as texts write it, is valid.
    pub strict_formats: bool,
}

impl Default for DecodingConfig {
    fn default() -> Self {
        DecodingConfig {
            grammar: GrammarKind::Extractive,
            evidence: true,
            loop_guard: true,
            anchor: true,
            plan: true,
            plan_prose: ProsePlan::Unlabelled,
            strict_formats: false,
        }
    }
}

/// `[decoding] plan_prose`: `true`, `false` or `"unlabelled"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "ProsePlanSetting")]
pub enum ProsePlan {
    /// No prose: it is decoded under `grammar`.
    Never,
    /// Prose in which the text parser finds no label (`Key: v`, `k=v`) at all.
    Unlabelled,
    /// Every text the structure-first planner cannot lay out.
    Always,
}

impl ProsePlan {
    /// Whether a text the planner cannot lay out goes through the prose plan: only
    /// under an object schema that lists its keys, which is all it can plan.
    pub fn takes(self, schema: &serde_json::Value, text: &str) -> bool {
        if !maaza_extract::prose::keyed(schema) {
            return false;
        }
        match self {
            ProsePlan::Never => false,
            ProsePlan::Always => true,
            ProsePlan::Unlabelled => !maaza_extract::text::parse(text).has_labels(),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ProsePlanSetting {
    Flag(bool),
    Name(String),
}

impl TryFrom<ProsePlanSetting> for ProsePlan {
    type Error = String;
    fn try_from(s: ProsePlanSetting) -> Result<Self, String> {
        match s {
            ProsePlanSetting::Flag(true) => Ok(ProsePlan::Always),
            ProsePlanSetting::Flag(false) => Ok(ProsePlan::Never),
            ProsePlanSetting::Name(n) if n == "unlabelled" => Ok(ProsePlan::Unlabelled),
            ProsePlanSetting::Name(n) => {
                Err(format!("plan_prose: expected true, false or \"unlabelled\", found \"{n}\""))
            }
        }
    }
}

/// `[telemetry]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TelemetryConfig {
    pub energy_source: EnergySource,
    /// Power model for `estimate`: `auto` (from the device tree), `pi4`, `pi5`, `pi-zero-2w`, `generic`.
    pub board: String,
    /// Overrides the board's idle watts for `estimate`.
    pub idle_w: Option<f64>,
    /// Overrides the board's watts per busy core for `estimate`.
    pub busy_core_w: Option<f64>,
    /// Where sysfs is (`/sys`); tests point it at a fake tree.
    pub sysfs_root: PathBuf,
    /// The `vcgencmd` program (Raspberry Pi PMIC and throttling).
    pub vcgencmd: String,
    /// Sampling interval of power sources that are integrated (hwmon power, pmic).
    pub sample_ms: u64,
    /// `ADDR:PORT` for a Prometheus text endpoint (`/metrics`); off when absent.
    pub prometheus: Option<String>,
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        TelemetryConfig {
            energy_source: EnergySource::Auto,
            board: "auto".into(),
            idle_w: None,
            busy_core_w: None,
            sysfs_root: PathBuf::from("/sys"),
            vcgencmd: "vcgencmd".into(),
            sample_ms: 250,
            prometheus: None,
        }
    }
}

/// Smallest context a model may be configured with; below it no schema fits.
pub const MIN_CONTEXT: u32 = 128;

/// Threads llama.cpp uses by default: the physical cores (a second hardware thread
/// on the same core slows generation down), at most the cores the process may run on.
pub fn default_threads() -> u32 {
    let allowed = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let physical = sysinfo::System::physical_core_count().filter(|&n| n > 0).unwrap_or(allowed);
    u32::try_from(physical.min(allowed)).unwrap_or(1)
}

/// Smallest and largest llama.cpp batch a model may be configured with.
pub const BATCH_RANGE: std::ops::RangeInclusive<u32> = 32..=4096;

/// Default batch: see `docs/bench.md`, "Memory settings", for the measurements.
pub fn default_batch() -> u32 {
    512
}

/// Default prefix cache: a few schemas' prefixes of a 135M model (about 2–9 MiB each
/// with an f16 KV cache, half that with q8_0).
pub fn default_prefix_cache_mb() -> u32 {
    16
}

/// Default context: enough for a 64 KiB-ish input on a 135M model, small enough for a Pi Zero.
pub fn default_context() -> u32 {
    2048
}

impl Default for MqttConfig {
    fn default() -> Self {
        MqttConfig {
            host: "localhost".into(),
            port: 1883,
            topic_prefix: "maaza".into(),
            shared_group: "workers".into(),
            keep_alive_s: 30,
            heartbeat_s: 15,
            username: None,
            password_file: None,
            ca_file: None,
            cert_file: None,
            key_file: None,
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 65536,
            queue_capacity: 64,
            job_timeout_s: None,
            memory_budget_mb: None,
            max_tokens: 8192,
            max_schema_bytes: 65536,
            max_schema_depth: 32,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            node_id: hostname(),
            schemas_dir: default_schemas_dir(),
            state_dir: default_state_dir(),
            model_dir: default_model_dir(),
            mqtt: MqttConfig::default(),
            limits: Limits::default(),
            models: Vec::new(),
            routes: Vec::new(),
            telemetry: TelemetryConfig::default(),
            decoding: DecodingConfig::default(),
            homeassistant: HomeAssistantConfig::default(),
            log_format: LogFormat::default(),
        }
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "maaza".into())
}

/// `./schemas` in a source checkout, else the packaged `/usr/share/maaza/schemas`.
fn default_schemas_dir() -> PathBuf {
    let local = PathBuf::from("schemas");
    if local.is_dir() {
        local
    } else {
        PathBuf::from("/usr/share/maaza/schemas")
    }
}

fn default_state_dir() -> PathBuf {
    std::env::var_os("STATE_DIRECTORY")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/lib/maaza"))
}

/// `$XDG_CACHE_HOME/maaza`, else `~/.cache/maaza`, else the service's `/var/lib/maaza/models`.
pub fn default_model_dir() -> PathBuf {
    let non_empty = |k: &str| std::env::var_os(k).filter(|s| !s.is_empty()).map(PathBuf::from);
    if let Some(xdg) = non_empty("XDG_CACHE_HOME") {
        return xdg.join("maaza");
    }
    if let Some(home) = non_empty("HOME") {
        return home.join(".cache").join("maaza");
    }
    PathBuf::from("/var/lib/maaza/models")
}

impl Config {
    /// Parses and checks a config from TOML text; `path` is only used in messages.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().replace('\n', " "),
        })?;
        config.check(path)?;
        Ok(config)
    }

    /// Reads and checks a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        Config::from_toml(&text, path)
    }

    /// The file named by `explicit`, else `MAAZA_CONFIG`, else `/etc/maaza/maaza.toml`
    /// when it exists, else the built-in defaults.
    pub fn discover(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        if let Some(p) = explicit {
            return Config::load(p);
        }
        if let Some(p) = std::env::var_os("MAAZA_CONFIG").filter(|s| !s.is_empty()) {
            return Config::load(Path::new(&p));
        }
        let default = Path::new(DEFAULT_CONFIG_PATH);
        if default.exists() {
            return Config::load(default);
        }
        Ok(Config::default())
    }

    fn check(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid =
            |key: &str, message: String| ConfigError::Invalid { path: path.to_path_buf(), key: key.into(), message };
        if self.node_id.trim().is_empty() || self.node_id.contains(['/', '+', '#']) {
            return Err(invalid("node_id", "must be non-empty without `/`, `+` or `#`".into()));
        }
        if self.mqtt.port == 0 {
            return Err(invalid("mqtt.port", "must be 1-65535".into()));
        }
        if self.mqtt.topic_prefix.is_empty() || self.mqtt.topic_prefix.contains(['+', '#']) {
            return Err(invalid("mqtt.topic_prefix", "must be non-empty without `+` or `#`".into()));
        }
        let ha = &self.homeassistant.prefix;
        if ha.is_empty() || ha.contains(['+', '#']) || ha.starts_with('$') {
            return Err(invalid("homeassistant.prefix", "must be non-empty without `+`, `#` or a leading `$`".into()));
        }
        if self.limits.max_input_bytes == 0 {
            return Err(invalid("limits.max_input_bytes", "must be at least 1".into()));
        }
        if self.limits.job_timeout_s.is_some_and(|t| !(t > 0.0 && t <= 86_400.0)) {
            return Err(invalid("limits.job_timeout_s", "must be more than 0 and at most 86400 seconds".into()));
        }
        if self.limits.queue_capacity == 0 {
            return Err(invalid("limits.queue_capacity", "must be at least 1".into()));
        }
        let t = &self.telemetry;
        for (key, w) in [("telemetry.idle_w", t.idle_w), ("telemetry.busy_core_w", t.busy_core_w)] {
            if w.is_some_and(|w| !(0.0..=1000.0).contains(&w)) {
                return Err(invalid(key, "must be between 0 and 1000 watts".into()));
            }
        }
        if !(10..=60_000).contains(&t.sample_ms) {
            return Err(invalid("telemetry.sample_ms", "must be 10-60000".into()));
        }
        if let Some(addr) = &t.prometheus {
            if addr.parse::<std::net::SocketAddr>().is_err() {
                return Err(invalid("telemetry.prometheus", format!("`{addr}` is not ADDR:PORT, e.g. 127.0.0.1:9464")));
            }
        }
        let mut defaults = 0;
        for (i, m) in self.models.iter().enumerate() {
            let key = |k: &str| format!("models[{i}].{k}");
            if m.name.trim().is_empty() {
                return Err(invalid(&key("name"), "must not be empty".into()));
            }
            if self.models[..i].iter().any(|o| o.name == m.name) {
                return Err(invalid(&key("name"), format!("`{}` is listed twice", m.name)));
            }
            if m.threads == 0 {
                return Err(invalid(&key("threads"), "must be at least 1".into()));
            }
            if m.context < MIN_CONTEXT {
                return Err(invalid(&key("context"), format!("must be at least {MIN_CONTEXT}")));
            }
            if !BATCH_RANGE.contains(&m.batch) {
                return Err(invalid(
                    &key("batch"),
                    format!("must be between {} and {}", BATCH_RANGE.start(), BATCH_RANGE.end()),
                ));
            }
            defaults += usize::from(m.default);
        }
        if defaults > 1 {
            return Err(invalid("models.default", "only one model may be the default".into()));
        }
        if self.limits.memory_budget_mb == Some(0) {
            return Err(invalid("limits.memory_budget_mb", "must be at least 1".into()));
        }
        for (key, n) in [
            ("limits.max_tokens", self.limits.max_tokens as usize),
            ("limits.max_schema_bytes", self.limits.max_schema_bytes),
            ("limits.max_schema_depth", self.limits.max_schema_depth),
        ] {
            if n == 0 {
                return Err(invalid(key, "must be at least 1".into()));
            }
        }
        self.check_routes(&invalid)
    }

    fn check_adapters(
        &self,
        i: usize,
        m: &ModelConfig,
        invalid: &dyn Fn(&str, String) -> ConfigError,
    ) -> Result<(), ConfigError> {
        for (j, a) in m.adapters.iter().enumerate() {
            let key = |k: &str| format!("models[{i}].adapters[{j}].{k}");
            if a.name.trim().is_empty() {
                return Err(invalid(&key("name"), "must not be empty".into()));
            }
            if m.adapters[..j].iter().any(|o| o.name == a.name) {
                return Err(invalid(&key("name"), format!("`{}` is listed twice", a.name)));
            }
            if a.path.is_some() == a.entry.is_some() {
                return Err(invalid(&key("path"), "give exactly one of `path` and `entry`".into()));
            }
            if !(a.scale.is_finite() && (-4.0..=4.0).contains(&a.scale)) {
                return Err(invalid(&key("scale"), "must be between -4 and 4".into()));
            }
        }
        Ok(())
    }

    fn check_routes(&self, invalid: &dyn Fn(&str, String) -> ConfigError) -> Result<(), ConfigError> {
        for (i, m) in self.models.iter().enumerate() {
            self.check_adapters(i, m, invalid)?;
        }
        for (i, r) in self.routes.iter().enumerate() {
            let key = |k: &str| format!("routes[{i}].{k}");
            if r.schema.is_some() == r.tier.is_some() {
                return Err(invalid(&key("schema"), "give exactly one of `schema` and `tier`".into()));
            }
            if r.model.is_none() && r.adapter.is_none() {
                return Err(invalid(&key("model"), "give `model`, `adapter` or both".into()));
            }
            if self.routes[..i].iter().any(|o| o.schema == r.schema && o.tier == r.tier) {
                return Err(invalid(&key("schema"), "the same schema or tier is routed twice".into()));
            }
            if self.models.is_empty() {
                continue; // a manifest model: checked when the daemon resolves it
            }
            let model =
                match &r.model {
                    Some(name) => self.models.iter().find(|m| &m.name == name).ok_or_else(|| {
                        invalid(&key("model"), format!("`{name}` is not one of the [[models]] names"))
                    })?,
                    None => match self.default_model() {
                        Some(m) => m,
                        None => continue,
                    },
                };
            if let Some(a) = &r.adapter {
                if !model.adapters.iter().any(|x| &x.name == a) {
                    return Err(invalid(&key("adapter"), format!("model `{}` has no adapter `{a}`", model.name)));
                }
            }
        }
        Ok(())
    }

    /// The model a job without `model` gets: the one marked default, else the first.
    pub fn default_model(&self) -> Option<&ModelConfig> {
        self.models.iter().find(|m| m.default).or_else(|| self.models.first())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::from_toml(text, Path::new("/etc/maaza/test.toml"))
    }

    #[test]
    fn a_file_with_one_key_gets_defaults_for_the_rest() {
        let c = parse("[mqtt]\nport = 1884\n").unwrap();
        assert_eq!(c.mqtt.port, 1884);
        assert_eq!(c.mqtt.topic_prefix, "maaza");
        assert_eq!(c.mqtt.shared_group, "workers");
        assert_eq!(c.limits.max_input_bytes, 65536);
        assert_eq!(c.telemetry.energy_source, EnergySource::Auto);
        assert!(c.models.is_empty());
    }

    #[test]
    fn the_full_contract_example_parses() {
        let c = parse(
            r#"
node_id = "pi-kitchen"
schemas_dir = "/usr/share/maaza/schemas"
state_dir = "/var/lib/maaza"
model_dir = "/var/lib/maaza/models"
[mqtt]
host = "localhost"
port = 1883
topic_prefix = "maaza"
shared_group = "workers"
keep_alive_s = 30
heartbeat_s = 15
[limits]
max_input_bytes = 65536
queue_capacity = 64
[[models]]
name = "smollm2-135m"
path = "/var/lib/maaza/models/SmolLM2-135M-Instruct.Q4_1.gguf"
threads = 4
context = 4096
default = true
[telemetry]
energy_source = "auto"
board = "pi5"
idle_w = 2.5
busy_core_w = 1.1
sysfs_root = "/sys"
vcgencmd = "/usr/bin/vcgencmd"
sample_ms = 500
prometheus = "127.0.0.1:9464"
"#,
        )
        .unwrap();
        assert_eq!(c.node_id, "pi-kitchen");
        assert_eq!(c.default_model().unwrap().threads, 4);
    }

    #[test]
    fn memory_settings_of_a_model_are_read_and_checked() {
        let m = "[[models]]\nname = \"a\"\npath = \"x\"\n";
        let c = parse(m).unwrap();
        let d = c.default_model().unwrap();
        assert_eq!((d.kv_cache, d.batch, d.prefix_cache_mb), (KvCache::F16, 512, 16));
        let c = parse(&format!("{m}kv_cache = \"q8_0\"\nbatch = 128\nprefix_cache_mb = 0\n")).unwrap();
        let d = c.default_model().unwrap();
        assert_eq!((d.kv_cache, d.batch, d.prefix_cache_mb), (KvCache::Q8_0, 128, 0));
        let e = parse(&format!("{m}batch = 8\n")).unwrap_err().to_string();
        assert!(e.contains("models[0].batch"), "{e}");
        assert!(parse(&format!("{m}kv_cache = \"q4\"\n")).is_err());
    }

    #[test]
    fn plan_prose_is_a_flag_or_unlabelled() {
        assert_eq!(parse("").unwrap().decoding.plan_prose, ProsePlan::Unlabelled);
        assert_eq!(parse("[decoding]\nplan_prose = true\n").unwrap().decoding.plan_prose, ProsePlan::Always);
        assert_eq!(parse("[decoding]\nplan_prose = false\n").unwrap().decoding.plan_prose, ProsePlan::Never);
        let c = parse("[decoding]\nplan_prose = \"unlabelled\"\n").unwrap();
        assert_eq!(c.decoding.plan_prose, ProsePlan::Unlabelled);
        let e = parse("[decoding]\nplan_prose = \"sometimes\"\n").unwrap_err().to_string();
        assert!(e.contains("sometimes"), "{e}");
        let keyed = serde_json::json!({"type": "object", "properties": {"base": {"type": "number"}}});
        assert!(ProsePlan::Unlabelled.takes(&keyed, "Find the area of a triangle with base 10."));
        assert!(!ProsePlan::Unlabelled.takes(&keyed, "Temp: 21.5 C\nNode: barn"));
        assert!(!ProsePlan::Always.takes(&serde_json::json!({"$ref": "#"}), "hello"), "nothing to plan");
    }

    #[test]
    fn unknown_keys_name_the_key_and_the_file() {
        let e = parse("[mqtt]\nprot = 1\n").unwrap_err().to_string();
        assert!(e.contains("/etc/maaza/test.toml"), "{e}");
        assert!(e.contains("prot"), "{e}");
        let e = parse("colour = 1\n").unwrap_err().to_string();
        assert!(e.contains("colour"), "{e}");
    }

    #[test]
    fn bad_values_name_the_key() {
        let e = parse("[limits]\nqueue_capacity = 0\n").unwrap_err().to_string();
        assert!(e.contains("limits.queue_capacity"), "{e}");
        let e = parse("[[models]]\nname = \"a\"\npath = \"x\"\ncontext = 16\n").unwrap_err().to_string();
        assert!(e.contains("models[0].context"), "{e}");
        let e =
            parse("[[models]]\nname=\"a\"\npath=\"x\"\n[[models]]\nname=\"a\"\npath=\"y\"\n").unwrap_err().to_string();
        assert!(e.contains("listed twice"), "{e}");
        let e = parse("[telemetry]\nenergy_source = \"solar\"\n").unwrap_err().to_string();
        assert!(e.contains("solar"), "{e}");
        let e = parse("[telemetry]\nprometheus = \"localhost\"\n").unwrap_err().to_string();
        assert!(e.contains("telemetry.prometheus"), "{e}");
        let e = parse("[telemetry]\nidle_w = -1\n").unwrap_err().to_string();
        assert!(e.contains("telemetry.idle_w"), "{e}");
    }

    #[test]
    fn routes_and_adapters_are_checked_against_the_models() {
        let models = "[[models]]\nname = \"a\"\npath = \"x\"\nadapters = [{ name = \"edge\", path = \"e.gguf\" }]\n\
                      [[models]]\nname = \"b\"\npath = \"y\"\n";
        let ok = parse(&format!(
            "{models}[[routes]]\nschema = \"s\"\nadapter = \"edge\"\n[[routes]]\ntier = \"nested\"\nmodel = \"b\"\n"
        ))
        .unwrap();
        assert_eq!(ok.routes.len(), 2);
        assert_eq!(ok.models[0].adapters[0].scale, 1.0);
        for (extra, key) in [
            ("[[routes]]\nschema = \"s\"\nmodel = \"c\"\n", "routes[0].model"),
            ("[[routes]]\ntier = \"flat\"\nmodel = \"b\"\nadapter = \"edge\"\n", "routes[0].adapter"),
            ("[[routes]]\nschema = \"s\"\ntier = \"flat\"\nmodel = \"b\"\n", "routes[0].schema"),
            ("[[routes]]\nschema = \"s\"\n", "routes[0].model"),
            (
                "[[routes]]\nschema = \"s\"\nmodel = \"a\"\n[[routes]]\nschema = \"s\"\nmodel = \"b\"\n",
                "routes[1].schema",
            ),
        ] {
            let e = parse(&format!("{models}{extra}")).unwrap_err().to_string();
            assert!(e.contains(key), "{extra}: {e}");
        }
        let e =
            parse("[[models]]\nname = \"a\"\npath = \"x\"\nadapters = [{ name = \"e\" }]\n").unwrap_err().to_string();
        assert!(e.contains("models[0].adapters[0].path"), "{e}");
        let e = parse("[limits]\nmemory_budget_mb = 0\n").unwrap_err().to_string();
        assert!(e.contains("limits.memory_budget_mb"), "{e}");
        let e = parse("[limits]\nmax_schema_depth = 0\n").unwrap_err().to_string();
        assert!(e.contains("limits.max_schema_depth"), "{e}");
    }
}
