import "server-only";
import { listLatestVideos, listOpenChatReports, listSiteChatBans, searchAccounts } from "@relaycast/db";
import { getDb } from "@/lib/db.ts";
import { clusterNodes } from "../cluster/media-nodes.ts";
import { listStreamStatuses } from "../live/media-api.ts";

export const ADMIN_USERS_PAGE = 50;

export function findAccounts(query: string) {
  return searchAccounts(getDb(), { query, take: ADMIN_USERS_PAGE });
}

/** Every live stream with the node that holds it, and the cluster's nodes (null with one media node). */
export async function liveOverview() {
  const [streams, nodes] = await Promise.all([listStreamStatuses(), clusterNodes()]);
  const nodeOfHttpUrl = new Map((nodes ?? []).map((node) => [node.httpUrl, node.id]));
  return {
    streams: [...streams.values()].map(({ status, nodeHttpUrl }) => ({
      ...status,
      originNode: (nodeHttpUrl && nodeOfHttpUrl.get(nodeHttpUrl)) ?? "local",
    })),
    nodes,
  };
}

export function siteChatBans() {
  return listSiteChatBans(getDb());
}

export function latestVideos() {
  return listLatestVideos(getDb(), { limit: 20 });
}

export function openReports() {
  return listOpenChatReports(getDb(), {});
}
