import type { Logger } from "@relaycast/logger";
import type { ArchiveStorage } from "./archive-storage.ts";
import type { RecordingFinisher } from "./recording-finisher.ts";
import type { RecordingStore } from "./recording-store.ts";

export const RECOVERY_INTERVAL_MS = 60_000;

export type RecordingRecoveryOptions = {
  store: RecordingStore;
  storage: ArchiveStorage;
  finisher: RecordingFinisher;
  intervalMs?: number;
  log: Logger;
};

/**
 * Finishes, as `interrupted`, the recordings whose broadcast ended without their recorder: the origin
 * was killed, and the broadcast was closed by its restart or by another node once its lease ran out.
 * Runs when an origin starts (after it closed its own orphaned broadcasts) and every minute. Only a
 * node that holds a recording's files finishes it.
 */
export class RecordingRecovery {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(private readonly options: RecordingRecoveryOptions) {}

  async start(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs ?? RECOVERY_INTERVAL_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  private sweep(): Promise<void> {
    this.sweeping ??= this.recover().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async recover(): Promise<void> {
    const { store, storage, finisher, log } = this.options;
    try {
      for (const recordingId of await store.recordingsToRecover()) {
        if ((await storage.list(recordingId)).length === 0) continue;
        await finisher.finish(recordingId, "interrupted");
      }
    } catch (error) {
      log.error({ err: error }, "could not recover interrupted recordings");
    }
  }
}
