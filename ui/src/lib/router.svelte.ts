// Hash router: `#/`, `#/requests/:id`, `#/library`, `#/library/:id`, `#/settings`,
// `#/setup`, `#/logs`, `#/login?next=/requests/3`. A hash router because the listener
// serves the app at `/` only; the desktop shell and notifications open a route the same
// way (`/#/requests/7`).

export type RouteName =
  | "activity"
  | "request"
  | "library"
  | "library-detail"
  | "settings"
  | "setup"
  | "logs"
  | "login"
  | "not-found";

export interface Route {
  name: RouteName;
  /** The path without `#`, e.g. "/requests/3". */
  path: string;
  /** The numeric id of `/requests/:id` and `/library/:id`, else null. */
  id: number | null;
  /** What follows `?` in the hash. */
  query: URLSearchParams;
}

const STATIC: Record<string, RouteName> = {
  "/": "activity",
  "/library": "library",
  "/settings": "settings",
  "/setup": "setup",
  "/logs": "logs",
  "/login": "login",
};

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, "") || "/";
  const [pathPart, queryPart = ""] = raw.split("?", 2);
  const path = pathPart.replace(/\/+$/, "") || "/";
  const query = new URLSearchParams(queryPart);
  const staticName = STATIC[path];
  if (staticName) return { name: staticName, path, id: null, query };
  const match = /^\/(requests|library)\/(\d+)$/.exec(path);
  if (match) {
    const name = match[1] === "requests" ? "request" : "library-detail";
    return { name, path, id: Number(match[2]), query };
  }
  return { name: "not-found", path, id: null, query };
}

class Router {
  current: Route = $state(parseHash(window.location.hash));
}

/** `router.current` is the route shown; reading it in a component tracks it. */
export const router = new Router();

window.addEventListener("hashchange", () => {
  router.current = parseHash(window.location.hash);
});

/** An `href` for a route path: `href("/requests/3")` → "#/requests/3". */
export function href(path: string): string {
  return `#${path}`;
}

/** Goes to `path` ("/library/4"); `replace` keeps it out of the back history. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (window.location.hash === target) return;
  if (options.replace) {
    const url = new URL(window.location.href);
    url.hash = target;
    window.history.replaceState(window.history.state, "", url);
    router.current = parseHash(target); // replaceState fires no hashchange
  } else {
    window.location.hash = target;
  }
}

/** To the login page, remembering where the user wanted to go. */
export function navigateToLogin(): void {
  const here = router.current;
  if (here.name === "login") return;
  const next = here.path + (here.query.toString() ? `?${here.query}` : "");
  navigate(`/login?next=${encodeURIComponent(next)}`, { replace: true });
}

/** After login: where the user wanted to go (never back to the login page). */
export function loginReturnPath(route: Route): string {
  const next = route.query.get("next") ?? "/";
  return next.startsWith("/") && !next.startsWith("/login") ? next : "/";
}
