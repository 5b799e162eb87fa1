// Every type the API sends or takes, named after the Rust struct that produces it.
// Hand-written for now; it will later re-export bindings generated from the Rust code,
// so keep the names and field spellings exactly as serde writes them.
//
// Timestamps are ISO-8601 UTC strings. `null` is what serde writes for `None`; fields
// marked `?` are skipped by serde when empty (or are NEW and may be missing on an
// older listener).

// ---------------------------------------------------------------------------------------
// Shared

/** `Page<T>` (src/http/paging.rs): a page of a list with the total that matched. */
export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

/** The body of every error answer (src/http/error.rs). */
export interface ErrorBody {
  error: string;
}

export type MediaType = "movie" | "tv";

// ---------------------------------------------------------------------------------------
// Requests (src/db/requests.rs, src/http/requests.rs)

/** `RequestState` (src/domain/state.rs), as its `as_str()` spells it. */
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

export const REQUEST_STATES: readonly RequestState[] = [
  "received",
  "metadata",
  "searching",
  "adding",
  "downloading",
  "ready",
  "waiting",
  "not_found",
  "failed",
  "cancelled",
];

/** `Request`: what was asked, where it stands, and the title once known. */
export interface Request {
  id: number;
  overseerr_request_id: number | null;
  media_type: MediaType;
  tmdb_id: number;
  is_4k: boolean;
  /** Season numbers; null = every aired season. */
  requested_seasons: number[] | null;
  /** From TMDb, else what Overseerr called it. */
  title: string;
  year: number | null;
  poster_path: string | null;
  requested_by: string;
  state: RequestState;
  /** Why it waits or failed, in words. */
  reason: string;
  next_attempt_at: string | null;
  /** 0–100 while Real-Debrid downloads it. */
  progress: number | null;
  media_item_id: number | null;
  created_at: string;
  updated_at: string;
}

/** `RequestView`: a request with its poster's full URL. */
export interface RequestView extends Request {
  poster_url: string | null;
}

/** `HistoryEntry` (src/db/events.rs): one state change. */
export interface HistoryEntry {
  at: string;
  state: RequestState;
  message: string;
}

/** `requests::Detail`: `GET /api/v1/requests/:id`. History is oldest first. */
export interface RequestDetail extends RequestView {
  history: HistoryEntry[];
}

/** `Release` (src/domain/release): what a torrent name says; most fields only when found. */
export interface Release {
  title: string;
  year?: number;
  date?: string;
  resolution?: string;
  quality?: string;
  codec?: string;
  bit_depth?: string;
  hdr?: string[];
  audio?: string[];
  channels?: string[];
  languages: string[];
  seasons: number[];
  episodes: number[];
  volumes?: number[];
  complete?: boolean;
  group?: string;
  edition?: string;
  site?: string;
  extras?: string[];
  /** The rest are flags (proper, repack, three_d, …) present only when true. */
  [flag: string]: unknown;
}

/** `Candidate` (src/db/candidates.rs): one torrent the last search found. */
export interface Candidate {
  /** 1 = tried first; null when rejected. */
  position: number | null;
  info_hash: string;
  title: string;
  file_name: string | null;
  size_bytes: number | null;
  seeders: number | null;
  /** Names of the sources that offered it. */
  sources: string[] | null;
  resolution: string | null;
  quality: string | null;
  score: number;
  /** [[season, episode], …] the torrent covers. */
  covers: [number, number][] | null;
  is_pack: boolean;
  /** Why it was rejected, in words; null when kept. */
  rejection: string | null;
  parsed: Release | null;
  found_at: string;
}

// ---------------------------------------------------------------------------------------
// Live events (src/events.rs, GET /api/v1/events)

/** `events::Event`, SSE event `request`. */
export interface RequestEvent {
  request_id: number;
  state: RequestState;
  message: string;
  at: string;
  next_attempt_at?: string;
}

/** NEW SSE event `progress`. */
export interface ProgressEvent {
  request_id: number;
  /** 0–100 */
  progress: number;
}

/** NEW SSE event `webhook`: same shape as `Status.recent[]`. */
export type WebhookEvent = WebhookSummary;

// ---------------------------------------------------------------------------------------
// Webhooks & status (src/db/webhooks.rs, src/http/status.rs)

/** `Outcome`: what Linkarr made of a webhook. */
export type Outcome = "accepted" | "duplicate" | "ignored" | "rejected";

/** `webhooks::Counts`. */
export interface WebhookCounts {
  total: number;
  accepted: number;
  duplicate: number;
  ignored: number;
  rejected: number;
}

/** `webhooks::Summary`: one received webhook (also NEW `GET /api/v1/webhooks` items). */
export interface WebhookSummary {
  id: number;
  received_at: string;
  /** Overseerr's type, e.g. MEDIA_APPROVED, TEST_NOTIFICATION. */
  notification_type: string;
  subject: string;
  outcome: Outcome;
  detail: string;
}

/** `Status`: `GET /api/v1/status`. */
export interface Status {
  service: string;
  version: string;
  listen: string;
  webhook_url: string;
  webhook_secret_set: boolean;
  /** When Overseerr's test notification last arrived. */
  overseerr_connected_at: string | null;
  webhooks: WebhookCounts;
  requests: number;
  recent: WebhookSummary[];
  /** NEW: LAN addresses first, then localhost. */
  webhook_urls?: string[];
  /** NEW */
  data_folder?: string;
  /** NEW */
  log_folder?: string;
  /** NEW: the pipeline is paused (from the tray). */
  paused?: boolean;
  /** NEW: this page's client is on the machine running Linkarr. */
  local_client?: boolean;
}

// ---------------------------------------------------------------------------------------
// Session (NEW, src/http/session.rs)

/** `GET /api/v1/session` (no auth needed). */
export interface Session {
  authenticated: boolean;
  password_set: boolean;
}

/** `POST /api/v1/session` body. */
export interface LoginBody {
  /** The API token or the remote-access password. */
  secret: string;
}

// ---------------------------------------------------------------------------------------
// Library (src/db/library.rs, src/db/files.rs, src/http/library.rs)

/** `library::Item`: a title as stored. */
export interface Item {
  id: number;
  media_type: MediaType;
  tmdb_id: number;
  title: string;
  original_title: string;
  year: number | null;
  overview: string;
  runtime: number | null;
  genres: string[] | null;
  rating: number | null;
  poster_path: string | null;
  backdrop_path: string | null;
  imdb_id: string | null;
  tvdb_id: number | null;
  is_available: boolean;
  created_at: string;
}

/** `Title`: an item with its image URLs. */
export interface Title extends Item {
  poster_url: string | null;
  backdrop_url: string | null;
}

/** `EpisodeRow`. */
export interface EpisodeRow {
  episode_number: number;
  name: string;
  air_date: string | null;
  runtime: number | null;
  still_path: string | null;
}

/** `SeasonRow`. */
export interface SeasonRow {
  season_number: number;
  name: string;
  air_date: string | null;
  poster_path: string | null;
  episodes: EpisodeRow[];
}

/** `files::File`: one stream (a movie or an episode). */
export interface File {
  id: number;
  media_item_id: number;
  season_number: number | null;
  episode_number: number | null;
  info_hash: string;
  rd_torrent_id: string;
  path: string;
  size_bytes: number;
  resolution: string | null;
  quality: string | null;
  /** Why it does not play any more; null when fine. */
  broken: string | null;
  added_at: string;
  title: string;
  year: number | null;
  media_type: MediaType;
}

/** `FileView`: a file with the URL to hand to a player. */
export interface FileView extends File {
  play_url: string;
}

/** `TitleDetail`: `GET /api/v1/library/:id`. `seasons` is absent for movies. */
export interface TitleDetail extends Title {
  seasons?: SeasonRow[];
  files: FileView[];
}

export type LibrarySort = "added" | "title" | "year" | "rating";

/** `POST /api/v1/library/export` body. */
export interface ExportBody {
  folder: string;
}

/** Its answer. */
export interface ExportResult {
  folder: string;
  written: number;
  removed: number;
}

/** `POST /api/v1/library/repair`. */
export interface RepairResult {
  repairing: number;
}

// ---------------------------------------------------------------------------------------
// Settings (src/http/settings.rs, src/config)

/** Names the settings endpoint knows (`SettingKey::name`). */
export type SettingName =
  | "port"
  | "bind"
  | "webhook_secret"
  | "api_token"
  | "remote_access"
  | "remote_password"
  | "tmdb_key"
  | "tmdb_url"
  | "overseerr_url"
  | "overseerr_key"
  | "overseerr_sync_minutes"
  | "workers"
  | "sources"
  | "quality_profile"
  | "quality_profile_4k"
  | "realdebrid_token"
  | "realdebrid_url"
  | "debrid_mode"
  | "overseerr_mark_available"
  | "repair_hours"
  | "notify_ready"
  | "notify_failed"
  | "start_at_login";

/** `Setting`: one entry of `GET /api/v1/settings`. Secrets come masked (`••••abcd`). */
export interface Setting {
  /** Plain values come as strings; lists and profiles as JSON. null = not saved. */
  value: string | SourceConfig[] | QualityProfile | null;
  secret: boolean;
  /** Set by a LINKARR_* variable or flag for this run; wins over the saved value. */
  overridden: boolean;
  /** Lists and profiles: what is used while nothing is saved. */
  default?: SourceConfig[] | QualityProfile | null;
}

/** `GET`/`PUT /api/v1/settings` answer. Names the listener does not know yet are allowed. */
export type SettingsListing = Partial<Record<SettingName, Setting>> & Record<string, Setting>;

/** `PUT /api/v1/settings` body: only the changed names; null or "" clears. */
export type SettingsUpdate = Partial<
  Record<SettingName, string | number | boolean | null | SourceConfig[] | QualityProfile>
>;

/** `SourceKind`. */
export type SourceKind = "stremio" | "torznab" | "zilean";

/** `SourceConfig`: one place to search for releases. */
export interface SourceConfig {
  name: string;
  kind: SourceKind;
  url: string;
  api_key?: string | null;
  timeout_secs?: number;
  enabled: boolean;
}

/** `QualityProfile` (src/domain/ranking/profile.rs). Patterns are regular expressions. */
export interface QualityProfile {
  name: string;
  /** Allowed resolutions, best first. */
  resolutions: string[];
  allow_unknown_resolution: boolean;
  reject_qualities: string[];
  reject_3d: boolean;
  require: string[];
  exclude: string[];
  preferred: string[];
  max_movie_gb: number | null;
  max_episode_gb: number | null;
  scores: Record<string, number>;
}

export type DebridMode = "cached_only" | "allow_downloads";

/** `GET /api/v1/realdebrid/account`, and NEW `POST /api/v1/settings/test/realdebrid`. */
export interface RealDebridAccount {
  username: string;
  /** Real-Debrid's account type, e.g. "premium". */
  type?: string;
  premium: boolean;
  premium_days_left: number | null;
  expiration: string | null;
}

/** NEW `POST /api/v1/settings/test/{realdebrid,tmdb}` body. */
export interface SettingTestBody {
  /** The typed value, or "" to test the saved one. */
  value: string;
}

/** NEW `POST /api/v1/settings/test/tmdb` answer. */
export interface TmdbTestResult {
  ok: true;
}

/** NEW `POST /api/v1/settings/webhook-secret` answer: shown whole only this once. */
export interface WebhookSecret {
  secret: string;
}

// ---------------------------------------------------------------------------------------
// Overseerr auto-connect (NEW)

/** `POST /api/v1/overseerr/inspect` / `connect` body. */
export interface OverseerrBody {
  url: string;
  /** May be the masked saved value. */
  api_key: string;
}

export interface OverseerrConnectBody extends OverseerrBody {
  /** Overwrite a webhook agent that points somewhere else. */
  replace_other: boolean;
}

/** Overseerr's webhook agent as it is now. */
export interface OverseerrWebhookAgent {
  enabled: boolean;
  /** Overseerr's notification type bit mask. */
  types: number;
  webhook_url: string;
  auth_header_set: boolean;
  json_payload_default: boolean;
}

/** Whether Overseerr's webhook agent is unset, points at Linkarr, or at something else. */
export type OverseerrAgentState = "empty" | "linkarr" | "other";

export interface OverseerrInspection {
  version: string;
  webhook: OverseerrWebhookAgent;
  linkarr_webhook_url: string;
  agent: OverseerrAgentState;
}

export interface OverseerrConnection {
  webhook_url: string;
  test_sent: boolean;
  test_error?: string;
}

// ---------------------------------------------------------------------------------------
// Logs (NEW)

export type LogLevel = "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";

/** One log line; also the SSE event `log` on /api/v1/logs/stream. */
export interface LogLine {
  /** Increases by one per line: dedupes the initial load against the stream. */
  seq: number;
  at: string;
  level: LogLevel | string;
  target: string;
  message: string;
}

/** `GET /api/v1/logs?limit=500`. */
export interface LogsPage {
  lines: LogLine[];
  folder: string;
}

// ---------------------------------------------------------------------------------------
// Desktop injection

/** `window.__LINKARR__`, set by the desktop shell before the page loads. */
export interface InjectedConfig {
  apiBase?: string;
  apiToken?: string;
  desktop?: boolean;
}

declare global {
  interface Window {
    __LINKARR__?: InjectedConfig;
  }
}
