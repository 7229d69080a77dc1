# fika — English. Every word on every page comes from this file or its Swedish twin.

skip-to-content = Skip to content
nav-label = Main
nav-day = My day
nav-employers = Employers
nav-program = Program
nav-users = Users
sign-out = Sign out

login-title = Sign in
login-intro = Individual Placement and Support — for coaches, leads and evaluators.
login-name = Name
login-password = Password
login-submit = Sign in
login-failed = That name and password did not match. Check them and try again.
login-too-many = Too many failed attempts. Wait 15 minutes and try again, or ask your administrator.

today = today
due = by
overdue = Overdue
date = Date
from = From
to = To
save = Save
none = None
more = More details
no-date = No date
not-yet = Not yet
in-one-week = In 1 week
in-two-weeks = In 2 weeks
week-short = week

day-title = My day
day-figures = This week in figures
day-caseload = on my caseload (IPS: at most 20)
day-contacts-week = face-to-face employer contacts this week (IPS: 6)
day-meetings = Meetings
day-no-meetings = No meetings planned. Agree the next one when you meet.
day-steps = Open next steps
day-no-steps = No open next steps.
day-follow-along = Follow-along support
day-no-follow-along = No job starts or ends that need you now.
day-quiet = No contact for 14 days
day-no-quiet = Everyone has been in touch within two weeks.
day-rapid = No employer contact yet (after 30 days)
day-no-rapid = Every new participant has met an employer.
days-since-contact = { $n ->
    [one] 1 day since contact
   *[other] { $n } days since contact
}
days-enrolled = { $n } days since joining
follow-starts-soon = starts a job on { $date }: plan the first days together
follow-just-started = started on { $date }: check in within 3 days
follow-weekly = first month in the job (since { $date }): check in this week
follow-ended = the job ended on { $date }: get in touch within 3 days

participant-title = Participant
participant-coach = Coach: { $name }
participant-stand-in = stand-in { $coach }
participant-goals = In their own words
participant-no-goals = No goals written down yet. Ask what they would like to work with.
goal-add = Add a goal in their words
goal-text = The goal, as they put it
day-everyone = Everyone on my caseload
day-standing-in = standing in
participant-record-meeting = Record a meeting
participant-next-meeting = Next meeting
participant-open-steps = Open next steps
participant-no-open-steps = Nothing open.
participant-timeline = Timeline
participant-no-events = Nothing recorded yet.
step-mark-done = Done
step-done-now = Marked as done.

event-meeting = Meeting
event-job-start = Started
event-job-end = Ended
event-employer-contact = Employer contact
event-benefits = Benefits planning
event-step-done = Step done
event-coach-change = New coach

meeting-title = Record a meeting
meeting-with = Meeting with { $name }
meeting-open-steps = Since last time — tick what is done
meeting-place = Where
meeting-length = How long
meeting-note = Short note (optional)
meeting-next-step = Next step
step-what = What
step-who = Who
step-when = By when
step-by-next-meeting = By next meeting
meeting-next = Next meeting
meeting-other-day = Another day?
meeting-save = Save meeting

place-office = Office
place-cafe = Café
place-home = Home
place-workplace = Workplace
place-employer = Employer
place-community = Outdoors / community
place-phone = Phone
place-video = Video
place-message = Message

owner-coach = Coach
owner-participant = Participant
owner-both = Both
owner-other = Someone else

job-add = Start a job or another step
job-kind = Kind
kind-competitive = Competitive job
kind-subsidized = Subsidised job
kind-transitional = Transitional job
kind-placement = Work placement
kind-education = Studies
kind-volunteer = Volunteering
job-title = Title
job-employer = Employer
job-start = Starts
job-occupation = Occupation code (4 digits)
job-hours = Hours per week
job-wage = Hourly wage
job-save = Save
job-end-title = { $title } ended
job-end-date = Last day
job-end-reason = Why
job-end-save = Save the end
reason-quit = Left
reason-fired = Let go
reason-contract-ended = Contract ended
reason-better-job = Better job
reason-other = Other

benefits-title = Benefits planning
benefits-status = Status
benefits-offered = Offered
benefits-completed = Completed
benefits-trained = By a trained planner

coach-change-title = Change designated coach
coach-change-to = New coach
coach-change-from = From

employers-title = Employers
employers-register = Register
employers-none = Add an employer to the register first.
employer-add = Add an employer
employer-name = Name
employer-sector = Sector
employer-org-number = Organisation number
contact-add = Log an employer contact
contact-employer = Employer
contact-how = How
contact-face-to-face = Face to face
contact-other = Phone, mail or other
contact-purpose = Purpose
purpose-learn-needs = Learn their needs
purpose-present-candidate = Present a job seeker
purpose-follow-up = Follow up
purpose-other = Other
contact-for = For
contact-general = General contact (no job seeker)

program-title = Program
program-coaches = Coaches and caseloads
program-participants = Participants
stand-ins-title = Stand-ins
stand-in-line = { $cover } stands in for
stand-in-away = Coach who is away
stand-in-cover = Stands in
users-title = Users
user-add = Add a user
user-role = Role
user-coach = Coach record (for a coach)
user-program = Program (for a lead)
user-disable = Disable
user-enable = Enable
user-disabled = Disabled
role-admin = Administrator
role-lead = Lead
role-coach = Coach
role-evaluator = Evaluator

evaluation-title = Evaluation
evaluation-text = The IPS fidelity items fika computes from the records, for a program today (one year back). Evaluators see figures, never a participant's record.

enrol-title = New participant
enrol-intro = Wanting to work is all it takes. Write how they want to be called and, if they like, what they would like to work with.
enrol-name = Name (as they want to be called)
enrol-source = How they came
enrol-employed = Has a job already
enrol-save = Welcome
source-self = Themselves
source-mental-health-team = Mental health team
source-social-services = Social services
source-employment-service = Employment service
source-family = Family
source-other = Other

nav-programs = Programs
programs-title = Programs and coaches
program-add = Add a program
program-name = Name
program-organisation = Organisation (municipality, region or provider)
coach-add = Add a coach
coach-name = Name
coach-fte = Share of full time as a coach (e.g. 0.5; empty = full time)
coach-program = Program

contacts-recent = My contacts this week and last
contacts-none = No employer contacts logged these two weeks.
plan-meeting = Agree the next meeting

error-title = That did not work
error-home = Back to the start page
error-forbidden = This page is not part of your role in fika.
error-not-found = There is nothing here, or it is not within your caseload.
error-csrf = The form had expired. Go back, reload the page and try again.
error-bad-input = Nothing was saved. Go back and change this:
error-internal = Something went wrong on the server; nothing was saved. Try again in a moment.

evaluation-program = Program
evaluation-show = Show
evaluation-total = computed total
evaluation-item = Item
evaluation-value = Value
evaluation-score = Score
evaluation-n = Counted

rule-paid-job-needs-employer = A competitive, subsidised or transitional job needs its employer. Choose the employer, or add it to the register first.
rule-next-meeting-not-past = The next meeting is today or later.
rule-password-length = A password has at least 10 characters.
rule-outside-enrolment = The date is outside the participant's time in the program. Check the date.
rule-step-not-open = A ticked step is no longer open. Reload the page and try again.
rule-job-before-enrolment = A job or step starts on or after the day the participant joined.
rule-goal-empty = Write the goal as they put it.
rule-job-end = The job has ended already, or the last day is before it started.
rule-same-coach = That coach is already the designated coach.
rule-coach-other-program = Choose a coach of the same program.
rule-stand-in-self = A coach cannot stand in for themselves.
rule-dates-reversed = The last day is before the first.

nav-evaluation = Evaluation
nav-qual = Qualitative analysis
qual-title = Qualitative analysis
qual-intro = Interview transcripts and their thematic analysis. You see the projects you have a role in.
qual-no-projects = You have no role in a qualitative project yet. The project's owner, or an administrator with fika qual add-member, can give you one.
qual-role-owner = Owner
qual-role-coder = Coder
qual-comparison-is-open = comparison open
qual-project-title = Qualitative project
qual-counts-everyone = counting every coder's coding
qual-counts-mine = counting your own coding only, until the owner opens the comparison
qual-compare-title = Comparison and agreement
qual-sources = Transcripts
qual-no-sources = No transcripts yet.
qual-chars = { $n ->
    [one] 1 character
   *[other] { $n } characters
}
qual-turns = { $n ->
    [one] 1 speaker turn
   *[other] { $n } speaker turns
}
qual-coded-segments = { $n ->
    [one] 1 coded segment
   *[other] { $n } coded segments
}
qual-codes = Codes
qual-no-codes = No codes yet.
qual-with-subcodes = { $n } with the codes below
qual-code-add = Add a code
qual-code-name = Name
qual-code-parent = Under
qual-code-top = Nothing: a theme of its own
qual-code-description = What the code means (optional)
qual-members = Members
qual-member-add = Give an evaluator a role
qual-member-who = Only evaluators can have a role: the people interviewed must not read the transcripts.
qual-member-login = Their sign-in name
qual-source-title = Transcript
qual-highlight-open = highlighted: your coding
qual-highlight-mine = highlighted: your coding (the others' stays hidden until the comparison opens)
qual-skip-to-form = Go to the coding form
qual-transcript = Transcript
qual-coding-closed = The comparison is open, so coding is closed: the figures are of the coding done independently.
qual-code-this = Code a passage
qual-nothing-selected = Select text in the transcript, or choose a paragraph.
qual-paragraph = Paragraph or speaker turn
qual-paragraph-none = The selected text
qual-positions = Exact positions
qual-positions-help = In characters from the start of the text, counting from 0; the end is not included.
qual-start = From character
qual-end = To character
qual-memo = Memo (optional)
qual-apply = Apply the codes
qual-coded-all = Coded segments of every coder
qual-coded-mine = Your coded segments
qual-nothing-coded = Nothing coded yet.
qual-memo-short = Memo
qual-uncode = Remove
qual-code-title = Code
qual-excerpts-count = { $n ->
    [one] 1 excerpt
   *[other] { $n } excerpts
}
qual-without-subcodes = Only this code
qual-include-subcodes = With the codes below
qual-download-csv = Download as CSV
qual-no-excerpts = No excerpts yet.
qual-upload-title = Add transcripts
qual-upload-help = Choose one or more files (at most { $files }): plain text (.txt), Markdown (.md), WebVTT (.vtt), SRT (.srt) or Word (.docx). At most { $file_mb } MB per file and { $all_mb } MB together.
qual-upload-speakers = Speakers are read from WebVTT voices, from lines that start with a name and a colon ("Anna: …") in subtitle and Word files, and from bold names in Word files. Each file becomes a transcript named like the file; a Word file is kept as the transcript's original and goes with the project's REFI-QDA export. If one file cannot be read, nothing is added.
qual-upload-files = Files
qual-upload-send = Add the transcripts
qual-upload-refused = Nothing was added. Correct the files below and upload them all again.
qual-upload-closed = The comparison is open, so no transcripts can be added: the figures are of the transcripts the coders coded.
qual-upload-none = Choose at least one file.
qual-upload-too-many = Upload at most { $n } files at once.
qual-upload-kind = { $file }: fika reads transcripts as .txt, .md, .vtt, .srt or .docx. Save it in one of those and upload it again.
qual-upload-too-large = { $file } is larger than { $mb } MB. Split the transcript into parts, or save the text without pictures, and upload it again.
qual-upload-name-long = { $file }: the file name is longer than 200 characters. Rename the file and upload it again.
qual-upload-twice = { $file } is chosen twice. Choose each file once.
qual-upload-name-taken = The project already has a transcript named { $file }. Rename the file and upload it again.
qual-upload-not-utf8 = { $file } is not UTF-8 text. Save it again with the encoding UTF-8 (most editors offer it under Save as) and upload it again.
qual-upload-empty = { $file } holds no text. Check that it is the right file.
qual-upload-not-vtt = { $file } does not start with "WEBVTT". Check that it is a WebVTT file, or save it as .txt.
qual-upload-bad-timing = { $file }, line { $line }: "{ $text }" is not a cue timing (expected 00:00:01.000 --> 00:00:04.000). Correct the line and upload the file again.
qual-upload-not-docx = { $file } is not a Word document. Open it in your word processor, save it as .docx (Word 2007 or later) and upload it again.
qual-upload-docx-large = { $file } expands to more than { $mb } MB, far more than a transcript. Save the text alone as a new .docx and upload it again.
qual-upload-damaged = { $file } is damaged or built to overload the server, so it was not read. Open it in your word processor, save it again and upload it again.
rule-qual-source-name-taken = The project already has a transcript of that name. Rename the file and upload it again.
qual-document-title = Excerpts by theme
qual-document-of = Excerpts: { $code }
qual-document-link = Readable document of the excerpts (print, Word)
qual-document-docx = Download for Word (.docx)
qual-document-print = To print it or save it as PDF, use your browser's Print command (Ctrl+P, or ⌘P on a Mac).
qual-source = Source
qual-speaker = Speaker
qual-coded-by = Coded by
qual-compare-closed = The comparison is not open yet: each coder sees only their own coding. Open it when everyone has finished.
qual-progress = Coders so far
qual-open-warning = Once open, every member sees every coder's coding, and coding closes. This cannot be undone.
qual-open = Open the comparison
qual-agreement-of = Agreement of { $coders }
qual-code = Code
qual-percent-agreement = Agreement
qual-kappa = Cohen's kappa
qual-alpha = Krippendorff's alpha
qual-overall = Overall
qual-figures-help = Every character of every transcript is a unit. Kappa is given for two coders; alpha for two or more. Overall pools the codes anybody applied.
qual-disagreements = { $n ->
    [one] 1 disagreement
   *[other] { $n } disagreements
}
qual-consensus-stored = { $n ->
    [one] A consensus coding is stored: 1 coded segment.
   *[other] A consensus coding is stored: { $n } coded segments.
}
qual-consensus-help = Decide each disagreement: keep the code on the passage, or drop it. The consensus is what all coders agreed on and what you keep; saving again replaces it.
qual-applied-by = applied by { $coders }
qual-not-by = not by { $coders }
qual-decision = Decision
qual-keep = Keep
qual-drop = Drop
qual-consensus-save = Save the consensus
qual-two-coders = Agreement needs at least two coders who have coded something.

rule-qual-no-such-user = There is no user with that sign-in name. Check the spelling.
rule-qual-member-role = Only evaluators can have a role in a qualitative project: the people interviewed must not read the transcripts.
rule-qual-code-name = Give the code a name of at most 200 characters.
rule-qual-unknown-code = That code is not in this project's codebook. Reload the page and choose again.
rule-qual-code-name-taken = A code with that name is already there. Choose another name, or merge the two codes.
rule-qual-span-missing = Select the text to code, choose a paragraph, or give the positions.
rule-qual-no-code = Choose at least one code.
rule-qual-memo-long = A memo has at most 10,000 characters.
rule-qual-span-order = The passage ends where it starts or before. Select the text again.
rule-qual-span-beyond = The passage goes beyond the end of the text. Select the text again.
rule-qual-span-moved = The positions do not match the selected text. Reload the page and select again.
rule-qual-not-codable = That is a heading in the codebook; choose a code under it.
rule-qual-comparison-open = The comparison is open, so coding is closed.
rule-qual-decisions-stale = The disagreements have changed since the page was loaded. Reload it and decide again.
rule-qual-decide-every = Decide every disagreement: keep or drop.
rule-qual-two-coders = Agreement needs at least two coders who have coded something.

nav-language = Language
bad-date = “{ $value }” is not a date. Write it as 2025-03-14.
bad-choice = { $field }: “{ $value }” is not one of the choices. Reload the page and choose again.
bad-occupation-code = The occupation code is 4 digits (ISCO-08 or SSYK 2012), e.g. 5120; “{ $value }” is not.
bad-hours-per-week = Hours per week is a number above 0 and at most 168, e.g. 20 or 7.5; “{ $value }” is not.
bad-hourly-wage = The hourly wage is a number, 0 or more, e.g. 135.5; “{ $value }” is not.
bad-fte = The share of full time is a number above 0 and at most 1, e.g. 0.5; “{ $value }” is not.
bad-minutes = A meeting lasts 1 to 1440 whole minutes; “{ $value }” is not.
bad-minutes-missing = Choose how long you met.
bad-place-missing = Choose where you met.
bad-job-kind-missing = Choose the kind of job or step.
bad-job-title-missing = Give the job or step a title.
bad-benefits-status-missing = Choose offered or completed.
bad-coach-missing = Choose a coach.
bad-name-missing = Write how they want to be called.
bad-stand-in-coaches-missing = Choose both the coach who is away and the coach who stands in.
bad-employer-name-missing = Give the employer's name.
bad-employer-missing = Choose an employer.
bad-employer-not-in-register = Choose an employer from the register, or add it there first.
bad-login-missing = Give a name to sign in with.
bad-password-missing = Give a password.
bad-role-missing = Choose a role.
bad-login-taken = The sign-in name “{ $login }” is taken. Choose another.
bad-user-link-missing = A coach needs their coach record, and a lead their program. Choose one.
bad-disable-yourself = You cannot disable yourself. Ask another administrator.
bad-program-name-missing = Give the program a name.
bad-program-missing = Choose a program.
bad-coach-name-missing = Give the coach's name.
bad-form-too-large = The form is too large. Shorten the text and try again.
bad-login-form = Fill in your name and password.
bad-exit-reason-missing = Choose why they leave the program.

rule-coach-ended-before-start = A coach's last day is on or after the day they started.
rule-referred-after-enrolment = The referral date is on or before the day they joined.
rule-exit-before-enrolment = The last day in the program is on or after the day they joined. Check the date.
rule-exit-before-last-meeting = There is a meeting after that day. The last day in the program is the day of the last meeting or later.
rule-exit-before-last-check-in = They checked in after that day. The last day in the program is the day of their last check-in or later.
rule-step-due-before-agreed = A step is due on or after the day it was agreed.
rule-step-done-before-agreed = A step is done on or after the day it was agreed.
rule-job-ended-before-start = The job's last day is on or after the day it started.
rule-job-end-reason-without-end = A reason why the job ended needs the job's last day.
rule-already-exited = They have left the program already. Undo that exit first if it was a mistake.
rule-not-exited = They have not left the program; there is no exit to undo.
rule-qual-rename = A project is renamed with the command line.

participant-exit-title = Leaving the program
participant-exit-help = Support has no time limit and never ends because of missed meetings. Record an exit only when they leave.
participant-exit-date = Last day in the program
participant-exit-reason = Why
participant-exit-save = Record the exit
participant-exited = Left the program on { $date }: { $reason }
participant-reopen = Undo the exit (recorded by mistake)
event-exit = Left the program
exit-reason-participant-choice = Their own choice
exit-reason-stepped-down = Stepped down from the program
exit-reason-moved = Moved away
exit-reason-deceased = Deceased
exit-reason-other = Other
