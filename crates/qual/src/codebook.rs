//! Building themes from codes, and memos: the changes a researcher makes to a project's
//! codebook and notes as they analyse, each on the [`Project`] value and each all or
//! nothing (a refused change leaves the project as it was).
//!
//! - [`rename_code`], [`move_code`] (under a theme or subtheme, or to the top), [`set_color`];
//! - [`merge_codes`]: one code into another, the coded segments following;
//! - [`add_memo`] on a code, a source or a coded segment, and [`remove_memo`].
//!
//! Names are unique among siblings (the same rule the web's "add a code" keeps): two codes
//! of one name under one theme could not be told apart.

use std::collections::HashSet;

use crate::model::{Code, Coding, Guid, Note, Project, is_rgb};

/// Why a change to the codebook or the memos was refused. [`CodebookError::rule`] is a
/// stable name for each kind (the web says it in the reader's language); the `Display`
/// text says what and what to do, in English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodebookError {
    #[error("the project has no code {0}")]
    NoSuchCode(Guid),
    #[error("the project has no text source {0}")]
    NoSuchSource(Guid),
    #[error("the source has no coded segment {0}")]
    NoSuchSelection(Guid),
    #[error("the project has no memo {0}")]
    NoSuchMemo(Guid),
    #[error("a code needs a name of 1 to {max} characters", max = CODE_NAME_MAX)]
    BadName,
    #[error(
        "there is already a code named \"{name}\" {place}; choose another name, or merge the two codes"
    )]
    NameTaken { name: String, place: String },
    #[error(
        "\"{code}\" cannot go under \"{parent}\", which lies under it (or is it); move \"{parent}\" out first"
    )]
    UnderItself { code: String, parent: String },
    #[error("a code cannot be merged into itself; choose another code to merge into")]
    MergeIntoItself,
    #[error(
        "\"{from}\" cannot be merged into \"{into}\", which lies under it; move \"{into}\" out first"
    )]
    MergeIntoChild { from: String, into: String },
    #[error(
        "\"{into}\" is a heading that cannot be coded, and \"{from}\" has coded segments; merge into a codable code"
    )]
    MergeIntoHeading { from: String, into: String },
    #[error("colour \"{0}\" is not a colour such as #33aa55")]
    BadColor(String),
    #[error("a memo needs text, at most {max} characters", max = MEMO_MAX)]
    BadMemo,
}

impl CodebookError {
    /// A stable name for the kind of refusal, e.g. `qual-code-name-taken`.
    pub fn rule(&self) -> &'static str {
        match self {
            CodebookError::NoSuchCode(_) => "qual-unknown-code",
            CodebookError::NoSuchSource(_) => "qual-unknown-source",
            CodebookError::NoSuchSelection(_) => "qual-unknown-selection",
            CodebookError::NoSuchMemo(_) => "qual-unknown-memo",
            CodebookError::BadName => "qual-code-name",
            CodebookError::NameTaken { .. } => "qual-code-name-taken",
            CodebookError::UnderItself { .. } => "qual-move-under-itself",
            CodebookError::MergeIntoItself => "qual-merge-itself",
            CodebookError::MergeIntoChild { .. } => "qual-merge-into-child",
            CodebookError::MergeIntoHeading { .. } => "qual-merge-into-heading",
            CodebookError::BadColor(_) => "qual-code-color",
            CodebookError::BadMemo => "qual-memo-long",
        }
    }
}

/// The longest code name: a code is a short label, its description says more.
pub const CODE_NAME_MAX: usize = 200;

/// The longest memo: a memo is a note, not a document.
pub const MEMO_MAX: usize = 10_000;

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

/// Takes the code out of the tree, children and all.
fn take(codes: &mut Vec<Code>, guid: &Guid) -> Option<Code> {
    if let Some(i) = codes.iter().position(|c| &c.guid == guid) {
        return Some(codes.remove(i));
    }
    codes.iter_mut().find_map(|c| take(&mut c.children, guid))
}

/// The parent of `guid` (`None` at the top), or `Err` when there is no such code.
fn parent_of(project: &Project, guid: &Guid) -> Result<Option<Guid>, CodebookError> {
    project
        .codes_flat()
        .into_iter()
        .find(|(c, _)| &c.guid == guid)
        .map(|(_, parent)| parent.cloned())
        .ok_or_else(|| CodebookError::NoSuchCode(guid.clone()))
}

/// Whether `inner` is `outer` or lies anywhere under it.
fn within(outer: &Code, inner: &Guid) -> bool {
    &outer.guid == inner || outer.children.iter().any(|c| within(c, inner))
}

/// The codes under `parent` (the top when `None`).
fn siblings<'a>(project: &'a Project, parent: Option<&Guid>) -> &'a [Code] {
    match parent {
        None => &project.codes,
        Some(g) => project
            .code(g)
            .map(|c| c.children.as_slice())
            .unwrap_or(&[]),
    }
}

/// Refuses `name` under `parent` when a code other than `except` has it there.
fn check_free(
    project: &Project,
    parent: Option<&Guid>,
    name: &str,
    except: &Guid,
) -> Result<(), CodebookError> {
    if siblings(project, parent)
        .iter()
        .any(|c| c.name == name && &c.guid != except)
    {
        let place = match parent.and_then(|g| project.code(g)) {
            Some(p) => format!("under \"{}\"", p.name),
            None => "at the top of the codebook".to_owned(),
        };
        return Err(CodebookError::NameTaken {
            name: name.to_owned(),
            place,
        });
    }
    Ok(())
}

/// A code's name as given: trimmed, 1 to [`CODE_NAME_MAX`] characters.
pub fn code_name(name: &str) -> Result<String, CodebookError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > CODE_NAME_MAX {
        return Err(CodebookError::BadName);
    }
    Ok(name.to_owned())
}

/// Renames a code. Its coded segments refer to it by GUID, so they follow as they are.
pub fn rename_code(project: &mut Project, code: &Guid, name: &str) -> Result<(), CodebookError> {
    let name = code_name(name)?;
    let parent = parent_of(project, code)?;
    check_free(project, parent.as_ref(), &name, code)?;
    find_mut(&mut project.codes, code)
        .ok_or_else(|| CodebookError::NoSuchCode(code.clone()))?
        .name = name;
    Ok(())
}

/// Moves a code, with everything under it, under `parent` (a theme or subtheme), or to the
/// top of the codebook when `parent` is `None`. It goes last among its new siblings.
/// Refused when `parent` is the code itself or lies under it, or when a code of the same
/// name is there already.
pub fn move_code(
    project: &mut Project,
    code: &Guid,
    parent: Option<&Guid>,
) -> Result<(), CodebookError> {
    let moving = project
        .code(code)
        .ok_or_else(|| CodebookError::NoSuchCode(code.clone()))?;
    if let Some(p) = parent {
        let target = project
            .code(p)
            .ok_or_else(|| CodebookError::NoSuchCode(p.clone()))?;
        if within(moving, p) {
            return Err(CodebookError::UnderItself {
                code: moving.name.clone(),
                parent: target.name.clone(),
            });
        }
    }
    if parent_of(project, code)?.as_ref() == parent {
        return Ok(());
    }
    let name = moving.name.clone();
    check_free(project, parent, &name, code)?;
    let taken =
        take(&mut project.codes, code).ok_or_else(|| CodebookError::NoSuchCode(code.clone()))?;
    match parent {
        None => project.codes.push(taken),
        Some(p) => find_mut(&mut project.codes, p)
            .ok_or_else(|| CodebookError::NoSuchCode(p.clone()))?
            .children
            .push(taken),
    }
    Ok(())
}

/// Sets a code's colour (`#rrggbb` or `#rgb`, as REFI-QDA writes colours), or takes it away
/// (`None`: the code is then shown in a palette colour, see [`crate::colour`]).
pub fn set_color(
    project: &mut Project,
    code: &Guid,
    color: Option<&str>,
) -> Result<(), CodebookError> {
    let color = match color.map(str::trim) {
        None | Some("") => None,
        Some(c) if is_rgb(c) => Some(c.to_ascii_lowercase()),
        Some(c) => return Err(CodebookError::BadColor(c.to_owned())),
    };
    find_mut(&mut project.codes, code)
        .ok_or_else(|| CodebookError::NoSuchCode(code.clone()))?
        .color = color;
    Ok(())
}

/// What a merge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// Codings that now refer to the code merged into.
    pub codings: usize,
    /// Codings dropped because the same coder had coded the same span (or the same whole
    /// source) with the code merged into already.
    pub collapsed: usize,
}

/// Merges code `from` into code `into`: every coding of `from` (on a span or a whole source)
/// now refers to `into`; the codes under `from` go under `into`; `from`'s memos go to
/// `into`, its description is added to `into`'s, its set memberships become `into`'s; then
/// `from` is gone.
///
/// The same span coded with both by one coder collapses into one coding: a selection with
/// codings of both keeps one; two selections of one coder with the same start and end
/// become one (the later's memos go to the earlier). Overlapping spans that are not the same
/// stay as they are: agreement counts characters, so the overlap counts once either way.
///
/// Refused when `into` is `from` or lies under it, when `into` is a heading that cannot be
/// coded and `from` has coded segments, or when a code under `from` has the name of one
/// under `into`.
pub fn merge_codes(
    project: &mut Project,
    from: &Guid,
    into: &Guid,
) -> Result<Merged, CodebookError> {
    if from == into {
        return Err(CodebookError::MergeIntoItself);
    }
    let source = project
        .code(from)
        .ok_or_else(|| CodebookError::NoSuchCode(from.clone()))?;
    let target = project
        .code(into)
        .ok_or_else(|| CodebookError::NoSuchCode(into.clone()))?;
    if within(source, into) {
        return Err(CodebookError::MergeIntoChild {
            from: source.name.clone(),
            into: target.name.clone(),
        });
    }
    let used = project.sources.iter().any(|s| {
        s.codings.iter().any(|c| &c.code == from)
            || s.selections
                .iter()
                .any(|sel| sel.codings.iter().any(|c| &c.code == from))
    });
    if used && !target.is_codable {
        return Err(CodebookError::MergeIntoHeading {
            from: source.name.clone(),
            into: target.name.clone(),
        });
    }
    for child in &source.children {
        check_free(project, Some(into), &child.name, &child.guid)?;
    }

    // The change itself; nothing below can fail.
    let gone = take(&mut project.codes, from).expect("checked above");
    let target = find_mut(&mut project.codes, into).expect("checked above");
    target.children.extend(gone.children);
    target.notes.extend(gone.notes);
    if let Some(d) = gone.description.filter(|d| !d.trim().is_empty()) {
        target.description = Some(match target.description.take() {
            Some(mine) if !mine.trim().is_empty() && mine != d => format!("{mine}\n\n{d}"),
            _ => d,
        });
    }
    for set in &mut project.sets {
        let mut had = false;
        set.member_codes.retain(|g| {
            let is_from = g == from;
            had |= is_from;
            !is_from
        });
        if had && !set.member_codes.contains(into) {
            set.member_codes.push(into.clone());
        }
    }

    let mut merged = Merged::default();
    let rule = project.coder_from;
    for source in &mut project.sources {
        // Whole-source codings: one per coder.
        let mut seen: HashSet<Option<Guid>> = HashSet::new();
        for c in source.codings.iter().filter(|c| &c.code == into) {
            seen.insert(c.creating_user.clone());
        }
        let mut kept: Vec<Coding> = Vec::with_capacity(source.codings.len());
        for mut c in source.codings.drain(..) {
            if &c.code == from {
                merged.codings += 1;
                if !seen.insert(c.creating_user.clone()) {
                    merged.collapsed += 1;
                    let into_coding = kept
                        .iter_mut()
                        .find(|k| &k.code == into && k.creating_user == c.creating_user);
                    if let Some(k) = into_coding {
                        k.notes.append(&mut c.notes);
                    }
                    continue;
                }
                c.code = into.clone();
            }
            kept.push(c);
        }
        source.codings = kept;

        // Codings on spans: one coding of a code per selection.
        for sel in &mut source.selections {
            let mut codings: Vec<Coding> = Vec::with_capacity(sel.codings.len());
            for mut c in sel.codings.drain(..) {
                if &c.code == from {
                    merged.codings += 1;
                    c.code = into.clone();
                }
                let coder = sel_coder(&sel.creating_user, &c, rule);
                match codings.iter_mut().find(|k| {
                    &k.code == into
                        && &c.code == into
                        && sel_coder(&sel.creating_user, k, rule) == coder
                }) {
                    Some(k) => {
                        merged.collapsed += 1;
                        k.notes.append(&mut c.notes);
                    }
                    None => codings.push(c),
                }
            }
            sel.codings = codings;
        }

        // The same span by the same coder in two selections: the later one's coding of
        // `into` goes, and the selection with it when nothing else is left on it.
        let mut i = 0;
        while i < source.selections.len() {
            let (before, rest) = source.selections.split_at_mut(i);
            let later = &mut rest[0];
            let mut notes_to_move: Vec<Guid> = Vec::new();
            let mut target_index = None;
            later.codings.retain_mut(|c| {
                if &c.code != into {
                    return true;
                }
                let coder = sel_coder(&later.creating_user, c, rule);
                let twin = before.iter().position(|e| {
                    e.start == later.start
                        && e.end == later.end
                        && e.codings.iter().any(|k| {
                            &k.code == into && sel_coder(&e.creating_user, k, rule) == coder
                        })
                });
                match twin {
                    Some(t) => {
                        merged.collapsed += 1;
                        notes_to_move.append(&mut c.notes);
                        target_index = Some(t);
                        false
                    }
                    None => true,
                }
            });
            if let Some(t) = target_index {
                let earlier = &mut before[t];
                if let Some(k) = earlier.codings.iter_mut().find(|k| &k.code == into) {
                    k.notes.append(&mut notes_to_move);
                }
                if later.codings.is_empty() {
                    earlier.notes.append(&mut later.notes);
                    source.selections.remove(i);
                    continue;
                }
            }
            i += 1;
        }
    }
    Ok(merged)
}

/// The coder of a coding on a selection whose `creatingUser` is `selection_user`.
fn sel_coder(
    selection_user: &Option<Guid>,
    coding: &Coding,
    rule: crate::CoderFrom,
) -> Option<Guid> {
    match rule {
        crate::CoderFrom::Selection => selection_user.clone().or(coding.creating_user.clone()),
        crate::CoderFrom::Coding => coding.creating_user.clone().or(selection_user.clone()),
    }
}

/// What a memo is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoOn {
    Code(Guid),
    Source(Guid),
    /// A coded segment: its source and its selection.
    Segment {
        source: Guid,
        selection: Guid,
    },
}

/// Adds a memo written by `user` at `at` (`xsd:dateTime`) and returns its GUID. The text is
/// trimmed; empty or longer than [`MEMO_MAX`] is refused.
pub fn add_memo(
    project: &mut Project,
    on: &MemoOn,
    text: &str,
    user: Option<&Guid>,
    at: &str,
) -> Result<Guid, CodebookError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MEMO_MAX {
        return Err(CodebookError::BadMemo);
    }
    let guid = Guid::new_v4();
    let refs = match on {
        MemoOn::Code(g) => {
            &mut find_mut(&mut project.codes, g)
                .ok_or_else(|| CodebookError::NoSuchCode(g.clone()))?
                .notes
        }
        MemoOn::Source(g) => {
            &mut project
                .sources
                .iter_mut()
                .find(|s| &s.guid == g)
                .ok_or_else(|| CodebookError::NoSuchSource(g.clone()))?
                .notes
        }
        MemoOn::Segment { source, selection } => {
            &mut project
                .sources
                .iter_mut()
                .find(|s| &s.guid == source)
                .ok_or_else(|| CodebookError::NoSuchSource(source.clone()))?
                .selections
                .iter_mut()
                .find(|s| &s.guid == selection)
                .ok_or_else(|| CodebookError::NoSuchSelection(selection.clone()))?
                .notes
        }
    };
    refs.push(guid.clone());
    project.notes.push(Note {
        guid: guid.clone(),
        name: None,
        text: text.to_owned(),
        creating_user: user.cloned(),
        created: Some(at.to_owned()),
        modifying_user: None,
        modified: None,
        description: None,
        selections: Vec::new(),
    });
    Ok(guid)
}

/// Removes a memo and every reference to it (codes, sources, segments, codings, sets, the
/// project).
pub fn remove_memo(project: &mut Project, memo: &Guid) -> Result<(), CodebookError> {
    let before = project.notes.len();
    project.notes.retain(|n| &n.guid != memo);
    if project.notes.len() == before {
        return Err(CodebookError::NoSuchMemo(memo.clone()));
    }
    fn in_codes(codes: &mut [Code], memo: &Guid) {
        for c in codes {
            c.notes.retain(|g| g != memo);
            in_codes(&mut c.children, memo);
        }
    }
    in_codes(&mut project.codes, memo);
    for s in &mut project.sources {
        s.notes.retain(|g| g != memo);
        for c in &mut s.codings {
            c.notes.retain(|g| g != memo);
        }
        for sel in &mut s.selections {
            sel.notes.retain(|g| g != memo);
            for c in &mut sel.codings {
                c.notes.retain(|g| g != memo);
            }
        }
    }
    for set in &mut project.sets {
        set.member_notes.retain(|g| g != memo);
    }
    project.project_notes.retain(|g| g != memo);
    Ok(())
}

/// The memos on a list of references, in that order (references to no memo are skipped).
pub fn memos<'p>(project: &'p Project, refs: &[Guid]) -> Vec<&'p Note> {
    refs.iter()
        .filter_map(|g| project.notes.iter().find(|n| &n.guid == g))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Selection, Set, TextSource, User};

    fn g(n: u128) -> Guid {
        Guid::parse(&format!("00000000-0000-4000-8000-{n:012x}")).unwrap()
    }

    const EVA: u128 = 1;
    const ERIK: u128 = 2;
    const THEME: u128 = 10;
    const SUB: u128 = 11;
    const A: u128 = 20;
    const B: u128 = 21;
    const SRC: u128 = 30;

    fn sel(id: u128, start: usize, end: usize, coder: u128, codes: &[(u128, u128)]) -> Selection {
        Selection {
            guid: g(id),
            name: None,
            start,
            end,
            creating_user: Some(g(coder)),
            created: None,
            modifying_user: None,
            modified: None,
            description: None,
            codings: codes
                .iter()
                .map(|&(cg, code)| Coding {
                    guid: g(cg),
                    code: g(code),
                    creating_user: Some(g(coder)),
                    created: None,
                    notes: vec![],
                })
                .collect(),
            notes: vec![],
        }
    }

    /// Theme ⟶ Subtheme ⟶ {A, B}; two coders on one source of 40 characters.
    fn project() -> Project {
        let mut p = Project::new("p");
        p.users = [(EVA, "eva"), (ERIK, "erik")]
            .map(|(n, name)| User {
                guid: g(n),
                name: Some(name.into()),
                id: None,
            })
            .to_vec();
        let mut theme = Code::new(g(THEME), "Tema");
        theme.is_codable = false;
        let mut sub = Code::new(g(SUB), "Deltema");
        sub.children = vec![Code::new(g(A), "Fika"), Code::new(g(B), "Kaffe")];
        theme.children.push(sub);
        p.codes.push(theme);
        p.sources
            .push(TextSource::new(g(SRC), "Intervju", "x".repeat(40)));
        p
    }

    fn coded(p: &Project) -> Vec<(usize, usize, Guid, Guid)> {
        p.sources[0]
            .selections
            .iter()
            .flat_map(|s| {
                s.codings.iter().map(|c| {
                    (
                        s.start,
                        s.end,
                        s.creating_user.clone().unwrap(),
                        c.code.clone(),
                    )
                })
            })
            .collect()
    }

    #[test]
    fn merging_moves_segments_and_collapses_the_same_span_by_the_same_coder() {
        let mut p = project();
        p.sources[0].selections = vec![
            // Eva coded 0–10 with both codes on one selection: one coding stays.
            sel(100, 0, 10, EVA, &[(200, A), (201, B)]),
            // Eva coded 20–30 with A, and again 20–30 with B on another selection: one stays.
            sel(101, 20, 30, EVA, &[(202, B)]),
            sel(102, 20, 30, EVA, &[(203, A)]),
            // Eva's 25–35 overlaps 20–30 but is not the same span: kept.
            sel(103, 25, 35, EVA, &[(204, A)]),
            // Erik coded 20–30 with A: another coder, kept.
            sel(104, 20, 30, ERIK, &[(205, A)]),
        ];
        add_memo(
            &mut p,
            &MemoOn::Code(g(A)),
            "om fika",
            Some(&g(EVA)),
            "2026-12-07T10:00:00Z",
        )
        .unwrap();
        let segment_memo = add_memo(
            &mut p,
            &MemoOn::Segment {
                source: g(SRC),
                selection: g(102),
            },
            "samma ställe",
            Some(&g(EVA)),
            "2026-12-07T10:00:00Z",
        )
        .unwrap();
        p.sets.push(Set {
            guid: g(50),
            name: "s".into(),
            description: None,
            member_codes: vec![g(A)],
            member_sources: vec![],
            member_notes: vec![],
        });
        let before = crate::agreement(&p, &[g(EVA), g(ERIK)]).unwrap();
        assert!(before.codes.iter().any(|c| c.code == g(A)));

        let m = merge_codes(&mut p, &g(A), &g(B)).unwrap();
        assert_eq!(
            m,
            Merged {
                codings: 4,
                collapsed: 2
            }
        );
        assert!(p.code(&g(A)).is_none());
        assert_eq!(
            coded(&p),
            [
                (0, 10, g(EVA), g(B)),
                (20, 30, g(EVA), g(B)),
                (25, 35, g(EVA), g(B)),
                (20, 30, g(ERIK), g(B)),
            ]
        );
        // The emptied selection's memo went to its twin; the code's memo to the target.
        let twin = &p.sources[0].selections[1];
        assert_eq!(twin.guid, g(101));
        assert_eq!(twin.notes, [segment_memo]);
        assert_eq!(p.code(&g(B)).unwrap().notes.len(), 1);
        assert_eq!(p.sets[0].member_codes, [g(B)]);
        assert!(p.validate().is_ok(), "{:?}", p.validate());
        // Agreement still computes: Eva has B on 0–10 and 20–35, Erik on 20–30.
        let after = crate::agreement(&p, &[g(EVA), g(ERIK)]).unwrap();
        let b = after.codes.iter().find(|c| c.code == g(B)).unwrap();
        let counts = b.figures.counts.unwrap();
        assert_eq!(
            (
                counts.both,
                counts.only_first,
                counts.only_second,
                counts.neither
            ),
            (10, 15, 0, 15)
        );
    }

    #[test]
    fn merging_refuses_what_would_break_the_tree() {
        let mut p = project();
        p.sources[0].selections = vec![sel(100, 0, 10, EVA, &[(200, A)])];
        let before = p.clone();
        assert_eq!(
            merge_codes(&mut p, &g(A), &g(A)),
            Err(CodebookError::MergeIntoItself)
        );
        let e = merge_codes(&mut p, &g(SUB), &g(A)).unwrap_err();
        assert_eq!(e.rule(), "qual-merge-into-child");
        let e = merge_codes(&mut p, &g(A), &g(THEME)).unwrap_err();
        assert_eq!(e.rule(), "qual-merge-into-heading");
        assert!(e.to_string().contains("\"Tema\" is a heading"), "{e}");
        assert!(matches!(
            merge_codes(&mut p, &g(A), &g(99)),
            Err(CodebookError::NoSuchCode(_))
        ));
        assert_eq!(p, before, "a refused merge changes nothing");
        // A code nobody applied may go into a heading; its children follow.
        let mut sub2 = Code::new(g(12), "Annat");
        sub2.children.push(Code::new(g(22), "Te"));
        p.codes.push(sub2);
        merge_codes(&mut p, &g(12), &g(THEME)).unwrap();
        let theme = p.code(&g(THEME)).unwrap();
        assert_eq!(
            theme
                .children
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["Deltema", "Te"]
        );
    }

    #[test]
    fn a_theme_cannot_go_under_its_own_child() {
        let mut p = project();
        let before = p.clone();
        let e = move_code(&mut p, &g(THEME), Some(&g(A))).unwrap_err();
        assert_eq!(e.rule(), "qual-move-under-itself");
        assert!(
            e.to_string().contains("\"Tema\" cannot go under \"Fika\""),
            "{e}"
        );
        assert_eq!(
            move_code(&mut p, &g(SUB), Some(&g(SUB)))
                .unwrap_err()
                .rule(),
            "qual-move-under-itself"
        );
        assert_eq!(p, before);
        // Out to the top, and back under the theme.
        move_code(&mut p, &g(A), None).unwrap();
        assert_eq!(
            p.codes.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["Tema", "Fika"]
        );
        move_code(&mut p, &g(A), Some(&g(THEME))).unwrap();
        let theme = p.code(&g(THEME)).unwrap();
        assert_eq!(
            theme
                .children
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["Deltema", "Fika"]
        );
        // A code named as one already there is refused.
        p.codes.push(Code::new(g(23), "Fika"));
        let e = move_code(&mut p, &g(23), Some(&g(THEME))).unwrap_err();
        assert_eq!(e.rule(), "qual-code-name-taken");
    }

    #[test]
    fn a_rename_to_a_name_already_there_is_refused() {
        let mut p = project();
        p.sources[0].selections = vec![sel(100, 0, 10, EVA, &[(200, A)])];
        let e = rename_code(&mut p, &g(A), " Kaffe ").unwrap_err();
        assert_eq!(
            e.to_string(),
            "there is already a code named \"Kaffe\" under \"Deltema\"; choose another name, or merge the two codes"
        );
        assert_eq!(
            rename_code(&mut p, &g(A), "  ").unwrap_err(),
            CodebookError::BadName
        );
        assert_eq!(
            rename_code(&mut p, &g(A), &"x".repeat(201)).unwrap_err(),
            CodebookError::BadName
        );
        rename_code(&mut p, &g(A), "Fika").unwrap();
        rename_code(&mut p, &g(A), "Fika på café").unwrap();
        assert_eq!(p.code(&g(A)).unwrap().name, "Fika på café");
        assert_eq!(coded(&p)[0].3, g(A), "the segments follow by GUID");
        // The same name under another theme is another place.
        p.codes.push(Code::new(g(24), "Övrigt"));
        rename_code(&mut p, &g(24), "Deltema").unwrap();
    }

    #[test]
    fn colours_are_checked_and_kept_lower_case() {
        let mut p = project();
        set_color(&mut p, &g(A), Some("#AA3300")).unwrap();
        assert_eq!(p.code(&g(A)).unwrap().color.as_deref(), Some("#aa3300"));
        assert_eq!(
            set_color(&mut p, &g(A), Some("red")).unwrap_err().rule(),
            "qual-code-color"
        );
        assert_eq!(p.code(&g(A)).unwrap().color.as_deref(), Some("#aa3300"));
        set_color(&mut p, &g(A), Some("")).unwrap();
        assert_eq!(p.code(&g(A)).unwrap().color, None);
    }

    #[test]
    fn memos_are_added_where_they_belong_and_removed_with_every_reference() {
        let mut p = project();
        p.sources[0].selections = vec![sel(100, 0, 10, EVA, &[(200, A)])];
        let at = "2026-12-07T10:00:00Z";
        let on_code = add_memo(
            &mut p,
            &MemoOn::Code(g(SUB)),
            " Deltema ",
            Some(&g(EVA)),
            at,
        )
        .unwrap();
        let on_source =
            add_memo(&mut p, &MemoOn::Source(g(SRC)), "Lugn intervju", None, at).unwrap();
        let on_segment = add_memo(
            &mut p,
            &MemoOn::Segment {
                source: g(SRC),
                selection: g(100),
            },
            "Viktigt",
            Some(&g(EVA)),
            at,
        )
        .unwrap();
        assert_eq!(
            memos(&p, &p.code(&g(SUB)).unwrap().notes)[0].text,
            "Deltema"
        );
        assert_eq!(p.sources[0].notes, std::slice::from_ref(&on_source));
        assert_eq!(
            p.sources[0].selections[0].notes,
            std::slice::from_ref(&on_segment)
        );
        assert_eq!(p.notes[0].creating_user, Some(g(EVA)));
        assert!(p.validate().is_ok());
        let before = p.clone();
        for (on, text) in [
            (MemoOn::Code(g(99)), "x"),
            (MemoOn::Source(g(99)), "x"),
            (
                MemoOn::Segment {
                    source: g(SRC),
                    selection: g(99),
                },
                "x",
            ),
            (MemoOn::Code(g(A)), " \n "),
            (MemoOn::Code(g(A)), &"x".repeat(MEMO_MAX + 1)),
        ] {
            assert!(add_memo(&mut p, &on, text, None, at).is_err(), "{on:?}");
        }
        assert_eq!(p, before);
        remove_memo(&mut p, &on_code).unwrap();
        remove_memo(&mut p, &on_segment).unwrap();
        assert!(p.code(&g(SUB)).unwrap().notes.is_empty());
        assert!(p.sources[0].selections[0].notes.is_empty());
        assert_eq!(p.notes.len(), 1);
        assert!(remove_memo(&mut p, &on_code).is_err());
        assert!(p.validate().is_ok());
    }
}
