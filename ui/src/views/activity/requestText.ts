// Small wordings shared by the Activity list and the request page.

/** "Seasons 1, 2", "Season 3", "All seasons". */
export function seasonsLabel(seasons: number[] | null): string {
  if (!seasons || seasons.length === 0) return "All seasons";
  const sorted = [...seasons].sort((a, b) => a - b);
  return `${sorted.length === 1 ? "Season" : "Seasons"} ${sorted.join(", ")}`;
}
