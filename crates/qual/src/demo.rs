//! The demo's qualitative project: nine synthetic interviews with participants of three IPS
//! programs, a codebook of themes, subthemes and codes in colour, and two coders whose
//! coding agrees mostly but not wholly (shifted boundaries, a missed passage, a passage
//! given another code), so that the comparison and the agreement figures have something to
//! show. The text is written for the demo; it quotes no real interview.
//!
//! Deterministic: the same project, GUIDs included, every time.

use crate::model::{Code, Coding, Guid, Note, Project, Selection, TextSource, Turn, User};

/// The two coders' names in the demo project.
pub const CODERS: [&str; 2] = ["Kodare A", "Kodare B"];

fn guid(kind: u64, n: u64) -> Guid {
    Guid::parse(&format!("{kind:08x}-0000-4000-8000-{n:012x}")).expect("a valid GUID")
}

/// A code: name, colour, answers that illustrate it.
type DemoCode = (&'static str, &'static str, &'static [&'static str]);

/// Theme → code → answers that illustrate the code. `(theme, colour, codes)`.
const THEMES: &[(&str, &str, &[DemoCode])] = &[
    (
        "Något annat – som människa",
        "#b5523b",
        &[
            (
                "Sedd som person",
                "#d9745c",
                &[
                    "Hon frågade vad jag ville göra, inte vad som var fel på mig.",
                    "Det var första gången någon pratade med mig och inte om mig.",
                    "Jag kände mig som en vanlig människa när vi satt där.",
                ],
            ),
            (
                "Egna önskemål",
                "#e9a58f",
                &[
                    "Vi utgick från att jag ville jobba med djur, och det fick styra.",
                    "Jag fick själv säga vilken sorts jobb jag letade efter.",
                ],
            ),
        ],
    ),
    (
        "Möten på många platser",
        "#3b7db5",
        &[
            (
                "Fika på café",
                "#5c9bd9",
                &[
                    "Första gången träffades vi på ett kafé nära stationen.",
                    "Vi tog en kaffe och pratade, det kändes inte som ett möte.",
                ],
            ),
            (
                "På arbetsplatsen",
                "#8fbde9",
                &[
                    "Hon följde med mig första dagen på lagret.",
                    "Ibland kom han förbi på jobbet och frågade hur det gick.",
                ],
            ),
        ],
    ),
    (
        "Ta den tid det tar",
        "#3bb57a",
        &[
            (
                "Ingen tidsgräns",
                "#5cd99b",
                &[
                    "Det fanns ingen stress om att det måste gå fort.",
                    "Hon sa att stödet fanns kvar så länge jag behövde det.",
                ],
            ),
            (
                "Tillgänglighet",
                "#8fe9bd",
                &[
                    "Jag kunde skicka ett sms på kvällen och få svar dagen efter.",
                    "När jag var sjuk ringde hon och flyttade tiden utan krångel.",
                ],
            ),
        ],
    ),
    (
        "Här och nu",
        "#b59a3b",
        &[
            (
                "Nästa steg",
                "#d9bd5c",
                &[
                    "Han sa att han skulle kolla upp det till nästa gång, och det gjorde han.",
                    "Vi bestämde vem som gjorde vad innan vi gick därifrån.",
                ],
            ),
            (
                "Snabb jobbsökning",
                "#e9d68f",
                &[
                    "Redan andra veckan ringde vi till en arbetsgivare tillsammans.",
                    "Vi började söka jobb direkt, det var skönt att inte vänta.",
                ],
            ),
        ],
    ),
    (
        "Närmare drömmen",
        "#7a3bb5",
        &[
            (
                "Riktigt jobb",
                "#9b5cd9",
                &[
                    "Att få en lön och kollegor betyder mer än jag trodde.",
                    "Nu har jag ett vanligt jobb, på riktigt, med anställningsavtal.",
                ],
            ),
            (
                "Steg på vägen",
                "#bd8fe9",
                &[
                    "Praktiken blev ett steg, sedan kom timanställningen.",
                    "Jag började plugga igen, det hade jag inte vågat förut.",
                ],
            ),
        ],
    ),
];

const QUESTIONS: &[&str] = &[
    "Hur började det med din coach?",
    "Var brukade ni träffas?",
    "Hur kändes stödet över tid?",
    "Vad hände mellan era möten?",
    "Vad har arbetet betytt för dig?",
    "Finns det något mer du vill berätta?",
];

const PROGRAMS: [&str; 3] = ["Program Norr", "Program Mitt", "Program Syd"];

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// One coder's coding of one answer: the code and the span in code points.
struct Coded {
    code: Guid,
    start: usize,
    end: usize,
}

/// The demo project: nine interviews, coded by the two [`CODERS`].
pub fn project() -> Project {
    let mut rng = Lcg(2013);
    let mut p = Project::new("IPS-intervjuer (demo)");
    p.origin = Some(super::refi::ORIGIN.to_owned());
    p.created = Some("2026-01-15T09:00:00Z".to_owned());
    p.description = Some(
        "Nio syntetiska intervjuer med deltagare i tre IPS-program, kodade av två kodare \
         var för sig (tematisk analys)."
            .to_owned(),
    );
    for (i, name) in CODERS.iter().enumerate() {
        p.users.push(User {
            guid: guid(1, i as u64 + 1),
            name: Some((*name).to_owned()),
            id: None,
        });
    }
    // Codebook: every theme a heading, its codes codable; code GUIDs by position.
    let mut leaves: Vec<(Guid, usize, usize)> = Vec::new(); // (code, theme, index)
    for (t, (theme, colour, codes)) in THEMES.iter().enumerate() {
        let mut th = Code::new(guid(2, t as u64 * 100), *theme);
        th.is_codable = false;
        th.color = Some((*colour).to_owned());
        for (c, (name, colour, _)) in codes.iter().enumerate() {
            let g = guid(2, t as u64 * 100 + c as u64 + 1);
            let mut code = Code::new(g.clone(), *name);
            code.color = Some((*colour).to_owned());
            th.children.push(code);
            leaves.push((g, t, c));
        }
        p.codes.push(th);
    }

    let mut selection_n = 0u64;
    for i in 0..9u64 {
        let program = PROGRAMS[(i / 3) as usize];
        let mut text = String::new();
        let mut turns = Vec::new();
        let mut answers: Vec<(usize, usize, usize)> = Vec::new(); // (leaf, start, end)
        let mut chars = 0usize;
        let mut ms = 0u64;
        let mut push_turn = |speaker: &str, line: &str, text: &mut String, chars: &mut usize| {
            let start = *chars;
            let content = format!("{speaker}: {line}");
            let n = content.chars().count();
            text.push_str(&content);
            text.push('\n');
            turns.push(Turn {
                speaker: Some(speaker.to_owned()),
                start_ms: ms,
                end_ms: ms + 4_000 + n as u64 * 60,
                text_start: start,
                text_end: start + n,
            });
            ms += 5_000 + n as u64 * 60;
            *chars += n + 1;
            start + speaker.chars().count() + 2
        };
        for q in QUESTIONS {
            push_turn("Intervjuare", q, &mut text, &mut chars);
            // Two answers per question, from codes picked for this interview.
            let mut line = String::new();
            let mut parts = Vec::new();
            for _ in 0..2 {
                let leaf = rng.next(leaves.len() as u64) as usize;
                let (_, t, c) = leaves[leaf];
                let pool = THEMES[t].2[c].2;
                let answer = pool[rng.next(pool.len() as u64) as usize];
                if !line.is_empty() {
                    line.push(' ');
                }
                let at = line.chars().count();
                line.push_str(answer);
                parts.push((leaf, at, at + answer.chars().count()));
            }
            let from = push_turn("Deltagare", &line, &mut text, &mut chars);
            for (leaf, s, e) in parts {
                answers.push((leaf, from + s, from + e));
            }
        }
        let source_guid = guid(3, i + 1);
        let mut source = TextSource::new(
            source_guid,
            format!("Intervju {} – deltagare {} ({program})", i + 1, i + 1),
            text,
        );
        source.turns = turns;
        source.created = Some(format!("2026-01-{:02}T10:00:00Z", 16 + i));

        // Coder A codes every answer with its code. Coder B mostly agrees; sometimes the
        // span starts or ends a few characters off, a passage is missed, or another code
        // of the same theme is chosen.
        for (leaf, start, end) in answers {
            let code = leaves[leaf].0.clone();
            let a = Coded {
                code: code.clone(),
                start,
                end,
            };
            let roll = rng.next(100);
            let b = match roll {
                0..=64 => Some(Coded { code, start, end }),
                65..=79 => Some(Coded {
                    code,
                    start: start + 4 + rng.next(8) as usize,
                    end,
                }),
                80..=87 => Some(Coded {
                    code,
                    start,
                    end: end.saturating_sub(6 + rng.next(10) as usize).max(start + 1),
                }),
                88..=93 => None,
                _ => {
                    let (_, t, c) = leaves[leaf];
                    let other = (c + 1) % THEMES[t].2.len();
                    Some(Coded {
                        code: guid(2, t as u64 * 100 + other as u64 + 1),
                        start,
                        end,
                    })
                }
            };
            for (coder, coded) in [(1u64, Some(a)), (2, b)] {
                let Some(coded) = coded else { continue };
                selection_n += 1;
                let user = guid(1, coder);
                source.selections.push(Selection {
                    guid: guid(4, selection_n),
                    name: None,
                    start: coded.start,
                    end: coded.end,
                    creating_user: Some(user.clone()),
                    created: Some(format!("2026-02-{:02}T13:00:00Z", 1 + i)),
                    modifying_user: None,
                    modified: None,
                    description: None,
                    codings: vec![Coding {
                        guid: guid(5, selection_n),
                        code: coded.code,
                        creating_user: Some(user),
                        created: Some(format!("2026-02-{:02}T13:00:00Z", 1 + i)),
                        notes: vec![],
                    }],
                    notes: vec![],
                });
            }
        }
        p.sources.push(source);
    }
    // A memo on a theme and one on the first interview.
    p.notes.push(Note {
        guid: guid(6, 1),
        name: Some("Om temat".to_owned()),
        text: "Mötet på kafé återkommer i nästan alla intervjuer.".to_owned(),
        creating_user: Some(guid(1, 1)),
        created: Some("2026-02-10T09:00:00Z".to_owned()),
        modifying_user: None,
        modified: None,
        description: None,
        selections: vec![],
    });
    p.codes[1].notes.push(guid(6, 1));
    p.notes.push(Note {
        guid: guid(6, 2),
        name: Some("Intervju 1".to_owned()),
        text: "Lång intervju; deltagaren pratade fritt.".to_owned(),
        creating_user: Some(guid(1, 2)),
        created: Some("2026-02-10T09:30:00Z".to_owned()),
        modifying_user: None,
        modified: None,
        description: None,
        selections: vec![],
    });
    p.sources[0].notes.push(guid(6, 2));
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_interviews_two_coders_who_mostly_agree() {
        let p = project();
        p.validate().unwrap();
        assert_eq!(p, project(), "deterministic");
        assert_eq!(p.sources.len(), 9);
        let a = crate::agreement(&p, &[guid(1, 1), guid(1, 2)]).unwrap();
        let kappa = a.overall.kappa.unwrap();
        assert!(kappa > 0.6 && kappa < 0.95, "kappa {kappa}");
        let c = crate::compare(&p, &guid(1, 1), &guid(1, 2)).unwrap();
        assert!(c.disagreements.len() > 10, "{}", c.disagreements.len());
        for s in &p.sources {
            for sel in &s.selections {
                assert!(s.slice(sel.start, sel.end).is_some_and(|t| !t.is_empty()));
            }
        }
    }
}
