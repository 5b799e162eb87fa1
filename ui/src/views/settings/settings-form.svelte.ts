// The settings form's state: what the listener has (`original`), what the user typed
// (`draft`), and the PUT body of only what changed. Secrets are held as the listener
// showed them (`••••abcd`); left alone they are not sent, and sent masked they mean "keep".

import type {
  QualityProfile,
  SettingInput,
  SettingsListing,
  SettingsUpdate,
  SourceConfig,
} from "../../lib/types";
import {
  BOOLEAN_SETTINGS,
  FALLBACK_PROFILE,
  PROFILE_SETTINGS,
  SCALAR_DEFAULTS,
  SOURCES,
  TORRENTIO,
  type Draft,
  type SettingsByName,
} from "./settings-types";

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function toDraft(name: string, listing: SettingsByName): Draft {
  const setting = listing[name];
  const value = setting?.value ?? null;
  if (BOOLEAN_SETTINGS.has(name)) {
    if (value === null) return SCALAR_DEFAULTS[name] === true;
    return String(value) === "true";
  }
  if (name === SOURCES) {
    const list = (value ?? setting?.default ?? [TORRENTIO]) as SourceConfig[];
    return Array.isArray(list) ? clone(list) : [];
  }
  if (PROFILE_SETTINGS.has(name)) {
    const profile = value ?? setting?.default ?? FALLBACK_PROFILE;
    return JSON.stringify(profile, null, 2);
  }
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return value === null ? "" : String(value);
}

/** The same document however it is spaced; `null` when it does not parse. */
function normalJson(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return null;
  }
}

function sameDraft(name: string, a: Draft | undefined, b: Draft | undefined): boolean {
  if (PROFILE_SETTINGS.has(name) && typeof a === "string" && typeof b === "string") {
    const na = normalJson(a);
    return na !== null && na === normalJson(b);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A source list as the listener takes it: no empty keys or timeouts. */
function cleanSources(list: SourceConfig[]): SourceConfig[] {
  return list.map((source) => {
    const out: SourceConfig = {
      name: source.name.trim(),
      kind: source.kind,
      url: source.url.trim(),
      enabled: source.enabled !== false,
    };
    const key = typeof source.api_key === "string" ? source.api_key.trim() : "";
    if (key) out.api_key = key;
    const timeout = Number(source.timeout_secs);
    if (source.timeout_secs !== null && source.timeout_secs !== undefined && Number.isFinite(timeout) && timeout > 0) {
      out.timeout_secs = timeout;
    }
    return out;
  });
}

export class SettingsForm {
  listing: SettingsByName = $state.raw({});
  original: Record<string, Draft> = $state.raw({});
  draft: Record<string, Draft> = $state({});
  loaded = $state(false);

  /** Names whose draft differs from what the listener has (never an overridden one). */
  changed = $derived.by(() =>
    Object.keys(this.draft).filter(
      (name) => !this.overridden(name) && !sameDraft(name, this.draft[name], this.original[name]),
    ),
  );

  load(listing: SettingsListing): void {
    const original: Record<string, Draft> = {};
    for (const name of Object.keys(listing)) original[name] = toDraft(name, listing);
    this.listing = listing;
    this.original = original;
    this.draft = clone(original);
    this.loaded = true;
  }

  /** Back to what the listener has. */
  undo(): void {
    this.draft = clone(this.original);
  }

  /** Takes a new listing for some names only, keeping the user's other edits. */
  refresh(listing: SettingsListing, names: string[]): void {
    const original = { ...this.original };
    for (const name of names) {
      original[name] = toDraft(name, listing);
      this.draft[name] = clone(original[name]);
    }
    this.listing = listing;
    this.original = original;
  }

  has(name: string): boolean {
    return name in this.listing;
  }

  overridden(name: string): boolean {
    return this.listing[name]?.overridden === true;
  }

  text(name: string): string {
    const value = this.draft[name];
    return typeof value === "string" ? value : "";
  }

  flag(name: string): boolean {
    return this.draft[name] === true;
  }

  /** The source list being edited. */
  get sources(): SourceConfig[] {
    const list = this.draft[SOURCES];
    return Array.isArray(list) ? list : [];
  }

  set sources(list: SourceConfig[]) {
    this.draft[SOURCES] = list;
  }

  /** The saved value, or the default, for a JSON document. */
  defaultProfile(name: string): QualityProfile {
    return (this.listing[name]?.default as QualityProfile | undefined) ?? FALLBACK_PROFILE;
  }

  /** What is wrong before anything is sent; null when the changes look sendable. */
  problem(): string | null {
    for (const name of this.changed) {
      const value = this.draft[name];
      if (PROFILE_SETTINGS.has(name) && typeof value === "string" && value.trim()) {
        try {
          const parsed: unknown = JSON.parse(value);
          if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
            return `${name}: expected a JSON object`;
          }
        } catch (error) {
          return `${name}: not valid JSON (${(error as Error).message})`;
        }
      }
      if (name === SOURCES && Array.isArray(value)) {
        const index = value.findIndex((s) => !s.name.trim() || !s.url.trim());
        if (index >= 0) return `sources: source ${index + 1} needs a name and an address`;
      }
    }
    return null;
  }

  /** The PUT body: only the changed names, each as the listener takes it. */
  body(): SettingsUpdate {
    const body: Record<string, SettingInput> = {};
    for (const name of this.changed) {
      const value = this.draft[name];
      if (typeof value === "boolean") body[name] = value;
      else if (Array.isArray(value)) body[name] = cleanSources(value);
      else if (PROFILE_SETTINGS.has(name)) body[name] = value.trim() ? JSON.parse(value) : null;
      else if (value.trim() === "") body[name] = null;
      // A password may start or end with a space; nothing else should.
      else body[name] = this.listing[name]?.secret ? value : value.trim();
    }
    return body as SettingsUpdate;
  }
}
