//! llama.cpp behind a small surface: load a GGUF model once, render prompts with the
//! model's own chat template, and generate under a grammar in a [`Session`].
//!
//! Everything here blocks on CPU work; callers run it on a thread of its own.

pub mod constraint;
mod distinct;
pub mod extractive;
mod prefix;
pub mod prompt;
mod session;
mod shape;

pub use session::{Finish, Generation, Keep, Session, Tokens};

use crate::config::PromptTemplate;
use crate::job::{ErrorCode, JobError};
use crate::models::{check_gguf, AdapterSpec, ModelSpec};
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaLoraAdapter, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use llguidance::ParserFactory;
use prompt::Prompt;
use serde_json::Value;
use std::sync::{Mutex, OnceLock};

/// llama.cpp's global state; it may be initialised once per process.
fn backend() -> Result<&'static LlamaBackend, JobError> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            // llama.cpp logs go to tracing (target `llama_cpp_2`), off unless asked for.
            llama_cpp_2::send_logs_to_tracing(llama_cpp_2::LogOptions::default());
            LlamaBackend::init().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| JobError::new(ErrorCode::Internal, format!("llama.cpp backend failed to start: {e}")))
}

/// A loaded model with its chat template (none for a plain prompt), its LoRA
/// adapters, and its tokenizer trie for grammars once a job needs one.
pub struct Engine {
    spec: ModelSpec,
    model: LlamaModel,
    /// Built by the first job that decodes under a grammar: a node whose jobs the plan
    /// settles never holds it (about 15 MB for SmolLM2).
    factory: OnceLock<Result<ParserFactory, String>>,
    template: Option<LlamaChatTemplate>,
    adapters: Vec<Adapter>,
}

/// A LoRA adapter loaded on the engine's model. llama.cpp applies it per context, so
/// switching between jobs costs no reload; the lock only hands out the handle.
struct Adapter {
    spec: AdapterSpec,
    lora: Mutex<LlamaLoraAdapter>,
}

impl Engine {
    /// Loads the model file (memory-mapped) and prepares grammar support.
    pub fn load(spec: &ModelSpec) -> Result<Engine, JobError> {
        check_gguf(spec)?;
        let backend = backend()?;
        let mut model = LlamaModel::load_from_file(backend, &spec.path, &LlamaModelParams::default()).map_err(|e| {
            JobError::new(ErrorCode::ModelUnavailable, format!("llama.cpp could not load {}: {e}", spec.path.display()))
        })?;
        let adapters =
            spec.adapters.iter().map(|a| load_adapter(&mut model, spec, a)).collect::<Result<Vec<_>, JobError>>()?;
        let chatml = || {
            LlamaChatTemplate::new("chatml")
                .map_err(|e| JobError::new(ErrorCode::Internal, format!("chat template: {e}")))
        };
        let template = match spec.template {
            PromptTemplate::Plain => None,
            PromptTemplate::Chatml => Some(chatml()?),
            // A model without an embedded template gets ChatML, which SmolLM2 and Qwen use.
            PromptTemplate::Auto => Some(match model.chat_template(None) {
                Ok(t) => t,
                Err(_) => chatml()?,
            }),
        };
        release_freed_heap();
        tracing::info!(model = %spec.name, path = %spec.path.display(), params = model.n_params(), adapters = adapters.len(), "model loaded");
        Ok(Engine { spec: spec.clone(), model, factory: OnceLock::new(), template, adapters })
    }

    /// llguidance's parser factory for this model's tokenizer, built on first use.
    pub(crate) fn grammar_factory(&self) -> Result<&ParserFactory, JobError> {
        let built = self.factory.get_or_init(|| {
            let start = std::time::Instant::now();
            let tok_env = LlamaSampler::llguidance_tok_env(&self.model);
            // With llguidance's token slices (precomputed masks for free-text strings):
            // 15 MB more resident for SmolLM2, and generation about 20% faster (docs/bench.md).
            let factory = ParserFactory::new_simple(&tok_env).map(|mut f| {
                f.quiet();
                f
            });
            release_freed_heap();
            tracing::debug!(build_ms = start.elapsed().as_secs_f64() * 1000.0, "grammar support built");
            factory.map_err(|e| e.to_string())
        });
        built.as_ref().map_err(|e| JobError::new(ErrorCode::Internal, format!("grammar support failed to start: {e}")))
    }

    /// The index of the adapter called `name`.
    pub fn adapter_index(&self, name: &str) -> Option<usize> {
        self.adapters.iter().position(|a| a.spec.name == name)
    }

    /// Names of the loaded adapters.
    pub fn adapter_names(&self) -> Vec<String> {
        self.adapters.iter().map(|a| a.spec.name.clone()).collect()
    }

    /// What was loaded and how it runs.
    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    /// Number of parameters, from the GGUF.
    pub fn n_params(&self) -> u64 {
        self.model.n_params()
    }

    /// Renders the prompt for `schema` and `input` with the model's chat template.
    pub fn prompt(&self, schema: &Value, input: &str) -> Result<Prompt, JobError> {
        let internal =
            |what: &str, e: &dyn std::fmt::Display| JobError::new(ErrorCode::Internal, format!("{what}: {e}"));
        let messages = [
            LlamaChatMessage::new("system".into(), prompt::SYSTEM.into())
                .map_err(|e| internal("system message", &e))?,
            LlamaChatMessage::new("user".into(), prompt::marked_user_message(schema))
                .map_err(|e| internal("user message", &e))?,
        ];
        let rendered = match &self.template {
            Some(t) => self.model.apply_chat_template(t, &messages, true).map_err(|e| internal("chat template", &e))?,
            None => prompt::plain(schema),
        };
        prompt::split(&rendered, input)
            .ok_or_else(|| JobError::new(ErrorCode::Internal, "chat template dropped the input"))
    }

    /// A decoding session with its own KV cache; keep it across jobs to reuse prefixes.
    pub fn session(&self) -> Result<Session<'_>, JobError> {
        Session::new(self)
    }
}

/// Hands the heap pages that loading freed (the GGUF's token and merge lists, copied
/// and dropped by llama.cpp) back to the system, so they stop counting as resident.
fn release_freed_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own free lists; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Loads one adapter file onto `model`, refusing a file that is not a LoRA GGUF.
fn load_adapter(model: &mut LlamaModel, spec: &ModelSpec, a: &AdapterSpec) -> Result<Adapter, JobError> {
    let unavailable = |why: String| {
        JobError::new(ErrorCode::ModelUnavailable, format!("adapter `{}` of model `{}`: {why}", a.name, spec.name))
    };
    let header =
        crate::models::gguf::Header::read(&a.path).map_err(|e| unavailable(format!("{}: {e}", a.path.display())))?;
    if header.kind() != Some("adapter") {
        return Err(unavailable(format!(
            "{} is a GGUF but not a LoRA adapter (general.type is not `adapter`)",
            a.path.display()
        )));
    }
    let lora = model
        .lora_adapter_init(&a.path)
        .map_err(|e| unavailable(format!("llama.cpp could not load {} on this model: {e}", a.path.display())))?;
    tracing::info!(model = %spec.name, adapter = %a.name, path = %a.path.display(), scale = a.scale, "adapter loaded");
    Ok(Adapter { spec: a.clone(), lora: Mutex::new(lora) })
}
