//! Transcripts uploaded in the web: a member (owner or coder) adds several at once —
//! plain text, Markdown, WebVTT, SRT or Word (`.docx`) — as `multipart/form-data`. Each file
//! becomes a text source named like the file, with its speaker turns; a `.docx` is kept as
//! the source's original document. Reading is `fika_qual::read_transcript`'s.
//!
//! All or nothing: every file is read and checked first, and one file that cannot be
//! read refuses the whole upload — the page comes back (422) with one message per file in
//! the user's language, naming the file and saying what to do, and nothing is stored. The
//! sources of an upload are stored in one transaction (`Store::add_qual_sources`).
//! Limits: [`MAX_FILE_BYTES`] per file, [`MAX_FILES`] files, and the app's
//! `auth::MAX_UPLOAD` for the request.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use fika_qual::TextSource;
use fika_qual::docx::DocxError;
use fika_qual::transcript::{TranscriptError, TranscriptFormat, read_transcript};
use fika_store::QualAccess;

use super::load;
use crate::AppState;
use crate::auth::{MAX_UPLOAD, SignedIn};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::Layout;

/// The largest transcript file: a two-hour interview is about 150 kB as text and well
/// under 1 MB as `.docx`.
pub const MAX_FILE_BYTES: usize = 4 << 20;

/// The most files in one upload.
pub const MAX_FILES: usize = 50;

/// The longest file name kept as a source's name.
const MAX_NAME: usize = 200;

#[derive(Template)]
#[template(path = "qual_upload.html")]
struct UploadPage {
    l: Layout,
    a: QualAccess,
    errors: Vec<String>,
    help: String,
}

fn page(me: &SignedIn, a: QualAccess, errors: Vec<String>) -> UploadPage {
    let t = me.tr();
    let help = t.args(
        "qual-upload-help",
        &[
            ("file_mb", (MAX_FILE_BYTES >> 20).to_string()),
            ("all_mb", (MAX_UPLOAD >> 20).to_string()),
            ("files", MAX_FILES.to_string()),
        ],
    );
    UploadPage {
        l: Layout::new(me, &format!("/qual/{}/upload", a.id), "qual-upload-title"),
        a,
        errors,
        help,
    }
}

/// `GET /qual/{project}/upload`: the form.
pub async fn form(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let (a, _) = load(&st, &me, &id).await?;
    Ok(Html(page(&me, a, Vec::new()).render()?))
}

/// One file as it arrived: its name, and its bytes unless it was over the limit.
struct Upload {
    name: String,
    bytes: Option<Vec<u8>>,
}

/// The file name without any folder a browser may send.
fn base_name(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// `POST /qual/{project}/upload`: reads every file, then stores them all or none.
pub async fn save(
    State(st): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    // Membership first: someone outside the project learns nothing from their files.
    let (a, project) = load(&st, &me, &id).await?;
    let t = me.tr();
    let mut uploads: Vec<Upload> = Vec::new();
    let mut too_many = false;
    while let Some(mut f) = form
        .next_field()
        .await
        .map_err(|_| crate::pages::bad("bad-form-too-large"))?
    {
        if f.name() != Some("files") || f.file_name().is_none() {
            continue;
        }
        let name = base_name(f.file_name().unwrap_or_default());
        // A browser sends an empty part when no file was chosen.
        if name.is_empty() {
            continue;
        }
        if uploads.len() == MAX_FILES {
            too_many = true;
            break;
        }
        let mut bytes = Vec::new();
        let mut over = false;
        while let Some(chunk) = f
            .chunk()
            .await
            .map_err(|_| crate::pages::bad("bad-form-too-large"))?
        {
            if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                over = true;
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        uploads.push(Upload {
            name,
            bytes: (!over).then_some(bytes),
        });
    }
    let refuse = |errors: Vec<String>| {
        let page = page(&me, a.clone(), errors);
        Ok::<Response, AppError>(
            (StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response(),
        )
    };
    if a.comparison_open {
        return refuse(vec![t.t("qual-upload-closed")]);
    }
    if too_many {
        return refuse(vec![t.n("qual-upload-too-many", MAX_FILES)]);
    }
    if uploads.is_empty() {
        return refuse(vec![t.t("qual-upload-none")]);
    }
    let login = me.user.login.clone();
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut sources: Vec<TextSource> = Vec::new();
    let mut errors = Vec::new();
    for (i, u) in uploads.iter().enumerate() {
        match read_one(&t, u, &project, &uploads[..i]) {
            Ok(mut s) => {
                s.created = Some(now.clone());
                sources.push(s);
            }
            Err(message) => errors.push(message),
        }
    }
    if !errors.is_empty() {
        return refuse(errors);
    }
    // The coder who uploads is the transcript's creating user, as in a coding.
    let creator = super::coder_of(&project, &login).cloned();
    for s in &mut sources {
        s.creating_user.clone_from(&creator);
    }
    let pid = a.id.clone();
    match st
        .db(move |s| s.add_qual_sources(&pid, &login, &sources))
        .await?
    {
        Ok(()) => Ok(Redirect::to(&format!("/qual/{}#h-sources", a.id)).into_response()),
        // Another upload took a name meanwhile, or the comparison opened: said on the page.
        Err(fika_store::WriteError::Rule { rule, .. }) => {
            refuse(vec![t.t(&format!("rule-{rule}"))])
        }
        Err(e) => Err(e.into()),
    }
}

/// One file read into a source, or the message that names it and says what to do.
fn read_one(
    t: &Tr,
    u: &Upload,
    project: &fika_qual::Project,
    before: &[Upload],
) -> Result<TextSource, String> {
    let file = || vec![("file", u.name.clone())];
    let say = |key: &str| t.args(key, &file());
    if u.name.chars().count() > MAX_NAME {
        return Err(t.args(
            "qual-upload-name-long",
            &[("file", u.name.chars().take(40).collect::<String>() + "…")],
        ));
    }
    let Some(format) = TranscriptFormat::from_file_name(&u.name) else {
        return Err(say("qual-upload-kind"));
    };
    let Some(bytes) = &u.bytes else {
        return Err(t.args(
            "qual-upload-too-large",
            &[
                ("file", u.name.clone()),
                ("mb", (MAX_FILE_BYTES >> 20).to_string()),
            ],
        ));
    };
    if before.iter().any(|b| b.name == u.name) {
        return Err(say("qual-upload-twice"));
    }
    if project.sources.iter().any(|s| s.name == u.name) {
        return Err(say("qual-upload-name-taken"));
    }
    read_transcript(&u.name, bytes, format).map_err(|e| match e {
        TranscriptError::NotWebVtt => say("qual-upload-not-vtt"),
        TranscriptError::BadTiming { line, text } => t.args(
            "qual-upload-bad-timing",
            &[
                ("file", u.name.clone()),
                ("line", line.to_string()),
                ("text", text.chars().take(80).collect()),
            ],
        ),
        TranscriptError::NotUtf8 => say("qual-upload-not-utf8"),
        TranscriptError::Empty => say("qual-upload-empty"),
        TranscriptError::Docx(DocxError::NotDocx { .. }) => say("qual-upload-not-docx"),
        TranscriptError::Docx(DocxError::TooLarge { limit }) => t.args(
            "qual-upload-docx-large",
            &[
                ("file", u.name.clone()),
                ("mb", limit.div_ceil(1 << 20).to_string()),
            ],
        ),
        TranscriptError::Docx(DocxError::Empty) => say("qual-upload-empty"),
        TranscriptError::Docx(DocxError::Damaged { .. } | DocxError::Write(_)) => {
            say("qual-upload-damaged")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::base_name;

    #[test]
    fn file_names_lose_their_folders() {
        assert_eq!(
            base_name("C:\\Users\\eva\\intervju 1.docx"),
            "intervju 1.docx"
        );
        assert_eq!(base_name("a/b/../c.vtt"), "c.vtt");
        assert_eq!(base_name("  "), "");
    }
}
