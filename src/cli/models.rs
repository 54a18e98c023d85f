//! `maaza models`: list, fetch and verify model files.

use super::Failure;
use crate::ModelsCommand;
use maaza::config::Config;
use maaza::models;
use maaza::models::fetch::{self, Fetched, Progress};
use maaza::models::manifest::{self, Manifest};
use std::io::IsTerminal;
use std::path::Path;

/// `maaza models list|fetch|verify`.
pub fn run(config: &Config, cmd: ModelsCommand) -> Result<u8, Failure> {
    let common = match &cmd {
        ModelsCommand::List(c) => c,
        ModelsCommand::Fetch(a) | ModelsCommand::Verify(a) => &a.common,
        ModelsCommand::Add(a) => &a.common,
    };
    // `add` writes --manifest (which may not exist yet) rather than reading it.
    let extra = if matches!(cmd, ModelsCommand::Add(_)) { None } else { common.manifest.as_deref() };
    let manifest = Manifest::load(extra).map_err(|e| Failure::bad_input(e.to_string()))?;
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
        ModelsCommand::Add(a) => add(a, &manifest, &dir),
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
            // A model's own adapters come with it; its path is printed last, alone on stdout.
            for adapter in manifest.adapters_for(&e.name) {
                fetch_one(adapter, &dir)?;
            }
            let fetched = fetch_one(e, &dir)?;
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
                Ok(false) => {
                    Err(Failure::bad_input(format!("sha256_mismatch: {} does not match the manifest", path.display())))
                }
                Err(err) => Err(Failure::bad_input(format!(
                    "model_unavailable: {}: {err}; run `maaza models fetch {}`",
                    path.display(),
                    e.name
                ))),
            }
        }
    }
}

/// Fetches one entry into `dir`, saying what happened on stderr.
fn fetch_one(e: &manifest::ModelEntry, dir: &Path) -> Result<Fetched, Failure> {
    eprintln!("fetching {} into {}", e.name, dir.display());
    let fetched = fetch::fetch(e, dir, &mut Bar::default()).map_err(|err| match err {
        fetch::FetchError::Sha256Mismatch { .. } => Failure::bad_input(format!("sha256_mismatch: {err}")),
        other => Failure::internal(other.to_string()),
    })?;
    match &fetched {
        Fetched::AlreadyPresent(_) => eprintln!("{} already present and verified", e.name),
        Fetched::Downloaded(p) => {
            let how = if e.source == manifest::Source::Bundled { "written from this binary" } else { "downloaded" };
            eprintln!("{} {how} and verified ({} bytes)", e.name, file_size(p));
        }
    }
    Ok(fetched)
}

/// `maaza models add NAME URL [--sha256 H]`: download, hash, pin.
fn add(a: &crate::AddArgs, manifest: &Manifest, dir: &Path) -> Result<u8, Failure> {
    let target = match a.common.manifest.clone().or_else(manifest::user_manifest_path) {
        Some(p) => p,
        None => return Err(Failure::bad_input("no user manifest path: set HOME or pass --manifest FILE".into())),
    };
    let existing = match std::fs::read_to_string(&target) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Failure::bad_input(format!("cannot read {}: {e}", target.display()))),
    };
    let pinned = Manifest::parse(&existing, &target).map_err(|e| Failure::bad_input(e.to_string()))?;
    if pinned.get(&a.name).is_some() {
        return Err(Failure::bad_input(format!(
            "`{}` is already pinned in {}; remove its [[model]] entry there to pin it again",
            a.name,
            target.display()
        )));
    }
    if manifest.get(&a.name).is_some() {
        eprintln!("note: `{}` replaces the entry of the same name in the built-in manifest", a.name);
    }
    if let Some(h) = &a.sha256 {
        if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Failure::bad_input(format!("--sha256 `{h}` is not 64 hex digits")));
        }
    }
    let file = match a.url.rsplit('/').next().map(|f| f.split(['?', '#']).next().unwrap_or(f)) {
        Some(f) if f.ends_with(".gguf") && !f.starts_with('.') => f.to_string(),
        _ => format!("{}.gguf", a.name),
    };
    if let Some(other) = manifest.by_file(&file).or_else(|| pinned.by_file(&file)) {
        return Err(Failure::bad_input(format!(
            "{file} is the file of model `{}`; pick a URL with another file name",
            other.name
        )));
    }
    eprintln!("fetching {} into {}", a.url, dir.display());
    let (path, sha) =
        fetch::fetch_url(&a.url, dir, &file, a.sha256.as_deref(), &mut Bar::default()).map_err(|err| match err {
            fetch::FetchError::Sha256Mismatch { .. } => Failure::bad_input(format!("sha256_mismatch: {err}")),
            other => Failure::internal(other.to_string()),
        })?;
    let header = models::gguf::Header::read(&path).map_err(|e| {
        let _ = std::fs::remove_file(&path);
        Failure::bad_input(format!("{}: {e}", a.url))
    })?;
    let kind = header.kind().unwrap_or("model").to_string();
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let entry = format!(
        "\n[[model]]\nname = {}\nfile = {}\nsha256 = \"{sha}\"\nsize = {}\nquant = {}\ndescription = {}\nsource = {{ kind = \"url\", url = {} }}\n",
        quote(&a.name),
        quote(&file),
        file_size(&path),
        quote(header.quant().unwrap_or("unknown")),
        quote(&format!("{kind} added by `maaza models add`")),
        quote(&a.url),
    );
    let text = existing + &entry;
    Manifest::parse(&text, &target).map_err(|e| Failure::internal(format!("the new entry does not parse: {e}")))?;
    write_atomic(&target, &text).map_err(|e| Failure::bad_input(format!("cannot write {}: {e}", target.display())))?;
    eprintln!("{} pinned in {} (sha256 {sha})", a.name, target.display());
    println!("{sha}\t{}", path.display());
    Ok(0)
}

/// Replaces `path` with `text` through a temporary file, creating its folder.
fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
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
