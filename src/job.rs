//! The wire contract of DESIGN.md: jobs in, results out, stable error codes.
//!
//! Everything here is serialized onto MQTT or printed by `maaza extract --json`,
//! so field names and codes change only together with DESIGN.md.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Longest job id accepted, in characters.
pub const MAX_ID_CHARS: usize = 128;

/// One extraction request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// Caller-chosen id, 1–128 printable characters; results carry it back.
    pub id: String,
    /// A registry id or an inline JSON Schema object.
    pub schema: SchemaRef,
    /// The text to extract from.
    pub input: String,
    /// Model name; the node's default model when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// LoRA adapter of that model; the node's route (else none) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adapter: Option<String>,
    /// Topic for the result instead of `<prefix>/results/<id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Cap on generated tokens; the engine default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
}

/// How a job names its schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SchemaRef {
    /// The file stem of a schema in the registry, e.g. `sensor_reading`.
    Id(String),
    /// A JSON Schema sent with the job.
    Inline(Value),
}

impl SchemaRef {
    /// The name results report: the registry id, or `inline`.
    pub fn label(&self) -> &str {
        match self {
            SchemaRef::Id(id) => id,
            SchemaRef::Inline(_) => "inline",
        }
    }
}

/// Stable error codes; `code()` is what goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The payload is not JSON.
    BadJson,
    /// The payload is JSON but not an object.
    NotObject,
    /// `id`, `input` or `schema` is missing.
    MissingField,
    /// A field has the wrong type or an impossible value.
    BadField,
    /// The id is empty, too long or not printable.
    BadId,
    /// The input text is empty or only white space.
    EmptyInput,
    /// The input is over `limits.max_input_bytes`.
    InputTooLarge,
    /// No schema with that id in the registry.
    UnknownSchema,
    /// The schema is not valid JSON Schema, or cannot be compiled into a grammar.
    SchemaInvalid,
    /// The schema has a `$ref` outside itself; maaza never fetches schemas.
    SchemaRemoteRef,
    /// The prompt does not fit the model's context.
    ContextOverflow,
    /// No model with that name is configured.
    UnknownModel,
    /// The model file is missing, unreadable or not GGUF.
    ModelUnavailable,
    /// A downloaded file does not have the expected sha256.
    Sha256Mismatch,
    /// Generation stopped at the token limit before the JSON was complete.
    Truncated,
    /// The model's output is not parseable JSON.
    OutputNotJson,
    /// The output parsed but breaks the schema.
    SchemaViolation,
    /// The job ran past `limits.job_timeout_s` and was stopped (`failed`).
    DeadlineExceeded,
    /// Anything else that went wrong inside maaza or llama.cpp.
    Internal,
}

impl ErrorCode {
    /// The stable wire code.
    pub fn code(self) -> &'static str {
        match self {
            ErrorCode::BadJson => "bad_json",
            ErrorCode::NotObject => "not_object",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::BadField => "bad_field",
            ErrorCode::BadId => "bad_id",
            ErrorCode::EmptyInput => "empty_input",
            ErrorCode::InputTooLarge => "input_too_large",
            ErrorCode::UnknownSchema => "unknown_schema",
            ErrorCode::SchemaInvalid => "schema_invalid",
            ErrorCode::SchemaRemoteRef => "schema_remote_ref",
            ErrorCode::ContextOverflow => "context_overflow",
            ErrorCode::UnknownModel => "unknown_model",
            ErrorCode::ModelUnavailable => "model_unavailable",
            ErrorCode::Sha256Mismatch => "sha256_mismatch",
            ErrorCode::Truncated => "truncated",
            ErrorCode::OutputNotJson => "output_not_json",
            ErrorCode::SchemaViolation => "schema_violation",
            ErrorCode::DeadlineExceeded => "deadline_exceeded",
            ErrorCode::Internal => "internal",
        }
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// One entry of a result's `errors`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorDetail {
    /// Stable code.
    pub code: ErrorCode,
    /// Human-readable explanation: what failed and on what.
    pub message: String,
    /// JSON pointer into the output, for schema violations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A reason a job is refused or failed, before any output exists.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {message}", code.code())]
pub struct JobError {
    /// Stable code.
    pub code: ErrorCode,
    /// Human-readable explanation.
    pub message: String,
}

impl JobError {
    /// Builds an error from a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        JobError { code, message: message.into() }
    }

    /// Whether the job itself is at fault (`rejected`) rather than maaza (`failed`).
    pub fn is_rejection(&self) -> bool {
        !matches!(self.code, ErrorCode::Internal | ErrorCode::DeadlineExceeded)
    }
}

impl From<JobError> for ErrorDetail {
    fn from(e: JobError) -> Self {
        ErrorDetail { code: e.code, message: e.message, path: None }
    }
}

/// Outcome of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Output is valid against the schema.
    Ok,
    /// The model's output failed validation; `errors` says why, `raw` holds the text.
    InvalidOutput,
    /// The job itself is bad.
    Rejected,
    /// Internal error.
    Failed,
}

impl Status {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::InvalidOutput => "invalid_output",
            Status::Rejected => "rejected",
            Status::Failed => "failed",
        }
    }
}

/// Whether a job's prompt prefix had to be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PrefixUse {
    /// Still in the context from the previous job, or restored from the per-schema cache.
    Hit,
    /// Evaluated (and saved for the next job on this schema).
    Miss,
}

/// Per-job figures. Energy and temperature are filled by the telemetry sources.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Telemetry {
    /// Time between arrival and the start of work.
    pub queue_ms: f64,
    /// Prompt evaluation (the part not served from the KV cache).
    pub prompt_ms: f64,
    /// Token generation, grammar masks included.
    pub generate_ms: f64,
    /// Parsing and JSON Schema validation of the output.
    pub validate_ms: f64,
    /// Arrival to result.
    pub total_ms: f64,
    /// Tokens in the prompt, cached ones included.
    pub prompt_tokens: u32,
    /// Prompt tokens not evaluated: kept from the previous job's KV cache, or the
    /// schema's prefix restored from the prefix cache.
    pub cached_prompt_tokens: u32,
    /// `hit` when the schema's prompt prefix was reused, `miss` when it was evaluated;
    /// absent when the model did not run or the prefix cache is off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_cache: Option<PrefixUse>,
    /// Tokens generated, grammar-forced ones included.
    pub generated_tokens: u32,
    /// `generated_tokens` per second of `generate_ms`.
    pub gen_tokens_per_s: f64,
    /// Resident memory of the process after the job.
    pub rss_bytes: u64,
    /// Peak resident memory of the process so far (VmHWM).
    pub peak_rss_bytes: u64,
    /// Energy of the job, when a source is available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub energy_j: Option<f64>,
    /// Where `energy_j` came from: `rapl`, `hwmon`, `pmic`, `estimate` or `none`.
    pub energy_source: String,
    /// CPU temperature after the job, when the board reports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_temp_c: Option<f64>,
    /// Whether the board is throttling, when it reports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttled: Option<bool>,
}

impl Telemetry {
    /// Rounds the millisecond and rate figures to microseconds / 0.001, for readable results.
    pub fn rounded(mut self) -> Telemetry {
        let r = |x: f64| (x * 1000.0).round() / 1000.0;
        for v in [
            &mut self.queue_ms,
            &mut self.prompt_ms,
            &mut self.generate_ms,
            &mut self.validate_ms,
            &mut self.total_ms,
            &mut self.gen_tokens_per_s,
        ] {
            *v = r(*v);
        }
        self
    }
}

/// The answer to one job.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobResult {
    /// The job's id.
    pub id: String,
    /// Outcome.
    pub status: Status,
    /// The validated output; `null` unless the model produced parseable JSON.
    pub output: Option<Value>,
    pub errors: Vec<ErrorDetail>,
    /// The model's text, kept when the output is not `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    /// Registry id of the schema, or `inline`.
    pub schema: String,
    /// Model that ran the job.
    pub model: String,
    /// LoRA adapter applied to the model, when one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adapter: Option<String>,
    /// Node that ran the job.
    pub node: String,
    /// Who settled the output: `plan` (the text's structure admitted one output; no
    /// generation ran) or `model` (the model decoded under a grammar). Absent when the
    /// job never reached decoding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<DecidedBy>,
    /// What the job cost.
    pub telemetry: Telemetry,
}

/// Who settled a job's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecidedBy {
    Plan,
    Model,
}

impl JobResult {
    /// A result for a job that never reached the model.
    pub fn refused(job_id: &str, schema: &str, model: &str, node: &str, err: JobError) -> Self {
        let status = if err.is_rejection() { Status::Rejected } else { Status::Failed };
        JobResult {
            id: job_id.to_string(),
            status,
            output: None,
            errors: vec![err.into()],
            raw: None,
            schema: schema.to_string(),
            model: model.to_string(),
            adapter: None,
            node: node.to_string(),
            decided_by: None,
            telemetry: Telemetry { energy_source: "none".into(), ..Telemetry::default() },
        }
    }
}

/// Checks a job id: 1–128 characters, none of them control characters.
pub fn check_id(id: &str) -> Result<(), JobError> {
    let id_chars = id.chars().count();
    if id_chars == 0 || id_chars > MAX_ID_CHARS {
        return Err(JobError::new(
            ErrorCode::BadId,
            format!("job id must be 1-{MAX_ID_CHARS} characters, got {id_chars}"),
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(JobError::new(ErrorCode::BadId, "job id contains control characters"));
    }
    Ok(())
}

/// Checks the parts of a job that need no registry or model: id and input.
pub fn check_shape(job: &Job, max_input_bytes: usize) -> Result<(), JobError> {
    check_id(&job.id)?;
    if job.input.len() > max_input_bytes {
        return Err(JobError::new(
            ErrorCode::InputTooLarge,
            format!("input is {} bytes, over the limit of {max_input_bytes} (limits.max_input_bytes)", job.input.len()),
        ));
    }
    if job.input.trim().is_empty() {
        return Err(JobError::new(ErrorCode::EmptyInput, "input text is empty"));
    }
    Ok(())
}

/// Reads a job from an MQTT payload with a precise error for each way it can be wrong.
pub fn parse_job(payload: &[u8]) -> Result<Job, JobError> {
    let value: Value = serde_json::from_slice(payload)
        .map_err(|e| JobError::new(ErrorCode::BadJson, format!("payload is not JSON: {e}")))?;
    let Value::Object(map) = &value else {
        return Err(JobError::new(ErrorCode::NotObject, "job must be a JSON object"));
    };
    for field in ["id", "input", "schema"] {
        if !map.contains_key(field) {
            return Err(JobError::new(ErrorCode::MissingField, format!("job has no `{field}`")));
        }
    }
    serde_json::from_value(value)
        .map_err(|e| JobError::new(ErrorCode::BadField, format!("job field has the wrong type: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str, input: &str) -> Job {
        Job {
            id: id.into(),
            schema: SchemaRef::Id("sensor_reading".into()),
            input: input.into(),
            model: None,
            adapter: None,
            reply_to: None,
            max_tokens: None,
        }
    }

    #[test]
    fn parse_reports_each_shape_error() {
        let code = |p: &str| parse_job(p.as_bytes()).unwrap_err().code;
        assert_eq!(code("not json"), ErrorCode::BadJson);
        assert_eq!(code("[1,2]"), ErrorCode::NotObject);
        assert_eq!(code(r#"{"id":"a","schema":"x"}"#), ErrorCode::MissingField);
        assert_eq!(code(r#"{"id":7,"schema":"x","input":"t"}"#), ErrorCode::BadField);
    }

    #[test]
    fn parse_accepts_inline_schema_and_options() {
        let j = parse_job(br#"{"id":"j1","input":"t","schema":{"type":"object"},"max_tokens":64,"reply_to":"a/b"}"#)
            .unwrap();
        assert!(matches!(j.schema, SchemaRef::Inline(_)));
        assert_eq!(j.max_tokens, Some(64));
        assert_eq!(j.schema.label(), "inline");
    }

    #[test]
    fn shape_checks_id_and_input() {
        assert_eq!(check_shape(&job("", "x"), 10).unwrap_err().code, ErrorCode::BadId);
        assert_eq!(check_shape(&job(&"a".repeat(129), "x"), 10).unwrap_err().code, ErrorCode::BadId);
        assert_eq!(check_shape(&job("a\n", "x"), 10).unwrap_err().code, ErrorCode::BadId);
        assert_eq!(check_shape(&job("a", "  \n"), 10).unwrap_err().code, ErrorCode::EmptyInput);
        assert_eq!(check_shape(&job("a", "12345678901"), 10).unwrap_err().code, ErrorCode::InputTooLarge);
        assert!(check_shape(&job(&"a".repeat(128), "ok"), 10).is_ok());
    }

    #[test]
    fn result_serializes_codes_and_status() {
        let r = JobResult::refused("j", "s", "m", "n", JobError::new(ErrorCode::UnknownSchema, "no"));
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["status"], "rejected");
        assert_eq!(v["errors"][0]["code"], "unknown_schema");
        assert!(v["output"].is_null());
    }
}
