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
    let spec = models::resolve(args.model.as_deref(), config, &manifest)?;
    match daemon::serve(config, spec) {
        Ok(()) => Ok(0),
        Err(ServeError::Setup(m)) => Err(Failure::bad_input(m)),
        Err(ServeError::Runtime(m)) => Err(Failure::internal(m)),
    }
}
