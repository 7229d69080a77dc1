# Resultatrapporter (/reports/outcomes)
outcomes-nav = Resultat
outcomes-title-of = Resultat för { $name }
outcomes-title-mine = Resultat för mina deltagare
outcomes-title-all = Resultat för alla verksamheter, { $quarter }
outcomes-text = Kvartalsresultat enligt METRICS.md, uträknade ur uppgifterna precis som `fika outcomes` räknar: andelen i konkurrensutsatt arbete (strikt) och andelen i betalt arbete (brett), var och en bredvid sin täljare och nämnare. Bara siffror, inga deltagares namn.
outcomes-by-quarter = { $name } per kvartal
outcomes-by-coach = Varje coachs deltagare, { $quarter }
outcomes-mine = Mina deltagare per kvartal (de som har mig som coach)
outcomes-all = Alla verksamheter sida vid sida ({ $n ->
    [one] { $n } verksamhet
   *[other] { $n } verksamheter
})
outcomes-sheet-quarters = Per kvartal
outcomes-sheet-coaches = Per coach
outcomes-sheet-programs = Verksamheter { $quarter }
outcomes-sheet-together = Tillsammans
outcomes-together = Verksamheterna som visas, tillsammans (antal summerade, andelar räknade ur summorna)
outcomes-together-n = { $n ->
    [one] { $n } verksamhet
   *[other] { $n } verksamheter tillsammans
}
outcomes-program = Verksamhet
outcomes-every-program = Alla verksamheter sida vid sida
outcomes-organisation = Organisation
outcomes-every-organisation = Alla organisationer
outcomes-from = Från kvartal
outcomes-quarter = Kvartal
outcomes-show = Visa
outcomes-download = Ladda ner:
outcomes-print-footer = fika · siffror för { $quarter } · utskrivet { $date } · regelversion { $rules } (METRICS.md)
bad-quarter = ”{ $value }” är inget kvartal. Skriv året och kvartalet 1–4, t.ex. 2025Q2.
bad-quarter-order = Första kvartalet ({ $from }) kommer efter det sista ({ $quarter }). Välj ett första kvartal som är samma som eller före det sista.
bad-quarter-span = En serie omfattar högst { $n } kvartal. Välj ett senare första kvartal.
