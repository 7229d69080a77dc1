# The evaluation workspace: codes in their colour, themes built from codes, memos.
qual-legend = Colours of your codes in this transcript
qual-tree-help = The codebook as a tree: themes hold subthemes, subthemes hold codes. Each level is a list inside the one above.
qual-heading = heading, not for coding
qual-under = Under
qual-memo-count = { $n ->
    [one] 1 memo
   *[other] { $n } memos
}
qual-code-heading = A heading only (a theme that is not applied to text)
qual-memos = Memos
qual-memos-source = Memos on this transcript
qual-memos-code = Memos on this code
qual-no-memos = No memos yet.
qual-memo-text = Write a memo
qual-memo-save = Save the memo
qual-memo-remove = Remove the memo
qual-memo-add-segment = Write a memo on this segment
qual-code-change = Change the code
qual-code-color = Colour
qual-code-color-own = The code's own colour, kept in REFI-QDA exports.
qual-code-color-palette = A palette colour chosen for this code; saving another colour makes it the code's own.
qual-code-color-reset = Use a palette colour instead
qual-merge = Merge into another code
qual-merge-help = Every coded segment of this code goes to the other code, with the codes below it and its memos; the same passage coded by the same coder with both becomes one. This code is then gone.
qual-merge-into = Merge into
qual-merge-choose = Choose a code
qual-merge-do = Merge

rule-qual-memo-empty = Write the memo before saving it.
rule-qual-move-under-itself = A code cannot go under itself or under a code below it. Move that code out first.
rule-qual-merge-itself = A code cannot be merged into itself. Choose another code.
rule-qual-merge-into-child = A code cannot be merged into a code below it. Move that code out first.
rule-qual-merge-into-heading = That code is a heading, not applied to text, and this code has coded segments. Merge into a code that can be applied.
rule-qual-code-color = Choose a colour such as #33aa55.
