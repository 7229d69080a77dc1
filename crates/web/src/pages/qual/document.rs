//! A readable document of excerpts, as evaluators paste into their report: the excerpts a
//! member sees, grouped theme → subtheme → code, each with its source and speaker — the
//! whole codebook, or one code and the codes below it (`?code=GUID`). As a page made for
//! printing (`assets/document.css`; no script) and as a Word document (`.docx`). The
//! outline and the `.docx` are `fika_qual::report`'s and `fika_qual::docx`'s.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use fika_qual::report::{self, Labels, Section};
use fika_store::QualAccess;
use serde::Deserialize;

use super::{View, load, path_guid};
use crate::AppState;
use crate::auth::SignedIn;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::Layout;

#[derive(Deserialize)]
pub struct DocumentQuery {
    /// One code and the codes below it; without it, every code.
    code: Option<String>,
}

/// The sections the member sees, the document's title and its labels.
async fn outline(
    st: &AppState,
    me: &SignedIn,
    id: &str,
    q: &DocumentQuery,
) -> Result<(QualAccess, Vec<Section>, Labels), AppError> {
    let (a, p) = load(st, me, id).await?;
    let root = match q.code.as_deref().filter(|c| !c.is_empty()) {
        Some(c) => Some(path_guid(c)?),
        None => None,
    };
    let view = View::new(&a, &p, &me.user.login);
    let sections = report::outline(&p, root.as_ref(), |e| view.sees_coder(e.coder.as_ref()))
        .ok_or(AppError::NotFound)?;
    let t = me.tr();
    let title = match root.as_ref().and_then(|g| p.code(g)) {
        Some(c) => t.a("qual-document-of", "code", &c.name),
        None => t.t("qual-document-title"),
    };
    let whose = if a.comparison_open {
        "qual-counts-everyone"
    } else {
        "qual-counts-mine"
    };
    let labels = labels(&t, title, format!("{} · {}", a.name, t.t(whose)));
    Ok((a, sections, labels))
}

fn labels(t: &Tr, title: String, subtitle: String) -> Labels {
    Labels {
        title,
        subtitle,
        none: t.t("qual-no-excerpts"),
        source: t.t("qual-source"),
        speaker: t.t("qual-speaker"),
        coder: t.t("qual-coded-by"),
        memo: t.t("qual-memo-short"),
    }
}

/// One excerpt as the page shows it.
pub struct Quote {
    pub text: String,
    pub caption: String,
    pub memos: Vec<String>,
}

/// One code as the page shows it: a heading one level below its parent's.
pub struct Part {
    /// 2 for a theme (the page's title is the `h1`), at most 6.
    pub level: usize,
    pub name: String,
    pub description: String,
    pub quotes: Vec<Quote>,
}

#[derive(Template)]
#[template(path = "qual_document.html")]
struct DocumentPage {
    l: Layout,
    project_id: String,
    project_name: String,
    subtitle: String,
    /// `?code=…` for the download link, or empty.
    query: String,
    parts: Vec<Part>,
}

/// `GET /qual/{project}/document[?code=GUID]`: the page to read and print.
pub async fn page(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DocumentQuery>,
) -> Result<Html<String>, AppError> {
    let (a, sections, labels) = outline(&st, &me, &id, &q).await?;
    let parts = sections
        .iter()
        .map(|s| Part {
            level: (s.depth + 2).min(6),
            name: s.name.clone(),
            description: s.description.clone().unwrap_or_default(),
            quotes: s
                .excerpts
                .iter()
                .map(|e| Quote {
                    text: e.text.clone(),
                    caption: report::caption(e, &labels, a.comparison_open),
                    memos: e.memos.clone(),
                })
                .collect(),
        })
        .collect();
    let mut l = Layout::new(
        &me,
        &format!("/qual/{}/document", a.id),
        "qual-document-title",
    );
    l.title.clone_from(&labels.title);
    let query = q
        .code
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(|c| format!("?code={c}"))
        .unwrap_or_default();
    let page = DocumentPage {
        l,
        project_id: a.id.clone(),
        project_name: a.name.clone(),
        subtitle: labels.subtitle,
        query,
        parts,
    };
    Ok(Html(page.render()?))
}

/// `GET /qual/{project}/document.docx[?code=GUID]`: the same as a Word document.
pub async fn docx(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DocumentQuery>,
) -> Result<Response, AppError> {
    let (a, sections, labels) = outline(&st, &me, &id, &q).await?;
    let blocks = report::to_blocks(&sections, &labels, a.comparison_open);
    let lang = match me.tr().lang.code() {
        "sv" => "sv-SE",
        _ => "en-GB",
    };
    let bytes = fika_qual::docx::write_document(&blocks, lang)
        .map_err(|e| AppError::Internal(format!("excerpts document: {e}")))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"excerpts.docx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
