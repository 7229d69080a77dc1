//! How each interchange file maps onto its table: the table's name, its ID column, the SQL
//! kind of each column and the references the import must check. Column names are the
//! interchange names, so one list (`fika_interchange::spec::columns`) serves both.

use fika_core::File;
use fika_interchange::spec::columns;

/// What a column holds, which decides its SQL type and how its text is bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Date,
    Int,
    Decimal,
    Bool,
}

/// A column that names a row of another file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reference {
    pub column: &'static str,
    pub target: File,
}

pub(crate) const fn table(file: File) -> &'static str {
    match file {
        File::Programs => "program",
        File::Coaches => "coach",
        File::Participants => "participant",
        File::Goals => "goal",
        File::Meetings => "meeting",
        File::NextSteps => "next_step",
        File::Employers => "employer",
        File::EmployerContacts => "employer_contact",
        File::Jobs => "job",
        File::BenefitsPlanning => "benefits_planning",
        File::CheckIns => "check_in",
    }
}

/// The ID column, unique within the file and the database; benefits planning has none.
pub(crate) const fn id_column(file: File) -> Option<&'static str> {
    match file {
        File::Programs => Some("program_id"),
        File::Coaches => Some("coach_id"),
        File::Participants => Some("participant_id"),
        File::Goals => Some("goal_id"),
        File::Meetings => Some("meeting_id"),
        File::NextSteps => Some("step_id"),
        File::Employers => Some("employer_id"),
        File::EmployerContacts => Some("contact_id"),
        File::Jobs => Some("job_id"),
        File::BenefitsPlanning => None,
        File::CheckIns => Some("check_in_id"),
    }
}

/// A column's kind, from its name: names are used consistently across the files.
pub(crate) fn kind(column: &str) -> Kind {
    match column {
        "started_on" | "ended_on" | "referred_on" | "enrolled_on" | "exited_on" | "set_on"
        | "date" | "agreed_on" | "due_on" | "done_on" => Kind::Date,
        "minutes" | "items_version" | "person" | "heard" | "goal" | "overall" => Kind::Int,
        "fte" | "hours_per_week" | "hourly_wage" => Kind::Decimal,
        "employed_at_entry" | "face_to_face" | "trained_planner" => Kind::Bool,
        _ => Kind::Text,
    }
}

/// The columns of a table other than `seq`, in interchange order.
pub(crate) fn column_names(file: File) -> impl Iterator<Item = &'static str> {
    columns(file).iter().map(|c| c.name)
}

/// The references of each file. The ID column of a file is never a reference.
pub(crate) fn references(file: File) -> &'static [Reference] {
    match file {
        File::Programs | File::Employers => &[],
        File::Coaches => &[Reference {
            column: "program_id",
            target: File::Programs,
        }],
        File::Participants => &[
            Reference {
                column: "program_id",
                target: File::Programs,
            },
            Reference {
                column: "coach_id",
                target: File::Coaches,
            },
        ],
        File::Goals | File::BenefitsPlanning => &[Reference {
            column: "participant_id",
            target: File::Participants,
        }],
        File::Meetings | File::CheckIns => &[
            Reference {
                column: "participant_id",
                target: File::Participants,
            },
            Reference {
                column: "coach_id",
                target: File::Coaches,
            },
        ],
        File::NextSteps => &[
            Reference {
                column: "participant_id",
                target: File::Participants,
            },
            Reference {
                column: "meeting_id",
                target: File::Meetings,
            },
        ],
        File::EmployerContacts => &[
            Reference {
                column: "employer_id",
                target: File::Employers,
            },
            Reference {
                column: "coach_id",
                target: File::Coaches,
            },
            Reference {
                column: "participant_id",
                target: File::Participants,
            },
        ],
        File::Jobs => &[
            Reference {
                column: "participant_id",
                target: File::Participants,
            },
            Reference {
                column: "employer_id",
                target: File::Employers,
            },
        ],
    }
}

/// What a row of a file is called in a sentence ("no coach with this ID …").
pub(crate) const fn noun(file: File) -> &'static str {
    match file {
        File::Programs => "program",
        File::Coaches => "coach",
        File::Participants => "participant",
        File::Goals => "goal",
        File::Meetings => "meeting",
        File::NextSteps => "next step",
        File::Employers => "employer",
        File::EmployerContacts => "employer contact",
        File::Jobs => "job",
        File::BenefitsPlanning => "benefits planning",
        File::CheckIns => "check-in",
    }
}
