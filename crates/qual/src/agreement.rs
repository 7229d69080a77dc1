//! Intercoder agreement, computed the way NVivo computes it: every character (code point) of
//! every text source is a unit, and for each code each coder either applied the code to
//! that character or did not.
//!
//! - **Percent agreement** is a *fraction from 0 to 1* (not a percentage): the share of
//!   characters on which the coders agree (all applied, or none applied).
//! - **Cohen's kappa** (two coders) is `(po − pe) / (1 − pe)` over the 2×2 table of
//!   characters, and 1 when `pe = 1` (both coders made the same single choice everywhere,
//!   e.g. nobody applied the code).
//! - **Krippendorff's alpha** (two or more coders) is the nominal alpha with the binary value
//!   "applied / not applied" per character. Every coder counts as having coded every text
//!   source, so there is no missing data. Alpha is 1 when there is no variation at all
//!   (Krippendorff leaves it undefined; 1 matches the kappa convention).
//! - **Overall** figures pool the per-code counts over the codes in the comparison (the
//!   codes at least one compared coder applied), so a code used on many characters weighs
//!   more than one used rarely, and codes nobody applied do not inflate agreement. NVivo's
//!   own overall figure is an average weighted by source size; pooling is the simpler
//!   definition with the same intent, and gives the exact same figures for a single code.
//!
//! - **Per code and source, and averaged** (as NVivo reports them): each code's figures
//!   in each source on its own, and per code the average of the per-source figures
//!   weighted by each source's length in characters. The weighted average of percent
//!   agreement equals the pooled one; the average of kappa differs from the pooled kappa
//!   whenever sources differ (a source where one coder alone applied the code has kappa 0
//!   whatever its size).
//! - **Codes nobody applied** (codable codes of the codebook that no compared coder used)
//!   agree on every character: 100 %, kappa 1. The report lists them apart, and the overall
//!   figure leaves them out (it says so), so that unused codes do not inflate it.
//!
//! The counts come from sorted interval sweeps per source and code, never from a bitmap of
//! every character, so large projects cost time in proportion to their coded segments.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{Coding, Guid, Project, Selection, User, merge_intervals};

/// Characters of one code in a two-coder table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Both coders applied the code.
    pub both: u64,
    /// Only the first coder applied it.
    pub only_first: u64,
    /// Only the second coder applied it.
    pub only_second: u64,
    /// Neither applied it.
    pub neither: u64,
}

impl Counts {
    /// All characters counted.
    pub fn total(&self) -> u64 {
        self.both + self.only_first + self.only_second + self.neither
    }

    /// Share of characters both coders treat alike, 0–1. 1 when there are no characters.
    pub fn percent_agreement(&self) -> f64 {
        match self.total() {
            0 => 1.0,
            n => (self.both + self.neither) as f64 / n as f64,
        }
    }

    /// Cohen's kappa; 1 when the expected agreement is 1 (see the module comment).
    pub fn kappa(&self) -> f64 {
        let n = self.total();
        let first = self.both + self.only_first;
        let second = self.both + self.only_second;
        if (first == 0 && second == 0) || (first == n && second == n) {
            return 1.0;
        }
        let n = n as f64;
        let (pa, pb) = (first as f64 / n, second as f64 / n);
        let pe = pa * pb + (1.0 - pa) * (1.0 - pb);
        (self.percent_agreement() - pe) / (1.0 - pe)
    }

    fn add(&mut self, other: &Counts) {
        self.both += other.both;
        self.only_first += other.only_first;
        self.only_second += other.only_second;
        self.neither += other.neither;
    }
}

/// For `m` coders, `by_coders[k]` is the number of characters exactly `k` coders applied the
/// code to. The input of Krippendorff's alpha and of many-coder percent agreement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Histogram {
    pub by_coders: Vec<u64>,
}

impl Histogram {
    fn new(coders: usize) -> Self {
        Histogram {
            by_coders: vec![0; coders + 1],
        }
    }

    fn add(&mut self, other: &Histogram) {
        for (a, b) in self.by_coders.iter_mut().zip(&other.by_coders) {
            *a += b;
        }
    }

    /// Share of characters on which all coders agree, 0–1.
    pub fn percent_agreement(&self) -> f64 {
        let total: u64 = self.by_coders.iter().sum();
        let alike = self.by_coders.first().copied().unwrap_or(0)
            + self.by_coders.last().copied().unwrap_or(0);
        if total == 0 {
            1.0
        } else {
            alike as f64 / total as f64
        }
    }

    /// Krippendorff's nominal alpha for binary values, with every coder valuing every unit:
    /// `alpha = 1 − (n − 1) · o₀₁ / (n₀ · n₁)` where `o₀₁` is the off-diagonal of the
    /// coincidence matrix. `None` for fewer than two coders.
    pub fn krippendorff_alpha(&self) -> Option<f64> {
        let m = self.by_coders.len().checked_sub(1)?;
        if m < 2 {
            return None;
        }
        let m_f = m as f64;
        let units: u64 = self.by_coders.iter().sum();
        let n = units as f64 * m_f;
        let n1: f64 = self
            .by_coders
            .iter()
            .enumerate()
            .map(|(k, &c)| k as f64 * c as f64)
            .sum();
        let n0 = n - n1;
        if n0 == 0.0 || n1 == 0.0 {
            return Some(1.0);
        }
        let o01: f64 = self
            .by_coders
            .iter()
            .enumerate()
            .map(|(k, &c)| c as f64 * k as f64 * (m_f - k as f64) / (m_f - 1.0))
            .sum();
        Some(1.0 - (n - 1.0) * o01 / (n0 * n1))
    }
}

/// A span of one source to which one code was applied (by somebody).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodedSpan {
    pub source: Guid,
    pub code: Guid,
    /// Code points, end exclusive.
    pub start: usize,
    pub end: usize,
}

/// A run of characters where some but not all coders applied a code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub span: CodedSpan,
    /// The coders who applied the code there; the others did not.
    pub applied_by: Vec<Guid>,
}

/// The figures of one code.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeComparison {
    pub code: Guid,
    /// Pooled over the characters of all text sources.
    pub histogram: Histogram,
    /// The 2×2 table when exactly two coders are compared.
    pub counts: Option<Counts>,
    /// The same per text source, every source in project order (index into
    /// `project.sources`), sources where nobody applied the code included.
    pub by_source: Vec<SourceComparison>,
}

/// One code's figures in one text source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceComparison {
    /// Index into `project.sources`.
    pub source: usize,
    pub histogram: Histogram,
    pub counts: Option<Counts>,
}

/// Everything a comparison of coders finds: figures per code, every disagreement, and the
/// spans all coders agreed on (the start of a consensus coding).
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub coders: Vec<Guid>,
    /// Characters in all text sources: the units of every code.
    pub total_chars: u64,
    pub codes: Vec<CodeComparison>,
    /// Codable codes of the codebook no compared coder applied, in codebook order.
    pub unapplied: Vec<Guid>,
    pub disagreements: Vec<Disagreement>,
    pub agreed: Vec<CodedSpan>,
}

impl Comparison {
    /// Per-code counts pooled over all codes (two coders only).
    pub fn overall_counts(&self) -> Option<Counts> {
        let mut sum = Counts::default();
        for c in &self.codes {
            sum.add(c.counts.as_ref()?);
        }
        Some(sum)
    }

    /// Per-code histograms pooled over all codes.
    pub fn overall_histogram(&self) -> Histogram {
        let mut sum = Histogram::new(self.coders.len());
        for c in &self.codes {
            sum.add(&c.histogram);
        }
        sum
    }
}

/// Why agreement could not be computed, or a consensus not built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    #[error("coder {0} is not a user of the project; pick coders from the project's users")]
    UnknownCoder(Guid),
    #[error("coder {0} is listed twice; compare distinct coders")]
    DuplicateCoder(Guid),
    #[error("a comparison needs at least 2 and at most 64 coders, got {0}")]
    CoderCount(usize),
    #[error(
        "{decisions} decisions given for {disagreements} disagreements; decide every disagreement (keep or drop)"
    )]
    DecisionCount {
        decisions: usize,
        disagreements: usize,
    },
}

/// Code-point intervals `(start, end)`, one list per coder.
type PerCoder = Vec<Vec<(usize, usize)>>;

/// Spans of one code in one source.
type SpanGroup<'a> = ((&'a Guid, &'a Guid), Vec<(usize, usize)>);

/// Compares two coders. See [`compare_coders`].
pub fn compare(
    project: &Project,
    first: &Guid,
    second: &Guid,
) -> Result<Comparison, AgreementError> {
    compare_coders(project, &[first.clone(), second.clone()])
}

/// Compares two or more coders over every character of every text source.
pub fn compare_coders(project: &Project, coders: &[Guid]) -> Result<Comparison, AgreementError> {
    if coders.len() < 2 || coders.len() > 64 {
        return Err(AgreementError::CoderCount(coders.len()));
    }
    let mut index: HashMap<&Guid, usize> = HashMap::new();
    for (i, c) in coders.iter().enumerate() {
        if project.user(c).is_none() {
            return Err(AgreementError::UnknownCoder(c.clone()));
        }
        if index.insert(c, i).is_some() {
            return Err(AgreementError::DuplicateCoder(c.clone()));
        }
    }
    let m = coders.len();
    let total_chars: u64 = project.sources.iter().map(|s| s.len_chars() as u64).sum();

    // code → source index → per-coder intervals
    let mut spans: HashMap<&Guid, Vec<(usize, PerCoder)>> = HashMap::new();
    for (si, source) in project.sources.iter().enumerate() {
        for sel in &source.selections {
            for coding in &sel.codings {
                let Some(&ci) = project.coder_of(sel, coding).and_then(|u| index.get(u)) else {
                    continue;
                };
                if sel.start >= sel.end {
                    continue;
                }
                let per_source = spans.entry(&coding.code).or_default();
                if per_source.last().is_none_or(|(s, _)| *s != si) {
                    per_source.push((si, vec![Vec::new(); m]));
                }
                if let Some((_, per_coder)) = per_source.last_mut() {
                    per_coder[ci].push((sel.start, sel.end));
                }
            }
        }
    }

    // Codes in codebook order, then any the codebook lacks.
    let mut order: Vec<&Guid> = project
        .codes_flat()
        .into_iter()
        .map(|(c, _)| &c.guid)
        .filter(|g| spans.contains_key(g))
        .collect();
    let mut strays: Vec<&Guid> = spans
        .keys()
        .copied()
        .filter(|g| project.code(g).is_none())
        .collect();
    strays.sort();
    order.extend(strays);

    let full: u64 = if m == 64 { u64::MAX } else { (1u64 << m) - 1 };
    let mut codes = Vec::with_capacity(order.len());
    let mut disagreements = Vec::new();
    let mut agreed = Vec::new();
    let source_lens: Vec<u64> = project
        .sources
        .iter()
        .map(|s| s.len_chars() as u64)
        .collect();
    for code in order {
        let mut histogram = Histogram::new(m);
        let mut by_mask = [0u64; 4];
        let mut per_source: Vec<(Histogram, [u64; 4])> =
            vec![(Histogram::new(m), [0; 4]); project.sources.len()];
        for (si, per_coder) in spans.remove(code).unwrap_or_default() {
            let source = &project.sources[si].guid;
            let runs = sweep(per_coder);
            let (source_histogram, source_mask) = &mut per_source[si];
            for (start, end, mask) in runs {
                let len = (end - start) as u64;
                histogram.by_coders[mask.count_ones() as usize] += len;
                source_histogram.by_coders[mask.count_ones() as usize] += len;
                if m == 2 {
                    by_mask[mask as usize] += len;
                    source_mask[mask as usize] += len;
                }
                let span = CodedSpan {
                    source: source.clone(),
                    code: code.clone(),
                    start,
                    end,
                };
                if mask == full {
                    agreed.push(span);
                } else {
                    let applied_by = (0..m)
                        .filter(|i| mask & (1 << i) != 0)
                        .map(|i| coders[i].clone())
                        .collect();
                    disagreements.push(Disagreement { span, applied_by });
                }
            }
        }
        let covered: u64 = histogram.by_coders[1..].iter().sum();
        histogram.by_coders[0] = total_chars.saturating_sub(covered);
        let counts = (m == 2).then(|| Counts {
            both: by_mask[3],
            only_first: by_mask[1],
            only_second: by_mask[2],
            neither: histogram.by_coders[0],
        });
        let by_source = per_source
            .into_iter()
            .enumerate()
            .map(|(si, (mut h, mask))| {
                let covered: u64 = h.by_coders[1..].iter().sum();
                h.by_coders[0] = source_lens[si].saturating_sub(covered);
                let counts = (m == 2).then(|| Counts {
                    both: mask[3],
                    only_first: mask[1],
                    only_second: mask[2],
                    neither: h.by_coders[0],
                });
                SourceComparison {
                    source: si,
                    histogram: h,
                    counts,
                }
            })
            .collect();
        codes.push(CodeComparison {
            code: code.clone(),
            histogram,
            counts,
            by_source,
        });
    }
    let applied: std::collections::HashSet<&Guid> = codes.iter().map(|c| &c.code).collect();
    let unapplied: Vec<Guid> = project
        .codes_flat()
        .into_iter()
        .filter(|(c, _)| c.is_codable && !applied.contains(&c.guid))
        .map(|(c, _)| c.guid.clone())
        .collect();
    let source_pos: HashMap<&Guid, usize> = project
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (&s.guid, i))
        .collect();
    let code_pos: HashMap<&Guid, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.code, i))
        .collect();
    let key = |s: &CodedSpan| (source_pos[&s.source], s.start, code_pos[&s.code]);
    disagreements.sort_by_cached_key(|d| key(&d.span));
    agreed.sort_by_cached_key(key);
    Ok(Comparison {
        coders: coders.to_vec(),
        total_chars,
        codes,
        unapplied,
        disagreements,
        agreed,
    })
}

/// Sweeps the coders' intervals of one code in one source and yields maximal runs
/// `(start, end, mask)` of characters with the same set of coders (bit `i` = coder `i`)
/// applying the code. Runs nobody applied are left out.
fn sweep(per_coder: PerCoder) -> Vec<(usize, usize, u64)> {
    let mut events: Vec<(usize, u64, bool)> = Vec::new();
    for (i, mut spans) in per_coder.into_iter().enumerate() {
        merge_intervals(&mut spans);
        for (s, e) in spans {
            events.push((s, 1 << i, true));
            events.push((e, 1 << i, false));
        }
    }
    events.sort_unstable_by_key(|&(pos, _, _)| pos);
    let mut runs: Vec<(usize, usize, u64)> = Vec::new();
    let mut mask = 0u64;
    let mut at = 0usize;
    let mut i = 0;
    while i < events.len() {
        let pos = events[i].0;
        if mask != 0 && pos > at {
            match runs.last_mut() {
                Some(last) if last.1 == at && last.2 == mask => last.1 = pos,
                _ => runs.push((at, pos, mask)),
            }
        }
        while i < events.len() && events[i].0 == pos {
            let (_, bit, opens) = events[i];
            if opens {
                mask |= bit
            } else {
                mask &= !bit
            }
            i += 1;
        }
        at = pos;
    }
    runs
}

/// What to do with one disagreement when building a consensus coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The code applies to the span.
    Keep,
    /// The code does not apply to the span.
    Drop,
}

/// Builds the consensus coding: every span all coders agreed on, plus every disagreement
/// decided `Keep` (`decisions[i]` decides `comparison.disagreements[i]`). Touching spans of
/// the same code are merged, and each becomes one selection with one coding by
/// `consensus_user`, returned with its source's GUID. The caller adds the user (e.g. named
/// "consensus") and the selections to the project.
pub fn consensus(
    comparison: &Comparison,
    decisions: &[Decision],
    consensus_user: &Guid,
) -> Result<Vec<(Guid, Selection)>, AgreementError> {
    if decisions.len() != comparison.disagreements.len() {
        return Err(AgreementError::DecisionCount {
            decisions: decisions.len(),
            disagreements: comparison.disagreements.len(),
        });
    }
    let kept = comparison
        .disagreements
        .iter()
        .zip(decisions)
        .filter(|(_, d)| **d == Decision::Keep)
        .map(|(d, _)| &d.span);
    let mut groups: Vec<SpanGroup> = Vec::new();
    let mut group_of: HashMap<(&Guid, &Guid), usize> = HashMap::new();
    for span in comparison.agreed.iter().chain(kept) {
        let key = (&span.source, &span.code);
        let i = *group_of.entry(key).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push((span.start, span.end));
    }
    let mut out = Vec::new();
    for ((source, code), mut spans) in groups {
        merge_intervals(&mut spans);
        for (start, end) in spans {
            let selection = Selection {
                modifying_user: None,
                modified: None,
                guid: Guid::new_v4(),
                name: None,
                start,
                end,
                creating_user: Some(consensus_user.clone()),
                created: None,
                description: None,
                codings: vec![Coding {
                    guid: Guid::new_v4(),
                    code: code.clone(),
                    creating_user: Some(consensus_user.clone()),
                    created: None,
                    notes: Vec::new(),
                }],
                notes: Vec::new(),
            };
            out.push((source.clone(), selection));
        }
    }
    Ok(out)
}

/// Adds a consensus coding to the project: the consensus user (if the project does not
/// have them yet) and each selection to its source.
pub fn add_consensus(project: &mut Project, user: User, selections: Vec<(Guid, Selection)>) {
    if project.user(&user.guid).is_none() {
        project.users.push(user);
    }
    for (source, selection) in selections {
        if let Some(s) = project.sources.iter_mut().find(|s| s.guid == source) {
            s.selections.push(selection);
        }
    }
}

/// A coder as the agreement report names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoderRef {
    pub guid: Guid,
    pub name: Option<String>,
}

/// Agreement figures, fractions 0–1. `kappa` is given for exactly two coders, `alpha` always.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub percent_agreement: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kappa: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    /// The 2×2 character table, for two coders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<Counts>,
}

/// One code's row of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeAgreement {
    pub code: Guid,
    pub name: Option<String>,
    /// Pooled over the characters of all text sources.
    #[serde(flatten)]
    pub figures: Figures,
    /// The per-source figures averaged, each source weighted by its length in
    /// characters, as NVivo averages them.
    pub averaged_over_sources: Averaged,
    /// The code's figures in each text source.
    pub by_source: Vec<SourceAgreement>,
}

/// Per-source figures averaged with weights (see [`CodeAgreement::averaged_over_sources`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Averaged {
    pub percent_agreement: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kappa: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
}

/// One code in one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceAgreement {
    pub source: Guid,
    pub name: String,
    /// The source's length: the weight of its figures in the average.
    pub characters: u64,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The agreement report (`fika qual agreement PROJECT --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub coders: Vec<CoderRef>,
    /// Characters of all text sources: the units of each code.
    pub total_characters: u64,
    /// The codes at least one compared coder applied.
    pub codes: Vec<CodeAgreement>,
    /// Codable codes nobody compared applied: they agree everywhere (100 %, kappa 1).
    pub codes_nobody_applied: Vec<CodeAgreement>,
    /// Pooled over the codes in `codes` (see the module comment).
    pub overall: Figures,
    /// Whether `overall` counts the codes nobody applied: it does not (always false;
    /// stated so that a reader of the figure need not guess).
    pub overall_counts_codes_nobody_applied: bool,
}

fn figures(histogram: &Histogram, counts: Option<Counts>) -> Figures {
    Figures {
        percent_agreement: counts
            .map_or_else(|| histogram.percent_agreement(), |c| c.percent_agreement()),
        kappa: counts.map(|c| c.kappa()),
        alpha: histogram.krippendorff_alpha(),
        counts,
    }
}

impl Agreement {
    /// The report of a comparison, with names looked up in the project.
    pub fn from_comparison(project: &Project, comparison: &Comparison) -> Self {
        Agreement {
            coders: comparison
                .coders
                .iter()
                .map(|g| CoderRef {
                    guid: g.clone(),
                    name: project.user(g).and_then(|u| u.name.clone()),
                })
                .collect(),
            total_characters: comparison.total_chars,
            codes: comparison
                .codes
                .iter()
                .map(|c| code_agreement(project, &c.code, &c.histogram, c.counts, &c.by_source))
                .collect(),
            codes_nobody_applied: comparison
                .unapplied
                .iter()
                .map(|g| {
                    let m = comparison.coders.len();
                    let nobody = |chars: u64| {
                        let mut h = Histogram::new(m);
                        h.by_coders[0] = chars;
                        let counts = (m == 2).then(|| Counts {
                            neither: chars,
                            ..Counts::default()
                        });
                        (h, counts)
                    };
                    let by_source: Vec<SourceComparison> = project
                        .sources
                        .iter()
                        .enumerate()
                        .map(|(si, s)| {
                            let (histogram, counts) = nobody(s.len_chars() as u64);
                            SourceComparison {
                                source: si,
                                histogram,
                                counts,
                            }
                        })
                        .collect();
                    let (h, counts) = nobody(comparison.total_chars);
                    code_agreement(project, g, &h, counts, &by_source)
                })
                .collect(),
            overall: figures(&comparison.overall_histogram(), comparison.overall_counts()),
            overall_counts_codes_nobody_applied: false,
        }
    }
}

fn code_agreement(
    project: &Project,
    code: &Guid,
    histogram: &Histogram,
    counts: Option<Counts>,
    by_source: &[SourceComparison],
) -> CodeAgreement {
    let by_source: Vec<SourceAgreement> = by_source
        .iter()
        .map(|s| SourceAgreement {
            source: project.sources[s.source].guid.clone(),
            name: project.sources[s.source].name.clone(),
            characters: s.histogram.by_coders.iter().sum(),
            figures: figures(&s.histogram, s.counts),
        })
        .collect();
    let weight: u64 = by_source.iter().map(|s| s.characters).sum();
    let average = |get: &dyn Fn(&Figures) -> Option<f64>| -> Option<f64> {
        if weight == 0 {
            return by_source
                .first()
                .map_or(Some(1.0), |s| get(&s.figures).map(|_| 1.0));
        }
        let mut sum = 0.0;
        for s in &by_source {
            sum += get(&s.figures)? * s.characters as f64;
        }
        Some(sum / weight as f64)
    };
    CodeAgreement {
        code: code.clone(),
        name: project.code(code).map(|k| k.name.clone()),
        figures: figures(histogram, counts),
        averaged_over_sources: Averaged {
            percent_agreement: average(&|f| Some(f.percent_agreement)).unwrap_or(1.0),
            kappa: average(&|f| f.kappa),
            alpha: average(&|f| f.alpha),
        },
        by_source,
    }
}

/// Agreement between two or more coders, per code and overall.
pub fn agreement(project: &Project, coders: &[Guid]) -> Result<Agreement, AgreementError> {
    Ok(Agreement::from_comparison(
        project,
        &compare_coders(project, coders)?,
    ))
}

/// Krippendorff's nominal alpha over all codes the coders applied, pooled (see the module
/// comment). `None` only when fewer than two coders are given.
pub fn krippendorff_alpha_nominal(
    project: &Project,
    coders: &[Guid],
) -> Result<Option<f64>, AgreementError> {
    Ok(compare_coders(project, coders)?
        .overall_histogram()
        .krippendorff_alpha())
}
