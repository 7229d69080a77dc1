//! The computed fidelity items of METRICS.md as a table, and the charts drawn from their
//! evidence: caseloads against 20, the share of in-person minutes in the community.

use fika_core::fidelity::{Evidence, FidelityReport};
use fika_core::scale::{ItemId, Lang, Section};

use crate::chart::{Chart, ChartKind, Reference, Series};
use crate::table::{Cell, Column, Report, Table};
use crate::text::say;

/// METRICS.md's S1 anchor for a score of 5: at most 20 participants per full-time coach.
pub const CASELOAD_GOOD: f64 = 20.0;

pub fn section(s: Section) -> &'static str {
    match s {
        Section::Staffing => "staffing",
        Section::Organisation => "organisation",
        Section::Services => "services",
    }
}

/// Every item of the report: `id`, `name`, `section`, `value`, `score`, `n`.
pub fn table(report: &FidelityReport, lang: Lang) -> Table {
    let title = say(lang, "Fidelity items", "Programtrohet");
    let mut t = Table::new(
        title,
        format!("{title} · {} · {}", report.program, report.at),
        vec![
            Column::new("id", say(lang, "Item", "Post"), 6.0),
            Column::new("name", say(lang, "Name", "Namn"), 44.0),
            Column::new("section", say(lang, "Section", "Avsnitt"), 14.0),
            Column::new("value", say(lang, "Value", "Värde"), 10.0),
            Column::new("score", say(lang, "Score", "Poäng"), 8.0),
            Column::new("n", say(lang, "Counted", "Räknade"), 9.0),
        ],
    );
    for item in &report.items {
        let meta = item.id.item();
        t.rows.push(vec![
            Cell::text(item.id.as_str()),
            Cell::text(meta.name(lang)),
            Cell::text(section(meta.section)),
            Cell::opt_number(item.value, 2),
            Cell::opt_int(item.score),
            Cell::opt_int(item.n),
        ]);
    }
    t
}

/// S1's evidence: each coach's caseload per full-time post, against 20.
pub fn caseload_chart(report: &FidelityReport, lang: Lang) -> Option<Chart> {
    let Evidence::Caseload(coaches) = &report.item(ItemId::S1).evidence else {
        return None;
    };
    Some(Chart {
        id: "caseloads".into(),
        title: say(lang, "Caseload per full-time coach", "Antal deltagare per heltidscoach").into(),
        description: say(
            lang,
            "Participants active on the review date for each coach in post, divided by the coach's full-time equivalent (S1). The dashed line is 20, the most for a score of 5.",
            "Deltagare aktiva på granskningsdagen för varje coach i tjänst, delat med coachens tjänstgöringsgrad (S1). Den streckade linjen är 20, det högsta för 5 poäng.",
        )
        .into(),
        kind: ChartKind::Bars,
        category_label: say(lang, "Coach", "Coach").into(),
        categories: coaches.iter().map(|c| c.coach.to_string()).collect(),
        series: vec![Series {
            name: say(lang, "Caseload", "Antal deltagare").into(),
            values: coaches.iter().map(|c| Some(c.caseload)).collect(),
        }],
        references: vec![Reference { label: "20".into(), value: CASELOAD_GOOD }],
        percent: false,
        max: None,
    })
}

/// V13's evidence: each coach's share of in-person minutes spent in the community.
pub fn community_chart(report: &FidelityReport, lang: Lang) -> Option<Chart> {
    let Evidence::Community(e) = &report.item(ItemId::V13).evidence else {
        return None;
    };
    Some(Chart {
        id: "community".into(),
        title: say(lang, "Share of meetings in the community", "Andel möten ute i samhället").into(),
        description: say(
            lang,
            "For each coach with in-person meetings in the 90 days before the review date: minutes in the community as a share of all in-person minutes (V13). The dashed line is 65 %, the least for a score of 5.",
            "För varje coach med fysiska möten under de 90 dagarna före granskningsdagen: minuter ute i samhället som andel av alla fysiska minuter (V13). Den streckade linjen är 65 %, det minsta för 5 poäng.",
        )
        .into(),
        kind: ChartKind::Bars,
        category_label: say(lang, "Coach", "Coach").into(),
        categories: e.coaches.iter().map(|c| c.coach.to_string()).collect(),
        series: vec![Series {
            name: say(lang, "In the community", "Ute i samhället").into(),
            values: e.coaches.iter().map(|c| Some(c.share / 100.0)).collect(),
        }],
        references: vec![Reference { label: "65 %".into(), value: 0.65 }],
        percent: true,
        max: Some(1.0),
    })
}

/// The computed items as a whole report, dated the review date.
pub fn report(report: &FidelityReport, lang: Lang) -> Report {
    Report {
        title: format!(
            "{} {} {}",
            say(lang, "Fidelity of", "Programtrohet för"),
            report.program,
            report.at
        ),
        lang,
        rules: report.rules,
        date: report.at,
        notes: vec![
            format!("{} {}", say(lang, "Scale:", "Skala:"), report.scale),
            format!(
                "{} {}",
                say(lang, "Total of the computed scores:", "Summa av de beräknade poängen:"),
                report.computed_total
            ),
            say(
                lang,
                "Items without a score are rated by reviewers. The full total is banded: 115–125 exemplary, 100–114 good, 74–99 fair, 73 and below not IPS.",
                "Poster utan poäng bedöms av granskare. Hela summan delas in: 115–125 föredömlig, 100–114 god, 74–99 godtagbar, 73 och lägre inte IPS.",
            )
            .to_owned(),
        ],
        tables: vec![table(report, lang)],
        charts: caseload_chart(report, lang).into_iter().chain(community_chart(report, lang)).collect(),
    }
}
