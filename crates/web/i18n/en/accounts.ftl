# Staff accounts: passwords, roles, resets, the audit log.

accounts-password-too-short = A password has at least 12 characters. A few ordinary words in a row make a good one.
accounts-password-too-long = A password has at most 128 characters.
accounts-password-common = That password is among the most used ones (or is one character repeated, or a plain sequence). Choose another: a few ordinary words in a row make a good one.
accounts-password-contains-name = A password must not contain the sign-in name. Choose another.
