//! `fika export --pseudonymise` (the research export) and the privacy commands.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use fika_core::outcomes::Quarter;
use fika_core::{Date, ParticipantId, ProgramId};
use fika_interchange::pseudonym::{Options, Pseudonymiser, StudyKey};
use fika_store::access::AccessError;
use fika_store::erasure::{Purged, Refused, Scope};
use fika_store::finals::{FinalFigure, FinalKind};
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
    /// Erase every record about one participant (GDPR Art. 17), in one transaction; the
    /// audit log keeps a tombstone with the reference. Refused while a legal hold or a
    /// retention rule applies (docs/privacy.md).
    Erase {
        participant: ParticipantId,
        /// The request's reference (e.g. its case number), kept in the tombstone.
        #[arg(long)]
        reference: String,
        /// The day the retention rule is read on (default: today, UTC).
        #[arg(long, value_parser = crate::figures::parse_date_arg)]
        on: Option<Date>,
    },
    /// Restrict a participant's record (GDPR Art. 18): kept, but off the day view, counted
    /// in no new figure, and read in the web only with a stated reason. --lift undoes it.
    Restrict {
        participant: ParticipantId,
        /// The request's reference, kept in the audit row.
        #[arg(long)]
        reference: String,
        #[arg(long)]
        lift: bool,
    },
    /// Legal holds: while one applies, nothing of its program or participant is erased.
    #[command(subcommand)]
    Hold(HoldCommand),
    /// How many years after an exit a program's (or one participant's) records are kept;
    /// without a program or --participant, lists the rules.
    Retention {
        /// The program whose rule is set.
        program: Option<ProgramId>,
        /// Set one participant's rule instead (it applies instead of their program's).
        #[arg(long, conflicts_with = "program")]
        participant: Option<ParticipantId>,
        /// Years after the exit (1–100).
        #[arg(long, conflicts_with = "remove")]
        years: Option<u32>,
        /// Remove the rule.
        #[arg(long)]
        remove: bool,
    },
    /// Erase the records the retention rules no longer keep: --dry-run lists them with
    /// counts per program, --apply erases each (held ones are skipped and reported).
    Purge {
        #[arg(long, conflicts_with = "apply", required_unless_present = "apply")]
        dry_run: bool,
        #[arg(long)]
        apply: bool,
        /// The day the rules are read on (default: today, UTC).
        #[arg(long, value_parser = crate::figures::parse_date_arg)]
        on: Option<Date>,
        /// The reference each tombstone holds (default: `retention purge DATE`).
        #[arg(long)]
        reference: Option<String>,
    },
    /// Mark a program's published figures final: they are kept as computed now, with
    /// their rules version, and an erasure or a restriction later changes them no more.
    Finalise {
        program: ProgramId,
        #[command(flatten)]
        which: Which,
    },
    /// Print a final figure as it was kept (JSON); with only a program (or nothing), list
    /// the final figures.
    Final {
        program: Option<ProgramId>,
        #[arg(long, requires = "program", conflicts_with = "fidelity")]
        quarter: Option<Quarter>,
        #[arg(long, requires = "program")]
        fidelity: Option<Date>,
    },
}

/// Which published figure: a quarter's outcomes or a review date's fidelity items.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub(crate) struct Which {
    /// A quarter's outcomes, YYYYQn (as `fika outcomes --program P --quarter Q` prints them).
    #[arg(long, value_parser = crate::figures::parse_quarter_arg)]
    quarter: Option<Quarter>,
    /// A review date's computed fidelity items (as `fika fidelity --program P --at DATE`
    /// prints them in JSON, without evidence).
    #[arg(long, value_parser = crate::figures::parse_date_arg)]
    fidelity: Option<Date>,
}

impl Which {
    fn kind_and_period(&self) -> (FinalKind, String) {
        match (self.quarter, self.fidelity) {
            (Some(q), _) => (FinalKind::Outcomes, q.to_string()),
            (None, Some(d)) => (FinalKind::Fidelity, d.to_string()),
            (None, None) => unreachable!("clap requires one of them"),
        }
    }
}

/// `fika privacy hold …`.
#[derive(clap::Subcommand)]
pub(crate) enum HoldCommand {
    /// Place a hold on a program or a participant.
    Place {
        #[arg(
            long,
            required_unless_present = "participant",
            conflicts_with = "participant"
        )]
        program: Option<ProgramId>,
        #[arg(long)]
        participant: Option<ParticipantId>,
        /// Why: the case, the authority's reference.
        #[arg(long)]
        reference: String,
    },
    /// Lift a hold by its number.
    Lift { hold: i64 },
    /// The holds not lifted.
    List {
        #[arg(long)]
        program: Option<ProgramId>,
    },
}

/// The command line acts for a program as its lead would; the audit rows name `cli`.
fn cli_actor() -> Actor {
    Actor {
        user: "cli".into(),
        at: fika_web::clock::stamp(chrono::Utc::now()),
    }
}

fn today() -> Date {
    chrono::Utc::now().date_naive()
}

/// The program a scope belongs to: the reach the command line acts in.
fn scope_reach(store: &dyn Store, scope: &Scope) -> anyhow::Result<Reach> {
    Ok(match scope {
        Scope::Program(p) => Reach::Program(p.clone()),
        Scope::Participant(x) => match store.participant_program(x)? {
            Some(p) => Reach::Program(p),
            None => bail!("there is no participant with ID {x}"),
        },
    })
}

fn refused(what: &str, r: Refused) -> anyhow::Error {
    match r {
        Refused::NotFound => {
            anyhow::anyhow!("{what}: there is no such program, participant or hold")
        }
        r => anyhow::anyhow!("{what} refused: {r}"),
    }
}

fn print_purged(p: &Purged) {
    for e in &p.erased {
        println!(
            "Erased {} of program {}: {} row(s).",
            e.participant, e.program, e.rows
        );
    }
    for d in &p.held {
        if let Some(h) = &d.held {
            println!(
                "Kept {} of program {} (due since {}): legal hold {} on {} ({}).",
                d.participant, d.program, d.due_on, h.id, h.scope, h.reference
            );
        }
    }
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
        PrivacyCommand::Erase {
            participant,
            reference,
            on,
        } => {
            let Some(program) = store.participant_program(&participant)? else {
                bail!("there is no participant with ID {participant}");
            };
            let e = store
                .erase(
                    &cli_actor(),
                    &Reach::Program(program),
                    &participant,
                    &reference,
                    on.unwrap_or_else(today),
                )?
                .map_err(|r| refused(&format!("erasing {participant}"), r))?;
            println!(
                "Erased {} of program {}: {} row(s). The audit log keeps a tombstone with the reference.",
                e.participant, e.program, e.rows
            );
            if e.older_corrections > 0 {
                println!(
                    "{} audit row(s) written before migration 0018 hold corrections of their records; \
                     the append-only audit log keeps them (docs/privacy.md).",
                    e.older_corrections
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        PrivacyCommand::Restrict {
            participant,
            reference,
            lift,
        } => {
            let Some(program) = store.participant_program(&participant)? else {
                bail!("there is no participant with ID {participant}");
            };
            let reach = Reach::Program(program);
            let changed = if lift {
                store.lift_restriction(&cli_actor(), &reach, &participant, &reference)?
            } else {
                store.restrict(&cli_actor(), &reach, &participant, &reference)?
            }
            .map_err(|r| refused(&format!("restricting {participant}"), r))?;
            println!(
                "{}",
                match (lift, changed) {
                    (false, true) => format!(
                        "The record of {participant} is restricted: kept, but off the day view and out of new figures."
                    ),
                    (false, false) =>
                        format!("The record of {participant} was restricted already."),
                    (true, true) => format!("The restriction of {participant} is lifted."),
                    (true, false) => format!("The record of {participant} was not restricted."),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        PrivacyCommand::Hold(HoldCommand::Place {
            program,
            participant,
            reference,
        }) => {
            let scope = match (program, participant) {
                (Some(p), _) => Scope::Program(p),
                (None, Some(x)) => Scope::Participant(x),
                (None, None) => bail!("say what the hold is on: --program ID or --participant ID"),
            };
            let reach = scope_reach(store, &scope)?;
            let id = store
                .place_hold(&cli_actor(), &reach, &scope, &reference)?
                .map_err(|r| refused("the hold", r))?;
            println!("Legal hold {id} placed on {scope}.");
            Ok(ExitCode::SUCCESS)
        }
        PrivacyCommand::Hold(HoldCommand::Lift { hold }) => {
            let Some(h) = store.holds(None)?.into_iter().find(|h| h.id == hold) else {
                bail!(
                    "there is no legal hold {hold} in force: `fika privacy hold list` lists them"
                );
            };
            let reach = scope_reach(store, &h.scope)?;
            store
                .lift_hold(&cli_actor(), &reach, hold)?
                .map_err(|r| refused("lifting the hold", r))?;
            println!("Legal hold {hold} on {} lifted.", h.scope);
            Ok(ExitCode::SUCCESS)
        }
        PrivacyCommand::Hold(HoldCommand::List { program }) => {
            let holds = store.holds(program.as_ref())?;
            if holds.is_empty() {
                println!("No legal hold is in force.");
            }
            for h in holds {
                println!(
                    "{}\t{}\t{}\tplaced {} by {}",
                    h.id, h.scope, h.reference, h.placed_at, h.placed_by
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        PrivacyCommand::Retention {
            program,
            participant,
            years,
            remove,
        } => {
            let scope = match (program, participant) {
                (Some(p), _) => Scope::Program(p),
                (None, Some(x)) => Scope::Participant(x),
                (None, None) => {
                    let rules = store.retention_rules()?;
                    if rules.is_empty() {
                        println!("No retention rule is set: nothing is purged.");
                    }
                    for r in rules {
                        println!("{}\t{} year(s) after the exit", r.scope, r.years);
                    }
                    return Ok(ExitCode::SUCCESS);
                }
            };
            if years.is_none() && !remove {
                bail!("give --years N (1–100), or --remove");
            }
            let reach = scope_reach(store, &scope)?;
            store
                .set_retention(&cli_actor(), &reach, &scope, years)?
                .map_err(|r| refused("the retention rule", r))?;
            match years {
                Some(y) => println!("Records of {scope} are kept {y} year(s) after the exit."),
                None => println!("{scope} has no retention rule now."),
            }
            Ok(ExitCode::SUCCESS)
        }
        PrivacyCommand::Finalise { program, which } => {
            let (kind, period) = which.kind_and_period();
            let (rules, figures) = match (which.quarter, which.fidelity) {
                (Some(quarter), _) => {
                    let query = crate::figures::OutcomesQuery {
                        programs: vec![program.clone()],
                        all: false,
                        coach: None,
                        quarter,
                        through: None,
                        lang: fika_core::scale::Lang::En,
                        suppress: None,
                    };
                    let crate::figures::Rendered::Text(line) =
                        crate::figures::outcomes(store, &query, crate::figures::Format::Json)?
                    else {
                        bail!("the outcomes did not come as JSON");
                    };
                    (fika_core::outcomes::RULES, line.trim_end().to_owned())
                }
                (None, Some(at)) => {
                    let report = crate::figures::fidelity_report(store, &program, at)?;
                    (report.rules, crate::json::to_line(&report.summary())?)
                }
                (None, None) => unreachable!("clap requires one of them"),
            };
            let figure = FinalFigure {
                program: program.clone(),
                kind,
                period: period.clone(),
                rules,
                figures,
                marked_by: String::new(),
                marked_at: String::new(),
            };
            store
                .mark_final(&cli_actor(), &Reach::Program(program.clone()), &figure)?
                .map_err(|r| anyhow::anyhow!("{} {period} of {program}: {r}", kind.as_str()))?;
            println!(
                "The {} {period} of {program} are final (rules {rules}): {}",
                kind.as_str(),
                figure.figures
            );
            Ok(ExitCode::SUCCESS)
        }
        PrivacyCommand::Final {
            program,
            quarter,
            fidelity,
        } => {
            let which = match (quarter, fidelity) {
                (Some(q), _) => Some((FinalKind::Outcomes, q.to_string())),
                (None, Some(d)) => Some((FinalKind::Fidelity, d.to_string())),
                (None, None) => None,
            };
            match (program, which) {
                (Some(program), Some((kind, period))) => {
                    let Some(f) = store.final_figure(&program, kind, &period)? else {
                        bail!(
                            "the {} {period} of {program} were not marked final: `fika privacy finalise` marks them",
                            kind.as_str()
                        );
                    };
                    println!("{}", f.figures);
                }
                (program, _) => {
                    let finals = store.final_figures(program.as_ref())?;
                    if finals.is_empty() {
                        println!("No figure is marked final.");
                    }
                    for f in finals {
                        println!(
                            "{}\t{}\t{}\trules {}\tmarked {} by {}",
                            f.program,
                            f.kind.as_str(),
                            f.period,
                            f.rules,
                            f.marked_at,
                            f.marked_by
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PrivacyCommand::Purge {
            dry_run: _,
            apply,
            on,
            reference,
        } => {
            let on = on.unwrap_or_else(today);
            if apply {
                let reference = reference.unwrap_or_else(|| format!("retention purge {on}"));
                let purged = store
                    .purge_retention(&cli_actor(), on, &reference)?
                    .map_err(|r| refused("the purge", r))?;
                print_purged(&purged);
                println!(
                    "{} participant(s) erased, {} kept by a legal hold.",
                    purged.erased.len(),
                    purged.held.len()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let due = store.retention_due(on)?;
            let mut per_program: std::collections::BTreeMap<&ProgramId, (usize, usize)> =
                Default::default();
            for d in &due {
                let held = d
                    .held
                    .as_ref()
                    .map(|h| format!(" — legal hold {} ({})", h.id, h.reference));
                println!(
                    "{}\t{}\tleft {}\tkept {} year(s), due since {}{}",
                    d.program,
                    d.participant,
                    d.exit,
                    d.years,
                    d.due_on,
                    held.unwrap_or_default()
                );
                let c = per_program.entry(&d.program).or_default();
                if d.held.is_some() {
                    c.1 += 1;
                } else {
                    c.0 += 1;
                }
            }
            for (p, (due, held)) in &per_program {
                println!("program {p}: {due} due, {held} held");
            }
            println!(
                "{} participant(s) due on {on}, {} of them held. Nothing was erased (--dry-run); \
                 --apply erases them.",
                due.len(),
                due.iter().filter(|d| d.held.is_some()).count()
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
