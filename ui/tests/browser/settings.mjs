// Settings: "eighty" as the number of workers is refused with the server's own words, the
// typed value stays in the field, nothing is saved; the Real-Debrid token is shown masked.
// (The port itself is locked under test: the harness sets it to 0 for a free port.)
import { BASE, TOKEN, check, env, log, loginByApi, open, scenario, screenshot, step, tid } from "./lib.mjs";

async function value(locator) {
  return locator.evaluate((el) => ("value" in el ? el.value : el.textContent));
}

await scenario("settings", async ({ context, page }) => {
  step("sign in and open Settings");
  await loginByApi(context);
  await open(page, "#/settings");
  const form = tid(page, "settings-form");
  await form.waitFor();

  step("the Real-Debrid token is shown masked");
  const token = tid(page, "setting-realdebrid_token");
  await token.waitFor();
  const shown = await value(token);
  log(`realdebrid_token shows "${shown}"`);
  check(shown === env.RD_TOKEN_MASKED, `expected the masked "${env.RD_TOKEN_MASKED}", got "${shown}"`);
  const tmdb = await value(tid(page, "setting-tmdb_key"));
  check(tmdb.startsWith("••••") && tmdb.length < 12, `the TMDb key is masked: "${tmdb}"`);
  await page.waitForTimeout(300);
  await screenshot(page, "settings");

  step("what the server says about \"eighty\" workers");
  const refused = await fetch(`${BASE}/api/v1/settings`, {
    method: "PUT",
    headers: { "x-api-key": TOKEN, "content-type": "application/json" },
    body: JSON.stringify({ workers: "eighty" }),
  });
  check(refused.status === 422, `PUT workers=eighty answered ${refused.status}`);
  const words = (await refused.json()).error;
  log(`server: ${words}`);

  step("type it and save: the same words are shown, the input kept");
  check(await tid(page, "setting-port").evaluate((el) => el.readOnly), "the port set for the test is locked");
  const port = tid(page, "setting-workers");
  await port.fill("eighty");
  await tid(page, "settings-save").click();
  const error = tid(page, "settings-error");
  await error.waitFor();
  const text = await error.innerText();
  check(text.includes(words), `settings-error shows "${text}", the server said "${words}"`);
  check((await value(port)) === "eighty", `the workers field now holds "${await value(port)}"`);
  check(!(await tid(page, "settings-saved").isVisible()), "settings-saved shows after a refusal");
});
