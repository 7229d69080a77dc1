# Outcome reports (/reports/outcomes)
outcomes-nav = Outcomes
outcomes-title-of = Outcomes of { $name }
outcomes-title-mine = Outcomes of my caseload
outcomes-title-all = Outcomes of every program, { $quarter }
outcomes-text = Quarterly outcomes as METRICS.md defines them, computed from the records exactly as `fika outcomes` computes them: the competitive employment rate (strict) and the paid employment rate (broad), each beside its numerator and denominator. Figures only, no participant's name.
outcomes-by-quarter = { $name } by quarter
outcomes-by-coach = Each coach's caseload, { $quarter }
outcomes-mine = My caseload by quarter (participants whose designated coach I am)
outcomes-all = Every program side by side ({ $n ->
    [one] { $n } program
   *[other] { $n } programs
})
outcomes-sheet-quarters = By quarter
outcomes-sheet-coaches = By coach
outcomes-sheet-programs = Programs { $quarter }
outcomes-sheet-together = Together
outcomes-together = The programs shown, together (counts summed, rates made from the sums)
outcomes-together-n = { $n ->
    [one] { $n } program
   *[other] { $n } programs together
}
outcomes-program = Program
outcomes-every-program = Every program side by side
outcomes-organisation = Organisation
outcomes-every-organisation = Every organisation
outcomes-from = From quarter
outcomes-quarter = Quarter
outcomes-show = Show
outcomes-download = Download:
outcomes-print-footer = fika · figures for { $quarter } · printed { $date } · rules version { $rules } (METRICS.md)
bad-quarter = “{ $value }” is not a quarter. Write the year and the quarter 1–4, e.g. 2025Q2.
bad-quarter-order = The first quarter ({ $from }) comes after the last ({ $quarter }). Choose a first quarter at or before the last.
bad-quarter-span = A series covers at most { $n } quarters. Choose a later first quarter.
