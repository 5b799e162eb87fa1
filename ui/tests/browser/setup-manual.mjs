// Setup, manual path: the page shows the webhook URL (LAN first), the Authorization header and
// the JSON payload to paste into Overseerr; the test then sends Overseerr's recorded test
// notification itself and the wait step turns "received" without a reload.
import { api, check, env, fixture, loginByApi, open, postWebhook, scenario, step, tid, log } from "./lib.mjs";

async function advanceTo(page, target) {
  for (let i = 0; i < 4; i++) {
    try {
      await tid(page, target).waitFor({ timeout: 2_000 });
      return;
    } catch {
      await tid(page, "setup-next").click();
    }
  }
  await tid(page, target).waitFor();
}

await scenario("setup-manual", async ({ context, page }) => {
  step("sign in, open Setup, switch to manual");
  await loginByApi(context);
  await open(page, "#/setup");
  await tid(page, "setup").waitFor();
  await advanceTo(page, "setup-step-overseerr");
  await tid(page, "setup-manual").click();

  step("the LAN webhook URL, the Authorization header and the JSON payload are shown");
  const status = await api("GET", "/api/v1/status");
  const lanUrl = (status.webhook_urls ?? [status.webhook_url])[0];
  check(lanUrl === env.WEBHOOK_URL, `status.webhook_urls[0] is ${lanUrl}, expected ${env.WEBHOOK_URL}`);
  await tid(page, "manual-webhook-url").waitFor();
  const shownUrl = await tid(page, "manual-webhook-url").evaluate((el) => el.value || el.textContent);
  check(shownUrl.includes(lanUrl), `manual-webhook-url shows "${shownUrl}", expected ${lanUrl}`);
  const header = await tid(page, "manual-auth-header").evaluate((el) => el.value || el.textContent);
  log(`Authorization header shown: ${header}`);
  check(header.trim().length > 0, "manual-auth-header is empty");
  const payload = await tid(page, "manual-json-payload").evaluate((el) => el.value || el.textContent);
  let template;
  try {
    template = JSON.parse(payload);
  } catch (error) {
    throw new Error(`manual-json-payload is not JSON (${error.message}):\n${payload}`);
  }
  check(template.notification_type === "{{notification_type}}", "the payload is Overseerr's template");
  check("{{media}}" in template && "{{request}}" in template && "{{extra}}" in template, "the payload keeps the media, request and extra blocks");

  step("waiting until Overseerr's test notification arrives");
  await advanceTo(page, "setup-wait-status");
  const wait = tid(page, "setup-wait-status");
  check((await wait.getAttribute("data-state")) === "waiting", "the wait step starts in waiting");
  await page.evaluate(() => (window.__noReload = true));

  step("Overseerr sends its test (the recorded body, with the secret)");
  const answer = await postWebhook(fixture("test_notification.json"), env.WEBHOOK_SECRET);
  log(`webhook answer: ${JSON.stringify(answer)}`);
  await page.waitForSelector('[data-testid="setup-wait-status"][data-state="received"]', { timeout: 15_000 });
  check(await page.evaluate(() => window.__noReload === true), "the page reloaded instead of updating live");
});
