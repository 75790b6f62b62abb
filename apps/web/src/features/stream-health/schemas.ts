import type { TStreamStatus } from "../live/media-schemas.ts";

/** What the dashboard polls: the stream's status, or offline. */
export type TStreamHealthResponse = { isLive: true; status: TStreamStatus } | { isLive: false };
