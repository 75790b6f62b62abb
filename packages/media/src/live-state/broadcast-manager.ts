import type { Logger } from "@relaycast/logger";
import type { LiveStream } from "../edge/live-stream.ts";
import type { Publication, RtmpConnection } from "../ingest/rtmp-connection.ts";
import { BroadcastLease } from "./broadcast-lease.ts";
import type { BroadcastStore } from "./broadcast-store.ts";
import { withTimeout } from "../with-timeout.ts";

const CHANNEL_NAME = /^[a-z0-9_]{3,25}$/;
/** Bookkeeping writes (not admission) wait this long for the database before giving up. */
const STORE_TIMEOUT_MS = 5_000;

export type BroadcastManagerOptions = {
  store: BroadcastStore;
  /** A Broadcast row that takes longer than this to open refuses the publisher (fail closed). */
  admissionTimeoutMs: number;
  /** How long a channel stays "reconnecting" after its publisher drops before the broadcast ends. */
  reconnectGraceMs: number;
  createStream(channel: string): LiveStream;
  /** What runs beside a live stream for as long as its broadcast here: HLS, thumbnails, the recording. */
  createAttachments(stream: LiveStream, broadcast: { broadcastId: string }): StreamAttachment[];
  countViewers(stream: LiveStream): number;
  /** The cluster's claim on a channel: one origin at a time publishes it. */
  claims: ChannelClaims;
  /** A channel this node published is now another origin's: its edges should follow it there. */
  channelMoved(channel: string): void;
  log: Logger;
};

/** This node's claims in the cluster's registry. */
export type ChannelClaims = {
  /** True when this node now holds the channel; false when another origin does. */
  claim(channel: string): Promise<boolean>;
  release(channel: string): Promise<void>;
};

/**
 * How a broadcast stopped on this node: it ended (its publisher left for good, or the node is
 * stopping), or it goes on elsewhere (another origin holds the channel now, or closed the broadcast
 * after this node lost its lease).
 */
export type TBroadcastOutcome = "ended" | "handed-off";

/** A sidecar of one live stream, started when its broadcast starts here and closed when it stops here. */
export type StreamAttachment = {
  start(): Promise<void>;
  close(outcome: TBroadcastOutcome): Promise<void>;
};

export type TBroadcastState = "starting" | "live" | "reconnecting";

type ChannelBroadcast = {
  channelId: string;
  name: string;
  stream: LiveStream;
  attachments: StreamAttachment[];
  broadcastId: string | null;
  startedAt: Date;
  publisher: RtmpConnection | null;
  state: TBroadcastState;
  graceTimer: NodeJS.Timeout | null;
  peakViewers: number;
};

/** A broadcast viewers can watch: admitted, live or waiting for its publisher to come back. */
export type BroadcastView = {
  name: string;
  state: Exclude<TBroadcastState, "starting">;
  startedAt: Date;
  stream: LiveStream;
};

/**
 * Live state of the channels published on this node: the Broadcast rows and their leases, the
 * reconnect grace period, and the streams viewers attach to by channel name.
 */
export class BroadcastManager {
  private readonly broadcasts = new Map<string, ChannelBroadcast>();
  private readonly lease: BroadcastLease;
  private readonly log: Logger;

  constructor(private readonly options: BroadcastManagerOptions) {
    this.log = options.log.child({ component: "broadcasts" });
    this.lease = new BroadcastLease({
      store: options.store,
      heldBroadcastIds: () => [...this.broadcasts.values()].flatMap((entry) => entry.broadcastId ?? []),
      lost: (broadcastId) => this.leaseLost(broadcastId),
      log: options.log,
    });
  }

  /** Ends the broadcasts this node left open when it last stopped, then keeps the lease on its own. */
  async start(): Promise<void> {
    this.lease.start();
    try {
      const closed = await withTimeout(
        this.options.store.closeOrphanedBroadcasts(),
        STORE_TIMEOUT_MS,
        "cleanup",
      );
      if (closed > 0) this.log.info({ closed }, "closed broadcasts left open by a previous run");
    } catch (error) {
      // Publishers are refused while the database is away (admission fails closed); viewers are unaffected.
      this.log.error({ err: error }, "could not close the broadcasts of a previous run");
    }
  }

  /**
   * Begins a channel's broadcast for an admitted publisher, or resumes it when the publisher comes
   * back within the grace period. Null when another publisher holds the channel; throws (the
   * channel left free) when the Broadcast row cannot be opened in time.
   */
  async begin(channel: { id: string; name: string }, publisher: RtmpConnection): Promise<Publication | null> {
    const { options } = this;
    const existing = this.broadcasts.get(channel.name);
    if (existing?.publisher) return null;
    const entry = existing ?? this.createEntry(channel);
    entry.publisher = publisher;
    if (existing) {
      this.resume(entry);
    } else {
      // Held here before anything is awaited: a second publisher on this node sees the channel taken.
      const isClaimed = await withTimeout(
        options.claims.claim(channel.name),
        options.admissionTimeoutMs,
        "claiming the channel",
      ).catch((error: unknown) => {
        this.forget(entry);
        throw error;
      });
      if (!isClaimed) {
        this.forget(entry);
        return null;
      }
      const opening = options.store.openBroadcast(channel.id);
      let broadcastId: string;
      try {
        const row = await withTimeout(opening, options.admissionTimeoutMs, "opening the broadcast");
        broadcastId = entry.broadcastId = row.id;
        entry.startedAt = row.startedAt;
      } catch (error) {
        this.forget(entry);
        this.releaseClaim(entry.name);
        // The publisher is refused; a row the database writes after all must not stay open.
        opening
          .then((row) => options.store.closeBroadcast(row.id, { peakViewers: 0, stats: {} }))
          .catch(() => {});
        throw error;
      }
      entry.state = "live";
      entry.attachments = options.createAttachments(entry.stream, { broadcastId });
      for (const attachment of entry.attachments) {
        attachment
          .start()
          .catch((error: unknown) =>
            this.log.error({ err: error, channel: entry.name }, "stream attachment failed to start"),
          );
      }
      this.log.info({ channel: entry.name, broadcastId: entry.broadcastId }, "broadcast started");
    }
    return {
      tag: (tag) => entry.stream.push(tag),
      ended: (how) =>
        how === "cut-off" ? this.publisherCutOff(entry, publisher) : this.publisherLeft(entry, publisher),
    };
  }

  /** The broadcast viewers can watch under this channel name, live or reconnecting. */
  find(name: string): BroadcastView | null {
    if (!CHANNEL_NAME.test(name)) return null;
    const entry = this.broadcasts.get(name);
    return entry && isWatchable(entry) ? entry : null;
  }

  list(): BroadcastView[] {
    return [...this.broadcasts.values()].filter(isWatchable);
  }

  /** The channels this node holds (live, reconnecting, or being admitted): its claims to renew. */
  heldChannels(): string[] {
    return [...this.broadcasts.keys()];
  }

  /**
   * The registry gave these channels to another origin (this node could not renew its claims): their
   * broadcasts go on there, so they end here without closing their rows, and their edges follow.
   */
  channelsLost(channels: string[]): void {
    for (const channel of channels) {
      const entry = this.broadcasts.get(channel);
      if (!entry) continue;
      this.log.warn({ channel }, "another origin holds this channel now; ending it here");
      entry.broadcastId = null;
      this.options.channelMoved(channel);
      void this.end(entry);
    }
  }

  /** Samples viewer counts into each broadcast's peak. */
  recordViewers(): void {
    for (const entry of this.broadcasts.values()) {
      entry.peakViewers = Math.max(entry.peakViewers, this.options.countViewers(entry.stream));
    }
  }

  async close(): Promise<void> {
    this.lease.close();
    await Promise.all([...this.broadcasts.values()].map((entry) => this.end(entry)));
  }

  private createEntry(channel: { id: string; name: string }): ChannelBroadcast {
    const entry: ChannelBroadcast = {
      channelId: channel.id,
      name: channel.name,
      stream: this.options.createStream(channel.name),
      attachments: [],
      broadcastId: null,
      startedAt: new Date(),
      publisher: null,
      state: "starting",
      graceTimer: null,
      peakViewers: 0,
    };
    this.broadcasts.set(channel.name, entry);
    return entry;
  }

  /** Drops an entry that never went live (its claim or its row failed). */
  private forget(entry: ChannelBroadcast): void {
    if (this.broadcasts.get(entry.name) === entry) this.broadcasts.delete(entry.name);
    entry.stream.end();
  }

  private releaseClaim(channel: string): void {
    this.options.claims
      .release(channel)
      .catch((error: unknown) =>
        this.log.warn({ err: error, channel }, "could not release the channel's claim"),
      );
  }

  private resume(entry: ChannelBroadcast): void {
    if (entry.graceTimer) clearTimeout(entry.graceTimer);
    entry.graceTimer = null;
    entry.state = "live";
    entry.stream.publisherReplaced();
    this.writeLiveState(entry, "live");
    this.log.info({ channel: entry.name, broadcastId: entry.broadcastId }, "publisher reconnected");
  }

  private publisherLeft(entry: ChannelBroadcast, connection: RtmpConnection): void {
    if (entry.publisher !== connection || this.broadcasts.get(entry.name) !== entry) return;
    entry.publisher = null;
    entry.state = "reconnecting";
    this.writeLiveState(entry, "reconnecting");
    this.log.info(
      { channel: entry.name, graceMs: this.options.reconnectGraceMs },
      "publisher left; reconnecting",
    );
    entry.graceTimer = setTimeout(() => void this.end(entry), this.options.reconnectGraceMs);
  }

  /** A publisher whose key no longer admits it: the broadcast ends now, with no reconnect grace. */
  private publisherCutOff(entry: ChannelBroadcast, connection: RtmpConnection): void {
    if (entry.publisher !== connection || this.broadcasts.get(entry.name) !== entry) return;
    entry.publisher = null;
    this.log.info({ channel: entry.name }, "publisher cut off; the broadcast ends");
    void this.end(entry);
  }

  private async end(entry: ChannelBroadcast): Promise<void> {
    if (this.broadcasts.get(entry.name) !== entry) return;
    this.broadcasts.delete(entry.name);
    if (entry.graceTimer) clearTimeout(entry.graceTimer);
    entry.publisher?.close("broadcast ending");
    this.recordPeak(entry);
    const stats = entry.stream.stats.snapshot(Date.now());
    entry.stream.end();
    this.releaseClaim(entry.name);
    // A broadcast this node no longer holds has no row to close here: it went on elsewhere.
    const outcome: TBroadcastOutcome = entry.broadcastId ? "ended" : "handed-off";
    await Promise.all(
      entry.attachments.map((attachment) =>
        attachment
          .close(outcome)
          .catch((error: unknown) =>
            this.log.error({ err: error, channel: entry.name }, "stream attachment failed to close"),
          ),
      ),
    );
    if (!entry.broadcastId) return;
    try {
      await withTimeout(
        this.options.store.closeBroadcast(entry.broadcastId, { peakViewers: entry.peakViewers, stats }),
        STORE_TIMEOUT_MS,
        "closing the broadcast",
      );
      this.log.info({ channel: entry.name, broadcastId: entry.broadcastId }, "broadcast ended");
    } catch (error) {
      this.log.error({ err: error, channel: entry.name }, "could not record the end of a broadcast");
    }
  }

  /**
   * Another node closed this broadcast, its lease having run out while this node could not renew it
   * (the database was out of reach): the channel is offline there, so it ends here too. The encoder
   * reconnects and starts a new broadcast.
   */
  private leaseLost(broadcastId: string): void {
    const entry = [...this.broadcasts.values()].find((each) => each.broadcastId === broadcastId);
    if (!entry) return;
    this.log.warn({ channel: entry.name, broadcastId }, "broadcast closed elsewhere: its lease ran out");
    // The row is closed already; end() must not write over it.
    entry.broadcastId = null;
    void this.end(entry);
  }

  private recordPeak(entry: ChannelBroadcast): void {
    entry.peakViewers = Math.max(entry.peakViewers, this.options.countViewers(entry.stream));
  }

  private writeLiveState(entry: ChannelBroadcast, liveState: "live" | "reconnecting"): void {
    this.options.store
      .setLiveState(entry.channelId, liveState)
      .catch((error: unknown) =>
        this.log.error({ err: error, channel: entry.name }, "could not record live state"),
      );
  }
}

function isWatchable(entry: ChannelBroadcast): entry is ChannelBroadcast & BroadcastView {
  return entry.state !== "starting";
}
