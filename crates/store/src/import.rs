//! The import, written once for both backends.
//!
//! Inside one transaction, each file in turn (in `File::FILE_ORDER`, so every reference
//! points at a file already done):
//! 1. its valid rows are loaded together with their line numbers (rows with problems in
//!    their own cells were reported by the reader and are left out). SQLite writes them
//!    straight into the real table with `seq = base + line`, and only a row whose ID is
//!    already taken into a staging table; PostgreSQL COPYs them all into a staging table
//!    (see `Backend::loads_in_place`). A table that is empty when its file starts takes
//!    every row straight in, on both backends, and its ID checks need only the file;
//! 2. set-based SQL finds what needs other rows: IDs used twice in the file or already in
//!    the database, references to rows that exist neither in the folder nor in the
//!    database, and the rules between records (a participant's coach is of the same
//!    program, a meeting falls within the enrolment, a job starts on or after it). Each
//!    check returns (line, value, detail) rows, the first [`MAX_PROBLEMS`] and a count;
//! 3. staged rows move into the real table with `seq = base + line`, so that export keeps
//!    the file's order; later files are checked against them.
//!
//! A table that is empty when its file starts loading has all its indexes but that of `seq`
//! (the unique index of its ID too, and on PostgreSQL its foreign keys and those referring
//! to it) set aside until the file is in: building an index once from all the rows, and
//! checking a foreign key with one join, is many times faster than doing either row by row.
//! They come back, checked, within the same transaction. SQLite runs the whole import with
//! foreign keys off (`Runner::run_import`): the checks of step 2 stand in for them.
//!
//! Memory stays flat: rows are never held beyond a small batch being loaded, and at most
//! [`MAX_PROBLEMS`] problems are kept per check. When anything was found, the caller rolls
//! the transaction back, so nothing is written; otherwise it commits.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use fika_core::File;
use fika_interchange::fields::to_fields;
use fika_interchange::{Problem, Sourced};

use crate::backend::{Backend, Tx};
use crate::schema::{Kind, column_names, id_column, kind, noun, references, table};
use crate::{Counts, MAX_PROBLEMS, StoreError};

/// The outcome of a complete import run: rows per file, or the problems found.
pub(crate) enum Outcome {
    Valid(Counts),
    Invalid { problems: Vec<Problem>, total: u64 },
}

pub(crate) fn import(
    tx: &mut dyn Tx,
    source: &mut dyn Iterator<Item = Sourced>,
) -> Result<Outcome, StoreError> {
    let mut run = Run {
        backend: tx.backend(),
        problems: Vec::new(),
        total: 0,
        kept_per_file: [0; File::FILE_ORDER.len()],
        unread: HashSet::new(),
        counts: Counts::default(),
        loading: None,
        timing: std::env::var_os("FIKA_IMPORT_TIMING").is_some(),
    };
    for item in source {
        match item {
            Sourced::Row { line, row } => {
                let file = row.file();
                if run.loading.as_ref().map(|l| l.file) != Some(file) {
                    run.finish_file(tx)?;
                    run.begin_file(tx, file)?;
                }
                tx.load_row(line, &to_fields(&row))?;
            }
            Sourced::Problem(p) => run.report(p),
        }
    }
    run.finish_file(tx)?;
    if run.total == 0 {
        return Ok(Outcome::Valid(run.counts));
    }
    // Stable: problems of one line keep their column order.
    run.problems.sort_by_key(Problem::sort_key);
    run.problems.truncate(MAX_PROBLEMS);
    Ok(Outcome::Invalid {
        problems: run.problems,
        total: run.total,
    })
}

struct Run {
    backend: Backend,
    /// At most [`MAX_PROBLEMS`] per file from the reader and per check from SQL; sorted and
    /// cut to [`MAX_PROBLEMS`] at the end.
    problems: Vec<Problem>,
    total: u64,
    kept_per_file: [usize; File::FILE_ORDER.len()],
    /// Files whose rows were not read (missing, or a wrong header), and files that refer to
    /// them: references into them are not checked, since every one would repeat the same
    /// problem.
    unread: HashSet<File>,
    counts: Counts,
    /// The file whose rows are being loaded.
    loading: Option<Loading>,
    /// `FIKA_IMPORT_TIMING` set: say on stderr how long each step of each file took.
    timing: bool,
}

/// The file being loaded.
struct Loading {
    file: File,
    /// The highest `seq` of its table before the import: its rows get `base + line`.
    base: i64,
    /// Whether its table was empty when the file started: its rows then go straight into
    /// it, with no index but that of `seq` (see [`Run::set_aside_indexes`]).
    empty: bool,
    /// What brings back the indexes and foreign keys set aside for the load, in order.
    restore: Vec<Restore>,
    started: Stamp,
}

/// A statement that brings back an index or foreign key, and which check it makes
/// needless when it succeeds.
struct Restore {
    sql: String,
    proves: Option<Proof>,
}

/// What an index or foreign key guarantees once made, which a check would otherwise find.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Proof {
    /// The unique index of the ID: no ID is used twice.
    UniqueId,
    /// A foreign key on this column: every reference has its target.
    Reference(String),
}

fn stage_table(file: File) -> String {
    format!("stage_{}", table(file))
}

impl Run {
    fn report(&mut self, p: Problem) {
        self.total += 1;
        if p.is_whole_file() {
            self.unread.insert(p.file);
        }
        let kept = &mut self.kept_per_file[p.file as usize];
        if *kept < MAX_PROBLEMS {
            *kept += 1;
            self.problems.push(p);
        }
    }

    fn begin_file(&mut self, tx: &mut dyn Tx, file: File) -> Result<(), StoreError> {
        let started = Stamp::now();
        let t = table(file);
        let base = tx.query_i64(&format!("SELECT COALESCE(MAX(seq), 0) FROM {t}"))?;
        let empty = tx.query_i64(&format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {t} LIMIT 1) e"
        ))? == 0;
        let restore = if empty {
            self.set_aside_indexes(tx, t)?
        } else {
            Vec::new()
        };
        let columns: Vec<(&'static str, Kind)> = column_names(file).map(|c| (c, kind(c))).collect();
        let defs: Vec<String> = columns
            .iter()
            .map(|(c, k)| format!("{c} {}", self.backend.sql_type(*k)))
            .collect();
        let stage = stage_table(file);
        tx.execute(&format!(
            "CREATE TEMP TABLE {stage} (line BIGINT NOT NULL, {})",
            defs.join(", ")
        ))?;
        tx.load_begin(t, id_column(file), &stage, base, empty, &columns)?;
        self.loading = Some(Loading {
            file,
            base,
            empty,
            restore,
            started,
        });
        Ok(())
    }

    /// Drops the indexes of `table` but that of `seq` (its ID's unique index too) and, where
    /// the backend can, its foreign keys and those of other tables that refer to it; returns
    /// the statements that make them again, in the order to run them.
    fn set_aside_indexes(&self, tx: &mut dyn Tx, t: &str) -> Result<Vec<Restore>, StoreError> {
        let catalog = self.backend.catalog_sql(t);
        // (drop, make), in the order to make them: indexes, then the foreign keys, which
        // need the unique indexes they refer to.
        let mut found = Vec::new();
        let unique_id = format!("{t}_id_unique");
        tx.for_each(&catalog.indexes, &[], &mut |cells| {
            if let [Some(name), Some(sql)] = cells {
                let proves = (*name == unique_id).then_some(Proof::UniqueId);
                found.push((format!("DROP INDEX \"{name}\""), (*sql).to_owned(), proves));
            }
            Ok(())
        })?;
        if let Some(foreign_keys) = catalog.foreign_keys {
            tx.for_each(&foreign_keys, &[], &mut |cells| {
                if let [Some(name), Some(def)] = cells {
                    // "FOREIGN KEY (column) REFERENCES …"
                    let column = def
                        .strip_prefix("FOREIGN KEY (")
                        .and_then(|d| d.split_once(')'))
                        .map(|(c, _)| c)
                        .filter(|c| !c.contains(','));
                    found.push((
                        format!("ALTER TABLE {t} DROP CONSTRAINT \"{name}\""),
                        format!("ALTER TABLE {t} ADD CONSTRAINT \"{name}\" {def}"),
                        column.map(|c| Proof::Reference(c.to_owned())),
                    ));
                }
                Ok(())
            })?;
        }
        if let Some(referring) = catalog.referring {
            tx.for_each(&referring, &[], &mut |cells| {
                if let [Some(other), Some(name), Some(def)] = cells {
                    found.push((
                        format!("ALTER TABLE {other} DROP CONSTRAINT \"{name}\""),
                        format!("ALTER TABLE {other} ADD CONSTRAINT \"{name}\" {def}"),
                        None,
                    ));
                }
                Ok(())
            })?;
        }
        for (drop, _, _) in found.iter().rev() {
            tx.execute(drop)?;
        }
        Ok(found
            .into_iter()
            .map(|(_, sql, proves)| Restore { sql, proves })
            .collect())
    }

    fn time(&self, file: File, step: &str, since: Stamp) {
        if self.timing {
            let now = Stamp::now();
            eprintln!(
                "import timing: {:<22} {step:<8} {:>8.2} s {:>8.2} s CPU",
                file.file_name(),
                (now.wall - since.wall).as_secs_f64(),
                now.cpu.saturating_sub(since.cpu).as_secs_f64()
            );
        }
    }

    fn finish_file(&mut self, tx: &mut dyn Tx) -> Result<(), StoreError> {
        let Some(loading) = self.loading.take() else {
            return Ok(());
        };
        let file = loading.file;
        let loaded = tx.load_end()?;
        self.time(file, "load", loading.started);
        let stage = stage_table(file);
        let in_place = self.backend.loads_in_place() || loading.empty;
        if self.backend == Backend::Postgres {
            // Temporary tables are never analysed automatically, nor is a table just
            // filled within this transaction; the checks below join millions of rows and
            // need the planner to know it.
            let loaded_into = if loading.empty { table(file) } else { &stage };
            tx.execute(&format!("ANALYZE {loaded_into}"))?;
        }
        // A file that refers to an unread file cannot be moved whole (its references have
        // no target), so it counts as unread for the files after it.
        let refers_to_unread = references(file)
            .iter()
            .any(|r| self.unread.contains(&r.target));
        let mut restore = loading.restore;
        let mut proved = Vec::new();
        if !refers_to_unread {
            // The unique index of the ID and the foreign keys check, set-based, what some of
            // the checks would; when one can be made the check cannot find anything, and only
            // when it cannot does the check run, to say where and why.
            let started = Stamp::now();
            let mut rest = Vec::with_capacity(restore.len());
            for r in restore {
                match r.proves {
                    Some(proof) if tx.try_execute(&r.sql)? => proved.push(proof),
                    _ => rest.push(r),
                }
            }
            restore = rest;
            self.time(file, "prove", started);
        } else {
            self.unread.insert(file);
        }
        let started = Stamp::now();
        let mut found = 0;
        let place = match (loading.empty, in_place) {
            (true, _) => Place::Empty,
            (false, true) => Place::Mixed,
            (false, false) => Place::Staged,
        };
        for check in checks(file, &self.unread, place, loading.base) {
            if check.proof.as_ref().is_some_and(|p| proved.contains(p)) {
                continue;
            }
            found += self.run_check(tx, file, &check)?;
        }
        self.time(file, "check", started);
        let started = Stamp::now();
        if in_place {
            // Every row of the file but those staged is in the table.
            self.counts.add(file, loaded);
        } else {
            self.move_rows(tx, file, loading.base, found == 0 && !refers_to_unread)?;
        }
        self.time(file, "move", started);
        let started = Stamp::now();
        if loading.empty && (found > 0 || refers_to_unread) {
            // The import will be rolled back; leave only rows that fit the indexes and
            // foreign keys about to come back, so that later files are still checked.
            self.prune(tx, file, loading.base)?;
        }
        for r in &restore {
            tx.execute(&r.sql)?;
        }
        if self.backend == Backend::Postgres && !loading.empty {
            tx.execute(&format!("ANALYZE {}", table(file)))?;
        }
        tx.execute(&format!("DROP TABLE {stage}"))?;
        self.time(file, "index", started);
        Ok(())
    }

    /// Runs one check and keeps its first problems; returns how many it found.
    fn run_check(&mut self, tx: &mut dyn Tx, file: File, check: &Check) -> Result<u64, StoreError> {
        let sql = format!(
            "SELECT CAST(line AS TEXT), value, detail, CAST(COUNT(*) OVER () AS TEXT) FROM ({}) q ORDER BY line LIMIT {MAX_PROBLEMS}",
            check.sql
        );
        let mut found = 0;
        let mut kept = Vec::new();
        tx.for_each(&sql, &[], &mut |cells| {
            let line = cells[0].and_then(|s| s.parse().ok()).unwrap_or(0);
            found = cells[3].and_then(|s| s.parse().ok()).unwrap_or(0);
            kept.push(Problem::cell(
                file,
                line,
                check.column,
                cells[1].unwrap_or(""),
                (check.reason)(cells[2].unwrap_or("")),
            ));
            Ok(())
        })?;
        self.total += found;
        self.problems.extend(kept);
        Ok(found)
    }

    /// Deletes the rows of `file` (loaded into its table, which was empty) whose references
    /// have no target, and every row but the first with the same ID.
    fn prune(&mut self, tx: &mut dyn Tx, file: File, base: i64) -> Result<(), StoreError> {
        let t = table(file);
        let mut broken = vec!["1 = 0".to_owned()];
        for r in references(file) {
            let (target, id) = (table(r.target), id_column(r.target).expect("has an ID"));
            broken.push(format!(
                "({t}.{col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {target} x WHERE x.{id} = {t}.{col}))",
                col = r.column
            ));
        }
        tx.execute(&format!(
            "DELETE FROM {t} WHERE seq > {base} AND ({})",
            broken.join(" OR ")
        ))?;
        if let Some(id) = id_column(file) {
            tx.execute(&format!(
                "DELETE FROM {t} WHERE seq > {base} AND seq NOT IN \
                 (SELECT MIN(seq) FROM {t} WHERE seq > {base} GROUP BY {id})"
            ))?;
        }
        Ok(())
    }

    /// Moves the staged rows into the real table (in no particular order: `seq` keeps the
    /// file's, and export follows `seq`). When the checks found nothing every row
    /// fits; otherwise (the import will be rolled back anyway) only rows whose references
    /// exist are moved and repeated IDs are skipped, so that later files are still checked
    /// and the constraints of the real table never stop the run.
    fn move_rows(
        &mut self,
        tx: &mut dyn Tx,
        file: File,
        base: i64,
        clean: bool,
    ) -> Result<(), StoreError> {
        let t = table(file);
        let stage = stage_table(file);
        let cols: Vec<&str> = column_names(file).collect();
        let cols = cols.join(", ");
        let (filter, conflict) = if clean {
            (String::new(), "")
        } else {
            let mut conditions = vec!["1 = 1".to_owned()];
            for r in references(file) {
                let (target, id) = (table(r.target), id_column(r.target).expect("has an ID"));
                conditions.push(format!(
                    "({col} IS NULL OR EXISTS (SELECT 1 FROM {target} t WHERE t.{id} = s.{col}))",
                    col = r.column
                ));
            }
            (
                format!("WHERE {}", conditions.join(" AND ")),
                " ON CONFLICT DO NOTHING",
            )
        };
        let moved = tx.execute(&format!(
            "INSERT INTO {t} (seq, {cols}) SELECT {base} + line, {cols} FROM {stage} s {filter}{conflict}"
        ))?;
        self.counts.add(file, moved);
        Ok(())
    }
}

/// A moment, by the clock and by the CPU time of this thread (the import's; the database
/// works on it too, for SQLite). The machine may be shared: the CPU time says what a step
/// costs, the clock what it took.
#[derive(Clone, Copy)]
struct Stamp {
    wall: Instant,
    cpu: Duration,
}

impl Stamp {
    fn now() -> Stamp {
        // Linux: the first field is the nanoseconds this thread has run. Elsewhere, zero.
        let ns = std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse().ok())
            .unwrap_or(0);
        Stamp {
            wall: Instant::now(),
            cpu: Duration::from_nanos(ns),
        }
    }
}

/// A set-based check: SQL returning `line, value, detail` for each broken row of the file,
/// the column it concerns, and the reason built from `detail`.
struct Check {
    /// What makes the check needless, when it is there.
    proof: Option<Proof>,
    column: &'static str,
    sql: String,
    reason: Box<dyn Fn(&str) -> String>,
}

/// Where the rows of the file being checked are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// All in its table, which was empty when the file started, with `seq > base`.
    Empty,
    /// In its table with `seq > base`, and those whose ID was taken in the staging table.
    Mixed,
    /// All in the staging table.
    Staged,
}

/// The checks of `file`, whose rows are where `place` says.
/// INTERCHANGE.md meetings.date, and fika's check_ins.csv date: the `rows` (with their
/// lines) are dated within their participant's enrolment, both ends inclusive. `why` comes
/// before the advice in the message.
fn within_enrolment(rows: &str, why: &'static str) -> Check {
    Check {
        proof: None,
        column: "date",
        sql: format!(
            "SELECT s.line AS line, CAST(s.date AS TEXT) AS value, \
             CAST(p.enrolled_on AS TEXT) || ' to ' || COALESCE(CAST(p.exited_on AS TEXT), 'today') AS detail \
             FROM {rows} s JOIN participant p ON p.participant_id = s.participant_id \
             WHERE s.date < p.enrolled_on OR (p.exited_on IS NOT NULL AND s.date > p.exited_on)"
        ),
        reason: Box::new(move |period| {
            format!(
                "is outside the participant's enrolment ({period}); {why}check the date or the participant"
            )
        }),
    }
}

fn checks(file: File, unread: &HashSet<File>, place: Place, base: i64) -> Vec<Check> {
    let stage = stage_table(file);
    let t = table(file);
    let name = file.file_name();
    // Every row of the file, with its line.
    let cols = column_names(file).collect::<Vec<_>>().join(", ");
    let rows = match place {
        Place::Empty => {
            format!("(SELECT seq - {base} AS line, {cols} FROM {t} WHERE seq > {base})")
        }
        Place::Mixed => format!(
            "(SELECT seq - {base} AS line, {cols} FROM {t} WHERE seq > {base} \
             UNION ALL SELECT line, {cols} FROM {stage})"
        ),
        Place::Staged => stage.clone(),
    };
    let mut checks = Vec::new();
    if let Some(id) = id_column(file) {
        let (repeated, in_database) = if place == Place::Empty {
            // The table held no row before the file, so an ID can only be taken by an
            // earlier row of the file.
            (
                format!(
                    "SELECT r.seq - {base} AS line, r.{id} AS value, CAST(f.first AS TEXT) AS detail \
                     FROM {t} r JOIN (SELECT {id}, MIN(seq) - {base} AS first FROM {t} \
                     WHERE seq > {base} GROUP BY {id} HAVING COUNT(*) > 1) f ON f.{id} = r.{id} \
                     WHERE r.seq - {base} > f.first"
                ),
                None,
            )
        } else if place == Place::Mixed {
            // A staged row's ID is taken: by a row of the file loaded before it (its line is
            // `seq - base`), or by a row already in the database, and then the first of the
            // staged rows with that ID is where the file used it first.
            (
                format!(
                    "SELECT s.line AS line, s.{id} AS value, CAST(r.seq - {base} AS TEXT) AS detail \
                     FROM {stage} s JOIN {t} r ON r.{id} = s.{id} WHERE r.seq > {base} \
                     UNION ALL \
                     SELECT s.line, s.{id}, CAST(f.first AS TEXT) FROM {stage} s \
                     JOIN (SELECT c.{id}, MIN(c.line) AS first FROM {stage} c \
                     JOIN {t} r ON r.{id} = c.{id} WHERE r.seq <= {base} \
                     GROUP BY c.{id} HAVING COUNT(*) > 1) f ON f.{id} = s.{id} WHERE s.line > f.first"
                ),
                Some(format!(
                    "SELECT s.line AS line, s.{id} AS value, CAST(NULL AS TEXT) AS detail \
                     FROM {stage} s JOIN {t} r ON r.{id} = s.{id} WHERE r.seq <= {base}"
                )),
            )
        } else {
            (
                format!(
                    "SELECT s.line AS line, s.{id} AS value, CAST(f.first AS TEXT) AS detail \
                     FROM {stage} s JOIN (SELECT {id}, MIN(line) AS first FROM {stage} \
                     GROUP BY {id} HAVING COUNT(*) > 1) f ON f.{id} = s.{id} WHERE s.line > f.first"
                ),
                Some(format!(
                    "SELECT s.line AS line, s.{id} AS value, CAST(NULL AS TEXT) AS detail \
                     FROM {stage} s JOIN {t} r ON r.{id} = s.{id}"
                )),
            )
        };
        checks.push(Check {
            proof: Some(Proof::UniqueId),
            column: id,
            sql: repeated,
            reason: Box::new(move |first| {
                format!("is already used at line {first}; IDs must be unique within {name}")
            }),
        });
        if let Some(in_database) = in_database {
            checks.push(Check {
                proof: None,
                column: id,
                sql: in_database,
                reason: Box::new(|_| {
                    "is already in the database; IDs must be unique (was this folder imported before?)"
                        .to_owned()
                }),
            });
        }
    }
    for r in references(file) {
        if unread.contains(&r.target) {
            continue;
        }
        let (target, id, col) = (
            table(r.target),
            id_column(r.target).expect("has an ID"),
            r.column,
        );
        let (what, where_) = (noun(r.target), r.target.file_name());
        checks.push(Check {
            proof: Some(Proof::Reference(col.to_owned())),
            column: col,
            sql: format!(
                "SELECT s.line AS line, s.{col} AS value, CAST(NULL AS TEXT) AS detail FROM {rows} s \
                 WHERE s.{col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {target} t WHERE t.{id} = s.{col})"
            ),
            reason: Box::new(move |_| {
                format!("there is no {what} with this ID in {where_} or in the database")
            }),
        });
    }
    match file {
        // INTERCHANGE.md participants.coach_id: a coach of the same program.
        File::Participants => checks.push(Check {
            proof: None,
            column: "coach_id",
            sql: format!(
                "SELECT s.line AS line, s.coach_id AS value, c.program_id AS detail FROM {rows} s \
                 JOIN coach c ON c.coach_id = s.coach_id WHERE c.program_id <> s.program_id"
            ),
            reason: Box::new(|program| {
                format!(
                    "is a coach of program {program:?}, not of the participant's program; choose a coach of the same program"
                )
            }),
        }),
        // INTERCHANGE.md meetings.date: within the participant's enrolment (both ends
        // inclusive).
        File::Meetings => checks.push(within_enrolment(&rows, "")),
        // check_ins.csv (docs/interchange.md): dated within the participant's enrolment,
        // as a meeting is, and counted for a coach of the participant's program.
        File::CheckIns => {
            checks.push(within_enrolment(
                &rows,
                "a check-in is given while on the caseload — ",
            ));
            checks.push(Check {
                proof: None,
                column: "coach_id",
                sql: format!(
                    "SELECT s.line AS line, s.coach_id AS value, c.program_id AS detail FROM {rows} s \
                     JOIN participant p ON p.participant_id = s.participant_id \
                     JOIN coach c ON c.coach_id = s.coach_id WHERE c.program_id <> p.program_id"
                ),
                reason: Box::new(|program| {
                    format!(
                        "is a coach of program {program:?}, not of the participant's program; a check-in counts for the participant's designated coach"
                    )
                }),
            });
        }
        // INTERCHANGE.md jobs.started_on: on or after the participant's enrolled_on.
        File::Jobs => checks.push(Check {
            proof: None,
            column: "started_on",
            sql: format!(
                "SELECT s.line AS line, CAST(s.started_on AS TEXT) AS value, CAST(p.enrolled_on AS TEXT) AS detail \
                 FROM {rows} s JOIN participant p ON p.participant_id = s.participant_id \
                 WHERE s.started_on < p.enrolled_on"
            ),
            reason: Box::new(|enrolled| {
                format!("is before the participant's enrolled_on ({enrolled}); a job in fika is one found during the enrolment — record earlier work as employed_at_entry")
            }),
        }),
        _ => {}
    }
    checks
}
