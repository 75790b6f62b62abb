import { BROADCAST_LEASE_MS, closeExpiredBroadcasts, type Db } from "@relaycast/db";
import type { Logger } from "@relaycast/logger";

/** The web sweeps at most this often, whatever the number of readers. */
const SWEEP_INTERVAL_MS = 2_000;

export type BroadcastSweeper = { sweep(): Promise<void> };

/**
 * Closes the broadcasts whose media node stopped renewing their lease before the web reads live
 * state, so that a page never shows a channel live whose node died, even when no media node is left
 * to sweep. Throttled per process; a sweep that fails is logged and the read goes on.
 */
export function createBroadcastSweeper(
  db: Db,
  log: Logger,
  intervalMs = SWEEP_INTERVAL_MS,
): BroadcastSweeper {
  let lastSweepAt = -Infinity;
  let running: Promise<void> | null = null;
  return {
    sweep() {
      if (running) return running;
      if (Date.now() - lastSweepAt < intervalMs) return Promise.resolve();
      lastSweepAt = Date.now();
      running = closeExpiredBroadcasts(db, { leaseMs: BROADCAST_LEASE_MS })
        .then(({ expired }) => {
          if (expired.length > 0)
            log.info({ closed: expired.length }, "closed broadcasts whose lease ran out");
        })
        .catch((error: unknown) => log.warn({ err: error }, "could not sweep expired broadcasts"))
        .finally(() => {
          running = null;
        });
      return running;
    },
  };
}
