import "server-only";
import { getChannelByName, getOwnedChannel, listLiveChannels } from "@relaycast/db";
import { getDb } from "@/lib/db.ts";

export function getChannelPage({ name }: { name: string }) {
  return getChannelByName(getDb(), { name });
}

export function getDashboardChannel({ ownerId }: { ownerId: string }) {
  return getOwnedChannel(getDb(), { ownerId });
}

export function getLiveDirectory() {
  return listLiveChannels(getDb());
}
