//! Which GGUF file a name refers to, and getting it onto the disk.
//!
//! A model is named by a `[[models]]` entry of the config, by a manifest entry (looked
//! up in the model directory), or by a path to a `.gguf` file.

pub mod fetch;
pub mod gguf;
pub mod manifest;

pub use fetch::verify;

use crate::config::{
    default_batch, default_context, default_prefix_cache_mb, default_threads, Config, KvCache, PromptTemplate,
};
use crate::job::{ErrorCode, JobError};
use manifest::Manifest;
use std::io::Read;
use std::path::PathBuf;

/// A model ready to be loaded: where it is and how to run it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSpec {
    /// Name in results (`model`).
    pub name: String,
    pub path: PathBuf,
    pub threads: u32,
    pub context: u32,
    /// KV cache element type.
    pub kv_cache: KvCache,
    /// Tokens per llama.cpp batch (n_batch and n_ubatch).
    pub batch: u32,
    /// Memory for saved prompt prefixes, in MiB.
    pub prefix_cache_mb: u32,
    /// Quantization, when the manifest knows it.
    pub quant: Option<String>,
    pub template: PromptTemplate,
    /// LoRA adapters loaded with the model.
    pub adapters: Vec<AdapterSpec>,
    /// The adapter (one of `adapters`) for jobs that nothing else gives one: a manifest
    /// model's own adapter; none for a `[[models]]` entry.
    pub default_adapter: Option<String>,
}

impl ModelSpec {
    /// The prefix cache's capacity in bytes.
    pub fn prefix_cache_bytes(&self) -> usize {
        usize::try_from(self.prefix_cache_mb).unwrap_or(usize::MAX).saturating_mul(1 << 20)
    }
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec {
            name: String::new(),
            path: PathBuf::new(),
            threads: default_threads(),
            context: default_context(),
            kv_cache: KvCache::default(),
            batch: default_batch(),
            prefix_cache_mb: default_prefix_cache_mb(),
            quant: None,
            template: PromptTemplate::default(),
            adapters: Vec::new(),
            default_adapter: None,
        }
    }
}

/// A LoRA adapter ready to be loaded on its model.
#[derive(Debug, Clone, PartialEq)]
pub struct AdapterSpec {
    /// Name in jobs, routes and results (`adapter`).
    pub name: String,
    pub path: PathBuf,
    pub scale: f32,
}

/// The name a `.gguf` path goes by (its file stem), when `choice` is a path rather than
/// a name: it ends in `.gguf` or holds a `/`. Models and adapters are named this way.
pub fn file_name_of(choice: &str) -> Option<String> {
    (choice.ends_with(".gguf") || choice.contains('/')).then(|| {
        std::path::Path::new(choice).file_stem().map_or(choice.to_string(), |s| s.to_string_lossy().into_owned())
    })
}

/// Every model a node serves: the `[[models]]` entries, else the manifest default.
pub fn resolve_all(config: &Config, manifest: &Manifest) -> Result<Vec<ModelSpec>, JobError> {
    if config.models.is_empty() {
        return Ok(vec![resolve(None, config, manifest)?]);
    }
    config.models.iter().map(|m| from_config(m, config, manifest)).collect()
}

/// Finds the model `choice` names (or the default one) in the config and the manifest.
pub fn resolve(choice: Option<&str>, config: &Config, manifest: &Manifest) -> Result<ModelSpec, JobError> {
    let from_manifest = |name: &str| {
        manifest.get(name).filter(|e| e.adapter_for.is_none()).map(|e| {
            let path = config.model_dir.join(&e.file);
            let adapters = manifest_adapters(manifest, name, &path, config);
            ModelSpec {
                name: e.name.clone(),
                path,
                quant: Some(e.quant.clone()),
                template: e.template.unwrap_or_default(),
                default_adapter: adapters.first().map(|a| a.name.clone()),
                adapters,
                ..ModelSpec::default()
            }
        })
    };
    let spec = match choice {
        Some(name) => {
            if let Some(m) = config.models.iter().find(|m| m.name == name) {
                from_config(m, config, manifest)?
            } else if let Some(spec) = from_manifest(name) {
                spec
            } else if let Some(stem) = file_name_of(name) {
                let path = PathBuf::from(name);
                let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                let quant = manifest.by_file(&file).map(|e| e.quant.clone());
                ModelSpec { name: stem, path, quant, ..ModelSpec::default() }
            } else {
                let mut known: Vec<&str> = config.models.iter().map(|m| m.name.as_str()).collect();
                known.extend(manifest.names());
                return Err(JobError::new(
                    ErrorCode::UnknownModel,
                    format!("no model named `{name}`; known: {}", known.join(", ")),
                ));
            }
        }
        None => match config.default_model() {
            Some(m) => from_config(m, config, manifest)?,
            None => manifest.default.as_deref().and_then(from_manifest).ok_or_else(|| {
                JobError::new(ErrorCode::UnknownModel, "no model configured and no default in the manifest")
            })?,
        },
    };
    Ok(spec)
}

/// The manifest's adapters for the model `name` that are in the model directory. A
/// bundled one beside a model that is there is written there first when it is missing
/// or is not this binary's (an older build's, by its sha256; reading and hashing it
/// takes a few milliseconds, once per start); where writing fails, the model runs
/// without it (a warning says why), not with a file this binary did not measure.
fn manifest_adapters(manifest: &Manifest, name: &str, model: &std::path::Path, config: &Config) -> Vec<AdapterSpec> {
    manifest
        .adapters_for(name)
        .filter_map(|e| {
            let path = config.model_dir.join(&e.file);
            if model.is_file() && e.source == manifest::Source::Bundled {
                if let Err(err) = fetch::fetch(e, &config.model_dir, &mut fetch::Silent) {
                    tracing::warn!(model = name, adapter = %e.name, error = %err, "running the model without its adapter");
                    return None;
                }
            }
            path.is_file().then(|| AdapterSpec { name: e.name.clone(), path, scale: 1.0 })
        })
        .collect()
}

fn from_config(m: &crate::config::ModelConfig, config: &Config, manifest: &Manifest) -> Result<ModelSpec, JobError> {
    let known =
        manifest.get(&m.name).or_else(|| m.path.file_name().and_then(|f| manifest.by_file(&f.to_string_lossy())));
    let adapters = m
        .adapters
        .iter()
        .map(|a| {
            let path = match (&a.path, &a.entry) {
                (Some(p), _) => p.clone(),
                (None, Some(entry)) => config.model_dir.join(
                    &manifest
                        .get(entry)
                        .ok_or_else(|| {
                            JobError::new(
                                ErrorCode::UnknownModel,
                                format!("adapter `{}` of model `{}`: no manifest entry `{entry}`", a.name, m.name),
                            )
                        })?
                        .file,
                ),
                (None, None) => PathBuf::new(),
            };
            Ok(AdapterSpec { name: a.name.clone(), path, scale: a.scale })
        })
        .collect::<Result<Vec<_>, JobError>>()?;
    Ok(ModelSpec {
        name: m.name.clone(),
        path: m.path.clone(),
        threads: m.threads,
        context: m.context,
        kv_cache: m.kv_cache,
        batch: m.batch,
        prefix_cache_mb: m.prefix_cache_mb,
        quant: known.map(|e| e.quant.clone()),
        template: m.template.or(known.and_then(|e| e.template)).unwrap_or_default(),
        adapters,
        default_adapter: None,
    })
}

/// Memory a model is expected to take: the weights (memory-mapped, so their file
/// size), its adapters, a KV cache of its context in its element type and its prefix cache, plus llama.cpp's
/// compute buffers. Read from the GGUF headers; nothing is loaded.
pub fn estimated_bytes(spec: &ModelSpec) -> Result<u64, JobError> {
    let unavailable = |path: &std::path::Path, e: std::io::Error| {
        JobError::new(ErrorCode::ModelUnavailable, format!("{}: {e}", path.display()))
    };
    check_gguf(spec)?;
    let size = |path: &std::path::Path| std::fs::metadata(path).map(|m| m.len()).map_err(|e| unavailable(path, e));
    let header = gguf::Header::read(&spec.path).map_err(|e| unavailable(&spec.path, e))?;
    let kv_f16 = header.kv_bytes_per_token().unwrap_or(0).saturating_mul(u64::from(spec.context));
    let kv = (kv_f16 as f64 / 2.0 * spec.kv_cache.bytes_per_element()) as u64;
    // llama.cpp reserves logits for a whole batch: 96 MiB for SmolLM2-135M (49,152
    // tokens), 512 MiB for Gemma-3-270M (262,144 tokens); its log reports compute
    // buffers of 105 and 524 MiB.
    let logits = header.vocab_size().unwrap_or(0).saturating_mul(u64::from(spec.batch) * 4);
    let mut total = size(&spec.path)?
        .saturating_add(kv)
        .saturating_add(logits)
        .saturating_add(spec.prefix_cache_bytes() as u64)
        .saturating_add(COMPUTE_OVERHEAD_BYTES);
    for a in &spec.adapters {
        total = total.saturating_add(size(&a.path)?);
    }
    Ok(total)
}

/// llama.cpp's compute buffers beside the logits, and the process itself.
const COMPUTE_OVERHEAD_BYTES: u64 = 16 << 20;

/// Checks that `specs` fit in `budget_mb`, with the figure of each model in the error.
pub fn check_budget(specs: &[ModelSpec], budget_mb: u64) -> Result<u64, JobError> {
    let mut total = 0;
    let mut parts = Vec::new();
    for spec in specs {
        let bytes = estimated_bytes(spec)?;
        total = u64::saturating_add(total, bytes);
        parts.push(format!("{} {} MiB", spec.name, bytes >> 20));
    }
    if total > budget_mb.saturating_mul(1 << 20) {
        return Err(JobError::new(
            ErrorCode::ModelUnavailable,
            format!(
                "the models need about {} MiB ({}: weights, adapters, KV cache of their context and compute \
                 buffers) but limits.memory_budget_mb is {budget_mb}; serve fewer models, smaller contexts, or \
                 raise the budget",
                total >> 20,
                parts.join(", ")
            ),
        ));
    }
    Ok(total)
}

/// Checks that `path` is a readable GGUF file, with advice in the error.
pub fn check_gguf(spec: &ModelSpec) -> Result<(), JobError> {
    let path = &spec.path;
    let unavailable = |why: String| JobError::new(ErrorCode::ModelUnavailable, why);
    let mut f = std::fs::File::open(path).map_err(|e| {
        unavailable(format!(
            "model `{}` at {}: {e}; fetch it with `maaza models fetch {}` or pass --model PATH",
            spec.name,
            path.display(),
            spec.name
        ))
    })?;
    let mut magic = [0u8; 4];
    match f.read_exact(&mut magic) {
        Ok(()) if &magic == b"GGUF" => Ok(()),
        _ => Err(unavailable(format!("{} is not a GGUF file (no GGUF magic at its start)", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        Config::from_toml(
            "model_dir = \"/models\"\n[[models]]\nname = \"tiny\"\npath = \"/x/tiny.gguf\"\nthreads = 3\n",
            Path::new("t.toml"),
        )
        .unwrap()
    }

    #[test]
    fn resolves_config_manifest_and_path_names() {
        let m = Manifest::load(None).unwrap();
        let c = config();
        assert_eq!(resolve(None, &c, &m).unwrap().threads, 3);
        let s = resolve(Some("smollm2-135m"), &c, &m).unwrap();
        assert_eq!(s.path, Path::new("/models/SmolLM2-135M-Instruct.Q4_1.gguf"));
        assert_eq!(s.quant.as_deref(), Some("Q4_1"));
        assert_eq!(resolve(Some("./a/b.gguf"), &c, &m).unwrap().name, "b");
        assert_eq!(resolve(Some("./a/b.gguf"), &c, &m).unwrap().quant, None);
        // A path to a file the manifest knows gets its quantization.
        let by_path = resolve(Some("/cache/SmolLM2-135M-Instruct.Q4_1.gguf"), &c, &m).unwrap();
        assert_eq!(by_path.quant.as_deref(), Some("Q4_1"));
        let e = resolve(Some("gpt-9"), &c, &m).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownModel);
        assert!(e.message.contains("tiny") && e.message.contains("smollm2-135m"));
    }

    #[test]
    fn without_config_models_the_manifest_default_is_used() {
        let c = Config::from_toml("model_dir = \"/m\"\n", Path::new("t.toml")).unwrap();
        let s = resolve(None, &c, &Manifest::load(None).unwrap()).unwrap();
        assert_eq!(s.name, "smollm2-135m");
    }

    #[test]
    fn a_manifest_model_comes_with_its_bundled_adapter_once_the_model_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::from_toml(&format!("model_dir = {:?}\n", dir.path()), Path::new("t.toml")).unwrap();
        let m = Manifest::load(None).unwrap();
        // No model file: nothing is written, the spec has no adapter.
        let s = resolve(None, &c, &m).unwrap();
        assert_eq!((s.adapters.len(), s.default_adapter.as_deref()), (0, None));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        std::fs::write(dir.path().join("SmolLM2-135M-Instruct.Q4_1.gguf"), b"GGUF").unwrap();
        let s = resolve(None, &c, &m).unwrap();
        assert_eq!(s.default_adapter.as_deref(), Some("smollm2-135m-requests"));
        let entry = m.get("smollm2-135m-requests").unwrap();
        assert_eq!(s.adapters[0].path, dir.path().join(&entry.file));
        assert!(verify(&s.adapters[0].path, &entry.sha256).unwrap(), "written with its sha256");
        // An older build's adapter in its place is replaced by this one's.
        std::fs::write(&s.adapters[0].path, b"an older adapter").unwrap();
        let s = resolve(None, &c, &m).unwrap();
        assert!(verify(&s.adapters[0].path, &entry.sha256).unwrap(), "rewritten with its sha256");
        // Named by path, or as a `[[models]]` entry, the model is bare.
        let by_path = dir.path().join("SmolLM2-135M-Instruct.Q4_1.gguf");
        assert_eq!(resolve(Some(by_path.to_str().unwrap()), &c, &m).unwrap().default_adapter, None);
        assert_eq!(resolve(None, &config(), &m).unwrap().default_adapter, None);
    }

    #[test]
    fn non_gguf_and_missing_files_are_unavailable() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.gguf");
        std::fs::write(&bad, b"not a model").unwrap();
        let spec =
            |p: &Path| ModelSpec { name: "x".into(), path: p.into(), threads: 1, context: 512, ..ModelSpec::default() };
        let e = check_gguf(&spec(&bad)).unwrap_err();
        assert_eq!(e.code, ErrorCode::ModelUnavailable);
        assert!(e.message.contains("not a GGUF"));
        let e = check_gguf(&spec(&dir.path().join("none.gguf"))).unwrap_err();
        assert!(e.message.contains("maaza models fetch x"), "{}", e.message);
    }
}
