// Library: the grid, search (q=), the movie/TV filter, sorting by title, the empty result,
// and one title's detail with its stream.
import { check, env, log, loginByApi, open, scenario, screenshot, step, tid, until } from "./lib.mjs";

const total = Number(env.LIBRARY_TOTAL);
const shows = Number(env.LIBRARY_SHOWS);

async function titles(page) {
  return tid(page, "library-card-title").allInnerTexts();
}

/** Waits until the grid shows exactly `count` cards. */
async function cards(page, count, what) {
  const grid = tid(page, "library-card");
  await until(`${count} cards (${what})`, async () => (await grid.count()) === count, 10_000).catch(
    async (error) => {
      throw new Error(`${error.message}; showing ${await grid.count()}: ${await titles(page)}`);
    },
  );
}

async function choose(select, value) {
  const options = await select.locator("option").evaluateAll((all) => all.map((o) => [o.value, o.textContent.trim()]));
  const match = options.find(([v, label]) => v === value || label.toLowerCase().includes(value));
  check(match, `no option "${value}" among ${JSON.stringify(options)}`);
  await select.selectOption(match[0]);
}

await scenario("library", async ({ context, page }) => {
  step("sign in; the library shows every title");
  await loginByApi(context);
  await open(page, "#/library");
  await cards(page, total, "all");
  await page.waitForTimeout(300);
  await screenshot(page, "library");

  step("search narrows it down");
  await tid(page, "library-search").fill("night");
  await cards(page, 1, "search night");
  check((await titles(page))[0].includes("Night of the Living Dead"), `found ${await titles(page)}`);
  await tid(page, "library-search").fill("");
  await cards(page, total, "search cleared");

  step("the filter shows shows only");
  await choose(tid(page, "library-filter"), "tv");
  await cards(page, shows, "tv");
  await choose(tid(page, "library-filter"), "all");
  await cards(page, total, "all again");

  step("sorted by title");
  await choose(tid(page, "library-sort"), "title");
  await until("Bonanza first", async () => (await titles(page))[0]?.includes("Bonanza"), 10_000).catch(async (e) => {
    throw new Error(`${e.message}; order: ${await titles(page)}`);
  });

  step("a search that finds nothing says so");
  await tid(page, "library-search").fill("zzzz no such title");
  await tid(page, "library-empty").waitFor();
  check((await tid(page, "library-card").count()) === 0, "no cards for a search that finds nothing");
  await tid(page, "library-search").fill("");
  await cards(page, total, "search cleared");

  step("open The Matrix: its stream is there");
  await page.locator(`[data-testid="library-card"][data-item-id="${env.MATRIX_ITEM_ID}"]`).click();
  const detail = tid(page, "library-detail");
  await detail.waitFor();
  await tid(detail, "file-row").first().waitFor();
  const files = await tid(detail, "file-row").allInnerTexts();
  log(`files: ${files.map((f) => f.replace(/\s+/g, " ")).join(" | ")}`);
  check(files.length === 1, `one stream, found ${files.length}`);
  await tid(detail, "copy-play-link").first().waitFor();
  await page.waitForTimeout(300);
  await screenshot(page, "library-detail");
});
