//! The data subject's access extract as the person reads it: `extract.html`, one printable
//! page in their language, and `extract.json`, the same data for another system
//! (portability), in a folder (`fika privacy access`) or a ZIP (the participant page).
//!
//! The page is made from the JSON itself (`AccessExtract::to_json`), so that the two hold
//! the same records. The page stands alone: its style (`assets/document.css` and a few
//! table rules) is inside it, it loads nothing and runs no script.

use std::io::Write as _;
use std::path::Path;

use askama::Template;
use fika_store::access::AccessExtract;
use serde_json::Value;

use crate::i18n::{Lang, Tr};

const DOCUMENT_CSS: &str = include_str!("../assets/document.css");

/// The file names inside the folder or the ZIP.
pub const HTML: &str = "extract.html";
pub const JSON: &str = "extract.json";

/// One part of the page: a table of records, or of label and value.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Said when there are no rows.
    pub none: String,
}

#[derive(Template)]
#[template(path = "access_extract.html")]
struct Page<'a> {
    t: Tr,
    css: &'a str,
    title: String,
    intro: String,
    made: String,
    sections: Vec<Section>,
}

/// The language of the extract: the one asked for, else the participant's own (their
/// account's), else `fallback`.
pub fn language(e: &AccessExtract, asked: Option<Lang>, fallback: Lang) -> Lang {
    asked
        .or_else(|| e.locale.as_deref().and_then(Lang::parse))
        .unwrap_or(fallback)
}

/// The JSON file's text.
pub fn json(e: &AccessExtract) -> String {
    let mut s = serde_json::to_string_pretty(&e.to_json()).expect("JSON of text values");
    s.push('\n');
    s
}

/// `extract.html` and `extract.json` written into `dir` (created if missing).
pub fn write_dir(e: &AccessExtract, lang: Lang, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(HTML), html(e, lang))?;
    std::fs::write(dir.join(JSON), json(e))
}

/// A ZIP holding `extract.html` and `extract.json`.
pub fn zip(e: &AccessExtract, lang: Lang) -> std::io::Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in [(HTML, html(e, lang)), (JSON, json(e))] {
        z.start_file(name, options).map_err(std::io::Error::other)?;
        z.write_all(body.as_bytes())?;
    }
    z.finish().map_err(std::io::Error::other)?;
    Ok(out.into_inner())
}

fn text(v: &Value) -> Option<&str> {
    v.as_str()
}

/// A cell of a record as a person reads it: vocabulary words in the language, yes and no,
/// coaches and employers by name.
fn cell(t: &Tr, j: &Value, column: &str, v: &Value) -> String {
    let Some(s) = text(v) else {
        return match v {
            Value::Bool(b) => t.t(if *b { "extract-yes" } else { "extract-no" }),
            _ => String::new(),
        };
    };
    let named = |list: &str, id_col: &str| {
        j[list]
            .as_array()
            .and_then(|a| a.iter().find(|x| x[id_col] == s))
            .and_then(|x| x["name"].as_str())
            .unwrap_or(s)
            .to_owned()
    };
    match column {
        "place" => t.word("place", s),
        "owner" | "made_by" => t.word("owner", s),
        "kind" => t.word("kind", s),
        "end_reason" => t.word("reason", s),
        "status" => t.word("benefits", s),
        "purpose" => t.word("purpose", s),
        "exit_reason" => t.word("exit-reason", s),
        "referral_source" => t.word("source", s),
        "sharing" => t.word("me-sharing", s),
        "employed_at_entry" | "face_to_face" | "trained_planner" => match s {
            "true" => t.t("extract-yes"),
            "false" => t.t("extract-no"),
            other => other.to_owned(),
        },
        "coach_id" | "from_coach_id" | "to_coach_id" => named("coaches", "coach_id"),
        "employer_id" => named("employers", "employer_id"),
        "program_id" => j["program"]["name"].as_str().unwrap_or(s).to_owned(),
        _ => s.to_owned(),
    }
}

fn header(t: &Tr, column: &str) -> String {
    t.t(&format!("extract-col-{}", column.replace('_', "-")))
}

/// A table of the records in `j[key]`, showing `columns`.
fn records(t: &Tr, j: &Value, key: &'static str, columns: &[&str]) -> Section {
    let rows = j[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| columns.iter().map(|c| cell(t, j, c, &r[*c])).collect())
                .collect()
        })
        .unwrap_or_default();
    Section {
        id: key,
        title: t.t(&format!("extract-{}", key.replace('_', "-"))),
        headers: columns.iter().map(|c| header(t, c)).collect(),
        rows,
        none: t.t("extract-none"),
    }
}

/// The record IDs a person does not need to read what was removed.
const IDS: [&str; 8] = [
    "participant_id",
    "program_id",
    "meeting_id",
    "goal_id",
    "step_id",
    "job_id",
    "contact_id",
    "check_in_id",
];

/// What a correction changed, or what a removed record held.
fn change(t: &Tr, j: &Value, c: &Value) -> String {
    let obj = |v: &Value| v.as_object().cloned().unwrap_or_default();
    let (before, after) = (obj(&c["before"]), obj(&c["after"]));
    let described = |m: &serde_json::Map<String, Value>| {
        m.iter()
            .filter(|(k, v)| !v.is_null() && !IDS.contains(&k.as_str()))
            .map(|(k, v)| format!("{}: {}", header(t, k), cell(t, j, k, v)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if c["after"].is_null() {
        let mut s = format!("{} {}", t.t("extract-removed"), described(&before));
        for w in c["with"].as_array().into_iter().flatten() {
            s.push_str(&format!(
                " — {} {}",
                t.t("extract-removed-with"),
                described(&obj(w))
            ));
        }
        return s;
    }
    before
        .iter()
        .filter(|(k, v)| after.get(*k) != Some(v))
        .map(|(k, v)| {
            format!(
                "{}: {} → {}",
                header(t, k),
                cell(t, j, k, v),
                cell(t, j, k, after.get(k).unwrap_or(&Value::Null))
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn who(t: &Tr, by: &Value) -> (String, String) {
    (
        by["name"].as_str().unwrap_or_default().to_owned(),
        by["role"]
            .as_str()
            .map_or_else(|| t.t("extract-role-none"), |r| t.word("role", r)),
    )
}

/// A log action as a person reads it.
fn action(t: &Tr, a: &str) -> String {
    let what = if a == fika_store::access::ACTION {
        t.t("extract-log-extract")
    } else if a.ends_with(".read") {
        t.t("extract-log-read")
    } else {
        t.t("extract-log-changed")
    };
    format!("{what} ({a})")
}

fn pairs(id: &'static str, title: String, rows: Vec<(String, String)>, none: String) -> Section {
    Section {
        id,
        title,
        headers: Vec::new(),
        rows: rows.into_iter().map(|(k, v)| vec![k, v]).collect(),
        none,
    }
}

/// The page.
pub fn html(e: &AccessExtract, lang: Lang) -> String {
    let t = Tr::new(lang);
    let j = e.to_json();
    let p = &j["participant"];
    let name = p["name"].as_str().unwrap_or_default().to_owned();
    let you: Vec<(String, String)> = [
        "name",
        "participant_id",
        "program_id",
        "coach_id",
        "referral_source",
        "referred_on",
        "enrolled_on",
        "employed_at_entry",
        "exited_on",
        "exit_reason",
    ]
    .iter()
    .map(|c| (header(&t, c), cell(&t, &j, c, &p[*c])))
    .collect();
    let mut sections = vec![pairs(
        "participant",
        t.t("extract-participant"),
        you,
        String::new(),
    )];
    sections.push(records(
        &t,
        &j,
        "goals",
        &["set_on", "text", "occupation_code", "hours_per_week"],
    ));
    let goal_text = |id: &str| {
        j["goals"]
            .as_array()
            .and_then(|a| a.iter().find(|g| g["goal_id"] == id))
            .and_then(|g| g["text"].as_str())
            .unwrap_or(id)
            .to_owned()
    };
    sections.push(Section {
        id: "goal_changes",
        title: t.t("extract-goal-changes"),
        headers: vec![
            t.t("extract-when"),
            t.t("extract-goal-now"),
            t.t("extract-goal-before"),
            t.t("extract-goal-after"),
            t.t("extract-by"),
        ],
        rows: j["goal_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                vec![
                    c["changed_at"].as_str().unwrap_or_default().to_owned(),
                    goal_text(c["goal_id"].as_str().unwrap_or_default()),
                    c["old_text"].as_str().unwrap_or_default().to_owned(),
                    c["new_text"].as_str().unwrap_or_default().to_owned(),
                    t.t(if c["by_participant"] == true {
                        "extract-by-you"
                    } else {
                        "extract-by-staff"
                    }),
                ]
            })
            .collect(),
        none: t.t("extract-none"),
    });
    sections.push(records(
        &t,
        &j,
        "meetings",
        &["date", "place", "minutes", "coach_id", "note"],
    ));
    sections.push(records(
        &t,
        &j,
        "next_steps",
        &["agreed_on", "text", "owner", "due_on", "done_on"],
    ));
    sections.push(records(
        &t,
        &j,
        "jobs",
        &[
            "kind",
            "title",
            "employer_id",
            "started_on",
            "ended_on",
            "end_reason",
            "hours_per_week",
            "hourly_wage",
            "occupation_code",
        ],
    ));
    sections.push(records(
        &t,
        &j,
        "benefits_planning",
        &["date", "status", "trained_planner"],
    ));
    sections.push(records(
        &t,
        &j,
        "employer_contacts",
        &[
            "date",
            "employer_id",
            "made_by",
            "coach_id",
            "face_to_face",
            "purpose",
        ],
    ));
    sections.push(records(
        &t,
        &j,
        "check_ins",
        &[
            "date", "person", "heard", "goal", "overall", "sharing", "words",
        ],
    ));
    sections.push(Section {
        id: "coach_changes",
        title: t.t("extract-coach-changes"),
        headers: vec![
            header(&t, "date"),
            t.t("extract-coach-from"),
            t.t("extract-coach-to"),
        ],
        rows: j["coach_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                vec![
                    c["on"].as_str().unwrap_or_default().to_owned(),
                    cell(&t, &j, "coach_id", &c["from_coach_id"]),
                    cell(&t, &j, "coach_id", &c["to_coach_id"]),
                ]
            })
            .collect(),
        none: t.t("extract-coach-changes-none"),
    });
    let dates = |k: &str| {
        j[k].as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut other = vec![
        (
            t.t("extract-planned-meeting"),
            j["planned_meeting"].as_str().unwrap_or("–").to_owned(),
        ),
        (t.t("extract-talk-requests"), dates("talk_requests")),
    ];
    for a in j["accounts"].as_array().into_iter().flatten() {
        other.push((
            t.t("extract-account"),
            t.args(
                "extract-account-line",
                &[
                    ("login", a["login"].as_str().unwrap_or_default().to_owned()),
                    (
                        "created",
                        a["created_at"].as_str().unwrap_or_default().to_owned(),
                    ),
                    (
                        "disabled",
                        a["disabled_at"].as_str().unwrap_or("–").to_owned(),
                    ),
                ],
            ),
        ));
    }
    for i in j["invitations"].as_array().into_iter().flatten() {
        let s = |k: &str| i[k].as_str().unwrap_or("–").to_owned();
        other.push((
            t.t("extract-invitation"),
            t.args(
                "extract-invitation-line",
                &[
                    ("created", s("created_at")),
                    ("expires", s("expires_at")),
                    ("used", s("used_at")),
                    ("withdrawn", s("withdrawn_at")),
                ],
            ),
        ));
    }
    sections.push(pairs("other", t.t("extract-other"), other, String::new()));
    sections.push(Section {
        id: "corrections",
        title: t.t("extract-corrections"),
        headers: vec![
            t.t("extract-when"),
            t.t("extract-by"),
            t.t("extract-role"),
            t.t("extract-record"),
            t.t("extract-change"),
            t.t("extract-reason"),
        ],
        rows: j["corrections"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let (name, role) = who(&t, &c["by"]);
                vec![
                    c["at"].as_str().unwrap_or_default().to_owned(),
                    name,
                    role,
                    t.t(&format!(
                        "extract-record-{}",
                        c["record"].as_str().unwrap_or_default().replace('_', "-")
                    )),
                    change(&t, &j, c),
                    c["reason"].as_str().unwrap_or_default().to_owned(),
                ]
            })
            .collect(),
        none: t.t("extract-corrections-none"),
    });
    sections.push(Section {
        id: "audit_log",
        title: t.t("extract-log"),
        headers: vec![
            t.t("extract-when"),
            t.t("extract-by"),
            t.t("extract-role"),
            t.t("extract-what"),
        ],
        rows: j["audit_log"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                let (name, role) = who(&t, &l["by"]);
                vec![
                    l["at"].as_str().unwrap_or_default().to_owned(),
                    name,
                    role,
                    action(&t, l["action"].as_str().unwrap_or_default()),
                ]
            })
            .collect(),
        none: t.t("extract-none"),
    });
    let reference = e.reference.clone().unwrap_or_else(|| "–".into());
    Page {
        t,
        css: DOCUMENT_CSS,
        title: t.a("extract-title", "name", &name),
        intro: t.t("extract-intro"),
        made: t.args(
            "extract-made",
            &[("at", e.made_at.clone()), ("reference", reference)],
        ),
        sections,
    }
    .render()
    .expect("the extract's template renders")
}
