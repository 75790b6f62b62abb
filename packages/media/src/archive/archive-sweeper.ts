import type { Logger } from "@relaycast/logger";
import type { ArchiveStorage } from "./archive-storage.ts";
import type { RecordingFinisher } from "./recording-finisher.ts";
import type { RecordingStore } from "./recording-store.ts";

export const SWEEP_INTERVAL_MS = 60_000;

export type ArchiveSweeperOptions = {
  store: RecordingStore;
  storage: ArchiveStorage;
  finisher: RecordingFinisher;
  intervalMs?: number;
  log: Logger;
};

/**
 * The archive's upkeep, when an origin starts (after it closed the broadcasts a previous run left
 * open) and every minute:
 * - recordings whose broadcast ended without their recorder (the origin was killed) are finished as
 *   `interrupted`;
 * - videos past their channel's retention are deleted, and deleted videos' files removed.
 * Only a node that holds a recording's files acts on it.
 */
export class ArchiveSweeper {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(private readonly options: ArchiveSweeperOptions) {}

  async start(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs ?? SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** One pass now (or the one under way). */
  sweep(): Promise<void> {
    this.sweeping ??= this.run().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async run(): Promise<void> {
    try {
      await this.recoverInterrupted();
      await this.removeDeleted();
    } catch (error) {
      this.options.log.error({ err: error }, "archive upkeep failed; next pass in a minute");
    }
  }

  private async recoverInterrupted(): Promise<void> {
    const { store, finisher } = this.options;
    for (const recordingId of await store.recordingsToRecover()) {
      if (await this.holds(recordingId)) await finisher.finish(recordingId, "interrupted");
    }
  }

  private async removeDeleted(): Promise<void> {
    const { store, storage, log } = this.options;
    const expired = await store.expireRecordings();
    if (expired > 0) log.info({ expired }, "videos past their channel's retention deleted");
    for (const recordingId of await store.recordingsWithFilesToRemove()) {
      if (!(await this.holds(recordingId))) continue;
      await storage.remove(recordingId);
      await store.filesRemoved(recordingId);
      log.info({ recordingId }, "deleted video's files removed");
    }
  }

  private async holds(recordingId: string): Promise<boolean> {
    return (await this.options.storage.list(recordingId)).length > 0;
  }
}
