// What to enter in Overseerr by hand (Settings → Notifications → Webhook).

/** Overseerr's default JSON payload, as its "Reset to Default" button fills it in. Linkarr
 *  reads exactly this shape; Jellyseerr ships the same template. */
export const DEFAULT_JSON_PAYLOAD = `{
    "notification_type": "{{notification_type}}",
    "event": "{{event}}",
    "subject": "{{subject}}",
    "message": "{{message}}",
    "image": "{{image}}",
    "{{media}}": {
        "media_type": "{{media_type}}",
        "tmdbId": "{{media_tmdbid}}",
        "tvdbId": "{{media_tvdbid}}",
        "status": "{{media_status}}",
        "status4k": "{{media_status4k}}"
    },
    "{{request}}": {
        "request_id": "{{request_id}}",
        "requestedBy_email": "{{requestedBy_email}}",
        "requestedBy_username": "{{requestedBy_username}}",
        "requestedBy_avatar": "{{requestedBy_avatar}}",
        "requestedBy_settings_discordId": "{{requestedBy_settings_discordId}}",
        "requestedBy_settings_telegramChatId": "{{requestedBy_settings_telegramChatId}}"
    },
    "{{issue}}": {
        "issue_id": "{{issue_id}}",
        "issue_type": "{{issue_type}}",
        "issue_status": "{{issue_status}}",
        "reportedBy_email": "{{reportedBy_email}}",
        "reportedBy_username": "{{reportedBy_username}}",
        "reportedBy_avatar": "{{reportedBy_avatar}}",
        "reportedBy_settings_discordId": "{{reportedBy_settings_discordId}}",
        "reportedBy_settings_telegramChatId": "{{reportedBy_settings_telegramChatId}}"
    },
    "{{comment}}": {
        "comment_message": "{{comment_message}}",
        "commentedBy_email": "{{commentedBy_email}}",
        "commentedBy_username": "{{commentedBy_username}}",
        "commentedBy_avatar": "{{commentedBy_avatar}}",
        "commentedBy_settings_discordId": "{{commentedBy_settings_discordId}}",
        "commentedBy_settings_telegramChatId": "{{commentedBy_settings_telegramChatId}}"
    },
    "{{extra}}": []
}`;

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
