//! What a citizen types, turned into a safe FTS5 query.
//!
//! Input is split into words the way FTS5's `unicode61` tokenizer splits
//! text (letters and digits), folded the way `remove_diacritics 2` folds it,
//! and each word is written as a quoted string: nothing the citizen types
//! (`"`, `*`, `NEAR(`, `-`, `OR`, `:`) ever becomes FTS5 syntax.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words too common to narrow a search; dropped unless nothing else is left.
const STOP_WORDS: &[&str] = &[
    "a", "al", "con", "de", "del", "el", "en", "la", "las", "lo", "los", "mi", "para", "por",
    "que", "se", "su", "un", "una", "y", "an", "and", "for", "how", "i", "in", "my", "of", "on",
    "the", "to",
];

/// Lowercase, without accents: `Trámite` → `tramite`, `Ñandú` → `nandu`.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|character| !is_combining_mark(*character))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The folded words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|character: char| !character.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A parsed search: the words to look for, the last one still being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    pub words: Vec<String>,
}

impl SearchTerms {
    pub fn parse(input: &str) -> Self {
        let all = words(input);
        let meaningful: Vec<String> = all
            .iter()
            .filter(|word| !STOP_WORDS.contains(&word.as_str()))
            .cloned()
            .collect();
        let mut words = if meaningful.is_empty() {
            all
        } else {
            meaningful
        };
        // Very long inputs are pasted text, not a search: keep it bounded.
        words.truncate(12);
        Self { words }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Every word must match (each as a prefix, so `tramite` finds
    /// `trámites` and a half-typed last word already finds results).
    pub fn match_all(&self) -> Option<String> {
        self.expression(" AND ")
    }

    /// Any word may match: the last resort for long, chatty queries.
    pub fn match_any(&self) -> Option<String> {
        self.expression(" OR ")
    }

    fn expression(&self, joiner: &str) -> Option<String> {
        let last = self.words.len().saturating_sub(1);
        let parts: Vec<String> = self
            .words
            .iter()
            .enumerate()
            // A one-letter prefix matches half the index; only while typing.
            .filter(|(index, word)| word.chars().count() > 1 || *index == last)
            .map(|(_, word)| format!("\"{word}\"*"))
            .collect();
        (!parts.is_empty()).then(|| parts.join(joiner))
    }

    pub fn text(&self) -> String {
        self.words.join(" ")
    }
}

/// The most similar word of `vocabulary` to a misspelled `word`, if close
/// enough to be a typo: one edit for words of 4–6 letters, two beyond.
/// Ties go to the more frequent word (`vocabulary` yields word and document
/// count).
pub fn closest_word<'a>(
    word: &str,
    vocabulary: impl IntoIterator<Item = (&'a str, u64)>,
) -> Option<String> {
    let length = word.chars().count();
    let allowed = match length {
        0..=3 => return None,
        4..=6 => 1,
        _ => 2,
    };
    let mut best: Option<(usize, u64, &str)> = None;
    for (candidate, documents) in vocabulary {
        if candidate.chars().count().abs_diff(length) > allowed {
            continue;
        }
        let distance = strsim::osa_distance(word, candidate);
        // A candidate the word is a prefix of is found by the prefix search
        // already; here we only want real corrections.
        if distance == 0 || distance > allowed {
            continue;
        }
        let better = best.is_none_or(|(best_distance, best_documents, _)| {
            (distance, std::cmp::Reverse(documents))
                < (best_distance, std::cmp::Reverse(best_documents))
        });
        if better {
            best = Some((distance, documents, candidate));
        }
    }
    best.map(|(_, _, candidate)| candidate.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_accents_and_case() {
        assert_eq!(fold("Trámite"), "tramite");
        assert_eq!(fold("ÑANDÚ Pingüino"), "nandu pinguino");
    }

    #[test]
    fn stop_words_go_unless_nothing_else_is_left() {
        assert_eq!(
            SearchTerms::parse("Licencia de conducir").words,
            ["licencia", "conducir"]
        );
        assert_eq!(SearchTerms::parse("de la").words, ["de", "la"]);
    }

    #[test]
    fn hostile_input_becomes_quoted_words() {
        for input in [
            "\"",
            "*",
            "NEAR(",
            "-",
            "OR",
            "a OR b",
            "title:x",
            "^foo",
            "(((",
            "\"unclosed",
            "x AND",
            "NOT y",
            "{title}: z",
        ] {
            if let Some(expression) = SearchTerms::parse(input).match_all() {
                // Every part is a quoted word made of letters and digits.
                for part in expression.split(" AND ") {
                    let inner = part
                        .strip_prefix('"')
                        .and_then(|rest| rest.strip_suffix("\"*"))
                        .unwrap_or_else(|| panic!("{input:?} gave {expression:?}"));
                    assert!(inner.chars().all(char::is_alphanumeric), "{expression}");
                }
            }
        }
        assert_eq!(SearchTerms::parse("*\"-").match_all(), None);
    }

    #[test]
    fn one_letter_words_are_prefixes_only_while_typing() {
        assert_eq!(
            SearchTerms::parse("casa x y").match_all().as_deref(),
            Some("\"casa\"* AND \"x\"*"),
            "`y` is a stop word, `x` is the word being typed"
        );
    }

    #[test]
    fn typos_are_corrected_to_the_closest_frequent_word() {
        let vocabulary = [("licencia", 40), ("licitacion", 12), ("conducir", 5)];
        assert_eq!(
            closest_word("lisencia", vocabulary).as_deref(),
            Some("licencia")
        );
        assert_eq!(
            closest_word("condusir", vocabulary).as_deref(),
            Some("conducir")
        );
        assert_eq!(closest_word("xyzzyabc", vocabulary), None);
        assert_eq!(closest_word("lic", vocabulary), None, "too short to guess");
        // Transposed letters are one edit.
        assert_eq!(
            closest_word("licnecia", vocabulary).as_deref(),
            Some("licencia")
        );
    }
}
