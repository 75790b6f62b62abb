import { BROADCAST_LEASE_MS } from "@relaycast/db";
import type { Logger } from "@relaycast/logger";
import type { BroadcastStore } from "./broadcast-store.ts";
import { withTimeout } from "../with-timeout.ts";

/** How often a node renews its lease on the broadcasts it holds, and sweeps the ones past due. */
export const LEASE_RENEW_MS = 2_000;
/**
 * A broadcast not renewed for this long is closed by whichever node sweeps first: a node killed
 * with SIGKILL leaves no channel live for more than LEASE_MS + LEASE_RENEW_MS (8 s). Three
 * renewals in a row must fail for a running node to lose its broadcasts.
 */
export const LEASE_MS = BROADCAST_LEASE_MS;

export type BroadcastLeaseOptions = {
  store: Pick<BroadcastStore, "renewLeases" | "closeExpiredBroadcasts">;
  /** The ids of the open Broadcast rows this node holds. */
  heldBroadcastIds(): string[];
  /** A broadcast this node held was closed by another node, its lease having run out. */
  lost(broadcastId: string): void;
  log: Logger;
};

/**
 * The lease on Broadcast rows: every LEASE_RENEW_MS this node renews the rows it holds, then closes
 * any row (of any node) whose lease ran out, so a dead node's channels go offline without it.
 */
export class BroadcastLease {
  private timer: NodeJS.Timeout | null = null;
  private tick: Promise<void> | null = null;
  private isFailing = false;
  private readonly log: Logger;

  constructor(private readonly options: BroadcastLeaseOptions) {
    this.log = options.log.child({ component: "broadcast-lease" });
  }

  start(): void {
    this.timer = setInterval(() => {
      this.tick ??= this.renewAndSweep().finally(() => (this.tick = null));
    }, LEASE_RENEW_MS);
    this.timer.unref();
  }

  /** Stops renewing. A renewal under way ends by itself (bounded by its timeout); its answer is moot. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async renewAndSweep(): Promise<void> {
    const { store, heldBroadcastIds, lost } = this.options;
    try {
      const held = heldBroadcastIds();
      const renewed = new Set(await withTimeout(store.renewLeases(held), LEASE_MS, "renewing leases"));
      if (!this.timer) return;
      for (const broadcastId of held) if (!renewed.has(broadcastId)) lost(broadcastId);
      const expired = await withTimeout(store.closeExpiredBroadcasts(LEASE_MS), LEASE_MS, "sweeping leases");
      if (expired.length > 0) this.log.info({ expired }, "closed broadcasts whose lease ran out");
      if (this.isFailing) this.log.info("broadcast leases renewed again");
      this.isFailing = false;
    } catch (error) {
      // Logged once per outage: the next ticks keep trying.
      if (!this.isFailing) this.log.error({ err: error }, "could not renew broadcast leases");
      this.isFailing = true;
    }
  }
}
