//! `maaza schemas`: list and check the registry.

use super::{load_registry, Failure};
use crate::SchemasCommand;
use maaza::config::Config;

/// `maaza schemas list|check`.
pub fn run(config: &Config, cmd: SchemasCommand) -> Result<u8, Failure> {
    match cmd {
        SchemasCommand::List(a) => {
            let registry = load_registry(config, a.schemas.as_deref())?;
            for (id, path) in registry.entries() {
                println!("{id}\t{}", path.display());
            }
            Ok(0)
        }
        SchemasCommand::Check(a) => {
            let registry = load_registry(config, a.schemas.as_deref())?;
            println!(
                "{} schemas ok in {}",
                registry.len(),
                a.schemas.as_deref().unwrap_or(&config.schemas_dir).display()
            );
            Ok(0)
        }
    }
}
