//! Which GGUF file a name refers to, and getting it onto the disk.
//!
//! A model is named by a `[[models]]` entry of the config, by a manifest entry (looked
//! up in the model directory), or by a path to a `.gguf` file.

pub mod fetch;
pub mod manifest;

pub use fetch::verify;

use crate::config::{default_context, default_threads, Config};
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
    /// Quantization, when the manifest knows it.
    pub quant: Option<String>,
}

/// Finds the model `choice` names (or the default one) in the config and the manifest.
pub fn resolve(choice: Option<&str>, config: &Config, manifest: &Manifest) -> Result<ModelSpec, JobError> {
    let from_manifest = |name: &str| {
        manifest.get(name).map(|e| ModelSpec {
            name: e.name.clone(),
            path: config.model_dir.join(&e.file),
            threads: default_threads(),
            context: default_context(),
            quant: Some(e.quant.clone()),
        })
    };
    let spec = match choice {
        Some(name) => {
            if let Some(m) = config.models.iter().find(|m| m.name == name) {
                from_config(m, manifest)
            } else if let Some(spec) = from_manifest(name) {
                spec
            } else if name.ends_with(".gguf") || name.contains('/') {
                let path = PathBuf::from(name);
                let stem = path.file_stem().map_or(name.to_string(), |s| s.to_string_lossy().into_owned());
                let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                let quant = manifest.by_file(&file).map(|e| e.quant.clone());
                ModelSpec { name: stem, path, threads: default_threads(), context: default_context(), quant }
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
            Some(m) => from_config(m, manifest),
            None => manifest.default.as_deref().and_then(from_manifest).ok_or_else(|| {
                JobError::new(ErrorCode::UnknownModel, "no model configured and no default in the manifest")
            })?,
        },
    };
    Ok(spec)
}

fn from_config(m: &crate::config::ModelConfig, manifest: &Manifest) -> ModelSpec {
    ModelSpec {
        name: m.name.clone(),
        path: m.path.clone(),
        threads: m.threads,
        context: m.context,
        quant: manifest
            .get(&m.name)
            .or_else(|| m.path.file_name().and_then(|f| manifest.by_file(&f.to_string_lossy())))
            .map(|e| e.quant.clone()),
    }
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
    fn non_gguf_and_missing_files_are_unavailable() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.gguf");
        std::fs::write(&bad, b"not a model").unwrap();
        let spec = |p: &Path| ModelSpec { name: "x".into(), path: p.into(), threads: 1, context: 512, quant: None };
        let e = check_gguf(&spec(&bad)).unwrap_err();
        assert_eq!(e.code, ErrorCode::ModelUnavailable);
        assert!(e.message.contains("not a GGUF"));
        let e = check_gguf(&spec(&dir.path().join("none.gguf"))).unwrap_err();
        assert!(e.message.contains("maaza models fetch x"), "{}", e.message);
    }
}
