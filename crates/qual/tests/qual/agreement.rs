//! Agreement figures against hand-computed and published examples.

use fika_qual::agreement::{
    Counts, Decision, Histogram, add_consensus, agreement, compare, compare_coders, consensus,
};

use crate::common::{ANNA, BJORN, CECILIA, code, guid, project};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// The two-coder table of code 201.
fn counts(p: &fika_qual::Project) -> Counts {
    let c = compare(p, &guid(ANNA), &guid(BJORN)).unwrap();
    c.codes
        .iter()
        .find(|x| x.code == guid(201))
        .and_then(|x| x.counts)
        .unwrap_or_default()
}

#[test]
fn cohens_kappa_matches_the_published_fifty_item_example() {
    // Wikipedia, "Cohen's kappa", worked example: 50 proposals, yes/yes 20, yes/no 5,
    // no/yes 10, no/no 15 → po = 0.7, pe = 0.5, κ = 0.4. Each proposal is one character;
    // the text mixes letters, å/ä/ö and emoji so that code points and bytes differ.
    let text: String = "åäö😀fika".chars().cycle().take(50).collect();
    assert_eq!(text.chars().count(), 50);
    let mut p = project(&[&text]);
    code(&mut p, 0, ANNA, 201, 0, 25);
    code(&mut p, 0, BJORN, 201, 0, 20);
    code(&mut p, 0, BJORN, 201, 25, 35);
    let c = counts(&p);
    assert_eq!(
        c,
        Counts {
            both: 20,
            only_first: 5,
            only_second: 10,
            neither: 15
        }
    );
    assert!(close(c.percent_agreement(), 0.7));
    assert!(close(c.kappa(), 0.4), "{}", c.kappa());
}

#[test]
fn krippendorffs_binary_two_coder_example() {
    // Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section A:
    // binary data, two observers, 10 units; published alpha = 0.095 (exactly 1 − 76/84).
    // Observer A: 0 1 0 0 0 0 0 0 1 0; observer B: 1 1 1 0 0 1 0 0 0 0.
    let mut p = project(&["Kaffe på c"]);
    code(&mut p, 0, ANNA, 201, 1, 2);
    code(&mut p, 0, ANNA, 201, 8, 9);
    code(&mut p, 0, BJORN, 201, 0, 3);
    code(&mut p, 0, BJORN, 201, 5, 6);
    let report = agreement(&p, &[guid(ANNA), guid(BJORN)]).unwrap();
    let alpha = report.codes[0].figures.alpha.unwrap();
    assert!(close(alpha, 1.0 - 76.0 / 84.0), "{alpha}");
    assert_eq!((alpha * 1000.0).round() / 1000.0, 0.095);
    // Same data as a 2×2 table: both 1, only A 1, only B 3, neither 5.
    let c = counts(&p);
    assert_eq!(
        c,
        Counts {
            both: 1,
            only_first: 1,
            only_second: 3,
            neither: 5
        }
    );
    assert!(close(c.kappa(), 0.04 / 0.44));
}

#[test]
fn krippendorffs_alpha_for_three_coders_by_hand() {
    // Six characters; A codes 0..3, B 0..2, C 1..3. Units valued by 2, 3, 2, 0, 0, 0 coders.
    // Coincidences: o01 = 2, n1 = 7, n0 = 11, n = 18 → alpha = 1 − 17·2 / (11·7) = 43/77.
    let mut p = project(&["fikaär"]);
    code(&mut p, 0, ANNA, 201, 0, 3);
    code(&mut p, 0, BJORN, 201, 0, 2);
    code(&mut p, 0, CECILIA, 201, 1, 3);
    let coders = [guid(ANNA), guid(BJORN), guid(CECILIA)];
    let report = agreement(&p, &coders).unwrap();
    let row = &report.codes[0].figures;
    assert!(close(row.alpha.unwrap(), 43.0 / 77.0));
    assert_eq!(row.kappa, None, "kappa is for two coders");
    // All three agree on characters 1 (all applied) and 3..6 (none applied).
    assert!(close(row.percent_agreement, 4.0 / 6.0));
    let c = compare_coders(&p, &coders).unwrap();
    assert_eq!(
        c.codes[0].histogram,
        Histogram {
            by_coders: vec![3, 0, 2, 1]
        }
    );
}

#[test]
fn positions_count_code_points_across_sources() {
    // "åäö😀😀" is 5 code points and 14 bytes. Pooled with "fika": 9 characters.
    // both 2, only A 3, only B 2, neither 2 → po = 4/9, pe = 40/81, κ = −4/41.
    let mut p = project(&["åäö😀😀", "fika"]);
    code(&mut p, 0, ANNA, 201, 0, 5);
    code(&mut p, 0, BJORN, 201, 3, 5);
    code(&mut p, 1, BJORN, 201, 0, 2);
    let c = counts(&p);
    assert_eq!(
        c,
        Counts {
            both: 2,
            only_first: 3,
            only_second: 2,
            neither: 2
        }
    );
    assert!(close(c.percent_agreement(), 4.0 / 9.0));
    assert!(close(c.kappa(), -4.0 / 41.0));
}

#[test]
fn overlapping_segments_of_one_coder_count_once() {
    let mut p = project(&["0123456789"]);
    code(&mut p, 0, ANNA, 201, 0, 5);
    code(&mut p, 0, ANNA, 201, 3, 8);
    code(&mut p, 0, BJORN, 201, 0, 8);
    assert_eq!(
        counts(&p),
        Counts {
            both: 8,
            only_first: 0,
            only_second: 0,
            neither: 2
        }
    );
}

#[test]
fn nobody_coded_anything() {
    let p = project(&["Vi ses på kaféet."]);
    let report = agreement(&p, &[guid(ANNA), guid(BJORN)]).unwrap();
    assert!(
        report.codes.is_empty(),
        "only codes somebody applied are compared"
    );
    assert_eq!(report.overall.percent_agreement, 1.0);
    assert_eq!(report.overall.kappa, Some(1.0));
    // A code nobody applied, as a table: every character agreed "not applied".
    let c = Counts {
        neither: 17,
        ..Counts::default()
    };
    assert_eq!((c.percent_agreement(), c.kappa()), (1.0, 1.0));
}

#[test]
fn complete_agreement_gives_kappa_one() {
    let mut p = project(&["Det tar den tid det tar.", "Hela texten"]);
    code(&mut p, 0, ANNA, 201, 4, 12);
    code(&mut p, 0, BJORN, 201, 4, 12);
    let c = counts(&p);
    assert_eq!((c.percent_agreement(), c.kappa()), (1.0, 1.0));
    // Every character coded by both: pe = 1, kappa defined as 1.
    let all = Counts {
        both: 35,
        ..Counts::default()
    };
    assert_eq!(all.kappa(), 1.0);
}

#[test]
fn only_one_coder_coded() {
    // both 0, only A 4, neither 6 → po = 0.6, pe = 0.6, κ = 0.
    let mut p = project(&["0123456789"]);
    code(&mut p, 0, ANNA, 201, 0, 4);
    let c = counts(&p);
    assert_eq!(
        c,
        Counts {
            both: 0,
            only_first: 4,
            only_second: 0,
            neither: 6
        }
    );
    assert!(close(c.percent_agreement(), 0.6));
    assert!(close(c.kappa(), 0.0));
}

#[test]
fn overall_pools_the_per_code_counts() {
    let mut p = project(&["0123456789"]);
    code(&mut p, 0, ANNA, 201, 0, 4);
    code(&mut p, 0, BJORN, 201, 0, 4);
    code(&mut p, 0, ANNA, 202, 0, 2);
    let c = compare(&p, &guid(ANNA), &guid(BJORN)).unwrap();
    assert_eq!(c.codes.len(), 2);
    let overall = c.overall_counts().unwrap();
    assert_eq!(
        overall,
        Counts {
            both: 4,
            only_first: 2,
            only_second: 0,
            neither: 14
        }
    );
    let report = agreement(&p, &[guid(ANNA), guid(BJORN)]).unwrap();
    assert!(close(report.overall.percent_agreement, 18.0 / 20.0));
    assert_eq!(report.overall.kappa, Some(overall.kappa()));
}

#[test]
fn disagreements_are_merged_runs_and_feed_the_consensus() {
    let mut p = project(&["Kaffe på café, sen jobb."]);
    code(&mut p, 0, ANNA, 201, 0, 5);
    code(&mut p, 0, BJORN, 201, 3, 8);
    let c = compare(&p, &guid(ANNA), &guid(BJORN)).unwrap();
    let spans: Vec<_> = c
        .disagreements
        .iter()
        .map(|d| {
            (
                d.span.source.clone(),
                d.span.start,
                d.span.end,
                d.applied_by.clone(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        vec![
            (guid(101), 0, 3, vec![guid(ANNA)]),
            (guid(101), 5, 8, vec![guid(BJORN)])
        ]
    );
    assert_eq!((c.agreed[0].start, c.agreed[0].end), (3, 5));

    let consensus_user = guid(9);
    let kept = consensus(&c, &[Decision::Keep, Decision::Drop], &consensus_user).unwrap();
    assert_eq!(kept.len(), 1);
    let (source, sel) = &kept[0];
    assert_eq!((source, sel.start, sel.end), (&guid(101), 0, 5));
    assert_eq!(sel.codings[0].code, guid(201));
    assert_eq!(sel.codings[0].creating_user, Some(consensus_user.clone()));

    // Added to the project, the consensus agrees fully with Anna, who coded 0..5.
    let user = fika_qual::User {
        guid: consensus_user.clone(),
        name: Some("consensus".into()),
        id: None,
    };
    add_consensus(&mut p, user, kept);
    let anna_vs_consensus = compare(&p, &guid(ANNA), &consensus_user).unwrap();
    assert_eq!(anna_vs_consensus.codes[0].counts.unwrap().kappa(), 1.0);

    let err = consensus(&c, &[Decision::Keep], &guid(9)).unwrap_err();
    assert!(
        err.to_string()
            .contains("1 decisions given for 2 disagreements"),
        "{err}"
    );
}

#[test]
fn unknown_coder_is_refused_by_name() {
    let p = project(&["x"]);
    let err = compare(&p, &guid(ANNA), &guid(77)).unwrap_err();
    assert!(err.to_string().contains(guid(77).as_str()), "{err}");
}

#[test]
fn report_serialises_to_json_for_the_command_line() {
    let mut p = project(&["0123456789"]);
    code(&mut p, 0, ANNA, 201, 0, 4);
    code(&mut p, 0, BJORN, 201, 2, 4);
    let report = agreement(&p, &[guid(ANNA), guid(BJORN)]).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["coders"][1]["name"], "Björn");
    assert_eq!(json["codes"][0]["code"], guid(201).as_str());
    assert_eq!(json["codes"][0]["name"], "Café");
    assert_eq!(json["codes"][0]["percent_agreement"], 0.8);
    assert!(json["codes"][0]["kappa"].is_number());
    assert!(json["codes"][0]["alpha"].is_number());
    assert_eq!(json["overall"]["counts"]["both"], 2);
}

#[test]
fn per_source_pooled_and_averaged_figures_differ_as_computed_by_hand() {
    // Hand computation. Two sources of 10 characters each; code 201 (Café).
    // Source 1: Anna and Björn both code 0–4 → both 4, neither 6: po = 1, κ = 1.
    // Source 2: Anna codes 0–2, Björn nothing → only Anna 2, neither 8:
    //   po = 0.8, pA = 0.2, pB = 0, pe = 0.2·0 + 0.8·1 = 0.8, κ = (0.8 − 0.8)/(1 − 0.8) = 0.
    // Pooled over 20 characters: both 4, only Anna 2, neither 14:
    //   po = 18/20 = 0.9, pA = 6/20 = 0.3, pB = 4/20 = 0.2,
    //   pe = 0.3·0.2 + 0.7·0.8 = 0.62, κ = (0.9 − 0.62)/(1 − 0.62) = 0.28/0.38 = 14/19.
    // Averaged over sources weighted by length (NVivo): κ = (10·1 + 10·0)/20 = 0.5;
    //   percent agreement (10·1 + 10·0.8)/20 = 0.9, the pooled one.
    // Code 202 (Tid): nobody applied it → 100 %, κ = 1 everywhere, listed apart, not in
    //   the overall figure (which equals code 201's pooled figure).
    let mut p = project(&["abcdefghij", "klmnopqrst"]);
    code(&mut p, 0, ANNA, 201, 0, 4);
    code(&mut p, 0, BJORN, 201, 0, 4);
    code(&mut p, 1, ANNA, 201, 0, 2);
    let report = agreement(&p, &[guid(ANNA), guid(BJORN)]).unwrap();
    assert_eq!(report.codes.len(), 1);
    let cafe = &report.codes[0];
    assert_eq!(cafe.code, guid(201));
    assert!(close(cafe.figures.percent_agreement, 0.9));
    assert!(close(cafe.figures.kappa.unwrap(), 14.0 / 19.0));
    assert!(close(cafe.averaged_over_sources.kappa.unwrap(), 0.5));
    assert!(close(cafe.averaged_over_sources.percent_agreement, 0.9));
    let per: Vec<(u64, f64, f64)> = cafe
        .by_source
        .iter()
        .map(|s| {
            (
                s.characters,
                s.figures.percent_agreement,
                s.figures.kappa.unwrap(),
            )
        })
        .collect();
    assert_eq!(per.len(), 2);
    assert_eq!((per[0].0, per[1].0), (10, 10));
    assert!(close(per[0].1, 1.0) && close(per[0].2, 1.0), "{per:?}");
    assert!(close(per[1].1, 0.8) && close(per[1].2, 0.0), "{per:?}");
    assert_eq!(
        cafe.by_source[1].figures.counts,
        Some(Counts {
            both: 0,
            only_first: 2,
            only_second: 0,
            neither: 8
        })
    );
    assert_eq!(cafe.by_source[0].source, guid(101));
    assert_eq!(cafe.by_source[1].name, "Intervju 2");

    assert_eq!(report.codes_nobody_applied.len(), 1);
    let tid = &report.codes_nobody_applied[0];
    assert_eq!(tid.code, guid(202));
    assert_eq!(tid.figures.percent_agreement, 1.0);
    assert_eq!(tid.figures.kappa, Some(1.0));
    assert_eq!(tid.averaged_over_sources.kappa, Some(1.0));
    assert_eq!(tid.by_source.len(), 2);
    assert_eq!(
        tid.figures.counts,
        Some(Counts {
            neither: 20,
            ..Counts::default()
        })
    );
    assert!(!report.overall_counts_codes_nobody_applied);
    assert!(close(report.overall.kappa.unwrap(), 14.0 / 19.0));

    // The JSON names each figure apart.
    let json = serde_json::to_value(&report).unwrap();
    let code = &json["codes"][0];
    assert!(code["kappa"].is_f64());
    assert!(close(
        code["averaged_over_sources"]["kappa"].as_f64().unwrap(),
        0.5
    ));
    assert!(close(code["by_source"][1]["kappa"].as_f64().unwrap(), 0.0));
    assert_eq!(json["codes_nobody_applied"][0]["kappa"], 1.0);
    assert_eq!(json["overall_counts_codes_nobody_applied"], false);
}
