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

    /// A message with text arguments, each by its name.
    pub fn args(&self, key: &str, args: &[(&str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| ((*k).to_owned().into(), FluentValue::from(v.clone())))
            .collect();
        LOCALES.lookup_with_args(self.lang.id(), key, &args)
    }

    /// A message with text arguments and counts (which choose plural forms), each by name.
    pub fn counts(&self, key: &str, texts: &[(&str, String)], counts: &[(&str, usize)]) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = texts
            .iter()
            .map(|(k, v)| ((*k).to_owned().into(), FluentValue::from(v.clone())))
            .collect();
        for (k, n) in counts {
            args.insert((*k).to_owned().into(), FluentValue::from(*n));
        }
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
    use std::collections::BTreeSet;
    use std::path::Path;

    fn keys(s: &str) -> BTreeSet<String> {
        s.lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap_or_default().trim().to_owned())
            .collect()
    }

    /// The messages of every `.ftl` file of one language (the loader reads them all).
    fn all_keys(lang: &str) -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("i18n")
            .join(lang);
        let mut files = Vec::new();
        texts(&dir, ".ftl", &mut files);
        let mut all = BTreeSet::new();
        for (path, text) in files {
            for k in keys(&text) {
                assert!(all.insert(k.clone()), "{k} twice ({path})");
            }
        }
        all
    }

    /// Every message exists in both languages, so that no English is left on a Swedish page.
    #[test]
    fn both_languages_have_every_message() {
        let en = all_keys("en");
        let sv = all_keys("sv");
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

    /// The text of every file under `dir` whose name ends in `ext`.
    fn texts(dir: &Path, ext: &str, out: &mut Vec<(String, String)>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                texts(&p, ext, out);
            } else if p.to_string_lossy().ends_with(ext) {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }

    /// The string literals of a text that look like message keys (`word-word`).
    fn key_like(text: &str) -> Vec<String> {
        text.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.contains('-')
                    && s.starts_with(|c: char| c.is_ascii_lowercase())
                    && !s.ends_with('-')
                    && !s.contains("--")
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            .map(str::to_owned)
            .collect()
    }

    /// The literal after each `before` in a text: `rule: "x"` → `x`.
    fn after(text: &str, before: &str) -> Vec<String> {
        text.split(before)
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .map(str::to_owned)
            .collect()
    }

    /// Every message the code and the templates ask for is in both files: the keys written
    /// out, the words of each vocabulary (`Tr::word`), the rules the store and the core name
    /// (`rule-{rule}`), and the number fields' refusals (`bad-{field}`).
    #[test]
    fn every_message_used_exists_in_both_languages() {
        let en = all_keys("en");
        let sv = all_keys("sv");
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        texts(&root.join("src"), ".rs", &mut files);
        texts(&root.join("templates"), ".html", &mut files);
        // Kebab-case literals that are not messages: HTTP headers, and names of rules that
        // the web's qualitative pages turn into `rule-{name}` (checked below).
        let not_messages = [
            "hx-request",
            "x-csrf-token",
            "x-forwarded-for",
            "no-referrer",
            "no-store",
        ];
        let mut used: BTreeSet<String> = BTreeSet::new();
        for (path, text) in &files {
            // The demo's texts are data, not interface; tests name their own fixtures.
            let text = text.split("#[cfg(test)]").next().unwrap_or_default();
            if path.ends_with("demo.rs") {
                continue;
            }
            // In a template, only what askama evaluates (attributes are HTML, not messages).
            let code: String = if path.ends_with(".html") {
                text.split("{{")
                    .skip(1)
                    .chain(text.split("{%").skip(1))
                    .filter_map(|s| s.split(['}', '%']).next())
                    .collect::<Vec<_>>()
                    .join("\n")
            } else {
                text.to_owned()
            };
            for k in key_like(&code) {
                if not_messages.contains(&k.as_str()) || k.starts_with("fika-") {
                    continue;
                }
                // The prefix of a vocabulary (`Tr::word`), whose words are checked below.
                if en.iter().any(|e| e.starts_with(&format!("{k}-"))) && !en.contains(&k) {
                    continue;
                }
                if en.contains(&format!("rule-{k}")) {
                    continue;
                }
                used.insert(format!("{k}\t{path}"));
            }
            for name in after(text, "number(&f, \"") {
                used.insert(format!("bad-{}\t{path}", name.replace('_', "-")));
            }
        }
        // Rules named by the store and by the core's records, said as `rule-{rule}`.
        let crates = root.parent().unwrap();
        let mut rules = Vec::new();
        texts(&crates.join("store").join("src"), ".rs", &mut rules);
        for (path, text) in &rules {
            for r in after(text, "rule: \"") {
                used.insert(format!("rule-{r}\t{path}"));
            }
        }
        let records = crates.join("core").join("src").join("records.rs");
        let text = std::fs::read_to_string(&records).unwrap();
        for r in key_like(text.split("#[cfg(test)]").next().unwrap_or_default()) {
            used.insert(format!("rule-{r}\t{}", records.display()));
        }
        use fika_core::*;
        fn all<T: Copy>(prefix: &str, all: &[T], word: fn(T) -> &'static str) -> Vec<String> {
            all.iter()
                .map(|w| format!("{prefix}-{}", word(*w).replace('_', "-")))
                .collect()
        }
        let words = [
            all("place", Place::ALL, Place::as_str),
            all("kind", JobKind::ALL, JobKind::as_str),
            all("reason", EndReason::ALL, EndReason::as_str),
            all("exit-reason", ExitReason::ALL, ExitReason::as_str),
            all("purpose", ContactPurpose::ALL, ContactPurpose::as_str),
            all("benefits", BenefitsStatus::ALL, BenefitsStatus::as_str),
            all("owner", StepOwner::ALL, StepOwner::as_str),
            all("source", ReferralSource::ALL, ReferralSource::as_str),
            all("role", &fika_store::Role::ALL, fika_store::Role::as_str),
            all(
                "qual-role",
                &[fika_store::QualRole::Owner, fika_store::QualRole::Coder],
                fika_store::QualRole::as_str,
            ),
        ];
        for w in words.iter().flatten() {
            used.insert(format!("{w}\tTr::word"));
        }
        let missing: Vec<&String> = used
            .iter()
            .filter(|u| {
                let k = u.split('\t').next().unwrap_or_default();
                !en.contains(k) || !sv.contains(k)
            })
            .collect();
        assert_eq!(missing, Vec::<&String>::new(), "messages missing");
        assert!(
            used.len() > 300,
            "the scan found the messages ({})",
            used.len()
        );
    }
}
