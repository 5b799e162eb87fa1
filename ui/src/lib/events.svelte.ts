// The one shared stream of live updates: GET /api/v1/events.
//
//   subscribe("request", (e) => …)   a request changed state
//   subscribe("webhook", (e) => …)   a webhook was recorded
//   onResync(() => reload())         anything may have been missed: reload your data
//
// Download progress has no event of its own: it comes as `request` events in state
// `downloading`; reload the request to read its `progress`.
//
// `onResync` fires on `lagged`, after a reconnect, and every POLL_MS while the stream is
// down (the polling fallback). It is debounced, so a burst calls each listener once.

import { ReconnectingStream, type StreamStatus } from "./stream";
import type { RequestEvent, WebhookEvent } from "./types";

export interface LiveEventMap {
  request: RequestEvent;
  webhook: WebhookEvent;
  /** How many events were missed (reload instead). */
  lagged: number;
}

export type LiveEventName = keyof LiveEventMap;

const NAMES: LiveEventName[] = ["request", "webhook", "lagged"];
const POLL_MS = 15_000;
const RESYNC_DEBOUNCE_MS = 300;

class LiveState {
  /** "connecting" until the first open, then "live" or "reconnecting". */
  status: StreamStatus = $state("connecting");
}

/** `live.status`: show "live" / "reconnecting". */
export const live = new LiveState();

type Handler<K extends LiveEventName> = (data: LiveEventMap[K]) => void;
const handlers: { [K in LiveEventName]: Set<Handler<K>> } = {
  request: new Set(),
  webhook: new Set(),
  lagged: new Set(),
};
const resyncHandlers = new Set<() => void>();

let resyncTimer: number | null = null;
function resyncSoon(): void {
  if (resyncTimer !== null) return;
  resyncTimer = window.setTimeout(() => {
    resyncTimer = null;
    for (const fn of resyncHandlers) fn();
  }, RESYNC_DEBOUNCE_MS);
}

let pollTimer: number | null = null;
let everLive = false;

function setStatus(status: StreamStatus): void {
  const wasDown = live.status !== "live";
  live.status = status;
  if (status === "live") {
    if (pollTimer !== null) window.clearInterval(pollTimer);
    pollTimer = null;
    // Back after a gap: whatever happened meanwhile was not streamed to us.
    if (wasDown && everLive) resyncSoon();
    everLive = true;
  } else if (pollTimer === null) {
    pollTimer = window.setInterval(resyncSoon, POLL_MS);
  }
}

function dispatch(name: string, text: string): void {
  if (name === "lagged") {
    const missed = Number(text);
    for (const fn of handlers.lagged) fn(Number.isFinite(missed) ? missed : 0);
    resyncSoon();
    return;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return; // a malformed event is not worth breaking the page for
  }
  const set = handlers[name as LiveEventName] as Set<(d: unknown) => void> | undefined;
  if (set) for (const fn of set) fn(data);
}

const stream = new ReconnectingStream({
  path: "/api/v1/events",
  events: NAMES,
  onEvent: dispatch,
  onStatus: setStatus,
});

/** Listens for one event type; returns the unsubscribe function (use it in $effect cleanup). */
export function subscribe<K extends LiveEventName>(name: K, fn: Handler<K>): () => void {
  stream.start();
  handlers[name].add(fn);
  return () => {
    handlers[name].delete(fn);
  };
}

/** Called when data may be stale (see top). Returns the unsubscribe function. */
export function onResync(fn: () => void): () => void {
  stream.start();
  resyncHandlers.add(fn);
  return () => {
    resyncHandlers.delete(fn);
  };
}

/** Opens the stream (the shell calls this so the indicator is right from the start). */
export function startLiveEvents(): void {
  stream.start();
}

/** Reconnects now, e.g. after logging in. */
export function restartLiveEvents(): void {
  stream.restart();
}
