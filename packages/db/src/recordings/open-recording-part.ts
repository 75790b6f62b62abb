import type { Db } from "../client.ts";
import { recordingParts } from "./recording-parts.ts";

/**
 * The origin that carries a broadcast now starts writing a part of its recording. The first part
 * makes the Recording row, with the channel's title at that moment; a later one (the channel moved
 * to another origin mid-broadcast) is added to it. Answers the recording's id and the new part's
 * folder, relative to the recording's. One origin at a time holds a channel, so parts never race.
 */
export async function openRecordingPart(
  db: Db,
  broadcastId: string,
): Promise<{ recordingId: string; partDir: string }> {
  return db.$transaction(async (tx) => {
    const { channel } = await tx.broadcast.findUniqueOrThrow({
      where: { id: broadcastId },
      select: { channel: { select: { title: true } } },
    });
    const recording = await tx.recording.upsert({
      where: { broadcastId },
      create: { broadcastId, title: channel.title },
      update: {},
      select: { id: true, files: true },
    });
    const parts = recordingParts(recording.files);
    const partDir = `part-${parts.length + 1}`;
    await tx.recording.update({ where: { id: recording.id }, data: { files: [...parts, partDir] } });
    return { recordingId: recording.id, partDir };
  });
}
