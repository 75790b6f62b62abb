import type { LiveState } from "../generated/prisma/enums.ts";
import type { Db } from "../client.ts";

export async function setChannelLiveState(
  db: Db,
  { channelId, liveState }: { channelId: string; liveState: LiveState },
) {
  await db.channel.update({ where: { id: channelId }, data: { liveState } });
}
