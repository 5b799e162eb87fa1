// Shared by the browser scenarios (run by `cargo test --test browser`, see tests/browser/):
// one headless Chromium per scenario, login, screenshots, numbered steps, and a hard timeout.
//
// Environment (set by the Rust harness): LINKARR_URL, LINKARR_TOKEN, CHROMIUM, SCREENSHOT_DIR,
// FIXTURES, and the simulators' URLs (OVERSEERR_URL, OVERSEERR_KEY, TMDB_URL, ...).

import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const env = process.env;
export const BASE = (env.LINKARR_URL ?? "").replace(/\/$/, "");
export const TOKEN = env.LINKARR_TOKEN ?? "";
export const VIEWPORT = { width: 1280, height: 800 };

let scenarioName = "scenario";
let stepNumber = 0;
let currentStep = "start";
const started = Date.now();

function elapsed() {
  return `${((Date.now() - started) / 1000).toFixed(1)}s`;
}

/** Logs and names the step a failure or a timeout will be reported against. */
export function step(description) {
  stepNumber += 1;
  currentStep = `${stepNumber}. ${description}`;
  console.log(`[${scenarioName} ${elapsed()}] ${currentStep}`);
}

export function log(message) {
  console.log(`[${scenarioName} ${elapsed()}]    ${message}`);
}

/** Throws with `message` unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** A data-testid locator. */
export function tid(scope, id) {
  return scope.locator(`[data-testid="${id}"]`);
}

/**
 * A poster for any TMDb image path, drawn locally: the tests never leave this machine. Paths
 * made of words ("/night-of-the-living-dead-1968.jpg") get those words as the poster's title.
 */
function poster(path) {
  let h = 0;
  for (const c of path) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const hue = h % 360;
  const hue2 = (hue + 40) % 360;
  const name = path.replace(/^.*\//, "").replace(/\.\w+$/, "");
  const words = /^[a-z0-9]+(-[a-z0-9]+)+$/.test(name) ? name.split("-") : [];
  const year = /^\d{4}$/.test(words.at(-1) ?? "") ? words.pop() : "";
  const lines = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last && (last + " " + word).length <= 11) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  const title = lines
    .slice(0, 4)
    .map((line, i) => `<text x="171" y="${330 + i * 40}" text-anchor="middle">${line.toUpperCase()}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="342" height="513" viewBox="0 0 342 513">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="hsl(${hue},55%,40%)"/><stop offset="1" stop-color="hsl(${hue2},60%,12%)"/>
</linearGradient></defs>
<rect width="342" height="513" fill="url(#g)"/>
<circle cx="171" cy="${title ? 170 : 210}" r="62" fill="none" stroke="hsla(0,0%,100%,.3)" stroke-width="9"/>
<path d="M152 ${title ? 138 : 178} L202 ${title ? 170 : 210} L152 ${title ? 202 : 242} Z" fill="hsla(0,0%,100%,.4)"/>
<g font-family="DejaVu Serif, serif" font-weight="bold" font-size="34" fill="hsla(0,0%,100%,.92)">${title}</g>
${year ? `<text x="171" y="${title ? 330 + Math.min(lines.length, 4) * 40 + 10 : 400}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="20" letter-spacing="6" fill="hsla(0,0%,100%,.6)">${year}</text>` : ""}
</svg>`;
}

/** Debian's Chromium, headless, that reaches nothing but this machine. */
export function launch() {
  return chromium.launch({
    executablePath: env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      // Nothing but this machine: every other host fails to resolve.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    ],
  });
}

/** A 1280×800 context whose TMDb posters are drawn locally. */
export async function newContext(browser) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  await context.route(/^https?:\/\/image\.tmdb\.org\//, (route) =>
    route.fulfill({
      status: 200,
      contentType: "image/svg+xml",
      body: poster(new URL(route.request().url()).pathname),
    }),
  );
  return context;
}

/**
 * Runs `body({browser, context, page, dialogs, errors})` in a fresh Chromium with a hard
 * timeout; exits 0 on success, 1 on failure (with a screenshot in target/browser-failures).
 */
export async function scenario(name, body, { timeoutMs = 120_000 } = {}) {
  scenarioName = name;
  check(BASE, "LINKARR_URL is not set: run through `cargo test --test browser`");
  const timer = setTimeout(() => {
    console.error(`[${name} ${elapsed()}] TIMED OUT after ${timeoutMs / 1000} s in step ${currentStep}`);
    process.exit(2);
  }, timeoutMs);
  let browser;
  let page;
  const errors = [];
  const dialogs = [];
  try {
    browser = await launch();
    const context = await newContext(browser);
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on("pageerror", (error) => {
      errors.push(`uncaught: ${error.message}`);
      log(`PAGE ERROR: ${error.message}`);
    });
    page.on("console", (message) => {
      const text = message.text();
      if (message.type() === "error" && /Content.Security.Policy|Refused to/i.test(text)) {
        errors.push(`CSP: ${text}`);
        log(`CSP VIOLATION: ${text}`);
      }
    });
    page.on("dialog", async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      log(`DIALOG: ${dialog.type()} ${dialog.message()}`);
      await dialog.dismiss().catch(() => {});
    });
    await body({ browser, context, page, dialogs, errors });
    check(errors.length === 0, `the page reported errors:\n  ${errors.join("\n  ")}`);
    console.log(`[${name} ${elapsed()}] passed`);
    clearTimeout(timer);
    await browser.close();
    process.exit(0);
  } catch (error) {
    console.error(`[${name} ${elapsed()}] FAILED in step ${currentStep}`);
    console.error(error?.stack ?? String(error));
    if (page) {
      try {
        console.error(`  page URL: ${page.url()}`);
        const dir = join(process.cwd(), "target/browser-failures");
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `${name}.png`);
        await page.screenshot({ path: file, timeout: 5000 });
        console.error(`  screenshot: ${file}`);
        const text = await page.locator("body").innerText({ timeout: 2000 });
        console.error(`  page text (first 1500 characters):\n${text.slice(0, 1500)}`);
      } catch {
        // The browser may be gone already.
      }
    }
    if (errors.length) console.error(`  page errors:\n  ${errors.join("\n  ")}`);
    await browser?.close().catch(() => {});
    process.exit(1);
  }
}

/** Saves the viewport (1280×800) as docs/screenshots/<view>.png for the README. */
export async function screenshot(page, view) {
  const dir = env.SCREENSHOT_DIR ?? "docs/screenshots";
  mkdirSync(dir, { recursive: true });
  // Let images decode and the live indicator settle before the picture.
  await page.evaluate(() => document.fonts?.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(dir, `${view}.png`) });
  log(`screenshot ${view}.png`);
}

/** Opens `route` (a hash route such as "#/library") of the served UI. */
export async function open(page, route = "#/") {
  const answer = await page.goto(`${BASE}/${route}`);
  const type = answer?.headers()["content-type"] ?? "";
  if (answer && (!answer.ok() || !type.startsWith("text/html"))) {
    throw new Error(
      `GET ${BASE}/ answered ${answer.status()} (${type || "no content type"}), not the web UI: ` +
        `the listener must serve ui/dist at /`,
    );
  }
}

/**
 * Signs in through the login page with `secret` (default: the API token) and waits for the
 * app's navigation; leaves the page on `route`.
 */
export async function login(page, route = "#/", secret = TOKEN) {
  await open(page, "#/login");
  await tid(page, "login-secret").fill(secret);
  await tid(page, "login-submit").click();
  await tid(page, "nav-activity").waitFor();
  if (route !== "#/") await open(page, route);
}

/** Signs the browser context in without the login page (POST /api/v1/session). */
export async function loginByApi(context, secret = TOKEN) {
  const answer = await context.request.post(`${BASE}/api/v1/session`, { data: { secret } });
  check(answer.status() === 204, `POST /api/v1/session answered ${answer.status()}: ${await answer.text()}`);
}

/** The management API from Node (X-Api-Key), for arranging and checking; returns JSON or null. */
export async function api(method, path, body) {
  const answer = await fetch(`${BASE}${path}`, {
    method,
    headers: { "x-api-key": TOKEN, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${method} ${path} answered ${answer.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A recorded Overseerr body (tests/fixtures/overseerr/<name>), parsed. */
export function fixture(name) {
  return JSON.parse(readFileSync(join(env.FIXTURES ?? "tests/fixtures", "overseerr", name), "utf8"));
}

/** POSTs a webhook as Overseerr does (the body compact; Authorization verbatim if given). */
export async function postWebhook(body, authorization) {
  const answer = await fetch(`${BASE}/api/webhooks/overseerr`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "axios/1.3.4",
      ...(authorization ? { authorization } : {}),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await answer.text();
  check(answer.ok, `the webhook was answered ${answer.status}: ${text}`);
  return JSON.parse(text);
}

/** The recorded movie approval as Overseerr request `requestId` for TMDb movie `tmdbId`. */
export function movieApproval(requestId, tmdbId, subject) {
  const body = fixture("movie_media_approved.json");
  body.request.request_id = String(requestId);
  body.media.tmdbId = String(tmdbId);
  if (subject) body.subject = subject;
  return body;
}

/** Polls `probe()` until it returns something truthy (or throws after `ms`). */
export async function until(description, probe, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waited ${ms / 1000} s for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
