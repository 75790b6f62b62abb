import type { TStreamStatus } from "@relaycast/media/api";

/** What the dashboard polls: the stream's status, or offline. */
export type TStreamHealthResponse = { isLive: true; status: TStreamStatus } | { isLive: false };
