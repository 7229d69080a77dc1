//! The codebook as the researcher works on it: each code in its colour, themes built from
//! codes, and memos. The changes themselves are `fika_qual::codebook`'s; here they are
//! authorised and made in one transaction with the project's row locked
//! (`Store::change_qual_project`), so a refused change writes nothing.
//!
//! - `GET /qual/{project}/codes.css`: one class per code (`code-` and its GUID in hex)
//!   setting `--color`, `--band` and `--tint` (see `fika_qual::colour`), which `fika.css`'s
//!   highlight, swatch and legend rules read. A stylesheet of its own, so that the pages
//!   keep their policy of no inline style; it carries an ETag and is revalidated on each
//!   use (`Cache-Control: private, no-cache`).
//! - Restructuring (rename, move, colour, merge) is the owner's, as adding codes is: the
//!   codebook is one, and a coder changing it under the others would change what they
//!   code. A coder gets 403, anyone outside the project 404.
//! - Memos: every member reads the memos on codes and transcripts and may write one; a
//!   memo on a coded segment is read and written by whoever sees the segment (its coder
//!   until the comparison opens, then every member). Only a memo's writer removes it.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use fika_qual::codebook::{self, CodebookError, MemoOn};
use fika_qual::colour;
use fika_qual::{Guid, Project};
use fika_store::{QualRole, WriteError};
use sha2::{Digest, Sha256};

use super::{View, coder_guid, coder_of, load, load_as_owner, path_guid, refuse};
use crate::AppState;
use crate::auth::SignedIn;
use crate::clock::stamp;
use crate::error::AppError;
use crate::pages::{Fields, field};

/// The stylesheet of a project's code colours.
pub fn codes_css(project: &Project) -> String {
    let mut css = String::from("/* fika: the colours of this project's codes */\n");
    for (code, _) in project.codes_flat() {
        let s = colour::code_shades(code);
        css.push_str(&format!(
            ".{}{{--color:{};--band:{};--tint:{}}}\n",
            colour::class(&code.guid),
            s.color,
            s.band,
            s.tint
        ));
    }
    css
}

/// `GET /qual/{project}/codes.css`.
pub async fn stylesheet(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (_, p) = load(&st, &me, &id).await?;
    let css = codes_css(&p);
    let digest = Sha256::digest(css.as_bytes());
    let tag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{tag}\"");
    let cache = [
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
        (header::ETAG, etag.clone()),
    ];
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            let t = t.trim();
            t == etag || t.strip_prefix("W/") == Some(etag.as_str()) || t == "*"
        });
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    let mut res = (cache, css).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    Ok(res)
}

/// A refusal of `fika_qual::codebook`, said in the user's language.
fn refused(e: CodebookError) -> WriteError {
    match e {
        CodebookError::NoSuchCode(_)
        | CodebookError::NoSuchSource(_)
        | CodebookError::NoSuchSelection(_)
        | CodebookError::NoSuchMemo(_) => WriteError::NotFound,
        e => refuse(e.rule()),
    }
}

/// A code GUID from a form field; empty is `None`, anything else not a GUID is refused.
fn form_guid(f: &Fields, name: &str) -> Result<Option<Guid>, AppError> {
    match field(f, name) {
        None => Ok(None),
        Some(g) => Guid::parse(g.trim())
            .map(Some)
            .ok_or_else(|| AppError::Rule("rule-qual-unknown-code".into())),
    }
}

/// `POST /qual/{project}/codes/{code}/edit`: the owner renames a code, moves it (under
/// `parent`, or to the top when it is empty; without `parent` it stays) and sets its
/// colour, all at once or not at all. A colour equal to the palette colour the page showed leaves a code without its
/// own colour as it is; `palette=1` takes its own colour away.
pub async fn edit(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, code)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let a = load_as_owner(&st, &me, &id).await?;
    let guid = path_guid(&code)?;
    let name = field(&f, "name").unwrap_or_default().to_owned();
    // A form without `parent` leaves the code where it is; an empty one moves it to the top.
    let moving = f.iter().any(|(k, _)| k == "parent");
    let parent = form_guid(&f, "parent")?;
    let color = field(&f, "color").map(|c| c.trim().to_owned());
    let palette = field(&f, "palette") == Some("1");
    let (pid, login, g) = (a.id.clone(), me.user.login.clone(), guid.clone());
    st.db(move |s| {
        s.change_qual_project(&pid, &login, &mut |p, access| {
            if access.role != QualRole::Owner {
                return Err(WriteError::NotFound);
            }
            let current = p.code(&g).ok_or(WriteError::NotFound)?;
            let shown = colour::color_of(current);
            let keep_palette = current.color.is_none() && color.as_deref() == Some(&shown);
            codebook::rename_code(p, &g, &name).map_err(refused)?;
            if moving {
                codebook::move_code(p, &g, parent.as_ref()).map_err(refused)?;
            }
            if palette {
                codebook::set_color(p, &g, None).map_err(refused)?;
            } else if !keep_palette && let Some(c) = &color {
                codebook::set_color(p, &g, Some(c)).map_err(refused)?;
            }
            Ok(())
        })
    })
    .await??;
    Ok(Redirect::to(&format!("/qual/{}/codes/{guid}", a.id)))
}

/// `POST /qual/{project}/codes/{code}/merge`: the owner merges the code into `into`; the
/// coded segments follow (see `fika_qual::codebook::merge_codes`).
pub async fn merge(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, code)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let a = load_as_owner(&st, &me, &id).await?;
    let from = path_guid(&code)?;
    let into =
        form_guid(&f, "into")?.ok_or_else(|| AppError::Rule("rule-qual-unknown-code".into()))?;
    let (pid, login, target) = (a.id.clone(), me.user.login.clone(), into.clone());
    st.db(move |s| {
        s.change_qual_project(&pid, &login, &mut |p, access| {
            if access.role != QualRole::Owner {
                return Err(WriteError::NotFound);
            }
            if p.code(&from).is_none() {
                return Err(WriteError::NotFound);
            }
            if p.code(&target).is_none() {
                return Err(refuse("qual-unknown-code"));
            }
            codebook::merge_codes(p, &from, &target).map_err(refused)?;
            Ok(())
        })
    })
    .await??;
    Ok(Redirect::to(&format!("/qual/{}/codes/{into}", a.id)))
}

/// Adds the memo of form `f` on `on` as the signed-in member; returns the project's ID.
async fn add(
    st: &AppState,
    me: &SignedIn,
    id: &str,
    on: MemoOn,
    f: &Fields,
) -> Result<String, AppError> {
    let (a, _) = load(st, me, id).await?;
    let text = f
        .iter()
        .find(|(k, _)| k == "memo")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if text.trim().is_empty() {
        return Err(AppError::Rule("rule-qual-memo-empty".into()));
    }
    if text.trim().chars().count() > codebook::MEMO_MAX {
        return Err(AppError::Rule("rule-qual-memo-long".into()));
    }
    let (pid, login, at) = (a.id.clone(), me.user.login.clone(), stamp(st.clock.now()));
    st.db(move |s| {
        s.change_qual_project(&pid, &login, &mut |p, access| {
            if let MemoOn::Segment { source, selection } = &on {
                let view = View::new(access, p, &login);
                let sees = p
                    .source(source)
                    .and_then(|s| s.selections.iter().find(|x| &x.guid == selection))
                    .is_some_and(|sel| sel.codings.iter().any(|c| view.sees(sel, c)));
                if !sees {
                    return Err(WriteError::NotFound);
                }
            }
            let user = coder_guid(p, &login);
            codebook::add_memo(p, &on, &text, Some(&user), &at).map_err(refused)?;
            Ok(())
        })
    })
    .await??;
    Ok(a.id)
}

/// `POST /qual/{project}/codes/{code}/memos`.
pub async fn code_memo(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, code)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let g = path_guid(&code)?;
    let pid = add(&st, &me, &id, MemoOn::Code(g.clone()), &f).await?;
    Ok(Redirect::to(&format!("/qual/{pid}/codes/{g}#memos")))
}

/// `POST /qual/{project}/sources/{source}/memos`.
pub async fn source_memo(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, source)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let g = path_guid(&source)?;
    let pid = add(&st, &me, &id, MemoOn::Source(g.clone()), &f).await?;
    Ok(Redirect::to(&format!("/qual/{pid}/sources/{g}#memos")))
}

/// `POST /qual/{project}/sources/{source}/selections/{selection}/memos`.
pub async fn segment_memo(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, source, selection)): Path<(String, String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let (source, selection) = (path_guid(&source)?, path_guid(&selection)?);
    let on = MemoOn::Segment {
        source: source.clone(),
        selection: selection.clone(),
    };
    let pid = add(&st, &me, &id, on, &f).await?;
    Ok(Redirect::to(&format!(
        "/qual/{pid}/sources/{source}#s-{selection}"
    )))
}

/// `POST /qual/{project}/memos/{memo}/delete`: the memo's writer removes it; `back` is the
/// page to return to (a path of this project, else the project's page).
pub async fn delete_memo(
    State(st): State<AppState>,
    me: SignedIn,
    Path((id, memo)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let (a, _) = load(&st, &me, &id).await?;
    let g = path_guid(&memo)?;
    let (pid, login) = (a.id.clone(), me.user.login.clone());
    st.db(move |s| {
        s.change_qual_project(&pid, &login, &mut |p, _| {
            let me = coder_of(p, &login).cloned();
            let mine = p
                .notes
                .iter()
                .any(|n| n.guid == g && me.is_some() && n.creating_user == me);
            if !mine {
                return Err(WriteError::NotFound);
            }
            codebook::remove_memo(p, &g).map_err(refused)
        })
    })
    .await??;
    let home = format!("/qual/{}", a.id);
    // A page of this project, with an anchor on it; anything else goes home.
    let back = field(&f, "back")
        .filter(|b| {
            let (path, anchor) = b.split_once('#').unwrap_or((b, ""));
            path.starts_with(&format!("{home}/"))
                && crate::auth::is_app_path(path)
                && anchor
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .unwrap_or(&home);
    Ok(Redirect::to(back))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fika_qual::Code;

    #[test]
    fn one_class_per_code_with_its_shades() {
        let mut p = Project::new("p");
        let g = Guid::parse("00000000-0000-4000-8000-000000000001").unwrap();
        let mut theme = Code::new(
            Guid::parse("00000000-0000-4000-8000-000000000002").unwrap(),
            "T",
        );
        let mut c = Code::new(g, "C");
        c.color = Some("#FFFF00".into());
        theme.children.push(c);
        p.codes.push(theme);
        let css = codes_css(&p);
        let lines: Vec<&str> = css.lines().skip(1).collect();
        assert_eq!(lines.len(), 2, "{css}");
        assert!(
            lines[1].starts_with(".code-00000000000040008000000000000001{--color:#ffff00;--band:#"),
            "{css}"
        );
        assert!(
            !lines[1].contains("--band:#ffff00"),
            "yellow is darkened for the band"
        );
        assert!(
            !css.contains('<') && !css.contains('@'),
            "nothing but classes"
        );
    }
}
