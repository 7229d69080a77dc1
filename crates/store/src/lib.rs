//! fika-store: everything SQL.
//!
//! One interface, [`Store`], with two implementations: SQLite (embedded, the default) and
//! PostgreSQL (for a region or a country). [`open`] picks one from a URL. Migrations for
//! each backend are embedded in the binary and applied on open. The import and export
//! logic is written once ([`import`](crate::import), [`export`](crate::export)) over a small
//! internal [`backend::Tx`] that each backend implements; nothing outside this crate sees a
//! SQL dialect.

pub mod access;
pub mod accounts;
pub mod audit;
mod backend;
pub mod backup;
pub mod caseload;
pub mod correct;
mod day;
pub mod erasure;
mod export;
mod figures;
pub mod finals;
mod group;
mod health;
mod import;
pub mod participant_view;
pub mod plan;
mod pool;
mod postgres;
mod qual;
pub mod questionnaires;
pub mod register;
pub mod restrict;
mod reviews;
mod schema;
mod sql;
mod sqlite;
mod union;

use std::collections::BTreeMap;
use std::fmt;
use std::io;

use fika_core::review::FidelityReview;
use fika_core::*;
use fika_interchange::{Problem, Sourced};
use fika_qual::Project;

pub use access::AccessRequests;
pub use accounts::{Accounts, Role, User};
pub use audit::AuditChain;
pub use backend::Backend;
use backend::Runner;
pub use caseload::{Actor, Reach, Records, WriteError};
pub use correct::Corrections;
pub use erasure::Erasure;
pub use finals::FinalFigures;
pub use health::SchemaState;
pub use participant_view::ParticipantView;
pub use pool::PoolUse;
pub use qual::{MEMBER_ROLE, QualAccess, QualMember, QualRole};
pub use questionnaires::Questionnaires;
pub use register::Register;
pub use restrict::Restrictions;

/// The storage interface. Every method is synchronous; a web layer calls it through
/// `spawn_blocking`. Every write is one transaction.
pub trait Store:
    Send
    + Sync
    + Accounts
    + Records
    + Corrections
    + Register
    + ParticipantView
    + Questionnaires
    + AuditChain
    + AccessRequests
    + Erasure
    + FinalFigures
    + Restrictions
{
    /// Imports an interchange folder, given as a stream of located rows and problems (see
    /// `fika_interchange::FolderReader`). All or nothing: on any problem nothing is written
    /// and every problem is reported (the first [`MAX_PROBLEMS`], and how many in all).
    fn import(
        &self,
        source: &mut dyn Iterator<Item = Sourced>,
    ) -> Result<ImportSummary, ImportError>;

    /// Streams every record to `sink`, file by file in [`File::FILE_ORDER`], rows in the order
    /// they were stored (an import keeps its files' order). Returns the rows per file.
    fn export(&self, sink: &mut dyn FnMut(Row) -> io::Result<()>) -> Result<Counts, StoreError>;

    /// Rows per file.
    fn counts(&self) -> Result<Counts, StoreError>;

    /// One program's records for the period `[from, to]` (both inclusive): every coach,
    /// participant, job and benefits planning record of it, and the meetings and employer
    /// contacts dated in the period. A fidelity report needs far less (see
    /// [`Store::fidelity_data`]). `None` when there is no such program.
    fn program_data(
        &self,
        program: &ProgramId,
        from: Date,
        to: Date,
    ) -> Result<Option<ProgramData>, StoreError>;

    /// What the computed fidelity items of one program read on review date `at`: the
    /// program, its coaches and participants, and only the meetings, employer contacts and
    /// jobs that METRICS.md's windows look at (see `fika_core::fidelity::Lookback`). The
    /// report from these equals, evidence included, the report from every record. `None`
    /// when there is no such program.
    fn fidelity_data(
        &self,
        program: &ProgramId,
        at: Date,
    ) -> Result<Option<FidelityData>, StoreError>;

    /// What the computed fidelity items of every program read on review date `at`, read
    /// for all programs at once: for each program (in the order of programs.csv) the same
    /// records as [`Store::fidelity_data`] gives it.
    fn fidelity_data_all(&self, at: Date) -> Result<Vec<FidelityData>, StoreError>;

    /// Participants and their jobs — of one program, or of every program (a region, a
    /// country): the outcome figures need nothing else.
    fn participants_and_jobs(
        &self,
        program: Option<&ProgramId>,
    ) -> Result<(Vec<Participant>, Vec<Job>), StoreError>;

    /// Every program's outcomes in each of `quarters` (one map per quarter, in the order
    /// given; programs without participants are left out), as
    /// `fika_core::outcomes::outcomes_by_program` computes them from every participant and
    /// job. Read from the figures the store keeps per program and quarter; those not kept
    /// (never asked for, or deleted by a change of the program's participants or jobs) are
    /// computed from the records and kept, in a write transaction.
    fn outcomes_by_program(
        &self,
        quarters: &[fika_core::outcomes::Quarter],
    ) -> Result<Vec<BTreeMap<ProgramId, fika_core::outcomes::Outcomes>>, StoreError>;

    /// Stores a new fidelity review and returns its ID (`R1`, `R2`, …); `None` when its
    /// program does not exist.
    fn create_review(&self, review: &FidelityReview) -> Result<Option<String>, StoreError>;

    /// Replaces a stored review (ratings, consensus); `false` when there is no such review.
    fn update_review(&self, id: &str, review: &FidelityReview) -> Result<bool, StoreError>;

    fn review(&self, id: &str) -> Result<Option<FidelityReview>, StoreError>;

    /// Reads a review, lets `change` change it and stores the result, all in one write
    /// transaction (the row locked on PostgreSQL): ratings saved by two reviewers at once
    /// are both kept. `change` returns `false` to leave the review as it was. `None` when
    /// there is no such review; else the review as stored.
    fn change_review(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut FidelityReview) -> bool,
    ) -> Result<Option<FidelityReview>, StoreError>;

    /// A program's reviews with their IDs, oldest first (the trend).
    fn reviews(&self, program: &ProgramId) -> Result<Vec<(String, FidelityReview)>, StoreError>;

    /// Stores a new qualitative project (thematic analysis) and returns its ID (`Q1`, `Q2`,
    /// …); `None` when a project of that name exists. Names are unique.
    fn create_qual_project(&self, project: &Project) -> Result<Option<String>, StoreError>;

    /// Replaces a stored qualitative project, its name and files included.
    fn update_qual_project(
        &self,
        id: &str,
        project: &Project,
    ) -> Result<Result<(), UpdateRefused>, StoreError>;

    /// The qualitative project with this ID, else with this name, and its ID.
    fn qual_project(&self, id_or_name: &str) -> Result<Option<(String, Project)>, StoreError>;

    /// Every qualitative project's ID and name, oldest first.
    fn qual_projects(&self) -> Result<Vec<(String, String)>, StoreError>;

    /// The qualitative projects the user with this login name has a role in, oldest first.
    fn qual_projects_of(&self, login: &str) -> Result<Vec<QualAccess>, StoreError>;

    /// The qualitative project with this ID as `login` reaches it, its files left empty;
    /// `None` when there is no such project or when they have no role in it (the same
    /// answer, on purpose).
    fn qual_project_for(
        &self,
        id: &str,
        login: &str,
    ) -> Result<Option<(QualAccess, Project)>, StoreError>;

    /// The members of a qualitative project, owners first.
    fn qual_members(&self, id: &str) -> Result<Vec<QualMember>, StoreError>;

    /// Gives the user `login` a role in project `id`, replacing any role they had. `by` is
    /// the owner doing it, or `None` for the command line (an administrator). Refused:
    /// `NotFound` when there is no such project or `by` is not its owner; rule
    /// `qual-no-such-user`; rule `qual-member-role` for anyone but an evaluator.
    fn add_qual_member(
        &self,
        id: &str,
        by: Option<&str>,
        login: &str,
        role: QualRole,
    ) -> Result<(), WriteError>;

    /// Changes a qualitative project on behalf of its member `login`, in one transaction:
    /// `change` gets the project (its row locked, its files left empty) and the member's
    /// access, and what it leaves is stored when it returns `Ok`. `NotFound` when there is
    /// no such project or `login` has no role in it. Files are neither read nor written.
    fn change_qual_project(
        &self,
        id: &str,
        login: &str,
        change: &mut dyn FnMut(&mut Project, &QualAccess) -> Result<(), WriteError>,
    ) -> Result<(), WriteError>;

    /// Opens the comparison of a qualitative project's coders: from then on every member
    /// sees every coder's coding. Only an owner may (`NotFound` for anyone else).
    fn open_qual_comparison(&self, id: &str, login: &str) -> Result<(), WriteError>;

    /// Adds text sources (uploaded transcripts) to a qualitative project on behalf of its
    /// member `login`, their original documents kept as the project's files, all or none in
    /// one transaction. `NotFound` when `login` has no role in it; rule
    /// `qual-comparison-open` once the comparison is open; rule `qual-source-name-taken`
    /// when a name is already there.
    fn add_qual_sources(
        &self,
        id: &str,
        login: &str,
        sources: &[fika_qual::TextSource],
    ) -> Result<(), WriteError>;

    /// Which backend this is.
    fn backend(&self) -> Backend;

    /// The database's migrations against this fika's; an error when the database does not
    /// answer (a server's readiness check).
    fn schema_state(&self) -> Result<SchemaState, StoreError>;

    /// How the connection pool is used now (a server's metrics).
    fn pool_use(&self) -> PoolUse;
}

/// The most problems an import reports; it also says how many there were in all.
pub const MAX_PROBLEMS: usize = 1000;

/// Opens a store: a path or `sqlite:PATH` for SQLite (a missing file is created),
/// `postgres://…` or `postgresql://…` for PostgreSQL. Applies pending migrations.
///
/// A PostgreSQL URL may end with `?schema=NAME` (or `&schema=NAME`): fika then keeps its
/// tables in that schema, which is created if missing. Tests use it to run in a fresh schema.
pub fn open(url: &str) -> Result<Box<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(postgres::PostgresStore::open(url)?))
    } else {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"));
        Ok(Box::new(sqlite::SqliteStore::open(path.unwrap_or(url))?))
    }
}

/// A store over one backend: the shared logic run in that backend's transactions.
pub(crate) struct Db<R>(R);

impl<R: Runner> Store for Db<R> {
    fn import(
        &self,
        source: &mut dyn Iterator<Item = Sourced>,
    ) -> Result<ImportSummary, ImportError> {
        let outcome = self.0.run_import(|tx| {
            let outcome = import::import(tx, source)?;
            let valid = matches!(outcome, import::Outcome::Valid(_));
            Ok((outcome, valid))
        })?;
        match outcome {
            import::Outcome::Valid(rows) => Ok(ImportSummary { rows }),
            import::Outcome::Invalid { problems, total } => {
                Err(ImportError::Invalid { problems, total })
            }
        }
    }

    fn export(&self, sink: &mut dyn FnMut(Row) -> io::Result<()>) -> Result<Counts, StoreError> {
        self.0
            .run(false, |tx| Ok((export::export(tx, sink)?, false)))
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        self.0.run(false, |tx| Ok((export::counts(tx)?, false)))
    }

    fn program_data(
        &self,
        program: &ProgramId,
        from: Date,
        to: Date,
    ) -> Result<Option<ProgramData>, StoreError> {
        self.0.run(false, |tx| {
            Ok((export::program_data(tx, program, from, to)?, false))
        })
    }

    fn fidelity_data(
        &self,
        program: &ProgramId,
        at: Date,
    ) -> Result<Option<FidelityData>, StoreError> {
        self.0.run(false, |tx| {
            Ok((figures::fidelity_data(tx, program, at)?, false))
        })
    }

    fn fidelity_data_all(&self, at: Date) -> Result<Vec<FidelityData>, StoreError> {
        self.0
            .run(false, |tx| Ok((figures::fidelity_data_all(tx, at)?, false)))
    }

    fn participants_and_jobs(
        &self,
        program: Option<&ProgramId>,
    ) -> Result<(Vec<Participant>, Vec<Job>), StoreError> {
        self.0.run(false, |tx| {
            Ok((figures::participants_and_jobs(tx, program)?, false))
        })
    }

    fn outcomes_by_program(
        &self,
        quarters: &[fika_core::outcomes::Quarter],
    ) -> Result<Vec<BTreeMap<ProgramId, fika_core::outcomes::Outcomes>>, StoreError> {
        let kept = self.0.run(false, |tx| {
            Ok((figures::kept_outcomes(tx, quarters)?, false))
        })?;
        if kept.complete() {
            return Ok(kept.by_quarter);
        }
        let kept = self
            .0
            .run(true, |tx| Ok((figures::keep_outcomes(tx, quarters)?, true)))?;
        Ok(kept.by_quarter)
    }

    fn create_review(&self, review: &FidelityReview) -> Result<Option<String>, StoreError> {
        self.0.run(true, |tx| {
            let id = reviews::create(tx, review)?;
            let commit = id.is_some();
            Ok((id, commit))
        })
    }

    fn update_review(&self, id: &str, review: &FidelityReview) -> Result<bool, StoreError> {
        self.0.run(true, |tx| {
            let done = reviews::update(tx, id, review)?;
            Ok((done, done))
        })
    }

    fn review(&self, id: &str) -> Result<Option<FidelityReview>, StoreError> {
        self.0.run(false, |tx| Ok((reviews::get(tx, id)?, false)))
    }

    fn change_review(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut FidelityReview) -> bool,
    ) -> Result<Option<FidelityReview>, StoreError> {
        self.0.run(true, |tx| {
            let Some(mut review) = reviews::get_to_change(tx, id)? else {
                return Ok((None, false));
            };
            if !change(&mut review) {
                return Ok((Some(review), false));
            }
            reviews::update(tx, id, &review)?;
            Ok((Some(review), true))
        })
    }

    fn reviews(&self, program: &ProgramId) -> Result<Vec<(String, FidelityReview)>, StoreError> {
        self.0
            .run(false, |tx| Ok((reviews::of_program(tx, program)?, false)))
    }

    fn create_qual_project(&self, project: &Project) -> Result<Option<String>, StoreError> {
        self.0.run(true, |tx| {
            let id = qual::create(tx, project)?;
            let commit = id.is_some();
            Ok((id, commit))
        })
    }

    fn update_qual_project(
        &self,
        id: &str,
        project: &Project,
    ) -> Result<Result<(), UpdateRefused>, StoreError> {
        self.0.run(true, |tx| {
            let done = qual::update(tx, id, project)?;
            let commit = done.is_ok();
            Ok((done, commit))
        })
    }

    fn qual_project(&self, id_or_name: &str) -> Result<Option<(String, Project)>, StoreError> {
        self.0
            .run(false, |tx| Ok((qual::get(tx, id_or_name)?, false)))
    }

    fn qual_projects(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.0.run(false, |tx| Ok((qual::list(tx)?, false)))
    }

    fn qual_projects_of(&self, login: &str) -> Result<Vec<QualAccess>, StoreError> {
        self.0
            .run(false, |tx| Ok((qual::projects_of(tx, login)?, false)))
    }

    fn qual_project_for(
        &self,
        id: &str,
        login: &str,
    ) -> Result<Option<(QualAccess, Project)>, StoreError> {
        self.0
            .run(false, |tx| Ok((qual::project_for(tx, id, login)?, false)))
    }

    fn qual_members(&self, id: &str) -> Result<Vec<QualMember>, StoreError> {
        self.0.run(false, |tx| Ok((qual::members(tx, id)?, false)))
    }

    fn add_qual_member(
        &self,
        id: &str,
        by: Option<&str>,
        login: &str,
        role: QualRole,
    ) -> Result<(), WriteError> {
        write(&self.0, |tx| qual::add_member(tx, id, by, login, role))
    }

    fn change_qual_project(
        &self,
        id: &str,
        login: &str,
        change: &mut dyn FnMut(&mut Project, &QualAccess) -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        write(&self.0, |tx| qual::change(tx, id, login, change))
    }

    fn open_qual_comparison(&self, id: &str, login: &str) -> Result<(), WriteError> {
        write(&self.0, |tx| qual::open_comparison(tx, id, login))
    }

    fn add_qual_sources(
        &self,
        id: &str,
        login: &str,
        sources: &[fika_qual::TextSource],
    ) -> Result<(), WriteError> {
        write(&self.0, |tx| qual::add_sources(tx, id, login, sources))
    }

    fn backend(&self) -> Backend {
        self.0.backend()
    }

    fn schema_state(&self) -> Result<SchemaState, StoreError> {
        health::schema_state(&self.0)
    }

    fn pool_use(&self) -> PoolUse {
        self.0.pool_use()
    }
}

/// Runs a write that may be refused: committed when `work` succeeds, rolled back (with
/// its refusal returned) when it does not.
fn write<R: Runner>(
    runner: &R,
    work: impl FnOnce(&mut dyn backend::Tx) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    runner
        .run(true, |tx| {
            let outcome = match work(tx) {
                Err(WriteError::Store(e)) => return Err(e),
                other => other,
            };
            let commit = outcome.is_ok();
            Ok((outcome, commit))
        })
        .map_err(WriteError::Store)?
}

/// Why a stored qualitative project was not replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UpdateRefused {
    #[error("there is no such qualitative project")]
    NoSuchProject,
    #[error("another qualitative project already has that name; choose another")]
    NameTaken,
}

/// Rows per file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts([u64; File::FILE_ORDER.len()]);

impl Counts {
    pub fn get(&self, file: File) -> u64 {
        self.0[file as usize]
    }
    pub(crate) fn add(&mut self, file: File, n: u64) {
        self.0[file as usize] += n;
    }
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
    /// Each file with its count, in [`File::FILE_ORDER`].
    pub fn iter(&self) -> impl Iterator<Item = (File, u64)> + '_ {
        File::FILE_ORDER.into_iter().map(|f| (f, self.get(f)))
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (file, n) in self.iter() {
            writeln!(f, "{:>10}  {}", n, file.file_name())?;
        }
        write!(f, "{:>10}  rows in all", self.total())
    }
}

/// What a successful import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: Counts,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The folder breaks rules of INTERCHANGE.md. `problems` holds the first
    /// [`MAX_PROBLEMS`] in file order and line order; `total` counts them all.
    #[error("the folder was not imported: {total} problem(s) found; nothing was written")]
    Invalid { problems: Vec<Problem>, total: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A failure of the database itself (not of the data given to it).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] ::postgres::Error),
    #[error("PostgreSQL COPY: {0}")]
    Copy(#[source] io::Error),
    #[error("cannot write the export: {0}")]
    Sink(#[source] io::Error),
    #[error("the database URL is not valid: {0}")]
    Url(String),
    /// The database records a migration this fika does not know: a newer fika made or
    /// upgraded it. Nothing was written to it.
    #[error(
        "this database was made by a newer fika (schema version {found}; this fika, {}, knows up to {known}): use the fika that made it, or a newer one; the database was not changed",
        env!("CARGO_PKG_VERSION")
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("the database holds a record fika cannot read ({0}); was it changed by hand?")]
    Corrupt(String),
    #[error("the database could not save the change ({0}); nothing of it was kept, try again")]
    Commit(String),
    /// A record with this ID is there already: the same form was sent again (a double tap,
    /// a reload), since a form that creates a record carries the new record's ID. Nothing
    /// was written; the first submission's answer stands.
    #[error("record {0} is saved already")]
    AlreadySaved(String),
}

/// One program's records for a period (see [`Store::program_data`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramData {
    pub program: Program,
    /// Every coach of the program, whenever in post.
    pub coaches: Vec<Coach>,
    /// Every participant of the program, whenever enrolled.
    pub participants: Vec<Participant>,
    /// Meetings with the program's participants dated within the period.
    pub meetings: Vec<Meeting>,
    /// Employer contacts within the period made by the program's coaches or by (or for)
    /// its participants.
    pub employer_contacts: Vec<EmployerContact>,
    /// Every job of the program's participants (a job that started before the period may
    /// still be held during it).
    pub jobs: Vec<Job>,
    /// Every benefits planning record of the program's participants.
    pub benefits_planning: Vec<BenefitsPlanning>,
}

/// What the computed fidelity items of one program read on a review date (see
/// [`Store::fidelity_data`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FidelityData {
    pub program: Program,
    /// Every coach of the program, whenever in post.
    pub coaches: Vec<Coach>,
    /// Every participant of the program, whenever enrolled.
    pub participants: Vec<Participant>,
    /// In-person meetings that V13 and V12 look at.
    pub meetings: Vec<Meeting>,
    /// Face-to-face employer contacts that V6 and V4 look at.
    pub employer_contacts: Vec<EmployerContact>,
    /// Paid jobs of the program's participants started in the year or held on the review date.
    pub jobs: Vec<Job>,
}

impl FidelityData {
    /// The records as the figures of `fika_core` take them.
    pub fn records(&self) -> fika_core::fidelity::ProgramRecords<'_> {
        fika_core::fidelity::ProgramRecords {
            program: &self.program.id,
            coaches: &self.coaches,
            participants: &self.participants,
            meetings: &self.meetings,
            contacts: &self.employer_contacts,
            jobs: &self.jobs,
        }
    }
}
