//! The evaluation workspace: qualitative projects (thematic analysis of interview
//! transcripts) in the web pages. An evaluator sees the projects they have a role in —
//! owner or coder — and nothing of any other (404, the same answer as a project that does
//! not exist). Until the owner opens the comparison, each coder sees only their own coding,
//! so that coders code independently; from then on everyone sees everyone's, and coding is
//! closed so that the figures stay those of the independent coding.
//!
//! - this module: the list of projects, a project's code tree with counts, its members, and
//!   what the other pages share (who codes as whom, what a member sees);
//! - [`source`]: reading a transcript and coding it;
//! - [`code`]: a code's excerpts, as a page and as CSV;
//! - [`codebook`]: the codes' colours (`codes.css`), themes built from codes (the owner's
//!   rename, move, merge) and memos on codes, transcripts and coded segments;
//! - [`compare`]: the comparison — agreement figures, disagreements, consensus;
//! - [`upload`]: transcripts uploaded (txt, Markdown, WebVTT, SRT, Word), all or none;
//! - [`document`]: the excerpts by theme → subtheme → code as a page to print and a `.docx`.
//!
//! The figures, excerpts and consensus come from `fika-qual`; nothing here computes them.

pub mod code;
pub mod codebook;
pub mod compare;
pub mod document;
pub mod source;
pub mod upload;

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use fika_qual::{Code, Coding, Guid, Project, Selection, User};
use fika_store::{QualAccess, QualMember, QualRole, Role, WriteError};

use super::{Fields, Layout, field};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;

/// The REFI-QDA user `id` of the consensus coder fika adds (see [`compare`]).
pub const CONSENSUS_ID: &str = "fika:consensus";

/// The project `id` as the signed-in user reaches it: evaluators only (other roles: 403, as
/// for any page outside their role), and only its members (others: 404).
pub(crate) async fn load(
    st: &AppState,
    me: &SignedIn,
    id: &str,
) -> Result<(QualAccess, Project), AppError> {
    me.require(&[Role::Evaluator])?;
    let (id, login) = (id.to_owned(), me.user.login.clone());
    st.db(move |s| s.qual_project_for(&id, &login))
        .await??
        .ok_or(AppError::NotFound)
}

/// The project, for its owner only (anyone else in it is refused; anyone outside it does
/// not see it at all).
pub(crate) async fn load_as_owner(
    st: &AppState,
    me: &SignedIn,
    id: &str,
) -> Result<QualAccess, AppError> {
    let (a, _) = load(st, me, id).await?;
    if a.role != QualRole::Owner {
        return Err(AppError::Forbidden);
    }
    Ok(a)
}

/// The project's user who codes as `login`: the one named so (fika adds them at their first
/// coding; a project imported from another tool may have them already).
pub(crate) fn coder_of<'p>(project: &'p Project, login: &str) -> Option<&'p Guid> {
    project
        .users
        .iter()
        .find(|u| u.name.as_deref() == Some(login) && u.id.as_deref() != Some(CONSENSUS_ID))
        .map(|u| &u.guid)
}

/// The coder `login`, added to the project when they code for the first time.
pub(crate) fn coder_guid(project: &mut Project, login: &str) -> Guid {
    if let Some(g) = coder_of(project, login) {
        return g.clone();
    }
    let guid = Guid::new_v4();
    project.users.push(User {
        guid: guid.clone(),
        name: Some(login.to_owned()),
        id: None,
    });
    guid
}

/// What one member sees: their own coding until the comparison opens, then everyone's.
pub(crate) struct View<'p> {
    pub open: bool,
    pub me: Option<&'p Guid>,
    /// The project's rule for who coded a span.
    pub rule: fika_qual::CoderFrom,
}

impl<'p> View<'p> {
    pub fn new(access: &QualAccess, project: &'p Project, login: &str) -> Self {
        View {
            open: access.comparison_open,
            me: coder_of(project, login),
            rule: project.coder_from,
        }
    }

    pub fn sees(&self, selection: &Selection, coding: &Coding) -> bool {
        self.open || (self.me.is_some() && selection.coder_by(coding, self.rule) == self.me)
    }

    pub fn sees_coder(&self, coder: Option<&Guid>) -> bool {
        self.open || (self.me.is_some() && coder == self.me)
    }
}

/// A user's name as the pages show it.
pub(crate) fn user_name(project: &Project, guid: Option<&Guid>) -> String {
    guid.and_then(|g| project.user(g))
        .and_then(|u| u.name.clone())
        .or_else(|| guid.map(Guid::to_string))
        .unwrap_or_default()
}

/// A refusal the pages say in the user's language (message key `rule-{rule}`).
pub(crate) fn refuse(rule: &'static str) -> WriteError {
    WriteError::Rule {
        rule,
        text: rule.to_owned(),
    }
}

/// A GUID in a path; anything else is a page that does not exist.
pub(crate) fn path_guid(s: &str) -> Result<Guid, AppError> {
    Guid::parse(s).ok_or(AppError::NotFound)
}

/// A memo as the pages show it.
pub struct MemoRow {
    pub guid: String,
    pub text: String,
    pub author: String,
    pub created: String,
    /// The signed-in member wrote it (and may remove it).
    pub mine: bool,
}

/// The memos a list of references names, in that order.
pub(crate) fn memo_rows(project: &Project, refs: &[Guid], login: &str) -> Vec<MemoRow> {
    let me = coder_of(project, login);
    fika_qual::codebook::memos(project, refs)
        .into_iter()
        .map(|n| MemoRow {
            guid: n.guid.to_string(),
            text: n.text.clone(),
            author: user_name(project, n.creating_user.as_ref()),
            created: n.created.clone().unwrap_or_default(),
            mine: me.is_some() && n.creating_user.as_ref() == me,
        })
        .collect()
}

/// One line of the code tree.
pub struct CodeRow {
    pub guid: String,
    pub name: String,
    pub description: String,
    /// The indentation class's level, at most 5.
    pub depth: usize,
    /// The level in the tree, 0 at the top.
    pub level: usize,
    /// How many nested lists end after this line (a leaf that is the last of its
    /// parent's codes closes its parent's list, and maybe more).
    pub closes: usize,
    /// The CSS class that carries its colour (`/qual/{project}/codes.css`).
    pub class: String,
    /// Memos on the code.
    pub memos: usize,
    pub codable: bool,
    /// Coded segments with this code that the member sees.
    pub count: usize,
    /// The same with every code below it.
    pub total: usize,
    pub has_children: bool,
}

/// The code tree, parents before children, with the counts of coded segments the member
/// sees.
pub(crate) fn code_rows(project: &Project, view: &View<'_>) -> Vec<CodeRow> {
    let mut counts: HashMap<&Guid, usize> = HashMap::new();
    for source in &project.sources {
        for sel in &source.selections {
            for coding in sel.codings.iter().filter(|c| view.sees(sel, c)) {
                *counts.entry(&coding.code).or_default() += 1;
            }
        }
    }
    fn walk(
        codes: &[Code],
        depth: usize,
        counts: &HashMap<&Guid, usize>,
        out: &mut Vec<CodeRow>,
    ) -> usize {
        let mut sum = 0;
        for c in codes {
            let at = out.len();
            let count = counts.get(&c.guid).copied().unwrap_or(0);
            out.push(CodeRow {
                guid: c.guid.to_string(),
                name: c.name.clone(),
                description: c.description.clone().unwrap_or_default(),
                depth: depth.min(5),
                level: depth,
                closes: 0,
                class: fika_qual::colour::class(&c.guid),
                memos: c.notes.len(),
                codable: c.is_codable,
                count,
                total: count,
                has_children: !c.children.is_empty(),
            });
            let below = walk(&c.children, depth + 1, counts, out);
            out[at].total = count + below;
            sum += count + below;
        }
        sum
    }
    let mut out = Vec::new();
    walk(&project.codes, 0, &counts, &mut out);
    for i in 0..out.len() {
        let next = out.get(i + 1).map_or(0, |r| r.level);
        out[i].closes = out[i].level.saturating_sub(next);
    }
    out
}

#[derive(Template)]
#[template(path = "qual_projects.html")]
struct ProjectsPage {
    l: Layout,
    projects: Vec<QualAccess>,
}

/// `/qual`: the projects the evaluator has a role in.
pub async fn projects(State(st): State<AppState>, me: SignedIn) -> Result<Html<String>, AppError> {
    me.require(&[Role::Evaluator])?;
    let login = me.user.login.clone();
    let projects = st.db(move |s| s.qual_projects_of(&login)).await??;
    let page = ProjectsPage {
        l: Layout::new(&me, "/qual", "qual-title"),
        projects,
    };
    Ok(Html(page.render()?))
}

pub struct SourceRow {
    pub guid: String,
    pub name: String,
    pub chars: usize,
    pub turns: usize,
    /// Coded segments the member sees.
    pub coded: usize,
}

#[derive(Template)]
#[template(path = "qual_project.html")]
struct ProjectPage {
    l: Layout,
    a: QualAccess,
    codes: Vec<CodeRow>,
    sources: Vec<SourceRow>,
    members: Vec<QualMember>,
}

impl ProjectPage {
    fn is_owner(&self) -> bool {
        self.a.role == QualRole::Owner
    }
}

/// `/qual/{project}`: the code tree with counts, the transcripts, the members.
pub async fn project(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (a, p) = load(&st, &me, &id).await?;
    let pid = a.id.clone();
    let members = st.db(move |s| s.qual_members(&pid)).await??;
    let view = View::new(&a, &p, &me.user.login);
    let sources = p
        .sources
        .iter()
        .map(|s| SourceRow {
            guid: s.guid.to_string(),
            name: s.name.clone(),
            chars: s.len_chars(),
            turns: s.turns.len(),
            coded: s
                .selections
                .iter()
                .filter(|sel| sel.codings.iter().any(|c| view.sees(sel, c)))
                .count(),
        })
        .collect();
    let page = ProjectPage {
        l: Layout::new(&me, &format!("/qual/{}", a.id), "qual-project-title"),
        codes: code_rows(&p, &view),
        sources,
        members,
        a,
    };
    Ok(Html(page.render()?))
}

/// `POST /qual/{project}/codes`: the owner adds a code, under a parent or at the top (a
/// theme).
pub async fn add_code(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let a = load_as_owner(&st, &me, &id).await?;
    let name = fika_qual::codebook::code_name(field(&f, "name").unwrap_or_default())
        .map_err(|_| AppError::Rule("rule-qual-code-name".into()))?;
    let heading = field(&f, "heading") == Some("1");
    let parent = match field(&f, "parent") {
        Some(g) => {
            Some(Guid::parse(g).ok_or_else(|| AppError::Rule("rule-qual-unknown-code".into()))?)
        }
        None => None,
    };
    let description = field(&f, "description").map(|d| d.trim().to_owned());
    let login = me.user.login.clone();
    let pid = a.id.clone();
    st.db(move |s| {
        s.change_qual_project(&pid, &login, &mut |p, access| {
            if access.role != QualRole::Owner {
                return Err(WriteError::NotFound);
            }
            let mut code = Code::new(Guid::new_v4(), name.clone());
            code.description = description.clone().filter(|d| !d.is_empty());
            code.is_codable = !heading;
            let siblings = match &parent {
                None => &mut p.codes,
                Some(g) => {
                    &mut find_code_mut(&mut p.codes, g)
                        .ok_or_else(|| refuse("qual-unknown-code"))?
                        .children
                }
            };
            if siblings.iter().any(|c| c.name == code.name) {
                return Err(refuse("qual-code-name-taken"));
            }
            siblings.push(code);
            Ok(())
        })
    })
    .await??;
    Ok(Redirect::to(&format!("/qual/{}#codes", a.id)))
}

fn find_code_mut<'a>(codes: &'a mut [Code], guid: &Guid) -> Option<&'a mut Code> {
    for c in codes {
        if &c.guid == guid {
            return Some(c);
        }
        if let Some(found) = find_code_mut(&mut c.children, guid) {
            return Some(found);
        }
    }
    None
}

/// `POST /qual/{project}/members`: the owner gives an evaluator a role.
pub async fn add_member(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let a = load_as_owner(&st, &me, &id).await?;
    let login = field(&f, "login")
        .map(|l| l.trim().to_owned())
        .ok_or_else(|| AppError::Rule("rule-qual-no-such-user".into()))?;
    let role = field(&f, "role").unwrap_or("coder");
    let role = QualRole::parse(role).ok_or_else(|| super::bad_choice("user-role", role))?;
    let (pid, by) = (a.id.clone(), me.user.login.clone());
    st.db(move |s| s.add_qual_member(&pid, Some(&by), &login, role))
        .await??;
    Ok(Redirect::to(&format!("/qual/{}#members", a.id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fika_qual::TextSource;

    fn selection(coder: &Guid, code: &Guid) -> Selection {
        Selection {
            modifying_user: None,
            modified: None,
            guid: Guid::new_v4(),
            name: None,
            start: 0,
            end: 1,
            creating_user: Some(coder.clone()),
            created: None,
            description: None,
            codings: vec![Coding {
                guid: Guid::new_v4(),
                code: code.clone(),
                creating_user: None,
                created: None,
                notes: vec![],
            }],
            notes: vec![],
        }
    }

    #[test]
    fn counts_are_of_what_the_member_sees() {
        let mut p = Project::new("p");
        let (theme, code) = (Guid::new_v4(), Guid::new_v4());
        let mut t = Code::new(theme.clone(), "Theme");
        t.children.push(Code::new(code.clone(), "Code"));
        p.codes.push(t);
        let eva = coder_guid(&mut p, "eva");
        let erik = coder_guid(&mut p, "erik");
        assert_eq!(coder_guid(&mut p, "eva"), eva, "one user per login");
        let mut s = TextSource::new(Guid::new_v4(), "s", "abc");
        s.selections.push(selection(&eva, &code));
        s.selections.push(selection(&erik, &code));
        s.selections.push(selection(&erik, &theme));
        p.sources.push(s);
        let access = |open| QualAccess {
            id: "Q1".into(),
            name: "p".into(),
            role: QualRole::Coder,
            comparison_open: open,
        };
        let counts = |login: &str, open: bool| -> Vec<(usize, usize)> {
            code_rows(&p, &View::new(&access(open), &p, login))
                .iter()
                .map(|r| (r.count, r.total))
                .collect()
        };
        assert_eq!(counts("eva", false), [(0, 1), (1, 1)]);
        assert_eq!(counts("erik", false), [(1, 2), (1, 1)]);
        assert_eq!(counts("ella", false), [(0, 0), (0, 0)]);
        assert_eq!(counts("ella", true), [(1, 3), (2, 2)]);
    }
}
