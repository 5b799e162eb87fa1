import "./style.css";
import { ApiError, fetchStatus, loadConfig, saveToken, type Status } from "./api";
import { createDashboard } from "./dashboard";
import { h } from "./dom";
import { clockTime } from "./format";

const POLL_MS = 3000;

const config = loadConfig();
let last: Status | null = null;
let timer = 0;
let generation = 0; // drops answers to requests made before a token change

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
  generation++;
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
  } catch (err) {
    if (gen !== generation) return;
    if (err instanceof ApiError && err.kind === "auth") {
      showTokenForm(`The listener refused this token: ${err.message}`);
      return; // wait for a new token
    }
    showBanner(describe(err));
    if (last) render(last, false); // keeps relative times fresh while offline
    else loadingText.textContent = "Waiting for the listener to answer…";
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

if (config.token) {
  void poll();
} else {
  showTokenForm(null);
}
