//! `fika qual`: the evaluation workspace — qualitative projects kept in the database,
//! exchanged with other tools as REFI-QDA (`.qdpx`, `.qdc`), transcripts added as sources,
//! intercoder agreement and a code's excerpts. The command line acts as an administrator:
//! it sees every project.

use std::fmt::Write as _;
use std::fs;
use std::io::{BufReader, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Subcommand;
use fika_qual::{
    Code, Codebook, CoderFrom, Guid, ImportOptions, Project, TranscriptFormat, read_qdc, read_qdpx,
    read_transcript, write_qdc, write_qdpx,
};
use fika_qual::{docx, excerpts, report};
use fika_store::{QualRole, Store, WriteError};

use crate::json;

#[derive(Subcommand)]
pub enum QualCommand {
    /// Every qualitative project: ID and name.
    List,
    /// Start an empty project.
    New {
        name: String,
        /// An evaluator's login name: they own the project in the web pages (name its
        /// coders, open the comparison). Without it only the command line reaches it.
        #[arg(long)]
        owner: Option<String>,
    },
    /// Import a REFI-QDA project (.qdpx) from another tool as a new project.
    ImportQdpx {
        file: PathBuf,
        /// The project's name in fika (default: the name in the file).
        #[arg(long)]
        name: Option<String>,
        /// Import even when some source files are missing from the archive; those sources
        /// are left out and listed.
        #[arg(long)]
        allow_missing_sources: bool,
        /// The most megabytes (MiB) the archive's files may expand to. The import holds
        /// them in memory; raise it for a project with large recordings or documents.
        #[arg(long, default_value_t = fika_qual::refi::DEFAULT_MAX_UNCOMPRESSED_BYTES / (1024 * 1024), value_parser = clap::value_parser!(u64).range(1..=1_048_576))]
        max_uncompressed_mb: u64,
        /// Who coded a span when a selection's creatingUser and its coding's name
        /// different users: the selection's (as QualCoder reads it) or the coding's.
        #[arg(long, value_enum, default_value_t = CoderFromArg::Selection)]
        coder_from: CoderFromArg,
        /// An evaluator's login name: they own the project in the web pages.
        #[arg(long)]
        owner: Option<String>,
    },
    /// Add the codes of a REFI-QDA codebook (.qdc) to a project (ID or name): codes and
    /// sets the project lacks are added; those it has (same GUID) are left as they are.
    ImportQdc { project: String, file: PathBuf },
    /// Who has a role in a project (ID or name) in the web pages.
    Members { project: String },
    /// Give an evaluator a role in a project (ID or name): owner or coder.
    AddMember {
        project: String,
        login: String,
        #[arg(long, value_enum, default_value_t = MemberRole::Coder)]
        role: MemberRole,
    },
    /// Export a project (ID or name) as REFI-QDA (.qdpx) for another tool.
    ExportQdpx { project: String, file: PathBuf },
    /// Export a project's codebook (ID or name) as REFI-QDA (.qdc).
    ExportQdc { project: String, file: PathBuf },
    /// Add transcripts to a project as sources: .txt, .md, .vtt, .srt or .docx.
    AddSource {
        project: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Intercoder agreement per code and overall: percent agreement, Cohen's kappa (two
    /// coders) and Krippendorff's alpha.
    Agreement {
        project: String,
        /// A coder's name; repeat for each (default: every user who coded).
        #[arg(long = "coder")]
        coders: Vec<String>,
        #[arg(long, value_enum, default_value_t = AgreementFormat::Table)]
        format: AgreementFormat,
    },
    /// A code's excerpts as a data set (CSV, Markdown), or the readable document of the
    /// excerpts by theme → subtheme → code as Word (docx: the whole codebook, or one code and
    /// those below it), to standard output or to a file.
    Excerpts {
        project: String,
        /// The code's name, or its path `Theme::Code` when the name is not unique (needed
        /// for csv and markdown).
        #[arg(long)]
        code: Option<String>,
        /// Include the excerpts of the codes below it (csv and markdown; a docx always does).
        #[arg(long)]
        subcodes: bool,
        #[arg(long, value_enum, default_value_t = ExcerptFormat::Csv)]
        format: ExcerptFormat,
        /// Write to this file instead of standard output (needed for docx).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The language of a docx's headings and captions.
        #[arg(long, value_enum, default_value_t = DocumentLang::En)]
        lang: DocumentLang,
    },
}

/// A role in a project: the owner keeps the codebook and members and opens the comparison;
/// a coder codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MemberRole {
    Owner,
    Coder,
}

impl From<MemberRole> for QualRole {
    fn from(r: MemberRole) -> Self {
        match r {
            MemberRole::Owner => QualRole::Owner,
            MemberRole::Coder => QualRole::Coder,
        }
    }
}

/// Which `creatingUser` names the coder (see docs/qual.md, "Who coded what").
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoderFromArg {
    Selection,
    Coding,
}

impl From<CoderFromArg> for CoderFrom {
    fn from(c: CoderFromArg) -> Self {
        match c {
            CoderFromArg::Selection => CoderFrom::Selection,
            CoderFromArg::Coding => CoderFrom::Coding,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AgreementFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExcerptFormat {
    Csv,
    Markdown,
    Docx,
}

/// The language of the excerpts document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocumentLang {
    En,
    Sv,
}

/// The excerpts document's words (the web's are in its Fluent files).
fn document_labels(lang: DocumentLang, project: &Project, code: Option<&Code>) -> report::Labels {
    let (title, of, none, source, speaker, coder, memo) = match lang {
        DocumentLang::En => (
            "Excerpts by theme",
            "Excerpts",
            "No excerpts yet.",
            "Source",
            "Speaker",
            "Coded by",
            "Memo",
        ),
        DocumentLang::Sv => (
            "Utdrag per tema",
            "Utdrag",
            "Inga utdrag än.",
            "Källa",
            "Talare",
            "Kodad av",
            "Memo",
        ),
    };
    report::Labels {
        title: code.map_or_else(|| title.to_owned(), |c| format!("{of}: {}", c.name)),
        subtitle: project.name.clone(),
        none: none.to_owned(),
        source: source.to_owned(),
        speaker: speaker.to_owned(),
        coder: coder.to_owned(),
        memo: memo.to_owned(),
    }
}

/// Now as an `xsd:dateTime`, for exports and new projects.
fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn load(store: &dyn Store, project: &str) -> anyhow::Result<(String, Project)> {
    store.qual_project(project)?.with_context(|| {
        format!("there is no qualitative project {project:?}; `fika qual list` lists them")
    })
}

/// Gives `login` a role in project `id`, saying plainly why not.
fn add_member(store: &dyn Store, id: &str, login: &str, role: QualRole) -> anyhow::Result<()> {
    match store.add_qual_member(id, None, login, role) {
        Ok(()) => Ok(()),
        Err(WriteError::NotFound) => bail!("there is no qualitative project {id:?}"),
        Err(e) => bail!("{login:?} was not given a role: {e}"),
    }
}

/// Checks, before a project is created, that `owner` can own it.
fn check_owner(store: &dyn Store, owner: Option<&str>) -> anyhow::Result<()> {
    let Some(login) = owner else { return Ok(()) };
    match store.user_by_login(login)? {
        None => bail!("there is no user named {login:?}; `fika user add` adds one"),
        Some((u, _)) if u.role != fika_store::MEMBER_ROLE => bail!(
            "{login:?} is not an evaluator; only evaluators can have a role in a qualitative \
             project (the people interviewed must not read the transcripts)"
        ),
        Some(_) => Ok(()),
    }
}

/// Stores a new project; a clear error when the name is taken.
fn create(store: &dyn Store, project: &Project) -> anyhow::Result<String> {
    if project.name.trim().is_empty() {
        bail!("a qualitative project needs a name; give one with --name NAME");
    }
    // A project is found by ID or name, the ID first: a name like an ID would hide.
    if let Some(digits) = project.name.strip_prefix('Q')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        bail!(
            "{:?} looks like a project ID (Q1, Q2, …); choose another name (--name NAME)",
            project.name
        );
    }
    match store.create_qual_project(project)? {
        Some(id) => Ok(id),
        None => bail!(
            "there is already a qualitative project named {:?}; choose another name (--name NAME)",
            project.name
        ),
    }
}

/// Writes a file whole or not at all: into a temporary file beside it, then renamed.
fn write_file(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<&fs::File>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write to {}", dir.display()))?;
    let mut w = BufWriter::new(tmp.as_file());
    fill(&mut w)?;
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    drop(w);
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

pub fn run(store: &dyn Store, command: QualCommand) -> anyhow::Result<String> {
    match command {
        QualCommand::List => {
            let projects = store.qual_projects()?;
            if projects.is_empty() {
                return Ok(
                    "No qualitative projects yet; start one with `fika qual new NAME` or `fika qual import-qdpx FILE`.\n"
                        .into(),
                );
            }
            let mut out = String::new();
            for (id, name) in projects {
                let _ = writeln!(out, "{id:<6} {name}");
            }
            Ok(out)
        }
        QualCommand::New { name, owner } => {
            check_owner(store, owner.as_deref())?;
            let mut project = Project::new(name);
            project.created = Some(now());
            let id = create(store, &project)?;
            if let Some(owner) = &owner {
                add_member(store, &id, owner, QualRole::Owner)?;
            }
            Ok(format!(
                "Created qualitative project {id} {:?}.\nNext: fika qual add-source {id} FILE…\n",
                project.name
            ))
        }
        QualCommand::ImportQdpx {
            file,
            name,
            allow_missing_sources,
            max_uncompressed_mb,
            coder_from,
            owner,
        } => {
            check_owner(store, owner.as_deref())?;
            let options = ImportOptions {
                allow_missing_sources,
                max_uncompressed_bytes: max_uncompressed_mb * 1024 * 1024,
                coder_from: coder_from.into(),
            };
            let (id, out) = import_qdpx(store, &file, name, &options)?;
            if let Some(owner) = &owner {
                add_member(store, &id, owner, QualRole::Owner)?;
            }
            Ok(out)
        }
        QualCommand::Members { project } => {
            let (id, project) = load(store, &project)?;
            let members = store.qual_members(&id)?;
            if members.is_empty() {
                return Ok(format!(
                    "Nobody has a role in {id} {:?} yet; `fika qual add-member {id} LOGIN --role owner` names its owner.\n",
                    project.name
                ));
            }
            let mut out = String::new();
            for m in members {
                let _ = writeln!(out, "{:<6} {}", m.role.as_str(), m.login);
            }
            Ok(out)
        }
        QualCommand::AddMember {
            project,
            login,
            role,
        } => {
            let (id, project) = load(store, &project)?;
            let role = QualRole::from(role);
            add_member(store, &id, &login, role)?;
            Ok(format!(
                "{login} is now {} of {id} {:?}.\n",
                match role {
                    QualRole::Owner => "an owner",
                    QualRole::Coder => "a coder",
                },
                project.name
            ))
        }
        QualCommand::ExportQdpx { project, file } => {
            let (id, project) = load(store, &project)?;
            write_file(&file, |w| {
                write_qdpx(&project, w, &now())?;
                Ok(())
            })
            .with_context(|| format!("cannot export {id}"))?;
            Ok(format!(
                "Exported {id} {:?} to {}.\n",
                project.name,
                file.display()
            ))
        }
        QualCommand::ExportQdc { project, file } => {
            let (id, project) = load(store, &project)?;
            let codebook = write_qdc(&Codebook::of_project(&project))
                .with_context(|| format!("cannot export the codebook of {id}"))?;
            write_file(&file, |w| {
                w.write_all(codebook.as_bytes())?;
                Ok(())
            })?;
            Ok(format!(
                "Exported the codebook of {id} {:?} ({} codes) to {}.\n",
                project.name,
                project.codes_flat().len(),
                file.display()
            ))
        }
        QualCommand::AddSource { project, files } => add_sources(store, &project, &files),
        QualCommand::ImportQdc { project, file } => import_qdc(store, &project, &file),
        QualCommand::Agreement {
            project,
            coders,
            format,
        } => {
            let (_, project) = load(store, &project)?;
            let coders = pick_coders(&project, &coders)?;
            let agreement = fika_qual::agreement(&project, &coders)?;
            Ok(match format {
                AgreementFormat::Json => json::to_line(&agreement)? + "\n",
                AgreementFormat::Table => agreement_table(&agreement),
            })
        }
        QualCommand::Excerpts {
            project,
            code,
            subcodes,
            format,
            out,
            lang,
        } => {
            let (id, project) = load(store, &project)?;
            let code = code.map(|c| find_code(&project, &c)).transpose()?;
            let text = match (format, &code) {
                (ExcerptFormat::Docx, _) => {
                    let Some(file) = out else {
                        bail!("a .docx is not text: give the file to write with --out FILE");
                    };
                    let sections = report::outline(&project, code.as_ref(), |_| true)
                        .context("the code is not in the project")?;
                    let labels = document_labels(
                        lang,
                        &project,
                        code.as_ref().and_then(|g| project.code(g)),
                    );
                    let lang_code = match lang {
                        DocumentLang::En => "en-GB",
                        DocumentLang::Sv => "sv-SE",
                    };
                    let bytes = docx::write_document(
                        &report::to_blocks(&sections, &labels, true),
                        lang_code,
                    )?;
                    write_file(&file, |w| {
                        w.write_all(&bytes)?;
                        Ok(())
                    })?;
                    let n: usize = sections.iter().map(|s| s.excerpts.len()).sum();
                    return Ok(format!(
                        "Wrote {n} excerpt(s) of {id} {:?} under {} code(s) to {}.\n",
                        project.name,
                        sections.len(),
                        file.display()
                    ));
                }
                (_, None) => bail!("name the code with --code (its name, or Theme::Code)"),
                (ExcerptFormat::Csv, Some(code)) => {
                    excerpts::to_csv(&excerpts::gather(&project, code, subcodes))
                }
                (ExcerptFormat::Markdown, Some(code)) => {
                    let found = excerpts::gather(&project, code, subcodes);
                    excerpts::to_markdown(&project, code, &found)
                }
            };
            match out {
                None => Ok(text),
                Some(file) => {
                    write_file(&file, |w| {
                        w.write_all(text.as_bytes())?;
                        Ok(())
                    })?;
                    Ok(format!("Wrote the excerpts to {}.\n", file.display()))
                }
            }
        }
    }
}

fn import_qdpx(
    store: &dyn Store,
    file: &Path,
    name: Option<String>,
    options: &ImportOptions,
) -> anyhow::Result<(String, String)> {
    let input = fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let imported = read_qdpx(BufReader::new(input), options)
        .with_context(|| format!("{} was not imported", file.display()))?;
    let mut project = imported.project;
    if let Some(name) = name {
        project.name = name;
    }
    let id = create(store, &project)?;

    let codings: usize = project
        .sources
        .iter()
        .map(|s| s.codings.len() + s.selections.iter().map(|x| x.codings.len()).sum::<usize>())
        .sum();
    let mut out = format!(
        "Imported {} as {id} {:?}: {} users, {} codes, {} text sources, {codings} codings, {} memos, {} sets.\n",
        file.display(),
        project.name,
        project.users.len(),
        project.codes_flat().len(),
        project.sources.len(),
        project.notes.len(),
        project.sets.len(),
    );
    if !imported.unsupported_sources.is_empty() {
        out.push_str("Kept but not shown in fika (they go back out unchanged with export-qdpx):\n");
        for s in &imported.unsupported_sources {
            let _ = writeln!(
                out,
                "  {} {}",
                s.kind,
                s.name.as_deref().unwrap_or(s.guid.as_str())
            );
        }
    }
    for w in &imported.warnings {
        let _ = writeln!(out, "Warning: {w}");
    }
    if imported.coder_conflicts > 0 {
        let (taken, other, flag) = match options.coder_from {
            CoderFrom::Selection => ("selection's", "coding's", "coding"),
            CoderFrom::Coding => ("coding's", "selection's", "selection"),
        };
        let _ = writeln!(
            out,
            "{} codings name one coder on their selection and another on the coding; the {taken} was taken as the coder. Import again with --coder-from {flag} to take the {other}.",
            imported.coder_conflicts
        );
    }
    if !imported.missing_sources.is_empty() {
        out.push_str("Left out because their files are missing from the archive:\n");
        for s in &imported.missing_sources {
            let _ = writeln!(
                out,
                "  {} ({})",
                s.name.as_deref().unwrap_or(s.guid.as_str()),
                s.path
            );
        }
    }
    Ok((id, out))
}

/// Adds a codebook's codes and sets to a project: what the project lacks (by GUID) is
/// added, in one write; what it has is left as it is and counted.
fn import_qdc(store: &dyn Store, project: &str, file: &Path) -> anyhow::Result<String> {
    let (id, mut project) = load(store, project)?;
    let bytes = fs::read(file).with_context(|| format!("cannot open {}", file.display()))?;
    let book = read_qdc(&bytes).with_context(|| format!("{} was not imported", file.display()))?;
    let known: std::collections::HashSet<Guid> = project
        .codes_flat()
        .iter()
        .map(|(c, _)| c.guid.clone())
        .collect();
    // The codebook's codes, parents first, each with its parent; added one by one under
    // their parent, which is then in the project whether it was there or just added.
    let mut flat: Vec<(Code, Option<Guid>)> = Vec::new();
    fn walk(codes: Vec<Code>, parent: Option<&Guid>, out: &mut Vec<(Code, Option<Guid>)>) {
        for mut c in codes {
            let children = std::mem::take(&mut c.children);
            let guid = c.guid.clone();
            out.push((c, parent.cloned()));
            walk(children, Some(&guid), out);
        }
    }
    fn find_mut<'a>(codes: &'a mut [Code], guid: &Guid) -> Option<&'a mut Code> {
        for c in codes {
            if &c.guid == guid {
                return Some(c);
            }
            if let Some(found) = find_mut(&mut c.children, guid) {
                return Some(found);
            }
        }
        None
    }
    walk(book.codes, None, &mut flat);
    let (mut added, mut kept) = (0usize, 0usize);
    for (code, parent) in flat {
        if known.contains(&code.guid) {
            kept += 1;
            continue;
        }
        let level = match parent.and_then(|g| find_mut(&mut project.codes, &g)) {
            Some(p) => &mut p.children,
            None => &mut project.codes,
        };
        level.push(code);
        added += 1;
    }
    let sets_known: std::collections::HashSet<Guid> =
        project.sets.iter().map(|s| s.guid.clone()).collect();
    let mut sets_added = 0;
    for set in book.sets {
        if !sets_known.contains(&set.guid) {
            project.sets.push(set);
            sets_added += 1;
        }
    }
    if let Err(errors) = project.validate() {
        bail!(
            "{} was not imported: {}",
            file.display(),
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    store.update_qual_project(&id, &project)??;
    Ok(format!(
        "Imported the codebook {} into {id} {:?}: {added} codes and {sets_added} sets added, {kept} codes already there left as they are.\n",
        file.display(),
        project.name
    ))
}

fn add_sources(store: &dyn Store, project: &str, files: &[PathBuf]) -> anyhow::Result<String> {
    let (id, mut project) = load(store, project)?;
    let mut out = String::new();
    // Every file is read before anything is stored: all of them or none.
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = TranscriptFormat::from_file_name(&name).with_context(|| {
            format!(
                "{}: fika reads transcripts as .txt, .md, .vtt, .srt or .docx; save it in one of those",
                path.display()
            )
        })?;
        let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        if project.sources.iter().any(|s| s.name == name) {
            bail!("{id} already has a source named {name:?}; rename the file to add it as well");
        }
        let mut source = read_transcript(&name, &bytes, format)
            .with_context(|| format!("{} was not added", path.display()))?;
        source.created = Some(now());
        let _ = match source.turns.len() {
            0 => writeln!(out, "  {name}: {} characters", source.len_chars()),
            n => writeln!(out, "  {name}: {n} speaker turn(s)"),
        };
        project.sources.push(source);
    }
    store.update_qual_project(&id, &project)??;
    Ok(format!(
        "Added {} source(s) to {id} {:?}:\n{out}",
        files.len(),
        project.name
    ))
}

/// The coders named, by user name or GUID; without names, every user who coded a selection.
fn pick_coders(project: &Project, names: &[String]) -> anyhow::Result<Vec<Guid>> {
    if names.is_empty() {
        let coded: std::collections::HashSet<&Guid> = project
            .sources
            .iter()
            .flat_map(|s| &s.selections)
            .flat_map(|sel| sel.codings.iter().filter_map(|c| project.coder_of(sel, c)))
            .collect();
        let coders: Vec<Guid> = project
            .users
            .iter()
            .filter(|u| coded.contains(&u.guid))
            .map(|u| u.guid.clone())
            .collect();
        if coders.len() < 2 {
            bail!(
                "agreement needs two coders, and {} user(s) of this project coded anything",
                coders.len()
            );
        }
        return Ok(coders);
    }
    names
        .iter()
        .map(|n| {
            project
                .users
                .iter()
                .find(|u| u.name.as_deref() == Some(n.as_str()) || u.guid.as_str() == n)
                .map(|u| u.guid.clone())
                .with_context(|| {
                    let known: Vec<&str> = project
                        .users
                        .iter()
                        .map(|u| u.name.as_deref().unwrap_or(u.guid.as_str()))
                        .collect();
                    format!(
                        "no user of the project is named {n:?}; its users are {}",
                        known.join(", ")
                    )
                })
        })
        .collect()
}

/// A code by name, or by its path from the top (`Theme::Code`) when the name is not unique.
fn find_code(project: &Project, wanted: &str) -> anyhow::Result<Guid> {
    let flat = project.codes_flat();
    let path_of = |guid: &Guid| {
        let mut parts = Vec::new();
        let mut at = Some(guid);
        while let Some(g) = at {
            let Some((code, parent)) = flat.iter().find(|(c, _)| &c.guid == g) else {
                break;
            };
            parts.push(code.name.as_str());
            at = *parent;
        }
        parts.reverse();
        parts.join("::")
    };
    let by_path: Vec<&Guid> = flat
        .iter()
        .map(|(c, _)| &c.guid)
        .filter(|g| path_of(g) == wanted)
        .collect();
    if let [one] = by_path.as_slice() {
        return Ok((*one).clone());
    }
    let by_name: Vec<&Guid> = flat
        .iter()
        .filter(|(c, _)| c.name == wanted)
        .map(|(c, _)| &c.guid)
        .collect();
    match by_name.as_slice() {
        [one] => Ok((*one).clone()),
        [] => bail!(
            "the project has no code named {wanted:?}; `fika qual export-qdc` writes its codebook"
        ),
        several => bail!(
            "{} codes are named {wanted:?}; give the path instead: {}",
            several.len(),
            several
                .iter()
                .map(|g| path_of(g))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn agreement_table(a: &fika_qual::Agreement) -> String {
    let coders: Vec<&str> = a
        .coders
        .iter()
        .map(|c| c.name.as_deref().unwrap_or(c.guid.as_str()))
        .collect();
    let mut out = format!(
        "Agreement of {} over {} characters (fractions 0–1)\n",
        coders.join(", "),
        a.total_characters
    );
    let width = a
        .codes
        .iter()
        .map(|c| c.name.as_deref().unwrap_or("").chars().count())
        .max()
        .unwrap_or(0)
        .max("overall".len());
    let cell = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"));
    let _ = writeln!(
        out,
        "{:<width$}  {:>9}  {:>6}  {:>6}  {:>12}",
        "code", "agreement", "kappa", "alpha", "kappa (avg.)"
    );
    let mut row = |name: &str, f: &fika_qual::agreement::Figures, avg: Option<f64>| {
        let pad = width - name.chars().count().min(width);
        let _ = writeln!(
            out,
            "{name}{:pad$}  {:>9}  {:>6}  {:>6}  {:>12}",
            "",
            cell(Some(f.percent_agreement)),
            cell(f.kappa),
            cell(f.alpha),
            avg.map_or_else(String::new, |v| format!("{v:.3}"))
        );
    };
    for c in &a.codes {
        row(
            c.name.as_deref().unwrap_or(c.code.as_str()),
            &c.figures,
            c.averaged_over_sources.kappa,
        );
    }
    for c in &a.codes_nobody_applied {
        row(
            c.name.as_deref().unwrap_or(c.code.as_str()),
            &c.figures,
            c.averaged_over_sources.kappa,
        );
    }
    row("overall", &a.overall, None);
    out.push_str(
        "Agreement, kappa and alpha are pooled over the characters of all sources; kappa (avg.) is \
         the per-source kappa averaged with each source weighted by its length, as NVivo reports it.\n",
    );
    if !a.codes_nobody_applied.is_empty() {
        let _ = writeln!(
            out,
            "{} code(s) nobody applied agree everywhere and are listed after the others; the overall figure leaves them out.",
            a.codes_nobody_applied.len()
        );
    }
    out
}
