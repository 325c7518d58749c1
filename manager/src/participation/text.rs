//! What citizens type: aliases, PINs and plain-text posts, checked before
//! anything is stored, and the word filter shared by aliases and posts.

use plaza_api::participation::limits;

/// Folds text for matching: lower case, accents removed, digits and symbols
/// commonly written for letters read as those letters.
fn fold(character: char) -> Option<char> {
    let lower = character.to_lowercase().next().unwrap_or(character);
    let folded = match lower {
        'á' | 'à' | 'â' | 'ä' | 'ã' | '4' | '@' => 'a',
        'é' | 'è' | 'ê' | 'ë' | '3' => 'e',
        'í' | 'ì' | 'î' | 'ï' | '1' | '!' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | '0' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        '5' | '$' => 's',
        '7' => 't',
        other if other.is_alphanumeric() => other,
        _ => return None,
    };
    Some(folded)
}

/// `text` folded, with everything that is not a letter dropped.
fn compact(text: &str) -> String {
    text.chars().filter_map(fold).collect()
}

/// The configured list of words, folded once.
#[derive(Debug, Clone, Default)]
pub struct WordFilter {
    words: Vec<(String, String)>,
}

impl WordFilter {
    pub fn new(words: &[String]) -> Self {
        Self {
            words: words
                .iter()
                .map(|word| (compact(word), word.clone()))
                .filter(|(folded, _)| !folded.is_empty())
                .collect(),
        }
    }

    /// The listed words `text` contains as whole words (so "Scunthorpe" or
    /// "computadora" pass), as configured.
    pub fn words_in_text(&self, text: &str) -> Vec<String> {
        let tokens: Vec<String> = text
            .split(|character: char| {
                character.is_whitespace() || ".,;:¡!¿?()\"'«»-/".contains(character)
            })
            .map(compact)
            .filter(|token| !token.is_empty())
            .collect();
        let mut found: Vec<String> = self
            .words
            .iter()
            .filter(|(folded, _)| {
                tokens
                    .iter()
                    .any(|token| token == folded || is_plural(token, folded))
            })
            .map(|(_, word)| word.clone())
            .collect();
        found.dedup();
        found
    }

    /// Whether a listed word appears anywhere in `alias`, however it is
    /// spelled out ("Mr_M1erda" included).
    pub fn matches_inside(&self, alias: &str) -> Option<&str> {
        let folded = compact(alias);
        self.words
            .iter()
            .find(|(word, _)| folded.contains(word.as_str()))
            .map(|(_, word)| word.as_str())
    }
}

fn is_plural(token: &str, word: &str) -> bool {
    token
        .strip_prefix(word)
        .is_some_and(|rest| rest == "s" || rest == "es")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{0}")]
    Invalid(String),
    /// An alias kept for municipal staff.
    #[error("{0}")]
    AliasReserved(String),
    /// An alias with a word of the word filter.
    #[error("{0}")]
    AliasNotAllowed(String),
    #[error("{0}")]
    PinRules(String),
}

impl TextError {
    /// The API's `error.code`, so a kiosk tells the refusals apart without
    /// reading the (English) message.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "invalid",
            Self::AliasReserved(_) => "alias_reserved",
            Self::AliasNotAllowed(_) => "alias_not_allowed",
            Self::PinRules(_) => "pin_invalid",
        }
    }
}

/// Checks an alias and returns its unique key (lower case).
pub fn check_alias(
    alias: &str,
    profanity: &WordFilter,
    reserved: &WordFilter,
) -> Result<String, TextError> {
    let length = alias.chars().count();
    if !(limits::ALIAS_MIN..=limits::ALIAS_MAX).contains(&length) {
        return Err(TextError::Invalid(format!(
            "an alias has {} to {} characters",
            limits::ALIAS_MIN,
            limits::ALIAS_MAX
        )));
    }
    if alias.trim() != alias || alias.contains("  ") {
        return Err(TextError::Invalid(
            "an alias cannot start or end with a space, or have two spaces in a row".to_owned(),
        ));
    }
    let allowed = |character: char| character.is_alphanumeric() || " ._-".contains(character);
    if !alias.chars().all(allowed) {
        return Err(TextError::Invalid(
            "an alias may have letters, digits, spaces, dots, dashes and underscores only"
                .to_owned(),
        ));
    }
    if !alias.chars().any(char::is_alphabetic) {
        return Err(TextError::Invalid(
            "an alias needs at least one letter".to_owned(),
        ));
    }
    if reserved.matches_inside(alias).is_some() {
        return Err(TextError::AliasReserved(
            "that alias is kept for municipal staff; choose another".to_owned(),
        ));
    }
    if profanity.matches_inside(alias).is_some() {
        return Err(TextError::AliasNotAllowed(
            "that alias contains a word that is not allowed; choose another".to_owned(),
        ));
    }
    Ok(alias.to_lowercase())
}

/// The unique key of an alias as typed at login (any case).
pub fn alias_key(alias: &str) -> String {
    alias.trim().to_lowercase()
}

pub fn check_pin(pin: &str) -> Result<(), TextError> {
    let length = pin.chars().count();
    if !(limits::PIN_MIN..=limits::PIN_MAX).contains(&length)
        || !pin.chars().all(|digit| digit.is_ascii_digit())
    {
        return Err(TextError::PinRules(format!(
            "a PIN has {} to {} digits",
            limits::PIN_MIN,
            limits::PIN_MAX
        )));
    }
    Ok(())
}

/// Plain text as stored: line endings unified, trailing spaces and runs of
/// blank lines trimmed, control characters refused. `what` names the field
/// in errors. `max` counts the text as sent (the document's `maxLength`),
/// `min` the text as stored, so blank padding never makes up a minimum.
pub fn plain_text(text: &str, what: &str, min: usize, max: usize) -> Result<String, TextError> {
    let sent = text.chars().count();
    if sent > max {
        return Err(TextError::Invalid(format!(
            "{what} has {sent} characters; at most {max} are allowed"
        )));
    }
    if let Some(control) = text
        .chars()
        .find(|character| character.is_control() && !matches!(character, '\n' | '\r' | '\t'))
    {
        return Err(TextError::Invalid(format!(
            "{what} contains a control character (U+{:04X}); send plain text",
            u32::from(control)
        )));
    }
    let mut lines: Vec<String> = Vec::new();
    let mut blank_run = 0;
    for line in text.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let line = line.replace('\t', " ").trim_end().to_owned();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        lines.push(line);
    }
    let cleaned = lines.join("\n").trim().to_owned();
    let length = cleaned.chars().count();
    if length < min {
        return Err(TextError::Invalid(if min <= 1 {
            format!("{what} is empty")
        } else {
            format!("{what} needs at least {min} characters")
        }));
    }
    Ok(cleaned)
}

/// A single line (titles, names, places).
pub fn single_line(text: &str, what: &str, min: usize, max: usize) -> Result<String, TextError> {
    let cleaned = plain_text(text, what, min, max)?;
    if cleaned.contains('\n') {
        return Err(TextError::Invalid(format!("{what} must be a single line")));
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> WordFilter {
        WordFilter::new(&["mierda".to_owned(), "coño".to_owned(), "cunt".to_owned()])
    }

    fn reserved() -> WordFilter {
        WordFilter::new(&["admin".to_owned(), "supervisor".to_owned()])
    }

    #[test]
    fn the_filter_matches_whole_words_however_written() {
        let filter = filter();
        assert_eq!(filter.words_in_text("¡Qué M1ÉRDA de calle!"), ["mierda"]);
        assert_eq!(filter.words_in_text("¡Vaya COÑO!"), ["coño"]);
        // ñ is a letter of its own: "cono" (a cone) is not "coño".
        assert!(filter.words_in_text("un cono de helado").is_empty());
        assert!(filter.words_in_text("Scunthorpe United").is_empty());
        assert!(filter.words_in_text("La plaza está limpia").is_empty());
        assert_eq!(filter.words_in_text("mierdas"), ["mierda"]);
    }

    #[test]
    fn aliases_follow_the_rules() {
        let (filter, reserved) = (filter(), reserved());
        assert_eq!(
            check_alias("Ana López", &filter, &reserved),
            Ok("ana lópez".to_owned())
        );
        for refused in [
            "ab",
            "a-very-long-alias-that-goes-on",
            " Ana",
            "Ana  Maria",
            "Ana<script>",
            "1234",
            "The_Admin",
            "SUPERV1SOR",
            "xMierdax",
        ] {
            assert!(
                check_alias(refused, &filter, &reserved).is_err(),
                "{refused} should be refused"
            );
        }
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(check_pin("1234").is_ok());
        assert!(check_pin("12345678").is_ok());
        for refused in ["123", "123456789", "12a4", "١٢٣٤"] {
            assert!(check_pin(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn plain_text_is_tidied_and_bounded() {
        assert_eq!(
            plain_text("  Hola\r\n\r\n\r\n\r\nmundo   \n", "the post", 1, 100),
            Ok("Hola\n\nmundo".to_owned())
        );
        assert!(plain_text("   \n ", "the post", 1, 100).is_err());
        assert!(plain_text("bell\u{7}", "the post", 1, 100).is_err());
        assert!(plain_text(&"x".repeat(101), "the post", 1, 100).is_err());
        // The limit counts what was sent, as the document says.
        assert!(plain_text(&format!("{}\n\n\n", "x".repeat(98)), "the post", 1, 100).is_err());
        assert!(single_line("two\nlines", "the title", 1, 100).is_err());
    }
}
