// Calls behind the settings and setup screens.

import { api, ApiError } from "../../lib/api";
import type {
  OverseerrBody,
  OverseerrConnectBody,
  OverseerrConnection,
  OverseerrInspection,
  RealDebridAccount,
  SettingsListing,
  SettingsUpdate,
  SettingTestBody,
  Status,
  WebhookSecret,
} from "../../lib/types";

export const fetchSettings = () => api.get<SettingsListing>("/api/v1/settings");

export const saveSettings = (changes: SettingsUpdate) =>
  api.put<SettingsListing>("/api/v1/settings", changes);

export const fetchStatus = () => api.get<Status>("/api/v1/status");

export const generateWebhookSecret = () =>
  api.post<WebhookSecret>("/api/v1/settings/webhook-secret");

export type KeyKind = "realdebrid" | "tmdb";

/** Tests a typed key, or the saved one when `value` is "". Resolves to a line of text. */
export async function testKey(kind: KeyKind, value: string): Promise<string> {
  try {
    if (kind === "realdebrid") {
      const account = await api.post<RealDebridAccount>("/api/v1/settings/test/realdebrid", {
        value,
      } satisfies SettingTestBody);
      return describeAccount(account);
    }
    await api.post("/api/v1/settings/test/tmdb", { value } satisfies SettingTestBody);
    return "TMDb accepted the key.";
  } catch (error) {
    // An older listener has no test endpoint: the saved Real-Debrid token can still be tried.
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
      if (kind === "realdebrid" && value === "") {
        return describeAccount(await api.get<RealDebridAccount>("/api/v1/realdebrid/account"));
      }
      throw new ApiError(error.status, "This Linkarr cannot test a key before it is saved: save, then test.");
    }
    throw error;
  }
}

function describeAccount(account: RealDebridAccount): string {
  if (!account.premium) return `Signed in as ${account.username}, but premium has run out.`;
  const days = account.premium_days_left;
  return `Signed in as ${account.username}, ${days} ${days === 1 ? "day" : "days"} of premium left.`;
}

export const inspectOverseerr = (url: string, apiKey: string) =>
  api.post<OverseerrInspection>("/api/v1/overseerr/inspect", {
    url,
    api_key: apiKey,
  } satisfies OverseerrBody);

export const connectOverseerr = (url: string, apiKey: string, replaceOther: boolean) =>
  api.post<OverseerrConnection>("/api/v1/overseerr/connect", {
    url,
    api_key: apiKey,
    replace_other: replaceOther,
  } satisfies OverseerrConnectBody);
