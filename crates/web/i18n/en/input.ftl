# Bounds of input: the rules of fika_core::text and the checks of what a form names.
rule-name-too-long = A name has at most 100 characters.
rule-organisation-too-long = A program's, an employer's or an organisation's name has at most 200 characters.
rule-sector-too-long = A sector has at most 100 characters.
rule-title-too-long = A job's title has at most 200 characters.
rule-goal-too-long = A goal has at most 1,000 characters.
rule-step-too-long = A next step has at most 500 characters. Split it into several steps.
rule-note-too-long = A note has at most 2,000 characters.
rule-org-number-too-long = An organisation number has at most 20 characters.
rule-text-control-character = The text holds a control character (such as a NUL byte) that cannot be shown. Type the text again rather than pasting it.
rule-text-line-break = This field is one line. Remove the line break.
rule-employer-unknown = That employer is not in the register. Reload the page and choose again, or add the employer to the register first.
