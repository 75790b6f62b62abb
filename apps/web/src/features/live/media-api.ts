import "server-only";
import { ZStreamList, ZStreamStatus, type TStreamStatus } from "@relaycast/media/api";
import { getConfig } from "@/lib/config.ts";
import { getLog } from "@/lib/logger.ts";
import { clusterNodes, originNodeOf } from "../cluster/media-nodes.ts";

const MEDIA_API_TIMEOUT_MS = 1500;

/** A live stream's status, and the HTTP origin of the node that holds it (for its thumbnail). */
export type TLocatedStream = { status: TStreamStatus; nodeHttpUrl: string | null };

/**
 * A channel's stream as its origin describes it (GET /api/v1/streams/<channel>): in a cluster, the
 * node the registry says holds it; otherwise the configured media node. Unreachable or malformed
 * answers read as "nothing live there" and are logged.
 */
export async function getStreamStatus({
  channelName,
}: {
  channelName: string;
}): Promise<TLocatedStream | null> {
  const path = `/api/v1/streams/${encodeURIComponent(channelName)}`;
  const nodes = await clusterNodes();
  const origin = nodes ? await originNodeOf(channelName) : null;
  if (nodes && !origin) return null;
  const body = await fetchMediaApi(origin?.apiUrl ?? getConfig().mediaApiUrl, path);
  const status = body === null ? null : parseOrNull(() => ZStreamStatus.parse(body));
  return status && { status, nodeHttpUrl: origin?.httpUrl ?? null };
}

/** Every live stream, from every node that takes publishers (each reports the channels it holds). */
export async function listStreamStatuses(): Promise<Map<string, TLocatedStream>> {
  const nodes = await clusterNodes();
  const sources = nodes
    ? nodes
        .filter((node) => node.role !== "edge")
        .map((node) => ({ apiUrl: node.apiUrl, httpUrl: node.httpUrl }))
    : [{ apiUrl: getConfig().mediaApiUrl, httpUrl: null }];
  const lists = await Promise.all(
    sources.map(async ({ apiUrl, httpUrl }) => {
      const body = await fetchMediaApi(apiUrl, "/api/v1/streams");
      const list = body === null ? null : parseOrNull(() => ZStreamList.parse(body));
      return (list?.streams ?? [])
        .filter((status) => status.source.kind === "ingest")
        .map((status) => ({ status, nodeHttpUrl: httpUrl }));
    }),
  );
  return new Map(lists.flat().map((located) => [located.status.channel, located]));
}

async function fetchMediaApi(apiUrl: string, path: string): Promise<unknown> {
  try {
    const response = await fetch(`${apiUrl}${path}`, {
      signal: AbortSignal.timeout(MEDIA_API_TIMEOUT_MS),
      cache: "no-store",
    });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`media API answered ${response.status}`);
    return await response.json();
  } catch (error) {
    getLog().child({ component: "media-api" }).warn({ err: error, apiUrl, path }, "media API unavailable");
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
