// The Requests card: what the listener's pipeline is doing with each
// Overseerr request. Rows are keyed by id and updated in place, so posters
// don't reload and the list doesn't jump on every refresh.
//
// Titles, reasons and user names come from Overseerr/TMDb: textContent only.

import type { RequestItem, RequestList } from "./api";
import { clear, h } from "./dom";
import { fullTime, relativeTime, untilTime } from "./format";

const STATE_LABELS: Record<string, string> = {
  received: "Received",
  metadata: "Fetching details",
  searching: "Searching",
  adding: "Adding",
  downloading: "Downloading",
  ready: "Ready",
  waiting: "Waiting",
  not_found: "Not found",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** Colour family of each state's badge. */
const STATE_TONES: Record<string, string> = {
  received: "busy",
  metadata: "busy",
  searching: "busy",
  adding: "busy",
  downloading: "busy",
  ready: "ok",
  waiting: "wait",
  not_found: "wait",
  failed: "bad",
  cancelled: "off",
};

export function stateLabel(state: string): string {
  const known = STATE_LABELS[state];
  if (known) return known;
  if (!state) return "Unknown";
  const words = state.replace(/[_\s]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface RequestsCard {
  root: HTMLElement;
  /** New data from the listener. */
  update(list: RequestList): void;
  /** Re-render times ("next try in 5 min") from the data already shown. */
  tick(): void;
  /** A failed load: shown in place of the list, or under it when data is shown. */
  showError(message: string | null): void;
  /** Back to the first-load spinner (token change). */
  reset(): void;
  /** Whether live updates are flowing. */
  setLive(live: boolean): void;
}

interface Row {
  li: HTMLLIElement;
  poster: HTMLDivElement;
  glyph: SVGSVGElement;
  glyphKind: string;
  img: HTMLImageElement | null;
  title: HTMLSpanElement;
  year: HTMLSpanElement;
  meta: HTMLDivElement;
  note: HTMLParagraphElement;
  badge: HTMLSpanElement;
  time: HTMLTimeElement;
  item: RequestItem;
}

export function createRequestsCard(): RequestsCard {
  const count = h("span", { class: "q-count" });
  const live = h("span", { class: "q-live", text: "Live" });
  live.title = "Updates arrive as they happen";
  live.hidden = true;

  const list = h("ul", { class: "q-list" });
  const loading = h(
    "div",
    { class: "q-loading" },
    h("span", { class: "spinner", attrs: { "aria-hidden": "true" } }),
    h("span", { text: "Loading requests…" }),
  );
  const empty = h("p", {
    class: "empty",
    text: "No requests yet. Approve something in Overseerr and it shows up here.",
  });
  const error = h("p", { class: "q-error", attrs: { role: "status" } });

  const root = h(
    "section",
    { class: "card requests", attrs: { "aria-labelledby": "requests-title" } },
    h(
      "div",
      { class: "card-head" },
      h("h2", { text: "Requests", attrs: { id: "requests-title" } }),
      h("div", { class: "q-head-side" }, count, live),
    ),
    loading,
    list,
    empty,
    error, // under the list, so a failed refresh doesn't push rows around
  );

  const rows = new Map<number, Row>();
  let loaded = false;

  function layout(): void {
    const hasError = !error.hidden;
    loading.hidden = loaded || hasError;
    list.hidden = !loaded || rows.size === 0;
    empty.hidden = !loaded || rows.size > 0;
  }

  function update(data: RequestList): void {
    loaded = true;
    const seen = new Set<number>();
    data.items.forEach((item, i) => {
      seen.add(item.id);
      let row = rows.get(item.id);
      if (!row) {
        row = createRow(item);
        rows.set(item.id, row);
      }
      fillRow(row, item);
      // Keep DOM order equal to the listener's (newest first) with few moves.
      if (list.children[i] !== row.li) list.insertBefore(row.li, list.children[i] ?? null);
    });
    for (const [id, row] of rows) {
      if (!seen.has(id)) {
        row.li.remove();
        rows.delete(id);
      }
    }
    const shown = data.items.length;
    count.textContent = data.total > shown ? `Showing ${shown} of ${data.total.toLocaleString()}` : "";
    error.hidden = true;
    error.textContent = "";
    layout();
  }

  function tick(): void {
    for (const row of rows.values()) fillTimes(row);
  }

  function showError(message: string | null): void {
    error.hidden = message === null;
    error.textContent = message ?? "";
    error.classList.toggle("q-error-inline", loaded);
    layout();
  }

  function reset(): void {
    loaded = false;
    rows.clear();
    clear(list);
    count.textContent = "";
    error.hidden = true;
    setLive(false);
    layout();
  }

  function setLive(on: boolean): void {
    live.hidden = !on;
  }

  reset();
  return { root, update, tick, showError, reset, setLive };
}

// --- Rows ------------------------------------------------------------------------

function createRow(item: RequestItem): Row {
  const glyphKind = glyphFor(item);
  const glyph = posterGlyph(glyphKind);
  const poster = h("div", { class: "q-poster", attrs: { "aria-hidden": "true" } });
  poster.append(glyph);
  const title = h("span", { class: "q-title" });
  const year = h("span", { class: "q-year" });
  const meta = h("div", { class: "q-meta" });
  const note = h("p", { class: "q-note" });
  const badge = h("span", { class: "q-badge" });
  const time = h("time", { class: "q-time" });
  const li = h(
    "li",
    { class: "q-row" },
    poster,
    h("div", { class: "q-main" }, h("div", { class: "q-title-line" }, title, year), meta, note),
    h("div", { class: "q-side" }, badge, time),
  );
  return { li, poster, glyph, glyphKind, img: null, title, year, meta, note, badge, time, item };
}

function glyphFor(item: RequestItem): string {
  return item.media_type === "tv" ? "tv" : "film";
}

function fillRow(row: Row, item: RequestItem): void {
  row.item = item;
  row.li.dataset.state = item.state;

  // Poster: the glyph stays underneath and shows while loading or on failure.
  const kind = glyphFor(item);
  if (kind !== row.glyphKind) {
    const g = posterGlyph(kind);
    row.glyph.replaceWith(g);
    row.glyph = g;
    row.glyphKind = kind;
  }
  if (item.poster_url) {
    if (!row.img) {
      const img = h("img", {
        class: "q-img",
        attrs: { alt: "", loading: "lazy", decoding: "async", referrerpolicy: "no-referrer" },
      });
      img.addEventListener("error", () => {
        img.hidden = true;
      });
      row.poster.append(img);
      row.img = img;
    }
    if (row.img.getAttribute("src") !== item.poster_url) {
      row.img.hidden = false;
      row.img.src = item.poster_url;
    }
  } else if (row.img) {
    row.img.remove();
    row.img = null;
  }

  // Title and year. Before TMDb answers, the title is Overseerr's subject,
  // which usually carries the year already: "The Matrix (1999)".
  const title = item.title.trim();
  const fallback = item.tmdb_id ? `TMDb #${item.tmdb_id}` : `Request #${item.overseerr_request_id}`;
  row.title.textContent = title || fallback;
  row.title.title = title || fallback;
  row.title.classList.toggle("q-title-fallback", !title);
  const year = item.year !== null && !title.endsWith(`(${item.year})`) ? String(item.year) : "";
  row.year.textContent = year;
  row.year.hidden = !year;

  // Meta line: Movie · 4K · Seasons 1, 2 · Requested by friend
  clear(row.meta);
  row.meta.append(
    h(
      "span",
      { class: "q-kind" },
      item.media_type === "tv" ? "Series" : "Movie",
      item.is_4k ? h("span", { class: "q-4k", text: "4K" }) : null,
    ),
  );
  const seasons = item.requested_seasons;
  if (seasons && seasons.length > 0) {
    row.meta.append(
      h("span", {
        class: "q-seasons",
        text: `${seasons.length === 1 ? "Season" : "Seasons"} ${seasons.join(", ")}`,
      }),
    );
  }
  if (item.requested_by) {
    row.meta.append(h("span", { class: "q-by", text: `Requested by ${item.requested_by}` }));
  }

  // Badge
  const tone = STATE_TONES[item.state] ?? "off";
  row.badge.className = `q-badge q-tone-${tone}`;
  row.badge.textContent = stateLabel(item.state);

  fillTimes(row);
}

/** The parts that change with the clock: the note's "next try" and the row's age. */
function fillTimes(row: Row): void {
  const item = row.item;
  clear(row.note);
  const reason = item.reason.trim();
  if (item.state === "downloading" && item.progress !== null) {
    const percent = Math.max(0, Math.min(100, item.progress));
    row.note.append(
      h("progress", {
        class: "q-progress",
        attrs: { max: "100", value: percent.toFixed(0), "aria-label": `${percent.toFixed(0)}% downloaded` },
      }),
    );
  }
  if (reason) row.note.append(h("span", { class: "q-reason", text: reason }));
  if (item.next_attempt_at) {
    const next = h("span", { class: "q-next", text: `next try ${untilTime(item.next_attempt_at)}` });
    next.title = fullTime(item.next_attempt_at);
    row.note.append(next);
  }
  row.note.hidden = !row.note.firstChild;
  row.note.classList.toggle("q-note-bad", item.state === "failed");

  const at = item.updated_at || item.created_at;
  row.time.textContent = at ? relativeTime(at) : "";
  row.time.hidden = !at;
  if (at) {
    row.time.dateTime = at;
    row.time.title = `Updated ${fullTime(at)}\nRequested ${fullTime(item.created_at)}`;
  }
}

// --- Placeholder glyphs (inline SVG, no external assets) -------------------------

const SVG_NS = "http://www.w3.org/2000/svg";

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string>,
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function posterGlyph(kind: string): SVGSVGElement {
  const root = svg("svg", {
    class: "q-glyph",
    viewBox: "0 0 24 24",
    fill: "none",
    stroke: "currentColor",
    "stroke-width": "1.6",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
    focusable: "false",
  });
  if (kind === "tv") {
    // Screen on a small stand, with antennas.
    root.append(
      svg("rect", { x: "3", y: "7", width: "18", height: "12", rx: "2" }),
      svg("path", { d: "M8.5 3 12 7l3.5-4" }),
      svg("path", { d: "M9 22h6" }),
    );
  } else {
    // A film strip: frame with sprocket holes on both sides.
    root.append(
      svg("rect", { x: "4", y: "3", width: "16", height: "18", rx: "2" }),
      svg("path", { d: "M8 3v18M16 3v18M4 8h4M4 12h4M4 16h4M16 8h4M16 12h4M16 16h4" }),
    );
  }
  return root;
}
