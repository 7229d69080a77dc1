//! The few words of the reports themselves, in English and Swedish (the web app's own
//! page text is in its Fluent files).

use fika_core::scale::Lang;

pub(crate) fn say(lang: Lang, en: &'static str, sv: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Sv => sv,
    }
}
