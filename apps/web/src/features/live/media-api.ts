import "server-only";
import { getConfig } from "@/lib/config.ts";
import { getLog } from "@/lib/logger.ts";
import { ZStreamList, ZStreamStatus, type TStreamStatus } from "@relaycast/media/api";

const MEDIA_API_TIMEOUT_MS = 1500;

/**
 * The media node's view of live streams (GET /api/v1/streams on its HTTP port). Unreachable or
 * malformed answers read as "nothing live there" and are logged.
 */
export async function getStreamStatus({
  channelName,
}: {
  channelName: string;
}): Promise<TStreamStatus | null> {
  const body = await fetchMediaApi(`/api/v1/streams/${encodeURIComponent(channelName)}`);
  return body === null ? null : parseOrNull(() => ZStreamStatus.parse(body));
}

export async function listStreamStatuses(): Promise<Map<string, TStreamStatus>> {
  const body = await fetchMediaApi("/api/v1/streams");
  const list = body === null ? null : parseOrNull(() => ZStreamList.parse(body));
  return new Map((list?.streams ?? []).map((status) => [status.channel, status]));
}

async function fetchMediaApi(path: string): Promise<unknown> {
  try {
    const response = await fetch(`${getConfig().mediaApiUrl}${path}`, {
      signal: AbortSignal.timeout(MEDIA_API_TIMEOUT_MS),
      cache: "no-store",
    });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`media API answered ${response.status}`);
    return await response.json();
  } catch (error) {
    getLog().child({ component: "media-api" }).warn({ err: error, path }, "media API unavailable");
    return null;
  }
}

function parseOrNull<T>(parse: () => T): T | null {
  try {
    return parse();
  } catch (error) {
    getLog()
      .child({ component: "media-api" })
      .error({ err: error }, "media API answered something unexpected");
    return null;
  }
}
