//! The data of the coding page's benchmark (`bench/coding_page.sh`): a qualitative project
//! whose first transcript is a 2-hour interview — about 20,000 words (about 130,000
//! characters) in speaker turns, read from a generated WebVTT file as an upload is — with
//! 500 coded segments by the coder `LOGIN` (some overlapping, one or two codes each, a memo
//! on every tenth) and 500 by a second coder, which `LOGIN` does not see while the
//! comparison is closed. Twenty codes in four themes, sixteen with a colour of their own and
//! four in the palette's. Optional: more transcripts of the same kind (each coded the same
//! way), for a project as large as a whole study.
//!
//! Run: `cargo run --release -p fika-web --example coding_page_data -- DB_URL LOGIN [TRANSCRIPTS]`
//!
//! `LOGIN` must be an evaluator (`fika user add --role evaluator`); they become a coder of
//! the new project. Prints the project's ID and the first transcript's GUID on one line.
//! Every run makes the same text and coding (a fixed generator), under a new project name.

use fika_qual::{
    Code, Coding, Guid, Note, Project, Selection, TextSource, TranscriptFormat, User,
    parse_transcript,
};
use fika_store::QualRole;

/// A small deterministic generator, so every run measures the same page.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

const WORDS: [&str; 64] = [
    "i",
    "om",
    "så",
    "vi",
    "de",
    "men",
    "när",
    "kan",
    "ska",
    "fick",
    "bra",
    "nu",
    "ja",
    "var",
    "han",
    "hon",
    "och",
    "att",
    "det",
    "jag",
    "som",
    "en",
    "på",
    "är",
    "av",
    "för",
    "med",
    "hade",
    "inte",
    "coachen",
    "jobbet",
    "arbetsgivaren",
    "möte",
    "veckan",
    "kändes",
    "tryggt",
    "fika",
    "kollegor",
    "lön",
    "praktik",
    "ansökan",
    "intervju",
    "schema",
    "stöd",
    "handledare",
    "försäkringskassan",
    "arbetsförmedlingen",
    "kontakt",
    "ringde",
    "berättade",
    "började",
    "timmar",
    "deltid",
    "heltid",
    "självförtroende",
    "drömmen",
    "närmare",
    "ingen",
    "stress",
    "åtminstone",
    "väldigt",
    "mycket",
    "efter",
    "sedan",
];

/// A sentence of `n` words from the generator, capitalised and ended.
fn sentence(rng: &mut Lcg, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        let w = WORDS[rng.next(WORDS.len())];
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                s.extend(first.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push_str(if rng.next(8) == 0 { "?" } else { "." });
    s
}

fn time(ms: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// A 2-hour interview as WebVTT: the interviewer's short questions and the participant's
/// longer answers, in cues of up to 40 words; about `words` words in all.
fn interview(rng: &mut Lcg, words: usize) -> String {
    let mut vtt = String::from("WEBVTT\n\n");
    let (mut said, mut ms) = (0, 0u64);
    let mut turn = 0;
    while said < words {
        let (speaker, n) = if turn % 2 == 0 {
            ("Intervjuare", 6 + rng.next(15))
        } else {
            ("Deltagare", 20 + rng.next(80))
        };
        let mut left = n;
        while left > 0 {
            let cue = left.min(40);
            let mut text = String::new();
            let mut k = cue;
            while k > 0 {
                let m = k.min(4 + rng.next(10));
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&sentence(rng, m));
                k -= m;
            }
            // About 2.8 words a second: 20,000 words in two hours.
            let length = cue as u64 * 357;
            vtt.push_str(&format!(
                "{} --> {}\n<v {speaker}>{text}\n\n",
                time(ms),
                time(ms + length)
            ));
            ms += length + 300;
            left -= cue;
        }
        said += n;
        turn += 1;
    }
    vtt
}

/// A code's name and colour; `None` takes the palette's colour.
type Leaf = (&'static str, Option<&'static str>);

/// Themes and their codes.
const THEMES: [(&str, [Leaf; 5]); 4] = [
    (
        "Relationen till coachen",
        [
            ("Att bli sedd", Some("#1f77b4")),
            ("Tillgänglighet", Some("#aec7e8")),
            ("Förtroende", None),
            ("Uppföljning", Some("#17becf")),
            ("Fika som möte", Some("#9edae5")),
        ],
    ),
    (
        "Vägen till arbete",
        [
            ("Snabb jobbsökning", Some("#d62728")),
            ("Arbetsgivarkontakt", Some("#ff9896")),
            ("Praktik", None),
            ("Anpassningar", Some("#e377c2")),
            ("Att behålla jobbet", Some("#f7b6d2")),
        ],
    ),
    (
        "Ekonomi och förmåner",
        [
            ("Lön", Some("#2ca02c")),
            ("Förmånsrådgivning", Some("#98df8a")),
            ("Oro för ersättning", None),
            ("Försäkringskassan", Some("#bcbd22")),
            ("Skulder", Some("#dbdb8d")),
        ],
    ),
    (
        "Mening och identitet",
        [
            ("Självförtroende", Some("#9467bd")),
            ("Kollegor", Some("#c5b0d5")),
            ("Drömmen", None),
            ("Stress", Some("#ff7f0e")),
            ("Återhämtning", Some("#ffbb78")),
        ],
    ),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, login, rest @ ..] = args.as_slice() else {
        return Err("usage: coding_page_data DB_URL LOGIN [TRANSCRIPTS]".into());
    };
    let transcripts: usize = match rest.first() {
        Some(n) => n.parse()?,
        None => 1,
    };
    let store = fika_store::open(url)?;
    let mut rng = Lcg(2026);
    let mut p = Project::new(format!(
        "Kodningssidan {}",
        store.qual_projects()?.len() + 1
    ));
    let me = Guid::new_v4();
    let other = Guid::new_v4();
    p.users.push(User {
        guid: me.clone(),
        name: Some(login.clone()),
        id: None,
    });
    p.users.push(User {
        guid: other.clone(),
        name: Some("andra-kodaren".into()),
        id: None,
    });
    let mut leaves = Vec::new();
    for (theme, codes) in THEMES {
        let mut t = Code::new(Guid::new_v4(), theme);
        t.is_codable = false;
        for (name, colour) in codes {
            let mut c = Code::new(Guid::new_v4(), name);
            c.color = colour.map(str::to_owned);
            leaves.push(c.guid.clone());
            t.children.push(c);
        }
        p.codes.push(t);
    }
    let at = Some("2026-12-07T09:00:00Z".to_owned());
    for i in 0..transcripts {
        let vtt = interview(&mut rng, 20_000);
        let mut s = parse_transcript(
            &format!("Intervju {} (2 timmar).vtt", i + 1),
            &vtt,
            TranscriptFormat::WebVtt,
        )?;
        s.name = format!("Intervju {}", i + 1);
        for coder in [&me, &other] {
            code(&mut rng, &mut p, &mut s, coder, &leaves, &at);
        }
        p.sources.push(s);
    }
    p.validate().map_err(|e| format!("{e:?}"))?;
    let s = &p.sources[0];
    eprintln!(
        "{}: {} transcripts; the first has {} characters, {} words, {} turns, {} coded segments ({} by {login})",
        p.name,
        p.sources.len(),
        s.len_chars(),
        s.text.split_whitespace().count(),
        s.turns.len(),
        s.selections.len(),
        s.selections
            .iter()
            .filter(|x| x.creating_user.as_ref() == Some(&me))
            .count(),
    );
    let source = s.guid.clone();
    let id = store
        .create_qual_project(&p)?
        .ok_or("a project of that name exists")?;
    store.add_qual_member(&id, None, login, QualRole::Coder)?;
    println!("{id} {source}");
    Ok(())
}

/// 500 coded segments of `s` by `coder`: spans of 40–800 characters, placed at random so
/// that some overlap; one code, or two of them for every fifth; a memo on every tenth.
fn code(
    rng: &mut Lcg,
    p: &mut Project,
    s: &mut TextSource,
    coder: &Guid,
    leaves: &[Guid],
    at: &Option<String>,
) {
    let len = s.len_chars();
    for n in 0..500 {
        let length = 40 + rng.next(760);
        let start = rng.next(len - length);
        let mut codes = vec![leaves[rng.next(leaves.len())].clone()];
        if n % 5 == 0 {
            let second = leaves[rng.next(leaves.len())].clone();
            if second != codes[0] {
                codes.push(second);
            }
        }
        let mut notes = Vec::new();
        if n % 10 == 0 {
            let note = Note {
                guid: Guid::new_v4(),
                name: None,
                text: "Återkommer i flera intervjuer; jämför med intervju 3.".into(),
                creating_user: Some(coder.clone()),
                created: at.clone(),
                modifying_user: None,
                modified: None,
                description: None,
                selections: Vec::new(),
            };
            notes.push(note.guid.clone());
            p.notes.push(note);
        }
        s.selections.push(Selection {
            guid: Guid::new_v4(),
            name: None,
            start,
            end: start + length,
            creating_user: Some(coder.clone()),
            created: at.clone(),
            modifying_user: None,
            modified: None,
            description: None,
            codings: codes
                .into_iter()
                .map(|code| Coding {
                    guid: Guid::new_v4(),
                    code,
                    creating_user: Some(coder.clone()),
                    created: at.clone(),
                    notes: Vec::new(),
                })
                .collect(),
            notes,
        });
    }
}
