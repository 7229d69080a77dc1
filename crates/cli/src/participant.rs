//! `fika participant invite PARTICIPANT_ID [--base-url URL]`: an invitation to the
//! participant's own account, for programs that hand it over on paper. It prints when the
//! invitation stops working and, on its last line, the link (valid 14 days, once).

use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use fika_core::ParticipantId;
use fika_store::{Actor, Reach, Store, WriteError};

#[derive(Subcommand)]
pub enum ParticipantCommand {
    /// Makes an invitation to the participant's own account and prints its link last.
    Invite {
        participant: ParticipantId,
        /// The address people reach fika at (as in a browser).
        #[arg(long, default_value = "http://localhost:8080")]
        base_url: String,
    },
}

pub fn run(store: &dyn Store, command: ParticipantCommand) -> anyhow::Result<ExitCode> {
    match command {
        ParticipantCommand::Invite {
            participant,
            base_url,
        } => {
            if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
                bail!("--base-url {base_url:?}: give the address with http:// or https://");
            }
            let Some(program) = store.participant_program(&participant)? else {
                bail!("there is no participant with ID {participant}");
            };
            let now = chrono::Utc::now();
            // The command line acts as an administrator for the participant's program;
            // the audit row names it.
            let actor = Actor {
                user: "cli".into(),
                at: fika_web::clock::stamp(now),
            };
            let made = fika_web::invitation::make(
                store,
                &actor,
                &Reach::Program(program),
                &participant,
                &base_url,
                now,
            )
            .map_err(|e| match e {
                WriteError::Store(e) => anyhow::Error::from(e),
                other => anyhow::anyhow!("{other}"),
            })
            .context("the invitation was not made")?;
            println!("Invitation for {participant}: code {}", made.code);
            println!("It works once, until {}.", made.expires_at);
            println!("{}", made.link);
            Ok(ExitCode::SUCCESS)
        }
    }
}
