//! A code's excerpts (Braun & Clarke: "excerpts extracted into a data set"): every coded
//! segment of the code the member sees, as a page to read and as CSV for analysis. The
//! gathering and the CSV are `fika_qual::excerpts`'.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use fika_qual::excerpts::{self, Excerpt};
use fika_qual::{Guid, Project};
use serde::Deserialize;

use super::{MemoRow, View, load, memo_rows, path_guid};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::pages::Layout;

#[derive(Deserialize)]
pub struct ExcerptQuery {
    /// `1`: the codes below it too.
    subcodes: Option<String>,
}

impl ExcerptQuery {
    fn subcodes(&self) -> bool {
        self.subcodes.as_deref() == Some("1")
    }
}

/// The excerpts of `code` the member sees.
async fn gather(
    st: &AppState,
    me: &SignedIn,
    id: &str,
    code: &str,
    subcodes: bool,
) -> Result<(fika_store::QualAccess, Project, Vec<Excerpt>), AppError> {
    let (a, p) = load(st, me, id).await?;
    let guid = path_guid(code)?;
    if p.code(&guid).is_none() {
        return Err(AppError::NotFound);
    }
    let view = View::new(&a, &p, &me.user.login);
    let found = excerpts::gather(&p, &guid, subcodes)
        .into_iter()
        .filter(|e| view.sees_coder(e.coder.as_ref()))
        .collect();
    Ok((a, p, found))
}

#[derive(Template)]
#[template(path = "qual_code.html")]
struct CodePage {
    l: Layout,
    project_id: String,
    project_name: String,
    code_guid: String,
    name: String,
    description: String,
    excerpts: Vec<Excerpt>,
    subcodes: bool,
    has_children: bool,
    open: bool,
    /// The owner restructures the codebook.
    owner: bool,
    class: String,
    /// The colour shown (its own or its palette colour), and whether it is its own.
    color: String,
    own_color: bool,
    /// Where the code may go (`guid`, indented name): every code not under it.
    places: Vec<Place>,
    /// Its parent's GUID, empty at the top.
    parent: String,
    memos: Vec<MemoRow>,
}

/// A code the code may be moved under or merged into.
pub struct Place {
    pub guid: String,
    pub label: String,
}

/// Every code but `code` and those under it, indented by level.
fn places(p: &Project, code: &Guid) -> Vec<Place> {
    let mut out = Vec::new();
    fn walk(codes: &[fika_qual::Code], level: usize, skip: &Guid, out: &mut Vec<Place>) {
        for c in codes {
            if &c.guid == skip {
                continue;
            }
            out.push(Place {
                guid: c.guid.to_string(),
                label: format!("{}{}", "– ".repeat(level), c.name),
            });
            walk(&c.children, level + 1, skip, out);
        }
    }
    walk(&p.codes, 0, code, &mut out);
    out
}

/// `/qual/{project}/codes/{code}[?subcodes=1]`.
pub async fn page(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, code)): Path<(String, String)>,
    Query(q): Query<ExcerptQuery>,
) -> Result<Html<String>, AppError> {
    let (a, p, found) = gather(&st, &me, &id, &code, q.subcodes()).await?;
    let c = path_guid(&code)
        .ok()
        .and_then(|g| p.code(&g))
        .ok_or(AppError::NotFound)?;
    let page = CodePage {
        l: Layout::new(
            &me,
            &format!("/qual/{}/codes/{}", a.id, c.guid),
            "qual-code-title",
        ),
        project_id: a.id.clone(),
        project_name: a.name.clone(),
        code_guid: c.guid.to_string(),
        name: c.name.clone(),
        description: c.description.clone().unwrap_or_default(),
        has_children: !c.children.is_empty(),
        excerpts: found,
        subcodes: q.subcodes(),
        open: a.comparison_open,
        owner: a.role == fika_store::QualRole::Owner,
        class: fika_qual::colour::class(&c.guid),
        color: fika_qual::colour::color_of(c),
        own_color: c.color.is_some(),
        places: places(&p, &c.guid),
        parent: p
            .codes_flat()
            .into_iter()
            .find(|(k, _)| k.guid == c.guid)
            .and_then(|(_, parent)| parent.map(ToString::to_string))
            .unwrap_or_default(),
        memos: memo_rows(&p, &c.notes, &me.user.login),
    };
    Ok(Html(page.render()?))
}

/// `/qual/{project}/codes/{code}/excerpts.csv[?subcodes=1]`: the same excerpts as CSV
/// (columns `source,code,coder,start,end,speaker,text,memos`, as `fika qual excerpts`).
pub async fn csv(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, code)): Path<(String, String)>,
    Query(q): Query<ExcerptQuery>,
) -> Result<Response, AppError> {
    let (_, _, found) = gather(&st, &me, &id, &code, q.subcodes()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"excerpts.csv\"",
            ),
        ],
        excerpts::to_csv(&found),
    )
        .into_response())
}
