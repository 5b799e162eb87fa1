// A clock that ticks every 20 s, so "3 min ago" and "in 5 min" stay true without reloads.
// Read `ticker.now` in a template or $derived to re-render on each tick.

class Ticker {
  now: number = $state(Date.now());
}

export const ticker = new Ticker();

window.setInterval(() => {
  ticker.now = Date.now();
}, 20_000);
