//! The participant's own fika over HTTP: invitations (once, 14 days, withdrawn, out of
//! reach), the plan, ticks, goals in their own words, "I'd like to talk", check-ins and the
//! prompt, the small-cell rule, who has read the record, ending access, signing out
//! everywhere.

use reqwest::StatusCode;

use super::helpers::*;

/// The `href` of the element with this `id`.
fn href_of(html: &str, id: &str) -> String {
    let pattern = format!("id=\"{id}\" href=\"");
    let at = html.find(&pattern).expect(id) + pattern.len();
    html[at..].split('"').next().unwrap().to_owned()
}

fn token_of(html: &str) -> String {
    let at = html
        .find("name=\"join_token\" value=\"")
        .expect("a join form")
        + 25;
    html[at..].split('"').next().unwrap().to_owned()
}

/// The coach (or lead) `staff` makes an invitation for `participant`; its path `/join/…`.
async fn invite(staff: &Client, participant: &str) -> String {
    let r = staff
        .post(&format!("/participants/{participant}/invitations"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("<svg"), "a QR code");
    let link = href_of(&page, "invitation-link");
    let path = link[link.find("/join/").unwrap()..].to_owned();
    assert!(page.contains(&path[6..]), "the code is shown");
    path
}

/// Opens an invitation and makes an account; the status of the POST and the client.
async fn join(app: &TestApp, path: &str, login: &str, password: &str) -> (StatusCode, Client) {
    let c = client(app);
    let (status, page) = c.text(path).await;
    if status != StatusCode::OK {
        return (status, c);
    }
    let token = token_of(&page);
    let r = c
        .post_raw(
            path,
            &[
                ("join_token", &token),
                ("login", login),
                ("password", password),
                ("password_again", password),
                ("locale", "en"),
            ],
        )
        .await;
    (r.status(), c)
}

#[tokio::test]
async fn an_invitation_works_once_and_signs_the_participant_in() {
    for app in spawn_apps("an_invitation_works_once_and_signs_the_participant_in").await {
        let coach = signed_in(&app, "coach1").await;
        let path = invite(&coach, "A1").await;
        let (status, mut amal) = join(&app, &path, "amal", PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", app.backend);
        amal.refresh_csrf().await;
        let (status, plan) = amal.text("/me").await;
        assert_eq!(status, StatusCode::OK);
        assert!(plan.contains("I want to work with animals"), "her goal");
        assert!(plan.contains("Call the stables"), "her step");
        assert!(
            plan.contains("Your coach is Åsa"),
            "the coach by first name"
        );
        // Once only: the same link again is refused, and nothing is written.
        let before = audit(&app).await.len();
        let (status, _) = join(&app, &path, "amal2", PASSWORD).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(audit(&app).await.len(), before);
        // She signs in again later with what she chose.
        let mut again = client(&app);
        assert_eq!(
            again.try_login("amal", PASSWORD).await,
            StatusCode::SEE_OTHER
        );
        let actions: Vec<_> = audit(&app)
            .await
            .into_iter()
            .filter(|(_, a, _)| a.starts_with("invitation."))
            .map(|(w, a, p)| (w.starts_with("U-"), a, p))
            .collect();
        assert_eq!(
            actions,
            [
                (true, "invitation.create".to_owned(), Some("A1".to_owned())),
                (true, "invitation.accept".to_owned(), Some("A1".to_owned())),
            ]
        );
    }
}

#[tokio::test]
async fn an_invitation_expires_after_14_days_and_is_refused_when_withdrawn() {
    for app in spawn_apps("an_invitation_expires_after_14_days_and_is_refused_when_withdrawn").await
    {
        let coach = signed_in(&app, "coach1").await;
        let path = invite(&coach, "A1").await;
        // The last minute of its fourteenth day it still opens.
        app.clock
            .advance(chrono::Duration::days(14) - chrono::Duration::minutes(1));
        assert_eq!(client(&app).get(&path).await.status(), StatusCode::OK);
        app.clock.advance(chrono::Duration::minutes(1));
        let (status, _) = join(&app, &path, "amal", PASSWORD).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "expired");

        let coach = signed_in(&app, "coach1").await;
        let path = invite(&coach, "A1").await;
        let c = client(&app);
        let (_, form) = c.text(&path).await;
        let token = token_of(&form);
        let (_, page) = coach.text("/participants/A1/access").await;
        let at = page.find("/withdraw\"").expect("a withdraw button");
        let start = page[..at].rfind("action=\"").unwrap() + 8;
        let withdraw = format!("{}/withdraw", &page[start..at]);
        assert_eq!(
            coach.post(&withdraw, &[]).await.status(),
            StatusCode::SEE_OTHER
        );
        // The form opened before the withdrawal cannot be used either.
        let r = c
            .post_raw(
                &path,
                &[
                    ("join_token", &token),
                    ("login", "amal"),
                    ("password", PASSWORD),
                    ("password_again", PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "withdrawn");
        let mut nobody = client(&app);
        assert_eq!(
            nobody.try_login("amal", PASSWORD).await,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn only_staff_who_reach_the_participant_can_invite() {
    for app in spawn_apps("only_staff_who_reach_the_participant_can_invite").await {
        for (login, status) in [
            ("coach2", StatusCode::NOT_FOUND),
            ("coach3", StatusCode::NOT_FOUND),
            ("admin", StatusCode::FORBIDDEN),
            ("evaluator", StatusCode::FORBIDDEN),
            ("lead1", StatusCode::OK),
        ] {
            let c = signed_in(&app, login).await;
            let before = audit(&app).await.len();
            let r = c.post("/participants/A1/invitations", &[]).await;
            assert_eq!(r.status(), status, "{login}");
            let added = audit(&app).await.len() - before;
            assert_eq!(added, usize::from(status == StatusCode::OK), "{login}");
        }
    }
}

#[tokio::test]
async fn a_password_is_checked_and_the_form_says_why() {
    for app in spawn_apps("a_password_is_checked_and_the_form_says_why").await {
        let coach = signed_in(&app, "coach1").await;
        let path = invite(&coach, "A1").await;
        for (password, says) in [
            ("short one", "at least 12 characters"),
            ("amal-is-my-password", "must not contain the name"),
        ] {
            let (status, c) = join(&app, &path, "amal", password).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{password}");
            drop(c);
            let c = client(&app);
            let (_, page) = c.text(&path).await;
            let r = c
                .post_raw(
                    &path,
                    &[
                        ("join_token", &token_of(&page)),
                        ("login", "amal"),
                        ("password", password),
                        ("password_again", password),
                    ],
                )
                .await;
            assert!(r.text().await.unwrap().contains(says), "{password}");
        }
        // The refusals used nothing up.
        let (status, _) = join(&app, &path, "amal", PASSWORD).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn the_participant_ticks_off_rewords_and_asks_to_talk() {
    for app in spawn_apps("the_participant_ticks_off_rewords_and_asks_to_talk").await {
        add_participant_user(&app, "A1", "amal").await;
        let amal = signed_in(&app, "amal").await;
        assert_eq!(
            amal.post("/me/steps/S-A1a/done", &[]).await.status(),
            StatusCode::SEE_OTHER
        );
        let (_, plan) = amal.text("/me").await;
        assert!(!plan.contains("Call the stables"), "ticked off");
        assert!(plan.contains("Ask about hours"), "the coach's step stays");
        let r = amal
            .post("/me/goals/G1", &[("text", "Work with horses")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, plan) = amal.text("/me").await;
        assert!(
            plan.contains("Work with horses")
                && plan.contains("before: “I want to work with animals”")
        );
        let coach = signed_in(&app, "coach1").await;
        let (_, page) = coach.text("/participants/A1").await;
        assert!(
            page.contains("reworded by the participant, before: “I want to work with animals”")
        );
        // "I'd like to talk" puts a line on the coach's day, once, until they meet.
        assert_eq!(
            amal.post("/me/talk", &[]).await.status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            amal.post("/me/talk", &[]).await.status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let (_, day) = coach.text("/day").await;
        assert!(day.contains("id=\"talk-requests\"") && day.contains("Would like to talk"));
        let coach2 = signed_in(&app, "coach2").await;
        let (_, day2) = coach2.text("/day").await;
        assert!(!day2.contains("talk-requests"), "only on her coach's day");
        let r = coach
            .post(
                "/participants/A1/meeting",
                &[("place", "cafe"), ("minutes", "30")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let (_, day) = coach.text("/day").await;
        assert!(!day.contains("talk-requests"), "gone once they have met");
    }
}

async fn check_in(c: &Client, scores: [&str; 4], sharing: &str) -> StatusCode {
    c.post(
        "/me/check-in",
        &[
            ("score_person", scores[0]),
            ("score_heard", scores[1]),
            ("score_goal", scores[2]),
            ("score_overall", scores[3]),
            ("words", "Good to be asked"),
            ("sharing", sharing),
        ],
    )
    .await
    .status()
}

#[tokio::test]
async fn a_low_shared_check_in_prompts_the_next_meeting_and_a_counted_one_shows_nothing() {
    for app in
        spawn_apps("a_low_shared_check_in_prompts_the_next_meeting_and_a_counted_one_shows_nothing")
            .await
    {
        add_participant_user(&app, "A1", "amal").await;
        let amal = signed_in(&app, "amal").await;
        let coach = signed_in(&app, "coach1").await;
        // Only counted: nothing of it reaches the coach's pages.
        assert_eq!(
            check_in(&amal, ["2", "1", "0", "1"], "counted_only").await,
            StatusCode::SEE_OTHER
        );
        let (_, meeting) = coach.text("/participants/A1/meeting").await;
        assert!(!meeting.contains("check-in-prompt"));
        let (_, page) = coach.text("/participants/A1").await;
        assert!(
            !page.contains("Good to be asked") && page.contains("No check-ins shared with you")
        );
        let (_, trend) = coach.text("/check-ins").await;
        assert!(
            trend.contains("Too few to show"),
            "one check-in is counted, never shown"
        );
        // Shared and low: the prompt, on the meeting form and the participant's page.
        assert_eq!(
            check_in(&amal, ["9", "4", "9", "9"], "coach_and_me").await,
            StatusCode::SEE_OTHER
        );
        let (_, meeting) = coach.text("/participants/A1/meeting").await;
        assert!(meeting.contains("id=\"check-in-prompt\"") && meeting.contains("was low"));
        assert!(meeting.contains("The participant can read this."));
        let (_, page) = coach.text("/participants/A1").await;
        assert!(
            page.contains("Good to be asked"),
            "a shared check-in's words"
        );
        // Out of reach: another coach sees nothing of it.
        let coach2 = signed_in(&app, "coach2").await;
        assert_eq!(
            coach2.get("/participants/A1/meeting").await.status(),
            StatusCode::NOT_FOUND
        );
        // After the next meeting the prompt has done its work.
        app.clock.advance(chrono::Duration::days(1));
        let coach = signed_in(&app, "coach1").await;
        coach
            .post(
                "/participants/A1/meeting",
                &[("place", "cafe"), ("minutes", "30")],
            )
            .await;
        let (_, meeting) = coach.text("/participants/A1/meeting").await;
        assert!(!meeting.contains("check-in-prompt"));
        // A drop of 6 points against the last shared one prompts again.
        let amal = signed_in(&app, "amal").await;
        assert_eq!(
            check_in(&amal, ["10", "10", "10", "10"], "coach_and_me").await,
            StatusCode::SEE_OTHER
        );
        let (_, meeting) = coach.text("/participants/A1/meeting").await;
        assert!(!meeting.contains("check-in-prompt"));
        assert_eq!(
            check_in(&amal, ["8", "8", "8", "10"], "coach_and_me").await,
            StatusCode::SEE_OTHER
        );
        let (_, meeting) = coach.text("/participants/A1/meeting").await;
        assert!(meeting.contains("was lower than the one before"));
        // Bad answers are refused and write nothing.
        let before = audit(&app).await.len();
        assert_eq!(
            check_in(&amal, ["11", "8", "8", "8"], "coach_and_me").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            check_in(&amal, ["8", "8", "8", "8"], "everyone").await,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        // Words are text by the rules of `check_ins.csv`: no control character.
        let refused = amal
            .post(
                "/me/check-in",
                &[
                    ("score_person", "8"),
                    ("score_heard", "8"),
                    ("score_goal", "8"),
                    ("score_overall", "8"),
                    ("words", "a\u{1b}b"),
                    ("sharing", "coach_and_me"),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = refused.text().await.unwrap();
        assert!(body.contains("control character"), "{body}");
        assert_eq!(audit(&app).await.len(), before);
    }
}

/// Adds check-ins straight to the store, one per (participant, day of March).
async fn add_check_ins(app: &TestApp, who: &[&str]) {
    use fika_core::check_in::{Score, Sharing};
    use fika_store::participant_view::NewCheckIn;
    let store = app.store.clone();
    let who: Vec<String> = who.iter().map(|s| (*s).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        for (i, p) in who.iter().enumerate() {
            let actor = fika_store::Actor {
                user: format!("U-{p}"),
                at: "2026-03-02T10:00:00Z".into(),
            };
            store
                .add_check_in(
                    &actor,
                    &NewCheckIn {
                        id: format!("CI-{p}-{i}").parse().unwrap(),
                        participant: p.parse().unwrap(),
                        on: fika_core::parse_date(&format!("2026-03-{:02}", i + 1)).unwrap(),
                        scores: [6, 7, 8, 9].map(|s| Score::new(s).unwrap()),
                        words: None,
                        sharing: Sharing::CountedOnly,
                    },
                )
                .unwrap();
        }
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_lead_sees_the_program_only_above_the_small_cell_edge() {
    // A1 and A3 are Åsa's, A2 is Bo's: the lead's figure is theirs together.
    for (who, shown) in [
        (&["A1", "A2", "A3", "A1"][..], false),
        (&["A1", "A2", "A1", "A2", "A1"][..], false),
        (&["A1", "A2", "A3", "A1", "A2"][..], true),
    ] {
        let app = spawn_app().await;
        add_check_ins(&app, who).await;
        let lead = signed_in(&app, "lead1").await;
        let (status, page) = lead.text("/check-ins").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains(&format!("<td>{}</td>", who.len())),
            "the count is shown"
        );
        assert_eq!(
            page.contains("<td>6</td><td>7</td><td>8</td><td>9</td>"),
            shown,
            "{who:?}"
        );
        assert_eq!(page.contains("Too few to show"), !shown, "{who:?}");
        assert!(
            !page.contains("Åsa") && !page.contains("Bo<"),
            "no coach named, none ranked"
        );
    }
}

#[tokio::test]
async fn the_participant_sees_who_read_their_record() {
    for app in spawn_apps("the_participant_sees_who_read_their_record").await {
        add_participant_user(&app, "A1", "amal").await;
        let coach = signed_in(&app, "coach1").await;
        coach.get("/participants/A1").await;
        let amal = signed_in(&app, "amal").await;
        amal.get("/me").await;
        let (status, log) = amal.text("/me/log").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            log.contains("<strong>Åsa</strong> (Coach) read your record"),
            "{log}"
        );
        assert!(
            log.contains("<strong>admin</strong> (Administrator) changed your record"),
            "the invitation"
        );
        assert!(
            !log.contains("(Participant)"),
            "her own reads are not staff reads"
        );
        let own: Vec<_> = audit(&app)
            .await
            .into_iter()
            .filter(|(w, _, _)| w == "U-amal")
            .map(|(_, a, _)| a)
            .collect();
        assert_eq!(
            own,
            [
                "invitation.accept",
                "participant.read",
                "participant.read",
                "record_log.read"
            ]
        );
    }
}

#[tokio::test]
async fn ending_access_and_signing_out_everywhere_end_every_session() {
    for app in spawn_apps("ending_access_and_signing_out_everywhere_end_every_session").await {
        add_participant_user(&app, "A1", "amal").await;
        let phone = signed_in(&app, "amal").await;
        let laptop = signed_in(&app, "amal").await;
        assert_eq!(
            phone.post("/me/sign-out-everywhere", &[]).await.status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            laptop.get("/me").await.status(),
            StatusCode::SEE_OTHER,
            "signed out there too"
        );
        let phone = signed_in(&app, "amal").await;
        let coach = signed_in(&app, "coach1").await;
        assert_eq!(
            coach
                .post("/participants/A1/access/end", &[])
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(phone.get("/me").await.status(), StatusCode::SEE_OTHER);
        let mut again = client(&app);
        assert_eq!(
            again.try_login("amal", PASSWORD).await,
            StatusCode::UNAUTHORIZED
        );
        let (_, page) = coach.text("/participants/A1/access").await;
        assert!(page.contains("amal — access ended"));
    }
}

#[tokio::test]
async fn the_participant_pages_are_in_swedish() {
    let app = spawn_app().await;
    add_participant_user(&app, "A1", "amal").await;
    let amal = signed_in(&app, "amal").await;
    amal.post("/language", &[("locale", "sv")]).await;
    for (path, words) in [
        ("/me", "Din coach heter Åsa"),
        ("/me/check-in", "Vem ser det här?"),
        ("/me/log", "Vem har läst om mig"),
        ("/me/meetings", "Alla våra möten"),
    ] {
        let (status, page) = amal.text(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(page.contains(words), "{path}");
        for english in ["Your coach", "Who sees", "I'd like to talk", "Check in (30"] {
            assert!(!page.contains(english), "{path}: {english}");
        }
    }
    let (_, join) = client(&app).text("/join?lang=sv").await;
    assert!(join.contains("Skriv koden från din inbjudan"));
}

#[tokio::test]
async fn the_demo_has_a_participant_login_with_check_ins() {
    for app in spawn_apps("the_demo_has_a_participant_login_with_check_ins").await {
        let store = app.store.clone();
        let login = tokio::task::spawn_blocking(move || {
            fika_web::demo::add_demo_participant(store.as_ref(), start_time().date_naive())
        })
        .await
        .unwrap()
        .unwrap()
        .expect("a participant login");
        assert_eq!(login.role, fika_store::Role::Participant);
        // The first coach by name is Bo, whose caseload is Alva (A2).
        assert!(login.sees.contains("A2"), "{}", login.sees);
        let mut c = client(&app);
        assert_eq!(
            c.try_login(&login.login, &login.password).await,
            StatusCode::SEE_OTHER
        );
        c.refresh_csrf().await;
        let (status, plan) = c.text("/me").await;
        assert_eq!(status, StatusCode::OK);
        assert!(plan.contains("Last check-in 2026-03-01"), "{plan}");
        let bo = signed_in(&app, "coach2").await;
        let (_, meeting) = bo.text("/participants/A2/meeting").await;
        assert!(meeting.contains("check-in-prompt"), "the latest is low");
        let (_, trend) = bo.text("/check-ins").await;
        assert!(trend.contains("2026-01") && trend.contains("2026-03"));
    }
}

#[tokio::test]
async fn the_plan_shows_the_latest_meetings_and_every_meeting_on_its_own_page() {
    use fika_core::*;
    use fika_store::Reach;
    use fika_store::caseload::{Actor, NewMeeting};
    for app in
        spawn_apps("the_plan_shows_the_latest_meetings_and_every_meeting_on_its_own_page").await
    {
        add_participant_user(&app, "A1", "amal").await;
        let amal = signed_in(&app, "amal").await;
        // One meeting (M1, 2026-02-10) so far: no link to older ones.
        let (_, plan) = amal.text("/me").await;
        assert!(plan.contains("2026-02-10"), "{}", app.backend);
        assert!(!plan.contains("href=\"/me/meetings\""));
        // Eleven more, two of them on one day, so that twelve in all are more than the ten
        // the plan shows.
        let store = app.store.clone();
        tokio::task::spawn_blocking(move || {
            let actor = Actor {
                user: "test".into(),
                at: "2026-03-02T09:00:00Z".into(),
            };
            let reach = Reach::Program(ProgramId::parse("P1").unwrap());
            for i in 0..11u32 {
                let day = 11 + i.min(9);
                store
                    .record_meeting(
                        &actor,
                        &reach,
                        &NewMeeting {
                            meeting: Meeting {
                                id: MeetingId::parse(&format!("MX{i:02}")).unwrap(),
                                participant: ParticipantId::parse("A1").unwrap(),
                                coach: CoachId::parse("C1").unwrap(),
                                date: parse_date(&format!("2026-02-{day}")).unwrap(),
                                minutes: Minutes::parse("30").unwrap(),
                                place: Place::parse("cafe").unwrap(),
                                note: Some(format!("note {i:02}")),
                            },
                            steps: vec![],
                            done: vec![],
                            next_meeting: None,
                        },
                    )
                    .unwrap();
            }
        })
        .await
        .unwrap();
        let before = audit(&app).await.len();
        let (status, plan) = amal.text("/me").await;
        assert_eq!(status, StatusCode::OK);
        // The ten latest, newest first: on 2026-02-20 note 10 (recorded later) before note 09.
        let at = |needle: &str| plan.find(needle);
        for i in 1..=10 {
            assert!(at(&format!("note {i:02}")).is_some(), "note {i:02}");
        }
        assert!(at("note 10").unwrap() < at("note 09").unwrap());
        assert!(at("note 09").unwrap() < at("note 08").unwrap());
        assert!(
            at("note 00").is_none(),
            "the eleventh latest is not on the plan"
        );
        assert!(!plan.contains("2026-02-10"), "nor the first meeting");
        assert!(plan.contains("href=\"/me/meetings\""), "a link to them all");
        // The plan's read is audited once, as the participant's own read.
        let rows = audit(&app).await;
        assert_eq!(rows.len(), before + 1);
        let last = rows.last().unwrap();
        assert_eq!(
            (last.1.as_str(), last.2.as_deref()),
            ("participant.read", Some("A1"))
        );
        let (status, all) = amal.text("/me/meetings").await;
        assert_eq!(status, StatusCode::OK);
        for i in 0..=10 {
            assert!(all.contains(&format!("note {i:02}")), "note {i:02}");
        }
        assert!(all.contains("2026-02-10"));
        assert!(all.find("note 00").unwrap() < all.find("2026-02-10").unwrap());
        assert_eq!(audit(&app).await.len(), before + 2);
    }
}

#[tokio::test]
async fn the_plan_names_the_stand_in_only_while_they_stand_in() {
    for app in spawn_apps("the_plan_names_the_stand_in_only_while_they_stand_in").await {
        add_participant_user(&app, "A1", "amal").await;
        let lead = signed_in(&app, "lead1").await;
        for (from, to) in [("2026-03-02", "2026-03-03"), ("2026-03-10", "2026-03-12")] {
            let r = lead
                .post(
                    "/stand-ins",
                    &[
                        ("coach", "C1"),
                        ("stand_in", "C2"),
                        ("from", from),
                        ("to", to),
                    ],
                )
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        let amal = signed_in(&app, "amal").await;
        let (_, plan) = amal.text("/me").await;
        assert!(
            plan.contains("While Åsa is away, you can turn to Bo until 2026-03-03."),
            "{}: {plan}",
            app.backend
        );
        assert!(!plan.contains("2026-03-12"), "not the later absence yet");
        app.clock.advance(chrono::Duration::days(2));
        let amal = signed_in(&app, "amal").await;
        let (_, plan) = amal.text("/me").await;
        assert!(!plan.contains("While Åsa is away"), "between the absences");
        assert!(plan.contains("Your coach is Åsa"));
    }
}
