//! `maaza completions` and `maaza man`: generated from the clap definitions, so they
//! never disagree with `--help`. The .deb ships both (scripts/deb.sh).

use super::Failure;
use std::io::Write as _;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<u8, Failure> {
    let mut cmd = crate::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "maaza", &mut out);
    write_out(&out)
}

/// Prints maaza(1): the top-level page with every subcommand and its options.
pub fn man() -> Result<u8, Failure> {
    let cmd = crate::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut out)
        .map_err(|e| Failure::internal(format!("rendering the man page: {e}")))?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let _ = writeln!(out, ".SH \"MAAZA {}\"", sub.get_name().to_uppercase());
        let page = clap_mangen::Man::new(sub.clone());
        page.render_description_section(&mut out)
            .and_then(|()| page.render_options_section(&mut out))
            .map_err(|e| Failure::internal(format!("rendering the man page: {e}")))?;
    }
    write_out(&out)
}

fn write_out(bytes: &[u8]) -> Result<u8, Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::internal(format!("writing to standard output: {e}")))?;
    Ok(0)
}
