# Utvärderingens arbetsyta: koder i sina färger, teman byggda av koder, memon.
qual-legend = Färgerna på dina koder i den här transkriptionen
qual-tree-help = Kodboken som ett träd: teman rymmer underteman, underteman rymmer koder. Varje nivå är en lista inuti den ovanför.
qual-heading = rubrik, inte för kodning
qual-under = Under
qual-memo-count = { $n ->
    [one] 1 memo
   *[other] { $n } memon
}
qual-code-heading = Bara en rubrik (ett tema som inte sätts på text)
qual-memos = Memon
qual-memos-source = Memon om den här transkriptionen
qual-memos-code = Memon om den här koden
qual-no-memos = Inga memon än.
qual-memo-text = Skriv ett memo
qual-memo-save = Spara memot
qual-memo-remove = Ta bort memot
qual-memo-add-segment = Skriv ett memo om det här segmentet
qual-code-change = Ändra koden
qual-code-color = Färg
qual-code-color-own = Kodens egen färg, som följer med i REFI-QDA-exporter.
qual-code-color-palette = En färg ur paletten, vald för den här koden; sparar du en annan färg blir den kodens egen.
qual-code-color-reset = Använd en färg ur paletten i stället
qual-merge = Slå ihop med en annan kod
qual-merge-help = Varje kodat segment med den här koden flyttas till den andra koden, med koderna under den och dess memon; samma passage kodad av samma kodare med båda blir en. Sedan finns den här koden inte längre.
qual-merge-into = Slå ihop med
qual-merge-choose = Välj en kod
qual-merge-do = Slå ihop

rule-qual-memo-empty = Skriv memot innan du sparar det.
rule-qual-move-under-itself = En kod kan inte läggas under sig själv eller under en kod som ligger under den. Flytta ut den koden först.
rule-qual-merge-itself = En kod kan inte slås ihop med sig själv. Välj en annan kod.
rule-qual-merge-into-child = En kod kan inte slås ihop med en kod som ligger under den. Flytta ut den koden först.
rule-qual-merge-into-heading = Den koden är en rubrik som inte sätts på text, och den här koden har kodade segment. Slå ihop med en kod som kan sättas på text.
rule-qual-code-color = Välj en färg som #33aa55.
