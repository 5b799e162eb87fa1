-- Linkarr's first schema: what Overseerr sent, what it asked for, and the user's settings.
-- Timestamps are ISO-8601 UTC text so `sqlite3 linkarr.db` shows them readably and they sort.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- One row per media request Linkarr has taken on. `dedupe_key` is how a repeat of the same
-- request (Overseerr re-sends MEDIA_APPROVED on every edit, then MEDIA_AVAILABLE) is recognised.
CREATE TABLE requests (
    id                   INTEGER PRIMARY KEY,
    dedupe_key           TEXT NOT NULL UNIQUE,
    overseerr_request_id INTEGER,
    media_type           TEXT NOT NULL CHECK (media_type IN ('movie', 'tv')),
    tmdb_id              INTEGER NOT NULL CHECK (tmdb_id > 0),
    tvdb_id              INTEGER,
    is_4k                INTEGER NOT NULL DEFAULT 0 CHECK (is_4k IN (0, 1)),
    -- JSON array of season numbers; NULL means every aired season.
    requested_seasons    TEXT,
    subject              TEXT NOT NULL DEFAULT '',
    requested_by         TEXT NOT NULL DEFAULT '',
    state                TEXT NOT NULL DEFAULT 'received' CHECK (state IN (
                             'received', 'metadata', 'searching', 'adding', 'downloading', 'ready',
                             'waiting', 'not_found', 'failed', 'cancelled')),
    created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- Every webhook that passed authentication, with its raw body, so nothing Overseerr sent is
-- ever lost, including the ones Linkarr ignored or could not use.
CREATE TABLE webhooks (
    id                INTEGER PRIMARY KEY,
    received_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    notification_type TEXT NOT NULL,
    subject           TEXT NOT NULL,
    outcome           TEXT NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'ignored', 'rejected')),
    detail            TEXT NOT NULL,
    request_id        INTEGER REFERENCES requests (id) ON DELETE SET NULL,
    raw_body          TEXT NOT NULL
) STRICT;

-- "Overseerr connected" is the last test notification; every other read goes by id.
CREATE INDEX webhooks_test_notifications ON webhooks (received_at)
    WHERE notification_type = 'TEST_NOTIFICATION';
