-- Live help (issue #16, section 2): chats between a kiosk session and the
-- staff of its centre. No citizen identity: a logged-in citizen's alias is
-- kept as text (how staff see them), never the account. Transcripts are
-- deleted `retention.chat_days` after their last message (housekeeping).

CREATE TABLE help_conversations (
    id         BLOB PRIMARY KEY,
    centre_id  INTEGER NOT NULL REFERENCES centres (id) ON DELETE CASCADE,
    kiosk_id   BLOB NOT NULL REFERENCES kiosks (id) ON DELETE CASCADE,
    alias      TEXT,
    opened_at  INTEGER NOT NULL,
    last_at    INTEGER NOT NULL,
    ended_at   INTEGER,
    -- 'citizen', or the staff member's name.
    ended_by   TEXT
) WITHOUT ROWID;

CREATE INDEX help_conversations_open ON help_conversations (centre_id, ended_at);
CREATE INDEX help_conversations_by_kiosk ON help_conversations (kiosk_id, ended_at);
CREATE INDEX help_conversations_by_last ON help_conversations (last_at);

CREATE TABLE help_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id BLOB NOT NULL REFERENCES help_conversations (id) ON DELETE CASCADE,
    at              INTEGER NOT NULL,
    -- NULL: the citizen; else the staff member's name.
    staff           TEXT,
    text            TEXT NOT NULL
);

CREATE INDEX help_messages_by_conversation ON help_messages (conversation_id, id);
