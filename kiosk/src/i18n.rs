//! Every text a citizen reads comes from the Fluent files in
//! `assets/locales/{es,en}/`, compiled into the binary.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use plaza_api::session::Language;
use unic_langid::{LanguageIdentifier, langid};

/// One file per part of the kiosk, so each section keeps its own texts.
const SPANISH: &[&str] = &[
    include_str!("../assets/locales/es/kiosk.ftl"),
    include_str!("../assets/locales/es/catalogue.ftl"),
    include_str!("../assets/locales/es/participation.ftl"),
    include_str!("../assets/locales/es/help_chat.ftl"),
    include_str!("../assets/locales/es/requests.ftl"),
    include_str!("../assets/locales/es/have_a_say.ftl"),
    include_str!("../assets/locales/es/web.ftl"),
];
const ENGLISH: &[&str] = &[
    include_str!("../assets/locales/en/kiosk.ftl"),
    include_str!("../assets/locales/en/catalogue.ftl"),
    include_str!("../assets/locales/en/participation.ftl"),
    include_str!("../assets/locales/en/help_chat.ftl"),
    include_str!("../assets/locales/en/requests.ftl"),
    include_str!("../assets/locales/en/have_a_say.ftl"),
    include_str!("../assets/locales/en/web.ftl"),
];

pub struct Locales {
    spanish: FluentBundle<FluentResource>,
    english: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Locales {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Locales { es, en }")
    }
}

impl Locales {
    /// The bundled locales. Their syntax is checked by a test, so a broken
    /// file never ships; a message missing at run time shows its id.
    pub fn bundled() -> Self {
        Self {
            spanish: bundle(langid!("es"), SPANISH),
            english: bundle(langid!("en"), ENGLISH),
        }
    }

    fn bundle(&self, language: Language) -> &FluentBundle<FluentResource> {
        match language {
            Language::Es => &self.spanish,
            Language::En => &self.english,
        }
    }

    pub fn text(&self, language: Language, id: &str) -> String {
        self.format(language, id, None)
    }

    pub fn text_with(
        &self,
        language: Language,
        id: &str,
        args: &[(&str, FluentValue<'_>)],
    ) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(language, id, Some(&fluent_args))
    }

    fn format(&self, language: Language, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle(language);
        let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
            tracing::warn!(id, ?language, "missing locale message");
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "locale message formatted with errors");
        }
        text.into_owned()
    }
}

fn bundle(language: LanguageIdentifier, sources: &[&str]) -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new(vec![language.clone()]);
    // Unicode isolation marks would make texts differ from what tests and
    // screen readers expect; every argument here is a number or a name.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource =
            FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(partial, errors)| {
                tracing::error!(?errors, %language, "locale file has syntax errors");
                partial
            });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(?errors, "locale file has duplicate messages");
        }
    }
    bundle
}

/// Message ids defined in a Fluent source, in order.
pub fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|line| {
            line.chars()
                .next()
                .is_some_and(|first| first.is_ascii_lowercase())
        })
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_locales_parse_and_define_the_same_messages() {
        for (spanish, english) in SPANISH.iter().zip(ENGLISH) {
            for source in [spanish, english] {
                assert!(FluentResource::try_new((*source).to_owned()).is_ok());
            }
            assert_eq!(message_ids(spanish), message_ids(english));
        }
        let all: Vec<String> = SPANISH
            .iter()
            .flat_map(|source| message_ids(source))
            .collect();
        let unique: std::collections::HashSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "a message id is defined twice");
        assert!(all.len() > 50);
    }

    #[test]
    fn plurals_and_arguments_are_filled_in() {
        let locales = Locales::bundled();
        let one = [("minutes", FluentValue::from(1))];
        let five = [("minutes", FluentValue::from(5))];
        assert_eq!(
            locales.text_with(Language::Es, "warning-title", &one),
            "Queda 1 minuto"
        );
        assert_eq!(
            locales.text_with(Language::En, "warning-title", &five),
            "5 minutes left"
        );
        assert_eq!(
            locales.text(Language::En, "no-such-message"),
            "no-such-message"
        );
    }
}
