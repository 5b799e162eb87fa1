// Measures #/library in headless Chromium (run by `cargo bench --bench library_ui`): from
// navigation start to the first library card (or, on an empty library, the empty message)
// and to the grid settled (no change inside it for 1 s), over ROUNDS fresh page loads.
// Prints `RESULT {json}` with the medians.
import { BASE, loginByApi, launch, newContext, until } from "./lib.mjs";

const rounds = Number(process.env.ROUNDS ?? 5);

/** Installed before the page's own scripts: timestamps (ms since navigation) of the grid. */
function observe() {
  const bench = { first: null, last: null, empty: null, cards: 0 };
  window.__bench = bench;
  new MutationObserver((records) => {
    const now = performance.now();
    const cards = document.querySelectorAll('[data-testid="library-card"]');
    if (cards.length) {
      const grid = cards[0].parentElement;
      if (bench.first === null) bench.first = now;
      if (records.some((r) => grid.contains(r.target) || r.target.contains(grid))) bench.last = now;
      bench.cards = cards.length;
    } else if (bench.empty === null && document.querySelector('[data-testid="library-empty"]')) {
      bench.empty = now;
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
};

const timer = setTimeout(() => {
  console.error("library-bench: timed out");
  process.exit(2);
}, 180_000);
const browser = await launch();
const samples = [];
try {
  for (let round = 0; round < rounds; round++) {
    const context = await newContext(browser);
    await loginByApi(context);
    await context.addInitScript(observe);
    const page = await context.newPage();
    await page.goto(`${BASE}/#/library`);
    const sample = await until(
      "the library to show and settle",
      () =>
        page.evaluate(() => {
          const b = window.__bench;
          if (b.empty !== null) return { first: null, settled: null, empty: b.empty, cards: 0 };
          if (b.last !== null && performance.now() - b.last > 1000) {
            return { first: b.first, settled: b.last, empty: null, cards: b.cards };
          }
          return null;
        }),
      30_000,
    );
    console.log(`round ${round + 1}: ${JSON.stringify(sample)}`);
    samples.push(sample);
    await context.close();
  }
} finally {
  await browser.close();
  clearTimeout(timer);
}
console.log(
  "RESULT " +
    JSON.stringify({
      first_card_ms: median(samples.map((s) => s.first)),
      settled_ms: median(samples.map((s) => s.settled)),
      empty_ms: median(samples.map((s) => s.empty)),
      cards: samples.at(-1)?.cards ?? 0,
    }),
);
