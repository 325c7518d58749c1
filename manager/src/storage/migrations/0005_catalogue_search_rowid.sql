-- Catalogue search rows keyed by rowid (record key * 8 + language index)
-- instead of an unindexed `record_key` column, which made every write scan
-- the index. The index is derived data: the tables are rebuilt empty here
-- and refilled from catalogue_records when the manager opens the database
-- (plaza_catalogue::store::reindex_if_empty).

DROP TABLE procedures_words;
DROP TABLE tenders_words;
DROP TABLE networks_words;
DROP TABLE procedures_search;
DROP TABLE tenders_search;
DROP TABLE networks_search;

CREATE VIRTUAL TABLE procedures_search USING fts5 (
    title, body, lang UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE tenders_search USING fts5 (
    title, body, lang UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE networks_search USING fts5 (
    title, body, lang UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE procedures_words USING fts5vocab (procedures_search, 'row');
CREATE VIRTUAL TABLE tenders_words USING fts5vocab (tenders_search, 'row');
CREATE VIRTUAL TABLE networks_words USING fts5vocab (networks_search, 'row');
