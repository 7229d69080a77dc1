//! The participant's check-in on how the support feels: four items on a 0–10 scale, as
//! versioned data in English and Swedish, the rule that turns a low or dropped check-in into
//! a gentle prompt for the coach, and the small-cell rule for every figure made of them.
//!
//! The items are fika's own, written from the themes of the research fika grows from (being
//! treated as a person; being listened to and having it acted on; working toward what one
//! wants; overall). They copy no published instrument. A change of wording, of the number
//! of items or of a threshold means a new [`ITEMS_VERSION`]; every stored check-in names the
//! version it was answered in.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::records::{Record, Violation};
use crate::text;
use crate::values::ValueError;
use crate::{CheckInId, CoachId, Date, ParticipantId};

/// The version of the items and rules below.
pub const ITEMS_VERSION: u32 = 1;

/// Every version of the items fika knows, oldest first. A stored or imported check-in names
/// one of them; any other is refused, never read as the current one.
pub const VERSIONS: [u32; 1] = [ITEMS_VERSION];

/// A version of the items, as written in `check_ins.csv`: a whole number that is one of
/// [`VERSIONS`].
pub fn parse_version(s: &str) -> Result<u32, ValueError> {
    let known = || {
        VERSIONS
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match s.parse::<u32>() {
        Ok(v) if VERSIONS.contains(&v) => Ok(v),
        Ok(_) => Err(ValueError(format!(
            "is not a version of the check-in items that fika knows; the versions are {}",
            known()
        ))),
        Err(_) => Err(ValueError(format!(
            "must be a whole number, the version of the check-in items ({})",
            known()
        ))),
    }
}

/// One item of the check-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInItem {
    /// Stable name, used in forms, the store and the interchange file.
    pub id: &'static str,
    pub en: &'static str,
    pub sv: &'static str,
}

/// The four items, in the order they are asked.
pub const ITEMS: [CheckInItem; 4] = [
    CheckInItem {
        id: "person",
        en: "I am met as a person, not as a case.",
        sv: "Jag blir bemött som en människa, inte som ett ärende.",
    },
    CheckInItem {
        id: "heard",
        en: "I am listened to, and what we agree on gets done.",
        sv: "Jag blir lyssnad på, och det vi kommer överens om blir gjort.",
    },
    CheckInItem {
        id: "goal",
        en: "We are working toward what I want.",
        sv: "Vi arbetar mot det som jag vill.",
    },
    CheckInItem {
        id: "overall",
        en: "Overall, the support feels right for me.",
        sv: "På det hela taget känns stödet rätt för mig.",
    },
];

/// Scores run 0 (not at all) to 10 (fully).
pub const MAX_SCORE: u8 = 10;

/// A score of one item, 0–10.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

impl TryFrom<u8> for Score {
    type Error = ValueError;
    fn try_from(n: u8) -> Result<Score, ValueError> {
        Score::new(n)
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

impl Score {
    pub fn new(n: u8) -> Result<Score, ValueError> {
        if n <= MAX_SCORE {
            Ok(Score(n))
        } else {
            Err(ValueError(format!(
                "must be a whole number from 0 to {MAX_SCORE}"
            )))
        }
    }

    /// A score as written: digits only (`7`, not ` 7`, `7.0` or `+7`).
    pub fn parse(s: &str) -> Result<Score, ValueError> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError(format!(
                "must be a whole number from 0 to {MAX_SCORE}"
            )));
        }
        s.parse::<u8>()
            .map_err(|_| ValueError(format!("must be a whole number from 0 to {MAX_SCORE}")))
            .and_then(Score::new)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// Who sees a check-in, chosen by the participant each time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sharing {
    /// "My coach and me": the coach sees it, and a low one prompts them.
    CoachAndMe,
    /// "Only counted, without my name": it enters figures only, under the small-cell rule.
    CountedOnly,
}

impl Sharing {
    pub const ALL: [Sharing; 2] = [Sharing::CoachAndMe, Sharing::CountedOnly];

    pub const fn as_str(self) -> &'static str {
        match self {
            Sharing::CoachAndMe => "coach_and_me",
            Sharing::CountedOnly => "counted_only",
        }
    }

    pub fn parse(s: &str) -> Result<Sharing, ValueError> {
        Sharing::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| ValueError("must be coach_and_me or counted_only".into()))
    }
}

/// The most characters of the optional words (`text::CHECK_IN_WORDS`).
pub const MAX_WORDS: usize = text::CHECK_IN_WORDS.max;

/// One check-in (`check_ins.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: CheckInId,
    pub participant: ParticipantId,
    /// The designated coach when it was given: the coach whose figures it counts in.
    pub coach: CoachId,
    pub on: Date,
    /// The [`ITEMS_VERSION`] it was answered in.
    pub version: u32,
    /// One score per item of [`ITEMS`], in order.
    pub scores: [Score; 4],
    /// Optional words, in the participant's own language.
    pub words: Option<String>,
    pub sharing: Sharing,
}

impl Record for CheckIn {
    fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        if let Some(w) = &self.words
            && let Err(e) = text::check(w, text::CHECK_IN_WORDS)
        {
            v.push(Violation {
                column: "words",
                rule: e.rule(text::CHECK_IN_WORDS),
                reason: e.to_string(),
            });
        }
        if !VERSIONS.contains(&self.version) {
            v.push(Violation {
                column: "items_version",
                rule: "check-in-unknown-version",
                reason: format!("{} is not a version of the check-in items", self.version),
            });
        }
        v
    }
}

impl CheckIn {
    /// The sum of the four scores, 0–40.
    pub fn total(&self) -> u32 {
        self.scores.iter().map(|s| u32::from(s.get())).sum()
    }
}

/// A check-in is low when any item scores this or less. Alliance measures flag a session
/// rated under their cut-off (about nine in ten of the top score); fika asks earlier and
/// gentler, at half the scale, so that a prompt means "ask", not "alarm".
pub const LOW_SCORE: u8 = 5;
/// A check-in has dropped when its total is this many points (of 40) or more below the
/// participant's previous shared check-in.
pub const DROP_POINTS: u32 = 6;

/// Why a shared check-in asks the coach to talk about the support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// An item at or below [`LOW_SCORE`].
    Low,
    /// The total fell by [`DROP_POINTS`] or more since the previous shared check-in.
    Dropped,
}

impl Prompt {
    pub const fn as_str(self) -> &'static str {
        match self {
            Prompt::Low => "low",
            Prompt::Dropped => "dropped",
        }
    }
}

/// Whether the participant's latest check-in asks for a prompt at the next meeting.
/// `previous` is their shared check-in before it. Only shared check-ins prompt: one given
/// "only counted" is never shown to the coach, not even as a prompt.
pub fn prompt(latest: &CheckIn, previous: Option<&CheckIn>) -> Option<Prompt> {
    if latest.sharing != Sharing::CoachAndMe {
        return None;
    }
    if latest.scores.iter().any(|s| s.get() <= LOW_SCORE) {
        return Some(Prompt::Low);
    }
    match previous {
        Some(p) if p.total() >= latest.total() + DROP_POINTS => Some(Prompt::Dropped),
        _ => None,
    }
}

/// The prompt for the coach's next meeting with a participant: from their latest shared
/// check-in (against the shared one before it), as long as no meeting has been recorded on a
/// later day than it. `shared` are the participant's shared check-ins in the order given;
/// `last_meeting` is the date of their latest meeting.
pub fn prompt_for_next_meeting(shared: &[CheckIn], last_meeting: Option<Date>) -> Option<Prompt> {
    let mut shared = shared.iter().filter(|c| c.sharing == Sharing::CoachAndMe);
    let latest = shared.next_back()?;
    if last_meeting.is_some_and(|m| m > latest.on) {
        return None;
    }
    prompt(latest, shared.next_back())
}

/// The small-cell rule: a figure made of check-ins is shown only when it holds at least
/// [`MIN_CHECK_INS`] check-ins from at least [`MIN_PARTICIPANTS`] participants, in pages and
/// in exports alike, so that no one's answers can be read back out of an average.
pub const MIN_CHECK_INS: usize = 5;
pub const MIN_PARTICIPANTS: usize = 3;

pub fn may_show(check_ins: usize, participants: usize) -> bool {
    check_ins >= MIN_CHECK_INS && participants >= MIN_PARTICIPANTS
}

/// One month of check-ins: how many, and (when the small-cell rule allows) the average of
/// each item, one decimal.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthFigure {
    /// `YYYY-MM`.
    pub month: String,
    pub count: usize,
    /// `None` when the small-cell rule hides the averages.
    pub averages: Option<[f64; 4]>,
}

/// Monthly figures of a set of check-ins (a coach's own, or a program's), oldest month
/// first. The count of a month is always shown; its averages only under [`may_show`].
/// Nothing here compares one coach with another: the caller passes one set.
pub fn monthly<'a>(check_ins: impl IntoIterator<Item = &'a CheckIn>) -> Vec<MonthFigure> {
    let mut months: BTreeMap<String, (usize, BTreeSet<&ParticipantId>, [u32; 4])> = BTreeMap::new();
    for c in check_ins {
        let m = months
            .entry(c.on.format("%Y-%m").to_string())
            .or_insert_with(|| (0, BTreeSet::new(), [0; 4]));
        m.0 += 1;
        m.1.insert(&c.participant);
        for (sum, s) in m.2.iter_mut().zip(c.scores) {
            *sum += u32::from(s.get());
        }
    }
    months
        .into_iter()
        .map(|(month, (count, people, sums))| MonthFigure {
            month,
            count,
            averages: may_show(count, people.len())
                .then(|| sums.map(|s| crate::round::round_decimal(f64::from(s) / count as f64, 1))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_in(p: &str, on: &str, scores: [u8; 4], sharing: Sharing) -> CheckIn {
        CheckIn {
            id: CheckInId::parse(&format!("{p}-{on}")).unwrap(),
            participant: ParticipantId::parse(p).unwrap(),
            coach: CoachId::parse("C1").unwrap(),
            on: crate::parse_date(on).unwrap(),
            version: ITEMS_VERSION,
            scores: scores.map(|s| Score::new(s).unwrap()),
            words: None,
            sharing,
        }
    }

    #[test]
    fn scores_run_from_0_to_10() {
        assert_eq!(Score::parse("0").unwrap().get(), 0);
        assert_eq!(Score::parse("10").unwrap().get(), 10);
        for bad in ["11", "-1", "", "5.5", "ten", " 7", "+7", "07.0", "256"] {
            assert!(Score::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn only_known_versions_are_read() {
        assert_eq!(parse_version("1").unwrap(), 1);
        for bad in ["0", "2", "", "1.0", "v1", " 1"] {
            assert!(parse_version(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_item_is_in_both_languages_and_ids_are_unique() {
        let ids: BTreeSet<_> = ITEMS.iter().map(|i| i.id).collect();
        assert_eq!(ids.len(), ITEMS.len());
        for i in ITEMS {
            assert!(!i.en.is_empty() && !i.sv.is_empty() && i.en != i.sv);
        }
    }

    #[test]
    fn a_low_item_prompts_when_shared_and_never_when_only_counted() {
        let c = Sharing::CoachAndMe;
        let cases = [
            ([9, 9, 9, 9], c, None),
            ([6, 6, 6, 6], c, None),
            ([9, 5, 9, 9], c, Some(Prompt::Low)),
            ([0, 10, 10, 10], c, Some(Prompt::Low)),
            ([0, 0, 0, 0], Sharing::CountedOnly, None),
        ];
        for (scores, sharing, want) in cases {
            let latest = check_in("A1", "2026-03-02", scores, sharing);
            assert_eq!(prompt(&latest, None), want, "{scores:?} {sharing:?}");
        }
    }

    #[test]
    fn a_drop_of_six_points_since_the_last_shared_check_in_prompts() {
        let before = check_in("A1", "2026-02-02", [10, 10, 10, 10], Sharing::CoachAndMe);
        let five_less = check_in("A1", "2026-03-02", [9, 9, 9, 8], Sharing::CoachAndMe);
        let six_less = check_in("A1", "2026-03-02", [9, 9, 8, 8], Sharing::CoachAndMe);
        assert_eq!(prompt(&five_less, Some(&before)), None);
        assert_eq!(prompt(&six_less, Some(&before)), Some(Prompt::Dropped));
        assert_eq!(
            prompt(&before, Some(&six_less)),
            None,
            "a rise never prompts"
        );
    }

    #[test]
    fn the_prompt_waits_for_the_next_meeting_and_then_goes() {
        let low = check_in("A1", "2026-03-02", [9, 3, 9, 9], Sharing::CoachAndMe);
        let fine = check_in("A1", "2026-03-09", [9, 9, 9, 9], Sharing::CoachAndMe);
        let day = |s| crate::parse_date(s).ok();
        let v = [low.clone()];
        assert_eq!(prompt_for_next_meeting(&v, None), Some(Prompt::Low));
        assert_eq!(
            prompt_for_next_meeting(&v, day("2026-03-02")),
            Some(Prompt::Low),
            "a meeting the same day may be the one it followed"
        );
        assert_eq!(
            prompt_for_next_meeting(&v, day("2026-03-03")),
            None,
            "met since"
        );
        assert_eq!(
            prompt_for_next_meeting(&[low.clone(), fine], None),
            None,
            "the latest counts"
        );
        let hidden = check_in("A1", "2026-03-02", [0, 0, 0, 0], Sharing::CountedOnly);
        assert_eq!(prompt_for_next_meeting(&[hidden], None), None);
        assert_eq!(prompt_for_next_meeting(&[], None), None);
    }

    #[test]
    fn small_cells_are_hidden_at_their_edges() {
        let month = |people: &[&str]| {
            let v: Vec<_> = people
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    check_in(
                        p,
                        &format!("2026-03-{:02}", i + 1),
                        [8, 6, 7, 9],
                        Sharing::CountedOnly,
                    )
                })
                .collect();
            monthly(&v)
        };
        // 4 check-ins from 4 participants: too few check-ins.
        let four = month(&["A1", "A2", "A3", "A4"]);
        assert_eq!((four[0].count, four[0].averages), (4, None));
        // 5 check-ins from 2 participants: too few participants.
        let two = month(&["A1", "A2", "A1", "A2", "A1"]);
        assert_eq!((two[0].count, two[0].averages), (5, None));
        // 5 check-ins from 3 participants: shown.
        let three = month(&["A1", "A2", "A3", "A1", "A2"]);
        assert_eq!(three[0].count, 5);
        assert_eq!(three[0].averages, Some([8.0, 6.0, 7.0, 9.0]));
        assert!(!may_show(4, 4) && !may_show(5, 2) && may_show(5, 3));
    }

    #[test]
    fn months_are_apart_and_in_order() {
        let v = [
            check_in("A1", "2026-02-27", [1, 2, 3, 4], Sharing::CoachAndMe),
            check_in("A1", "2026-01-05", [1, 2, 3, 4], Sharing::CoachAndMe),
        ];
        let m = monthly(&v);
        assert_eq!(
            m.iter().map(|m| m.month.as_str()).collect::<Vec<_>>(),
            ["2026-01", "2026-02"]
        );
    }
}
