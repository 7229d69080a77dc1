//! The columns of each file, in the order INTERCHANGE.md lists them (and export writes them).

use fika_core::File;

use crate::problem::Problem;

/// One column of an interchange file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    /// A required column must be present in the header (its cells may still be empty when
    /// the rule allows, e.g. `exit_reason` only with `exited_on`). INTERCHANGE.md's "with
    /// exited_on" and "when made_by = …" columns are optional columns here; the record rules
    /// decide when a value is needed.
    pub required: bool,
}

const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

const PROGRAMS: &[Column] = &[
    req("program_id"),
    req("name"),
    opt("organisation"),
    opt("started_on"),
];
const COACHES: &[Column] = &[
    req("coach_id"),
    req("program_id"),
    req("name"),
    opt("fte"),
    req("started_on"),
    opt("ended_on"),
];
const PARTICIPANTS: &[Column] = &[
    req("participant_id"),
    req("program_id"),
    req("coach_id"),
    req("name"),
    req("referral_source"),
    opt("referred_on"),
    req("enrolled_on"),
    opt("employed_at_entry"),
    opt("exited_on"),
    opt("exit_reason"),
];
const GOALS: &[Column] = &[
    req("goal_id"),
    req("participant_id"),
    req("set_on"),
    req("text"),
    opt("occupation_code"),
    opt("hours_per_week"),
];
const MEETINGS: &[Column] = &[
    req("meeting_id"),
    req("participant_id"),
    req("coach_id"),
    req("date"),
    req("minutes"),
    req("place"),
    opt("note"),
];
const NEXT_STEPS: &[Column] = &[
    req("step_id"),
    req("participant_id"),
    opt("meeting_id"),
    req("owner"),
    req("text"),
    req("agreed_on"),
    opt("due_on"),
    opt("done_on"),
];
const EMPLOYERS: &[Column] = &[
    req("employer_id"),
    req("name"),
    opt("org_number"),
    opt("sector"),
];
const EMPLOYER_CONTACTS: &[Column] = &[
    req("contact_id"),
    req("employer_id"),
    req("date"),
    req("made_by"),
    opt("coach_id"),
    opt("participant_id"),
    req("face_to_face"),
    opt("purpose"),
];
const JOBS: &[Column] = &[
    req("job_id"),
    req("participant_id"),
    opt("employer_id"),
    req("kind"),
    req("title"),
    opt("occupation_code"),
    opt("hours_per_week"),
    opt("hourly_wage"),
    req("started_on"),
    opt("ended_on"),
    opt("end_reason"),
];
const BENEFITS_PLANNING: &[Column] = &[
    req("participant_id"),
    req("date"),
    req("status"),
    opt("trained_planner"),
];

/// fika's addition to INTERCHANGE.md (docs/interchange.md): one column per item of
/// `fika_core::check_in::ITEMS`, by its id, in the order they are asked.
const CHECK_INS: &[Column] = &[
    req("check_in_id"),
    req("participant_id"),
    req("coach_id"),
    req("date"),
    req("items_version"),
    req("person"),
    req("heard"),
    req("goal"),
    req("overall"),
    req("sharing"),
    opt("words"),
];

/// The columns of `file`, in INTERCHANGE.md's order.
pub const fn columns(file: File) -> &'static [Column] {
    match file {
        File::Programs => PROGRAMS,
        File::Coaches => COACHES,
        File::Participants => PARTICIPANTS,
        File::Goals => GOALS,
        File::Meetings => MEETINGS,
        File::NextSteps => NEXT_STEPS,
        File::Employers => EMPLOYERS,
        File::EmployerContacts => EMPLOYER_CONTACTS,
        File::Jobs => JOBS,
        File::BenefitsPlanning => BENEFITS_PLANNING,
        File::CheckIns => CHECK_INS,
    }
}

/// Position of a column in [`columns`], if the file has it.
pub fn column_index(file: File, name: &str) -> Option<usize> {
    columns(file).iter().position(|c| c.name == name)
}

/// Whether the file must be present in a folder. INTERCHANGE.md: every file except
/// `programs.csv` is optional; so is fika's own `check_ins.csv`.
pub const fn is_required(file: File) -> bool {
    matches!(file, File::Programs)
}

/// The file a name such as `coaches.csv` belongs to.
pub fn file_by_name(name: &str) -> Option<File> {
    File::FILE_ORDER.into_iter().find(|f| f.file_name() == name)
}

/// Maps a header onto the spec: for each column of [`columns`], the position (as given
/// beside each name) where it sits. `place` names the file or sheet in the reasons. Every
/// problem is reported at line 1: a column named twice, one that is not a column of the
/// file, a required one missing.
pub(crate) fn match_header<'a>(
    file: File,
    names: impl IntoIterator<Item = (usize, &'a str)>,
    place: &str,
) -> Result<Vec<Option<usize>>, Vec<Problem>> {
    let spec = columns(file);
    let mut positions = vec![None; spec.len()];
    let mut problems = Vec::new();
    let problem = |column: &str, value: Option<&str>, reason: String| Problem {
        file,
        line: 1,
        column: Some(column.to_owned()),
        value: value.map(str::to_owned),
        reason,
    };
    for (at, name) in names {
        match column_index(file, name) {
            Some(i) if positions[i].is_some() => problems.push(problem(
                name,
                Some(name),
                "the column appears twice in the header; keep one".to_owned(),
            )),
            Some(i) => positions[i] = Some(at),
            None => {
                let names: Vec<_> = spec.iter().map(|c| c.name).collect();
                problems.push(problem(
                    name,
                    Some(name),
                    format!(
                        "is not a column of {place}; remove it or rename it to one of {}",
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    for (column, at) in spec.iter().zip(&positions) {
        if column.required && at.is_none() {
            problems.push(problem(
                column.name,
                None,
                "the required column is missing from the header".to_owned(),
            ));
        }
    }
    if problems.is_empty() {
        Ok(positions)
    } else {
        Err(problems)
    }
}

/// The columns of `check_ins.csv` that hold a score, in the order of the items.
pub const SCORE_COLUMNS: [&str; 4] = ["person", "heard", "goal", "overall"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_score_columns_are_the_items_in_order() {
        let items = fika_core::check_in::ITEMS.map(|i| i.id);
        assert_eq!(SCORE_COLUMNS, items);
        let at = column_index(File::CheckIns, "person").unwrap();
        let names: Vec<_> = columns(File::CheckIns)[at..at + 4]
            .iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, items);
    }
}
