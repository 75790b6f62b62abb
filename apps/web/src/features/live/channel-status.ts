import "server-only";
import { getChannelByName, getLatestBroadcast, getLiveRecordingId, listLiveChannels } from "@relaycast/db";
import { mediaNodeUrl } from "@relaycast/media/api";
import { getDb } from "@/lib/db.ts";
import { getLog } from "@/lib/logger.ts";
import { createBroadcastSweeper, type BroadcastSweeper } from "./broadcast-sweeper.ts";
import { getStreamStatus, listStreamStatuses, type TLocatedStream } from "./media-api.ts";
import { thumbnailUrlFor } from "./play-sources.ts";

/** A channel as viewers see it: what the public API returns and the pages show. */
export type TChannelStatus = {
  name: string;
  displayName: string;
  title: string;
  liveState: "live" | "reconnecting" | "offline";
  startedAt: string | null;
  uptimeSeconds: number | null;
  viewers: number;
  thumbnailUrl: string | null;
  /** When offline: the last broadcast, if there was one. */
  lastBroadcast: { startedAt: string; endedAt: string; peakViewers: number } | null;
  /** While live: the recording so far (an HLS EVENT playlist), which viewers can rewind through. */
  rewindUrl: string | null;
};

/**
 * A channel's status before it is addressed to a viewer (`addressed`): the same whatever host the
 * viewer browses, so one poll per channel serves every viewer.
 */
export type TChannelState = Omit<TChannelStatus, "thumbnailUrl" | "rewindUrl"> & {
  hasThumbnail: boolean;
  /** In a cluster, the HTTP origin of the node holding the channel (its thumbnails and recording are there). */
  originHttpUrl: string | null;
  /** The recording of the broadcast on air, when the channel's own status was asked for. */
  liveRecordingId: string | null;
};

type TChannelRow = NonNullable<Awaited<ReturnType<typeof getChannelByName>>>;

/** The status with the URLs of the media node this viewer reaches. */
export function addressed(
  { hasThumbnail, originHttpUrl, liveRecordingId, ...state }: TChannelState,
  mediaPublicUrl: string,
): TChannelStatus {
  const origin = originHttpUrl ?? mediaPublicUrl;
  return {
    ...state,
    thumbnailUrl: hasThumbnail ? thumbnailUrlFor(state.name, origin) : null,
    rewindUrl: liveRecordingId ? mediaNodeUrl(origin, `/vod/${liveRecordingId}/index.m3u8`) : null,
  };
}

let sweeper: BroadcastSweeper | undefined;

/** Broadcasts whose media node died are closed before live state is read (at most every 2 s). */
function sweepExpiredBroadcasts(): Promise<void> {
  sweeper ??= createBroadcastSweeper(getDb(), getLog().child({ component: "broadcast-sweeper" }));
  return sweeper.sweep();
}

export async function getChannelState({ name }: { name: string }): Promise<TChannelState | null> {
  await sweepExpiredBroadcasts();
  const channel = await getChannelByName(getDb(), { name });
  if (!channel) return null;
  const stream =
    channel.liveState === "offline" ? null : await getStreamStatus({ channelName: channel.name });
  const status = toState(channel, stream);
  if (status.liveState !== "offline") {
    return { ...status, liveRecordingId: await getLiveRecordingId(getDb(), { channelName: channel.name }) };
  }
  const last = await getLatestBroadcast(getDb(), { channelName: channel.name });
  const lastBroadcast = last?.endedAt
    ? {
        startedAt: last.startedAt.toISOString(),
        endedAt: last.endedAt.toISOString(),
        peakViewers: last.peakViewers,
      }
    : null;
  return { ...status, lastBroadcast };
}

/** Live channels, most watched first. */
export async function listLiveChannelStates(): Promise<TChannelState[]> {
  await sweepExpiredBroadcasts();
  const [channels, streams] = await Promise.all([listLiveChannels(getDb()), listStreamStatuses()]);
  return channels
    .map((channel) => toState(channel, streams.get(channel.name) ?? null))
    .sort((a, b) => b.viewers - a.viewers || a.name.localeCompare(b.name));
}

function toState(
  channel: Pick<TChannelRow, "name" | "title" | "liveState" | "owner">,
  located: TLocatedStream | null,
): TChannelState {
  const stream = located?.status ?? null;
  // The media node knows best whether a stream plays right now; the database may lag by a write.
  const liveState = stream?.state ?? (channel.liveState === "offline" ? "offline" : channel.liveState);
  return {
    name: channel.name,
    displayName: channel.owner.displayUsername ?? channel.name,
    title: channel.title,
    liveState,
    startedAt: stream?.startedAt ?? null,
    uptimeSeconds: stream?.uptimeSeconds ?? null,
    viewers: stream?.viewers.total ?? 0,
    hasThumbnail: stream !== null,
    originHttpUrl: located?.nodeHttpUrl ?? null,
    liveRecordingId: null,
    lastBroadcast: null,
  };
}
