//! The `fika` command.
//!
//! The database is chosen by `--db URL`, else `FIKA_DATABASE_URL`, else a SQLite file in the
//! current directory: `fika-demo.db` for `fika demo`, `fika.db` for everything else (created
//! if missing). URL: a path or `sqlite:PATH` for SQLite, `postgres://…` for PostgreSQL.

mod backup;
mod demo;
mod figures;
mod json;
mod participant;
mod privacy;
mod qual;
mod qual_demo;
mod questionnaire;
mod review;
mod workbook;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use fika_core::outcomes::Quarter;
use fika_core::scale::Lang;
use fika_core::{CoachId, Date, ProgramId};
use fika_demo::{DemoConfig, Scale};
use fika_interchange::{FolderReader, FolderWriter};
use fika_store::{ImportError, Store};

use figures::Format;

#[derive(Parser)]
#[command(
    name = "fika",
    version,
    about = "IPS supported employment: records, fidelity and outcomes"
)]
struct Cli {
    /// Database: a path or sqlite:PATH (SQLite), or postgres://… (PostgreSQL).
    /// Default: fika.db (fika-demo.db for `fika demo`).
    #[arg(long, global = true, env = "FIKA_DATABASE_URL")]
    db: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a realistic synthetic IPS region (or a country, for benchmarks).
    Demo {
        /// The same seed gives the same data.
        #[arg(long, default_value_t = fika_demo::DEFAULT_SEED)]
        seed: u64,
        /// region: three programs to try fika with; national: 1,250 programs for benchmarks.
        #[arg(long, value_enum, default_value_t = DemoScale::Region)]
        scale: DemoScale,
        /// Write an interchange folder instead of filling the database.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The last day of the history (default: today).
        #[arg(long, value_parser = figures::parse_date_arg)]
        today: Option<Date>,
        /// Where the web app listens.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Only create the database and say what it holds; do not start the web app.
        #[arg(long)]
        no_serve: bool,
    },
    /// The computed fidelity items of a program, or of every program, on a review date
    /// (METRICS.md).
    Fidelity {
        #[arg(long, required_unless_present = "all")]
        program: Option<ProgramId>,
        /// Every program in the database, one after another (one JSON object or CSV block
        /// per program; the table gives one line per program).
        #[arg(long, conflicts_with = "program")]
        all: bool,
        /// The review date, YYYY-MM-DD.
        #[arg(long, value_parser = figures::parse_date_arg)]
        at: Date,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// With --format json: include the evidence behind every figure.
        #[arg(long)]
        evidence: bool,
        /// Language of item names in the table: en or sv.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: Lang,
        /// Write to this file instead of printing (needed for --format xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Fidelity reviews: create, rate, agree, show, list.
    #[command(subcommand)]
    Review(review::ReviewCommand),
    /// Quarterly outcomes of a program, a coach's caseload or a group of programs (METRICS.md).
    Outcomes {
        /// The program; repeat for a group of programs (a region).
        #[arg(long)]
        program: Vec<ProgramId>,
        /// Every program in the database together (a country).
        #[arg(long, conflicts_with = "program")]
        all: bool,
        /// Only this coach's caseload (with one --program).
        #[arg(long)]
        coach: Option<CoachId>,
        /// The quarter, YYYYQn (e.g. 2025Q2).
        #[arg(long, value_parser = figures::parse_quarter_arg)]
        quarter: Quarter,
        /// A time series: every quarter from --quarter through this one.
        #[arg(long, value_parser = figures::parse_quarter_arg)]
        through: Option<Quarter>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Language of the headings in CSV and XLSX: en or sv.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: Lang,
        /// Write to this file instead of printing (needed for --format xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
        /// For publication: counts under N (5 when no N is given) are shown as <N, and the
        /// counts and rates that would reveal them are hidden (docs/privacy.md).
        #[arg(long, value_name = "N", num_args = 0..=1,
              default_missing_value = "5", value_parser = clap::value_parser!(u64).range(1..))]
        suppress: Option<u64>,
    },
    /// Import an interchange folder (INTERCHANGE.md), or a workbook (FILE.xlsx) with a sheet
    /// per file; all or nothing.
    Import {
        /// The folder holding programs.csv and the other files, or a workbook FILE.xlsx.
        dir: PathBuf,
    },
    /// Write an empty interchange workbook to start keeping records in a spreadsheet: a sheet
    /// per file, the header rows, drop-down lists for the closed vocabularies.
    Template {
        /// The workbook to write (FILE.xlsx); never replaced if it is there.
        #[arg(long, value_name = "FILE")]
        xlsx: PathBuf,
    },
    /// Export every record as an interchange folder, or as a workbook with a sheet per file.
    Export {
        /// The folder to write (created if missing; its eleven files are replaced), or with
        /// --format xlsx the workbook FILE.xlsx (replaced).
        dir: PathBuf,
        /// csv: a folder of CSV files; xlsx: one workbook, numbers as numbers, dates as dates.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// A research export: every ID a keyed pseudonym, names replaced, free text
        /// dropped (docs/privacy.md).
        #[arg(long, requires = "key_file")]
        pseudonymise: bool,
        /// The study's secret key (at least 16 bytes); never written anywhere.
        #[arg(long, requires = "pseudonymise")]
        key_file: Option<PathBuf>,
        /// With --pseudonymise: keep free text (notes, goal and step texts, job titles, the
        /// words of shared check-ins).
        #[arg(long, requires = "pseudonymise")]
        keep_text: bool,
        /// With --pseudonymise: move every date to the first of its month.
        #[arg(long, requires = "pseudonymise")]
        months: bool,
    },
    /// Back up the database into a new FILE, also while fika serves it (docs/backup.md):
    /// SQLite's online backup, or pg_dump for PostgreSQL; encrypted with age to each
    /// --recipient.
    Backup {
        /// The backup to write; never replaced if it is there.
        file: PathBuf,
        /// Encrypt to this age public key (age1…); repeat for several.
        #[arg(long)]
        recipient: Vec<String>,
        /// Encrypt to the public keys in this file, one per line; repeat for several.
        #[arg(long)]
        recipient_file: Vec<PathBuf>,
    },
    /// Restore a backup of `fika backup` into a new, empty SQLite database (--db); for
    /// PostgreSQL, says the pg_restore command.
    Restore {
        /// The backup.
        file: PathBuf,
        /// The age key (AGE-SECRET-KEY-1…) of an encrypted backup.
        #[arg(long)]
        identity: Option<PathBuf>,
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
        /// Serve Prometheus metrics (GET /metrics) on this address; keep it private. Off when
        /// not given.
        #[arg(long, env = "FIKA_METRICS_ADDR")]
        metrics_addr: Option<std::net::SocketAddr>,
        /// Run the retention purge once a day (as `fika privacy purge --apply`; docs/privacy.md).
        #[arg(long, env = "FIKA_RETENTION_PURGE")]
        retention_purge: bool,
    },
    /// Qualitative projects: transcripts, coding, agreement, REFI-QDA exchange.
    #[command(subcommand)]
    Qual(qual::QualCommand),
    /// Questionnaires to programs: REDCap data dictionaries and JSON in and out, rounds, results.
    #[command(subcommand)]
    Questionnaire(questionnaire::QuestionnaireCommand),
    /// The participant's own fika.
    #[command(subcommand)]
    Participant(participant::ParticipantCommand),
    /// The data subject's rights: access, erasure, restriction; legal holds, retention, final figures.
    #[command(subcommand)]
    Privacy(privacy::PrivacyCommand),
    /// The audit log: seal and verify its hash chain.
    #[command(subcommand)]
    Audit(privacy::AuditCommand),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DemoScale {
    Region,
    National,
}

pub(crate) fn parse_lang(s: &str) -> Result<Lang, String> {
    match s {
        "en" => Ok(Lang::En),
        "sv" => Ok(Lang::Sv),
        _ => Err("must be en or sv".into()),
    }
}

/// Serves the web app until Ctrl-C or SIGTERM, then stops gracefully and exits 0.
fn serve_web(
    store: Box<dyn Store>,
    addr: std::net::SocketAddr,
    config: fika_web::Config,
) -> anyhow::Result<ExitCode> {
    let store: std::sync::Arc<dyn Store> = store.into();
    let rt = tokio::runtime::Runtime::new()?;
    let served = rt
        .block_on(fika_web::serve(store.clone(), addr, config))
        .with_context(|| format!("cannot serve on {addr}"));
    // The store is dropped here, outside the async runtime: PostgreSQL's client closes its
    // connections with a runtime of its own, which cannot start inside another.
    rt.shutdown_timeout(std::time::Duration::from_secs(5));
    drop(store);
    served?;
    println!("fika stopped.");
    Ok(ExitCode::SUCCESS)
}

/// Where an export's rows go: a folder of CSV files, or one workbook.
enum Sink {
    Folder(FolderWriter),
    Workbook(Box<fika_interchange::workbook::WorkbookWriter>),
}

impl Sink {
    fn write(&mut self, row: &fika_core::Row) -> std::io::Result<()> {
        match self {
            Sink::Folder(w) => w.write(row),
            Sink::Workbook(w) => w.write(row),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Folder(w) => w.finish(),
            Sink::Workbook(w) => (*w).finish(),
        }
    }
}

/// Rows handed to the writing thread at a time.
const EXPORT_BATCH: usize = 4096;

/// Exports every record into `writer`. The store reads (and checks each record) on this
/// thread while another turns the records into CSV and writes them, so the two halves of
/// the work use two cores. At most a few batches wait between them: memory stays flat.
///
/// A research export's records are pseudonymised on a third thread, between the two; the
/// second number returned is how many it left out (check-ins given "only counted").
fn export_to(
    store: &dyn Store,
    mut writer: Sink,
    pseudonymiser: Option<fika_interchange::pseudonym::Pseudonymiser>,
) -> anyhow::Result<(fika_store::Counts, u64)> {
    let (send, receive) = std::sync::mpsc::sync_channel::<Vec<fika_core::Row>>(4);
    let (receive, changing) = match pseudonymiser {
        None => (receive, None),
        Some(mut p) => {
            let (send_changed, receive_changed) =
                std::sync::mpsc::sync_channel::<Vec<fika_core::Row>>(4);
            // Returns how many records it left out (check-ins given "only counted").
            let changing = std::thread::spawn(move || {
                let mut left_out = 0u64;
                for batch in receive {
                    let given = batch.len();
                    let changed: Vec<_> = batch.into_iter().filter_map(|row| p.row(row)).collect();
                    left_out += (given - changed.len()) as u64;
                    if send_changed.send(changed).is_err() {
                        // The writer stopped; its own error says why.
                        break;
                    }
                }
                left_out
            });
            (receive_changed, Some(changing))
        }
    };
    let writing = std::thread::spawn(move || -> std::io::Result<()> {
        for batch in receive {
            for row in &batch {
                writer.write(row)?;
            }
        }
        writer.finish()
    });
    let mut batch = Vec::with_capacity(EXPORT_BATCH);
    let read = store.export(&mut |row| {
        batch.push(row);
        if batch.len() == EXPORT_BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(EXPORT_BATCH));
            send.send(full)
                .map_err(|_| std::io::Error::other("the writing stopped"))?;
        }
        Ok(())
    });
    if read.is_ok() && !batch.is_empty() {
        // A failed send means the writer stopped; its own error says why.
        let _ = send.send(batch);
    }
    drop(send);
    let left_out = match changing {
        Some(changing) => changing.join().map_err(|_| {
            anyhow::anyhow!("the thread pseudonymising the records stopped unexpectedly")
        })?,
        None => 0,
    };
    let written = writing
        .join()
        .map_err(|_| anyhow::anyhow!("the thread writing the files stopped unexpectedly"))?;
    // When writing failed, reading stopped because of it: the write error is the cause.
    written?;
    Ok((read?, left_out))
}

/// A workbook is written to a file, never to the terminal.
fn check_out(format: Format, out: Option<&std::path::Path>) -> anyhow::Result<()> {
    if format == Format::Xlsx && out.is_none() {
        anyhow::bail!("--format xlsx writes a workbook: say where with --out FILE.xlsx");
    }
    Ok(())
}

/// Prints text, or writes it (or a workbook) to `out`.
fn emit(rendered: figures::Rendered, out: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let bytes = match rendered {
        figures::Rendered::Text(t) if out.is_none() => {
            print!("{t}");
            return Ok(ExitCode::SUCCESS);
        }
        figures::Rendered::Text(t) => t.into_bytes(),
        figures::Rendered::Xlsx(b) => b,
    };
    let path = out.context("--format xlsx needs --out FILE.xlsx")?;
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    println!("Wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

fn open(db: &str) -> anyhow::Result<Box<dyn Store>> {
    fika_store::open(db).with_context(|| format!("cannot open the database {db}"))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let db = match (&cli.db, &cli.command) {
        (Some(db), _) => db.clone(),
        (None, Command::Demo { .. }) => "fika-demo.db".to_owned(),
        (None, _) => "fika.db".to_owned(),
    };
    match cli.command {
        Command::Backup {
            file,
            recipient,
            recipient_file,
        } => backup::backup(
            &db,
            &file,
            backup::Encryption {
                recipients: recipient,
                recipient_files: recipient_file,
            },
        ),
        Command::Restore { file, identity } => backup::restore(&db, &file, identity.as_deref()),
        Command::Demo {
            seed,
            scale,
            out,
            today,
            addr,
            no_serve,
        } => {
            let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
            let config = DemoConfig {
                seed,
                scale: match scale {
                    DemoScale::Region => Scale::Region,
                    DemoScale::National => Scale::National,
                },
                today,
                max_programs: None,
            };
            if let Some(dir) = out {
                let summary = demo::to_folder(&config, &dir)?;
                println!("Wrote {} rows to {}", summary.rows.total(), dir.display());
                return Ok(ExitCode::SUCCESS);
            }
            let store = open(&db)?;
            if store.counts()?.total() > 0 {
                println!(
                    "{db} already holds records; they are left as they are:\n{}",
                    store.counts()?
                );
            } else {
                let summary = demo::to_store(&config, store.as_ref())?;
                print!("{}", demo::describe(&summary, today));
                let round = questionnaire::demo_round(store.as_ref(), today)?;
                println!(
                    "A questionnaire went to every program as round {round}; two have answered."
                );
                println!("Stored in {db}.");
            }
            println!(
                "\nTry: fika --db {db} fidelity --program P1 --at {today}\n     fika --db {db} outcomes --program P1 --quarter {}",
                Quarter::of(today)
            );
            if no_serve {
                return Ok(ExitCode::SUCCESS);
            }
            // Users for each role, the first time only: passwords are shown once.
            if store.users()?.is_empty() {
                println!("\nSign in at http://{addr}/login as:");
                let participant = fika_web::demo::add_demo_participant(store.as_ref(), today)?;
                for u in fika_web::demo::add_demo_users(store.as_ref())?
                    .into_iter()
                    .chain(participant)
                {
                    println!(
                        "  {:<10} {:<24} {} ({})",
                        u.login, u.password, u.role, u.sees
                    );
                }
                if let Some(id) = qual_demo::add(store.as_ref(), "evaluator")? {
                    println!(
                        "\nThe evaluator owns {id}, nine interviews coded by two coders: \
                         http://{addr}/qual (the comparison is open)."
                    );
                }
            } else {
                println!(
                    "\nSign in at http://{addr}/login with the demo logins printed when {db} was made \
                     (remove {db} to start again with new ones)."
                );
            }
            let _serving = fika_store::backup::hold_for_serving(&db)?;
            serve_web(store, addr, fika_web::Config::default())
        }
        Command::Fidelity {
            program: None,
            at,
            format,
            evidence,
            lang,
            out,
            ..
        } => {
            check_out(format, out.as_deref())?;
            let store = open(&db)?;
            let reports = figures::fidelity_reports(store.as_ref(), at)?;
            let text = figures::print_fidelity_all(&reports, format, evidence, lang)?;
            emit(figures::Rendered::Text(text), out.as_deref())
        }
        Command::Fidelity {
            program: Some(program),
            at,
            format,
            evidence,
            lang,
            out,
            ..
        } => {
            check_out(format, out.as_deref())?;
            let store = open(&db)?;
            let report = figures::fidelity_report(store.as_ref(), &program, at)?;
            let mut rendered = figures::print_fidelity(&report, format, evidence, lang)?;
            if let (Format::Json, figures::Rendered::Text(t)) = (format, &mut rendered) {
                t.push('\n');
            }
            emit(rendered, out.as_deref())
        }
        Command::Review(command) => {
            let store = open(&db)?;
            print!("{}", review::run(store.as_ref(), command)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Participant(command) => {
            let store = open(&db)?;
            participant::run(store.as_ref(), command)
        }
        Command::Privacy(command) => {
            let store = open(&db)?;
            privacy::privacy(store.as_ref(), command)
        }
        Command::Audit(command) => {
            let store = open(&db)?;
            privacy::audit(store.as_ref(), command)
        }
        Command::Qual(command) => {
            let store = open(&db)?;
            print!("{}", qual::run(store.as_ref(), command)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Questionnaire(command) => {
            let store = open(&db)?;
            print!("{}", questionnaire::run(store.as_ref(), command)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Outcomes {
            program,
            all,
            coach,
            quarter,
            through,
            format,
            lang,
            out,
            suppress,
        } => {
            check_out(format, out.as_deref())?;
            let store = open(&db)?;
            let query = figures::OutcomesQuery {
                programs: program,
                all,
                coach,
                quarter,
                through,
                lang,
                suppress,
            };
            emit(
                figures::outcomes(store.as_ref(), &query, format)?,
                out.as_deref(),
            )
        }
        Command::Template { xlsx } => workbook::template(&xlsx),
        Command::Import { dir } if workbook::is_workbook(&dir) => {
            let store = open(&db)?;
            workbook::import(store.as_ref(), &dir)
        }
        Command::Import { dir } => {
            workbook::refuse_other_spreadsheet(&dir)?;
            let store = open(&db)?;
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
        Command::Export {
            dir,
            format,
            pseudonymise,
            key_file,
            keep_text,
            months,
        } => {
            // The key is read before anything is written, and goes nowhere but the HMAC.
            let pseudonymiser = match (pseudonymise, key_file) {
                (true, Some(path)) => Some(privacy::pseudonymiser(
                    &path,
                    fika_interchange::pseudonym::Options { keep_text, months },
                )?),
                _ => None,
            };
            if format == ExportFormat::Csv && workbook::is_workbook(&dir) {
                anyhow::bail!(
                    "{} names a workbook: add --format xlsx, or give a folder for the CSV files",
                    dir.display()
                );
            }
            let store = open(&db)?;
            let writer = match format {
                ExportFormat::Csv => Sink::Folder(
                    FolderWriter::create(&dir)
                        .with_context(|| format!("cannot create the folder {}", dir.display()))?,
                ),
                ExportFormat::Xlsx => Sink::Workbook(Box::new(
                    fika_interchange::workbook::WorkbookWriter::create(&dir),
                )),
            };
            let (counts, left_out) = export_to(&*store, writer, pseudonymiser)
                .with_context(|| format!("cannot write to {}", dir.display()))?;
            println!("Exported to {}:\n{counts}", dir.display());
            if pseudonymise {
                // docs/privacy.md: a check-in given "only counted" never leaves as a row.
                println!(
                    "Left out: {left_out} check-in(s) given \"only counted\"; check_ins.csv holds the shared ones only."
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            addr,
            secure_cookies,
            behind_proxy,
            idle_minutes,
            absolute_hours,
            metrics_addr,
            retention_purge,
        } => {
            let store = open(&db)?;
            let _serving = fika_store::backup::hold_for_serving(&db)?;
            let config = fika_web::Config {
                secure_cookies,
                behind_proxy,
                idle_timeout: std::time::Duration::from_secs(idle_minutes * 60),
                absolute_timeout: std::time::Duration::from_secs(absolute_hours * 3600),
                metrics_addr,
                retention_purge,
                ..fika_web::Config::default()
            };
            serve_web(store, addr, config)
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
            let store = open(&db)?;
            if !password_stdin {
                eprint!("Password for {name} (at least 12 characters): ");
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
