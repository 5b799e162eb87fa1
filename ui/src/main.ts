import "./style.css";
import {
  ApiError,
  eventsUrl,
  fetchRequests,
  fetchStatus,
  loadConfig,
  saveToken,
  type Status,
} from "./api";
import { createDashboard } from "./dashboard";
import { h } from "./dom";
import { clockTime } from "./format";

const POLL_MS = 3000;
const REQUESTS_LIMIT = 20;
const EVENT_DEBOUNCE_MS = 300;
/** A stream the browser gave up on (e.g. an HTTP error) is retried this often. */
const EVENTS_RETRY_MS = 30000;

const config = loadConfig();
let last: Status | null = null;
let timer = 0;
let generation = 0; // drops answers to requests made before a token change

// Requests card: live updates over server-sent events, polling as a fallback.
let epoch = 0; // bumps on token changes; drops requests answers for the old token
let events: EventSource | null = null;
let eventsOpenedAt = 0;
let eventsLive = false;
let requestsOk = false; // the last load succeeded
let requestsInFlight = false;
let requestsAgain = false;
let requestsDebounce = 0;
let lastRequestCount = -1;
let requestsLoadedAt = 0;

// --- Static frame ------------------------------------------------------------
const version = h("span", { class: "version" });
const topbar = h(
  "header",
  { class: "topbar" },
  h(
    "div",
    { class: "brand" },
    h("img", { class: "logo", attrs: { src: `${import.meta.env.BASE_URL}favicon.svg`, alt: "" } }),
    h("h1", { text: "Linkarr" }),
    version,
  ),
);

const banner = h("div", { class: "banner", attrs: { role: "alert" } });
banner.hidden = true;

const loadingText = h("span", { text: `Loading status from ${config.apiBase}…` });
const loading = h(
  "div",
  { class: "loading", attrs: { "aria-live": "polite" } },
  h("span", { class: "spinner", attrs: { "aria-hidden": "true" } }),
  loadingText,
);

// Token form, shown when there is no token or the listener refused it.
const tokenMsg = h("p", { class: "token-error" });
const tokenInput = h("input", {
  attrs: {
    type: "password",
    id: "token",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "API token",
    required: "",
  },
});
const tokenForm = h(
  "form",
  { class: "card token-card" },
  h("h2", { text: "API token" }),
  h("label", {
    attrs: { for: "token" },
    text: "Paste your API token (shown in the server log at first start)",
  }),
  tokenMsg,
  h(
    "div",
    { class: "token-row" },
    tokenInput,
    h("button", { class: "btn btn-primary", text: "Save", attrs: { type: "submit" } }),
  ),
);
tokenForm.hidden = true;

const dashboard = createDashboard();
dashboard.root.hidden = true;

const listenInfo = h("span", { text: `Listener ${config.apiBase}` });
const updatedInfo = h("span", { class: "updated" });
const footer = h("footer", { class: "footer" }, listenInfo, updatedInfo);

const app = document.getElementById("app") ?? document.body;
app.append(topbar, h("main", { class: "content" }, banner, tokenForm, loading, dashboard.root), footer);

// --- Behaviour ---------------------------------------------------------------
function showBanner(text: string | null): void {
  banner.hidden = text === null;
  banner.textContent = text ?? "";
}

function showTokenForm(message: string | null): void {
  window.clearTimeout(timer);
  window.clearTimeout(requestsDebounce);
  generation++;
  epoch++;
  closeEvents();
  tokenMsg.textContent = message ?? "";
  tokenMsg.hidden = !message;
  tokenForm.hidden = false;
  loading.hidden = true;
  dashboard.root.hidden = true;
  showBanner(null);
  tokenInput.value = "";
  tokenInput.focus();
}

tokenForm.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const token = tokenInput.value.trim();
  if (!token) return;
  saveToken(token);
  config.token = token;
  tokenForm.hidden = true;
  dashboard.root.hidden = last === null;
  loading.hidden = last !== null;
  void poll();
  openEvents();
  void loadRequests();
});

function render(s: Status, fresh: boolean): void {
  last = s;
  version.textContent = s.version ? `v${s.version}` : "";
  document.title = s.overseerr_connected_at ? "Linkarr · connected" : "Linkarr";
  dashboard.update(s);
  listenInfo.textContent = s.listen ? `Listening on ${s.listen}` : "";
  if (fresh) updatedInfo.textContent = `Updated ${clockTime(new Date().toISOString())}`;
  loading.hidden = true;
  dashboard.root.hidden = false;
}

async function poll(): Promise<void> {
  window.clearTimeout(timer);
  const gen = ++generation;
  try {
    const status = await fetchStatus(config);
    if (gen !== generation) return;
    showBanner(null);
    render(status, true);
    pollRequests(status);
  } catch (err) {
    if (gen !== generation) return;
    if (err instanceof ApiError && err.kind === "auth") {
      showTokenForm(`The listener refused this token: ${err.message}`);
      return; // wait for a new token
    }
    showBanner(describe(err));
    if (last) {
      render(last, false); // keeps relative times fresh while offline
      dashboard.requests.tick();
    } else {
      loadingText.textContent = "Waiting for the listener to answer…";
    }
  }
  timer = window.setTimeout(() => void poll(), POLL_MS);
}

function describe(err: unknown): string {
  if (err instanceof ApiError) {
    switch (err.kind) {
      case "network":
        return `Can't reach the Linkarr listener at ${config.apiBase}: retrying`;
      case "http":
        return `The Linkarr listener answered with an error (HTTP ${err.status}: ${err.message}): retrying`;
      case "format":
        return `The Linkarr listener sent an answer this page can't read (${err.message}): retrying`;
      default:
        break;
    }
  }
  return `Something went wrong while reading the status: retrying`;
}

// --- Requests ------------------------------------------------------------------
function setLive(on: boolean): void {
  eventsLive = on;
  dashboard.requests.setLive(on);
}

function closeEvents(): void {
  events?.close();
  events = null;
  setLive(false);
}

/** (Re)open the event stream for the current token. */
function openEvents(): void {
  closeEvents();
  if (!config.token || typeof EventSource === "undefined") return;
  let es: EventSource;
  try {
    es = new EventSource(eventsUrl(config));
  } catch {
    return; // the status poll keeps the list fresh
  }
  events = es;
  eventsOpenedAt = Date.now();
  const refresh = (): void => {
    if (events !== es) return;
    setLive(true);
    scheduleRequests();
  };
  let opened = false;
  es.addEventListener("open", () => {
    if (events !== es) return;
    setLive(true);
    if (opened) scheduleRequests(); // catch up on what a reconnect missed
    opened = true;
  });
  es.addEventListener("request", refresh);
  es.addEventListener("lagged", refresh);
  es.addEventListener("error", () => {
    // EventSource reconnects by itself; until then the status poll refreshes
    // the list. Nothing to show: the banner already covers a missing listener.
    if (events === es) setLive(false);
  });
}

function scheduleRequests(delay = EVENT_DEBOUNCE_MS): void {
  window.clearTimeout(requestsDebounce);
  requestsDebounce = window.setTimeout(() => void loadRequests(), delay);
}

async function loadRequests(): Promise<void> {
  if (!config.token || !tokenForm.hidden) return;
  if (requestsInFlight) {
    requestsAgain = true; // one more round once this answer is in
    return;
  }
  requestsInFlight = true;
  const ep = epoch;
  try {
    const list = await fetchRequests(config, REQUESTS_LIMIT);
    if (ep !== epoch) return;
    requestsOk = true;
    requestsLoadedAt = Date.now();
    dashboard.requests.update(list);
  } catch (err) {
    if (ep !== epoch) return;
    requestsOk = false;
    if (err instanceof ApiError && err.kind === "auth") {
      showTokenForm(`The listener refused this token: ${err.message}`);
      return;
    }
    dashboard.requests.showError(describeRequests(err));
  } finally {
    requestsInFlight = false;
    if (requestsAgain) {
      requestsAgain = false;
      void loadRequests();
    }
  }
}

/** Called after each successful status poll. */
function pollRequests(s: Status): void {
  const countChanged = lastRequestCount !== -1 && s.requests !== lastRequestCount;
  lastRequestCount = s.requests;
  const fresh = Date.now() - requestsLoadedAt < 1000;
  if ((!eventsLive || !requestsOk || countChanged) && !fresh && !requestsInFlight) {
    void loadRequests();
  } else {
    dashboard.requests.tick();
  }
  // A stream the browser closed for good (e.g. the listener restarted and
  // answered with an error) gets a fresh try now and then.
  if (events && events.readyState === EventSource.CLOSED && Date.now() - eventsOpenedAt > EVENTS_RETRY_MS) {
    openEvents();
  }
}

function describeRequests(err: unknown): string | null {
  if (err instanceof ApiError) {
    switch (err.kind) {
      case "network":
        // The status banner already says the listener is unreachable.
        return requestsOk ? null : "Can't reach the listener to load requests: retrying";
      case "http":
        return `Can't load requests (HTTP ${err.status}: ${err.message}): retrying`;
      case "format":
        return `The listener sent a requests list this page can't read (${err.message}): retrying`;
      default:
        break;
    }
  }
  return "Something went wrong while loading requests: retrying";
}

// A page that is hidden away (reload, back/forward cache) must not keep its
// stream open: browsers allow only a few connections per listener.
window.addEventListener("pagehide", () => closeEvents());
window.addEventListener("pageshow", (ev) => {
  if (ev.persisted && config.token && tokenForm.hidden) {
    openEvents();
    void poll();
  }
});

if (config.token) {
  void poll();
  openEvents();
  void loadRequests();
} else {
  showTokenForm(null);
}
