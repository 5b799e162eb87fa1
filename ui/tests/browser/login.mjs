// Login: without a session the app sends you to #/login; a wrong secret is refused with the
// server's words; the API token signs in and opens the app.
import { BASE, TOKEN, check, log, open, scenario, screenshot, step, tid } from "./lib.mjs";

await scenario("login", async ({ page }) => {
  step("no session: the app asks to sign in");
  await open(page, "#/library");
  await tid(page, "login-secret").waitFor();
  check(page.url().includes("#/login"), `at ${page.url()}`);
  await page.waitForTimeout(200);
  await screenshot(page, "login");

  step("what the server says to a wrong secret");
  const refused = await fetch(`${BASE}/api/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ secret: "not-the-secret" }),
  });
  check(refused.status === 401, `POST /api/v1/session answered ${refused.status}`);
  const words = (await refused.json()).error;
  log(`server: ${words}`);

  step("a wrong secret shows those words and stays on the login page");
  await tid(page, "login-secret").fill("not-the-secret");
  await tid(page, "login-submit").click();
  const error = tid(page, "login-error");
  await error.waitFor();
  const text = await error.innerText();
  check(text.includes(words), `login-error shows "${text}"`);
  check(page.url().includes("#/login"), `at ${page.url()}`);

  step("the API token signs in and returns to the wanted page");
  await tid(page, "login-secret").fill(TOKEN);
  await tid(page, "login-submit").click();
  await tid(page, "nav-activity").waitFor();
  await page.waitForFunction(() => !location.hash.startsWith("#/login"), null, { timeout: 10_000 });
  log(`now at ${page.url()}`);
  check(page.url().includes("#/library"), `returned to ${page.url()}, wanted #/library`);
});
