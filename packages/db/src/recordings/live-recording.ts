import type { Db } from "../client.ts";

/** The recording of the channel's broadcast on air, or null: viewers can rewind through it. */
export async function getLiveRecordingId(
  db: Db,
  { channelName }: { channelName: string },
): Promise<string | null> {
  const recording = await db.recording.findFirst({
    where: { status: "recording", broadcast: { endedAt: null, channel: { name: channelName } } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return recording?.id ?? null;
}
