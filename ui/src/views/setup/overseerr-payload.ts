// What to enter in Overseerr by hand (Settings → Notifications → Webhook).

/** The notification types to tick, in the order Overseerr lists them. */
export const NOTIFICATION_TYPES = [
  "Media Approved",
  "Media Automatically Approved",
  "Media Available",
];

/** LAN addresses first (Overseerr usually runs on another machine), then localhost. */
export function webhookUrls(urls: string[] | undefined, fallback: string): string[] {
  const list = urls && urls.length ? [...urls] : fallback ? [fallback] : [];
  const local = (url: string) => /\/\/(localhost|127\.|\[::1\])/.test(url);
  return [...list.filter((u) => !local(u)), ...list.filter(local)];
}
