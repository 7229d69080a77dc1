//! Free text in records: how long each kind of text may be and which characters it may
//! hold. The rule of a text lives here, once, so that the import, the web forms and every
//! other way in refuse the same text with the same words.
//!
//! Every text refuses control characters (NUL, escape, the C1 controls, DEL) and the
//! invisible characters that reverse the direction of text (which can make a note read
//! differently from what it holds); a tab is kept. Texts of several lines (a note, a goal, a
//! step) keep their line breaks (`\n`, `\r\n`); names and titles are one line.

use std::fmt;

/// The rule of one kind of free text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// At most this many characters (Unicode scalar values, as a person counts them).
    pub max: usize,
    /// Whether the text may hold line breaks.
    pub lines: bool,
    /// The stable name of the rule broken when the text is too long (`note-too-long`), so
    /// that a user interface says it in its own words and language.
    pub too_long: &'static str,
}

/// A person's or a coach's name, how they want to be called.
pub const PERSON_NAME: TextRule = TextRule {
    max: 100,
    lines: false,
    too_long: "name-too-long",
};
/// A program's or an employer's name, an organisation running a program.
pub const ORGANISATION_NAME: TextRule = TextRule {
    max: 200,
    lines: false,
    too_long: "organisation-too-long",
};
/// An employer's sector.
pub const SECTOR: TextRule = TextRule {
    max: 100,
    lines: false,
    too_long: "sector-too-long",
};
/// A job's title.
pub const JOB_TITLE: TextRule = TextRule {
    max: 200,
    lines: false,
    too_long: "title-too-long",
};
/// A goal, in the participant's own words.
pub const GOAL_TEXT: TextRule = TextRule {
    max: 1000,
    lines: true,
    too_long: "goal-too-long",
};
/// A next step: who does what (INTERCHANGE.md: a short line, often "by next meeting").
pub const STEP_TEXT: TextRule = TextRule {
    max: 500,
    lines: true,
    too_long: "step-too-long",
};
/// A meeting's note (INTERCHANGE.md: "short free text").
pub const NOTE: TextRule = TextRule {
    max: 2000,
    lines: true,
    too_long: "note-too-long",
};
/// The optional words of a participant's check-in, in their own language.
pub const CHECK_IN_WORDS: TextRule = TextRule {
    max: 2000,
    lines: true,
    too_long: "check-in-words-long",
};
/// An organisation number as written (its shape is checked by the employer's rules).
pub const ORG_NUMBER: TextRule = TextRule {
    max: 20,
    lines: false,
    too_long: "org-number-too-long",
};

/// Why a text is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    TooLong {
        max: usize,
        len: usize,
    },
    /// A control character (its code point), such as NUL, or a direction override.
    Control(u32),
    /// A line break in a text of one line.
    LineBreak,
}

impl TextError {
    /// The stable name of the rule broken.
    pub fn rule(&self, rule: TextRule) -> &'static str {
        match self {
            TextError::TooLong { .. } => rule.too_long,
            TextError::Control(_) => "text-control-character",
            TextError::LineBreak => "text-line-break",
        }
    }
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::TooLong { max, len } => {
                write!(f, "has {len} characters; at most {max} are allowed here")
            }
            TextError::Control(c) => write!(
                f,
                "holds the control character U+{c:04X}, which cannot be shown or typed; remove it"
            ),
            TextError::LineBreak => {
                f.write_str("holds a line break; this text is one line: join the lines")
            }
        }
    }
}

/// Characters that reverse or isolate the direction of the text around them.
fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks a text against its rule.
pub fn check(s: &str, rule: TextRule) -> Result<(), TextError> {
    let mut len = 0usize;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        len += 1;
        match c {
            '\t' => {}
            '\n' if rule.lines => {}
            // A Windows line end (`\r\n`) is a line break; a lone `\r` is not.
            '\r' if rule.lines && chars.peek() == Some(&'\n') => {}
            '\n' | '\r' if !rule.lines => return Err(TextError::LineBreak),
            c if c.is_control() || is_direction_override(c) => {
                return Err(TextError::Control(u32::from(c)));
            }
            _ => {}
        }
    }
    if len > rule.max {
        return Err(TextError::TooLong { max: rule.max, len });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_counted_in_characters_up_to_the_limit() {
        assert_eq!(check(&"å".repeat(100), PERSON_NAME), Ok(()));
        assert_eq!(
            check(&"å".repeat(101), PERSON_NAME),
            Err(TextError::TooLong { max: 100, len: 101 })
        );
        assert_eq!(check(&"x".repeat(2000), NOTE), Ok(()));
        assert!(check(&"x".repeat(2001), NOTE).is_err());
    }

    #[test]
    fn control_characters_are_refused_and_line_breaks_only_where_allowed() {
        assert_eq!(check("a\0b", NOTE), Err(TextError::Control(0)));
        assert_eq!(
            check("a\u{1b}b", PERSON_NAME),
            Err(TextError::Control(0x1b))
        );
        assert_eq!(check("a\u{7f}", NOTE), Err(TextError::Control(0x7f)));
        assert_eq!(check("a\u{85}", NOTE), Err(TextError::Control(0x85)));
        assert_eq!(
            check("abc\u{202E}fed", NOTE),
            Err(TextError::Control(0x202E))
        );
        assert_eq!(check("a\tb", PERSON_NAME), Ok(()));
        assert_eq!(check("line one\nline two\r\nthree", NOTE), Ok(()));
        assert_eq!(check("lone\rreturn", NOTE), Err(TextError::Control(13)));
        assert_eq!(
            check("Anna\nAndersson", PERSON_NAME),
            Err(TextError::LineBreak)
        );
        assert_eq!(check("Anna\r\n", PERSON_NAME), Err(TextError::LineBreak));
        assert_eq!(TextError::Control(0).rule(NOTE), "text-control-character");
        assert_eq!(
            TextError::TooLong { max: 1, len: 2 }.rule(NOTE),
            "note-too-long"
        );
    }
}
