// Keeping the last lines in order without duplicates: the first load and the live stream
// overlap, and a reconnect loads again.

import type { LogLine } from "../../lib/types";

export const MAX_LINES = 2000;

export const LEVELS = ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"] as const;
export type Level = (typeof LEVELS)[number];

/** ERROR = 0 … TRACE = 4; unknown levels count as INFO. */
export function levelRank(level: string): number {
  const rank = LEVELS.indexOf(level.toUpperCase() as Level);
  return rank === -1 ? 2 : rank;
}

/** `current` plus `incoming`, by seq, without repeats, the newest MAX_LINES. */
export function mergeLines(current: LogLine[], incoming: LogLine[]): LogLine[] {
  if (incoming.length === 0) return current;
  const last = current.length ? current[current.length - 1].seq : -Infinity;
  let merged: LogLine[];
  if (incoming.every((line, i) => line.seq > (i ? incoming[i - 1].seq : last))) {
    merged = current.concat(incoming); // the usual case: newer lines, in order
  } else {
    const bySeq = new Map<number, LogLine>();
    for (const line of current) bySeq.set(line.seq, line);
    for (const line of incoming) bySeq.set(line.seq, line);
    merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
  return merged.length > MAX_LINES ? merged.slice(merged.length - MAX_LINES) : merged;
}
