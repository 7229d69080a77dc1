//! `fika export --pseudonymise` (the research export) and the privacy commands.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use fika_core::ParticipantId;
use fika_interchange::pseudonym::{Options, Pseudonymiser, StudyKey};
use fika_store::access::AccessError;
use fika_store::{Actor, Reach, Store};
use fika_web::i18n::Lang;

/// The pseudonymiser of a study key file. The key is held only in memory; errors name the
/// file, never its content.
pub(crate) fn pseudonymiser(key_file: &Path, options: Options) -> anyhow::Result<Pseudonymiser> {
    let bytes = std::fs::read(key_file)
        .with_context(|| format!("cannot read the key file {}", key_file.display()))?;
    let key = StudyKey::from_file_bytes(&bytes)
        .with_context(|| format!("the key file {} cannot be used", key_file.display()))?;
    Ok(Pseudonymiser::new(&key, options))
}

/// `fika privacy …`: the data subject's rights.
#[derive(clap::Subcommand)]
pub(crate) enum PrivacyCommand {
    /// Everything fika holds about one participant (GDPR Art. 15 and 20): DIR/extract.html,
    /// a printable page in their language, and DIR/extract.json, the same data
    /// (docs/privacy.md). Making it is written to the audit log with the reference.
    Access {
        participant: ParticipantId,
        /// The folder to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// The request's reference (e.g. its case number), kept in the audit row.
        #[arg(long)]
        reference: Option<String>,
        /// The page's language: en or sv (default: the participant's own, else en).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("{s:?} is not a language fika speaks: give en or sv"))
}

pub(crate) fn privacy(store: &dyn Store, command: PrivacyCommand) -> anyhow::Result<ExitCode> {
    match command {
        PrivacyCommand::Access {
            participant,
            out,
            reference,
            lang,
        } => {
            let Some(program) = store.participant_program(&participant)? else {
                bail!("there is no participant with ID {participant}");
            };
            // The command line acts for the participant's program, as a lead would; the
            // audit row names it.
            let actor = Actor {
                user: "cli".into(),
                at: fika_web::clock::stamp(chrono::Utc::now()),
            };
            let extract = match store.access_extract(
                &actor,
                &Reach::Program(program),
                &participant,
                reference.as_deref(),
            ) {
                Ok(Some(e)) => e,
                Ok(None) => bail!("there is no participant with ID {participant}"),
                Err(e @ AccessError::BadReference) => bail!("--reference: {e}"),
                Err(AccessError::Store(e)) => return Err(e.into()),
            };
            let lang = fika_web::access_extract::language(&extract, lang, Lang::En);
            fika_web::access_extract::write_dir(&extract, lang, &out)
                .with_context(|| format!("cannot write to {}", out.display()))?;
            println!(
                "Wrote {} and {} to {} ({}): {} record(s), {} correction(s), {} audit row(s).",
                fika_web::access_extract::HTML,
                fika_web::access_extract::JSON,
                out.display(),
                lang.code(),
                extract.goals.len()
                    + extract.meetings.len()
                    + extract.next_steps.len()
                    + extract.jobs.len()
                    + extract.benefits_planning.len()
                    + extract.employer_contacts.len()
                    + extract.check_ins.len(),
                extract.corrections.len(),
                extract.log.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
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
