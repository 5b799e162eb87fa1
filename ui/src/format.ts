// Formatting of times and webhook types for display.

function parse(iso: string): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "2 days ago", or a date. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const d = parse(iso);
  if (!d) return "at an unknown time";
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 10) return "just now"; // also absorbs small clock skew
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const hrs = Math.floor(m / 60);
  if (hrs < 24) return `${hrs} h ago`;
  const days = Math.floor(hrs / 24);
  if (days < 7) return days === 1 ? "yesterday" : `${days} days ago`;
  return `on ${d.toLocaleDateString()}`;
}

/** The future counterpart: "in 42 s", "in 5 min", "in 3 h", "tomorrow", or "now" once due. */
export function untilTime(iso: string, now: number = Date.now()): string {
  const d = parse(iso);
  if (!d) return "at an unknown time";
  const s = Math.round((d.getTime() - now) / 1000);
  if (s < 5) return "now";
  if (s < 60) return `in ${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `in ${m} min`;
  const hrs = Math.floor(m / 60);
  if (hrs < 24) return `in ${hrs} h`;
  const days = Math.floor(hrs / 24);
  if (days < 7) return days === 1 ? "tomorrow" : `in ${days} days`;
  return `on ${d.toLocaleDateString()}`;
}

/** Clock time, e.g. "09:32:21" (locale style). */
export function clockTime(iso: string, seconds = true): string {
  const d = parse(iso);
  if (!d) return "—";
  return d.toLocaleTimeString([], seconds
    ? { hour: "2-digit", minute: "2-digit", second: "2-digit" }
    : { hour: "2-digit", minute: "2-digit" });
}

/** null for today, else "Yesterday" or a short date such as "Nov 28". */
export function dayLabel(iso: string, now: Date = new Date()): string | null {
  const d = parse(iso);
  if (!d || d.toDateString() === now.toDateString()) return null;
  const y = new Date(now);
  y.setDate(now.getDate() - 1);
  if (d.toDateString() === y.toDateString()) return "Yesterday";
  return d.toLocaleDateString([], { month: "short", day: "numeric" });
}

export function fullTime(iso: string): string {
  const d = parse(iso);
  return d ? d.toLocaleString() : iso;
}

const TYPE_LABELS: Record<string, string> = {
  MEDIA_AUTO_APPROVED: "Media Automatically Approved",
  TEST_NOTIFICATION: "Test Notification",
};

/** MEDIA_APPROVED -> "Media Approved" (Overseerr's own wording). */
export function typeLabel(type: string): string {
  if (!type) return "Unknown type";
  const known = TYPE_LABELS[type];
  if (known) return known;
  return type
    .toLowerCase()
    .split(/[_\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}
