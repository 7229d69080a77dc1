//! Identifiers. INTERCHANGE.md: "IDs are free text (1–64 characters, no leading or trailing
//! spaces), unique within their file". Each kind of record has its own ID type so that a
//! coach's ID can never be passed where a participant's is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a text is not a valid ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an ID cannot be empty")]
    Empty,
    #[error("an ID has at most 64 characters; this one has {0}")]
    TooLong(usize),
    #[error("an ID cannot start or end with a space")]
    Padded,
    #[error("an ID cannot contain control characters such as line breaks")]
    Control,
}

/// Checks the ID rule of INTERCHANGE.md and returns the text unchanged.
fn check_id(s: &str) -> Result<&str, IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    let n = s.chars().count();
    if n > 64 {
        return Err(IdError::TooLong(n));
    }
    if s.trim() != s {
        return Err(IdError::Padded);
    }
    // Not in the spec's wording, but an ID with a line break in it cannot be shown or typed
    // back by anyone; refusing it protects every later screen and export.
    if s.chars().any(char::is_control) {
        return Err(IdError::Control);
    }
    Ok(s)
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses an ID, refusing empty, padded, over-long or multi-line text.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                check_id(s).map(|s| Self(s.to_owned()))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                check_id(&s)?;
                Ok(Self(s))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// `program_id`: an IPS program (a team run by a municipality, region or provider).
    ProgramId
);
id_type!(
    /// `coach_id`: an employment specialist.
    CoachId
);
id_type!(
    /// `participant_id`: a person on a caseload.
    ParticipantId
);
id_type!(
    /// `goal_id`: one of a participant's own goals.
    GoalId
);
id_type!(
    /// `meeting_id`: a contact between coach and participant.
    MeetingId
);
id_type!(
    /// `step_id`: a next step agreed at or between meetings.
    StepId
);
id_type!(
    /// `employer_id`: an employer in the register.
    EmployerId
);
id_type!(
    /// `contact_id`: an employer contact (job development).
    ContactId
);
id_type!(
    /// `job_id`: a job or another step toward work.
    JobId
);
id_type!(
    /// `check_in_id`: a participant's check-in on how the support feels.
    CheckInId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_rules() {
        assert!(ProgramId::parse("P1").is_ok());
        assert!(ProgramId::parse("Göteborg — café 1").is_ok());
        assert_eq!(ProgramId::parse(""), Err(IdError::Empty));
        assert_eq!(ProgramId::parse(" P1"), Err(IdError::Padded));
        assert_eq!(ProgramId::parse("P1 "), Err(IdError::Padded));
        assert_eq!(ProgramId::parse("a\nb"), Err(IdError::Control));
        assert!(ProgramId::parse(&"å".repeat(64)).is_ok());
        assert_eq!(ProgramId::parse(&"å".repeat(65)), Err(IdError::TooLong(65)));
    }
}
