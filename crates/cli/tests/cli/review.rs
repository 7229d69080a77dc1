//! `fika review`: a fidelity review from start to band, kept on both backends.

use serde_json::Value;

use crate::{Database, fika_fails, fika_ok};

const ITEMS: [&str; 25] = [
    "S1", "S2", "S3", "O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8", "V1", "V2", "V3", "V4", "V5",
    "V6", "V7", "V8", "V9", "V10", "V11", "V12", "V13", "V14",
];

fn a_review_from_start_to_band(db: &Database) {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/worked-example");
    fika_ok(&["--db", &db.url, "import", example]);
    let url = db.url.as_str();
    let created = fika_ok(&[
        "--db",
        url,
        "review",
        "create",
        "--program",
        "P1",
        "--at",
        "2025-06-30",
        "--type",
        "external",
        "--reviewer",
        "Anna Berg",
        "--reviewer",
        "Bo Lind",
    ]);
    assert!(created.contains("Created review R1"), "{created}");

    // Computed items arrive pre-filled with fika's value and suggested score.
    let json: Value = serde_json::from_str(&fika_ok(&[
        "--db", url, "review", "show", "R1", "--format", "json",
    ]))
    .unwrap();
    let s1 = &json["items"][0];
    assert_eq!(s1["id"], "S1");
    assert_eq!(s1["computed"]["value"], 3.0);
    assert_eq!(s1["computed"]["suggested_score"], 5);
    assert!(
        json["items"][1]["computed"].is_null(),
        "S2 is scored by reviewers"
    );

    // Both reviewers rate every item; they agree on 4 everywhere but V14 (cannot rate → 3).
    for item in ITEMS {
        for (reviewer, score) in [
            ("Anna Berg", "4"),
            ("Bo Lind", if item == "O1" { "5" } else { "4" }),
        ] {
            fika_ok(&[
                "--db",
                url,
                "review",
                "rate",
                "R1",
                "--item",
                item,
                "--reviewer",
                reviewer,
                "--score",
                score,
                "--rationale",
                "seen at the visit, åäö",
            ]);
        }
    }
    for item in &ITEMS[..24] {
        fika_ok(&[
            "--db", url, "review", "agree", "R1", "--item", item, "--score", "4",
        ]);
    }
    let open = fika_ok(&["--db", url, "review", "list", "--program", "P1"]);
    assert!(open.contains("24 of 25 items agreed"), "{open}");
    let last = fika_ok(&[
        "--db", url, "review", "agree", "R1", "--item", "V14", "--score", "3",
    ]);
    // 24 × 4 + 3 = 99: the top of "fair".
    assert!(last.contains("total 99 of 125: fair"), "{last}");

    let table = fika_ok(&["--db", url, "review", "show", "R1"]);
    assert!(
        table.contains("same rating on 24 of the 25 items"),
        "{table}"
    );
    let csv = fika_ok(&["--db", url, "review", "show", "R1", "--format", "csv"]);
    assert!(
        csv.contains("S1,3,5,Anna Berg,4,\"seen at the visit, åäö\""),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 25 * 3);

    // A second review makes a trend.
    fika_ok(&[
        "--db",
        url,
        "review",
        "create",
        "--program",
        "P1",
        "--at",
        "2025-12-31",
        "--type",
        "self",
        "--reviewer",
        "Anna Berg",
        "--reviewer",
        "Cecilia Ek",
    ]);
    let trend: Value = serde_json::from_str(&fika_ok(&[
        "--db",
        url,
        "review",
        "list",
        "--program",
        "P1",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(trend[0]["date"], "2025-06-30");
    assert_eq!(trend[0]["total"]["total"], 99);
    assert_eq!(trend[0]["total"]["band"], "fair");
    assert_eq!(trend[1]["total"]["status"], "incomplete");
}

#[test]
fn review_on_sqlite() {
    a_review_from_start_to_band(&Database::sqlite());
}

#[test]
fn review_on_postgres() {
    if let Some(db) = Database::postgres("review_on_postgres") {
        a_review_from_start_to_band(&db);
    }
}

#[test]
fn review_mistakes_are_refused_and_explained() {
    let db = Database::sqlite();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/worked-example");
    fika_ok(&["--db", &db.url, "import", example]);
    let url = db.url.as_str();
    let create = [
        "--db",
        url,
        "review",
        "create",
        "--program",
        "P1",
        "--at",
        "2025-06-30",
        "--type",
        "self",
    ];
    fika_fails(
        &[&create[..], &["--reviewer", "Anna"]].concat(),
        "at least two reviewers",
    );
    fika_fails(
        &[&create[..], &["--reviewer", "Anna", "--reviewer", "Anna"]].concat(),
        "listed twice",
    );
    fika_fails(
        &[
            "--db",
            url,
            "review",
            "create",
            "--program",
            "P9",
            "--at",
            "2025-06-30",
            "--type",
            "self",
            "--reviewer",
            "A",
            "--reviewer",
            "B",
        ],
        "no program with program_id P9",
    );
    fika_ok(&[&create[..], &["--reviewer", "Anna", "--reviewer", "Bo"]].concat());
    fika_fails(
        &[
            "--db",
            url,
            "review",
            "rate",
            "R1",
            "--item",
            "S1",
            "--reviewer",
            "Cecilia",
            "--score",
            "4",
        ],
        "not a reviewer of R1",
    );
    fika_fails(
        &[
            "--db",
            url,
            "review",
            "rate",
            "R1",
            "--item",
            "S1",
            "--reviewer",
            "Anna",
            "--score",
            "6",
        ],
        "6",
    );
    fika_fails(
        &[
            "--db",
            url,
            "review",
            "rate",
            "R1",
            "--item",
            "X1",
            "--reviewer",
            "Anna",
            "--score",
            "4",
        ],
        "S1–S3, O1–O8 or V1–V14",
    );
    fika_fails(
        &["--db", url, "review", "show", "R7"],
        "there is no review R7",
    );
    // Nothing above changed the review.
    let json: Value = serde_json::from_str(&fika_ok(&[
        "--db", url, "review", "show", "R1", "--format", "json",
    ]))
    .unwrap();
    assert!(
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["ratings"].as_array().unwrap().is_empty())
    );
}
