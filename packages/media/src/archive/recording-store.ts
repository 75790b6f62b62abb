/** The database side of the archive, as the recorder and the recovery pass need it (tests pass plain objects). */
export type RecordingStore = {
  /** A broadcast's recording gets a part from this origin: its id, and the part's folder in it. */
  openRecordingPart(broadcastId: string): Promise<{ recordingId: string; partDir: string }>;
  /** Takes a recording for finishing: its parts' folders, or null when another finisher has it. */
  beginFinishing(recordingId: string): Promise<string[] | null>;
  finish(recordingId: string, summary: TRecordingSummary): Promise<void>;
  /** Why the recording stopped before its broadcast (a full disk, a recorder that died), for its owner. */
  recordFailure(recordingId: string, reason: string): Promise<void>;
  /** Unfinished recordings of broadcasts that are over (their origin crashed). */
  recordingsToRecover(): Promise<string[]>;
  /** Deletes the videos past their channel's retention: how many. */
  expireRecordings(): Promise<number>;
  /** Deleted videos whose files are still in the archive. */
  recordingsWithFilesToRemove(): Promise<string[]>;
  filesRemoved(recordingId: string): Promise<void>;
};

export type TRecordingSummary = {
  status: "ready" | "interrupted";
  durationMs: number;
  sizeBytes: number;
  /** Relative to the recording's folder; null when no frame could be read. */
  thumbnailPath: string | null;
};
