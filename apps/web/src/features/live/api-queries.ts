import "server-only";
import { listChannels } from "@relaycast/db";
import { getDb } from "@/lib/db.ts";
import { getChannelStatus, listLiveChannelStatuses, type TChannelStatus } from "./channel-status.ts";
import { sharedPoll } from "./shared-poll.ts";

/** Fresh enough for every open page, cheap enough for thousands of them. */
const POLL_MAX_AGE_MS = 1500;
const PAGE_SIZE = 100;

const pollChannel = sharedPoll(POLL_MAX_AGE_MS, (key) => {
  const [mediaPublicUrl, name] = key.split(" ") as [string, string];
  return getChannelStatus({ name, mediaPublicUrl });
});

const pollDirectory = sharedPoll(POLL_MAX_AGE_MS, (mediaPublicUrl) =>
  listLiveChannelStatuses({ mediaPublicUrl }),
);

export function pollChannelStatus(name: string, mediaPublicUrl: string): Promise<TChannelStatus | null> {
  return pollChannel(`${mediaPublicUrl} ${name.toLowerCase()}`);
}

export function pollLiveDirectory(mediaPublicUrl: string): Promise<TChannelStatus[]> {
  return pollDirectory(mediaPublicUrl);
}

export async function listChannelPage({ after }: { after?: string }) {
  const channels = await listChannels(getDb(), { take: PAGE_SIZE, after });
  return {
    channels: channels.map((channel) => ({
      name: channel.name,
      displayName: channel.owner.displayUsername ?? channel.name,
      title: channel.title,
      liveState: channel.liveState,
    })),
    next: channels.length === PAGE_SIZE ? channels.at(-1)!.name : null,
  };
}
