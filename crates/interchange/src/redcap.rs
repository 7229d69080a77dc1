//! Questionnaires as REDCap data dictionaries: the 18-column CSV that REDCap, REDCapR and
//! many other tools read and write (docs/questionnaires.md has the mapping).
//!
//! What fika's question kinds can hold is mapped both ways; what they cannot (calculated
//! fields, file uploads, SQL fields, matrix ranking, branching logic of more than one
//! comparison) is refused, naming the line and column. Columns fika does not act on (form
//! name, identifier flag, alignment, question number, matrix group, annotation, the exact
//! validation type) are kept with the question, so a dictionary comes back out as it went
//! in.

use std::collections::BTreeMap;
use std::fmt;

use fika_core::questionnaire::*;

/// The columns, in order, with REDCap's own names.
pub const COLUMNS: [&str; 18] = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
];

const NAME: usize = 0;
const FORM: usize = 1;
const SECTION: usize = 2;
const TYPE: usize = 3;
const LABEL: usize = 4;
const CHOICES: usize = 5;
const NOTE: usize = 6;
const VALIDATION: usize = 7;
const MIN: usize = 8;
const MAX: usize = 9;
const IDENTIFIER: usize = 10;
const BRANCHING: usize = 11;
const REQUIRED: usize = 12;
const ALIGNMENT: usize = 13;
const NUMBER: usize = 14;
const MATRIX: usize = 15;
const RANKING: usize = 16;
const ANNOTATION: usize = 17;

/// The keys under which [`Question::redcap`] keeps what fika does not act on.
const KEPT: [(usize, &str); 7] = [
    (FORM, "form"),
    (IDENTIFIER, "identifier"),
    (ALIGNMENT, "alignment"),
    (NUMBER, "question_number"),
    (MATRIX, "matrix_group"),
    (ANNOTATION, "annotation"),
    (VALIDATION, "validation"),
];

/// The action tags fika reads in a field's annotation: the figure an answer is filled in
/// from, and a number's unit.
const PREFILL_TAG: &str = "@FIKA-PREFILL=";
const UNIT_TAG: &str = "@FIKA-UNIT=";

/// A problem with one line of a data dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictionaryError {
    /// The line the field's row starts on (1 is the header).
    pub line: u64,
    /// REDCap's name of the column, when one column is at fault.
    pub column: Option<&'static str>,
    pub value: String,
    pub reason: String,
}

impl fmt::Display for DictionaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(c) = self.column {
            write!(f, ", column {c:?}")?;
        }
        if !self.value.is_empty() {
            write!(f, ", value {:?}", self.value)?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// A dictionary read into a questionnaire, with what fika took but does not check.
#[derive(Debug, Clone)]
pub struct Imported {
    pub questionnaire: Questionnaire,
    pub warnings: Vec<String>,
}

/// The labels of a dictionary are in one language; fika keeps them in that one.
fn text(lang: &str, s: &str) -> Text {
    let mut t = Text::default();
    if lang == "sv" {
        t.sv = s.to_owned();
    } else {
        t.en = s.to_owned();
    }
    t
}

/// Reads a data dictionary whose labels are in `lang` ("en" or "sv"). `title` names the
/// questionnaire (REDCap's dictionary has no title of its own). Every problem is
/// returned, each with its line and column.
pub fn read_dictionary(
    csv_text: &str,
    lang: &str,
    title: &str,
) -> Result<Imported, Vec<DictionaryError>> {
    let csv_text = csv_text.strip_prefix('\u{feff}').unwrap_or(csv_text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut lines: BTreeMap<String, u64> = BTreeMap::new();
    let mut records = reader.records();
    let header_error = |value: String, reason: String| DictionaryError {
        line: 1,
        column: None,
        value,
        reason,
    };
    match records.next() {
        None => {
            return Err(vec![header_error(
                String::new(),
                "the file is empty; a REDCap data dictionary starts with its header row".into(),
            )]);
        }
        Some(Err(e)) => return Err(vec![header_error(String::new(), e.to_string())]),
        Some(Ok(header)) => {
            let got: Vec<&str> = header.iter().map(str::trim).collect();
            // REDCap before version 6 wrote 17 columns, without the annotation.
            let fits = got.len() >= 17
                && got.len() <= 18
                && got
                    .iter()
                    .zip(COLUMNS)
                    .all(|(g, c)| g.eq_ignore_ascii_case(c));
            if !fits {
                return Err(vec![header_error(
                    got.join(","),
                    format!(
                        "this is not a REDCap data dictionary: its header must be the 18 columns {}",
                        COLUMNS.join(", ")
                    ),
                )]);
            }
        }
    }
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(DictionaryError {
                    line,
                    column: None,
                    value: String::new(),
                    reason: format!("the CSV cannot be read here: {e}"),
                });
                break;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() < COLUMNS.len() - 1 {
            // A quote left open swallows the rows after it into one cell, so the row it
            // opened in comes out short.
            errors.push(DictionaryError {
                line,
                column: None,
                value: String::new(),
                reason: format!(
                    "the row has {} cells; a data dictionary has {} (is a quote left open on this line?)",
                    record.len(),
                    COLUMNS.len()
                ),
            });
            continue;
        }
        if record.len() > COLUMNS.len() {
            errors.push(DictionaryError {
                line,
                column: None,
                value: String::new(),
                reason: format!(
                    "the row has {} cells; a data dictionary has {}",
                    record.len(),
                    COLUMNS.len()
                ),
            });
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        match field(&record, lang, line, &mut warnings) {
            Ok(q) => {
                let header = cell(SECTION).trim();
                if sections.is_empty() || !header.is_empty() {
                    sections.push(Section {
                        title: if header.is_empty() {
                            Text::default()
                        } else {
                            text(lang, header)
                        },
                        questions: Vec::new(),
                    });
                }
                lines.insert(q.name.clone(), line);
                if let Some(s) = sections.last_mut() {
                    s.questions.push(q);
                }
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    let questionnaire = Questionnaire {
        format: FORMAT_VERSION,
        title: text(lang, title),
        description: Text::default(),
        sections,
    };
    if errors.is_empty()
        && let Err(design) = questionnaire.check()
    {
        for d in design {
            let line = d
                .question
                .as_ref()
                .and_then(|q| lines.get(q).copied())
                .unwrap_or(1);
            errors.push(DictionaryError {
                line,
                column: None,
                value: d.question.clone().unwrap_or_default(),
                reason: d.reason,
            });
        }
    }
    if errors.is_empty() {
        Ok(Imported {
            questionnaire,
            warnings,
        })
    } else {
        Err(errors)
    }
}

/// One row of the dictionary as a question.
fn field(
    record: &csv::StringRecord,
    lang: &str,
    line: u64,
    warnings: &mut Vec<String>,
) -> Result<Question, Vec<DictionaryError>> {
    let cell = |i: usize| record.get(i).unwrap_or("");
    let err = |column: usize, reason: String| DictionaryError {
        line,
        column: Some(COLUMNS[column]),
        value: cell(column).to_owned(),
        reason,
    };
    let mut errors = Vec::new();
    let name = cell(NAME).trim().to_owned();
    let field_type = cell(TYPE).trim().to_ascii_lowercase();
    let validation = cell(VALIDATION).trim().to_owned();
    let choices_text = cell(CHOICES);
    let bound = |column: usize| -> Result<Option<f64>, DictionaryError> {
        let v = cell(column).trim();
        if v.is_empty() {
            return Ok(None);
        }
        parse_number(v)
            .map(|(n, _)| Some(n))
            .ok_or_else(|| err(column, "is not a number".into()))
    };
    let date_bound = |column: usize| -> Result<Option<fika_core::Date>, DictionaryError> {
        let v = cell(column).trim();
        if v.is_empty() {
            return Ok(None);
        }
        fika_core::parse_date(v)
            .map(Some)
            .map_err(|_| err(column, "is not a date written YYYY-MM-DD".into()))
    };
    let mut annotation = cell(ANNOTATION).to_owned();
    let prefill = match take_tag(&annotation, PREFILL_TAG) {
        Some(f) => match Figure::parse(&f) {
            Ok(f) => Some(f),
            Err(e) => {
                errors.push(err(ANNOTATION, e));
                None
            }
        },
        None => None,
    };
    let unit = take_tag(&annotation, UNIT_TAG).unwrap_or_default();
    let mut keep_validation = false;
    let kind = match field_type.as_str() {
        "text" => match validation.as_str() {
            "" => Kind::ShortText,
            "integer" | "number" => {
                let min = bound(MIN).map_err(|e| vec![e])?;
                let max = bound(MAX).map_err(|e| vec![e])?;
                Kind::Number {
                    unit: if unit.is_empty() {
                        Text::default()
                    } else {
                        text(lang, &unit)
                    },
                    min,
                    max,
                    integer: validation == "integer",
                }
            }
            v if v.starts_with("number_") => {
                keep_validation = true;
                let min = bound(MIN).map_err(|e| vec![e])?;
                let max = bound(MAX).map_err(|e| vec![e])?;
                Kind::Number {
                    unit: if unit.is_empty() {
                        Text::default()
                    } else {
                        text(lang, &unit)
                    },
                    min,
                    max,
                    integer: false,
                }
            }
            "date_ymd" | "date_dmy" | "date_mdy" => {
                keep_validation = validation != "date_ymd";
                Kind::Date {
                    min: date_bound(MIN).map_err(|e| vec![e])?,
                    max: date_bound(MAX).map_err(|e| vec![e])?,
                }
            }
            other => {
                keep_validation = true;
                warnings.push(format!(
                    "line {line}: {name}: validation {other:?} is kept for REDCap but not checked by fika; the answer is taken as a short text"
                ));
                Kind::ShortText
            }
        },
        "notes" => Kind::LongText,
        "radio" | "dropdown" => {
            let choices = parse_choices(choices_text, lang).map_err(|e| vec![err(CHOICES, e)])?;
            Kind::SingleChoice {
                choices,
                style: if field_type == "radio" {
                    ChoiceStyle::Radio
                } else {
                    ChoiceStyle::Dropdown
                },
            }
        }
        "checkbox" => Kind::MultipleChoice {
            choices: parse_choices(choices_text, lang).map_err(|e| vec![err(CHOICES, e)])?,
        },
        "yesno" | "truefalse" => {
            let (style, words) = if field_type == "yesno" {
                (ChoiceStyle::YesNo, [("Yes", "Ja"), ("No", "Nej")])
            } else {
                (
                    ChoiceStyle::TrueFalse,
                    [("True", "Sant"), ("False", "Falskt")],
                )
            };
            Kind::SingleChoice {
                choices: ["1", "0"]
                    .iter()
                    .zip(words)
                    .map(|(code, (en, sv))| Choice {
                        code: (*code).to_owned(),
                        label: Text {
                            en: en.to_owned(),
                            sv: sv.to_owned(),
                        },
                    })
                    .collect(),
                style,
            }
        }
        "slider" => {
            let min = bound(MIN).map_err(|e| vec![e])?;
            let max = bound(MAX).map_err(|e| vec![e])?;
            let (Some(min), Some(max)) = (min, max) else {
                return Err(vec![err(
                    MIN,
                    "a slider without a minimum and maximum runs 0–100 in REDCap; fika's scales run \
                     from 0 or 1 to at most 10: give both"
                        .into(),
                )]);
            };
            if min.fract() != 0.0
                || max.fract() != 0.0
                || !(0.0..=1.0).contains(&min)
                || !(2.0..=10.0).contains(&max)
            {
                return Err(vec![err(
                    MAX,
                    format!("fika's scales run from 0 or 1 to 2–10; this slider runs {min}–{max}"),
                )]);
            }
            keep_validation = !validation.is_empty();
            let labels: Vec<&str> = if choices_text.trim().is_empty() {
                Vec::new()
            } else {
                choices_text.split('|').map(str::trim).collect()
            };
            if labels.len() > 3 {
                return Err(vec![err(
                    CHOICES,
                    "a slider has at most three labels: low | middle | high".into(),
                )]);
            }
            let low = labels.first().copied().unwrap_or("");
            let high = if labels.len() >= 2 {
                labels[labels.len() - 1]
            } else {
                ""
            };
            Kind::Scale {
                min: min as u8,
                max: max as u8,
                low: if low.is_empty() {
                    Text::default()
                } else {
                    text(lang, low)
                },
                high: if high.is_empty() {
                    Text::default()
                } else {
                    text(lang, high)
                },
            }
        }
        "descriptive" => Kind::Info,
        "calc" | "sql" | "file" => {
            return Err(vec![err(
                TYPE,
                format!(
                    "fika cannot hold a {field_type:?} field: a questionnaire to programs asks; \
                     remove the field or make it a question"
                ),
            )]);
        }
        "" => return Err(vec![err(TYPE, "the field has no type".into())]),
        other => {
            return Err(vec![err(
                TYPE,
                format!(
                    "{other:?} is not a REDCap field type fika knows (text, notes, radio, dropdown, \
                     checkbox, yesno, truefalse, slider, descriptive)"
                ),
            )]);
        }
    };
    if !matches!(
        kind,
        Kind::Number { .. } | Kind::Date { .. } | Kind::Scale { .. }
    ) && (!cell(MIN).trim().is_empty() || !cell(MAX).trim().is_empty())
    {
        errors.push(err(
            MIN,
            "only numbers, dates and sliders have a minimum or maximum".into(),
        ));
    }
    if cell(RANKING).trim().eq_ignore_ascii_case("y") {
        errors.push(err(
            RANKING,
            "fika cannot hold matrix ranking (each choice used once across the matrix)".into(),
        ));
    }
    let condition = match cell(BRANCHING).trim() {
        "" => None,
        logic => match Condition::parse(logic) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(err(BRANCHING, e.0));
                None
            }
        },
    };
    let required = match cell(REQUIRED).trim().to_ascii_lowercase().as_str() {
        "" | "n" => false,
        "y" => true,
        _ => {
            errors.push(err(REQUIRED, "must be y or empty".into()));
            false
        }
    };
    if prefill.is_some() {
        annotation = strip_tag(&annotation, PREFILL_TAG);
    }
    if !unit.is_empty() {
        annotation = strip_tag(&annotation, UNIT_TAG);
    }
    let mut redcap = BTreeMap::new();
    for (column, key) in KEPT {
        let v = if column == ANNOTATION {
            annotation.as_str()
        } else {
            cell(column)
        };
        if column == VALIDATION && !keep_validation {
            continue;
        }
        if !v.is_empty() {
            redcap.insert(key.to_owned(), v.to_owned());
        }
    }
    if let Kind::Scale { .. } = kind {
        let labels: Vec<&str> = choices_text.split('|').map(str::trim).collect();
        if labels.len() == 3 && !labels[1].is_empty() {
            redcap.insert("slider_middle".to_owned(), labels[1].to_owned());
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Question {
        name,
        label: text(lang, cell(LABEL)),
        kind,
        required,
        help: if cell(NOTE).is_empty() {
            Text::default()
        } else {
            text(lang, cell(NOTE))
        },
        condition,
        prefill,
        redcap,
    })
}

/// `1, Yes | 0, No` (REDCap also writes newlines between choices in older files).
fn parse_choices(s: &str, lang: &str) -> Result<Vec<Choice>, String> {
    let mut choices = Vec::new();
    for part in s
        .split(['|', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let Some((code, label)) = part.split_once(',') else {
            return Err(format!(
                "choice {part:?} has no code: write choices as 1, Yes | 0, No"
            ));
        };
        choices.push(Choice {
            code: code.trim().to_owned(),
            label: text(lang, label.trim()),
        });
    }
    if choices.is_empty() {
        return Err("a choice field needs its choices, written as 1, Yes | 0, No".into());
    }
    Ok(choices)
}

/// The value of an action tag `@TAG=value` (quoted or up to the next space).
fn take_tag(annotation: &str, tag: &str) -> Option<String> {
    let at = annotation.find(tag)?;
    let rest = &annotation[at + tag.len()..];
    let value = if let Some(r) = rest.strip_prefix('"') {
        r.split('"').next().unwrap_or("")
    } else {
        rest.split_whitespace().next().unwrap_or("")
    };
    Some(value.to_owned())
}

fn strip_tag(annotation: &str, tag: &str) -> String {
    let Some(at) = annotation.find(tag) else {
        return annotation.to_owned();
    };
    let rest = &annotation[at + tag.len()..];
    let len = if let Some(r) = rest.strip_prefix('"') {
        r.find('"').map_or(rest.len(), |e| e + 2)
    } else {
        rest.find(char::is_whitespace).unwrap_or(rest.len())
    };
    let before = annotation[..at].trim_end();
    let after = rest[len..].trim_start();
    match (before.is_empty(), after.is_empty()) {
        (true, _) => after.to_owned(),
        (false, true) => before.to_owned(),
        (false, false) => format!("{before} {after}"),
    }
}

fn number_text(v: f64) -> String {
    format_number(v, "en")
}

/// Writes a questionnaire as a data dictionary with its labels in `lang`. A dictionary
/// read by [`read_dictionary`] comes back as it was, but for quoting, which is REDCap's
/// (only where a cell needs it).
pub fn write_dictionary(q: &Questionnaire, lang: &str) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    let kinds: BTreeMap<&str, bool> = q
        .questions()
        .map(|x| {
            (
                x.name.as_str(),
                matches!(x.kind, Kind::MultipleChoice { .. }),
            )
        })
        .collect();
    for section in &q.sections {
        for (i, question) in section.questions.iter().enumerate() {
            let mut row: [String; 18] = Default::default();
            let kept = |k: &str| question.redcap.get(k).cloned().unwrap_or_default();
            row[NAME] = question.name.clone();
            row[FORM] = {
                let f = kept("form");
                if f.is_empty() {
                    "questionnaire".to_owned()
                } else {
                    f
                }
            };
            if i == 0 {
                row[SECTION] = section.title.get(lang).to_owned();
            }
            row[LABEL] = question.label.get(lang).to_owned();
            row[NOTE] = question.help.get(lang).to_owned();
            let choices = |cs: &[Choice]| {
                cs.iter()
                    .map(|c| format!("{}, {}", c.code, c.label.get(lang)))
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            let mut unit = String::new();
            match &question.kind {
                Kind::SingleChoice { choices: cs, style } => {
                    row[TYPE] = match style {
                        ChoiceStyle::Radio => "radio",
                        ChoiceStyle::Dropdown => "dropdown",
                        ChoiceStyle::YesNo => "yesno",
                        ChoiceStyle::TrueFalse => "truefalse",
                    }
                    .to_owned();
                    if matches!(style, ChoiceStyle::Radio | ChoiceStyle::Dropdown) {
                        row[CHOICES] = choices(cs);
                    }
                }
                Kind::MultipleChoice { choices: cs } => {
                    row[TYPE] = "checkbox".to_owned();
                    row[CHOICES] = choices(cs);
                }
                Kind::Number {
                    unit: u,
                    min,
                    max,
                    integer,
                } => {
                    row[TYPE] = "text".to_owned();
                    row[VALIDATION] = if *integer { "integer" } else { "number" }.to_owned();
                    row[MIN] = min.map(number_text).unwrap_or_default();
                    row[MAX] = max.map(number_text).unwrap_or_default();
                    unit = u.get(lang).to_owned();
                }
                Kind::Date { min, max } => {
                    row[TYPE] = "text".to_owned();
                    row[VALIDATION] = "date_ymd".to_owned();
                    row[MIN] = min.map(|d| d.to_string()).unwrap_or_default();
                    row[MAX] = max.map(|d| d.to_string()).unwrap_or_default();
                }
                Kind::ShortText => row[TYPE] = "text".to_owned(),
                Kind::LongText => row[TYPE] = "notes".to_owned(),
                Kind::Scale {
                    min,
                    max,
                    low,
                    high,
                } => {
                    row[TYPE] = "slider".to_owned();
                    row[MIN] = min.to_string();
                    row[MAX] = max.to_string();
                    let middle = kept("slider_middle");
                    let (l, h) = (low.get(lang), high.get(lang));
                    row[CHOICES] = if !middle.is_empty() {
                        format!("{l} | {middle} | {h}")
                    } else if l.is_empty() && h.is_empty() {
                        String::new()
                    } else {
                        format!("{l} | {h}")
                    };
                }
                Kind::Info => row[TYPE] = "descriptive".to_owned(),
            }
            let validation = kept("validation");
            if !validation.is_empty() {
                row[VALIDATION] = validation;
            }
            row[IDENTIFIER] = kept("identifier");
            row[BRANCHING] = question
                .condition
                .as_ref()
                .map(|c| c.to_logic(kinds.get(c.question.as_str()).copied().unwrap_or(false)))
                .unwrap_or_default();
            row[REQUIRED] = if question.required { "y" } else { "" }.to_owned();
            row[ALIGNMENT] = kept("alignment");
            row[NUMBER] = kept("question_number");
            row[MATRIX] = kept("matrix_group");
            let mut annotation = kept("annotation");
            for (tag, value) in [
                (
                    PREFILL_TAG,
                    question.prefill.map(|f| f.to_string()).unwrap_or_default(),
                ),
                (UNIT_TAG, unit),
            ] {
                if !value.is_empty() {
                    let tagged = if value.contains(char::is_whitespace) {
                        format!("{tag}\"{value}\"")
                    } else {
                        format!("{tag}{value}")
                    };
                    annotation = if annotation.is_empty() {
                        tagged
                    } else {
                        format!("{annotation} {tagged}")
                    };
                }
            }
            row[ANNOTATION] = annotation;
            let _ = w.write_record(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
