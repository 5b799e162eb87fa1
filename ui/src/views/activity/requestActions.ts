// Which actions make sense in which state, and the calls behind them.

import { api } from "../../lib/api";
import type { RequestState, RequestView } from "../../lib/types";

export type RequestAction = "retry" | "research" | "cancel" | "delete";

// Work in progress: the pipeline is on it right now.
const BUSY: RequestState[] = ["received", "metadata", "searching", "adding"];
// Stopped somewhere it can be started again from.
const STOPPED: RequestState[] = ["waiting", "not_found", "failed", "cancelled"];

/** The actions to offer for a request in `state` (delete is always offered). */
export function actionsFor(state: RequestState): RequestAction[] {
  const actions: RequestAction[] = [];
  if (STOPPED.includes(state)) actions.push("retry");
  if (!BUSY.includes(state)) actions.push("research");
  if (state !== "ready" && state !== "failed" && state !== "cancelled") actions.push("cancel");
  actions.push("delete");
  return actions;
}

export const ACTION_LABELS: Record<RequestAction, string> = {
  retry: "Retry",
  research: "Search again",
  cancel: "Cancel",
  delete: "Delete",
};

export const ACTION_HINTS: Record<RequestAction, string> = {
  retry: "Try the step it stopped at again, now",
  research: "Look for releases again, now",
  cancel: "Stop working on this request",
  delete: "Forget this request and its history (the library keeps what it has)",
};

/** Runs `action`; the new request, or null once deleted. Throws ApiError (409 words …). */
export async function runAction(id: number, action: RequestAction): Promise<RequestView | null> {
  if (action === "delete") {
    await api.del(`/api/v1/requests/${id}`);
    return null;
  }
  return api.post<RequestView>(`/api/v1/requests/${id}/${action}`);
}
