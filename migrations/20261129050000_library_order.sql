-- The library's grid lists the titles ready to stream, newest first: one index walks them in
-- that order, so the first page of thousands is read without sorting them all.
CREATE INDEX media_items_ready_newest ON media_items (is_available, created_at DESC, id DESC);
