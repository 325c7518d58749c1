//! Search over a catalogue, the same in the manager and in the kiosk's copy.
//!
//! 1. Every word must match, each as a prefix; records whose *title* matches
//!    come first (ranked by bm25 among themselves), then records matching
//!    anywhere. Ranking the title matches alone keeps the work bounded on
//!    very common words.
//! 2. Nothing found: each word the index does not know is replaced by its
//!    closest known spelling (a typo), and step 1 runs again.
//! 3. Still nothing: any word may match (long, chatty queries).

use plaza_api::session::Language;
use rusqlite::{Connection, params};

use crate::query::{SearchTerms, closest_word};
use crate::record::Record;
use crate::store::{
    CatalogueResult, Filter, ROWS_PER_RECORD, decode, list, search_table, words_table,
};

/// bm25 weights of the `title` and `body` columns.
const TITLE_WEIGHT: f64 = 10.0;
const BODY_WEIGHT: f64 = 1.0;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub text: String,
    pub language: Language,
    pub filter: Filter,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Found<R> {
    pub records: Vec<R>,
    /// The words searched instead, when the typed ones found nothing.
    pub corrected: Option<String>,
}

/// Records matching `search`; an empty text lists the catalogue.
pub fn search<R: Record>(connection: &Connection, search: &Search) -> CatalogueResult<Found<R>> {
    let terms = SearchTerms::parse(&search.text);
    let Some(expression) = terms.match_all() else {
        let records = if search.text.trim().is_empty() {
            list(connection, &search.filter, search.limit)?
        } else {
            // Only punctuation: nothing to look for.
            Vec::new()
        };
        return Ok(Found {
            records,
            corrected: None,
        });
    };
    let records = ranked::<R>(connection, search, &expression)?;
    if !records.is_empty() {
        return Ok(Found {
            records,
            corrected: None,
        });
    }
    let corrected = correct::<R>(connection, &terms)?;
    let retry = corrected.as_ref().unwrap_or(&terms);
    if let Some(corrected) = &corrected
        && let Some(expression) = corrected.match_all()
    {
        let records = ranked::<R>(connection, search, &expression)?;
        if !records.is_empty() {
            return Ok(Found {
                records,
                corrected: Some(corrected.text()),
            });
        }
    }
    if retry.words.len() > 1
        && let Some(expression) = retry.match_any()
    {
        let records = ranked::<R>(connection, search, &expression)?;
        return Ok(Found {
            records,
            corrected: corrected.map(|terms| terms.text()),
        });
    }
    Ok(Found {
        records: Vec::new(),
        corrected: None,
    })
}

/// Title matches first, then the rest, up to `search.limit`.
fn ranked<R: Record>(
    connection: &Connection,
    search: &Search,
    expression: &str,
) -> CatalogueResult<Vec<R>> {
    let table = search_table(R::KIND);
    // One or two letters typed so far match a large part of the index:
    // ranking all of it would cost more than the keystroke is worth, so
    // such searches take the first matches in index order (title matches
    // still first), which FTS5 reads without visiting the rest.
    let order = if expression_is_short(expression) {
        format!("{table}.rowid")
    } else {
        format!("bm25({table}, {TITLE_WEIGHT}, {BODY_WEIGHT}), r.sort_title")
    };
    let sql = format!(
        "SELECT r.key, r.id, r.body FROM {table}
         JOIN catalogue_records r ON r.key = {table}.rowid / {ROWS_PER_RECORD}
         WHERE {table} MATCH ?1 AND {table}.lang = ?2
           AND (?3 IS NULL OR r.category = ?3) AND (?4 IS NULL OR r.status = ?4)
         ORDER BY {order}
         LIMIT ?5"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let mut run = |expression: &str, limit: u32| -> CatalogueResult<Vec<(i64, String, String)>> {
        statement
            .query_map(
                params![
                    expression,
                    search.language.as_str(),
                    search.filter.category,
                    search.filter.status,
                    limit
                ],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    };
    let mut rows = run(&format!("title : ({expression})"), search.limit)?;
    if (rows.len() as u32) < search.limit {
        let seen: std::collections::HashSet<i64> = rows.iter().map(|(key, ..)| *key).collect();
        // Enough to fill the page even if every title match comes back again.
        let more = run(expression, search.limit + rows.len() as u32)?;
        rows.extend(more.into_iter().filter(|(key, ..)| !seen.contains(key)));
        rows.truncate(search.limit as usize);
    }
    rows.into_iter()
        .map(|(_, id, body)| decode(&id, &body))
        .collect()
}

/// Whether every quoted word of `expression` has at most two letters.
fn expression_is_short(expression: &str) -> bool {
    expression
        .split('"')
        .skip(1)
        .step_by(2)
        .all(|word| word.chars().count() <= 2)
}

/// The terms with every unknown word replaced by its closest known
/// spelling, or `None` when no word changed.
fn correct<R: Record>(
    connection: &Connection,
    terms: &SearchTerms,
) -> CatalogueResult<Option<SearchTerms>> {
    let table = words_table(R::KIND);
    let mut known_prefix = connection.prepare_cached(&format!(
        "SELECT 1 FROM {table} WHERE term >= ?1 AND term < ?1 || char(1114111) LIMIT 1"
    ))?;
    let mut vocabulary: Option<Vec<(String, u64)>> = None;
    let mut changed = false;
    let mut words = Vec::with_capacity(terms.words.len());
    for word in &terms.words {
        if known_prefix.exists(params![word])? {
            words.push(word.clone());
            continue;
        }
        if vocabulary.is_none() {
            vocabulary = Some(
                connection
                    .prepare_cached(&format!("SELECT term, doc FROM {table}"))?
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<Result<_, _>>()?,
            );
        }
        let candidates = vocabulary
            .iter()
            .flatten()
            .map(|(term, documents)| (term.as_str(), *documents));
        match closest_word(word, candidates) {
            Some(correction) => {
                changed = true;
                words.push(correction);
            }
            None => words.push(word.clone()),
        }
    }
    Ok(changed.then_some(SearchTerms { words }))
}
