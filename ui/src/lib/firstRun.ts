// First run: with no TMDb key or no Real-Debrid token, and no webhook ever received,
// Linkarr cannot do anything yet, so the landing page is Setup instead of an empty list.

import { api } from "./api";
import type { SettingName, SettingsListing, Status } from "./types";

const isSet = (listing: SettingsListing, name: SettingName): boolean => {
  const setting = listing[name];
  return !!setting && (setting.overridden || (setting.value !== null && setting.value !== ""));
};

export async function needsSetup(status: Status): Promise<boolean> {
  if (status.webhooks.total > 0) return false;
  try {
    const settings = await api.get<SettingsListing>("/api/v1/settings");
    return !isSet(settings, "tmdb_key") || !isSet(settings, "realdebrid_token");
  } catch {
    return false; // cannot tell: do not take the user somewhere unasked
  }
}
