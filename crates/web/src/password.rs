//! What a new password must be, after NIST SP 800-63B (section 5.1.1.2, memorised secrets):
//! at least 12 characters and at most 128 (which also bounds the work of argon2), not one of
//! the most common passwords, not a run of one character or a plain sequence, and not
//! containing the user's sign-in name. No rules about kinds of characters: a long phrase of
//! ordinary words is a good password.
//!
//! The list of common passwords is Openwall's `password.lst` (3,546 passwords seen most
//! often, public domain), shipped in the binary.

use std::collections::HashSet;
use std::sync::LazyLock;

/// Characters, not bytes.
pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// A sign-in name shorter than this is not looked for in the password: it would refuse
/// ordinary words.
const NAME_MIN_CHARS: usize = 3;

static COMMON: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("common_passwords.txt")
        .lines()
        .filter(|l| !l.starts_with("#!comment:") && !l.is_empty())
        .map(str::to_lowercase)
        .collect()
});

/// Why a new password was refused; each is a message of `accounts.ftl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooShort,
    TooLong,
    Common,
    ContainsName,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::TooShort => "accounts-password-too-short",
            Refusal::TooLong => "accounts-password-too-long",
            Refusal::Common => "accounts-password-common",
            Refusal::ContainsName => "accounts-password-contains-name",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refusal::TooShort => "a password has at least 12 characters",
            Refusal::TooLong => "a password has at most 128 characters",
            Refusal::Common => {
                "that password is among the most common ones (or a run or sequence); choose another"
            }
            Refusal::ContainsName => "a password must not contain the sign-in name",
        })
    }
}

/// Checks a new password for the user signing in as `login`.
pub fn check(password: &str, login: &str) -> Result<(), Refusal> {
    let n = password.chars().count();
    if n < MIN_CHARS {
        return Err(Refusal::TooShort);
    }
    if n > MAX_CHARS {
        return Err(Refusal::TooLong);
    }
    let lower = password.to_lowercase();
    if is_common(&lower) || is_run_or_sequence(&lower) {
        return Err(Refusal::Common);
    }
    let name = login.trim().to_lowercase();
    if name.chars().count() >= NAME_MIN_CHARS && lower.contains(&name) {
        return Err(Refusal::ContainsName);
    }
    Ok(())
}

/// On the list as it is, or with the digits and punctuation added at its end taken away
/// (`password1234`, `iloveyou!!!!2026`).
fn is_common(lower: &str) -> bool {
    if COMMON.contains(lower) {
        return true;
    }
    let stem = lower.trim_end_matches(|c: char| !c.is_alphabetic());
    stem.len() < lower.len() && !stem.is_empty() && COMMON.contains(stem)
}

/// One character over and over (`aaaaaaaaaaaa`), or each character the one after (or
/// before) the last (`abcdefghijkl`, `123456789012`, digits wrapping round).
fn is_run_or_sequence(lower: &str) -> bool {
    let cs: Vec<char> = lower.chars().collect();
    let step = |a: char, b: char| -> Option<i32> {
        match (a.to_digit(10), b.to_digit(10)) {
            (Some(x), Some(y)) => Some(((y as i32 - x as i32) + 10) % 10),
            _ => Some(b as i32 - a as i32),
        }
    };
    let steps: Vec<Option<i32>> = cs.windows(2).map(|w| step(w[0], w[1])).collect();
    let all = |k: i32| steps.iter().all(|s| *s == Some(k));
    all(0) || all(1) || all(-1) || all(9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_of_sp_800_63b() {
        let cases: &[(&str, &str, Result<(), Refusal>)] = &[
            ("1234567890", "coach1", Err(Refusal::TooShort)),
            ("password12", "coach1", Err(Refusal::TooShort)),
            ("elevenchars", "coach1", Err(Refusal::TooShort)),
            ("twelve chars", "coach1", Ok(())),
            ("password1234", "coach1", Err(Refusal::Common)),
            ("PASSWORD1234", "coach1", Err(Refusal::Common)),
            ("iloveyou!!!!2026", "coach1", Err(Refusal::Common)),
            ("123456789012", "coach1", Err(Refusal::Common)),
            ("abcdefghijklm", "coach1", Err(Refusal::Common)),
            ("zzzzzzzzzzzz", "coach1", Err(Refusal::Common)),
            ("my coach1 password", "coach1", Err(Refusal::ContainsName)),
            ("my COACH1 password", "Coach1", Err(Refusal::ContainsName)),
            ("robot garden tea", "bo", Ok(())),
            ("correct horse battery", "coach1", Ok(())),
            ("ordentlig häst batteri", "coach1", Ok(())),
        ];
        for (password, login, expected) in cases {
            assert_eq!(check(password, login), *expected, "{password:?} {login:?}");
        }
        let long = "ab".repeat(64);
        assert_eq!(check(&long, "coach1"), Ok(()));
        let longer = format!("{long}c");
        assert_eq!(check(&longer, "coach1"), Err(Refusal::TooLong));
        assert_eq!(check(&"x".repeat(500_000), "c"), Err(Refusal::TooLong));
    }

    #[test]
    fn the_list_is_shipped_whole() {
        assert!(COMMON.len() > 3000, "{}", COMMON.len());
        assert!(COMMON.contains("123456") && COMMON.contains("password"));
        assert!(!COMMON.iter().any(|p| p.starts_with("#!comment")));
    }
}
