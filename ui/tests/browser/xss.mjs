// Untrusted text: a torrent name with <script>, a TMDb title and a webhook subject with
// <img onerror> render as text, nothing runs, and no dialog opens.
import { check, env, log, loginByApi, open, scenario, step, tid } from "./lib.mjs";

await scenario("xss", async ({ context, page, dialogs }) => {
  step("sign in; Activity shows the hostile title as text");
  await loginByApi(context);
  await open(page, "#/");
  const row = page.locator(`[data-testid="request-row"][data-request-id="${env.REQUEST_ID}"]`);
  await row.waitFor();
  const title = await tid(row, "request-title").innerText();
  log(`title: ${title}`);
  check(title.includes("<img"), `the title's markup is shown as text: "${title}"`);
  check((await page.locator('img[src="x"]').count()) === 0, "an <img src=x> element was created from the title");

  step("the request detail shows the <script> torrent name as text");
  await open(page, `#/requests/${env.REQUEST_ID}`);
  const detail = tid(page, "request-detail");
  await detail.waitFor();
  await tid(detail, "candidate-row").first().waitFor();
  const names = await tid(detail, "candidate-name").allInnerTexts();
  log(`candidate names: ${names.join(" | ")}`);
  check(names.some((n) => n.includes("<script>alert(1)</script>")), "the <script> name is shown as text");
  check(names.some((n) => n.includes("<b>BOLD</b>")), "the <b> name is shown as text");
  check((await detail.locator("script").count()) === 0, "a <script> element was created in the detail");
  check((await detail.locator("b").filter({ hasText: "BOLD" }).count()) === 0, "a <b> element was created");

  step("nothing ran");
  await page.waitForTimeout(500);
  check(dialogs.length === 0, `dialogs opened: ${dialogs.join(", ")}`);
});
