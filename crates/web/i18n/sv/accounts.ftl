# Personalkonton: lösenord, roller, återställning, granskningsloggen.

accounts-password-too-short = Ett lösenord har minst 12 tecken. Några vanliga ord i rad blir ett bra lösenord.
accounts-password-too-long = Ett lösenord har högst 128 tecken.
accounts-password-common = Det lösenordet hör till de mest använda (eller är ett tecken upprepat, eller en enkel följd). Välj ett annat: några vanliga ord i rad blir ett bra lösenord.
accounts-password-contains-name = Ett lösenord får inte innehålla inloggningsnamnet. Välj ett annat.
