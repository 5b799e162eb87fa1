// Setup, automatic path: keys step, then Overseerr's URL and key, inspect (the agent there
// points elsewhere), connect, confirm the replacement, and the wait step turns "received"
// when Overseerr's test notification arrives. The Rust side checks what the simulated
// Overseerr recorded.
import { env, check, loginByApi, open, scenario, screenshot, step, tid, log } from "./lib.mjs";

/** Clicks "Next" until `target` shows (steps may be skippable when already done). */
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

async function agentInOverseerr() {
  const answer = await fetch(`${env.OVERSEERR_URL}/api/v1/settings/notifications/webhook`, {
    headers: { "x-api-key": env.OVERSEERR_KEY },
  });
  return answer.json();
}

await scenario("setup-connect", async ({ context, page }) => {
  step("sign in and open Setup");
  await loginByApi(context);
  await open(page, "#/setup");
  await tid(page, "setup").waitFor();
  await tid(page, "setup-step-keys").waitFor();

  step("keys step, then on to Overseerr");
  await advanceTo(page, "setup-step-overseerr");

  step("enter Overseerr's address and API key, inspect");
  await tid(page, "overseerr-url").fill(env.OVERSEERR_URL);
  await tid(page, "overseerr-key").fill(env.OVERSEERR_KEY);
  await tid(page, "overseerr-inspect").click();
  const state = tid(page, "overseerr-agent-state");
  await state.waitFor();
  await page.waitForFunction(
    (url) => document.querySelector('[data-testid="overseerr-agent-state"]')?.textContent?.includes(url),
    env.OTHER_WEBHOOK_URL,
    { timeout: 10_000 },
  );
  log(`agent state: ${(await state.innerText()).replace(/\s+/g, " ")}`);

  step("the agent points elsewhere: connecting needs the replacement confirmed first");
  const confirm = tid(page, "overseerr-replace-confirm");
  const connect = tid(page, "overseerr-connect");
  await confirm.waitFor();
  const isCheckbox = (await confirm.getAttribute("type")) === "checkbox";
  if (isCheckbox) {
    check(await connect.isDisabled(), "Connect is enabled before the replacement is confirmed");
  } else {
    await connect.click();
  }
  const before = await agentInOverseerr();
  check(before.options.webhookUrl === env.OTHER_WEBHOOK_URL, `nothing may be written before the confirmation, found ${before.options.webhookUrl}`);

  step("confirm the replacement and connect");
  if (isCheckbox) {
    await confirm.check();
    await connect.click();
  } else {
    await confirm.click();
  }

  step("wait step turns received when Overseerr's test arrives");
  await advanceTo(page, "setup-wait-status");
  await page.waitForSelector('[data-testid="setup-wait-status"][data-state="received"]', { timeout: 20_000 });
  const after = await agentInOverseerr();
  check(after.options.webhookUrl === `${env.LINKARR_URL}/api/webhooks/overseerr`, `Overseerr's agent now points at ${after.options.webhookUrl}`);
  await screenshot(page, "setup");
});
