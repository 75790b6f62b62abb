import type { Logger } from "@relaycast/logger";
import type { LiveStream } from "../edge/live-stream.ts";
import type { ArchiveStorage } from "./archive-storage.ts";
import { Recorder, type TRecordingFailure } from "./recorder.ts";
import { RecordingFinisher } from "./recording-finisher.ts";
import { ArchiveSweeper } from "./archive-sweeper.ts";
import type { RecordingStore } from "./recording-store.ts";
import { readVodFile, type VodFile } from "./vod-files.ts";

export type ArchiveOptions = {
  storage: ArchiveStorage;
  store: RecordingStore;
  /** Target segment length of recordings (default 4 s). */
  segmentSeconds?: number;
  /** Recordings stop when the archive's disk has less free space (default 256 MiB). */
  minFreeBytes?: number;
  ffmpegPath: string;
  ffmpegEnv: Record<string, string>;
  failed(reason: TRecordingFailure): void;
  log: Logger;
};

const DEFAULT_SEGMENT_SECONDS = 4;
const DEFAULT_MIN_FREE_BYTES = 256 * 1024 * 1024;

/**
 * Every broadcast's recording, on the node that carries it (an origin), and the archive's files for
 * players (`/vod/`): a recorder per broadcast, the finisher that makes a video of it, and the
 * sweeper that finishes what a crash left and removes what was deleted.
 */
export class Archive {
  private readonly finisher: RecordingFinisher;
  private readonly sweeper: ArchiveSweeper;
  private readonly log: Logger;

  constructor(private readonly options: ArchiveOptions) {
    this.log = options.log.child({ component: "archive" });
    this.finisher = new RecordingFinisher({ ...options, log: this.log });
    this.sweeper = new ArchiveSweeper({ ...options, finisher: this.finisher, log: this.log });
  }

  /**
   * Finishes the recordings a crash left (after the node closed its orphaned broadcasts) and removes
   * deleted videos, now and every minute.
   */
  start(): Promise<void> {
    return this.sweeper.start();
  }

  close(): Promise<void> {
    return this.sweeper.close();
  }

  recorder(stream: LiveStream, broadcastId: string): Recorder {
    const { options } = this;
    return new Recorder(stream, {
      broadcastId,
      storage: options.storage,
      store: options.store,
      finisher: this.finisher,
      ffmpegPath: options.ffmpegPath,
      ffmpegEnv: options.ffmpegEnv,
      segmentSeconds: options.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS,
      minFreeBytes: options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES,
      failed: options.failed,
      log: this.log.child({ channel: stream.channel, broadcastId }),
    });
  }

  /** A file under `/vod/`: a recording's playlist, a segment, a thumbnail. */
  readFile(path: string): Promise<VodFile | null> {
    return readVodFile(this.options.storage, path);
  }
}
