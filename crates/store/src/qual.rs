//! Qualitative projects: kept whole, as one JSON document each, with the files of sources
//! fika cannot show in a table of their own (see migration 0004).
//!
//! A project's binary files — the PDFs, pictures, recordings and original documents a
//! REFI-QDA archive carries — would take four bytes of JSON per byte as `Vec<u8>`, and every
//! change to a coding would rewrite them. So the document holds each file's path with empty
//! bytes, and `qual_file` holds the bytes in base64, keyed by the source and the file's
//! place among that source's files.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use fika_qual::{OpaqueSource, Project, TextSource};

use crate::backend::Tx;
use crate::sql::{count, exec, now, texts};
use crate::{StoreError, UpdateRefused, WriteError};

/// One binary file of a project: its source, its place among that source's files, its path
/// in the archive, and its bytes.
struct File<'p> {
    source: String,
    position: usize,
    path: &'p str,
    bytes: &'p [u8],
}

/// The project as stored: the same value with every file's bytes left empty (they go to
/// `qual_file`), and those files. Built field by field so the bytes are never copied.
fn split(project: &Project) -> (Project, Vec<File<'_>>) {
    let mut files = Vec::new();
    let sources = project
        .sources
        .iter()
        .map(|s| {
            if let Some((path, bytes)) = &s.rich_text {
                files.push(File {
                    source: s.guid.to_string(),
                    position: 0,
                    path,
                    bytes,
                });
            }
            TextSource {
                guid: s.guid.clone(),
                name: s.name.clone(),
                text: s.text.clone(),
                turns: s.turns.clone(),
                description: s.description.clone(),
                creating_user: s.creating_user.clone(),
                created: s.created.clone(),
                modifying_user: s.modifying_user.clone(),
                modified: s.modified.clone(),
                selections: s.selections.clone(),
                codings: s.codings.clone(),
                notes: s.notes.clone(),
                variable_values_xml: s.variable_values_xml.clone(),
                rich_text: s
                    .rich_text
                    .as_ref()
                    .map(|(path, _)| (path.clone(), Vec::new())),
            }
        })
        .collect();
    let other_sources = project
        .other_sources
        .iter()
        .map(|o| {
            for (position, (path, bytes)) in o.files.iter().enumerate() {
                files.push(File {
                    source: o.guid.to_string(),
                    position,
                    path,
                    bytes,
                });
            }
            OpaqueSource {
                guid: o.guid.clone(),
                name: o.name.clone(),
                kind: o.kind.clone(),
                xml: o.xml.clone(),
                files: o
                    .files
                    .iter()
                    .map(|(path, _)| (path.clone(), Vec::new()))
                    .collect(),
            }
        })
        .collect();
    let document = Project {
        name: project.name.clone(),
        origin: project.origin.clone(),
        creating_user: project.creating_user.clone(),
        created: project.created.clone(),
        modifying_user: project.modifying_user.clone(),
        modified: project.modified.clone(),
        base_path: project.base_path.clone(),
        coder_from: project.coder_from,
        description: project.description.clone(),
        users: project.users.clone(),
        codes: project.codes.clone(),
        sources,
        other_sources,
        notes: project.notes.clone(),
        sets: project.sets.clone(),
        project_notes: project.project_notes.clone(),
        kept_sections: project.kept_sections.clone(),
    };
    (document, files)
}

/// Writes the document row's files (the rows of a project in `qual_file` must be gone).
fn write_files(tx: &mut dyn Tx, id: &str, files: &[File<'_>]) -> Result<(), StoreError> {
    for f in files {
        exec(
            tx,
            "INSERT INTO qual_file (project_id, source_guid, position, path, content) \
             VALUES ($1, $2, CAST(CAST($3 AS TEXT) AS INTEGER), $4, $5)",
            &[
                id,
                &f.source,
                &f.position.to_string(),
                f.path,
                &BASE64.encode(f.bytes),
            ],
        )?;
    }
    Ok(())
}

fn document(project: &Project) -> Result<String, StoreError> {
    serde_json::to_string(project)
        .map_err(|e| StoreError::Corrupt(format!("qualitative project: {e}")))
}

/// Whether another project than `except` already has this name.
fn name_taken(tx: &mut dyn Tx, name: &str, except: &str) -> Result<bool, StoreError> {
    let mut taken = false;
    tx.for_each(
        "SELECT project_id FROM qual_project WHERE name = $1 AND project_id <> $2",
        &[name, except],
        &mut |_| {
            taken = true;
            Ok(())
        },
    )?;
    Ok(taken)
}

/// Stores a new project under the next free ID (`Q1`, `Q2`, …) and returns the ID; `None`
/// when a project of that name exists.
pub(crate) fn create(tx: &mut dyn Tx, project: &Project) -> Result<Option<String>, StoreError> {
    if name_taken(tx, &project.name, "")? {
        return Ok(None);
    }
    let n = tx.query_i64(
        "SELECT COALESCE(MAX(CAST(SUBSTR(project_id, 2) AS BIGINT)), 0) FROM qual_project",
    )?;
    let id = format!("Q{}", n + 1);
    let (doc, files) = split(project);
    let now = now(tx.backend());
    let sql = format!(
        "INSERT INTO qual_project (project_id, name, document, created_at, updated_at) \
         VALUES ($1, $2, $3, {now}, {now})"
    );
    exec(tx, &sql, &[&id, &project.name, &document(&doc)?])?;
    write_files(tx, &id, &files)?;
    Ok(Some(id))
}

/// Replaces a stored project, files included.
pub(crate) fn update(
    tx: &mut dyn Tx,
    id: &str,
    project: &Project,
) -> Result<Result<(), UpdateRefused>, StoreError> {
    if get_row(tx, "project_id = $1", id)?.is_none() {
        return Ok(Err(UpdateRefused::NoSuchProject));
    }
    if name_taken(tx, &project.name, id)? {
        return Ok(Err(UpdateRefused::NameTaken));
    }
    let (doc, files) = split(project);
    let sql = format!(
        "UPDATE qual_project SET name = $2, document = $3, updated_at = {} WHERE project_id = $1",
        now(tx.backend())
    );
    exec(tx, &sql, &[id, &project.name, &document(&doc)?])?;
    exec(tx, "DELETE FROM qual_file WHERE project_id = $1", &[id])?;
    write_files(tx, id, &files)?;
    Ok(Ok(()))
}

/// The ID and document of the project matching `condition` on `$1`.
fn get_row(
    tx: &mut dyn Tx,
    condition: &str,
    value: &str,
) -> Result<Option<(String, String)>, StoreError> {
    let mut found = None;
    tx.for_each(
        &format!("SELECT project_id, document FROM qual_project WHERE {condition}"),
        &[value],
        &mut |cells| {
            found = Some((
                cells[0].unwrap_or_default().to_owned(),
                cells[1].unwrap_or_default().to_owned(),
            ));
            Ok(())
        },
    )?;
    Ok(found)
}

/// The project with this ID, else the one with this name, with its files.
pub(crate) fn get(
    tx: &mut dyn Tx,
    id_or_name: &str,
) -> Result<Option<(String, Project)>, StoreError> {
    let row = match get_row(tx, "project_id = $1", id_or_name)? {
        Some(row) => Some(row),
        None => get_row(tx, "name = $1", id_or_name)?,
    };
    let Some((id, text)) = row else {
        return Ok(None);
    };
    let corrupt = |what: String| StoreError::Corrupt(format!("qualitative project {id}: {what}"));
    let mut project: Project = serde_json::from_str(&text).map_err(|e| corrupt(e.to_string()))?;
    let mut files: Vec<(String, usize, Vec<u8>)> = Vec::new();
    tx.for_each(
        "SELECT source_guid, CAST(position AS TEXT), path, content FROM qual_file \
         WHERE project_id = $1",
        &[&id],
        &mut |cells| {
            let path = cells[2].unwrap_or_default();
            let position = cells[1]
                .unwrap_or_default()
                .parse()
                .map_err(|_| corrupt(format!("file {path} has position {:?}", cells[1])))?;
            let bytes = BASE64
                .decode(cells[3].unwrap_or_default())
                .map_err(|e| corrupt(format!("file {path}: {e}")))?;
            files.push((cells[0].unwrap_or_default().to_owned(), position, bytes));
            Ok(())
        },
    )?;
    for (source, position, bytes) in files {
        let text = project
            .sources
            .iter_mut()
            .find(|s| s.guid.as_str() == source)
            .and_then(|s| s.rich_text.as_mut().filter(|_| position == 0));
        let slot = match text {
            Some(slot) => Some(slot),
            None => project
                .other_sources
                .iter_mut()
                .find(|o| o.guid.as_str() == source)
                .and_then(|o| o.files.get_mut(position)),
        }
        .ok_or_else(|| corrupt(format!("file {position} of source {source} has no place")))?;
        slot.1 = bytes;
    }
    Ok(Some((id, project)))
}

/// Every project's ID and name, in the order they were created.
pub(crate) fn list(tx: &mut dyn Tx) -> Result<Vec<(String, String)>, StoreError> {
    let mut out = Vec::new();
    tx.for_each(
        "SELECT project_id, name FROM qual_project \
         ORDER BY CAST(SUBSTR(project_id, 2) AS BIGINT)",
        &[],
        &mut |cells| {
            out.push((
                cells[0].unwrap_or_default().to_owned(),
                cells[1].unwrap_or_default().to_owned(),
            ));
            Ok(())
        },
    )?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// The web pages' side: who has a role in which project, and changes made on their behalf.
// A member is named by their login name (`qual_member.user_name`). Membership is checked in
// the transaction of each read and write, and a project outside a user's roles gives the
// same answer as a project that does not exist.

/// A person's role in a qualitative project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QualRole {
    /// Keeps the codebook and the members, opens the comparison, decides the consensus;
    /// codes as well.
    Owner,
    /// Codes the transcripts, independently of the other coders.
    Coder,
}

impl QualRole {
    pub const fn as_str(self) -> &'static str {
        match self {
            QualRole::Owner => "owner",
            QualRole::Coder => "coder",
        }
    }

    pub fn parse(s: &str) -> Option<QualRole> {
        [QualRole::Owner, QualRole::Coder]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// A member of a project: login name and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualMember {
    pub login: String,
    pub role: QualRole,
}

/// A project as one of its members reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualAccess {
    pub id: String,
    pub name: String,
    pub role: QualRole,
    /// The owner has opened the comparison: every member sees every coder's coding.
    pub comparison_open: bool,
}

/// The web roles a project member may have. Evaluators only: the transcripts are interviews
/// with participants, coaches and leads, so the people interviewed must not read them.
pub const MEMBER_ROLE: crate::Role = crate::Role::Evaluator;

fn access_of(cells: &[Option<&str>]) -> Result<QualAccess, StoreError> {
    let text = |i: usize| cells[i].unwrap_or_default().to_owned();
    Ok(QualAccess {
        id: text(0),
        name: text(1),
        role: QualRole::parse(cells[2].unwrap_or_default())
            .ok_or_else(|| StoreError::Corrupt("qual_member.role".into()))?,
        comparison_open: cells[3].is_some(),
    })
}

const ACCESS_SELECT: &str = "SELECT p.project_id, p.name, m.role, \
     CAST(p.comparison_opened_at AS TEXT), p.document \
     FROM qual_project p JOIN qual_member m ON m.project_id = p.project_id";

/// The project `id` as `login` reaches it, with its document (files left empty); `lock`
/// holds its row until the transaction ends (PostgreSQL; SQLite's write transactions hold
/// the whole database already).
fn access(
    tx: &mut dyn Tx,
    id: &str,
    login: &str,
    lock: bool,
) -> Result<Option<(QualAccess, Project)>, StoreError> {
    let lock = match (lock, tx.backend()) {
        (true, crate::Backend::Postgres) => " FOR UPDATE OF p",
        _ => "",
    };
    let mut found = None;
    tx.for_each(
        &format!("{ACCESS_SELECT} WHERE p.project_id = $1 AND m.user_name = $2{lock}"),
        &[id, login],
        &mut |cells| {
            let a = access_of(cells)?;
            let project: Project = serde_json::from_str(cells[4].unwrap_or_default())
                .map_err(|e| StoreError::Corrupt(format!("qualitative project {id}: {e}")))?;
            found = Some((a, project));
            Ok(())
        },
    )?;
    Ok(found)
}

/// The projects `login` has a role in, oldest first.
pub(crate) fn projects_of(tx: &mut dyn Tx, login: &str) -> Result<Vec<QualAccess>, StoreError> {
    let mut out = Vec::new();
    tx.for_each(
        "SELECT p.project_id, p.name, m.role, CAST(p.comparison_opened_at AS TEXT) \
         FROM qual_project p JOIN qual_member m ON m.project_id = p.project_id \
         WHERE m.user_name = $1 ORDER BY CAST(SUBSTR(p.project_id, 2) AS BIGINT)",
        &[login],
        &mut |cells| {
            out.push(access_of(cells)?);
            Ok(())
        },
    )?;
    Ok(out)
}

pub(crate) fn project_for(
    tx: &mut dyn Tx,
    id: &str,
    login: &str,
) -> Result<Option<(QualAccess, Project)>, StoreError> {
    access(tx, id, login, false)
}

/// The members of a project, owners first, then by login name.
pub(crate) fn members(tx: &mut dyn Tx, id: &str) -> Result<Vec<QualMember>, StoreError> {
    let mut out = Vec::new();
    tx.for_each(
        "SELECT user_name, role FROM qual_member WHERE project_id = $1 \
         ORDER BY CASE role WHEN 'owner' THEN 0 ELSE 1 END, user_name",
        &[id],
        &mut |cells| {
            out.push(QualMember {
                login: cells[0].unwrap_or_default().to_owned(),
                role: QualRole::parse(cells[1].unwrap_or_default())
                    .ok_or_else(|| StoreError::Corrupt("qual_member.role".into()))?,
            });
            Ok(())
        },
    )?;
    Ok(out)
}

/// Gives `login` a role in project `id`, replacing any role they had. `by` is the owner
/// doing it (checked here), or `None` for the command line.
pub(crate) fn add_member(
    tx: &mut dyn Tx,
    id: &str,
    by: Option<&str>,
    login: &str,
    role: QualRole,
) -> Result<(), WriteError> {
    let allowed = match by {
        Some(owner) => {
            count(
                tx,
                "qual_member WHERE project_id = $1 AND user_name = $2 AND role = 'owner'",
                &[id, owner],
            )? > 0
        }
        None => count(tx, "qual_project WHERE project_id = $1", &[id])? > 0,
    };
    if !allowed {
        return Err(WriteError::NotFound);
    }
    let roles = texts(tx, "SELECT role FROM app_user WHERE login = $1", &[login])?;
    match roles.first().and_then(|r| r[0].as_deref()) {
        None => {
            return Err(WriteError::Rule {
                rule: "qual-no-such-user",
                text: format!("there is no user named {login:?}; check the spelling"),
            });
        }
        Some(r) if r != MEMBER_ROLE.as_str() => {
            return Err(WriteError::Rule {
                rule: "qual-member-role",
                text: format!(
                    "{login:?} is not an evaluator; only evaluators can have a role in a \
                     qualitative project (the people interviewed must not read the transcripts)"
                ),
            });
        }
        Some(_) => {}
    }
    exec(
        tx,
        "DELETE FROM qual_member WHERE project_id = $1 AND user_name = $2",
        &[id, login],
    )?;
    exec(
        tx,
        "INSERT INTO qual_member (project_id, user_name, role) VALUES ($1, $2, $3)",
        &[id, login, role.as_str()],
    )?;
    Ok(())
}

/// Runs `change` on the project as `login` reaches it, its row locked, and writes the
/// document back when it succeeds. Only the document: a change made here touches no file.
pub(crate) fn change(
    tx: &mut dyn Tx,
    id: &str,
    login: &str,
    change: &mut dyn FnMut(&mut Project, &QualAccess) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    let (access, mut project) = access(tx, id, login, true)?.ok_or(WriteError::NotFound)?;
    let name = project.name.clone();
    change(&mut project, &access)?;
    if project.name != name {
        return Err(WriteError::Rule {
            rule: "qual-rename",
            text: "a project is renamed with the command line".into(),
        });
    }
    let sql = format!(
        "UPDATE qual_project SET document = $2, updated_at = {} WHERE project_id = $1",
        now(tx.backend())
    );
    exec(tx, &sql, &[id, &document(&project)?])?;
    Ok(())
}

/// Opens the comparison of project `id`; only its owner may. Opening twice changes nothing.
pub(crate) fn open_comparison(tx: &mut dyn Tx, id: &str, login: &str) -> Result<(), WriteError> {
    match access(tx, id, login, true)? {
        Some((a, _)) if a.role == QualRole::Owner => {
            let sql = format!(
                "UPDATE qual_project SET comparison_opened_at = {} \
                 WHERE project_id = $1 AND comparison_opened_at IS NULL",
                now(tx.backend())
            );
            exec(tx, &sql, &[id])?;
            Ok(())
        }
        _ => Err(WriteError::NotFound),
    }
}

/// Adds text sources to project `id` on behalf of its member `login` (owner or coder), each
/// with its original document (a transcript's `.docx`) in `qual_file`. Refused whole when
/// the comparison is open (rule `qual-comparison-open`: the figures are of the sources the
/// coders coded) or a source's name is taken (rule `qual-source-name-taken`).
pub(crate) fn add_sources(
    tx: &mut dyn Tx,
    id: &str,
    login: &str,
    sources: &[TextSource],
) -> Result<(), WriteError> {
    let (access, mut project) = access(tx, id, login, true)?.ok_or(WriteError::NotFound)?;
    if access.comparison_open {
        return Err(WriteError::Rule {
            rule: "qual-comparison-open",
            text: "the comparison is open, so no transcript can be added".into(),
        });
    }
    for (i, s) in sources.iter().enumerate() {
        let taken = project
            .sources
            .iter()
            .chain(&sources[..i])
            .any(|x| x.name == s.name);
        if taken {
            return Err(WriteError::Rule {
                rule: "qual-source-name-taken",
                text: format!(
                    "the project already has a transcript named {:?}; rename the file",
                    s.name
                ),
            });
        }
    }
    project.sources.extend(sources.iter().cloned());
    let (doc, _) = split(&project);
    let sql = format!(
        "UPDATE qual_project SET document = $2, updated_at = {} WHERE project_id = $1",
        now(tx.backend())
    );
    exec(tx, &sql, &[id, &document(&doc)?])?;
    let files: Vec<File<'_>> = sources
        .iter()
        .filter_map(|s| {
            s.rich_text.as_ref().map(|(path, bytes)| File {
                source: s.guid.to_string(),
                position: 0,
                path,
                bytes,
            })
        })
        .collect();
    write_files(tx, id, &files)?;
    Ok(())
}
