//! `fika export --pseudonymise` (the research export) and the privacy commands.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use fika_interchange::pseudonym::{Options, Pseudonymiser, StudyKey};
use fika_store::Store;

/// The pseudonymiser of a study key file. The key is held only in memory; errors name the
/// file, never its content.
pub(crate) fn pseudonymiser(key_file: &Path, options: Options) -> anyhow::Result<Pseudonymiser> {
    let bytes = std::fs::read(key_file)
        .with_context(|| format!("cannot read the key file {}", key_file.display()))?;
    let key = StudyKey::from_file_bytes(&bytes)
        .with_context(|| format!("the key file {} cannot be used", key_file.display()))?;
    Ok(Pseudonymiser::new(&key, options))
}

/// `fika audit …`.
#[derive(clap::Subcommand)]
pub(crate) enum AuditCommand {
    /// Seal the rows written since the last seal, then recompute the whole hash chain:
    /// fails, naming each row, when a row was changed or removed in the database.
    Verify,
    /// Seal the rows written since the last seal (the server does it every minute).
    Seal,
}

pub(crate) fn audit(store: &dyn Store, command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Seal => {
            let n = store.seal_audit()?;
            println!("Sealed {n} audit row(s).");
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify => {
            let v = store.verify_audit()?;
            if v.sealed_now > 0 {
                println!(
                    "Sealed {} audit row(s) written since the last seal.",
                    v.sealed_now
                );
            }
            match &v.head {
                Some((seq, chain, hash)) => println!(
                    "{} audit row(s) in the chain; the last is row {seq}, chain position {chain}, hash {hash}.",
                    v.rows
                ),
                None => println!("The audit log is empty."),
            }
            if v.problems.is_empty() {
                println!(
                    "The audit log is intact: no sealed row was changed or removed. (Rows removed \
                     from the end are seen only against a head written down earlier.)"
                );
                return Ok(ExitCode::SUCCESS);
            }
            for p in &v.problems {
                eprintln!("{p}");
            }
            if v.problems.len() == fika_store::audit::MAX_AUDIT_PROBLEMS {
                eprintln!("… and possibly more.");
            }
            eprintln!(
                "The audit log was changed outside fika: {} problem(s). Keep a copy of the database as it is and \
                 compare it with a backup.",
                v.problems.len()
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
