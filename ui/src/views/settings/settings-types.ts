// What the settings screens need beyond lib/types.ts: how each setting is edited, and the
// defaults the listener applies to plain values while nothing is saved (it only sends
// `default` for lists and profiles).

import type { QualityProfile, Setting, SourceConfig } from "../../lib/types";

/** The settings listing (`SettingsListing`) looked up by any name: the form walks names from
 *  its own tables and from `Object.keys`, and copes with one the listener does not send. */
export type SettingsByName = Readonly<Partial<Record<string, Setting>>>;

/** Switches: the listener sends "true"/"false" strings and takes booleans. */
export const BOOLEAN_SETTINGS = new Set([
  "remote_access",
  "overseerr_mark_available",
  "notify_ready",
  "notify_failed",
  "start_at_login",
]);

/** Documents edited as JSON text (with a structured editor on top). */
export const PROFILE_SETTINGS = new Set(["quality_profile", "quality_profile_4k"]);

export const SOURCES = "sources";

/** Shown as placeholders, and what a switch starts at, while nothing is saved. */
export const SCALAR_DEFAULTS: Record<string, string | boolean> = {
  port: "8000",
  bind: "0.0.0.0",
  tmdb_url: "https://api.themoviedb.org/3",
  overseerr_sync_minutes: "15",
  workers: "2",
  realdebrid_url: "https://api.real-debrid.com/rest/1.0",
  debrid_mode: "cached_only",
  repair_hours: "6",
  remote_access: false,
  overseerr_mark_available: false,
  notify_ready: true,
  notify_failed: true,
  start_at_login: false,
};

/** One setting as the form holds it. */
export type Draft = string | boolean | SourceConfig[];

export const TORRENTIO: SourceConfig = {
  name: "Torrentio",
  kind: "stremio",
  url: "https://torrentio.strem.fun",
  timeout_secs: 15,
  enabled: true,
};

/** The profile Linkarr uses when none is saved (the listener's `default` wins when sent). */
export const FALLBACK_PROFILE: QualityProfile = {
  name: "Up to 1080p",
  resolutions: ["1080p", "720p", "576p", "480p"],
  allow_unknown_resolution: true,
  reject_qualities: ["CAM", "TeleSync", "TeleCine", "SCR", "R5", "PDTV"],
  reject_3d: true,
  require: [],
  exclude: [],
  preferred: [],
  max_movie_gb: null,
  max_episode_gb: null,
  scores: {},
};
