// The API's types, as the Rust code describes them: each is an alias of a schema in
// ./generated/api.ts (openapi-typescript output of ./generated/openapi.json, which the backend
// writes from its handlers). Never retype an API shape here: alias the generated schema, and
// where the UI needs it narrower, narrow it in one place with a comment saying why.
// `npm run bindings` regenerates ./generated/api.ts from ./generated/openapi.json.
//
// Timestamps are ISO-8601 UTC strings. `null` is what serde writes for `None`; fields marked
// `?` are skipped by serde when empty.
//
// The few types at the bottom ("UI-side") are not API shapes: they describe the desktop
// shell's injection and the UI's own lists.

import type { components } from "./generated/api";

type Schemas = components["schemas"];

// ---------------------------------------------------------------------------------------
// Shared

/** The body of every error answer. */
export type ErrorBody = Schemas["ErrorBody"];

export type MediaType = Schemas["MediaType"];

// Pages: the spec has one schema per `Page<T>` the API sends.
export type RequestPage = Schemas["Page_RequestView"];
export type TitlePage = Schemas["Page_Title"];
export type WebhookPage = Schemas["Page_Summary"];

// ---------------------------------------------------------------------------------------
// Requests

export type RequestState = Schemas["RequestState"];
export type Request = Schemas["Request"];
/** A request with its poster's full URL. */
export type RequestView = Schemas["RequestView"];
/** One state change. */
export type HistoryEntry = Schemas["HistoryEntry"];
/** `GET /api/v1/requests/:id`: the request and its history, oldest first. */
export type RequestDetail = Schemas["Detail"];
/** What a torrent name says; most fields only when found. */
export type Release = Schemas["Release"];
/** One torrent the last search found (`GET /api/v1/requests/:id/candidates`). */
export type Candidate = Schemas["Candidate"];

// ---------------------------------------------------------------------------------------
// Live events (GET /api/v1/events): `request`, `webhook`, `lagged` (a count, not JSON).
// There is no progress event: download progress comes as `request` events in state
// `downloading`; reload the request to read its `progress`.

/** SSE event `request`. */
export type RequestEvent = Schemas["Event"];
/** SSE event `webhook`: same shape as `Status.recent[]`. */
export type WebhookEvent = Schemas["Summary"];

// ---------------------------------------------------------------------------------------
// Webhooks & status

/** What Linkarr made of a webhook. */
export type Outcome = Schemas["Outcome"];
export type WebhookCounts = Schemas["Counts"];
/** One received webhook (`Status.recent[]`, `GET /api/v1/webhooks` items). */
export type WebhookSummary = Schemas["Summary"];
/** `GET /api/v1/status`. */
export type Status = Schemas["Status"];

// ---------------------------------------------------------------------------------------
// Session

/** `GET /api/v1/session` (no auth needed). */
export type Session = Schemas["SessionStatus"];
/** `POST /api/v1/session` body. */
export type LoginBody = Schemas["SignIn"];

// ---------------------------------------------------------------------------------------
// Library

/** A title as stored. */
export type Item = Schemas["Item"];
/** An item with its image URLs. */
export type Title = Schemas["Title"];
export type EpisodeRow = Schemas["EpisodeRow"];
export type SeasonRow = Schemas["SeasonRow"];
/** One stream (a movie or an episode). */
export type File = Schemas["File"];
/** A file with the URL to hand to a player. */
export type FileView = Schemas["FileView"];
/** `GET /api/v1/library/:id`. `seasons` is absent for movies. */
export type TitleDetail = Schemas["TitleDetail"];
export type LibrarySort = Schemas["LibrarySort"];
/** `POST /api/v1/library/export` body. */
export type ExportBody = Schemas["Export"];
/** Its answer. */
export type ExportResult = Schemas["ExportResult"];
/** `POST /api/v1/library/repair`. */
export type RepairResult = Schemas["RepairResult"];

// ---------------------------------------------------------------------------------------
// Settings

/** `GET`/`PUT /api/v1/settings` answer: every setting, by name. */
export type SettingsListing = Schemas["Settings"];
/** Names the settings endpoint knows. */
export type SettingName = keyof SettingsListing;
/** One entry of the listing. Secrets come masked (`••••abcd`). */
export type Setting = Schemas["Setting"];
/** `PUT /api/v1/settings` body: only the changed names; null or "" clears. */
export type SettingsUpdate = Schemas["SettingChanges"];
/** One value of that body. */
export type SettingInput = Schemas["SettingInput"];
export type SourceKind = Schemas["SourceKind"];
/** One place to search for releases. */
export type SourceConfig = Schemas["SourceConfig"];
/** Patterns are regular expressions. */
export type QualityProfile = Schemas["QualityProfile"];
/** `GET /api/v1/realdebrid/account`, and `POST /api/v1/settings/test/realdebrid`. */
export type RealDebridAccount = Schemas["RealDebridAccount"];
/** `POST /api/v1/settings/test/{realdebrid,tmdb}` body: the typed value, or "" for the saved one. */
export type SettingTestBody = Schemas["KeyCandidate"];
/** `POST /api/v1/settings/test/tmdb` answer. */
export type TmdbTestResult = Schemas["TmdbTestResult"];
/** `POST /api/v1/settings/webhook-secret` answer: shown whole only this once. */
export type WebhookSecret = Schemas["WebhookSecret"];

// ---------------------------------------------------------------------------------------
// Overseerr auto-connect

/** `POST /api/v1/overseerr/inspect` body (`api_key` may be the masked saved value). */
export type OverseerrBody = Schemas["Server"];
/** `POST /api/v1/overseerr/connect` body. */
export type OverseerrConnectBody = Schemas["Connect"];
/** Overseerr's webhook agent as it is now. */
export type OverseerrWebhookAgent = Schemas["AgentView"];
/** Whether Overseerr's webhook agent is unset, points at Linkarr, or at something else. */
export type OverseerrAgentState = Schemas["AgentState"];
/** `POST /api/v1/overseerr/inspect` answer. */
export type OverseerrInspection = Schemas["Inspection"];
/** `POST /api/v1/overseerr/connect` answer. */
export type OverseerrConnection = Schemas["Connection"];

// ---------------------------------------------------------------------------------------
// Logs

/** One log line; also the SSE event `log` on /api/v1/logs/stream. `level` is a string
 *  (`ERROR` … `TRACE`); views/logs/logLines.ts ranks it and treats unknown ones as INFO. */
export type LogLine = Schemas["LogLine"];
/** `GET /api/v1/logs?limit=500`. */
export type LogsPage = Schemas["Logs"];

// ---------------------------------------------------------------------------------------
// UI-side: not API shapes.

/** Every request state, in pipeline order (the Activity filter). The record makes the
 *  compiler check the list against the generated `RequestState`: none missing, none extra. */
const STATE_ORDER: Record<RequestState, true> = {
  received: true,
  metadata: true,
  searching: true,
  adding: true,
  downloading: true,
  ready: true,
  waiting: true,
  not_found: true,
  failed: true,
  cancelled: true,
};
export const REQUEST_STATES = Object.keys(STATE_ORDER) as readonly RequestState[];

/** `window.__LINKARR__`, set by the desktop shell before the page loads. */
export interface InjectedConfig {
  apiToken?: string;
  desktop?: boolean;
}

declare global {
  interface Window {
    __LINKARR__?: InjectedConfig;
  }
}
