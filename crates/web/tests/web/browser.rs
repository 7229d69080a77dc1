//! Journeys in real headless Chromium over WebDriver, at phone width (360 × 800). The test
//! starts chromedriver itself on a free port; without `/usr/bin/chromedriver` it says
//! `SKIPPED (no chromedriver): …` and passes. Screenshots of the day, the meeting form and a
//! participant's page are written to `docs/screenshots/` for the coach's guide.
//! A second journey codes a transcript by selecting text (`qual-source.png`).

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use super::helpers::*;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

struct Driver {
    child: Child,
    _profile: tempfile::TempDir,
    client: Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver leads its own process group (see `browser`): ending the group ends
        // the Chromium it started too, even when a failed test never closed the session.
        let _ = Command::new("kill")
            .arg("--")
            .arg(format!("-{}", self.child.id()))
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver and a fresh Chromium, or `None` (after saying so) when not installed.
async fn browser(test: &str) -> Option<Driver> {
    if !Path::new(CHROMEDRIVER).exists() {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "SKIPPED (no chromedriver): {test}");
        return None;
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=360,800",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last = None;
    for _ in 0..100 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                return Some(Driver {
                    child,
                    _profile: profile,
                    client,
                });
            }
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("cannot reach chromedriver: {last:?}");
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Clicks `css` where the click stays on the page (a label, a radio button, a summary);
/// a click that loads a page goes through `click_to_load`.
async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

async fn type_into(c: &Client, css: &str, text: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .send_keys(text)
        .await
        .unwrap();
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn path(c: &Client) -> String {
    c.current_url().await.unwrap().path().to_owned()
}

/// How long a page may take to load, or an element to show its text: long enough for a
/// machine busy with other builds, which is when a journey would otherwise race its pages.
const PATIENCE: Duration = Duration::from_secs(15);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// The attribute `click_to_load` puts on the `<html>` of the page being left; a page the
/// server sends never has it.
const LEAVING: &str = "data-test-leaving";

/// Clicks `css` — a link or a form's button — and waits (up to `PATIENCE`) until the page
/// that click loads is there and loaded. The page being left is marked first, so a form
/// answered with its own address (a POST redirected back to the same path) is not taken
/// for its answer: no later `find` can reach an element of the old page and have it
/// replaced under the next click ("stale element reference"). Every click that loads a
/// page goes through here.
async fn click_to_load(c: &Client, css: &str) {
    c.execute(
        "document.documentElement.setAttribute(arguments[0], ''); return true;",
        vec![serde_json::json!(LEAVING)],
    )
    .await
    .unwrap_or_else(|e| panic!("{css}: marking the page being left: {e}"));
    click(c, css).await;
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        // While the browser leaves the page a script may fail to run: look again.
        let last = match c
            .execute(
                "return document.documentElement.hasAttribute(arguments[0])
                     ? 'the page being left' : document.readyState;",
                vec![serde_json::json!(LEAVING)],
            )
            .await
        {
            Ok(state) if state == "complete" => return,
            Ok(state) => state.to_string(),
            Err(e) => e.to_string(),
        };
        if tokio::time::Instant::now() >= deadline {
            panic!(
                "{css}: no new page loaded within {PATIENCE:?}; at {}: {last}",
                path(c).await
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits (up to `PATIENCE`) for the element to show `text`.
async fn eventually(c: &Client, css: &str, text: &str) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut last = String::new();
    loop {
        if let Ok(e) = c.find(Locator::Css(css)).await {
            last = e.text().await.unwrap_or_default();
            if last.contains(text) {
                return;
            }
        }
        if tokio::time::Instant::now() >= deadline {
            panic!("{css}: expected {text:?}, found {last:?}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits (up to `PATIENCE`) for the browser to be at `expected` — after `click_to_load`
/// (or `sign_in`), whose new page it checks.
async fn arrive(c: &Client, expected: &str) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while path(c).await != expected {
        if tokio::time::Instant::now() >= deadline {
            let body = text_of(c, "body").await;
            panic!("expected {expected}, at {}: {body}", path(c).await);
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Words that would betray an untranslated English text on a Swedish page.
const ENGLISH: &[&str] = &[
    "Meeting",
    "meeting",
    "Sign out",
    "Save",
    "Employer",
    "Open next",
    "Overdue",
    "Timeline",
    "Where",
    "How long",
    "Next step",
    "days since",
    "My day",
    "Participant",
    "Follow-along",
    "starts a job",
];

#[tokio::test]
async fn a_coachs_day_in_the_browser_at_phone_width() {
    let Some(driver) = browser("a_coachs_day_in_the_browser_at_phone_width").await else {
        return;
    };
    let app = spawn_app().await;
    let base = format!("http://{}", app.addr);
    let c = &driver.client;

    // Sign in; the start page is the day.
    c.goto(&format!("{base}/login")).await.unwrap();
    type_into(c, "#login", "coach1").await;
    type_into(c, "#password", PASSWORD).await;
    click_to_load(c, "button[type=submit]").await;
    arrive(c, "/day").await;
    assert_eq!(
        text_of(c, "h1")
            .await
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>(),
        ["My", "day"]
    );
    let quiet = text_of(c, "main").await;
    assert!(
        quiet.contains("Amal"),
        "no contact for 14 days and no employer contact yet"
    );
    std::fs::write(screenshots().join("day.png"), c.screenshot().await.unwrap()).unwrap();

    // Record a meeting: one tap each for place and length, a note, a step by next meeting.
    c.goto(&format!("{base}/participants/A1/meeting"))
        .await
        .unwrap();
    // The big buttons are real radio buttons: the arrow keys move between them.
    c.find(Locator::Css("#place-cafe"))
        .await
        .unwrap()
        .send_keys("\u{E014}")
        .await
        .unwrap();
    let checked = c.find(Locator::Css("#place-workplace")).await.unwrap();
    assert_eq!(
        checked.prop("checked").await.unwrap().as_deref(),
        Some("true")
    );
    click(c, "label[for=place-workplace]").await;
    click(c, "label[for=min-45]").await;
    type_into(c, "#note", "Saw the stables together").await;
    type_into(c, "#step0-text", "Send the application").await;
    click(c, "label[for=step0-due-next]").await;
    std::fs::write(
        screenshots().join("meeting.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    click_to_load(c, "form.meeting button[type=submit]").await;
    arrive(c, "/participants/A1").await;
    assert!(text_of(c, "main").await.contains("Send the application"));

    // The day shows the next meeting and the open step; open the meeting and tick it off.
    c.goto(&format!("{base}/day")).await.unwrap();
    let day = text_of(c, "main").await;
    assert!(day.contains("Send the application") && day.contains("2026-03-09"));
    click_to_load(c, "section[aria-labelledby=h-meetings] a").await;
    arrive(c, "/participants/A1/meeting").await;
    let label = c
        .find(Locator::XPath(
            "//label[contains(., 'Send the application')]",
        ))
        .await
        .unwrap();
    label.click().await.unwrap();
    click_to_load(c, "form.meeting button[type=submit]").await;
    arrive(c, "/participants/A1").await;
    let open = text_of(c, "section[aria-labelledby=h-open]").await;
    assert!(!open.contains("Send the application"), "{open}");

    std::fs::write(
        screenshots().join("participant.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();

    // An employer contact moves the weekly count.
    c.goto(&format!("{base}/employers")).await.unwrap();
    assert_eq!(text_of(c, "#weekly-contacts strong").await, "0");
    click(c, "label[for=purpose-present_candidate]").await;
    click_to_load(c, "form[action='/employers/contacts'] button[type=submit]").await;
    eventually(c, "#weekly-contacts strong", "1").await;

    // A job starting in three days brings a follow-along reminder.
    c.goto(&format!("{base}/participants/A1")).await.unwrap();
    click(c, "label[for=kind-placement]").await;
    type_into(c, "#job-title", "Stable hand").await;
    c.execute(
        "document.getElementById('job-start').value = '2026-03-05';",
        vec![],
    )
    .await
    .unwrap();
    click_to_load(c, "form[action$='/jobs'] button[type=submit]").await;
    arrive(c, "/participants/A1").await;
    eventually(c, "section[aria-labelledby=h-timeline]", "Stable hand").await;
    c.goto(&format!("{base}/day")).await.unwrap();
    let follow = text_of(c, "#follow-along").await;
    assert!(
        follow.contains("Stable hand") && follow.contains("2026-03-05"),
        "{follow}"
    );

    // Switch to Swedish: no English is left on these pages.
    click_to_load(c, "button[name=locale][value=sv]").await;
    eventually(c, "h1", "Min dag").await;
    for p in [
        "/day",
        "/participants/A1",
        "/participants/A1/meeting",
        "/employers",
    ] {
        c.goto(&format!("{base}{p}")).await.unwrap();
        let text = text_of(c, "body").await.replace("English", "");
        for w in ENGLISH {
            assert!(!text.contains(w), "{p}: {w:?} in {text}");
        }
    }
    c.goto(&format!("{base}/day")).await.unwrap();
    std::fs::write(
        screenshots().join("day-sv.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    driver.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn coding_a_transcript_by_selecting_text() {
    let Some(driver) = browser("coding_a_transcript_by_selecting_text").await else {
        return;
    };
    use super::qual::{FIKA, SOURCE, setup, span};
    let app = spawn_app().await;
    setup(&app).await;
    let base = format!("http://{}", app.addr);
    let c = &driver.client;
    c.goto(&format!("{base}/login")).await.unwrap();
    type_into(c, "#login", "erik").await;
    type_into(c, "#password", PASSWORD).await;
    click_to_load(c, "button[type=submit]").await;
    arrive(c, "/evaluation").await;
    click_to_load(c, "a[href='/qual']").await;
    arrive(c, "/qual").await;
    click_to_load(c, "a[href='/qual/Q1']").await;
    arrive(c, "/qual/Q1").await;
    click_to_load(c, &format!("a[href='/qual/Q1/sources/{SOURCE}']")).await;
    arrive(c, &format!("/qual/Q1/sources/{SOURCE}")).await;

    // Select "café ☕ och pratade om jobb 😀" as a mouse would: the browser's offsets are
    // UTF-16 units (the emoji is two), the form's are code points.
    let needle = "café ☕ och pratade om jobb 😀";
    c.execute(
        "const t = document.getElementById('transcript').firstChild;
         const at = t.data.indexOf(arguments[0]);
         const r = document.createRange();
         r.setStart(t, at);
         r.setEnd(t, at + arguments[0].length);
         const s = window.getSelection();
         s.removeAllRanges();
         s.addRange(r);",
        vec![serde_json::json!(needle)],
    )
    .await
    .unwrap();
    eventually(c, "#selected-text", needle).await;
    let value = |name: &'static str| async move {
        c.find(Locator::Css(&format!("#code-form [name={name}]")))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    };
    let (s, e) = span(needle);
    assert_eq!(value("start").await, s.to_string());
    assert_eq!(value("end").await, e.to_string());
    click(c, &format!("label[for='code-{FIKA}']")).await;
    type_into(c, "#memo", "Första mötet på café").await;
    std::fs::write(
        screenshots().join("qual-source.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    click_to_load(c, "#code-form button[type=submit]").await;
    arrive(c, &format!("/qual/Q1/sources/{SOURCE}")).await;
    eventually(c, "#transcript mark", needle).await;
    eventually(c, "#coded", "Första mötet på café").await;

    let p = super::qual::project(&app).await;
    let sel = &p.sources[0].selections[0];
    assert_eq!((sel.start, sel.end), (s, e));
    assert_eq!(p.sources[0].slice(s, e), Some(needle));
    driver.client.clone().close().await.unwrap();
}

/// axe-core (the npm package), installed by `.ci/run` into `/tmp/fika-axe` or named by
/// `FIKA_AXE_JS`; `None`, after saying so, when it is missing.
fn axe_source(test: &str) -> Option<String> {
    let path = std::env::var("FIKA_AXE_JS")
        .unwrap_or_else(|_| "/tmp/fika-axe/node_modules/axe-core/axe.min.js".to_owned());
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED (no axe-core at {path}; npm install --prefix /tmp/fika-axe axe-core): {test}"
            );
            None
        }
    }
}

/// Runs axe-core on the page: no serious or critical violation; and at 320 px nothing is
/// wider than the screen.
async fn accessible(c: &Client, axe: &str) {
    let page = path(c).await;
    c.execute(&format!("{axe}\n;window.axe = axe; return true;"), vec![])
        .await
        .unwrap_or_else(|e| panic!("{page}: axe-core loads: {e}"));
    let version = c
        .execute("return window.axe.version;", vec![])
        .await
        .unwrap();
    assert!(
        version.as_str().is_some_and(|v| v.starts_with('4')),
        "{page}: axe-core {version}"
    );
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             window.axe.run(document).then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' ' + v.nodes.map(n => n.target.join(' ')).join(', '))));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(found, serde_json::json!([]), "{page}: axe-core violations");
    let wide = c
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(wide, serde_json::json!(false), "{page}: wider than 320 px");
}

async fn sign_in(c: &Client, base: &str, login: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.unwrap();
    type_into(c, "#login", login).await;
    type_into(c, "#password", password).await;
    click_to_load(c, "button[type=submit]").await;
}

async fn sign_out(c: &Client) {
    click_to_load(c, "form[action='/logout'] button").await;
    arrive(c, "/login").await;
}

/// The coach invites; the participant makes their account from the link on a 320 px phone,
/// sees their goal and steps, ticks one off and checks in.
async fn invite_and_join(c: &Client, base: &str, participant: &str, login: &str, axe: &str) {
    sign_in(c, base, "coach1", PASSWORD).await;
    arrive(c, "/day").await;
    c.goto(&format!("{base}/participants/{participant}"))
        .await
        .unwrap();
    click_to_load(c, &format!("a[href='/participants/{participant}/access']")).await;
    arrive(c, &format!("/participants/{participant}/access")).await;
    click_to_load(c, "form[action$='/invitations'] button").await;
    eventually(c, "h1", "New invitation").await;
    let link = c
        .find(Locator::Css("#invitation-link"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(c.find(Locator::Css(".qr svg")).await.is_ok(), "a QR code");
    sign_out(c).await;
    c.goto(&link).await.unwrap();
    accessible(c, axe).await;
    type_into(c, "#login", login).await;
    type_into(c, "#password", "a song I like to sing").await;
    type_into(c, "#password_again", "a song I like to sing").await;
    click_to_load(c, "button[type=submit]").await;
    arrive(c, "/me").await;
}

#[tokio::test]
async fn the_participants_journey_on_a_phone() {
    let test = "the_participants_journey_on_a_phone";
    let Some(axe) = axe_source(test) else {
        return;
    };
    let Some(driver) = browser(test).await else {
        return;
    };
    let app = spawn_app().await;
    let base = format!("http://{}", app.addr);
    let c = &driver.client;
    c.set_window_size(320, 800).await.unwrap();

    // Shared: the coach's next meeting with Amal shows the prompt.
    invite_and_join(c, &base, "A1", "amal", &axe).await;
    eventually(c, "main", "I want to work with animals").await;
    let plan = text_of(c, "main").await;
    assert!(plan.contains("I want to work with animals"), "{plan}");
    assert!(plan.contains("Call the stables") && plan.contains("Your coach is Åsa"));
    accessible(c, &axe).await;
    std::fs::write(
        screenshots().join("me-plan.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    // The same address again: `click_to_load` waits for the new page, not the address.
    click_to_load(c, "form[action='/me/steps/S-A1a/done'] button").await;
    let steps = text_of(c, "section[aria-labelledby=h-steps]").await;
    assert!(
        !steps.contains("Call the stables") && steps.contains("Ask about hours"),
        "{steps}"
    );
    click_to_load(c, "a[href='/me/check-in']").await;
    arrive(c, "/me/check-in").await;
    accessible(c, &axe).await;
    for (item, n) in [("person", 9), ("heard", 3), ("goal", 8), ("overall", 7)] {
        click(c, &format!("label[for=s-{item}-{n}]")).await;
    }
    type_into(c, "#words", "I wish we met more often").await;
    click(c, "label[for=share-coach]").await;
    std::fs::write(
        screenshots().join("me-check-in.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    click_to_load(c, "form[action='/me/check-in'] button[type=submit]").await;
    arrive(c, "/me").await;
    c.goto(&format!("{base}/me/log")).await.unwrap();
    accessible(c, &axe).await;
    assert!(
        text_of(c, "main").await.contains("Åsa"),
        "the coach read the record"
    );
    sign_out(c).await;
    sign_in(c, &base, "coach1", PASSWORD).await;
    arrive(c, "/day").await;
    c.goto(&format!("{base}/participants/A1/meeting"))
        .await
        .unwrap();
    eventually(c, "#check-in-prompt", "low").await;
    assert!(
        text_of(c, "main")
            .await
            .contains("The participant can read this.")
    );
    sign_out(c).await;

    // Only counted: Aron's low check-in reaches his coach as no answer at all.
    invite_and_join(c, &base, "A3", "aron", &axe).await;
    click_to_load(c, "a[href='/me/check-in']").await;
    arrive(c, "/me/check-in").await;
    for item in ["person", "heard", "goal", "overall"] {
        click(c, &format!("label[for=s-{item}-1]")).await;
    }
    type_into(c, "#words", "Not good at all").await;
    click(c, "label[for=share-counted]").await;
    click_to_load(c, "form[action='/me/check-in'] button[type=submit]").await;
    arrive(c, "/me").await;
    // The Swedish pages pass too.
    click_to_load(c, "button[name=locale][value=sv]").await;
    eventually(c, "h1", "Hej Aron").await;
    for p in ["/me", "/me/meetings", "/me/check-in", "/me/log"] {
        c.goto(&format!("{base}{p}")).await.unwrap();
        accessible(c, &axe).await;
    }
    sign_out(c).await;
    sign_in(c, &base, "coach1", PASSWORD).await;
    arrive(c, "/day").await;
    c.goto(&format!("{base}/participants/A3/meeting"))
        .await
        .unwrap();
    assert!(
        c.find(Locator::Css("#check-in-prompt")).await.is_err(),
        "no prompt"
    );
    c.goto(&format!("{base}/participants/A3")).await.unwrap();
    let page = text_of(c, "main").await;
    assert!(!page.contains("Not good at all") && page.contains("No check-ins shared with you"));
    driver.client.clone().close().await.unwrap();
}

/// A questionnaire round in Chromium: the evaluator imports a data dictionary, binds a
/// question to a figure and sends the round; the lead answers over two sittings and
/// submits; the evaluator sees the results chart and downloads the workbook.
#[tokio::test]
async fn a_questionnaire_round_in_the_browser() {
    let test = "a_questionnaire_round_in_the_browser";
    let Some(axe) = axe_source(test) else {
        return;
    };
    let Some(driver) = browser(test).await else {
        return;
    };
    let app = spawn_app().await;
    let base = format!("http://{}", app.addr);
    let c = &driver.client;
    c.set_window_size(1200, 900).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dict = dir.path().join("programs_2026.csv");
    std::fs::write(
        &dict,
        "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,\
\"Choices, Calculations, OR Slider Labels\",Field Note,Text Validation Type OR Show Slider Number,\
Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),\
Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,\
Field Annotation\n\
coaches,survey,Staff,text,Number of job coaches,,,integer,0,,,,y,,,,,\n\
team,survey,,radio,Integrated with a treatment team?,\"1, Yes | 0, No\",,,,,,,y,,,,,\n",
    )
    .unwrap();

    sign_in(c, &base, "evaluator", PASSWORD).await;
    arrive(c, "/evaluation").await;
    c.goto(&format!("{base}/questionnaires")).await.unwrap();
    c.find(Locator::Css("#qn-file"))
        .await
        .unwrap()
        .send_keys(dict.to_str().unwrap())
        .await
        .unwrap();
    click_to_load(c, "form[action='/questionnaires'] button[type=submit]").await;
    arrive(c, "/questionnaires/QN1").await;
    // The evaluator designs one more question in the page: refused first (a name with
    // capitals), then saved, shown only when the team is not integrated.
    click_to_load(c, "#add-question-0").await;
    arrive(c, "/questionnaires/QN1/new-question").await;
    accessible(c, &axe).await;
    type_into(c, "#f-name", "Why").await;
    c.find(Locator::Css("#f-kind option[value=long_text]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(c, "#f-label_en", "Why not?").await;
    type_into(c, "#f-label_sv", "Varför inte?").await;
    c.find(Locator::Css("#f-cond_question option[value=team]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    type_into(c, "#f-cond_value", "0").await;
    click_to_load(c, ".question-design button[type=submit]").await;
    eventually(c, "#e-name", "lower-case letters").await;
    accessible(c, &axe).await;
    c.find(Locator::Css("#f-name"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    type_into(c, "#f-name", "why").await;
    click_to_load(c, ".question-design button[type=submit]").await;
    arrive(c, "/questionnaires/QN1").await;
    eventually(c, "#q-why", "[team] = '0'").await;
    accessible(c, &axe).await;
    c.find(Locator::Css("#bind-coaches option[value=coaches]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_to_load(c, "form[action='/questionnaires/QN1/bind'] button").await;
    arrive(c, "/questionnaires/QN1").await;
    click(c, "input[name=program][value=P1]").await;
    click_to_load(
        c,
        "form[action='/questionnaires/QN1/send'] button[type=submit]",
    )
    .await;
    arrive(c, "/rounds/QR1").await;
    eventually(c, "#round-summary", "0 of 1").await;
    sign_out(c).await;

    // First sitting: the lead confirms fika's figure and saves.
    sign_in(c, &base, "lead1", PASSWORD).await;
    arrive(c, "/program").await;
    c.goto(&format!("{base}/questionnaires")).await.unwrap();
    click_to_load(c, "a[href='/rounds/QR1/answer']").await;
    arrive(c, "/rounds/QR1/answer").await;
    eventually(c, "#computed-coaches", "2").await;
    click_to_load(c, "button[value=save]").await;
    eventually(c, "main", "Answers saved.").await;
    sign_out(c).await;
    // Second sitting: the answer is still there; choose the team answer and submit.
    sign_in(c, &base, "lead1", PASSWORD).await;
    arrive(c, "/program").await;
    c.goto(&format!("{base}/rounds/QR1/answer")).await.unwrap();
    let kept = c
        .find(Locator::Css("#a-coaches"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("2"));
    click(c, "input[name=a_team][value='1']").await;
    click_to_load(c, "button[value=submit]").await;
    eventually(c, "main", "These answers have been submitted").await;
    sign_out(c).await;

    // The evaluator sees the chart and downloads the workbook.
    sign_in(c, &base, "evaluator", PASSWORD).await;
    arrive(c, "/evaluation").await;
    c.goto(&format!("{base}/rounds/QR1")).await.unwrap();
    eventually(c, "#round-summary", "1 of 1").await;
    c.find(Locator::Css("#result-team svg"))
        .await
        .expect("the team question's chart");
    std::fs::write(
        screenshots().join("questionnaire-results.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    let href = c
        .find(Locator::Css("#download-xlsx"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let got = c
        .execute_async(
            "const [href, done] = arguments; fetch(href).then(r => r.arrayBuffer().then(b => \
             done([r.status, r.headers.get('content-type'), new Uint8Array(b.slice(0, 2)).join(',')])));",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(
        got,
        serde_json::json!([
            200,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "80,75"
        ]),
        "the workbook downloads (a zip archive: PK)"
    );
}

/// Selects `needle` in the transcript as a mouse would, across the highlights' elements.
async fn select_in_transcript(c: &Client, needle: &str) {
    c.execute(
        "const root = document.getElementById('transcript');
         const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
         const nodes = []; let text = '';
         while (walk.nextNode()) { nodes.push([walk.currentNode, text.length]); text += walk.currentNode.data; }
         const at = text.indexOf(arguments[0]);
         const end = at + arguments[0].length;
         const place = (pos, last) => {
           for (const [n, off] of nodes) {
             if (pos >= off && (pos < off + n.data.length || (last && pos === off + n.data.length))) {
               return [n, pos - off];
             }
           }
         };
         const [sn, so] = place(at, false);
         const [en, eo] = place(end, true);
         const r = document.createRange();
         r.setStart(sn, so);
         r.setEnd(en, eo);
         const s = window.getSelection();
         s.removeAllRanges();
         s.addRange(r);",
        vec![serde_json::json!(needle)],
    )
    .await
    .unwrap();
    eventually(c, "#selected-text", needle).await;
}

/// `rgb(r, g, b)`, as `getComputedStyle` gives a colour.
fn computed(hex: &str) -> String {
    let c = fika_qual::colour::Rgb::parse(hex).unwrap();
    format!("rgb({}, {}, {})", c.0, c.1, c.2)
}

/// The computed `property` of every element `css` selects.
async fn styles(c: &Client, css: &str, property: &str) -> Vec<String> {
    let found = c
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0]))
                 .map(e => getComputedStyle(e).getPropertyValue(arguments[1]));",
            vec![serde_json::json!(css), serde_json::json!(property)],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test]
async fn codes_in_colour_a_memo_and_a_theme_in_the_browser() {
    let test = "codes_in_colour_a_memo_and_a_theme_in_the_browser";
    let Some(driver) = browser(test).await else {
        return;
    };
    let axe = axe_source(test);
    use super::qual::{FIKA, SOURCE, THEME, WORK, setup};
    use fika_qual::colour;
    let app = spawn_app().await;
    setup(&app).await;
    let base = format!("http://{}", app.addr);
    let c = &driver.client;
    let source = format!("/qual/Q1/sources/{SOURCE}");

    // Erik codes two overlapping passages with two codes.
    sign_in(c, &base, "erik", PASSWORD).await;
    arrive(c, "/evaluation").await;
    c.goto(&format!("{base}{source}")).await.unwrap();
    for (needle, code) in [("ett café ☕ och", FIKA), ("☕ och pratade om jobb", WORK)] {
        select_in_transcript(c, needle).await;
        click(c, &format!("label[for='code-{code}']")).await;
        click_to_load(c, "#code-form button[type=submit]").await;
        arrive(c, &source).await;
        eventually(c, "#coded", needle).await;
    }

    // Each code's highlight in its colour: the band under the text, the tint behind it;
    // where they overlap, Arbete's band is a level below Fika's.
    let shade = |g: &str| colour::code_shades(&fika_qual::Code::new(g.parse().unwrap(), "x"));
    let (fika, work) = (shade(FIKA), shade(WORK));
    let (fc, wc) = (
        colour::class(&FIKA.parse().unwrap()),
        colour::class(&WORK.parse().unwrap()),
    );
    assert_ne!(fika.band, work.band, "two codes, two colours");
    let fika_marks = format!("#transcript mark.{fc}");
    let work_marks = format!("#transcript mark.{wc}");
    for (marks, s) in [(&fika_marks, &fika), (&work_marks, &work)] {
        let bands = styles(c, marks, "border-bottom-color").await;
        assert!(!bands.is_empty(), "{marks}");
        assert!(
            bands.iter().all(|b| *b == computed(&s.band)),
            "{marks}: {bands:?}"
        );
        let tints = styles(c, marks, "background-color").await;
        assert!(
            tints.iter().all(|b| *b == computed(&s.tint)),
            "{marks}: {tints:?}"
        );
    }
    let overlap = format!("#transcript mark.{wc} > mark.{fc}");
    assert_eq!(text_of(c, &overlap).await, "☕ och");
    assert_eq!(styles(c, &overlap, "padding-bottom").await, ["0px"]);
    assert_eq!(
        styles(c, &format!("#transcript mark.{wc}"), "padding-bottom").await,
        ["4px", "4px"],
        "Arbete's band lies a level lower, along the whole stretch"
    );
    let legend = text_of(c, ".legend").await;
    assert!(
        legend.contains("Fika ☕") && legend.contains("Arbete"),
        "{legend}"
    );
    let swatch = styles(c, &format!(".legend .swatch.{wc}"), "background-color").await;
    assert_eq!(swatch, [computed(&work.color)]);
    c.execute(
        "document.getElementById('transcript').scrollIntoView();",
        vec![],
    )
    .await
    .unwrap();
    std::fs::write(
        screenshots().join("qual-colours.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    if let Some(axe) = &axe {
        accessible(c, axe).await;
    }

    // A memo on the first coded segment.
    click(c, "#coded details summary").await;
    type_into(
        c,
        "#coded details textarea[name=memo]",
        "Caféet som mötesplats",
    )
    .await;
    click_to_load(c, "#coded details button[type=submit]").await;
    arrive(c, &source).await;
    eventually(c, "#coded .memos", "Caféet som mötesplats").await;
    sign_out(c).await;

    // The owner moves Arbete under the theme Relation.
    sign_in(c, &base, "evaluator", PASSWORD).await;
    arrive(c, "/evaluation").await;
    c.goto(&format!("{base}/qual/Q1/codes/{WORK}"))
        .await
        .unwrap();
    c.find(Locator::Css(&format!(
        "#edit-parent option[value='{THEME}']"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    click_to_load(c, "#change form[action$='/edit'] button[type=submit]").await;
    arrive(c, &format!("/qual/Q1/codes/{WORK}")).await;
    if let Some(axe) = &axe {
        accessible(c, axe).await;
    }
    c.goto(&format!("{base}/qual/Q1")).await.unwrap();
    eventually(c, "ul.code-tree ul[aria-label='Under Relation']", "Arbete").await;
    let nested = text_of(c, "ul.code-tree ul[aria-label='Under Relation']").await;
    assert!(
        nested.contains("Fika ☕") && nested.contains("Arbete"),
        "{nested}"
    );
    if let Some(axe) = &axe {
        accessible(c, axe).await;
    }
    let p = super::qual::project(&app).await;
    let theme = p.code(&THEME.parse().unwrap()).unwrap();
    assert!(
        theme
            .children
            .iter()
            .any(|k| k.guid == WORK.parse().unwrap())
    );
    assert_eq!(p.sources[0].selections.len(), 2, "the coded segments stay");
    assert_eq!(p.notes.len(), 1);
    driver.client.clone().close().await.unwrap();
}

/// A coder uploads two transcripts at once — a WebVTT and a Word file — sees the Word
/// file's speakers, codes a speaker turn, and downloads the readable document of the
/// excerpts (`qual-document.png`).
#[tokio::test]
async fn transcripts_uploaded_and_the_excerpts_document_downloaded() {
    let Some(driver) = browser("transcripts_uploaded_and_the_excerpts_document_downloaded").await
    else {
        return;
    };
    let axe = axe_source("transcripts_uploaded_and_the_excerpts_document_downloaded");
    use super::qual::{FIKA, setup};
    use super::qual_upload::{VTT, transcript_docx};
    let app = spawn_app().await;
    setup(&app).await;
    let base = format!("http://{}", app.addr);
    let c = &driver.client;
    c.set_window_size(1200, 900).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vtt = dir.path().join("samtal.vtt");
    let docx = dir.path().join("intervju-2.docx");
    std::fs::write(&vtt, VTT).unwrap();
    std::fs::write(&docx, transcript_docx()).unwrap();

    sign_in(c, &base, "erik", PASSWORD).await;
    arrive(c, "/evaluation").await;
    c.goto(&format!("{base}/qual/Q1")).await.unwrap();
    click_to_load(c, "a[href='/qual/Q1/upload']").await;
    arrive(c, "/qual/Q1/upload").await;
    if let Some(axe) = &axe {
        accessible(c, axe).await;
    }
    // Two files in one input: chromedriver takes them one path a line.
    c.find(Locator::Css("#upload-files"))
        .await
        .unwrap()
        .send_keys(&format!("{}\n{}", vtt.display(), docx.display()))
        .await
        .unwrap();
    click_to_load(c, "form[action='/qual/Q1/upload'] button[type=submit]").await;
    arrive(c, "/qual/Q1").await;
    eventually(c, "main", "samtal.vtt").await;
    eventually(c, "main", "intervju-2.docx").await;
    let p = super::qual::project(&app).await;
    let names: Vec<&str> = p.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["intervju-1.txt", "samtal.vtt", "intervju-2.docx"]);
    let word = p.sources[2].guid.to_string();

    // The Word file's speakers, bold as in the transcript; Åsa's turn coded whole.
    click_to_load(c, &format!("a[href='/qual/Q1/sources/{word}']")).await;
    arrive(c, &format!("/qual/Q1/sources/{word}")).await;
    eventually(c, "#transcript b:nth-of-type(2)", "Åsa:").await;
    c.find(Locator::Css("#paragraph option:nth-child(3)"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(c, &format!("label[for='code-{FIKA}']")).await;
    click_to_load(c, "#code-form button[type=submit]").await;
    arrive(c, &format!("/qual/Q1/sources/{word}")).await;
    eventually(c, "#coded", "Åsa: Bra, jag började på bageriet").await;

    // The readable document: theme, code, the excerpt with its source and speaker.
    c.goto(&format!("{base}/qual/Q1")).await.unwrap();
    click_to_load(c, "a[href='/qual/Q1/document']").await;
    arrive(c, "/qual/Q1/document").await;
    eventually(c, "article.report h2", "Relation").await;
    eventually(c, "article.report h3", "Fika ☕").await;
    eventually(
        c,
        "article.report figcaption",
        "Source: intervju-2.docx · Speaker: Åsa",
    )
    .await;
    if let Some(axe) = &axe {
        accessible(c, axe).await;
    }
    std::fs::write(
        screenshots().join("qual-document.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    let href = c
        .find(Locator::Css("a[href^='/qual/Q1/document.docx']"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let got = c
        .execute_async(
            "const [href, done] = arguments; fetch(href).then(r => r.arrayBuffer().then(b => \
             done([r.status, r.headers.get('content-type'), new Uint8Array(b.slice(0, 2)).join(','), b.byteLength])));",
            vec![serde_json::json!(href)],
        )
        .await
        .unwrap();
    assert_eq!(
        got.as_array().unwrap()[..3],
        [
            serde_json::json!(200),
            serde_json::json!(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            ),
            serde_json::json!("80,75")
        ],
        "the document downloads (a zip archive: PK): {got}"
    );
    assert!(got[3].as_u64().unwrap() > 1_000, "{got}");
    driver.client.clone().close().await.unwrap();
}

/// The lead opens their outcomes, which pass axe-core at phone width, and prints them:
/// Chromium's PDF (A4) read back with `pdftotext` holds the figures, the benchmarks and the
/// footer with the rules version, each part on a page of its own, and no navigation.
#[tokio::test]
async fn the_outcomes_page_prints_to_pdf() {
    let test = "the_outcomes_page_prints_to_pdf";
    let Some(driver) = browser(test).await else {
        return;
    };
    if !Path::new("/usr/bin/pdftotext").exists() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED (no pdftotext; apt-get install poppler-utils): {test}"
        );
        return;
    }
    let app = spawn_app().await;
    super::reports::add_jobs(&app).await;
    let base = format!("http://{}", app.addr);
    let c = &driver.client;
    sign_in(c, &base, "lead1", PASSWORD).await;
    arrive(c, "/program").await;
    click_to_load(c, "nav a[href='/reports/outcomes']").await;
    arrive(c, "/reports/outcomes").await;
    // Choose the quarters in the form, as a lead would.
    let from = c.find(Locator::Css("#o-from")).await.unwrap();
    from.clear().await.unwrap();
    from.send_keys("2025Q4").await.unwrap();
    click_to_load(c, "form.report-choice button[type=submit]").await;
    arrive(c, "/reports/outcomes").await;
    assert_eq!(text_of(c, "h1").await, "Outcomes of Göteborg IPS");
    let main = text_of(c, "main").await;
    assert!(main.contains("33.3 %"), "{main}");
    if let Some(axe) = axe_source(test) {
        accessible(c, &axe).await;
    }
    let pdf = c
        .print(
            // A4 turned sideways, as the report's print style asks (WebDriver's print
            // takes the page's size from its caller, not from the style).
            fantoccini::wd::PrintConfiguration::builder()
                .size(fantoccini::wd::PrintSize::A4)
                .orientation(fantoccini::wd::PrintOrientation::Landscape)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("outcomes.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = Command::new("/usr/bin/pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // The competitive rate of 2026Q1, its numerator and denominator's table, the
    // benchmarks, the footer; no navigation or forms.
    assert!(text.contains("33.3 %"), "{text}");
    assert!(text.contains("IPS average 41 %"), "{text}");
    assert!(text.contains("rules version 1"), "{text}");
    assert!(text.contains("figures for 2026Q1"), "{text}");
    assert!(
        !text.contains("Sign out") && !text.contains("Download"),
        "{text}"
    );
    // By quarter and by coach on pages of their own: at least two pages, the coaches'
    // part starting a page.
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 2, "{} pages: {text}", pages.len());
    let coaches = pages
        .iter()
        .position(|p| p.contains("Each coach's caseload"))
        .expect("the coaches' part");
    assert!(coaches > 0 && !pages[coaches - 1].contains("Each coach's caseload"));
    assert!(
        pages.iter().all(|p| p.contains("rules version 1")),
        "the footer on every page"
    );
}

/// A fidelity review in the browser: the lead starts it from the list, rates every item in
/// the form, the second reviewer rates and the consensus is agreed (over HTTP), and the
/// report printed to PDF holds the total and band.
#[tokio::test]
async fn a_fidelity_review_is_rated_agreed_and_printed() {
    let test = "a_fidelity_review_is_rated_agreed_and_printed";
    let Some(driver) = browser(test).await else {
        return;
    };
    if !Path::new("/usr/bin/pdftotext").exists() {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED (no pdftotext; apt-get install poppler-utils): {test}"
        );
        return;
    }
    let app = spawn_app().await;
    let base = format!("http://{}", app.addr);
    let c = &driver.client;
    sign_in(c, &base, "lead1", PASSWORD).await;
    arrive(c, "/program").await;
    click_to_load(c, "nav a[href='/reviews']").await;
    arrive(c, "/reviews").await;
    let reviewers = c.find(Locator::Css("#rv-reviewers")).await.unwrap();
    reviewers.clear().await.unwrap();
    reviewers.send_keys("lead1, evaluator").await.unwrap();
    click_to_load(c, "form[action='/reviews'] button[type=submit]").await;
    let at = path(c).await;
    assert!(at.starts_with("/reviews/R"), "{at}");
    // Every item 4 (the 25 selects set by script; the rationale typed).
    c.execute(
        "document.querySelectorAll('select[name^=score_]').forEach(s => s.value = '4'); return true;",
        vec![],
    )
    .await
    .unwrap();
    type_into(c, "#rationale-S1", "Caseloads of 12 and 9").await;
    if let Some(axe) = axe_source(test) {
        accessible(c, &axe).await;
    }
    click_to_load(c, "form[action$='/ratings'] button[type=submit]").await;
    arrive(c, &at).await;
    assert!(text_of(c, "main").await.contains("Still rating: evaluator"));
    // The second reviewer rates and the consensus is agreed.
    let ev = signed_in(&app, "evaluator").await;
    let scores: Vec<(String, String)> = fika_core::scale::ItemId::ALL
        .iter()
        .map(|i| (format!("score_{}", i.as_str()), "5".to_owned()))
        .collect();
    let f: Vec<(&str, &str)> = scores
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(ev.post(&format!("{at}/ratings"), &f).await.status(), 303);
    let agreed: Vec<(String, String)> = fika_core::scale::ItemId::ALL
        .iter()
        .map(|i| (format!("consensus_{}", i.as_str()), "4".to_owned()))
        .collect();
    let f: Vec<(&str, &str)> = agreed
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(ev.post(&format!("{at}/consensus"), &f).await.status(), 303);
    // The lead sees everyone's ratings now, and opens the report.
    c.goto(&format!("{base}{at}")).await.unwrap();
    let main = text_of(c, "main").await;
    assert!(
        main.contains("Caseloads of 12 and 9") && main.contains("100 (good)"),
        "{main}"
    );
    click_to_load(c, "a[href$='/report']").await;
    let pdf = c
        .print(
            fantoccini::wd::PrintConfiguration::builder()
                .size(fantoccini::wd::PrintSize::A4)
                .orientation(fantoccini::wd::PrintOrientation::Landscape)
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("review.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = Command::new("/usr/bin/pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Total: 100 (good)"), "{text}");
    assert!(text.contains("Caseloads of 12 and 9"), "{text}");
    assert!(text.contains("rules version 1"), "{text}");
    assert!(!text.contains("Sign out"), "{text}");
}
