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

// Room is left here for `demo`, `fidelity`, `outcomes` and `qual`.
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
    /// Serve the web app.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Mark the session cookie Secure (set when served over TLS, also behind a proxy).
        #[arg(long, env = "FIKA_SECURE_COOKIES")]
        secure_cookies: bool,
        /// fika is behind a proxy that appends the client's address to X-Forwarded-For.
        #[arg(long, env = "FIKA_BEHIND_PROXY")]
        behind_proxy: bool,
        /// Minutes without a request after which a session ends.
        #[arg(long, default_value_t = 30)]
        idle_minutes: u64,
        /// Hours after sign-in after which a session ends.
        #[arg(long, default_value_t = 12)]
        absolute_hours: u64,
    },
    /// Manage who can sign in to the web app.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. The password is read from standard input (one line).
    Add {
        /// The name to sign in with.
        #[arg(long)]
        name: String,
        /// admin, lead, coach or evaluator.
        #[arg(long)]
        role: String,
        /// The coach ID of a coach.
        #[arg(long)]
        coach: Option<String>,
        /// The program ID of a lead.
        #[arg(long)]
        program: Option<String>,
        /// Read the password from standard input without a prompt (for scripts).
        #[arg(long)]
        password_stdin: bool,
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
        Command::Serve {
            addr,
            secure_cookies,
            behind_proxy,
            idle_minutes,
            absolute_hours,
        } => {
            let store = open(&cli.db)?;
            let config = fika_web::Config {
                secure_cookies,
                behind_proxy,
                idle_timeout: std::time::Duration::from_secs(idle_minutes * 60),
                absolute_timeout: std::time::Duration::from_secs(absolute_hours * 3600),
                ..fika_web::Config::default()
            };
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(fika_web::serve(store.into(), addr, config))
                .with_context(|| format!("cannot serve on {addr}"))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    coach,
                    program,
                    password_stdin,
                },
        } => {
            let store = open(&cli.db)?;
            if !password_stdin {
                eprint!("Password for {name} (at least 10 characters): ");
            }
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let user = fika_web::auth::add_user(
                store.as_ref(),
                &name,
                &role,
                coach.as_deref(),
                program.as_deref(),
                password,
            )?;
            println!("Added {} ({}).", user.login, user.role);
            Ok(ExitCode::SUCCESS)
        }
    }
}
