/** Calls `fn` once, `ms` after the last of a burst of calls. `cancel()` drops a pending call. */
export function debounce(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: number | null = null;
  const run = () => {
    if (timer !== null) window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      timer = null;
      fn();
    }, ms);
  };
  run.cancel = () => {
    if (timer !== null) window.clearTimeout(timer);
    timer = null;
  };
  return run;
}
