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
use crate::vocabulary::{self, Words};

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

/// Matches are ranked by bm25 only when there are at most this many. A
/// word found in more of the catalogue tells little about relevance, and
/// ranking every match would cost more than a keystroke is worth (one or
/// two letters typed so far, "dni" in nearly every procedure): such
/// searches take the first matches in index order, which FTS5 reads
/// without visiting the rest.
const RANKED_AT_MOST: u32 = 500;

/// Title matches first, then the rest, up to `search.limit`.
fn ranked<R: Record>(
    connection: &Connection,
    search: &Search,
    expression: &str,
) -> CatalogueResult<Vec<R>> {
    let mut rows = matching::<R>(
        connection,
        search,
        &format!("title : ({expression})"),
        search.limit,
    )?;
    if (rows.len() as u32) < search.limit {
        let seen: std::collections::HashSet<i64> = rows.iter().map(|(key, ..)| *key).collect();
        // Enough to fill the page even if every title match comes back again.
        let more = matching::<R>(
            connection,
            search,
            expression,
            search.limit + rows.len() as u32,
        )?;
        rows.extend(more.into_iter().filter(|(key, ..)| !seen.contains(key)));
        rows.truncate(search.limit as usize);
    }
    rows.into_iter()
        .map(|(_, id, body)| decode(&id, &body))
        .collect()
}

/// Up to `limit` records matching `expression` as (key, id, body), best
/// first when there are few enough to rank.
///
/// The matches are first read in index order, which stops after
/// [`RANKED_AT_MOST`]. Only a bounded set is then ranked: bm25 needs each
/// word's document count, which for a short prefix means reading its whole
/// list. Only the records shown are decoded.
fn matching<R: Record>(
    connection: &Connection,
    search: &Search,
    expression: &str,
    limit: u32,
) -> CatalogueResult<Vec<(i64, String, String)>> {
    let table = search_table(R::KIND);
    let select = |columns: &str, order: &str| {
        format!(
            "SELECT {columns} FROM {table}
             JOIN catalogue_records r ON r.key = {table}.rowid / {ROWS_PER_RECORD}
             WHERE {table} MATCH ?1 AND {table}.lang = ?2
               AND (?3 IS NULL OR r.category = ?3) AND (?4 IS NULL OR r.status = ?4)
             ORDER BY {order} LIMIT ?5"
        )
    };
    let run = |sql: &str, limit: u32| -> CatalogueResult<Vec<i64>> {
        connection
            .prepare_cached(sql)?
            .query_map(
                params![
                    expression,
                    search.language.as_str(),
                    search.filter.category,
                    search.filter.status,
                    limit
                ],
                |row| row.get(0),
            )?
            .collect::<Result<_, _>>()
            .map_err(Into::into)
    };
    let mut keys = run(
        &select("r.key", &format!("{table}.rowid")),
        RANKED_AT_MOST + 1,
    )?;
    if keys.len() as u32 <= RANKED_AT_MOST {
        let rank = format!("bm25({table}, {TITLE_WEIGHT}, {BODY_WEIGHT}), r.sort_title");
        keys = run(&select("r.key", &rank), limit)?;
    }
    keys.truncate(limit as usize);
    let mut record =
        connection.prepare_cached("SELECT id, body FROM catalogue_records WHERE key = ?1")?;
    keys.into_iter()
        .map(|key| {
            let (id, body) =
                record.query_row(params![key], |row| Ok((row.get(0)?, row.get(1)?)))?;
            Ok((key, id, body))
        })
        .collect()
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
    let mut vocabulary: Option<Words> = None;
    let mut changed = false;
    let mut words = Vec::with_capacity(terms.words.len());
    for word in &terms.words {
        if known_prefix.exists(params![word])? {
            words.push(word.clone());
            continue;
        }
        if vocabulary.is_none() {
            vocabulary = Some(vocabulary::words(connection, R::KIND)?);
        }
        let candidates = vocabulary
            .iter()
            .flat_map(|words| words.iter())
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
