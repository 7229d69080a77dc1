//! The `fika` command.
//!
//! The database is chosen by `--db URL`, else `FIKA_DATABASE_URL`, else `fika.db` in the
//! current directory (SQLite, created if missing). URL: a path or `sqlite:PATH` for SQLite,
//! `postgres://…` for PostgreSQL.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use fika_interchange::{FolderReader, FolderWriter};
use fika_store::{ImportError, Store};

#[derive(Parser)]
#[command(
    name = "fika",
    version,
    about = "IPS supported employment: records, fidelity and outcomes"
)]
struct Cli {
    /// Database: a path or sqlite:PATH (SQLite), or postgres://… (PostgreSQL).
    #[arg(
        long,
        global = true,
        env = "FIKA_DATABASE_URL",
        default_value = "fika.db"
    )]
    db: String,

    #[command(subcommand)]
    command: Command,
}

// Room is left here for `demo`, `fidelity`, `outcomes`, `serve`, `qual` and `user`.
#[derive(Subcommand)]
enum Command {
    /// Import an interchange folder (INTERCHANGE.md); all or nothing.
    Import {
        /// The folder holding programs.csv and the other files.
        dir: PathBuf,
    },
    /// Export every record as an interchange folder.
    Export {
        /// The folder to write (created if missing; its ten files are replaced).
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fika: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn open(db: &str) -> anyhow::Result<Box<dyn Store>> {
    fika_store::open(db).with_context(|| format!("cannot open the database {db}"))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Import { dir } => {
            let store = open(&cli.db)?;
            let mut reader = FolderReader::open(&dir)
                .with_context(|| format!("cannot read the folder {}", dir.display()))?;
            match store.import(&mut reader) {
                Ok(summary) => {
                    println!("Imported {}:\n{}", dir.display(), summary.rows);
                    Ok(ExitCode::SUCCESS)
                }
                Err(ImportError::Invalid { problems, total }) => {
                    for p in &problems {
                        eprintln!("{p}");
                    }
                    if total > problems.len() as u64 {
                        eprintln!("… and {} more", total - problems.len() as u64);
                    }
                    eprintln!(
                        "{total} problem(s) found in {}; nothing was imported. Fix them and import the folder again.",
                        dir.display()
                    );
                    Ok(ExitCode::FAILURE)
                }
                Err(ImportError::Store(e)) => Err(e.into()),
            }
        }
        Command::Export { dir } => {
            let store = open(&cli.db)?;
            let mut writer = FolderWriter::create(&dir)
                .with_context(|| format!("cannot create the folder {}", dir.display()))?;
            let counts = store.export(&mut |row| writer.write(row))?;
            writer
                .finish()
                .with_context(|| format!("cannot write to {}", dir.display()))?;
            println!("Exported to {}:\n{counts}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
