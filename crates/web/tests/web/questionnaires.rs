//! Questionnaires in the web: the evaluator imports a REDCap data dictionary, binds a
//! question to a figure and sends a round; a lead answers over two sittings, is refused a
//! change made on an old version with both values shown, and submits; the evaluator sees
//! the results and downloads them. Each role reaches only its part.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use super::helpers::*;

const DICTIONARY: &str = "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,\
\"Choices, Calculations, OR Slider Labels\",Field Note,Text Validation Type OR Show Slider Number,\
Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),\
Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,\
Field Annotation
coaches,survey,Staff,text,Number of job coaches,,,integer,0,,,,y,,,,,
team,survey,,radio,Integrated with a treatment team?,\"1, Yes | 0, No\",,,,,,,y,,,,,
why,survey,,notes,Why not?,,,,,,,[team] = '0',y,,,,,
";

async fn upload(c: &Client, name: &str, text: &str) -> reqwest::Response {
    let form = Form::new()
        .text("csrf", c.csrf.clone())
        .text("lang", "en")
        .part(
            "file",
            Part::text(text.to_owned()).file_name(name.to_owned()),
        );
    c.http
        .post(format!("{}/questionnaires", c.base))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// The value of the hidden version field of a question on the answering page.
fn version_of(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"v_{name}\" value=\"")).unwrap()
        + format!("name=\"v_{name}\" value=\"").len();
    page[at..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_round_from_dictionary_to_results() {
    for app in spawn_apps("a_round_from_dictionary_to_results").await {
        let ev = signed_in(&app, "evaluator").await;
        // A dictionary with a calculated field is refused, naming its line; nothing is kept.
        let bad = DICTIONARY.replace("why,survey,,notes", "why,survey,,calc");
        let r = upload(&ev, "bad.csv", &bad).await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        let page = r.text().await.unwrap();
        assert!(
            page.contains("bad.csv: line 4, column &#34;Field Type&#34;, value &#34;calc&#34;"),
            "{page}"
        );
        let r = upload(&ev, "programs_2026.csv", DICTIONARY).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&r), "/questionnaires/QN1");
        let (_, page) = ev.text("/questionnaires/QN1").await;
        assert!(page.contains("Number of job coaches"), "{page}");

        // Bind "coaches" to the coaches in post, then send the round to both programs.
        let r = ev
            .post(
                "/questionnaires/QN1/bind",
                &[("question", "coaches"), ("figure", "coaches")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = ev
            .post(
                "/questionnaires/QN1/send",
                &[
                    ("title", "Spring 2026"),
                    ("reference_date", "2026-03-01"),
                    ("deadline", "2026-03-31"),
                    ("program", "P1"),
                    ("program", "P2"),
                ],
            )
            .await;
        assert_eq!(location(&r), "/rounds/QR1");
        // Frozen once sent.
        let r = ev
            .post(
                "/questionnaires/QN1/bind",
                &[("question", "coaches"), ("figure", "")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // The lead sees the round on their list and fika's figure (2 coaches in P1).
        let mut lead = signed_in(&app, "lead1").await;
        let (_, mine) = lead.text("/questionnaires").await;
        assert!(mine.contains("/rounds/QR1/answer"), "{mine}");
        // … and on their start page, until the program has submitted.
        let (_, start) = lead.text("/program").await;
        assert!(start.contains("Questionnaires to answer"), "{start}");
        assert!(
            start.contains("href=\"/rounds/QR1/answer\">Spring 2026</a>"),
            "{start}"
        );
        let (status, page) = lead.text("/rounds/QR1/answer").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("fika&#39;s figure: 2."), "{page}");
        assert!(
            !page.contains("name=\"a_why\""),
            "why is hidden until team is 0"
        );

        // First sitting: a bad number is refused beside its field, kept as typed; the rest is saved.
        let r = lead
            .post(
                "/rounds/QR1/answer",
                &[
                    ("v_coaches", "0"),
                    ("a_coaches", "two"),
                    ("v_team", "0"),
                    ("a_team", "0"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("Write a number"), "{page}");
        assert!(page.contains("value=\"two\""), "what was typed is kept");
        // Changing fika's figure needs a comment.
        let r = lead
            .post(
                "/rounds/QR1/answer",
                &[
                    ("v_coaches", "0"),
                    ("a_coaches", "3"),
                    ("v_team", "1"),
                    ("a_team", "0"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("say why in the comment"));
        let r = lead
            .post(
                "/rounds/QR1/answer",
                &[
                    ("v_coaches", "0"),
                    ("a_coaches", "3"),
                    ("c_coaches", "one started on Monday"),
                    ("v_team", "1"),
                    ("a_team", "0"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(location(&r), "/rounds/QR1/answer?saved=1");
        let (_, page) = lead.text("/rounds/QR1/answer?saved=1").await;
        assert!(page.contains("Answers saved."));
        assert!(
            page.contains("name=\"a_why\""),
            "why is shown now that team is 0"
        );
        let stale = version_of(&page, "coaches");

        // Second sitting, another session: the answer changes; the first page, on the old
        // version, is refused with both values.
        let mut other = client(&app);
        other.login("lead1").await;
        let (_, page2) = other.text("/rounds/QR1/answer").await;
        let v = version_of(&page2, "coaches");
        let r = other
            .post(
                "/rounds/QR1/answer",
                &[
                    ("v_coaches", &v),
                    ("a_coaches", "4"),
                    ("c_coaches", "two started"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let r = lead
            .post(
                "/rounds/QR1/answer",
                &[
                    ("v_coaches", &stale),
                    ("a_coaches", "5"),
                    ("c_coaches", "three"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("Someone else changed this answer"), "{page}");
        assert!(
            page.contains("it is now &#34;4&#34;"),
            "theirs is shown: {page}"
        );
        assert!(page.contains("value=\"5\""), "yours is kept");
        // Submitting before "why" is answered names it; then it goes through.
        lead.refresh_csrf().await;
        let r = lead
            .post(
                "/rounds/QR1/answer",
                &[
                    ("v_coaches", "2"),
                    ("a_coaches", "4"),
                    ("c_coaches", "two started"),
                    ("action", "submit"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("Why not?"));
        let r = lead
            .post(
                "/rounds/QR1/answer",
                &[
                    ("v_why", "0"),
                    ("a_why", "The clinic is in another town"),
                    ("action", "submit"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = lead.text("/rounds/QR1/answer").await;
        assert!(page.contains("These answers have been submitted"));
        let (_, start) = lead.text("/program").await;
        assert!(!start.contains("/rounds/QR1/answer"), "submitted: {start}");

        // The evaluator sees who answered, the chart with its table, and the downloads.
        let (status, page) = ev.text("/rounds/QR1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("1 of 2 programs have submitted"), "{page}");
        assert!(page.contains("<svg"), "a chart");
        assert!(page.contains("The clinic is in another town"));
        let r = ev.get("/rounds/QR1/results.xlsx").await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(&r.bytes().await.unwrap()[..2], b"PK");
        let (_, csv) = ev.text("/rounds/QR1/programs.csv").await;
        assert!(csv.starts_with("program_id,coaches,team,why\n"), "{csv}");
        assert!(
            csv.contains("P1,4,0,The clinic is in another town\n"),
            "{csv}"
        );
        let (_, long) = ev.text("/rounds/QR1/long.csv").await;
        assert!(long.contains("P1,coaches,4,2,two started"), "{long}");
        let (_, dict) = ev.text("/questionnaires/QN1/dictionary.csv").await;
        assert!(dict.contains("@FIKA-PREFILL=coaches"), "{dict}");
        // Reopened, the lead can change the answers again.
        let r = ev.post("/rounds/QR1/programs/P1/reopen", &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, page) = lead.text("/rounds/QR1/answer").await;
        assert!(!page.contains("These answers have been submitted"));
        let (_, start) = lead.text("/program").await;
        assert!(start.contains("/rounds/QR1/answer"), "reopened: {start}");
        let actions: Vec<String> = audit(&app).await.into_iter().map(|(_, a, _)| a).collect();
        for a in [
            "questionnaire.add",
            "round.send",
            "round.answer",
            "round.submit",
            "round.reopen",
        ] {
            assert!(actions.iter().any(|x| x == a), "{a}");
        }
    }
}

#[tokio::test]
async fn each_role_reaches_only_its_part_of_a_round() {
    let app = spawn_app().await;
    let ev = signed_in(&app, "evaluator").await;
    upload(&ev, "q.csv", DICTIONARY).await;
    ev.post(
        "/questionnaires/QN1/send",
        &[
            ("reference_date", "2026-03-01"),
            ("deadline", "2026-03-31"),
            ("program", "P2"),
        ],
    )
    .await;
    for login in ["coach1", "admin"] {
        let c = signed_in(&app, login).await;
        for path in [
            "/questionnaires/QN1",
            "/rounds/QR1",
            "/rounds/QR1/results.xlsx",
        ] {
            assert_eq!(
                c.get(path).await.status(),
                StatusCode::FORBIDDEN,
                "{login} {path}"
            );
        }
    }
    // A coach has a list of the rounds they are named for (none here), and no round that
    // they were not named for; an administrator has neither.
    let coach = signed_in(&app, "coach1").await;
    let (status, page) = coach.text("/questionnaires").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("/rounds/QR1"), "{page}");
    assert_eq!(
        coach.get("/rounds/QR1/answer").await.status(),
        StatusCode::NOT_FOUND
    );
    let admin = signed_in(&app, "admin").await;
    for path in ["/questionnaires", "/rounds/QR1/answer"] {
        assert_eq!(
            admin.get(path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        coach
            .post(
                "/rounds/QR1/respondents",
                &[("program", "P2"), ("login", "coach1")]
            )
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let lead = signed_in(&app, "lead1").await;
    // The round went to P2 only: for P1's lead it is not there.
    assert_eq!(
        lead.get("/rounds/QR1/answer").await.status(),
        StatusCode::NOT_FOUND
    );
    for path in [
        "/questionnaires/QN1",
        "/rounds/QR1",
        "/rounds/QR1/programs.csv",
    ] {
        assert_eq!(
            lead.get(path).await.status(),
            StatusCode::FORBIDDEN,
            "lead {path}"
        );
    }
    assert_eq!(
        lead.post("/rounds/QR1/answer", &[("a_team", "1")])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // The evaluator does not answer for a program.
    assert_eq!(
        ev.get("/rounds/QR1/answer").await.status(),
        StatusCode::FORBIDDEN
    );
    // An upload without the session's token is refused.
    let form = Form::new()
        .text("csrf", "nope")
        .part("file", Part::text(DICTIONARY).file_name("q.csv"));
    let r = ev
        .http
        .post(format!("{}/questionnaires", ev.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// The sources of a qualitative project: (name, text).
async fn sources_of(app: &TestApp, project: &str) -> Vec<(String, String)> {
    let store = app.store.clone();
    let project = project.to_owned();
    tokio::task::spawn_blocking(move || {
        store
            .qual_project(&project)
            .unwrap()
            .unwrap()
            .1
            .sources
            .into_iter()
            .map(|s| (s.name, s.text))
            .collect()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn free_text_answers_go_to_the_thematic_analysis_once() {
    use fika_qual::Project;
    use fika_store::QualRole;
    for app in spawn_apps("free_text_answers_go_to_the_thematic_analysis_once").await {
        let ev = signed_in(&app, "evaluator").await;
        upload(&ev, "q.csv", DICTIONARY).await;
        ev.post(
            "/questionnaires/QN1/send",
            &[
                ("reference_date", "2026-03-01"),
                ("deadline", "2026-03-31"),
                ("program", "P1"),
                ("program", "P2"),
            ],
        )
        .await;
        add_evaluator(&app, "ella").await;
        let store = app.store.clone();
        tokio::task::spawn_blocking(move || {
            let q1 = store
                .create_qual_project(&Project::new("Enkätsvar"))
                .unwrap()
                .unwrap();
            store
                .add_qual_member(&q1, None, "evaluator", QualRole::Coder)
                .unwrap();
            let q2 = store
                .create_qual_project(&Project::new("Ellas projekt"))
                .unwrap()
                .unwrap();
            store
                .add_qual_member(&q2, None, "ella", QualRole::Owner)
                .unwrap();
        })
        .await
        .unwrap();
        // Before anyone answered: nothing to send, said so.
        let r = ev
            .post("/rounds/QR1/questions/why/to-qual", &[("project", "Q1")])
            .await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("No program has answered this question yet")
        );

        let lead = signed_in(&app, "lead1").await;
        let r = lead
            .post(
                "/rounds/QR1/answer",
                &[
                    ("v_team", "0"),
                    ("a_team", "0"),
                    ("v_why", "0"),
                    ("a_why", "The clinic is in another town"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // The lead reaches no such button.
        assert_eq!(
            lead.post("/rounds/QR1/questions/why/to-qual", &[("project", "Q1")])
                .await
                .status(),
            StatusCode::FORBIDDEN
        );

        // The round's page offers the evaluator's own projects only, beside the free texts.
        let (_, page) = ev.text("/rounds/QR1").await;
        assert!(
            page.contains("action=\"/rounds/QR1/questions/why/to-qual\""),
            "{page}"
        );
        assert!(
            !page.contains("/questions/team/to-qual"),
            "not for a choice"
        );
        assert!(
            page.contains("<option value=\"Q1\">Enkätsvar</option>"),
            "{page}"
        );
        assert!(!page.contains("Ellas projekt"));

        let r = ev
            .post("/rounds/QR1/questions/why/to-qual", &[("project", "Q1")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let to = location(&r);
        assert_eq!(to, "/rounds/QR1?to_qual=Q1&added=1&already=0#result-why");
        let (_, page) = ev.text(to.split('#').next().unwrap()).await;
        assert!(
            page.contains("One answer was added to Enkätsvar as a source to code."),
            "{page}"
        );
        assert_eq!(
            sources_of(&app, "Q1").await,
            vec![(
                "QR1 · why · P1".to_owned(),
                "The clinic is in another town".to_owned()
            )]
        );
        // Sent again: nothing is added twice, and the page says so.
        let r = ev
            .post("/rounds/QR1/questions/why/to-qual", &[("project", "Q1")])
            .await;
        let to = location(&r);
        assert_eq!(to, "/rounds/QR1?to_qual=Q1&added=0&already=1#result-why");
        let (_, page) = ev.text(to.split('#').next().unwrap()).await;
        assert!(
            page.contains(
                "0 answers were added to Enkätsvar as sources to code; one was there already"
            ),
            "{page}"
        );
        assert_eq!(sources_of(&app, "Q1").await.len(), 1);
        // A project the evaluator is no member of, or none: as if it did not exist.
        for project in ["Q2", "Q9"] {
            assert_eq!(
                ev.post("/rounds/QR1/questions/why/to-qual", &[("project", project)])
                    .await
                    .status(),
                StatusCode::NOT_FOUND,
                "{project}"
            );
        }
        assert!(sources_of(&app, "Q2").await.is_empty());
        // A choice question's answers are not text to code; no project chosen; no token.
        let r = ev
            .post("/rounds/QR1/questions/team/to-qual", &[("project", "Q1")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("short or long text"));
        let r = ev.post("/rounds/QR1/questions/why/to-qual", &[]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = ev
            .post_raw(
                "/rounds/QR1/questions/why/to-qual",
                &[("project", "Q1"), ("csrf", "nope")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // In Swedish too.
        let sv = signed_in(&app, "evaluator").await;
        sv.post("/language", &[("locale", "sv"), ("back", "/rounds/QR1")])
            .await;
        let (_, page) = sv.text("/rounds/QR1?to_qual=Q1&added=2&already=1").await;
        assert!(
            page.contains("2 svar lades till i Enkätsvar som källor att koda; ett fanns redan"),
            "{page}"
        );
        let actions: Vec<(String, String, Option<String>)> = audit(&app).await;
        assert_eq!(
            actions
                .iter()
                .filter(|(_, a, _)| a == "round.to-qual")
                .count(),
            1
        );
    }
}

/// The questions of a stored questionnaire, in order, by section.
async fn stored(app: &TestApp, id: &str) -> fika_core::questionnaire::Questionnaire {
    let store = app.store.clone();
    let id = id.to_owned();
    tokio::task::spawn_blocking(move || store.questionnaire(&id).unwrap().unwrap().questionnaire)
        .await
        .unwrap()
}

fn names(q: &fika_core::questionnaire::Questionnaire) -> Vec<Vec<String>> {
    q.sections
        .iter()
        .map(|s| s.questions.iter().map(|x| x.name.clone()).collect())
        .collect()
}

#[tokio::test]
async fn an_evaluator_designs_a_questionnaire_in_the_web() {
    use fika_core::questionnaire::{Comparison, Kind};
    for app in spawn_apps("an_evaluator_designs_a_questionnaire_in_the_web").await {
        let ev = signed_in(&app, "evaluator").await;
        let (_, list) = ev.text("/questionnaires").await;
        assert!(list.contains("action=\"/questionnaires/new\""), "{list}");
        let r = ev
            .post(
                "/questionnaires/new",
                &[
                    ("title_en", "Programs 2027"),
                    ("title_sv", "Programmen 2027"),
                ],
            )
            .await;
        assert_eq!(location(&r), "/questionnaires/QN1", "{}", app.backend);
        // An empty draft cannot be sent.
        let send = [
            ("reference_date", "2026-03-01"),
            ("deadline", "2026-03-31"),
            ("program", "P1"),
        ];
        let r = ev.post("/questionnaires/QN1/send", &send).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("has no questions yet"));

        let (status, page) = ev.text("/questionnaires/QN1/new-question").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("name=\"choices\""), "{page}");
        let save = |fields: Vec<(&'static str, &'static str)>| {
            let ev = &ev;
            async move { ev.post("/questionnaires/QN1/questions", &fields).await }
        };
        let r = save(vec![
            ("section", "0"),
            ("name", "team"),
            ("kind", "single_choice"),
            ("label_en", "Integrated with a treatment team?"),
            ("label_sv", "Integrerat med ett behandlingsteam?"),
            ("help_en", "As of today"),
            ("choices", "1 | Yes | Ja\n0 | No | Nej"),
            ("required", "true"),
        ])
        .await;
        assert_eq!(location(&r), "/questionnaires/QN1#q-team");

        // Refused forms come back as typed, each message beside its field.
        let r = save(vec![
            ("section", "0"),
            ("name", "coaches"),
            ("kind", "number"),
            ("label_en", "Coaches"),
            ("min", "ten"),
        ])
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("id=\"e-min\">“ten” is not a number"),
            "{page}"
        );
        assert!(page.contains("value=\"ten\""), "kept as typed");
        assert!(page.contains("aria-describedby=\"e-min\""));
        let r = save(vec![
            ("section", "0"),
            ("name", "Team Size"),
            ("kind", "number"),
            ("min", "10"),
            ("max", "2"),
        ])
        .await;
        let page = r.text().await.unwrap();
        assert!(
            page.contains("id=\"e-name\">The name must be lower-case letters"),
            "{page}"
        );
        assert!(page.contains("id=\"e-label_en\">Write the question"));
        assert!(page.contains("id=\"e-min\">The smallest allowed is above the largest"));
        let r = save(vec![
            ("section", "0"),
            ("name", "team"),
            ("kind", "multiple_choice"),
            ("label_en", "Again"),
            ("choices", "a | A\nb"),
        ])
        .await;
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"e-choices\">Choice line 2"), "{page}");
        let r = save(vec![
            ("section", "0"),
            ("name", "team"),
            ("kind", "short_text"),
            ("label_en", "Again"),
        ])
        .await;
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("id=\"e-name\">Another question has this name")
        );
        // A condition on a code the question does not have.
        let r = save(vec![
            ("section", "0"),
            ("name", "why"),
            ("kind", "long_text"),
            ("label_en", "Why not?"),
            ("cond_question", "team"),
            ("cond_value", "7"),
        ])
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("id=\"e-cond_question\""));
        assert_eq!(
            names(&stored(&app, "QN1").await),
            [["team"]],
            "nothing saved"
        );

        // Every kind.
        for fields in [
            vec![
                ("name", "why"),
                ("kind", "long_text"),
                ("label_en", "Why not?"),
                ("label_sv", "Varför inte?"),
                ("cond_question", "team"),
                ("cond_comparison", "equals"),
                ("cond_value", "0"),
            ],
            vec![
                ("name", "coaches"),
                ("kind", "number"),
                ("label_en", "Coaches"),
                ("unit_en", "people"),
                ("unit_sv", "personer"),
                ("min", "0"),
                ("max", "40,5"),
                ("integer", "true"),
            ],
            vec![
                ("name", "started"),
                ("kind", "date"),
                ("label_en", "Started"),
                ("min", "2000-01-01"),
            ],
            vec![
                ("name", "liked"),
                ("kind", "scale"),
                ("label_en", "How do you like it?"),
                ("min", "0"),
                ("max", "10"),
                ("low_en", "not at all"),
                ("high_sv", "mycket"),
            ],
            vec![
                ("name", "services"),
                ("kind", "multiple_choice"),
                ("label_en", "Services"),
                (
                    "choices",
                    "benefits | Benefits counselling\njobdev | Job development",
                ),
            ],
            vec![
                ("name", "office"),
                ("kind", "short_text"),
                ("label_en", "Office"),
            ],
            vec![
                ("name", "intro"),
                ("kind", "info"),
                ("label_en", "Thank you"),
            ],
        ] {
            let mut fields = fields;
            fields.push(("section", "0"));
            let r = save(fields.clone()).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "{fields:?}");
        }
        let q = stored(&app, "QN1").await;
        assert_eq!(
            names(&q),
            [[
                "team", "why", "coaches", "started", "liked", "services", "office", "intro"
            ]]
        );
        let team = q.question("team").unwrap();
        assert_eq!(team.label.sv, "Integrerat med ett behandlingsteam?");
        assert_eq!(team.help.en, "As of today");
        assert!(team.required);
        assert_eq!(team.kind.choices()[1].label.sv, "Nej");
        let why = q.question("why").unwrap().condition.clone().unwrap();
        assert_eq!(
            (why.question.as_str(), why.comparison, why.value.as_str()),
            ("team", Comparison::Equals, "0")
        );
        assert_eq!(
            q.question("coaches").unwrap().kind,
            Kind::Number {
                unit: fika_core::questionnaire::Text {
                    en: "people".into(),
                    sv: "personer".into()
                },
                min: Some(0.0),
                max: Some(40.5),
                integer: true
            }
        );
        assert!(matches!(
            q.question("liked").unwrap().kind,
            Kind::Scale {
                min: 0,
                max: 10,
                ..
            }
        ));
        assert!(matches!(
            q.question("started").unwrap().kind,
            Kind::Date {
                min: Some(_),
                max: None
            }
        ));

        // Editing shows the question as stored; a rename keeps its place.
        let (_, page) = ev.text("/questionnaires/QN1/questions/team").await;
        assert!(page.contains("1 | Yes | Ja\n0 | No | Nej"), "{page}");
        let r = save(vec![
            ("original", "office"),
            ("section", "0"),
            ("name", "office_town"),
            ("kind", "short_text"),
            ("label_en", "Office town"),
        ])
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        // Reordering: why cannot come before the question its condition names.
        let act = |name: &'static str, action: &'static str| {
            let ev = &ev;
            async move {
                ev.post(
                    &format!("/questionnaires/QN1/questions/{name}/action"),
                    &[("action", action)],
                )
                .await
            }
        };
        let r = act("why", "up").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(act("coaches", "up").await.status(), StatusCode::SEE_OTHER);
        assert_eq!(act("intro", "remove").await.status(), StatusCode::SEE_OTHER);
        // Sections: add one, move a question into it, remove only an empty one.
        let r = ev
            .post(
                "/questionnaires/QN1/sections",
                &[("title_en", "Staff"), ("title_sv", "Personal")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            act("office_town", "down").await.status(),
            StatusCode::SEE_OTHER
        );
        let r = ev
            .post("/questionnaires/QN1/sections/0", &[("action", "remove")])
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("Only a section without questions")
        );
        let q = stored(&app, "QN1").await;
        assert_eq!(
            names(&q),
            [
                vec!["team", "coaches", "why", "started", "liked", "services"],
                vec!["office_town"]
            ]
        );
        assert_eq!(q.sections[1].title.sv, "Personal");
        let (_, page) = ev.text("/questionnaires/QN1").await;
        assert!(page.contains("<caption>Staff</caption>"), "{page}");

        // Sent, it is frozen: no more changes, but it can be copied as a new draft.
        assert_eq!(
            location(&ev.post("/questionnaires/QN1/send", &send).await),
            "/rounds/QR1"
        );
        let r = save(vec![
            ("original", "team"),
            ("section", "0"),
            ("name", "team"),
            ("kind", "short_text"),
            ("label_en", "x"),
        ])
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("it can no longer change"));
        assert_eq!(
            act("team", "remove").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let (_, page) = ev.text("/questionnaires/QN1").await;
        assert!(!page.contains("/questions/team/action"));
        assert!(page.contains("action=\"/questionnaires/QN1/copy\""));
        let r = ev.post("/questionnaires/QN1/copy", &[]).await;
        assert_eq!(location(&r), "/questionnaires/QN2");
        let copy = stored(&app, "QN2").await;
        assert_eq!(copy.title.en, "Programs 2027 (copy)");
        assert_eq!(copy.title.sv, "Programmen 2027 (kopia)");
        assert_eq!(names(&copy), names(&q));
        assert_eq!(
            act("team", "remove").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let r = ev
            .post(
                "/questionnaires/QN2/questions/services/action",
                &[("action", "remove")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);

        // In Swedish, the refusals are Swedish.
        let sv = signed_in(&app, "evaluator").await;
        sv.post(
            "/language",
            &[("locale", "sv"), ("back", "/questionnaires")],
        )
        .await;
        let r = sv
            .post(
                "/questionnaires/QN2/questions",
                &[
                    ("section", "0"),
                    ("name", "x"),
                    ("kind", "number"),
                    ("min", "tio"),
                ],
            )
            .await;
        assert!(
            r.text().await.unwrap().contains("”tio” är inget tal"),
            "Swedish"
        );
        // A lead designs nothing.
        let lead = signed_in(&app, "lead1").await;
        assert_eq!(
            lead.post("/questionnaires/new", &[("title_en", "x")])
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            lead.get("/questionnaires/QN2/new-question").await.status(),
            StatusCode::FORBIDDEN
        );
        let changes = audit(&app)
            .await
            .into_iter()
            .filter(|(_, a, _)| a == "questionnaire.change")
            .count();
        assert!(changes >= 12, "{changes}");
    }
}

#[tokio::test]
async fn results_are_filtered_by_a_program_figure() {
    for app in spawn_apps("results_are_filtered_by_a_program_figure").await {
        let ev = signed_in(&app, "evaluator").await;
        upload(&ev, "q.csv", DICTIONARY).await;
        ev.post(
            "/questionnaires/QN1/bind",
            &[("question", "coaches"), ("figure", "coaches")],
        )
        .await;
        ev.post(
            "/questionnaires/QN1/send",
            &[
                ("reference_date", "2026-03-01"),
                ("deadline", "2026-03-31"),
                ("program", "P1"),
                ("program", "P2"),
            ],
        )
        .await;
        // fika computed 2 coaches for P1 and 1 for P2; both answer the team question.
        let store = app.store.clone();
        let prefill = tokio::task::spawn_blocking(move || {
            let actor = fika_store::Actor {
                user: "lead".into(),
                at: "2026-03-02T10:00:00Z".into(),
            };
            let mut out = Vec::new();
            for (p, team) in [("P1", "1"), ("P2", "0")] {
                let p = fika_core::ProgramId::parse(p).unwrap();
                store
                    .save_answer(
                        &actor,
                        "QR1",
                        &p,
                        "team",
                        Some(&fika_core::questionnaire::Answer::Choice(team.into())),
                        "",
                        0,
                    )
                    .unwrap();
                out.push(store.response("QR1", &p).unwrap().unwrap().prefill["coaches"].value);
            }
            out
        })
        .await
        .unwrap();
        assert_eq!(prefill, [Some(2.0), Some(1.0)], "{}", app.backend);

        let (status, page) = ev.text("/rounds/QR1?figure=coaches&min=2").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("<option value=\"coaches\" selected>"),
            "{page}"
        );
        assert!(page.contains("0 of 1 programs have submitted"), "{page}");
        assert!(page.contains("1 of 1 programs answered"), "{page}");
        assert!(
            page.contains("/rounds/QR1/programs.csv?figure=coaches&#38;min=2"),
            "the downloads carry the filter: {page}"
        );
        let (_, csv) = ev
            .text("/rounds/QR1/programs.csv?figure=coaches&min=2")
            .await;
        assert_eq!(csv.lines().count(), 2, "{csv}");
        assert!(csv.contains("\nP1,"), "{csv}");
        let (_, csv) = ev
            .text("/rounds/QR1/long.csv?figure=coaches&min=0,5&max=1")
            .await;
        assert!(csv.contains("P2,team,0"), "{csv}");
        assert!(!csv.contains("P1,"), "{csv}");
        let r = ev
            .get("/rounds/QR1/results.xlsx?figure=coaches&max=1")
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        // No range: every program; a range nobody is in: none.
        let (_, csv) = ev.text("/rounds/QR1/programs.csv?figure=coaches").await;
        assert_eq!(csv.lines().count(), 3, "{csv}");
        let (_, csv) = ev
            .text("/rounds/QR1/programs.csv?figure=coaches&min=5")
            .await;
        assert_eq!(csv.lines().count(), 1, "{csv}");
        // With the organisation filter too.
        let (_, page) = ev.text("/rounds/QR1?org=nobody&figure=coaches&min=0").await;
        assert!(page.contains("0 of 0 programs have submitted"), "{page}");
        // Refused: a question not bound to a figure, a bound that is not a number.
        let r = ev.get("/rounds/QR1?figure=team&min=1").await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = ev
            .get("/rounds/QR1/programs.csv?figure=coaches&min=two")
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("“two” is not a number"));
    }
}

#[tokio::test]
async fn respondents_the_evaluator_names_answer_like_the_lead() {
    for app in spawn_apps("respondents_the_evaluator_names_answer_like_the_lead").await {
        let ev = signed_in(&app, "evaluator").await;
        upload(&ev, "q.csv", DICTIONARY).await;
        ev.post(
            "/questionnaires/QN1/send",
            &[
                ("reference_date", "2026-03-01"),
                ("deadline", "2026-03-31"),
                ("program", "P1"),
                ("program", "P2"),
            ],
        )
        .await;
        let name = |program: &'static str, login: &'static str| {
            let ev = &ev;
            async move {
                ev.post(
                    "/rounds/QR1/respondents",
                    &[("program", program), ("login", login)],
                )
                .await
            }
        };
        // Only a coach or lead of the program itself, who exists; only a program the round went to.
        let r = name("P1", "coach3").await;
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            app.backend
        );
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("not a coach or lead of this program")
        );
        let r = name("P1", "nobody").await;
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("no active user with that user name")
        );
        assert_eq!(
            name("P1", "evaluator").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(name("P9", "coach1").await.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            location(&name("P1", "coach1").await),
            "/rounds/QR1#respondents"
        );
        assert_eq!(
            name("P1", "coach1").await.status(),
            StatusCode::SEE_OTHER,
            "twice is once"
        );
        let (_, page) = ev.text("/rounds/QR1").await;
        assert!(page.contains("<li>coach1 · "), "{page}");

        // The named coach sees the round and answers for P1; another coach of P1 does not.
        let coach = signed_in(&app, "coach1").await;
        let (_, mine) = coach.text("/questionnaires").await;
        assert!(mine.contains("/rounds/QR1/answer"), "{mine}");
        let (status, page) = coach.text("/rounds/QR1/answer").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("name=\"a_team\""), "{page}");
        let r = coach
            .post(
                "/rounds/QR1/answer",
                &[("v_team", "0"), ("a_team", "1"), ("action", "save")],
            )
            .await;
        assert_eq!(location(&r), "/rounds/QR1/answer?saved=1");
        let other = signed_in(&app, "coach2").await;
        assert_eq!(
            other.get("/rounds/QR1/answer").await.status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            other
                .post(
                    "/rounds/QR1/answer",
                    &[("v_team", "1"), ("a_team", "0"), ("action", "save")]
                )
                .await
                .status(),
            StatusCode::NOT_FOUND
        );
        // The lead sees the coach's answer, and a change on the old version is refused.
        let lead = signed_in(&app, "lead1").await;
        let (_, page) = lead.text("/rounds/QR1/answer").await;
        assert_eq!(version_of(&page, "team"), "1");
        let r = lead
            .post(
                "/rounds/QR1/answer",
                &[("v_team", "0"), ("a_team", "0"), ("action", "save")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // Taken off, the coach no longer reaches it.
        let r = ev
            .post(
                "/rounds/QR1/respondents/remove",
                &[("program", "P1"), ("login", "coach1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            coach.get("/rounds/QR1/answer").await.status(),
            StatusCode::NOT_FOUND
        );
        let (_, mine) = coach.text("/questionnaires").await;
        assert!(!mine.contains("/rounds/QR1/answer"));
        let r = ev
            .post(
                "/rounds/QR1/respondents/remove",
                &[("program", "P1"), ("login", "coach1")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let actions: Vec<String> = audit(&app).await.into_iter().map(|(_, a, _)| a).collect();
        assert_eq!(
            actions.iter().filter(|a| *a == "round.respondent").count(),
            1
        );
        assert_eq!(
            actions
                .iter()
                .filter(|a| *a == "round.respondent-remove")
                .count(),
            1
        );
    }
}
