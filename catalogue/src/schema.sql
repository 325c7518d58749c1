-- Catalogues: procedures, tenders, networks. The same tables in the
-- manager's database (migration 0002) and in the kiosk's offline copy, so
-- both search with the same SQL.

-- Every record of every catalogue, as canonical JSON, with the facets it is
-- filtered by and the content version in which it last changed.
CREATE TABLE catalogue_records (
    key INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('procedures', 'tenders', 'networks')),
    id TEXT NOT NULL,
    slug TEXT,
    category TEXT NOT NULL,
    status TEXT,
    -- Folded title in Spanish, for listing in a stable order.
    sort_title TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (kind, id)
);
CREATE UNIQUE INDEX catalogue_records_slug ON catalogue_records (kind, slug) WHERE slug IS NOT NULL;
CREATE INDEX catalogue_records_version ON catalogue_records (version);
CREATE INDEX catalogue_records_listing ON catalogue_records (kind, category, sort_title);

-- Removed records, so an incremental sync can tell kiosks to drop them.
CREATE TABLE catalogue_deletions (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE INDEX catalogue_deletions_version ON catalogue_deletions (version);

-- One row per record and language (a missing language indexed with the
-- Spanish text, so search falls back like display). One table per kind so a
-- search only ranks its own catalogue. The rowid is
-- catalogue_records.key * 8 + the language's index, so a record's rows are
-- found and replaced by rowid, never by scanning.
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

-- Each index's words with their document counts: the typo fallback's dictionary.
CREATE VIRTUAL TABLE procedures_words USING fts5vocab (procedures_search, 'row');
CREATE VIRTUAL TABLE tenders_words USING fts5vocab (tenders_search, 'row');
CREATE VIRTUAL TABLE networks_words USING fts5vocab (networks_search, 'row');
