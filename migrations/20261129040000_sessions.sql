-- Sign-ins from the login page (the UI in a browser). The cookie carries the id; a session
-- lasts 30 days from its last use and ends on sign-out or when the remote password changes.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    expires_at   TEXT NOT NULL
) STRICT;

-- Library search and sort by title.
CREATE INDEX media_items_title ON media_items (title COLLATE NOCASE);
