//! The pseudonymised research export (GDPR Art. 89): every record with its IDs replaced by
//! keyed pseudonyms, names replaced, free text dropped, and dates kept or moved to the
//! first of their month.
//!
//! A pseudonym is the HMAC-SHA-256 of the ID under the study's secret key, truncated to 80
//! bits and written as 20 hex digits after the kind's letter (`D-3f2a9c01b7de4a5b6c7d`, the
//! letters of the web app's IDs). The kind is part of what is hashed, so that a program and
//! a participant with the same ID get unrelated pseudonyms, and references stay references:
//! a meeting's `participant_id` becomes the pseudonym of its participant's row. The same key
//! gives the same pseudonyms in every export; another key gives unrelated ones. Without the
//! key nobody can go from an ID to its pseudonym or back (short of guessing the key).
//!
//! Moving a date to the first of its month keeps every `≤` between dates, so that an export
//! with `months` still imports: an end date stays on or after its start.
//!
//! Check-ins: one the participant shared with their coach is pseudonymised like a meeting
//! (its words are free text). One given "only counted, without my name" is left out: it was
//! promised to enter the program's figures only, and as a row — under a pseudonym that the
//! key's holder can link to the person, or even under none, since its coach and date point
//! at a meeting — it could be read back to them (docs/privacy.md).

use std::collections::HashMap;
use std::fmt;

use chrono::Datelike;
use fika_core::check_in::{CheckIn, Sharing};
use fika_core::*;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The shortest study key accepted, in bytes.
pub const MIN_KEY_BYTES: usize = 16;

/// What a required free-text cell holds once its text is dropped.
pub const WITHHELD: &str = "(withheld)";

/// A study's secret key. It is never printed: `Debug` shows only its length.
#[derive(Clone)]
pub struct StudyKey(Vec<u8>);

impl fmt::Debug for StudyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StudyKey({} bytes)", self.0.len())
    }
}

/// Why a key file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub length: usize,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the key file holds {} byte(s) (after trailing white space); a study key needs at least \
             {MIN_KEY_BYTES}. Make one with: head -c 32 /dev/urandom | base64 > study.key",
            self.length
        )
    }
}

impl std::error::Error for KeyError {}

impl StudyKey {
    /// The key held in a key file: its bytes, without trailing white space (a newline an
    /// editor added), at least [`MIN_KEY_BYTES`] of them.
    pub fn from_file_bytes(bytes: &[u8]) -> Result<StudyKey, KeyError> {
        let end = bytes
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        if end < MIN_KEY_BYTES {
            return Err(KeyError { length: end });
        }
        Ok(StudyKey(bytes[..end].to_vec()))
    }
}

/// The kinds of ID, each with its own pseudonyms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdKind {
    Program,
    Coach,
    Participant,
    Goal,
    Meeting,
    Step,
    Employer,
    Contact,
    Job,
    CheckIn,
}

impl IdKind {
    /// The letter a pseudonym starts with (those of the web app's new IDs).
    fn letter(self) -> &'static str {
        match self {
            IdKind::Program => "P",
            IdKind::Coach => "K",
            IdKind::Participant => "D",
            IdKind::Goal => "G",
            IdKind::Meeting => "M",
            IdKind::Step => "S",
            IdKind::Employer => "E",
            IdKind::Contact => "C",
            IdKind::Job => "J",
            IdKind::CheckIn => "CI",
        }
    }

    /// What is hashed before the ID, so that kinds never share a pseudonym.
    fn domain(self) -> &'static [u8] {
        match self {
            IdKind::Program => b"program\0",
            IdKind::Coach => b"coach\0",
            IdKind::Participant => b"participant\0",
            IdKind::Goal => b"goal\0",
            IdKind::Meeting => b"meeting\0",
            IdKind::Step => b"step\0",
            IdKind::Employer => b"employer\0",
            IdKind::Contact => b"contact\0",
            IdKind::Job => b"job\0",
            IdKind::CheckIn => b"check_in\0",
        }
    }
}

/// What the export keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Keep free text (notes, goal and step texts, job titles, organisations, sectors, the
    /// words of a shared check-in).
    pub keep_text: bool,
    /// Move every date to the first of its month.
    pub months: bool,
}

/// Bytes of the HMAC kept in a pseudonym.
const KEPT_BYTES: usize = 10;

/// Turns records into their pseudonymised form. References that come again and again (a
/// participant in each of their meetings) are looked up in a cache rather than hashed again.
pub struct Pseudonymiser {
    mac: Hmac<Sha256>,
    options: Options,
    cache: HashMap<(IdKind, String), String>,
}

impl Pseudonymiser {
    pub fn new(key: &StudyKey, options: Options) -> Pseudonymiser {
        Pseudonymiser {
            mac: Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes a key of any length"),
            options,
            cache: HashMap::new(),
        }
    }

    /// The pseudonym of an ID of a kind.
    pub fn pseudonym(&self, kind: IdKind, id: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(kind.domain());
        mac.update(id.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(2 + 2 * KEPT_BYTES);
        out.push_str(kind.letter());
        out.push('-');
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for b in &digest[..KEPT_BYTES] {
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
        out
    }

    /// The pseudonym of an ID that many records refer to, from the cache.
    fn shared(&mut self, kind: IdKind, id: &str) -> String {
        if let Some(p) = self.cache.get(&(kind, id.to_owned())) {
            return p.clone();
        }
        let p = self.pseudonym(kind, id);
        self.cache.insert((kind, id.to_owned()), p.clone());
        p
    }

    fn date(&self, d: Date) -> Date {
        if self.options.months {
            d.with_day(1).expect("every month has a first day")
        } else {
            d
        }
    }

    fn text(&self, t: String) -> String {
        if self.options.keep_text {
            t
        } else {
            WITHHELD.to_owned()
        }
    }

    fn optional_text(&self, t: Option<String>) -> Option<String> {
        t.filter(|_| self.options.keep_text)
    }

    fn program(&mut self, id: &ProgramId) -> ProgramId {
        ProgramId::parse(&self.shared(IdKind::Program, id.as_str())).expect("a pseudonym is an ID")
    }
    fn coach(&mut self, id: &CoachId) -> CoachId {
        CoachId::parse(&self.shared(IdKind::Coach, id.as_str())).expect("a pseudonym is an ID")
    }
    fn participant(&mut self, id: &ParticipantId) -> ParticipantId {
        ParticipantId::parse(&self.shared(IdKind::Participant, id.as_str()))
            .expect("a pseudonym is an ID")
    }
    fn employer(&mut self, id: &EmployerId) -> EmployerId {
        EmployerId::parse(&self.shared(IdKind::Employer, id.as_str()))
            .expect("a pseudonym is an ID")
    }
    fn meeting(&self, id: &MeetingId) -> MeetingId {
        MeetingId::parse(&self.pseudonym(IdKind::Meeting, id.as_str()))
            .expect("a pseudonym is an ID")
    }

    /// The record as the research export holds it; `None` for a record it leaves out (a
    /// check-in given "only counted").
    pub fn row(&mut self, row: Row) -> Option<Row> {
        Some(match row {
            Row::Program(p) => {
                let id = self.program(&p.id);
                Row::Program(Program {
                    name: id.to_string(),
                    id,
                    organisation: self.optional_text(p.organisation),
                    started_on: p.started_on.map(|d| self.date(d)),
                })
            }
            Row::Coach(c) => {
                let id = self.coach(&c.id);
                Row::Coach(Coach {
                    name: id.to_string(),
                    id,
                    program: self.program(&c.program),
                    fte: c.fte,
                    started_on: self.date(c.started_on),
                    ended_on: c.ended_on.map(|d| self.date(d)),
                })
            }
            Row::Participant(p) => {
                let id = self.participant(&p.id);
                Row::Participant(Participant {
                    name: id.to_string(),
                    id,
                    program: self.program(&p.program),
                    coach: self.coach(&p.coach),
                    referral_source: p.referral_source,
                    referred_on: p.referred_on.map(|d| self.date(d)),
                    enrolled_on: self.date(p.enrolled_on),
                    employed_at_entry: p.employed_at_entry,
                    exit: p.exit.map(|e| Exit {
                        on: self.date(e.on),
                        reason: e.reason,
                    }),
                })
            }
            Row::Goal(g) => Row::Goal(Goal {
                id: GoalId::parse(&self.pseudonym(IdKind::Goal, g.id.as_str()))
                    .expect("a pseudonym is an ID"),
                participant: self.participant(&g.participant),
                set_on: self.date(g.set_on),
                text: self.text(g.text),
                occupation_code: g.occupation_code,
                hours_per_week: g.hours_per_week,
            }),
            Row::Meeting(m) => Row::Meeting(Meeting {
                id: self.meeting(&m.id),
                participant: self.participant(&m.participant),
                coach: self.coach(&m.coach),
                date: self.date(m.date),
                minutes: m.minutes,
                place: m.place,
                note: self.optional_text(m.note),
            }),
            Row::NextStep(s) => Row::NextStep(NextStep {
                id: StepId::parse(&self.pseudonym(IdKind::Step, s.id.as_str()))
                    .expect("a pseudonym is an ID"),
                participant: self.participant(&s.participant),
                meeting: s.meeting.as_ref().map(|m| self.meeting(m)),
                owner: s.owner,
                text: self.text(s.text),
                agreed_on: self.date(s.agreed_on),
                due_on: s.due_on.map(|d| self.date(d)),
                done_on: s.done_on.map(|d| self.date(d)),
            }),
            Row::Employer(e) => {
                let id = self.employer(&e.id);
                Row::Employer(Employer {
                    name: id.to_string(),
                    id,
                    org_number: None,
                    sector: self.optional_text(e.sector),
                })
            }
            Row::EmployerContact(c) => Row::EmployerContact(EmployerContact {
                id: ContactId::parse(&self.pseudonym(IdKind::Contact, c.id.as_str()))
                    .expect("a pseudonym is an ID"),
                employer: self.employer(&c.employer),
                date: self.date(c.date),
                by: match c.by {
                    ContactBy::Coach { coach, participant } => ContactBy::Coach {
                        coach: self.coach(&coach),
                        participant: participant.map(|p| self.participant(&p)),
                    },
                    ContactBy::Participant { participant } => ContactBy::Participant {
                        participant: self.participant(&participant),
                    },
                },
                face_to_face: c.face_to_face,
                purpose: c.purpose,
            }),
            Row::Job(j) => Row::Job(Job {
                id: JobId::parse(&self.pseudonym(IdKind::Job, j.id.as_str()))
                    .expect("a pseudonym is an ID"),
                participant: self.participant(&j.participant),
                employer: j.employer.as_ref().map(|e| self.employer(e)),
                kind: j.kind,
                title: self.text(j.title),
                occupation_code: j.occupation_code,
                hours_per_week: j.hours_per_week,
                hourly_wage: j.hourly_wage,
                started_on: self.date(j.started_on),
                ended_on: j.ended_on.map(|d| self.date(d)),
                end_reason: j.end_reason,
            }),
            Row::BenefitsPlanning(b) => Row::BenefitsPlanning(BenefitsPlanning {
                participant: self.participant(&b.participant),
                date: self.date(b.date),
                status: b.status,
                trained_planner: b.trained_planner,
            }),
            Row::CheckIn(c) => match c.sharing {
                Sharing::CountedOnly => return None,
                Sharing::CoachAndMe => Row::CheckIn(CheckIn {
                    id: CheckInId::parse(&self.pseudonym(IdKind::CheckIn, c.id.as_str()))
                        .expect("a pseudonym is an ID"),
                    participant: self.participant(&c.participant),
                    coach: self.coach(&c.coach),
                    on: self.date(c.on),
                    version: c.version,
                    scores: c.scores,
                    words: self.optional_text(c.words),
                    sharing: c.sharing,
                }),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_sha256_is_the_standard_one() {
        // RFC 4231, test case 2.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn pseudonyms_are_keyed_and_kept_apart_by_kind() {
        let a = StudyKey::from_file_bytes(b"0123456789abcdef0123\n").unwrap();
        let b = StudyKey::from_file_bytes(b"another study's key, 32 bytes..").unwrap();
        let pa = Pseudonymiser::new(&a, Options::default());
        let pb = Pseudonymiser::new(&b, Options::default());
        let x = pa.pseudonym(IdKind::Participant, "X1");
        assert_eq!(x.len(), 22);
        assert!(x.starts_with("D-"));
        assert_eq!(x, pa.pseudonym(IdKind::Participant, "X1"));
        assert_ne!(x, pb.pseudonym(IdKind::Participant, "X1"));
        assert_ne!(x, pa.pseudonym(IdKind::Participant, "X2"));
        assert_ne!(x[2..], pa.pseudonym(IdKind::Program, "X1")[2..]);
    }

    #[test]
    fn short_keys_are_refused_and_never_shown() {
        let e = StudyKey::from_file_bytes(b"short key\n\n").unwrap_err();
        assert_eq!(e.length, 9);
        assert!(e.to_string().contains("at least 16"), "{e}");
        let k = StudyKey::from_file_bytes(b"a secret key of some length").unwrap();
        assert_eq!(format!("{k:?}"), "StudyKey(27 bytes)");
    }
}
