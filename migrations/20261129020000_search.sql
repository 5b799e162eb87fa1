-- Searching: the other names a title goes by, and what each search found and thought of it.

-- JSON array of TMDb's alternative titles ("Matrix" for The Matrix in Germany), for matching
-- release names.
ALTER TABLE media_items ADD COLUMN alternative_titles TEXT NOT NULL DEFAULT '[]';

-- The torrents the last search of a request found: the kept ones in the order they are to be
-- tried, the rejected ones with the reason. A new search replaces them.
CREATE TABLE candidates (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    -- 1 = try first; NULL when rejected.
    position    INTEGER,
    info_hash   TEXT NOT NULL CHECK (length(info_hash) = 40),
    title       TEXT NOT NULL,
    file_name   TEXT,
    size_bytes  INTEGER,
    seeders     INTEGER,
    sources     TEXT NOT NULL DEFAULT '[]', -- JSON array of source names
    resolution  TEXT,
    quality     TEXT,
    score       INTEGER NOT NULL,
    -- TV: the wanted episodes it holds, JSON [[season, episode], …]; a pack holds seasons.
    covers      TEXT NOT NULL DEFAULT '[]',
    is_pack     INTEGER NOT NULL DEFAULT 0 CHECK (is_pack IN (0, 1)),
    rejection   TEXT,
    -- The parsed release name (the `linkarr release parse` fields), for "why?".
    parsed      TEXT NOT NULL DEFAULT '{}',
    found_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (request_id, info_hash),
    CHECK ((position IS NULL) = (rejection IS NOT NULL))
) STRICT;

CREATE INDEX candidates_by_request ON candidates (request_id, position);
