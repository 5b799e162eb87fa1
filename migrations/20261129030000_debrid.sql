-- Real-Debrid: the torrents Linkarr added for each request, the files it streams, and the
-- torrents it will not try again.

-- Recorded the moment RD gives an id, so a restart reuses the torrent instead of adding it
-- twice (RD would keep both).
CREATE TABLE rd_torrents (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    info_hash   TEXT NOT NULL,
    rd_id       TEXT NOT NULL UNIQUE,
    -- 1: Linkarr added it for this request, and may delete it; 0: it was on the account
    -- already (the user's own, or another request's), and is never deleted.
    added       INTEGER NOT NULL CHECK (added IN (0, 1)),
    -- RD's status as last seen, and its download progress (0-100) while it downloads.
    status      TEXT NOT NULL DEFAULT 'added',
    progress    REAL NOT NULL DEFAULT 0,
    speed       INTEGER,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE INDEX rd_torrents_by_request ON rd_torrents (request_id, info_hash);

-- One stream per movie, or per episode. References only: the URL to play is asked of RD at
-- play time (`/play/{play_token}`), so it never goes stale.
CREATE TABLE library_files (
    id              INTEGER PRIMARY KEY,
    media_item_id   INTEGER NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    request_id      INTEGER REFERENCES requests (id) ON DELETE SET NULL,
    season_number   INTEGER,
    episode_number  INTEGER,
    info_hash       TEXT NOT NULL,
    rd_torrent_id   TEXT NOT NULL,
    rd_file_id      INTEGER NOT NULL,
    path            TEXT NOT NULL,
    size_bytes      INTEGER NOT NULL,
    restricted_link TEXT NOT NULL,
    resolution      TEXT,
    quality         TEXT,
    -- Unguessable: a play URL can be handed to a player without the management token.
    play_token      TEXT NOT NULL UNIQUE,
    -- Why it no longer plays, until it is repaired.
    broken          TEXT,
    added_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE UNIQUE INDEX library_files_one_per_video
    ON library_files (media_item_id, coalesce(season_number, -1), coalesce(episode_number, -1));

-- While Real-Debrid downloads a request's torrent: how far along it is (0-100).
ALTER TABLE requests ADD COLUMN progress REAL;

-- Torrents not to try again, and why ("filtered by Real-Debrid", "dead").
CREATE TABLE blocked_hashes (
    info_hash TEXT PRIMARY KEY,
    reason    TEXT NOT NULL,
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
