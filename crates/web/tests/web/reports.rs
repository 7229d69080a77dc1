//! Outcome reports in the web (`/reports/outcomes`, its CSV and XLSX): the figures are
//! `fika outcomes --format json`'s for the same program, quarter and caseload, on both
//! backends; a lead sees their own program, a coach their own caseload and no other
//! coach's, an evaluator every program and no participant's name; English and Swedish.

use std::path::PathBuf;

use reqwest::StatusCode;
use serde_json::Value;

use super::helpers::*;

/// Jobs that make the fixture's figures worth comparing: in 2026Q1, A1 (C1's) holds a
/// competitive job, A2 (C2's) a subsidised one; B1 (program P2) a placement. A3 (C1's) has
/// none. In 2025Q4 nobody was enrolled yet.
pub async fn add_jobs(app: &TestApp) {
    for (login, p, kind, title, employer, start) in [
        (
            "coach1",
            "A1",
            "competitive",
            "Stable hand",
            Some("E1"),
            "2026-01-20",
        ),
        (
            "coach2",
            "A2",
            "subsidized",
            "Kitchen help",
            Some("E1"),
            "2026-02-01",
        ),
        ("coach3", "B1", "placement", "Library", None, "2026-02-03"),
    ] {
        let c = signed_in(app, login).await;
        let mut form = vec![("kind", kind), ("title", title), ("started_on", start)];
        if let Some(e) = employer {
            form.push(("employer", e));
        }
        let r = c.post(&format!("/participants/{p}/jobs"), &form).await;
        assert_eq!(
            r.status(),
            StatusCode::SEE_OTHER,
            "{}: job of {p}",
            app.backend
        );
    }
}

/// The `fika` binary beside this test's (built by `cargo test --workspace`, and by
/// `cargo build -p fika-cli`).
fn fika_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("fika");
    bin.exists().then_some(bin)
}

/// `fika outcomes ARGS --format json` on the app's database, one object per line. Without
/// the binary, the core's own objects, which are what the command prints (METRICS.md's
/// `outcomes --format json`), computed by the calls the command makes.
pub async fn cli_json(app: &TestApp, args: &[&str]) -> Vec<Value> {
    if let Some(bin) = fika_binary() {
        let url = app.url.clone();
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(bin)
                .arg("--db")
                .arg(&url)
                .arg("outcomes")
                .args(&args)
                .args(["--format", "json"])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(
            out.status.success(),
            "fika outcomes: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED (no fika binary beside the tests; `cargo build -p fika-cli`): running `fika outcomes` itself; compared with the core's JSON instead"
    );
    core_json(app, args).await
}

async fn core_json(app: &TestApp, args: &[&str]) -> Vec<Value> {
    use fika_core::fidelity::ProgramRecords;
    use fika_core::outcomes::{Quarter, coach_outcomes, outcome_series};
    let arg = |name: &str| {
        args.iter()
            .position(|a| *a == name)
            .map(|i| args[i + 1].to_owned())
    };
    if args.contains(&"--all") {
        let first = Quarter::parse(&arg("--quarter").unwrap()).unwrap();
        let store = app.store.clone();
        return tokio::task::spawn_blocking(move || {
            let kept = store.outcomes_by_program(&[first]).unwrap();
            vec![
                serde_json::to_value(fika_core::outcomes::group_outcomes(first, kept[0].values()))
                    .unwrap(),
            ]
        })
        .await
        .unwrap();
    }
    let program: fika_core::ProgramId = arg("--program").unwrap().parse().unwrap();
    let first = Quarter::parse(&arg("--quarter").unwrap()).unwrap();
    let last = arg("--through").map_or(first, |q| Quarter::parse(&q).unwrap());
    let coach: Option<fika_core::CoachId> = arg("--coach").map(|c| c.parse().unwrap());
    let store = app.store.clone();
    tokio::task::spawn_blocking(move || {
        let (participants, jobs) = store.participants_and_jobs(Some(&program)).unwrap();
        let recs = ProgramRecords::people_and_jobs(&program, &participants, &jobs);
        let quarters = first.through(last);
        match coach {
            Some(c) => quarters
                .iter()
                .map(|q| serde_json::to_value(coach_outcomes(&recs, &c, *q)).unwrap())
                .collect(),
            None => outcome_series(&recs, &quarters)
                .into_iter()
                .map(|o| serde_json::to_value(o).unwrap())
                .collect(),
        }
    })
    .await
    .unwrap()
}

/// The figures' names in the order of every outcomes table's last 13 columns.
const FIGURES: [&str; 13] = [
    "served",
    "working_competitive",
    "employment_rate",
    "working_paid",
    "paid_employment_rate",
    "served_not_employed_at_entry",
    "working_competitive_not_employed_at_entry",
    "employment_rate_not_employed_at_entry",
    "job_starts",
    "first_job_starts",
    "in_education",
    "enrolled",
    "exited",
];

/// One row of a table on the page: its cells, each the exact value of a number (the
/// `<data value>` beside the shown one) or the text shown.
type Row = Vec<String>;

/// The rows of the table whose caption is `caption`.
pub fn table_rows(page: &str, caption: &str) -> Vec<Row> {
    let at = page
        .find(&format!("<caption>{caption}</caption>"))
        .unwrap_or_else(|| panic!("no table {caption:?} in {page}"));
    let table = &page[at..page[at..].find("</table>").unwrap() + at];
    let body = &table[table.find("<tbody>").unwrap()..];
    body.split("<tr>")
        .skip(1)
        .map(|tr| {
            let tr = tr.split("</tr>").next().unwrap();
            let mut cells = Vec::new();
            let mut rest = tr;
            while let Some(open) = rest.find(['<']) {
                let tag = &rest[open..];
                if !(tag.starts_with("<td") || tag.starts_with("<th")) {
                    rest = &rest[open + 1..];
                    continue;
                }
                let content_at = tag.find('>').unwrap() + 1;
                let close = tag.find("</t").unwrap();
                let inner = &tag[content_at..close];
                let value = match inner.find("<data value=\"") {
                    Some(d) => {
                        let v = &inner[d + "<data value=\"".len()..];
                        v[..v.find('"').unwrap()].to_owned()
                    }
                    None => inner.to_owned(),
                };
                cells.push(value);
                rest = &tag[close + 4..];
            }
            cells
        })
        .collect()
}

/// A row's 13 figures as JSON values: counts as numbers, rates as numbers or null (`–`).
fn figures_of(row: &Row) -> Vec<Value> {
    row[row.len() - 13..]
        .iter()
        .map(|c| {
            if c == "–" {
                Value::Null
            } else {
                serde_json::from_str::<Value>(c).unwrap_or_else(|_| panic!("{c:?} in {row:?}"))
            }
        })
        .collect()
}

fn json_figures(o: &Value) -> Vec<Value> {
    FIGURES.iter().map(|k| o[*k].clone()).collect()
}

/// Numbers compared as numbers: a rate of 0 is written `0` on the page and `0.0` by JSON.
fn numbers(v: &[Value]) -> Vec<Option<f64>> {
    v.iter().map(Value::as_f64).collect()
}

/// The figures of a CSV download's line, by the header's keys.
fn csv_lines(csv: &str) -> Vec<serde_json::Map<String, Value>> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split(','))
                .map(|(k, v)| {
                    let v = if v.is_empty() {
                        Value::Null
                    } else {
                        serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_owned()))
                    };
                    ((*k).to_owned(), v)
                })
                .collect()
        })
        .collect()
}

fn assert_same(backend: &str, what: &str, page: &[Value], cli: &Value) {
    assert!(
        page.iter().all(|v| v.is_number() || v.is_null()),
        "{page:?}"
    );
    assert_eq!(
        numbers(page),
        numbers(&json_figures(cli)),
        "{backend}: {what}: the page's figures against `fika outcomes`' {cli}"
    );
}

/// The workbook's "By quarter" sheet holds the figures as numbers (rates as fractions),
/// the chart's numbers have a sheet, and the About sheet names the rules version and date.
fn xlsx_holds(bytes: &[u8], cli: &[Value], backend: &str) {
    use calamine::{Data, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX");
    let names = book.sheet_names();
    assert_eq!(
        names,
        ["By quarter", "By coach", "rates", "About"],
        "{backend}"
    );
    let range = book.worksheet_range("By quarter").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let col = |label: &str| header.iter().position(|h| h == label).unwrap();
    for (row, o) in rows.zip(cli) {
        assert_eq!(
            row[col("Quarter")],
            Data::String(o["quarter"].as_str().unwrap().into())
        );
        assert_eq!(
            row[col("Served")],
            Data::Float(o["served"].as_f64().unwrap()),
            "{backend}: served is a number"
        );
        match o["employment_rate"].as_f64() {
            Some(r) => assert_eq!(row[col("Competitive employment rate")], Data::Float(r)),
            None => assert_eq!(row[col("Competitive employment rate")], Data::Empty),
        }
    }
    let about = book.worksheet_range("About").unwrap();
    assert_eq!(
        about.get_value((2, 2)),
        Some(&Data::Float(1.0)),
        "rules version"
    );
    assert!(
        matches!(about.get_value((3, 2)), Some(Data::DateTime(_))),
        "the date is a date: {:?}",
        about.get_value((3, 2))
    );
}

#[tokio::test]
async fn a_leads_outcomes_are_the_clis_by_quarter_and_by_coach() {
    for app in spawn_apps("a_leads_outcomes_are_the_clis_by_quarter_and_by_coach").await {
        add_jobs(&app).await;
        let lead = signed_in(&app, "lead1").await;
        let (status, page) = lead
            .text("/reports/outcomes?from=2025Q4&quarter=2026Q1")
            .await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let cli = cli_json(
            &app,
            &[
                "--program",
                "P1",
                "--quarter",
                "2025Q4",
                "--through",
                "2026Q1",
            ],
        )
        .await;
        let rows = table_rows(&page, "By quarter");
        assert_eq!(rows.len(), 2, "{}: two quarters: {rows:?}", app.backend);
        for (row, o) in rows.iter().zip(&cli) {
            assert_eq!(row[0], "P1");
            assert!(row.contains(&o["quarter"].as_str().unwrap().to_owned()));
            assert_same(app.backend, "P1 by quarter", &figures_of(row), o);
        }
        // The figures are not trivially equal: in 2026Q1 three were served, one in
        // competitive work (33.3 %), two in paid work (66.7 %).
        assert_eq!(cli[1]["served"], 3);
        assert_eq!(cli[1]["working_competitive"], 1);
        assert_eq!(cli[1]["employment_rate"], 0.3333);
        assert_eq!(cli[1]["paid_employment_rate"], 0.6667);
        assert!(page.contains("33.3 %") && page.contains("66.7 %"));
        // Each coach's caseload in the quarter, as `fika outcomes --coach C`.
        let rows = table_rows(&page, "By coach");
        assert_eq!(rows.len(), 2, "{}: {rows:?}", app.backend);
        for coach in ["C1", "C2"] {
            let row = rows
                .iter()
                .find(|r| r[1] == coach)
                .unwrap_or_else(|| panic!("{coach} in {rows:?}"));
            let cli = cli_json(
                &app,
                &["--program", "P1", "--coach", coach, "--quarter", "2026Q1"],
            )
            .await;
            assert!(row.contains(&coach.to_owned()), "{row:?}");
            assert_same(app.backend, coach, &figures_of(row), &cli[0]);
        }
        // The chart: its title and description, the benchmarks labelled as such, and its
        // numbers in a table beside it.
        assert!(page.contains("<svg") && page.contains("role=\"img\""));
        assert!(page.contains("<desc id=\"rates-desc\">"));
        for b in ["IPS minimal 31 %", "IPS average 41 %", "IPS excellent 50 %"] {
            assert!(page.contains(b), "{}: benchmark {b}", app.backend);
        }
        assert!(page.contains("IPS Employment Center"));
        assert!(page.contains("US learning-community programs"));
        let chart = table_rows(&page, "Göteborg IPS: employment rates by quarter");
        assert_eq!(chart[1][1], "0.3333");
        assert_eq!(chart[1][2], "0.6667");
        assert_eq!(chart[1][3], "0.31");
        // Figures only: no participant's name.
        for name in ["Amal", "Aron", "Alva", "Bertil"] {
            assert!(!page.contains(name), "{}: {name} on the page", app.backend);
        }
        // Nothing of another program, even asked for by hand.
        assert!(!page.contains("Malmö") && !page.contains(">P2<"));
        let (status, asked) = lead
            .text("/reports/outcomes?from=2025Q4&quarter=2026Q1&program=P2&sort=served")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!asked.contains("Malmö") && !asked.contains(">P2<"));
        assert_eq!(
            table_rows(&asked, "By quarter"),
            table_rows(&page, "By quarter")
        );
        let csv = lead
            .get("/reports/outcomes.csv?quarter=2026Q1&program=P2")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            csv_lines(&csv).iter().all(|l| l["program"] == "P1"),
            "{csv}"
        );

        // The downloads hold the same figures: CSV (every line) and XLSX.
        let r = lead
            .get("/reports/outcomes.csv?from=2025Q4&quarter=2026Q1")
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()["content-type"].to_str().unwrap(),
            "text/csv; charset=utf-8"
        );
        let csv = r.text().await.unwrap();
        let lines = csv_lines(&csv);
        assert_eq!(lines.len(), 4, "two quarters and two coaches: {csv}");
        for (line, o) in lines.iter().zip(&cli) {
            for k in FIGURES {
                assert_eq!(line[k].as_f64(), o[k].as_f64(), "{}: CSV {k}", app.backend);
            }
        }
        let r = lead
            .get("/reports/outcomes.xlsx?from=2025Q4&quarter=2026Q1")
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap().to_vec();
        xlsx_holds(&bytes, &cli, app.backend);
    }
}

#[tokio::test]
async fn a_coach_sees_their_own_caseload_and_no_other_coachs() {
    for app in spawn_apps("a_coach_sees_their_own_caseload_and_no_other_coachs").await {
        add_jobs(&app).await;
        for (login, coach) in [("coach1", "C1"), ("coach2", "C2")] {
            let c = signed_in(&app, login).await;
            let (status, page) = c.text("/reports/outcomes?from=2025Q4&quarter=2026Q1").await;
            assert_eq!(status, StatusCode::OK, "{page}");
            let cli = cli_json(
                &app,
                &[
                    "--program",
                    "P1",
                    "--coach",
                    coach,
                    "--quarter",
                    "2025Q4",
                    "--through",
                    "2026Q1",
                ],
            )
            .await;
            let rows = table_rows(&page, "By quarter");
            assert_eq!(rows.len(), 2);
            for (row, o) in rows.iter().zip(&cli) {
                assert!(row.contains(&coach.to_owned()), "{row:?}");
                assert_same(app.backend, coach, &figures_of(row), o);
            }
            // Never another coach's figures, nor the program's, nor a ranking.
            let other = if coach == "C1" { "C2" } else { "C1" };
            assert!(
                !page.contains(&format!(">{other}<")),
                "{other} on {login}'s page"
            );
            assert!(!page.contains("By coach"));
            for name in ["Amal", "Aron", "Alva", "Bertil"] {
                assert!(!page.contains(name), "{name} on {login}'s page");
            }
            // A program or sort asked for by hand changes nothing.
            let (_, asked) = c
                .text("/reports/outcomes?from=2025Q4&quarter=2026Q1&program=P2&sort=served")
                .await;
            assert_eq!(
                table_rows(&asked, "By quarter"),
                rows,
                "{login} asked for P2"
            );
            let csv = c
                .get("/reports/outcomes.csv?from=2025Q4&quarter=2026Q1")
                .await
                .text()
                .await
                .unwrap();
            let lines = csv_lines(&csv);
            assert_eq!(lines.len(), 2, "{csv}");
            assert!(lines.iter().all(|l| l["coach"] == coach));
        }
        // C1 has two participants (A1 working, A3 not): 50 %; C2 has one (A2, paid only).
        let cli = cli_json(
            &app,
            &["--program", "P1", "--coach", "C1", "--quarter", "2026Q1"],
        )
        .await;
        assert_eq!(cli[0]["served"], 2);
        assert_eq!(cli[0]["employment_rate"], 0.5);
    }
}

#[tokio::test]
async fn an_evaluator_sees_every_program_side_by_side_sorted_and_filtered() {
    for app in spawn_apps("an_evaluator_sees_every_program_side_by_side_sorted_and_filtered").await
    {
        add_jobs(&app).await;
        run_sql(
            &app,
            "UPDATE program SET organisation = 'Region Väst' WHERE program_id = 'P1'",
        )
        .await;
        let ev = signed_in(&app, "evaluator").await;
        let (status, page) = ev.text("/reports/outcomes?quarter=2026Q1").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let caption = "Programs 2026Q1";
        let rows = table_rows(&page, caption);
        assert_eq!(rows.len(), 2, "{rows:?}");
        for row in &rows {
            let p = row[0].clone();
            let cli = cli_json(&app, &["--program", &p, "--quarter", "2026Q1"]).await;
            assert_same(app.backend, &p, &figures_of(row), &cli[0]);
        }
        // The programs together, as `fika outcomes --all`.
        let together = table_rows(&page, "Together");
        assert_eq!(together[0][0], "2 programs together");
        let all = cli_json(&app, &["--all", "--quarter", "2026Q1"]).await;
        assert_eq!(all[0]["served"], 4);
        assert_same(app.backend, "together", &figures_of(&together[0]), &all[0]);
        // Sorted on the server by the competitive rate, highest first: P1 (33.3 %) before
        // P2 (0 %); ascending, the other way round.
        let (_, desc) = ev
            .text("/reports/outcomes?quarter=2026Q1&sort=employment_rate&desc=true")
            .await;
        let order = |page: &str| -> Vec<String> {
            table_rows(page, caption)
                .into_iter()
                .map(|r| r[0].clone())
                .collect()
        };
        assert_eq!(order(&desc), ["P1", "P2"]);
        assert!(desc.contains("aria-sort=\"descending\""));
        let (_, asc) = ev
            .text("/reports/outcomes?quarter=2026Q1&sort=employment_rate")
            .await;
        assert_eq!(order(&asc), ["P2", "P1"]);
        // The heading links sort by their column, keeping the quarter.
        assert!(
            asc.contains(
                "href=\"/reports/outcomes?quarter=2026Q1&amp;sort=employment_rate&amp;desc=true\""
            ),
            "{asc}"
        );
        // An unknown column leaves the order as it is.
        let (status, odd) = ev
            .text("/reports/outcomes?quarter=2026Q1&sort=nonsense")
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(order(&odd), ["P1", "P2"]);
        // Filtered by organisation.
        let (_, west) = ev
            .text("/reports/outcomes?quarter=2026Q1&organisation=Region+V%C3%A4st")
            .await;
        assert_eq!(order(&west), ["P1"]);
        assert_eq!(table_rows(&west, "Together")[0][0], "1 program");
        assert_same(
            app.backend,
            "Region Väst together",
            &figures_of(&table_rows(&west, "Together")[0]),
            &cli_json(&app, &["--program", "P1", "--quarter", "2026Q1"]).await[0],
        );
        let csv = ev
            .get("/reports/outcomes.csv?quarter=2026Q1&organisation=Region+V%C3%A4st&sort=served")
            .await
            .text()
            .await
            .unwrap();
        let lines = csv_lines(&csv);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["organisation"], "Region Väst");
        // One program's quarters, with its chart.
        let (status, one) = ev
            .text("/reports/outcomes?program=P1&from=2025Q4&quarter=2026Q1")
            .await;
        assert_eq!(status, StatusCode::OK);
        let cli = cli_json(
            &app,
            &[
                "--program",
                "P1",
                "--quarter",
                "2025Q4",
                "--through",
                "2026Q1",
            ],
        )
        .await;
        for (row, o) in table_rows(&one, "By quarter").iter().zip(&cli) {
            assert_same(app.backend, "P1 for the evaluator", &figures_of(row), o);
        }
        assert!(one.contains("IPS average 41 %"));
        // Coaches are not ranked on it, and no participant is named anywhere.
        assert!(!one.contains("By coach"));
        for p in [&page, &desc, &one, &csv] {
            for name in ["Amal", "Aron", "Alva", "Bertil"] {
                assert!(!p.contains(name), "{}: {name}", app.backend);
            }
        }
        assert_eq!(
            ev.get("/reports/outcomes?program=P9").await.status(),
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn outcomes_in_swedish_and_bad_quarters_explained() {
    let app = spawn_app().await;
    add_jobs(&app).await;
    let mut lead = signed_in(&app, "lead1").await;
    let r = lead.post("/language", &[("locale", "sv")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    lead.refresh_csrf().await;
    let (status, page) = lead.text("/reports/outcomes?quarter=2026Q1").await;
    assert_eq!(status, StatusCode::OK);
    for sv in [
        "Resultat för Göteborg IPS",
        "Andel i konkurrensutsatt arbete",
        "IPS medel 41 %",
        "33,3 %",
        "Per kvartal",
        "Ladda ner",
        "regelversion 1",
    ] {
        assert!(page.contains(sv), "{sv}: {page}");
    }
    for en in ["Competitive employment rate", "By quarter", "Download"] {
        assert!(!page.contains(en), "English {en:?} on the Swedish page");
    }
    let csv = lead
        .get("/reports/outcomes.csv?quarter=2026Q1")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.starts_with("program,program_name,organisation,coach,"),
        "{csv}"
    );
    let (status, bad) = lead.text("/reports/outcomes?quarter=2026Q5").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.contains("2026Q5") && bad.contains("är inget kvartal"),
        "{bad}"
    );
    let (status, bad) = lead
        .text("/reports/outcomes?from=2026Q2&quarter=2026Q1")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.contains("2026Q2"), "{bad}");
    let (status, _) = lead
        .text("/reports/outcomes?from=2000Q1&quarter=2026Q1")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_outcomes_page_keeps_the_csp_and_prints_without_navigation() {
    let app = spawn_app().await;
    let lead = signed_in(&app, "lead1").await;
    let r = lead.get("/reports/outcomes?quarter=2026Q1").await;
    assert_eq!(
        r.headers()["content-security-policy"].to_str().unwrap(),
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    );
    let page = r.text().await.unwrap();
    // No inline script or style that the policy would block.
    assert!(!page.contains("style=") && !page.contains("<style"));
    assert_eq!(page.matches("<script").count(), 1, "htmx only");
    assert!(page.contains("class=\"print-footer\""));
    let css = lead.get("/assets/fika.css").await.text().await.unwrap();
    assert!(css.contains("@media print") && css.contains("size: A4"));
}

/// A text cell beginning like a formula is neutralised in the CSV download.
#[tokio::test]
async fn a_formula_in_a_program_name_is_neutralised_in_the_csv() {
    let app = spawn_app().await;
    run_sql(
        &app,
        "UPDATE program SET name = '=HYPERLINK(\"http://x\")' WHERE program_id = 'P2'",
    )
    .await;
    let ev = signed_in(&app, "evaluator").await;
    let csv = ev
        .get("/reports/outcomes.csv?quarter=2026Q1")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("P2,\"'=HYPERLINK(\"\"http://x\"\")\""),
        "{csv}"
    );
}
