// The listener's status (GET /api/v1/status), shared by the shell and the views that need
// a field of it (version, webhook URLs, local_client, log folder).

import { api } from "./api";
import type { Status } from "./types";

class StatusStore {
  current: Status | null = $state(null);
  /** The last load failed (words), while `current` may still hold an older answer. */
  error: string | null = $state(null);
}

export const status = new StatusStore();

let inFlight: Promise<Status | null> | null = null;

/** Loads the status again; concurrent callers share one request. */
export function refreshStatus(): Promise<Status | null> {
  inFlight ??= api
    .get<Status>("/api/v1/status")
    .then((answer) => {
      status.current = answer;
      status.error = null;
      return answer;
    })
    .catch((error: unknown) => {
      status.error = error instanceof Error ? error.message : String(error);
      return null;
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}
