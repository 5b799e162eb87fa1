// Setup, automatic path, twice. First against a fresh Overseerr: keys step, Overseerr's URL and
// key, inspect, connect, and the wait step turns "received" when Overseerr's test notification
// arrives. Then another app takes Overseerr's (only) webhook agent; setting up again shows
// where it points now, and connecting needs the replacement confirmed first. The Rust side
// checks what the simulated Overseerr recorded.
import { check, env, log, loginByApi, open, scenario, screenshot, step, tid } from "./lib.mjs";

/** Clicks "Next" until `target` shows (a step may need a moment, or a click, to give way). */
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

async function overseerr(method, body) {
  const answer = await fetch(`${env.OVERSEERR_URL}/api/v1/settings/notifications/webhook`, {
    method,
    headers: { "x-api-key": env.OVERSEERR_KEY, "content-type": "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  check(answer.ok, `Overseerr answered ${answer.status}`);
  return answer.json();
}

/** From the keys step to an inspected Overseerr; returns what the page says about its agent. */
async function inspect(page) {
  await open(page, "#/setup");
  await page.reload(); // a fresh walk-through, even when Setup is already open
  await tid(page, "setup").waitFor();
  await tid(page, "setup-step-keys").waitFor();
  await advanceTo(page, "setup-step-overseerr");
  await tid(page, "overseerr-url").fill(env.OVERSEERR_URL);
  await tid(page, "overseerr-key").fill(env.OVERSEERR_KEY);
  await tid(page, "overseerr-inspect").click();
  const state = tid(page, "overseerr-agent-state");
  await state.waitFor();
  await page.waitForFunction(
    () => /\d+\.\d+/.test(document.querySelector('[data-testid="overseerr-agent-state"]')?.textContent ?? ""),
    null,
    { timeout: 10_000 },
  );
  const text = (await state.innerText()).replace(/\s+/g, " ");
  log(`agent state: ${text}`);
  return text;
}

async function received(page) {
  await advanceTo(page, "setup-wait-status");
  await page.waitForSelector('[data-testid="setup-wait-status"][data-state="received"]', { timeout: 20_000 });
  const agent = await overseerr("GET");
  const ours = `${env.LINKARR_URL}/api/webhooks/overseerr`;
  check(agent.options.webhookUrl === ours, `Overseerr's agent points at ${agent.options.webhookUrl}, not ${ours}`);
}

await scenario("setup-connect", async ({ context, page }) => {
  step("sign in; Setup against a fresh Overseerr: keys, then Overseerr, inspect");
  await loginByApi(context);
  const fresh = await inspect(page);
  check(fresh.includes("1.34.0"), "the inspection names Overseerr's version");
  check(!(await tid(page, "overseerr-replace-confirm").isVisible()), "nothing to replace on a fresh Overseerr");

  step("connect; the wait step turns received when Overseerr's test arrives");
  await tid(page, "overseerr-connect").click();
  await received(page);
  await screenshot(page, "setup");

  step("another app takes Overseerr's webhook agent");
  const agent = await overseerr("GET");
  await overseerr("POST", {
    enabled: true,
    types: 2,
    options: { webhookUrl: env.OTHER_WEBHOOK_URL, authHeader: "", jsonPayload: JSON.stringify(agent.options.jsonPayload) },
  });

  step("set up again: the page shows where the agent points now");
  const other = await inspect(page);
  check(other.includes(env.OTHER_WEBHOOK_URL), `the agent state names ${env.OTHER_WEBHOOK_URL}`);

  step("connecting needs the replacement confirmed first");
  const confirm = tid(page, "overseerr-replace-confirm");
  const connect = tid(page, "overseerr-connect");
  await confirm.waitFor();
  const isCheckbox = (await confirm.getAttribute("type")) === "checkbox";
  if (isCheckbox) {
    check(await connect.isDisabled(), "Connect is enabled before the replacement is confirmed");
  } else {
    await connect.click();
  }
  const before = await overseerr("GET");
  check(before.options.webhookUrl === env.OTHER_WEBHOOK_URL, `written before the confirmation: ${before.options.webhookUrl}`);

  step("confirm, connect, and a new test notification turns the wait step green again");
  if (isCheckbox) {
    await confirm.check();
    await connect.click();
  } else {
    await confirm.click();
  }
  await received(page);
});
