# Gränser för inmatning: reglerna i fika_core::text och kontrollen av vad ett formulär pekar på.
rule-name-too-long = Ett namn har högst 100 tecken.
rule-organisation-too-long = Ett programs, en arbetsgivares eller en organisations namn har högst 200 tecken.
rule-sector-too-long = En bransch har högst 100 tecken.
rule-title-too-long = En arbetstitel har högst 200 tecken.
rule-goal-too-long = Ett mål har högst 1 000 tecken.
rule-step-too-long = Ett nästa steg har högst 500 tecken. Dela upp det i flera steg.
rule-note-too-long = En anteckning har högst 2 000 tecken.
rule-org-number-too-long = Ett organisationsnummer har högst 20 tecken.
rule-text-control-character = Texten innehåller ett styrtecken (till exempel en NUL-byte) som inte kan visas. Skriv texten igen i stället för att klistra in den.
rule-text-line-break = Fältet är en rad. Ta bort radbrytningen.
rule-employer-unknown = Arbetsgivaren finns inte i registret. Ladda om sidan och välj igen, eller lägg först till arbetsgivaren i registret.
