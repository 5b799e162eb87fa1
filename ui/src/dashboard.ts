// The status dashboard: built once, then updated in place on every poll.

import type { RecentWebhook, Status } from "./api";
import { clear, copyText, h } from "./dom";
import { clockTime, dayLabel, fullTime, relativeTime, typeLabel } from "./format";
import { createRequestsCard, type RequestsCard } from "./requests";

const OUTCOMES = new Set(["accepted", "duplicate", "ignored", "rejected"]);

const TILES: { key: string; label: string; pick: (s: Status) => number }[] = [
  { key: "total", label: "Received", pick: (s) => s.webhooks.total },
  { key: "accepted", label: "Accepted", pick: (s) => s.webhooks.accepted },
  { key: "duplicate", label: "Duplicate", pick: (s) => s.webhooks.duplicate },
  { key: "ignored", label: "Ignored", pick: (s) => s.webhooks.ignored },
  { key: "rejected", label: "Rejected", pick: (s) => s.webhooks.rejected },
  { key: "requests", label: "Requests", pick: (s) => s.requests },
];

export interface Dashboard {
  root: HTMLElement;
  /** The pipeline's requests; fed separately from the status poll. */
  requests: RequestsCard;
  update(status: Status): void;
}

export function createDashboard(): Dashboard {
  // --- Connect Overseerr -------------------------------------------------
  const pill = h("span", { class: "pill pill-waiting", attrs: { role: "status" } });
  const url = h("code", { class: "url" });
  const copyBtn = h("button", { class: "btn", text: "Copy", attrs: { type: "button" } });
  const auth = h("p", { class: "auth" });

  let copyReset = 0;
  copyBtn.addEventListener("click", async () => {
    const text = url.textContent ?? "";
    if (!text || text === "—") return;
    const ok = await copyText(text);
    copyBtn.textContent = ok ? "Copied" : "Press Ctrl+C";
    copyBtn.classList.toggle("btn-done", ok);
    if (!ok) {
      const range = document.createRange();
      range.selectNodeContents(url);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
    }
    window.clearTimeout(copyReset);
    copyReset = window.setTimeout(() => {
      copyBtn.textContent = "Copy";
      copyBtn.classList.remove("btn-done");
    }, 1600);
  });

  const setting = (name: string, value: string) =>
    h("div", { class: "setting" }, h("dt", { text: name }), h("dd", { text: value }));

  const connect = h(
    "section",
    { class: "card connect", attrs: { "aria-labelledby": "connect-title" } },
    h(
      "div",
      { class: "card-head" },
      h("h2", { text: "Connect Overseerr", attrs: { id: "connect-title" } }),
      pill,
    ),
    h("p", {
      class: "muted",
      text: "In Overseerr, open Settings → Notifications → Webhook, enable the agent and paste this URL:",
    }),
    h("div", { class: "url-row" }, url, copyBtn),
    auth,
    h(
      "dl",
      { class: "settings" },
      setting("Notification types", "Media Approved, Media Automatically Approved, Media Available"),
      setting("JSON payload", "Leave the default"),
    ),
  );

  // --- Counters ----------------------------------------------------------
  const tileValues = new Map<string, HTMLElement>();
  const tiles = h("section", { class: "tiles", attrs: { "aria-label": "Counters" } });
  for (const t of TILES) {
    const value = h("span", { class: "tile-value", text: "0" });
    tileValues.set(t.key, value);
    tiles.append(
      h("div", { class: `tile tile-${t.key}` }, value, h("span", { class: "tile-label", text: t.label })),
    );
  }

  // --- Recent webhooks ---------------------------------------------------
  const list = h("ul", { class: "recent-list" });
  const empty = h(
    "p",
    { class: "empty" },
    "No webhooks yet. In Overseerr, open ",
    h("strong", { text: "Settings → Notifications → Webhook" }),
    " and press ",
    h("strong", { text: "Test" }),
    ".",
  );
  const recent = h(
    "section",
    { class: "card recent", attrs: { "aria-labelledby": "recent-title" } },
    h("div", { class: "card-head" }, h("h2", { text: "Recent webhooks", attrs: { id: "recent-title" } })),
    list,
    empty,
  );

  // --- Requests (filled by main.ts from /api/v1/requests) ------------------
  const requests = createRequestsCard();

  const root = h("div", { class: "dashboard" }, connect, tiles, requests.root, recent);

  function update(s: Status): void {
    if (s.overseerr_connected_at) {
      pill.className = "pill pill-ok";
      pill.textContent = `Overseerr connected · ${relativeTime(s.overseerr_connected_at)}`;
      pill.title = `Last test notification: ${fullTime(s.overseerr_connected_at)}`;
    } else {
      pill.className = "pill pill-waiting";
      pill.textContent = "Waiting for Overseerr's test notification…";
      pill.title = "Press Test in Overseerr's webhook settings";
    }

    url.textContent = s.webhook_url || "—";
    if (s.webhook_secret_set) {
      auth.className = "auth auth-ok";
      auth.textContent = "Set the same secret in Overseerr's Authorization Header.";
    } else {
      auth.className = "auth auth-warn";
      auth.textContent = "No webhook secret set: any device on your network can post webhooks.";
    }

    for (const t of TILES) {
      const el = tileValues.get(t.key);
      if (el) el.textContent = t.pick(s).toLocaleString();
    }
    tiles.querySelector(".tile-rejected")?.classList.toggle("tile-alert", s.webhooks.rejected > 0);

    clear(list);
    for (const item of s.recent) list.append(recentRow(item));
    empty.hidden = s.recent.length > 0;
    list.hidden = s.recent.length === 0;
  }

  return { root, requests, update };
}

function recentRow(w: RecentWebhook): HTMLLIElement {
  const outcome = OUTCOMES.has(w.outcome) ? w.outcome : "other";
  // Today's events show the clock time; older ones the day above the time.
  const day = dayLabel(w.received_at);
  const time = h(
    "time",
    { class: "r-time" },
    day ? h("span", { class: "r-day", text: day }) : null,
    h("span", { text: clockTime(w.received_at, !day) }),
  );
  if (w.received_at) {
    time.dateTime = w.received_at;
    time.title = fullTime(w.received_at);
  }
  const type = h("span", { class: "r-type", text: typeLabel(w.notification_type) });
  if (w.notification_type) type.title = w.notification_type;
  const subject = h("span", { class: "r-subject", text: w.subject || "(no subject)" });
  subject.title = w.subject;
  return h(
    "li",
    { class: "r-row" },
    time,
    h(
      "div",
      { class: "r-main" },
      subject,
      h("div", { class: "r-meta" }, type, w.detail ? h("span", { class: "r-detail", text: w.detail }) : null),
    ),
    h("span", { class: `badge badge-${outcome}`, text: w.outcome || "unknown" }),
  );
}
