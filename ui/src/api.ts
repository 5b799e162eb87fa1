// Talks to the Linkarr listener's HTTP API.
//
// The desktop shell injects `window.__LINKARR__ = { apiBase, apiToken }`
// before the page loads. Opened in a plain browser, the page falls back to
// its own origin and to a token the user pasted (kept in localStorage).

export type Outcome = "accepted" | "duplicate" | "ignored" | "rejected";

export interface WebhookCounts {
  total: number;
  accepted: number;
  duplicate: number;
  ignored: number;
  rejected: number;
}

export interface RecentWebhook {
  id: number;
  received_at: string;
  notification_type: string;
  subject: string;
  outcome: string;
  detail: string;
}

export interface Status {
  service: string;
  version: string;
  listen: string;
  webhook_url: string;
  webhook_secret_set: boolean;
  overseerr_connected_at: string | null;
  webhooks: WebhookCounts;
  requests: number;
  recent: RecentWebhook[];
}

export interface InjectedConfig {
  apiBase?: string;
  apiToken?: string;
}

declare global {
  interface Window {
    __LINKARR__?: InjectedConfig;
  }
}

export interface ApiConfig {
  apiBase: string;
  token: string | null;
  /** True when the desktop shell provided the settings. */
  injected: boolean;
}

const TOKEN_KEY = "linkarr.apiToken";
const FALLBACK_BASE = "http://127.0.0.1:8000";
const REQUEST_TIMEOUT_MS = 5000;

function readStoredToken(): string | null {
  try {
    const t = window.localStorage.getItem(TOKEN_KEY);
    return t && t.trim() ? t.trim() : null;
  } catch {
    return null; // storage can be disabled
  }
}

export function saveToken(token: string): void {
  try {
    window.localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Not fatal: the token still lives in memory for this page.
  }
}

function trimBase(base: string): string {
  return base.replace(/\/+$/, "");
}

export function loadConfig(): ApiConfig {
  const injected = window.__LINKARR__;
  if (injected && typeof injected.apiBase === "string" && injected.apiBase) {
    const token =
      typeof injected.apiToken === "string" && injected.apiToken
        ? injected.apiToken
        : readStoredToken();
    return { apiBase: trimBase(injected.apiBase), token, injected: true };
  }
  const origin = window.location.origin;
  const apiBase = /^https?:\/\//.test(origin) ? origin : FALLBACK_BASE;
  return { apiBase: trimBase(apiBase), token: readStoredToken(), injected: false };
}

export type ApiErrorKind = "auth" | "http" | "network" | "format";

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === "string" ? v : v == null ? "" : String(v));
const obj = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {};

/** Accept what the server sent, with safe defaults for anything missing. */
function normalize(raw: unknown): Status {
  const r = obj(raw);
  const w = obj(r.webhooks);
  const recent = Array.isArray(r.recent) ? r.recent : [];
  return {
    service: str(r.service) || "Linkarr",
    version: str(r.version),
    listen: str(r.listen),
    webhook_url: str(r.webhook_url),
    webhook_secret_set: r.webhook_secret_set === true,
    overseerr_connected_at:
      typeof r.overseerr_connected_at === "string" ? r.overseerr_connected_at : null,
    webhooks: {
      total: num(w.total),
      accepted: num(w.accepted),
      duplicate: num(w.duplicate),
      ignored: num(w.ignored),
      rejected: num(w.rejected),
    },
    requests: num(r.requests),
    recent: recent.map((item) => {
      const e = obj(item);
      return {
        id: num(e.id),
        received_at: str(e.received_at),
        notification_type: str(e.notification_type),
        subject: str(e.subject),
        outcome: str(e.outcome),
        detail: str(e.detail),
      };
    }),
  };
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body: unknown = await res.json();
    const msg = obj(body).error;
    if (typeof msg === "string" && msg) return msg;
  } catch {
    // not JSON
  }
  return res.statusText || `HTTP ${res.status}`;
}

/** GET a JSON document from the listener, mapping failures to ApiError. */
async function getJson(cfg: ApiConfig, path: string): Promise<unknown> {
  const ctrl = new AbortController();
  const timer = window.setTimeout(() => ctrl.abort(), REQUEST_TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(`${cfg.apiBase}${path}`, {
      headers: { "X-Api-Key": cfg.token ?? "", Accept: "application/json" },
      cache: "no-store",
      signal: ctrl.signal,
    });
  } catch {
    throw new ApiError("network", "unreachable");
  } finally {
    window.clearTimeout(timer);
  }
  if (res.status === 401) {
    throw new ApiError("auth", await errorMessage(res), res.status);
  }
  if (!res.ok) {
    throw new ApiError("http", await errorMessage(res), res.status);
  }
  try {
    return await res.json();
  } catch {
    throw new ApiError("format", "the answer was not valid JSON", res.status);
  }
}

export async function fetchStatus(cfg: ApiConfig): Promise<Status> {
  return normalize(await getJson(cfg, "/api/v1/status"));
}

// --- Requests ------------------------------------------------------------------

export type RequestState =
  | "received"
  | "metadata"
  | "searching"
  | "adding"
  | "downloading"
  | "ready"
  | "waiting"
  | "not_found"
  | "failed"
  | "cancelled";

export interface RequestItem {
  id: number;
  overseerr_request_id: number;
  media_type: string; // "movie" | "tv"
  tmdb_id: number;
  is_4k: boolean;
  requested_seasons: number[] | null;
  title: string;
  year: number | null;
  poster_url: string | null;
  requested_by: string;
  /** One of RequestState, or whatever a newer listener sends. */
  state: string;
  reason: string;
  next_attempt_at: string | null;
  /** 0-100 while Real-Debrid downloads it. */
  progress: number | null;
  media_item_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface RequestList {
  total: number;
  limit: number;
  offset: number;
  items: RequestItem[];
}

const numOrNull = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) ? v : null;
const strOrNull = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

/** Posters come from the listener's database: only plain web or inline images. */
function safeImageUrl(v: unknown): string | null {
  const u = strOrNull(v)?.trim();
  return u && /^(https?:\/\/|data:image\/)/i.test(u) ? u : null;
}

function normalizeRequest(raw: unknown): RequestItem {
  const r = obj(raw);
  const seasons = Array.isArray(r.requested_seasons)
    ? r.requested_seasons.filter((n): n is number => typeof n === "number" && Number.isFinite(n))
    : null;
  return {
    id: num(r.id),
    overseerr_request_id: num(r.overseerr_request_id),
    media_type: str(r.media_type),
    tmdb_id: num(r.tmdb_id),
    is_4k: r.is_4k === true,
    requested_seasons: seasons,
    title: str(r.title),
    year: numOrNull(r.year),
    poster_url: safeImageUrl(r.poster_url),
    requested_by: str(r.requested_by),
    state: str(r.state),
    reason: str(r.reason),
    next_attempt_at: strOrNull(r.next_attempt_at),
    progress: numOrNull(r.progress),
    media_item_id: numOrNull(r.media_item_id),
    created_at: str(r.created_at),
    updated_at: str(r.updated_at),
  };
}

export async function fetchRequests(cfg: ApiConfig, limit = 20): Promise<RequestList> {
  const r = obj(await getJson(cfg, `/api/v1/requests?limit=${limit}`));
  const items = Array.isArray(r.items) ? r.items.map(normalizeRequest) : [];
  return {
    total: Math.max(num(r.total), items.length),
    limit: num(r.limit) || limit,
    offset: num(r.offset),
    items,
  };
}

/** The listener's server-sent event stream (EventSource can't send headers). */
export function eventsUrl(cfg: ApiConfig): string {
  return `${cfg.apiBase}/api/v1/events?token=${encodeURIComponent(cfg.token ?? "")}`;
}
