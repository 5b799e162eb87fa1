// Activity: earlier requests in several states are listed; a MEDIA_APPROVED webhook posted
// while the page is open appears and moves to `ready` without a reload. Then its detail view
// (history and candidates) and the logs view.
import { check, fixture, log, loginByApi, open, postWebhook, scenario, screenshot, step, tid, until } from "./lib.mjs";

const normal = (text) => text.trim().toLowerCase().replace(/[\s-]+/g, "_");

await scenario("activity", async ({ context, page }) => {
  step("sign in; Activity lists the earlier requests");
  await loginByApi(context);
  await open(page, "#/");
  const rows = tid(page, "request-row");
  await until("five request rows", async () => (await rows.count()) >= 5);
  for (const row of await rows.all()) {
    const title = await tid(row, "request-title").innerText();
    const state = await tid(row, "request-state").innerText();
    log(`row: ${title} — ${state}`);
  }
  await page.evaluate(() => (window.__noReload = true));

  step("Overseerr approves The Matrix: the webhook arrives while the page is open");
  const answer = await postWebhook(fixture("movie_media_approved.json"));
  check(answer.status === "accepted", `webhook answer ${JSON.stringify(answer)}`);
  const row = page.locator(`[data-testid="request-row"][data-request-id="${answer.request_id}"]`);
  await row.waitFor({ timeout: 10_000 });
  log(`appeared as: ${normal(await tid(row, "request-state").innerText())}`);

  step("it moves to ready live");
  await until(
    "the row to say ready",
    async () => normal(await tid(row, "request-state").innerText()) === "ready",
    30_000,
  );
  check(await page.evaluate(() => window.__noReload === true), "the page reloaded instead of updating live");
  await tid(row, "request-title").innerText().then((title) => check(/Matrix/.test(title), `title is "${title}"`));
  await page.waitForTimeout(500);
  await screenshot(page, "activity");

  step("open its detail: history and candidates");
  await tid(row, "request-title").click();
  const detail = tid(page, "request-detail");
  await detail.waitFor();
  check(page.url().includes(`#/requests/${answer.request_id}`), `detail URL is ${page.url()}`);
  const history = tid(detail, "history-entry");
  await until("the history", async () => (await history.count()) >= 3);
  const lines = await history.allInnerTexts();
  log(`history: ${lines.map((l) => l.replace(/\s+/g, " ")).join(" | ")}`);
  check(lines.some((l) => /Ready to stream/.test(l)), "the history ends with Ready to stream");
  const candidates = tid(detail, "candidate-row");
  await until("the candidates", async () => (await candidates.count()) === 4);
  const kept = await page.locator('[data-testid="candidate-row"][data-kept="true"]').count();
  const dropped = await page.locator('[data-testid="candidate-row"][data-kept="false"]').count();
  log(`candidates: ${kept} kept, ${dropped} dropped`);
  check(kept >= 1 && dropped >= 1, "the CAM release is dropped, the BluRay kept");
  const names = await tid(detail, "candidate-name").allInnerTexts();
  check(names.some((n) => n.includes("The.Matrix.1999.1080p.BluRay.x264-SPARKS")), `names: ${names}`);
  const verdicts = await tid(detail, "candidate-verdict").allInnerTexts();
  check(verdicts.every((v) => v.trim().length > 0), "every candidate has a verdict");
  await screenshot(page, "request-detail");

  step("the logs view shows what happened");
  await tid(page, "nav-logs").click();
  await tid(page, "logs-view").waitFor();
  await until("log lines", async () => (await tid(page, "log-line").count()) > 0);
  await page.waitForTimeout(300);
  await screenshot(page, "logs");
});
