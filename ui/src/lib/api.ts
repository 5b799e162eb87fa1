// Talks to the Linkarr listener's HTTP API.
//
// The page is always served by the listener itself, so the API is on the same origin. The
// desktop window gets `window.__LINKARR__ = { apiToken, desktop }` injected before the page
// loads and sends the token as `X-Api-Key`; in a plain browser the session cookie (set by
// POST /api/v1/session) authenticates.

import { navigateToLogin } from "./router";
import type { ErrorBody } from "./types";

export interface ApiConfig {
  /** Where the listener answers, without a trailing slash. */
  apiBase: string;
  /** The API token when the desktop shell gave one; null = cookie session. */
  token: string | null;
  /** Running inside the desktop window. */
  desktop: boolean;
}

function loadConfig(): ApiConfig {
  const injected = window.__LINKARR__;
  const origin = /^https?:\/\//.test(window.location.origin) ? window.location.origin : "";
  const token = typeof injected?.apiToken === "string" && injected.apiToken ? injected.apiToken : null;
  return {
    apiBase: origin,
    token,
    desktop: injected?.desktop === true,
  };
}

export const config: ApiConfig = loadConfig();

/** A failed call. `status` is the HTTP status, or 0 when the listener could not be reached. */
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }

  /** The listener is down or unreachable (no HTTP answer at all). */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

/** The words to show for any thrown value. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}

// Long enough for the calls that talk to Overseerr or Real-Debrid before answering.
const TIMEOUT_MS = 30_000;

/** The listener's own words from an error body, else the status in words. */
async function messageOf(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as Partial<ErrorBody> | null;
    if (body && typeof body.error === "string" && body.error) return body.error;
  } catch {
    // Not JSON: fall through.
  }
  if (res.status === 404 || res.status === 405) {
    return "This Linkarr does not know that yet: it may be older than this page.";
  }
  return res.statusText ? `${res.status} ${res.statusText}` : `The listener answered ${res.status}.`;
}

// The session endpoint answers 401 for a wrong secret: that is the login form's business.
const isSessionPath = (path: string) => path.startsWith("/api/v1/session");

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (config.token) headers["X-Api-Key"] = config.token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const ctrl = new AbortController();
  const timer = window.setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(config.apiBase + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // Cookies only matter without a token (same origin). Cross-origin with "include"
      // would need Access-Control-Allow-Credentials, which the desktop CORS does not send.
      credentials: config.token ? "same-origin" : "include",
      cache: "no-store",
      signal: ctrl.signal,
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "AbortError";
    throw new ApiError(
      0,
      timedOut
        ? "Linkarr took too long to answer."
        : "Linkarr is not reachable. Is it running?",
    );
  } finally {
    window.clearTimeout(timer);
  }
  if (res.status === 401 && path.startsWith("/api/v1") && !isSessionPath(path)) {
    navigateToLogin();
  }
  if (!res.ok) throw new ApiError(res.status, await messageOf(res));
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, "Linkarr's answer was not valid JSON.");
  }
}

export const api = {
  get: <T>(path: string) => call<T>("GET", path),
  post: <T = void>(path: string, body?: unknown) => call<T>("POST", path, body),
  put: <T = void>(path: string, body?: unknown) => call<T>("PUT", path, body),
  del: (path: string) => call<void>("DELETE", path),
};

/**
 * The full URL of a listener path for things that cannot send headers: EventSource
 * streams, download links (playlist.m3u). Adds `?token=` when a token is known; without
 * one the session cookie goes along by itself (same origin).
 */
export function eventsUrl(path: string): string {
  const url = config.apiBase + path;
  if (!config.token) return url;
  const sep = url.includes("?") ? "&" : "?";
  return `${url}${sep}token=${encodeURIComponent(config.token)}`;
}

/** Same as {@link eventsUrl}; the name reads better for downloads. */
export const authedUrl = eventsUrl;

/** Builds `?a=1&b=2`, leaving out empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
