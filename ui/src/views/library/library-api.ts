// The library's calls (GET /api/v1/library …), in one place.

import { api, query } from "../../lib/api";
import type {
  ExportBody,
  ExportResult,
  LibrarySort,
  MediaType,
  TitleDetail,
  TitlePage,
} from "../../lib/types";

/** Titles per request: enough to fill a screen twice, small enough to answer at once. */
export const PAGE_SIZE = 100;

export type MediaFilter = "all" | MediaType;

export interface LibraryQuery {
  q: string;
  mediaType: MediaFilter;
  sort: LibrarySort;
}

export function fetchPage(wanted: LibraryQuery, offset: number): Promise<TitlePage> {
  const params = query({
    q: wanted.q,
    media_type: wanted.mediaType === "all" ? null : wanted.mediaType,
    sort: wanted.sort,
    limit: PAGE_SIZE,
    offset,
  });
  return api.get<TitlePage>(`/api/v1/library${params}`);
}

export function fetchTitle(id: number): Promise<TitleDetail> {
  return api.get<TitleDetail>(`/api/v1/library/${id}`);
}

/** Asks Linkarr to open the play link in the default player of the machine it runs on. */
export function openInPlayer(fileId: number): Promise<void> {
  return api.post(`/api/v1/library/files/${fileId}/open`);
}

export function exportStrm(folder: string): Promise<ExportResult> {
  return api.post<ExportResult>("/api/v1/library/export", { folder } satisfies ExportBody);
}
