//! Backups: a consistent copy of a SQLite database taken while fika runs, its restore into
//! an empty database, and the commands that do the same for PostgreSQL (`pg_dump`,
//! `pg_restore`), which fika names rather than imitates. docs/backup.md says how to use them.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

/// Where a database URL points, as [`crate::open`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    /// The URL for PostgreSQL's own tools (without fika's `schema=` parameter) and fika's
    /// schema, if one was named.
    Postgres {
        url: String,
        schema: Option<String>,
    },
}

impl Location {
    pub fn of(url: &str) -> Result<Location, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let (url, schema) = crate::postgres::split_schema(url)?;
            Ok(Location::Postgres { url, schema })
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            Ok(Location::Sqlite(PathBuf::from(path)))
        }
    }
}

/// Why a backup or a restore was refused or failed; each says what to do.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} is there already: a backup never replaces a file; name a new one")]
    Exists(PathBuf),
    #[error("there is no database at {0}: check --db or FIKA_DATABASE_URL")]
    NoDatabase(PathBuf),
    #[error("there is no backup at {0}")]
    NoBackup(PathBuf),
    #[error("{0} is not a fika database (it has no schema_version table)")]
    NotFika(PathBuf),
    #[error(
        "the database at {path} is not empty ({table} has records): restore only into a new database; name a new file with --db, or move this one away first"
    )]
    NotEmpty { path: PathBuf, table: String },
    #[error("the copy failed its check ({0}); nothing was kept")]
    Check(String),
    #[error(
        "{0} is being served by a running `fika serve`: stop the server, then restore into a new database"
    )]
    Served(PathBuf),
    #[error("{0} is being restored into: start the server when `fika restore` has ended")]
    Restoring(PathBuf),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<rusqlite::Error> for BackupError {
    fn from(e: rusqlite::Error) -> BackupError {
        BackupError::Store(e.into())
    }
}

/// Copies the SQLite database at `db` into a new SQLite file `dest`, consistently while
/// other connections (a running `fika serve`) read and write it.
///
/// SQLite's online backup copies every page in one step, within one read transaction: in
/// WAL mode writers go on meanwhile, and the copy is the database as of one commit. (Copied
/// a few pages at a time instead, a write by another connection would start it over, and a
/// busy server could keep it from ever ending.) The copy is in the rollback journal mode,
/// one self-contained file, and must pass `PRAGMA quick_check`.
pub fn backup_sqlite(db: &Path, dest: &Path) -> Result<(), BackupError> {
    if dest.exists() {
        return Err(BackupError::Exists(dest.to_owned()));
    }
    if !db.is_file() {
        return Err(BackupError::NoDatabase(db.to_owned()));
    }
    let source = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    source.busy_timeout(std::time::Duration::from_secs(30))?;
    if !has_schema_version(&source)? {
        return Err(BackupError::NotFika(db.to_owned()));
    }
    let result = copy_into(&source, dest);
    if result.is_err() {
        let _ = std::fs::remove_file(dest);
    }
    result
}

fn copy_into(source: &Connection, dest: &Path) -> Result<(), BackupError> {
    let mut copy = Connection::open_with_flags(
        dest,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )?;
    restrict(dest)?;
    copy_whole(source, &mut copy)?;
    let _: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    let check: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(BackupError::Check(check));
    }
    Ok(())
}

/// Copies every page of `from` into `to` in one step of SQLite's online backup: one read
/// transaction on `from`, so one commit's database. A step refused for a lock (another
/// connection writing `to`, or `from` in the rollback journal mode) is tried again, for
/// up to the busy timeout.
fn copy_whole(from: &Connection, to: &mut Connection) -> Result<(), BackupError> {
    use rusqlite::backup::{Backup, StepResult};
    let backup = Backup::new(from, to)?;
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked if std::time::Instant::now() < until => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            _ => {
                return Err(BackupError::Store(StoreError::Commit(
                    "the database stayed locked for 30 s".to_owned(),
                )));
            }
        }
    }
}

/// A backup holds every participant's record: only its owner may read it.
fn restrict(path: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(
            |source| BackupError::Io {
                path: path.to_owned(),
                source,
            },
        )?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Restores the SQLite backup `backup` into the database at `db`, which must be new: a
/// missing or empty file, or a fika database without records (as `fika serve` leaves a new
/// one). A backup made by a newer fika is refused before anything is written; one made by
/// an older fika is migrated, as opening it would.
///
/// Stop the server of `db` first: the restore replaces the database whole.
pub fn restore_sqlite(backup: &Path, db: &Path) -> Result<(), BackupError> {
    if !backup.is_file() {
        return Err(BackupError::NoBackup(backup.to_owned()));
    }
    let source = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    if !has_schema_version(&source)? {
        return Err(BackupError::NotFika(backup.to_owned()));
    }
    crate::sqlite::refuse_newer(backup)?;
    let check: String = source.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(BackupError::Check(check));
    }
    // Held until the restore has ended: no server starts on the database meanwhile, and
    // none may be serving it now (its state would mix with the backup's).
    let _restoring = hold(db, Hold::Restore)?;
    if let Some(table) = first_table_with_rows(db)? {
        return Err(BackupError::NotEmpty {
            path: db.to_owned(),
            table,
        });
    }
    {
        let mut target = Connection::open(db)?;
        target.busy_timeout(std::time::Duration::from_secs(30))?;
        copy_whole(&source, &mut target)?;
    }
    restrict(db)?;
    // Migrations the backup's fika did not have yet; fika's connection settings.
    crate::open(&db.to_string_lossy())?;
    Ok(())
}

/// A running server's hold on the SQLite database it serves, kept while it serves (see
/// [`hold_for_serving`]).
pub struct Serving(#[allow(dead_code)] Option<std::fs::File>);

/// Marks the SQLite database at `url` as served, for as long as the returned value lives:
/// `fika restore` refuses a database a server holds, and a server does not start on one
/// being restored into. An advisory lock (`flock`) on the database file, shared by every
/// server on it; SQLite's own locks (`fcntl`) do not see it. Nothing for PostgreSQL, where a
/// restore is `pg_restore`'s, into a new database.
pub fn hold_for_serving(url: &str) -> Result<Serving, BackupError> {
    match Location::of(url)? {
        Location::Sqlite(path) => Ok(Serving(Some(hold(&path, Hold::Serve)?))),
        Location::Postgres { .. } => Ok(Serving(None)),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Hold {
    /// Shared by the servers of one database.
    Serve,
    /// Alone.
    Restore,
}

/// Locks the file at `path` (made if it is not there, as opening the database would) for
/// `how`, or says who holds it.
fn hold(path: &Path, how: Hold) -> Result<std::fs::File, BackupError> {
    let io = |source| BackupError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(io)?;
    let locked = match how {
        Hold::Serve => file.try_lock_shared(),
        Hold::Restore => file.try_lock(),
    };
    match locked {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(match how {
            Hold::Serve => BackupError::Restoring(path.to_owned()),
            Hold::Restore => BackupError::Served(path.to_owned()),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}

/// Tables that a new fika database fills by itself (the migrations' bookkeeping and the
/// servers' shared key, made on first open): a database with rows only there is empty.
const OWN_TABLES: &[&str] = &["schema_version", "server_key"];

/// The first table of `db` that holds rows of its own (records, users, projects…), if any.
fn first_table_with_rows(db: &Path) -> Result<Option<String>, BackupError> {
    if std::fs::metadata(db).map_or(true, |m| m.len() == 0) {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let tables: Vec<String> = {
        let mut st = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?;
        st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
    };
    for table in tables {
        if OWN_TABLES.contains(&table.as_str()) {
            continue;
        }
        let any: bool = conn.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")"),
            [],
            |r| r.get(0),
        )?;
        if any {
            return Ok(Some(table));
        }
    }
    Ok(None)
}

fn has_schema_version(conn: &Connection) -> Result<bool, BackupError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version')",
        [],
        |r| r.get(0),
    )?)
}

/// The arguments of `pg_dump` that back up fika's PostgreSQL database (its schema only, if
/// fika keeps its tables in one) into `file`, in PostgreSQL's custom format, which
/// `pg_restore` reads.
pub fn pg_dump_args(url: &str, schema: Option<&str>, file: &Path) -> Vec<String> {
    let mut args = vec![
        "--format=custom".to_owned(),
        format!("--file={}", file.display()),
    ];
    if let Some(schema) = schema {
        args.push(format!("--schema={schema}"));
    }
    args.push(format!("--dbname={url}"));
    args
}

/// The arguments of `pg_restore` that restore such a file into an empty database.
pub fn pg_restore_args(url: &str, file: &Path) -> Vec<String> {
    vec![
        "--exit-on-error".to_owned(),
        "--single-transaction".to_owned(),
        "--no-owner".to_owned(),
        format!("--dbname={url}"),
        file.display().to_string(),
    ]
}

/// `url` with its password, if any, replaced, for showing.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{scheme}://{name}:PASSWORD@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(
            Location::of("sqlite:/tmp/a.db").unwrap(),
            Location::Sqlite("/tmp/a.db".into())
        );
        assert_eq!(
            Location::of("fika.db").unwrap(),
            Location::Sqlite("fika.db".into())
        );
        assert_eq!(
            Location::of("postgres://u@h/db?schema=s1&sslmode=disable").unwrap(),
            Location::Postgres {
                url: "postgres://u@h/db?sslmode=disable".into(),
                schema: Some("s1".into())
            }
        );
    }

    #[test]
    fn redacted_password() {
        assert_eq!(
            redact("postgres://fika:s3cret@db.example:5432/fika?x=1"),
            "postgres://fika:PASSWORD@db.example:5432/fika?x=1"
        );
        assert_eq!(redact("postgres://fika@h/db"), "postgres://fika@h/db");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }
}
