// After a port or address change the listener moves: the PUT is answered from the old
// address, then Linkarr listens on the new one. The page follows it there.

import { config } from "../../lib/api";

const WILDCARDS = new Set(["", "0.0.0.0", "::", "[::]"]);

/** The origin Linkarr answers at after the move, seen from this page. */
export function movedOrigin(port: string, bind: string): string {
  const url = new URL(window.location.origin);
  const host = bind.trim();
  // Listening on one address only: that address is the way in (unless it is the
  // wildcard, when the current host name still works).
  if (!WILDCARDS.has(host)) url.hostname = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  url.port = port.trim() || "8000";
  return url.origin;
}

/** Resolves true once something answers at `origin` (an image probe: the page's CSP lets
 *  images load from any http address, unlike fetch). */
export function waitForListener(origin: string, tries = 30, everyMs = 700): Promise<boolean> {
  return new Promise((resolve) => {
    let left = tries;
    const probe = () => {
      const img = new Image();
      img.onload = () => resolve(true);
      img.onerror = () => {
        left -= 1;
        if (left <= 0) resolve(false);
        else window.setTimeout(probe, everyMs);
      };
      img.src = `${origin}/favicon.svg?probe=${Date.now()}`;
    };
    window.setTimeout(probe, everyMs);
  });
}

/** Opens this page at the new origin. The desktop window is moved there by its shell, which
 *  hears of the move from the core; a reload covers a page that was faster. */
export function goTo(origin: string): void {
  if (config.desktop) {
    window.location.reload();
    return;
  }
  window.location.href = `${origin}${window.location.pathname}${window.location.hash}`;
}
