// An EventSource that reconnects with backoff. The browser's own retry keeps hammering a
// stream that answers 401, and gives up for good on some errors; this one closes on any
// error and opens again after 1 s, 2 s, 4 s … up to 30 s.

import { eventsUrl } from "./api";

export type StreamStatus = "connecting" | "live" | "reconnecting";

export interface StreamOptions {
  /** Listener path, e.g. "/api/v1/events". */
  path: string;
  /** SSE event names to listen for; each data payload is handed over as text. */
  events: string[];
  onEvent: (name: string, data: string) => void;
  onStatus: (status: StreamStatus) => void;
}

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

export class ReconnectingStream {
  private source: EventSource | null = null;
  private timer: number | null = null;
  private delay = MIN_DELAY_MS;
  private stopped = true;

  constructor(private readonly options: StreamOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.source?.close();
    this.source = null;
  }

  /** Reconnects at once (e.g. right after logging in), forgetting the backoff. */
  restart(): void {
    this.stop();
    this.delay = MIN_DELAY_MS;
    this.start();
  }

  private open(): void {
    const { path, events, onEvent, onStatus } = this.options;
    const source = new EventSource(eventsUrl(path), { withCredentials: true });
    this.source = source;
    source.onopen = () => {
      this.delay = MIN_DELAY_MS;
      onStatus("live");
    };
    source.onerror = () => {
      source.close();
      if (this.source !== source || this.stopped) return;
      this.source = null;
      onStatus("reconnecting");
      this.timer = window.setTimeout(() => {
        this.timer = null;
        if (!this.stopped) this.open();
      }, this.delay);
      this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    };
    for (const name of events) {
      source.addEventListener(name, (event) => onEvent(name, (event as MessageEvent<string>).data));
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
  }
}
