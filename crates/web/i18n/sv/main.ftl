# fika — svenska.

skip-to-content = Hoppa till innehållet
nav-label = Huvudmeny
nav-day = Min dag
nav-employers = Arbetsgivare
nav-program = Verksamhet
nav-users = Användare
sign-out = Logga ut

login-title = Logga in
login-intro = Individual Placement and Support — för coacher, ledare och utvärderare.
login-name = Namn
login-password = Lösenord
login-submit = Logga in
login-failed = Namnet och lösenordet stämde inte. Kontrollera dem och försök igen.
login-too-many = För många misslyckade försök. Vänta 15 minuter och försök igen, eller fråga din administratör.

today = i dag
due = senast
overdue = Försenad
date = Datum
from = Från
to = Till
save = Spara
none = Ingen
more = Fler uppgifter
no-date = Inget datum
not-yet = Inte än
in-one-week = Om 1 vecka
in-two-weeks = Om 2 veckor
week-short = v

day-title = Min dag
day-figures = Veckan i siffror
day-caseload = deltagare hos mig (IPS: högst 20)
day-contacts-week = arbetsgivarkontakter på plats i veckan (IPS: 6)
day-meetings = Möten
day-no-meetings = Inga planerade möten. Bestäm nästa när ni ses.
day-steps = Öppna nästa steg
day-no-steps = Inga öppna steg.
day-follow-along = Stöd på jobbet
day-no-follow-along = Ingen börjar eller slutar ett jobb just nu.
day-quiet = Ingen kontakt på 14 dagar
day-no-quiet = Alla har haft kontakt de senaste två veckorna.
day-rapid = Ingen arbetsgivarkontakt än (efter 30 dagar)
day-no-rapid = Alla nya deltagare har träffat en arbetsgivare.
days-since-contact = { $n ->
    [one] 1 dag sedan kontakt
   *[other] { $n } dagar sedan kontakt
}
days-enrolled = { $n } dagar sedan start
follow-starts-soon = börjar jobba { $date }: planera de första dagarna tillsammans
follow-just-started = började { $date }: hör av dig inom 3 dagar
follow-weekly = första månaden på jobbet (sedan { $date }): hör av dig den här veckan
follow-ended = jobbet slutade { $date }: hör av dig inom 3 dagar

participant-title = Deltagare
participant-coach = Coach: { $name }
participant-stand-in = ersättare { $coach }
participant-goals = Med egna ord
participant-no-goals = Inga mål nedskrivna än. Fråga vad hen vill arbeta med.
goal-add = Lägg till ett mål med deltagarens egna ord
goal-text = Målet, som hen uttrycker det
day-everyone = Alla mina deltagare
day-standing-in = som ersättare
participant-record-meeting = Skriv in ett möte
participant-next-meeting = Nästa möte
participant-open-steps = Öppna nästa steg
participant-no-open-steps = Inget öppet.
participant-timeline = Tidslinje
participant-no-events = Inget inskrivet än.
step-mark-done = Klart
step-done-now = Markerat som klart.

event-meeting = Möte
event-job-start = Började
event-job-end = Slutade
event-employer-contact = Arbetsgivarkontakt
event-benefits = Förmånsvägledning
event-step-done = Steg klart
event-coach-change = Ny coach

meeting-title = Skriv in ett möte
meeting-with = Möte med { $name }
meeting-open-steps = Sedan sist — bocka av det som är klart
meeting-place = Var
meeting-length = Hur länge
meeting-note = Kort anteckning (frivillig)
meeting-next-step = Nästa steg
step-what = Vad
step-who = Vem
step-when = När
step-by-next-meeting = Till nästa möte
meeting-next = Nästa möte
meeting-other-day = En annan dag?
meeting-save = Spara mötet

place-office = Kontoret
place-cafe = Kafé
place-home = Hemma
place-workplace = Arbetsplatsen
place-employer = Arbetsgivare
place-community = Ute / i samhället
place-phone = Telefon
place-video = Video
place-message = Meddelande

owner-coach = Coach
owner-participant = Deltagaren
owner-both = Båda
owner-other = Någon annan

job-add = Börja ett jobb eller ett annat steg
job-kind = Slag
kind-competitive = Jobb på vanliga villkor
kind-subsidized = Jobb med lönestöd
kind-transitional = Tidsbegränsat jobb
kind-placement = Praktik
kind-education = Studier
kind-volunteer = Ideellt arbete
job-title = Titel
job-employer = Arbetsgivare
job-start = Börjar
job-occupation = Yrkeskod (4 siffror)
job-hours = Timmar per vecka
job-wage = Timlön
job-save = Spara
job-end-title = { $title } slutade
job-end-date = Sista dagen
job-end-reason = Varför
job-end-save = Spara slutet
reason-quit = Sa upp sig
reason-fired = Blev uppsagd
reason-contract-ended = Anställningen löpte ut
reason-better-job = Bättre jobb
reason-other = Annat

benefits-title = Förmånsvägledning
benefits-status = Status
benefits-offered = Erbjuden
benefits-completed = Genomförd
benefits-trained = Av en utbildad vägledare

coach-change-title = Byt ansvarig coach
coach-change-to = Ny coach
coach-change-from = Från

employers-title = Arbetsgivare
employers-register = Register
employers-none = Lägg först till en arbetsgivare i registret.
employer-add = Lägg till en arbetsgivare
employer-name = Namn
employer-sector = Bransch
employer-org-number = Organisationsnummer
contact-add = Skriv in en arbetsgivarkontakt
contact-employer = Arbetsgivare
contact-how = Hur
contact-face-to-face = På plats
contact-other = Telefon, mejl eller annat
contact-purpose = Syfte
purpose-learn-needs = Lära känna behoven
purpose-present-candidate = Presentera en arbetssökande
purpose-follow-up = Följa upp
purpose-other = Annat
contact-for = För
contact-general = Allmän kontakt (ingen arbetssökande)

program-title = Verksamhet
program-coaches = Coacher och antal deltagare
program-participants = Deltagare
stand-ins-title = Ersättare
stand-in-line = { $cover } ersätter
stand-in-away = Coach som är borta
stand-in-cover = Ersättare
users-title = Användare
user-add = Lägg till en användare
user-role = Roll
user-coach = Coachpost (för en coach)
user-program = Verksamhet (för en ledare)
user-disable = Stäng av
user-enable = Aktivera
user-disabled = Avstängd
role-admin = Administratör
role-lead = Ledare
role-coach = Coach
role-evaluator = Utvärderare

evaluation-title = Utvärdering
evaluation-text = De punkter i IPS-troheten som fika räknar ut ur uppgifterna, för en verksamhet i dag (ett år bakåt). Utvärderare ser siffror, aldrig en deltagares uppgifter.

enrol-title = Ny deltagare
enrol-intro = Det räcker att vilja arbeta. Skriv vad hen vill bli kallad och, om hen vill, vad hen skulle vilja arbeta med.
enrol-name = Namn (som hen vill bli kallad)
enrol-source = Hur hen kom hit
enrol-employed = Har redan ett jobb
enrol-save = Välkommen
source-self = Själv
source-mental-health-team = Psykiatrin
source-social-services = Socialtjänsten
source-employment-service = Arbetsförmedlingen
source-family = Familjen
source-other = Annat

nav-programs = Verksamheter
programs-title = Verksamheter och coacher
program-add = Lägg till en verksamhet
program-name = Namn
program-organisation = Organisation (kommun, region eller utförare)
coach-add = Lägg till en coach
coach-name = Namn
coach-fte = Andel av heltid som coach (t.ex. 0.5; tomt = heltid)
coach-program = Verksamhet

contacts-recent = Mina kontakter den här och förra veckan
contacts-none = Inga arbetsgivarkontakter de här två veckorna.
plan-meeting = Bestäm nästa möte

error-title = Det gick inte
error-home = Till startsidan
error-forbidden = Den här sidan ingår inte i din roll i fika.
error-not-found = Här finns ingenting, eller så ingår det inte bland dina deltagare.
error-csrf = Formuläret hade gått ut. Gå tillbaka, ladda om sidan och försök igen.
error-bad-input = Inget sparades. Gå tillbaka och ändra detta:
error-internal = Något gick fel på servern; inget sparades. Försök igen om en stund.

evaluation-program = Verksamhet
evaluation-show = Visa
evaluation-total = uträknad summa
evaluation-item = Punkt
evaluation-value = Värde
evaluation-score = Poäng
evaluation-n = Räknade

rule-paid-job-needs-employer = Ett jobb på vanliga villkor, med lönestöd eller tidsbegränsat behöver sin arbetsgivare. Välj arbetsgivaren, eller lägg först till den i registret.
rule-next-meeting-not-past = Nästa möte är i dag eller senare.
rule-password-length = Ett lösenord har minst 10 tecken.
rule-outside-enrolment = Datumet ligger utanför deltagarens tid i verksamheten. Kontrollera datumet.
rule-step-not-open = Ett avbockat steg är inte längre öppet. Ladda om sidan och försök igen.
rule-job-before-enrolment = Ett jobb eller steg börjar samma dag som deltagaren började eller senare.
rule-goal-empty = Skriv målet som hen uttryckte det.
rule-job-end = Jobbet har redan slutat, eller sista dagen är före början.
rule-same-coach = Den coachen är redan ansvarig coach.
rule-coach-other-program = Välj en coach i samma verksamhet.
rule-stand-in-self = En coach kan inte ersätta sig själv.
rule-dates-reversed = Sista dagen är före den första.

nav-evaluation = Utvärdering
nav-qual = Kvalitativ analys
qual-title = Kvalitativ analys
qual-intro = Utskrifter av intervjuer och deras tematiska analys. Du ser de projekt där du har en roll.
qual-no-projects = Du har ingen roll i något kvalitativt projekt än. Projektets ägare, eller en administratör med fika qual add-member, kan ge dig en.
qual-role-owner = Ägare
qual-role-coder = Kodare
qual-comparison-is-open = jämförelsen öppen
qual-project-title = Kvalitativt projekt
qual-counts-everyone = alla kodares kodning räknas
qual-counts-mine = bara din egen kodning räknas, tills ägaren öppnar jämförelsen
qual-compare-title = Jämförelse och samstämmighet
qual-sources = Utskrifter
qual-no-sources = Inga utskrifter än.
qual-chars = { $n ->
    [one] 1 tecken
   *[other] { $n } tecken
}
qual-turns = { $n ->
    [one] 1 replik
   *[other] { $n } repliker
}
qual-coded-segments = { $n ->
    [one] 1 kodat avsnitt
   *[other] { $n } kodade avsnitt
}
qual-codes = Koder
qual-no-codes = Inga koder än.
qual-with-subcodes = { $n } med koderna under
qual-code-add = Lägg till en kod
qual-code-name = Namn
qual-code-parent = Under
qual-code-top = Ingenting: ett eget tema
qual-code-description = Vad koden betyder (valfritt)
qual-members = Medlemmar
qual-member-add = Ge en utvärderare en roll
qual-member-who = Bara utvärderare kan ha en roll: de intervjuade får inte läsa utskrifterna.
qual-member-login = Personens inloggningsnamn
qual-source-title = Utskrift
qual-highlight-open = markerat: din kodning
qual-highlight-mine = markerat: din kodning (de andras är dold tills jämförelsen öppnas)
qual-skip-to-form = Gå till kodningen
qual-transcript = Utskrift
qual-coding-closed = Jämförelsen är öppen, så kodningen är stängd: siffrorna gäller kodningen som gjordes var för sig.
qual-code-this = Koda ett avsnitt
qual-nothing-selected = Markera text i utskriften, eller välj ett stycke.
qual-paragraph = Stycke eller replik
qual-paragraph-none = Den markerade texten
qual-positions = Exakta positioner
qual-positions-help = I tecken från textens början, räknat från 0; slutet ingår inte.
qual-start = Från tecken
qual-end = Till tecken
qual-memo = Memo (valfritt)
qual-apply = Sätt koderna
qual-coded-all = Alla kodares kodade avsnitt
qual-coded-mine = Dina kodade avsnitt
qual-nothing-coded = Inget kodat än.
qual-memo-short = Memo
qual-uncode = Ta bort
qual-code-title = Kod
qual-excerpts-count = { $n ->
    [one] 1 utdrag
   *[other] { $n } utdrag
}
qual-without-subcodes = Bara den här koden
qual-include-subcodes = Med koderna under
qual-download-csv = Ladda ner som CSV
qual-no-excerpts = Inga utdrag än.
qual-upload-title = Lägg till utskrifter
qual-upload-help = Välj en eller flera filer (högst { $files }): ren text (.txt), Markdown (.md), WebVTT (.vtt), SRT (.srt) eller Word (.docx). Högst { $file_mb } MB per fil och { $all_mb } MB tillsammans.
qual-upload-speakers = Talare läses från WebVTT-röster, från rader som börjar med ett namn och kolon ("Anna: …") i undertext- och Word-filer, och från fetstilta namn i Word-filer. Varje fil blir en utskrift med filens namn; en Word-fil sparas som utskriftens original och följer med projektets REFI-QDA-export. Om en fil inte kan läsas läggs ingenting till.
qual-upload-files = Filer
qual-upload-send = Lägg till utskrifterna
qual-upload-refused = Ingenting lades till. Rätta filerna nedan och ladda upp alla igen.
qual-upload-closed = Jämförelsen är öppen, så inga utskrifter kan läggas till: siffrorna gäller de utskrifter kodarna har kodat.
qual-upload-none = Välj minst en fil.
qual-upload-too-many = Ladda upp högst { $n } filer åt gången.
qual-upload-kind = { $file }: fika läser utskrifter som .txt, .md, .vtt, .srt eller .docx. Spara den i något av dem och ladda upp den igen.
qual-upload-too-large = { $file } är större än { $mb } MB. Dela utskriften i delar, eller spara texten utan bilder, och ladda upp den igen.
qual-upload-name-long = { $file }: filnamnet är längre än 200 tecken. Byt namn på filen och ladda upp den igen.
qual-upload-twice = { $file } är vald två gånger. Välj varje fil en gång.
qual-upload-name-taken = Projektet har redan en utskrift som heter { $file }. Byt namn på filen och ladda upp den igen.
qual-upload-not-utf8 = { $file } är inte UTF-8-text. Spara den igen med teckenkodningen UTF-8 (de flesta program har den under Spara som) och ladda upp den igen.
qual-upload-empty = { $file } innehåller ingen text. Kontrollera att det är rätt fil.
qual-upload-not-vtt = { $file } börjar inte med "WEBVTT". Kontrollera att det är en WebVTT-fil, eller spara den som .txt.
qual-upload-bad-timing = { $file }, rad { $line }: "{ $text }" är ingen tidsangivelse (väntat 00:00:01.000 --> 00:00:04.000). Rätta raden och ladda upp filen igen.
qual-upload-not-docx = { $file } är inget Word-dokument. Öppna den i ordbehandlaren, spara den som .docx (Word 2007 eller senare) och ladda upp den igen.
qual-upload-docx-large = { $file } packas upp till mer än { $mb } MB, långt mer än en utskrift. Spara texten ensam som en ny .docx och ladda upp den igen.
qual-upload-damaged = { $file } är skadad eller gjord för att överbelasta servern, så den lästes inte. Öppna den i ordbehandlaren, spara den igen och ladda upp den igen.
rule-qual-source-name-taken = Projektet har redan en utskrift med det namnet. Byt namn på filen och ladda upp den igen.
qual-document-title = Utdrag per tema
qual-document-of = Utdrag: { $code }
qual-document-link = Läsbart dokument med utdragen (utskrift, Word)
qual-document-docx = Ladda ner för Word (.docx)
qual-document-print = Skriv ut eller spara som PDF med webbläsarens utskriftskommando (Ctrl+P, eller ⌘P på Mac).
qual-source = Källa
qual-speaker = Talare
qual-coded-by = Kodad av
qual-compare-closed = Jämförelsen är inte öppen än: varje kodare ser bara sin egen kodning. Öppna den när alla är klara.
qual-progress = Kodarna hittills
qual-open-warning = När den är öppen ser varje medlem allas kodning, och kodningen stängs. Det går inte att ångra.
qual-open = Öppna jämförelsen
qual-agreement-of = Samstämmighet mellan { $coders }
qual-code = Kod
qual-percent-agreement = Överensstämmelse
qual-kappa = Cohens kappa
qual-alpha = Krippendorffs alfa
qual-overall = Sammantaget
qual-figures-help = Varje tecken i varje utskrift är en enhet. Kappa ges för två kodare, alfa för två eller fler. Sammantaget lägger ihop de koder som någon har satt.
qual-disagreements = { $n ->
    [one] 1 oenighet
   *[other] { $n } oenigheter
}
qual-consensus-stored = { $n ->
    [one] En gemensam kodning är sparad: 1 kodat avsnitt.
   *[other] En gemensam kodning är sparad: { $n } kodade avsnitt.
}
qual-consensus-help = Avgör varje oenighet: behåll koden på avsnittet, eller stryk den. Den gemensamma kodningen är det alla kodare var eniga om och det du behåller; sparar du igen ersätts den.
qual-applied-by = satt av { $coders }
qual-not-by = inte av { $coders }
qual-decision = Beslut
qual-keep = Behåll
qual-drop = Stryk
qual-consensus-save = Spara den gemensamma kodningen
qual-two-coders = Samstämmighet kräver minst två kodare som har kodat något.

rule-qual-no-such-user = Det finns ingen användare med det inloggningsnamnet. Kontrollera stavningen.
rule-qual-member-role = Bara utvärderare kan ha en roll i ett kvalitativt projekt: de intervjuade får inte läsa utskrifterna.
rule-qual-code-name = Ge koden ett namn på högst 200 tecken.
rule-qual-unknown-code = Den koden finns inte i projektets kodbok. Ladda om sidan och välj igen.
rule-qual-code-name-taken = Det finns redan en kod med det namnet där. Välj ett annat namn, eller slå ihop de två koderna.
rule-qual-span-missing = Markera texten som ska kodas, välj ett stycke eller ange positionerna.
rule-qual-no-code = Välj minst en kod.
rule-qual-memo-long = Ett memo har högst 10 000 tecken.
rule-qual-span-order = Avsnittet slutar där det börjar eller före. Markera texten igen.
rule-qual-span-beyond = Avsnittet går förbi textens slut. Markera texten igen.
rule-qual-span-moved = Positionerna stämmer inte med den markerade texten. Ladda om sidan och markera igen.
rule-qual-not-codable = Det är en rubrik i kodboken; välj en kod under den.
rule-qual-comparison-open = Jämförelsen är öppen, så kodningen är stängd.
rule-qual-decisions-stale = Oenigheterna har ändrats sedan sidan laddades. Ladda om den och avgör igen.
rule-qual-decide-every = Avgör varje oenighet: behåll eller stryk.
rule-qual-two-coders = Samstämmighet kräver minst två kodare som har kodat något.

nav-language = Språk
bad-date = ”{ $value }” är inget datum. Skriv det som 2025-03-14.
bad-choice = { $field }: ”{ $value }” är inte ett av valen. Ladda om sidan och välj igen.
bad-occupation-code = Yrkeskoden är 4 siffror (ISCO-08 eller SSYK 2012), t.ex. 5120; ”{ $value }” är det inte.
bad-hours-per-week = Timmar per vecka är ett tal över 0 och högst 168, t.ex. 20 eller 7.5; ”{ $value }” är det inte.
bad-hourly-wage = Timlönen är ett tal, 0 eller mer, t.ex. 135.5; ”{ $value }” är det inte.
bad-fte = Andelen av heltid är ett tal över 0 och högst 1, t.ex. 0.5; ”{ $value }” är det inte.
bad-minutes = Ett möte varar 1 till 1440 hela minuter; ”{ $value }” gör det inte.
bad-minutes-missing = Välj hur länge ni träffades.
bad-place-missing = Välj var ni träffades.
bad-job-kind-missing = Välj vilket slags jobb eller steg.
bad-job-title-missing = Ge jobbet eller steget en benämning.
bad-benefits-status-missing = Välj erbjuden eller genomförd.
bad-coach-missing = Välj en coach.
bad-name-missing = Skriv vad personen vill bli kallad.
bad-stand-in-coaches-missing = Välj både coachen som är borta och coachen som vikarierar.
bad-employer-name-missing = Skriv arbetsgivarens namn.
bad-employer-missing = Välj en arbetsgivare.
bad-employer-not-in-register = Välj en arbetsgivare i registret, eller lägg till den där först.
bad-login-missing = Ange ett namn att logga in med.
bad-password-missing = Ange ett lösenord.
bad-role-missing = Välj en roll.
bad-login-taken = Inloggningsnamnet ”{ $login }” är upptaget. Välj ett annat.
bad-user-link-missing = En coach behöver sin coachpost och en ledare sitt program. Välj en.
bad-disable-yourself = Du kan inte stänga av dig själv. Be en annan administratör.
bad-program-name-missing = Ge programmet ett namn.
bad-program-missing = Välj ett program.
bad-coach-name-missing = Skriv coachens namn.
bad-form-too-large = Formuläret är för stort. Korta texten och försök igen.
bad-login-form = Fyll i ditt namn och lösenord.
bad-exit-reason-missing = Välj varför personen lämnar programmet.

rule-coach-ended-before-start = En coachs sista dag är samma dag som hen började eller senare.
rule-referred-after-enrolment = Remissdatumet är samma dag som personen började eller tidigare.
rule-exit-before-enrolment = Sista dagen i programmet är samma dag som personen började eller senare. Kontrollera datumet.
rule-exit-before-last-meeting = Det finns ett möte efter den dagen. Sista dagen i programmet är dagen för det senaste mötet eller senare.
rule-exit-before-last-check-in = Personen har gjort en incheckning efter den dagen. Sista dagen i verksamheten är dagen för den senaste incheckningen eller senare.
rule-step-due-before-agreed = Ett steg ska vara klart samma dag som det bestämdes eller senare.
rule-step-done-before-agreed = Ett steg blir klart samma dag som det bestämdes eller senare.
rule-job-ended-before-start = Jobbets sista dag är samma dag som det började eller senare.
rule-job-end-reason-without-end = Ett skäl till att jobbet slutade behöver jobbets sista dag.
rule-already-exited = Personen har redan lämnat programmet. Ångra först det avslutet om det var fel.
rule-not-exited = Personen har inte lämnat programmet; det finns inget avslut att ångra.
rule-qual-rename = Ett projekt byter namn via kommandoraden.

participant-exit-title = Lämnar programmet
participant-exit-help = Stödet har ingen tidsgräns och upphör aldrig för att möten uteblir. Registrera ett avslut bara när personen lämnar.
participant-exit-date = Sista dag i programmet
participant-exit-reason = Varför
participant-exit-save = Registrera avslutet
participant-exited = Lämnade programmet { $date }: { $reason }
participant-reopen = Ångra avslutet (registrerat av misstag)
event-exit = Lämnade programmet
exit-reason-participant-choice = Eget val
exit-reason-stepped-down = Avslutade sitt deltagande
exit-reason-moved = Flyttade
exit-reason-deceased = Avliden
exit-reason-other = Annat
