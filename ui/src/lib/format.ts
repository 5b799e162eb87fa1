// How times, sizes and names are shown. All times are the viewer's local clock.

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "14:05" (local time, in the locale's style); with seconds "14:05:09". "—" when unknown. */
export function clock(iso: string | null | undefined, seconds = false): string {
  const d = parse(iso);
  if (!d) return "—";
  // "numeric": 14:05 where the locale uses a 24-hour clock, 2:05 PM where it does not.
  return d.toLocaleTimeString([], {
    hour: "numeric",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
  });
}

/** "14:05" today, "Yesterday 14:05", else "28 Nov 14:05" (year added when not this year). */
export function dateTime(iso: string | null | undefined, now: Date = new Date()): string {
  const d = parse(iso);
  if (!d) return "—";
  const time = clock(iso);
  if (d.toDateString() === now.toDateString()) return time;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (d.toDateString() === yesterday.toDateString()) return `Yesterday ${time}`;
  const date = d.toLocaleDateString([], {
    day: "numeric",
    month: "short",
    ...(d.getFullYear() !== now.getFullYear() ? { year: "numeric" } : {}),
  });
  return `${date} ${time}`;
}

/** The full local date and time, for tooltips. */
export function fullDateTime(iso: string | null | undefined): string {
  const d = parse(iso);
  return d ? d.toLocaleString() : "";
}

/** "just now", "42 s ago", "3 min ago", "5 h ago", "yesterday", "4 days ago", or a date. */
export function relative(iso: string | null | undefined, now: number = Date.now()): string {
  const d = parse(iso);
  if (!d) return "—";
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 10) return "just now"; // also absorbs small clock skew (negative s)
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ago`;
  const days = Math.floor(h / 24);
  if (days < 7) return days === 1 ? "yesterday" : `${days} days ago`;
  return d.toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" });
}

/** The future counterpart: "in 42 s", "in 5 min", "in 3 h", "tomorrow", "now" once due. */
export function until(iso: string | null | undefined, now: number = Date.now()): string {
  const d = parse(iso);
  if (!d) return "—";
  const s = Math.round((d.getTime() - now) / 1000);
  if (s < 5) return "now";
  if (s < 60) return `in ${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `in ${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return `in ${h} h`;
  const days = Math.floor(h / 24);
  return days === 1 ? "tomorrow" : `in ${days} days`;
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** "1.4 GB", "820 MB", "—" when unknown. Decimal units, as torrent sites show them. */
export function size(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** "1 h 52 min", "48 min". */
export function runtime(minutes: number | null | undefined): string {
  if (!minutes || minutes <= 0) return "";
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? (m ? `${h} h ${m} min` : `${h} h`) : `${m} min`;
}

/** "1 request", "3 requests". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Request states in words: "not_found" → "Not found". */
export function stateLabel(state: string): string {
  const text = state.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const TYPE_LABELS: Record<string, string> = {
  MEDIA_AUTO_APPROVED: "Auto-approved",
  TEST_NOTIFICATION: "Test notification",
};

/** Overseerr's notification types in words: MEDIA_APPROVED → "Media approved". */
export function notificationLabel(type: string): string {
  if (!type) return "Unknown";
  const known = TYPE_LABELS[type];
  if (known) return known;
  const text = type.toLowerCase().replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "S01E04", "S02", or "" for a movie. */
export function episodeCode(season: number | null, episode: number | null): string {
  if (season === null) return "";
  const s = `S${String(season).padStart(2, "0")}`;
  return episode === null ? s : `${s}E${String(episode).padStart(2, "0")}`;
}
