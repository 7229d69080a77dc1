//! Questionnaires as REDCap data dictionaries, read and written as REDCap writes them.

use fika_core::questionnaire::*;
use fika_interchange::redcap::{read_dictionary, write_dictionary};

const HEADER: &str = "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,\
\"Choices, Calculations, OR Slider Labels\",Field Note,Text Validation Type OR Show Slider Number,\
Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),\
Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,\
Field Annotation\n";

/// A dictionary as REDCap writes it: quoted multi-line labels, `1, Yes | 0, No` choices,
/// validation types, sections, branching logic, a slider, a descriptive field, and the
/// columns fika keeps without acting on them.
const DICTIONARY: &str = "\
program_name,programme_survey,Your program,text,\"Name of the program,
as you call it\",,,,,,,,,,,,,
started,programme_survey,,text,When did the program start?,,,date_ymd,2000-01-01,2026-12-31,,,y,,,,,
coaches,programme_survey,,text,Number of job coaches,,Count people not posts,integer,0,100,,,y,RH,1a,,,@FIKA-PREFILL=coaches
fte,programme_survey,,text,Full-time share of the coaches,,,number,0,,,,,,,,,@FIKA-PREFILL=coach_fte @FIKA-UNIT=fte
team,programme_survey,Team,radio,Is the program integrated with a treatment team?,\"1, Yes, fully | 2, Partly | 0, No\",,,,,,,y,,,,,
why_not,programme_survey,,notes,Why not?,,,,,,,[team] = '0',,,,,,
support,programme_survey,,checkbox,What support do you offer?,\"1, Benefits counselling | 2, Job development | 3, Follow-along\",,,,,,,,,,,,
follow,programme_survey,,notes,How long does follow-along last?,,,,,,,[support(3)] = '1',,,,,,
own_office,programme_survey,,yesno,Do coaches share an office with the clinical team?,,,,,,,,,,,,,
works,programme_survey,,slider,How well does the program work?,Poorly | Well,,number,1,5,,,,,,,,
intro,programme_survey,Closing,descriptive,Thank you for answering.,,,,,,,,,,,,,
contact,programme_survey,,text,Contact e-mail,,,email,,,y,,,,,,,
";

fn dictionary() -> String {
    format!("{HEADER}{DICTIONARY}")
}

#[test]
fn a_dictionary_as_redcap_writes_it_is_read() {
    let imported =
        read_dictionary(&dictionary(), "en", "Programs 2026").unwrap_or_else(|e| panic!("{e:?}"));
    let q = &imported.questionnaire;
    assert_eq!(q.sections.len(), 3);
    assert_eq!(q.sections[1].title.get("en"), "Team");
    let name = q.question("program_name").unwrap();
    assert_eq!(name.label.get("en"), "Name of the program,\nas you call it");
    assert_eq!(name.kind, Kind::ShortText);
    assert!(matches!(
        q.question("started").unwrap().kind,
        Kind::Date {
            min: Some(_),
            max: Some(_)
        }
    ));
    let coaches = q.question("coaches").unwrap();
    assert_eq!(coaches.prefill, Some(Figure::Coaches));
    assert!(coaches.required);
    assert_eq!(coaches.help.get("en"), "Count people not posts");
    assert!(matches!(
        coaches.kind,
        Kind::Number {
            integer: true,
            min: Some(0.0),
            max: Some(100.0),
            ..
        }
    ));
    let fte = q.question("fte").unwrap();
    assert!(
        matches!(&fte.kind, Kind::Number { unit, integer: false, .. } if unit.get("en") == "fte")
    );
    let team = q.question("team").unwrap();
    let codes: Vec<(&str, &str)> = team
        .kind
        .choices()
        .iter()
        .map(|c| (c.code.as_str(), c.label.get("en")))
        .collect();
    assert_eq!(codes, [("1", "Yes, fully"), ("2", "Partly"), ("0", "No")]);
    let why = q.question("why_not").unwrap();
    assert_eq!(
        why.condition,
        Some(Condition::parse("[team] = '0'").unwrap())
    );
    assert!(matches!(
        q.question("support").unwrap().kind,
        Kind::MultipleChoice { .. }
    ));
    assert!(matches!(
        q.question("own_office").unwrap().kind,
        Kind::SingleChoice {
            style: ChoiceStyle::YesNo,
            ..
        }
    ));
    assert!(matches!(
        &q.question("works").unwrap().kind,
        Kind::Scale { min: 1, max: 5, low, high } if low.get("en") == "Poorly" && high.get("en") == "Well"
    ));
    assert_eq!(q.question("intro").unwrap().kind, Kind::Info);
    assert_eq!(q.question("contact").unwrap().kind, Kind::ShortText);
    assert_eq!(imported.warnings.len(), 1, "{:?}", imported.warnings);
    assert!(
        imported.warnings[0].contains("email"),
        "{:?}",
        imported.warnings
    );
}

#[test]
fn import_then_export_gives_the_same_dictionary() {
    let text = dictionary();
    let imported = read_dictionary(&text, "en", "Programs 2026").unwrap();
    assert_eq!(write_dictionary(&imported.questionnaire, "en"), text);
}

#[test]
fn a_swedish_dictionary_keeps_its_words_in_swedish() {
    let text = format!("{HEADER}ort,enkat,,text,Var ligger programmet?,,,,,,,,,,,,,\n");
    let imported = read_dictionary(&text, "sv", "Enkät").unwrap();
    let q = imported.questionnaire.question("ort").unwrap();
    assert_eq!(q.label.sv, "Var ligger programmet?");
    assert!(q.label.en.is_empty());
    assert_eq!(write_dictionary(&imported.questionnaire, "sv"), text);
}

fn refused(row: &str) -> Vec<String> {
    let text = format!("{HEADER}ok,f,,text,Fine,,,,,,,,,,,,,\n{row}\n");
    read_dictionary(&text, "en", "T")
        .map(|_| panic!("{row} was accepted"))
        .unwrap_err()
        .iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn what_fika_cannot_hold_is_refused_naming_line_and_column() {
    for (row, expect) in [
        (
            "total,f,,calc,Total,[a] + [b],,,,,,,,,,,,",
            "line 3, column \"Field Type\", value \"calc\"",
        ),
        (
            "upload,f,,file,Upload,,,,,,,,,,,,,",
            "column \"Field Type\", value \"file\"",
        ),
        ("q,f,,sql,Pick,select 1,,,,,,,,,,,,", "\"sql\""),
        (
            "m1,f,,radio,Rank,\"1, A | 2, B\",,,,,,,,,,grid,y,",
            "column \"Matrix Ranking?\"",
        ),
        (
            "odd,f,,matrix,Odd,,,,,,,,,,,,,",
            "is not a REDCap field type",
        ),
        (
            "both,f,,text,Both,,,,,,,[ok] = '1' and [ok] = '2',,,,,,",
            "column \"Branching Logic (Show field only if...)\"",
        ),
        ("slide,f,,slider,Feel,,,,,,,,,,,,,", "runs 0–100 in REDCap"),
        (
            "slide,f,,slider,Feel,,,,0,100,,,,,,,,",
            "this slider runs 0–100",
        ),
        ("pick,f,,radio,Pick,Yes or no,,,,,,,,,,,,", "has no code"),
        (
            "n,f,,text,N,,,integer,abc,,,,,,,,,",
            "column \"Text Validation Min\", value \"abc\"",
        ),
        (
            "r,f,,text,R,,,,,,,,maybe,,,,,",
            "column \"Required Field?\"",
        ),
        (
            "Bad Name,f,,text,Bad,,,,,,,,,,,,,",
            "line 3, value \"Bad Name\"",
        ),
        (
            "ok,f,,text,Again,,,,,,,,,,,,,",
            "another question has the same name",
        ),
        (
            "later,f,,text,Later,,,,,,,[nothing] = '1',,,,,,",
            "not a question asked before",
        ),
        (
            "p,f,,text,P,,,,,,,,,,,,,@FIKA-PREFILL=happiness",
            "not a figure fika computes",
        ),
    ] {
        let errors = refused(row);
        assert!(
            errors.iter().any(|e| e.contains(expect)),
            "{row}: {errors:?}"
        );
    }
}

#[test]
fn a_file_that_is_not_a_dictionary_is_refused_at_its_header() {
    let errors = read_dictionary("name,label\nx,y\n", "en", "T").unwrap_err();
    assert_eq!(errors[0].line, 1);
    assert!(errors[0].reason.contains("not a REDCap data dictionary"));
    assert!(read_dictionary("", "en", "T").is_err());
    // The 17 columns of REDCap before its field annotations are read too.
    let old = HEADER.replace(",Field Annotation", "");
    let text = format!("{old}a,f,,text,A,,,,,,,,,,,,\n");
    assert!(read_dictionary(&text, "en", "T").is_ok());
    // An Excel byte-order mark is not part of the first column's name.
    let bom = format!("\u{feff}{HEADER}a,f,,text,A,,,,,,,,,,,,,\n");
    assert!(read_dictionary(&bom, "en", "T").is_ok());
}

#[test]
fn a_quote_left_open_is_an_error_not_a_swallowed_file() {
    let text = format!("{HEADER}a,f,,text,\"Open,,,,,,,,,,,,,\nb,f,,text,B,,,,,,,,,,,,,\n");
    let errors = read_dictionary(&text, "en", "T").unwrap_err();
    assert!(!errors.is_empty());
}
