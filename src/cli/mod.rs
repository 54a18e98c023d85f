//! The subcommands' work, one file each, and the error type they end the program with.

pub mod extract;
pub mod models;
pub mod schemas;

use maaza::config::Config;
use maaza::job::{ErrorCode, JobError};
use maaza::schema::SchemaRegistry;
use std::path::Path;

/// Exit code for bad input: a rejected job, a bad argument, config or model file.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when maaza itself failed.
pub const EXIT_FAILED: u8 = 1;
/// Exit code when the model's output did not validate.
pub const EXIT_INVALID_OUTPUT: u8 = 3;

/// An error for the user, with the exit code it ends the program with.
pub struct Failure {
    pub exit: u8,
    pub message: String,
}

impl Failure {
    pub fn bad_input(message: String) -> Failure {
        Failure { exit: EXIT_BAD_INPUT, message }
    }
    pub fn internal(message: String) -> Failure {
        Failure { exit: EXIT_FAILED, message }
    }
}

impl From<JobError> for Failure {
    fn from(e: JobError) -> Failure {
        let exit = if e.code == ErrorCode::Internal { EXIT_FAILED } else { EXIT_BAD_INPUT };
        Failure { exit, message: e.to_string() }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure::internal(format!("{e:#}"))
    }
}

/// The schema registry of `dir`, else of the config's `schemas_dir`.
pub fn load_registry(config: &Config, dir: Option<&Path>) -> Result<SchemaRegistry, Failure> {
    let dir = dir.unwrap_or(&config.schemas_dir);
    SchemaRegistry::load(dir).map_err(|e| Failure::bad_input(e.to_string()))
}
