//! English and Swedish, from the Fluent files under `i18n/{en,sv}/` (compiled in).
//! Every word on every page comes from here; the user's choice is kept with their account.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./i18n",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they are plain HTML text here.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static EN: LanguageIdentifier = langid!("en");
static SV: LanguageIdentifier = langid!("sv");

/// A language fika speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Sv,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "sv" => Some(Lang::Sv),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sv => "sv",
        }
    }
    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::Sv => &SV,
        }
    }
}

/// The translator a template calls: `{{ t.t("key") }}`.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Tr { lang }
    }

    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(self.lang.id(), key)
    }

    /// A message with a number `$n` (plural forms are the Fluent file's business).
    pub fn n(&self, key: &str, n: impl std::borrow::Borrow<usize>) -> String {
        let n = *n.borrow();
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert("n".into(), FluentValue::from(n));
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    /// A message with one text argument `$name`.
    pub fn a(&self, key: &str, name: &str, value: &str) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(name.to_owned().into(), FluentValue::from(value.to_owned()));
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    /// A vocabulary word (place, owner, kind…): key `{prefix}-{word}`.
    pub fn word(&self, prefix: &str, word: &str) -> String {
        self.t(&format!("{prefix}-{}", word.replace('_', "-")))
    }

    /// A date as people read it here.
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        d.format("%Y-%m-%d").to_string()
    }
}

#[cfg(test)]
mod tests {
    /// Every message exists in both languages, so that no English is left on a Swedish page.
    #[test]
    fn both_languages_have_every_message() {
        let keys = |s: &str| -> std::collections::BTreeSet<String> {
            s.lines()
                .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
                .map(|l| l.split(" =").next().unwrap_or_default().trim().to_owned())
                .collect()
        };
        let en = keys(include_str!("../i18n/en/main.ftl"));
        let sv = keys(include_str!("../i18n/sv/main.ftl"));
        assert_eq!(
            en.difference(&sv).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in Swedish"
        );
        assert_eq!(
            sv.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in English"
        );
    }
}
