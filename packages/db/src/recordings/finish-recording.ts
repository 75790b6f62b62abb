import type { Db } from "../client.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { recordingParts } from "./recording-parts.ts";
import { expiryOf } from "./retention.ts";

/** A `processing` recording not finished after this long lost its finisher (its node died meanwhile). */
const STUCK_PROCESSING_MS = 5 * 60_000;

/** Recordings still to finish: `recording`, or `processing` with a finisher that is gone. */
export function unfinishedRecordings(): Prisma.RecordingWhereInput {
  return {
    OR: [
      { status: "recording" },
      { status: "processing", updatedAt: { lt: new Date(Date.now() - STUCK_PROCESSING_MS) } },
    ],
  };
}

/**
 * Takes an unfinished recording for finishing (→ `processing`), for exactly one caller, whether the
 * origin that ended the broadcast or a recovery pass after a crash: its parts, or null for the others.
 */
export async function beginFinishingRecording(db: Db, recordingId: string): Promise<string[] | null> {
  const { count } = await db.recording.updateMany({
    where: { id: recordingId, ...unfinishedRecordings() },
    data: { status: "processing" },
  });
  if (count !== 1) return null;
  const { files } = await db.recording.findUniqueOrThrow({
    where: { id: recordingId },
    select: { files: true },
  });
  return recordingParts(files);
}

export type RecordingSummary = {
  /** `ready` after a broadcast that ended; `interrupted` when a crash or a failed write cut it short. */
  status: "ready" | "interrupted";
  durationMs: number;
  sizeBytes: number;
  /** The thumbnail's path in the archive, relative to the recording's folder; null when none could be made. */
  thumbnailPath: string | null;
};

/** Writes what the finished recording holds, and makes it a video, kept as its channel's retention says. */
export async function finishRecording(db: Db, recordingId: string, summary: RecordingSummary): Promise<void> {
  await db.recording.update({
    where: { id: recordingId },
    data: { ...summary, sizeBytes: BigInt(summary.sizeBytes), expiresAt: await expiryOf(db, recordingId) },
  });
}

/** The recording could not go on (a full or slow disk, the recorder died): why, for its owner. */
export async function recordRecordingFailure(db: Db, recordingId: string, reason: string): Promise<void> {
  await db.recording.update({ where: { id: recordingId }, data: { failureReason: reason } });
}
