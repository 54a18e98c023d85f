//! `maaza serve`: the MQTT daemon.

use super::Failure;
use crate::ServeArgs;
use maaza::config::Config;
use maaza::daemon::{self, ServeError};
use maaza::models;
use maaza::models::manifest::Manifest;

/// Runs the daemon; returns 0 after a clean SIGTERM/SIGINT shutdown.
pub fn run(config: &Config, args: ServeArgs) -> Result<u8, Failure> {
    let manifest = Manifest::load(args.manifest.as_deref()).map_err(|e| Failure::bad_input(e.to_string()))?;
    // `--model` serves that one model; else every `[[models]]` entry, the default first.
    let mut specs = match args.model.as_deref() {
        Some(name) => vec![models::resolve(Some(name), config, &manifest)?],
        None => models::resolve_all(config, &manifest)?,
    };
    if let Some(default) = config.default_model() {
        if let Some(i) = specs.iter().position(|s| s.name == default.name) {
            specs[..=i].rotate_right(1);
        }
    }
    match daemon::serve(config, specs) {
        Ok(()) => Ok(0),
        Err(ServeError::Setup(m)) => Err(Failure::bad_input(m)),
        Err(ServeError::Runtime(m)) => Err(Failure::internal(m)),
    }
}
