import "server-only";
import { channelArchiveBytes, getVideo, listChannelVideos, type TVideoRow } from "@relaycast/db";
import { clusterNodes } from "@/features/cluster/media-nodes.ts";
import { mediaPublicUrlFor } from "@/features/live/media-public-url.ts";
import { getDb } from "@/lib/db.ts";
import { toVideo, type TVideo } from "./video.ts";

/**
 * Where a video's files are served: on one machine the media node; in a cluster the origin that
 * recorded it, while it is up (its archive folder), else another origin (origins share the archive;
 * edges do not mount it).
 */
async function mediaUrlFor(row: TVideoRow, hostHeader: string | null): Promise<string> {
  const nodes = await clusterNodes();
  if (!nodes) return mediaPublicUrlFor(hostHeader);
  const recorder = nodes.find((node) => node.id === row.broadcast.originNode);
  const anyOrigin = nodes.find((node) => node.role !== "edge");
  return (recorder ?? anyOrigin)?.httpUrl ?? mediaPublicUrlFor(hostHeader);
}

/** A channel's videos, newest first. */
export async function channelVideos(
  channelName: string,
  hostHeader: string | null,
  { limit }: { limit?: number } = {},
): Promise<TVideo[]> {
  const rows = await listChannelVideos(getDb(), { channelName, limit });
  return Promise.all(rows.map(async (row) => toVideo(row, await mediaUrlFor(row, hostHeader))));
}

/** One video, or null (never recorded, deleted, or not a video id at all). */
export async function videoById(id: string, hostHeader: string | null): Promise<TVideo | null> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return null;
  const row = await getVideo(getDb(), id);
  return row && toVideo(row, await mediaUrlFor(row, hostHeader));
}

/** The channel's latest finished video, which its offline page offers. */
export async function latestVideo(channelName: string, hostHeader: string | null): Promise<TVideo | null> {
  const recent = await channelVideos(channelName, hostHeader, { limit: 5 });
  return recent.find((video) => video.status === "ready" || video.status === "interrupted") ?? null;
}

/** For the channel's owner (and admins): the archive's disk use, and why the latest recording stopped early, if it did. */
export async function archiveSummary(channel: { id: string; name: string }) {
  const [bytes, [latest]] = await Promise.all([
    channelArchiveBytes(getDb(), { channelId: channel.id }),
    listChannelVideos(getDb(), { channelName: channel.name, limit: 1 }),
  ]);
  return { bytes, recordingFailure: latest?.failureReason ?? null };
}
