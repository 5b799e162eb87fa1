// What the library grid shows, kept at module level: going to a title and back finds the
// same search, the pages already loaded and the scroll position.

import { errorText } from "../../lib/api";
import type { LibrarySort, Title } from "../../lib/types";
import { fetchPage, type LibraryQuery, type MediaFilter } from "./library-api";

class LibraryBrowser {
  q = $state("");
  mediaType: MediaFilter = $state("all");
  sort: LibrarySort = $state("added");

  /** Raw: 5,000 titles must not each become a deep proxy. */
  items: Title[] = $state.raw([]);
  total = $state(0);
  loading = $state(false);
  /** The first page has arrived for the current query. */
  loaded = $state(false);
  error: string | null = $state(null);
  /** A new query is loading; the old titles stay on screen (dimmed) until it answers. */
  replacing = $state(false);
  /** Something became ready since the list was loaded. */
  stale = $state(false);
  /** Where the page was scrolled when the user left it. */
  scrollY = 0;

  done = $derived(this.loaded && !this.replacing && this.items.length >= this.total);

  private generation = 0;
  private seen = new Set<number>();

  private wanted(): LibraryQuery {
    return { q: this.q, mediaType: this.mediaType, sort: this.sort };
  }

  setQuery(q: string): void {
    if (q === this.q) return;
    this.q = q;
    void this.reload();
  }

  setMediaType(mediaType: MediaFilter): void {
    if (mediaType === this.mediaType) return;
    this.mediaType = mediaType;
    void this.reload();
  }

  setSort(sort: LibrarySort): void {
    if (sort === this.sort) return;
    this.sort = sort;
    void this.reload();
  }

  /** Starts over from the first page (a new query, or new titles). */
  async reload(): Promise<void> {
    this.generation += 1;
    this.replacing = this.items.length > 0;
    if (!this.replacing) this.loaded = false;
    this.stale = false;
    this.scrollY = 0;
    this.loading = false;
    await this.loadMore();
  }

  /** Back on the page with titles kept from before: say so if the library changed since. */
  async checkFresh(): Promise<void> {
    if (!this.loaded || this.loading || this.stale) return;
    const generation = this.generation;
    try {
      const page = await fetchPage(this.wanted(), 0);
      if (generation !== this.generation) return;
      const first = this.items[0]?.id;
      if (page.total !== this.total || page.items[0]?.id !== first) this.stale = true;
    } catch {
      // The next reload will tell.
    }
  }

  /** The next page; answers for an older query are dropped. */
  async loadMore(): Promise<void> {
    if (this.loading || this.done) return;
    const generation = this.generation;
    this.loading = true;
    this.error = null;
    try {
      const page = await fetchPage(this.wanted(), this.replacing ? 0 : this.items.length);
      if (generation !== this.generation) return;
      if (this.replacing) this.seen = new Set();
      // Titles added meanwhile shift the offsets: never show one twice.
      const fresh = page.items.filter((item) => !this.seen.has(item.id));
      for (const item of fresh) this.seen.add(item.id);
      this.items = this.replacing ? fresh : this.items.concat(fresh);
      this.replacing = false;
      // A short page means the end, whatever the total said.
      this.total = page.items.length < page.limit ? this.items.length : page.total;
      this.loaded = true;
    } catch (error) {
      if (generation === this.generation) this.error = errorText(error);
    } finally {
      if (generation === this.generation) this.loading = false;
    }
  }
}

export const library = new LibraryBrowser();
