//! Deny by default: every route × every role × own caseload / another coach's / another
//! program's, with exactly the audit rows expected.

use reqwest::StatusCode;

use super::helpers::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Anonymous,
    Admin,
    Evaluator,
    Coach,
    Lead,
    /// Amal (A1), with her own account.
    Participant,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Target {
    /// A1, on coach1's caseload, program P1.
    Own,
    /// A2, coach2's caseload, program P1.
    OtherCoach,
    /// B1, program P2.
    OtherProgram,
}

impl Target {
    fn id(self) -> &'static str {
        match self {
            Target::Own => "A1",
            Target::OtherCoach => "A2",
            Target::OtherProgram => "B1",
        }
    }
    fn step(self) -> &'static str {
        match self {
            Target::Own => "S-A1a",
            Target::OtherCoach => "S-A2",
            Target::OtherProgram => "S-B1",
        }
    }
    /// A coach to change to who is not the participant's designated coach.
    fn new_coach(self) -> &'static str {
        match self {
            Target::Own => "C2",
            Target::OtherCoach => "C1",
            Target::OtherProgram => "C1",
        }
    }
}

const OK: u16 = 200;
const MOVED: u16 = 303;
const FORBIDDEN: u16 = 403;
const NOT_FOUND: u16 = 404;
const UNPROCESSABLE: u16 = 422;

/// What a role gets from a participant route: `serves` are the roles it is for; within
/// them, `reach` decides whether the participant is found.
fn participant_rule(who: Who, t: Target, serves: &[Who], success: u16) -> u16 {
    match who {
        Who::Anonymous => MOVED,
        w if !serves.contains(&w) => FORBIDDEN,
        Who::Coach if t == Target::Own => success,
        Who::Lead if t != Target::OtherProgram => success,
        _ => NOT_FOUND,
    }
}

fn plain_rule(who: Who, serves: &[Who], success: u16) -> u16 {
    match who {
        Who::Anonymous => MOVED,
        w if serves.contains(&w) => success,
        _ => FORBIDDEN,
    }
}

/// Method, path, form, expected status, and the audit row a success writes (action,
/// participant).
type Case = (
    &'static str,
    String,
    Vec<(&'static str, String)>,
    u16,
    Option<(&'static str, Option<&'static str>)>,
);

#[tokio::test]
async fn every_route_every_role_every_caseload() {
    for app in spawn_apps("every_route_every_role_every_caseload").await {
        add_participant_user(&app, "A1", "amal").await;
        // A legal hold on P1: the erasure cases below are refused, and everyone stays. A3 is
        // restricted.
        let store = app.store.clone();
        tokio::task::spawn_blocking(move || {
            let lead = fika_store::Actor {
                user: "U-lead1".into(),
                at: "2026-03-02T08:00:00Z".into(),
            };
            let p1 = fika_core::ProgramId::parse("P1").unwrap();
            store
                .place_hold(
                    &lead,
                    &fika_store::Reach::Program(p1.clone()),
                    &fika_store::erasure::Scope::Program(p1.clone()),
                    "JO 2026-7",
                )
                .unwrap()
                .unwrap();
            let a3 = fika_core::ParticipantId::parse("A3").unwrap();
            store
                .restrict(&lead, &fika_store::Reach::Program(p1.clone()), &a3, "KS 3")
                .unwrap()
                .unwrap();
        })
        .await
        .unwrap();
        // The participant goes first: a coach's and a lead's cases end A1's access.
        for who in [
            Who::Anonymous,
            Who::Participant,
            Who::Admin,
            Who::Evaluator,
            Who::Coach,
            Who::Lead,
        ] {
            let (client, user) = match who {
                Who::Anonymous => (client(&app), ""),
                Who::Admin => (signed_in(&app, "admin").await, "U-admin"),
                Who::Evaluator => (signed_in(&app, "evaluator").await, "U-evaluator"),
                Who::Coach => (signed_in(&app, "coach1").await, "U-coach1"),
                Who::Lead => (signed_in(&app, "lead1").await, "U-lead1"),
                Who::Participant => (signed_in(&app, "amal").await, "U-amal"),
            };
            let mut cases: Vec<Case> = Vec::new();
            let coach_lead = [Who::Coach, Who::Lead];
            for t in [Target::Own, Target::OtherCoach, Target::OtherProgram] {
                let p = t.id();
                let s = participant_rule(who, t, &coach_lead, OK);
                cases.push((
                    "GET",
                    format!("/participants/{p}"),
                    vec![],
                    s,
                    Some(("participant.read", Some(p))),
                ));
                let s = participant_rule(who, t, &[Who::Coach], OK);
                cases.push((
                    "GET",
                    format!("/participants/{p}/meeting"),
                    vec![],
                    s,
                    Some(("participant.read", Some(p))),
                ));
                let s = participant_rule(who, t, &[Who::Coach], MOVED);
                cases.push((
                    "POST",
                    format!("/participants/{p}/meeting"),
                    vec![
                        ("place", "cafe".into()),
                        ("minutes", "30".into()),
                        ("step0_text", "Ring".into()),
                    ],
                    s,
                    Some(("meeting.record", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/steps/{}/done", t.step()),
                    vec![],
                    s,
                    Some(("next_step.done", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/benefits"),
                    vec![("status", "offered".into())],
                    s,
                    Some(("benefits_planning.record", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/next-meeting"),
                    vec![("date", "2026-03-04".into())],
                    s,
                    Some(("planned_meeting.set", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/goals"),
                    vec![("text", "Work outdoors".into())],
                    s,
                    Some(("goal.add", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/jobs"),
                    vec![
                        ("kind", "placement".into()),
                        ("title", "Stable hand".into()),
                    ],
                    s,
                    Some(("job.record", Some(p))),
                ));
                cases.push((
                    "POST",
                    "/employers/contacts".into(),
                    vec![
                        ("employer", "E1".into()),
                        ("face_to_face", "true".into()),
                        ("participant", p.into()),
                    ],
                    s,
                    Some(("employer_contact.record", Some(p))),
                ));
                let s = participant_rule(who, t, &[Who::Lead], MOVED);
                cases.push((
                    "POST",
                    format!("/participants/{p}/coach"),
                    vec![("coach", t.new_coach().into())],
                    s,
                    Some(("coach.change", Some(p))),
                ));
                // The access extract (GDPR Art. 15 and 20): a lead's, audited.
                let s = participant_rule(who, t, &[Who::Lead], OK);
                cases.push((
                    "POST",
                    format!("/participants/{p}/access-extract"),
                    vec![("reference", "KS 1".into())],
                    s,
                    Some(("participant.access_extract", Some(p))),
                ));
                // Erasure (GDPR Art. 17): a lead's. The confirmation reads the record; the
                // erasure itself is refused by the legal hold on P1 placed above, so that
                // the cases after it still find everyone.
                let s = participant_rule(who, t, &[Who::Lead], OK);
                cases.push((
                    "POST",
                    format!("/participants/{p}/erase"),
                    vec![("reference", "KS 2".into())],
                    s,
                    Some(("participant.read", Some(p))),
                ));
                let s = participant_rule(who, t, &[Who::Lead], UNPROCESSABLE);
                cases.push((
                    "POST",
                    format!("/participants/{p}/erase"),
                    vec![("reference", "KS 2".into()), ("confirm", "yes".into())],
                    s,
                    None,
                ));
                // A restricted record (A3, restricted above, on the same caseload as A1):
                // the page asks the reason and reads nothing; with one, it is read and
                // the reason audited (GDPR Art. 18).
                if t == Target::Own {
                    let s = participant_rule(who, t, &coach_lead, OK);
                    cases.push(("GET", "/participants/A3".into(), vec![], s, None));
                    cases.push((
                        "GET",
                        "/participants/A3?reason=legal_claim".into(),
                        vec![],
                        s,
                        Some(("participant.read_restricted", Some("A3"))),
                    ));
                    let s = participant_rule(who, t, &[Who::Coach], OK);
                    cases.push((
                        "GET",
                        "/participants/A3/meeting?reason=consent".into(),
                        vec![],
                        s,
                        Some(("participant.read_restricted", Some("A3"))),
                    ));
                }
                // The participant's own fika, staff side.
                let s = participant_rule(who, t, &coach_lead, OK);
                cases.push((
                    "GET",
                    format!("/participants/{p}/access"),
                    vec![],
                    s,
                    Some(("participant_access.read", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/invitations"),
                    vec![],
                    s,
                    Some(("invitation.create", Some(p))),
                ));
                let s = participant_rule(who, t, &coach_lead, MOVED);
                cases.push((
                    "POST",
                    format!("/participants/{p}/access/end"),
                    vec![],
                    s,
                    Some(("participant_access.end", Some(p))),
                ));
                // The exit is undone at once, so that the cases after it find them enrolled.
                let s = participant_rule(who, t, &coach_lead, MOVED);
                cases.push((
                    "POST",
                    format!("/participants/{p}/exit"),
                    vec![("exit_reason", "moved".into())],
                    s,
                    Some(("participant.exit", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/reopen"),
                    vec![],
                    s,
                    Some(("participant.reopen", Some(p))),
                ));
                // Corrections: the page, a step put right, an exit recorded and removed
                // as entered in error (so that they are enrolled again for the next role).
                let step = t.step();
                let read = participant_rule(who, t, &coach_lead, OK);
                cases.push((
                    "GET",
                    format!("/participants/{p}/correct/step/{step}"),
                    vec![],
                    read,
                    Some(("participant.read", Some(p))),
                ));
                cases.push((
                    "GET",
                    format!("/participants/{p}/correct/enrolment"),
                    vec![],
                    read,
                    Some(("participant.read", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/correct/step/{step}"),
                    vec![
                        ("step_id", step.into()),
                        ("participant_id", p.into()),
                        ("owner", "both".into()),
                        ("text", "Call the stables together".into()),
                        ("agreed_on", "2026-02-10".into()),
                    ],
                    s,
                    Some(("next_step.correct", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/exit"),
                    vec![("exit_reason", "moved".into())],
                    s,
                    Some(("participant.exit", Some(p))),
                ));
                cases.push((
                    "POST",
                    format!("/participants/{p}/remove/exit"),
                    vec![("remove_reason", "They did not move".into())],
                    s,
                    Some(("exit.remove", Some(p))),
                ));
            }
            cases.push((
                "GET",
                "/participants/new".into(),
                vec![],
                plain_rule(who, &[Who::Coach], OK),
                None,
            ));
            cases.push((
                "POST",
                "/participants/new".into(),
                vec![
                    ("name", "Dana".into()),
                    ("goal", "Something with my hands".into()),
                ],
                plain_rule(who, &[Who::Coach], MOVED),
                // The new participant's ID is made by the app: `D-` and 12 hex digits.
                Some(("participant.enrol", Some("D-*"))),
            ));
            cases.push((
                "GET",
                "/day".into(),
                vec![],
                plain_rule(who, &[Who::Coach], OK),
                Some(("caseload.read", None)),
            ));
            cases.push((
                "GET",
                "/program".into(),
                vec![],
                plain_rule(who, &[Who::Lead], OK),
                Some(("caseload.read", None)),
            ));
            cases.push((
                "GET",
                "/evaluation".into(),
                vec![],
                plain_rule(who, &[Who::Evaluator], OK),
                None,
            ));
            // Outcome reports: figures only (no participant named), so not audited; a
            // lead's program, a coach's own caseload, every program for an evaluator.
            let reporting = [Who::Coach, Who::Lead, Who::Evaluator];
            for path in [
                "/reports/outcomes",
                "/reports/outcomes?quarter=2026Q1&from=2025Q3",
                "/reports/outcomes.csv",
                "/reports/outcomes.xlsx?quarter=2026Q1",
                "/reports/outcomes?program=P2",
                "/reports/outcomes.csv?program=P1&organisation=x&sort=served&desc=true",
            ] {
                cases.push((
                    "GET",
                    path.into(),
                    vec![],
                    plain_rule(who, &reporting, OK),
                    None,
                ));
            }
            // Fidelity reviews: a lead's program, any for an evaluator. The evaluator
            // starts R1 of P1 (naming the lead and themselves), then each rates S1.
            let reviewing = [Who::Lead, Who::Evaluator];
            cases.push((
                "GET",
                "/reviews?program=P1".into(),
                vec![],
                plain_rule(who, &reviewing, OK),
                None,
            ));
            cases.push((
                "POST",
                "/reviews".into(),
                vec![
                    ("program", "P1".into()),
                    ("date", "2026-03-01".into()),
                    ("kind", "external".into()),
                    ("reviewers", "lead1, evaluator".into()),
                ],
                plain_rule(who, &reviewing, MOVED),
                None,
            ));
            for path in ["/reviews/R1", "/reviews/R1/report"] {
                cases.push((
                    "GET",
                    path.into(),
                    vec![],
                    plain_rule(who, &reviewing, OK),
                    None,
                ));
            }
            cases.push((
                "POST",
                "/reviews/R1/ratings".into(),
                vec![("score_S1", "3".into())],
                plain_rule(who, &reviewing, MOVED),
                None,
            ));
            cases.push((
                "GET",
                "/employers".into(),
                vec![],
                plain_rule(who, &coach_lead, OK),
                Some(("caseload.read", None)),
            ));
            cases.push((
                "POST",
                "/employers".into(),
                vec![("name", "Café Linné".into())],
                plain_rule(who, &coach_lead, MOVED),
                Some(("employer.add", None)),
            ));
            cases.push((
                "POST",
                "/employers/contacts".into(),
                vec![("employer", "E1".into()), ("face_to_face", "true".into())],
                plain_rule(who, &[Who::Coach], MOVED),
                Some(("employer_contact.record", None)),
            ));
            cases.push((
                "GET",
                "/admin/users".into(),
                vec![],
                plain_rule(who, &[Who::Admin], OK),
                None,
            ));
            cases.push((
                "POST",
                "/admin/users".into(),
                vec![
                    ("login", "new-coach".into()),
                    ("password", "a long enough secret".into()),
                    ("role", "coach".into()),
                    ("coach", "C2".into()),
                ],
                plain_rule(who, &[Who::Admin], MOVED),
                Some(("user.add", None)),
            ));
            cases.push((
                "POST",
                "/admin/users/U-coach3/disable".into(),
                vec![],
                plain_rule(who, &[Who::Admin], MOVED),
                Some(("user.disable", None)),
            ));
            cases.push((
                "POST",
                "/admin/users/U-coach3/enable".into(),
                vec![],
                plain_rule(who, &[Who::Admin], MOVED),
                Some(("user.enable", None)),
            ));
            cases.push((
                "GET",
                "/admin/programs".into(),
                vec![],
                plain_rule(who, &[Who::Admin], OK),
                None,
            ));
            cases.push((
                "POST",
                "/admin/programs".into(),
                vec![("name", "Lund IPS".into())],
                plain_rule(who, &[Who::Admin], MOVED),
                Some(("program.add", None)),
            ));
            cases.push((
                "POST",
                "/admin/coaches".into(),
                vec![
                    ("program", "P2".into()),
                    ("name", "Dag".into()),
                    ("fte", "0.5".into()),
                ],
                plain_rule(who, &[Who::Admin], MOVED),
                Some(("coach.add", None)),
            ));
            cases.push((
                "POST",
                "/stand-ins".into(),
                vec![
                    ("coach", "C1".into()),
                    ("stand_in", "C2".into()),
                    ("from", "2026-03-02".into()),
                    ("to", "2026-03-06".into()),
                ],
                plain_rule(who, &[Who::Lead], MOVED),
                Some(("stand_in.add", None)),
            ));
            // The participant's own pages: their record only (A1).
            let own = [Who::Participant];
            cases.push((
                "GET",
                "/me".into(),
                vec![],
                plain_rule(who, &own, OK),
                Some(("participant.read", Some("A1"))),
            ));
            cases.push((
                "GET",
                "/me/meetings".into(),
                vec![],
                plain_rule(who, &own, OK),
                Some(("participant.read", Some("A1"))),
            ));
            cases.push((
                "GET",
                "/me/log".into(),
                vec![],
                plain_rule(who, &own, OK),
                Some(("record_log.read", Some("A1"))),
            ));
            cases.push((
                "GET",
                "/me/check-in".into(),
                vec![],
                plain_rule(who, &own, OK),
                None,
            ));
            cases.push((
                "POST",
                "/me/check-in".into(),
                vec![
                    ("score_person", "8".into()),
                    ("score_heard", "7".into()),
                    ("score_goal", "9".into()),
                    ("score_overall", "8".into()),
                    ("sharing", "coach_and_me".into()),
                ],
                plain_rule(who, &own, MOVED),
                Some(("check_in.add", Some("A1"))),
            ));
            cases.push((
                "POST",
                "/me/goals".into(),
                vec![("text", "Work with horses".into())],
                plain_rule(who, &own, MOVED),
                Some(("goal.add", Some("A1"))),
            ));
            cases.push((
                "POST",
                "/me/goals/G1".into(),
                vec![("text", "Work with animals, horses most of all".into())],
                plain_rule(who, &own, MOVED),
                Some(("goal.reword", Some("A1"))),
            ));
            // Another participant's goal and step, and a step that is the coach's: as if
            // they did not exist.
            let not_theirs = |who| match who {
                Who::Anonymous => MOVED,
                Who::Participant => NOT_FOUND,
                _ => FORBIDDEN,
            };
            cases.push((
                "POST",
                "/me/goals/G2".into(),
                vec![("text", "Something else".into())],
                not_theirs(who),
                None,
            ));
            cases.push((
                "POST",
                "/me/steps/S-A2/done".into(),
                vec![],
                not_theirs(who),
                None,
            ));
            cases.push((
                "POST",
                "/me/steps/S-A1b/done".into(),
                vec![],
                not_theirs(who),
                None,
            ));
            cases.push((
                "POST",
                "/me/talk".into(),
                vec![],
                plain_rule(who, &own, MOVED),
                Some(("talk.request", Some("A1"))),
            ));
            cases.push((
                "GET",
                "/check-ins".into(),
                vec![],
                plain_rule(who, &coach_lead, OK),
                None,
            ));
            cases.push(("GET", "/join".into(), vec![], OK, None));
            cases.push((
                "GET",
                "/join/ABCD-EFGH-JKMN".into(),
                vec![],
                NOT_FOUND,
                None,
            ));
            // Without the form's own token, nobody's POST counts.
            cases.push((
                "POST",
                "/join/ABCD-EFGH-JKMN".into(),
                vec![
                    ("login", "someone".into()),
                    ("password", "a long enough secret".into()),
                    ("password_again", "a long enough secret".into()),
                ],
                FORBIDDEN,
                None,
            ));
            cases.push(("GET", "/assets/fika.css".into(), vec![], OK, None));
            cases.push(("GET", "/assets/htmx.min.js".into(), vec![], OK, None));
            cases.push(("GET", "/no/such/page".into(), vec![], NOT_FOUND, None));
            let everyone = [
                Who::Admin,
                Who::Evaluator,
                Who::Coach,
                Who::Lead,
                Who::Participant,
            ];
            cases.push(("GET", "/".into(), vec![], MOVED, None));
            cases.push(("GET", "/login".into(), vec![], OK, None));
            cases.push((
                "POST",
                "/language".into(),
                vec![("locale", "en".into())],
                plain_rule(who, &everyone, MOVED),
                None,
            ));
            cases.push((
                "POST",
                "/me/sign-out-everywhere".into(),
                vec![],
                plain_rule(who, &own, MOVED),
                None,
            ));
            // Last: it ends the session.
            cases.push((
                "POST",
                "/logout".into(),
                vec![],
                plain_rule(who, &everyone, MOVED),
                None,
            ));

            for (method, path, form, expected, audited) in cases {
                let before = audit(&app).await.len();
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let res = match method {
                    "GET" => client.get(&path).await,
                    _ => client.post(&path, &form).await,
                };
                let status = res.status().as_u16();
                let body = res.text().await.unwrap();
                assert_eq!(
                    status, expected,
                    "{}: {who:?} {method} {path}: {body}",
                    app.backend
                );
                let after = audit(&app).await;
                let added: Vec<_> = after[before..]
                    .iter()
                    .map(|(w, a, p)| {
                        let p = p.as_deref().map(|p| {
                            if p.starts_with("D-") && p.len() == 14 {
                                "D-*"
                            } else {
                                p
                            }
                        });
                        (w.as_str(), a.as_str(), p)
                    })
                    .collect();
                let success = matches!(status, 200 | 303) && who != Who::Anonymous;
                let want: Vec<(&str, &str, Option<&str>)> = match (success, audited) {
                    (true, Some((action, p))) => vec![(user, action, p)],
                    _ => vec![],
                };
                assert_eq!(
                    added, want,
                    "{}: audit of {who:?} {method} {path}",
                    app.backend
                );
            }
        }
    }
}

#[tokio::test]
async fn a_stand_in_reaches_the_caseload_only_during_the_absence() {
    for app in spawn_apps("a_stand_in_reaches_the_caseload_only_during_the_absence").await {
        let lead = signed_in(&app, "lead1").await;
        let coach2 = signed_in(&app, "coach2").await;
        assert_eq!(
            coach2.get("/participants/A1").await.status(),
            StatusCode::NOT_FOUND
        );
        let r = lead
            .post(
                "/stand-ins",
                &[
                    ("coach", "C1"),
                    ("stand_in", "C2"),
                    ("from", "2026-03-02"),
                    ("to", "2026-03-03"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            coach2.get("/participants/A1").await.status(),
            StatusCode::OK
        );
        let (_, day) = coach2.text("/day").await;
        assert!(
            day.contains("Amal"),
            "the stand-in's day shows the caseload covered"
        );
        app.clock.advance(chrono::Duration::days(2));
        // A fresh sign-in: sessions end after 30 idle minutes anyway.
        let coach2 = signed_in(&app, "coach2").await;
        assert_eq!(
            coach2.get("/participants/A1").await.status(),
            StatusCode::NOT_FOUND
        );
        // The designated coach keeps the caseload throughout.
        let coach1 = signed_in(&app, "coach1").await;
        assert_eq!(
            coach1.get("/participants/A1").await.status(),
            StatusCode::OK
        );
        // A coach of another program cannot be named.
        let lead = signed_in(&app, "lead1").await;
        let r = lead
            .post(
                "/stand-ins",
                &[
                    ("coach", "C1"),
                    ("stand_in", "C3"),
                    ("from", "2026-03-04"),
                    ("to", "2026-03-05"),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_change_of_coach_moves_the_caseload_and_is_kept_as_history() {
    for app in spawn_apps("a_change_of_coach_moves_the_caseload_and_is_kept_as_history").await {
        let lead = signed_in(&app, "lead1").await;
        let r = lead
            .post(
                "/participants/A1/coach",
                &[("coach", "C2"), ("on", "2026-03-02")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let coach1 = signed_in(&app, "coach1").await;
        let coach2 = signed_in(&app, "coach2").await;
        assert_eq!(
            coach1.get("/participants/A1").await.status(),
            StatusCode::NOT_FOUND
        );
        let (status, page) = coach2.text("/participants/A1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("C1 → C2"), "the timeline keeps the change");
    }
}
