import "server-only";
import { listChannels } from "@relaycast/db";
import { getDb } from "@/lib/db.ts";
import {
  addressed,
  getChannelState,
  listLiveChannelStates,
  type TChannelState,
  type TChannelStatus,
} from "./channel-status.ts";
import { EventFeeds, type FeedSubscriber } from "./event-feeds.ts";
import { sharedPoll } from "./shared-poll.ts";

/** Fresh enough for every open page, cheap enough for thousands of them. */
const POLL_MAX_AGE_MS = 1500;
const CHANNEL_EVENTS_INTERVAL_MS = 2000;
const DIRECTORY_EVENTS_INTERVAL_MS = 3000;
const PAGE_SIZE = 100;
const DIRECTORY_KEY = "live";

// Keyed by channel name only: nothing a client sends (a Host header) makes a new key.
const pollChannel = sharedPoll(POLL_MAX_AGE_MS, (name) => getChannelState({ name }));
const pollDirectory = sharedPoll(POLL_MAX_AGE_MS, () => listLiveChannelStates());

const channelFeeds = new EventFeeds<TChannelState | null>({
  intervalMs: CHANNEL_EVENTS_INTERVAL_MS,
  poll: pollChannel,
});
const directoryFeed = new EventFeeds<TChannelState[]>({
  intervalMs: DIRECTORY_EVENTS_INTERVAL_MS,
  poll: pollDirectory,
});

export async function pollChannelStatus(
  name: string,
  mediaPublicUrl: string,
): Promise<TChannelStatus | null> {
  const state = await pollChannel(name.toLowerCase());
  return state && addressed(state, mediaPublicUrl);
}

export async function pollLiveDirectory(mediaPublicUrl: string): Promise<TChannelStatus[]> {
  return (await pollDirectory(DIRECTORY_KEY)).map((state) => addressed(state, mediaPublicUrl));
}

/** Listens to a channel's status through the one poll all of its viewers share. */
export function subscribeToChannel(name: string, subscriber: FeedSubscriber<TChannelState | null>) {
  return channelFeeds.subscribe(name.toLowerCase(), subscriber);
}

/** Listens to the live directory through the one poll all of its viewers share. */
export function subscribeToDirectory(subscriber: FeedSubscriber<TChannelState[]>) {
  return directoryFeed.subscribe(DIRECTORY_KEY, subscriber);
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
