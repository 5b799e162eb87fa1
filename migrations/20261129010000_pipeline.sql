-- The ingest pipeline: the library it fills, the durable job queue that drives it, and the
-- story of every request.

-- The library: one item per title. Movie 603 and TV 603 are different titles.
CREATE TABLE media_items (
    id             INTEGER PRIMARY KEY,
    media_type     TEXT NOT NULL CHECK (media_type IN ('movie', 'tv')),
    tmdb_id        INTEGER NOT NULL CHECK (tmdb_id > 0),
    title          TEXT NOT NULL,
    original_title TEXT NOT NULL DEFAULT '',
    year           INTEGER,
    overview       TEXT NOT NULL DEFAULT '',
    runtime        INTEGER,
    genres         TEXT NOT NULL DEFAULT '[]', -- JSON array of genre names
    rating         REAL,
    -- TMDb image *paths* ("/abc.jpg"); URLs are built once, from TMDb's configuration.
    poster_path    TEXT,
    backdrop_path  TEXT,
    imdb_id        TEXT,
    tvdb_id        INTEGER,
    is_available   INTEGER NOT NULL DEFAULT 0 CHECK (is_available IN (0, 1)),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (media_type, tmdb_id)
) STRICT;

CREATE TABLE seasons (
    id            INTEGER PRIMARY KEY,
    media_item_id INTEGER NOT NULL REFERENCES media_items (id) ON DELETE CASCADE,
    season_number INTEGER NOT NULL CHECK (season_number >= 0),
    name          TEXT NOT NULL DEFAULT '',
    air_date      TEXT,
    poster_path   TEXT,
    UNIQUE (media_item_id, season_number)
) STRICT;

CREATE TABLE episodes (
    id             INTEGER PRIMARY KEY,
    season_id      INTEGER NOT NULL REFERENCES seasons (id) ON DELETE CASCADE,
    episode_number INTEGER NOT NULL,
    name           TEXT NOT NULL DEFAULT '',
    air_date       TEXT,
    runtime        INTEGER,
    still_path     TEXT,
    UNIQUE (season_id, episode_number)
) STRICT;

ALTER TABLE requests ADD COLUMN media_item_id INTEGER REFERENCES media_items (id) ON DELETE SET NULL;
-- Why the request waits or failed, in words, and when it is tried next.
ALTER TABLE requests ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN next_attempt_at TEXT;

-- The work queue. A request has at most one open job; a restart resumes it.
CREATE TABLE jobs (
    id              INTEGER PRIMARY KEY,
    request_id      INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    -- The pipeline step to run: 'metadata' so far (later steps add their own names).
    step            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'running', 'blocked', 'done', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    -- What a blocked job waits for (a setting to change), e.g. 'tmdb_key'.
    blocked_on      TEXT,
    last_error      TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

CREATE UNIQUE INDEX jobs_one_open_per_request ON jobs (request_id)
    WHERE state IN ('queued', 'running', 'blocked');
CREATE INDEX jobs_due ON jobs (next_attempt_at) WHERE state = 'queued';

-- Every state change of a request, with a message a person can read.
CREATE TABLE request_events (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    state      TEXT NOT NULL,
    message    TEXT NOT NULL
) STRICT;

CREATE INDEX request_events_by_request ON request_events (request_id, id);

-- Requests that arrived before the pipeline existed start it now.
INSERT INTO jobs (request_id, step) SELECT id, 'metadata' FROM requests WHERE state = 'received';
INSERT INTO request_events (request_id, at, state, message)
    SELECT id, created_at, 'received', 'Received from Overseerr' FROM requests;
