import {
  beginFinishingRecording,
  expireRecordings,
  markRecordingFilesRemoved,
  recordingsWithFilesToRemove,
  finishRecording,
  openRecordingPart,
  recordingsToRecover,
  recordRecordingFailure,
  type Db,
} from "@relaycast/db";
import type { RecordingStore } from "./recording-store.ts";

export function dbRecordingStore(db: Db): RecordingStore {
  return {
    openRecordingPart: (broadcastId) => openRecordingPart(db, broadcastId),
    beginFinishing: (recordingId) => beginFinishingRecording(db, recordingId),
    finish: (recordingId, summary) => finishRecording(db, recordingId, summary),
    recordFailure: (recordingId, reason) => recordRecordingFailure(db, recordingId, reason),
    recordingsToRecover: () => recordingsToRecover(db),
    expireRecordings: () => expireRecordings(db),
    recordingsWithFilesToRemove: () => recordingsWithFilesToRemove(db),
    filesRemoved: (recordingId) => markRecordingFilesRemoved(db, recordingId),
  };
}
