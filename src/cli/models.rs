//! `maaza models`: list, fetch and verify model files.

use super::Failure;
use crate::ModelsCommand;
use maaza::config::Config;
use maaza::models;
use maaza::models::fetch::{self, Fetched, Progress};
use maaza::models::manifest::Manifest;
use std::io::IsTerminal;
use std::path::Path;

/// `maaza models list|fetch|verify`.
pub fn run(config: &Config, cmd: ModelsCommand) -> Result<u8, Failure> {
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
