import type { Logger } from "@relaycast/logger";
import type { TAdmissionResult } from "../metrics/media-metrics.ts";
import type { RtmpStreamRequest } from "../nms/rtmp-protocol.ts";
import { withTimeout } from "../with-timeout.ts";
import type { Publication, PublishDecision, RtmpConnection } from "./rtmp-connection.ts";

/** The RTMP application publishers publish to: `rtmp://<host>/live/<stream key>`. */
const PUBLISH_APP = "live";

export type ChannelOfKey = { id: string; name: string };

/** What admission needs of live state: a broadcast begun (or resumed) for an admitted publisher. */
export type BroadcastStarter = {
  /**
   * Begins the channel's broadcast for this publisher, or resumes it within the reconnect grace.
   * Null when another publisher holds the channel. Throws when the broadcast cannot be recorded.
   */
  begin(channel: ChannelOfKey, publisher: RtmpConnection): Promise<Publication | null>;
};

export type AdmissionOptions = {
  findChannelByStreamKey(streamKey: string): Promise<ChannelOfKey | null>;
  /** The same for every live publisher's key at once (the re-check), null where a key no longer admits. */
  findChannelsByStreamKeys(streamKeys: string[]): Promise<Map<string, ChannelOfKey | null>>;
  /** A key lookup or broadcast start slower than this refuses the publisher (fail closed). */
  admissionTimeoutMs: number;
  /**
   * How often every live publisher's key is checked again (regenerated or revoked keys, suspended
   * accounts, a stream an admin stopped): the longest such a stream stays up.
   */
  revalidateIntervalMs: number;
  acceptsPublishers: boolean;
  broadcasts: BroadcastStarter;
  admission(result: TAdmissionResult): void;
  log: Logger;
};

type Admitted = { channelId: string; channelName: string; streamKey: string };

/**
 * Admission of publishers by stream key: the key is checked before a byte of the stream reaches
 * anyone (the RTMP connection holds the tags meanwhile), the checks fail closed, and a live
 * publisher's key is checked again periodically, so a revoked key ends its stream.
 */
export class Admission {
  private readonly admitted = new Map<RtmpConnection, Admitted>();
  private readonly revalidateTimer: NodeJS.Timeout;
  private isRevalidating = false;
  /** Publishers the re-check disconnected: their broadcasts end without a reconnect grace. */
  private readonly cutOff = new WeakSet<RtmpConnection>();
  private readonly log: Logger;

  constructor(private readonly options: AdmissionOptions) {
    this.log = options.log.child({ component: "admission" });
    this.revalidateTimer = setInterval(() => void this.revalidate(), options.revalidateIntervalMs);
    this.revalidateTimer.unref();
  }

  async admit(request: RtmpStreamRequest, connection: RtmpConnection): Promise<PublishDecision> {
    const { options } = this;
    if (!options.acceptsPublishers)
      return this.refuse("refused-role", "This media node does not take publishers.");
    if (request.app !== PUBLISH_APP)
      return this.refuse("refused-key", "Publish to rtmp://<host>:1935/live/<stream key>.");
    const channel = await this.unlessUnavailable(
      withTimeout(
        options.findChannelByStreamKey(request.name),
        options.admissionTimeoutMs,
        "stream key lookup",
      ),
    );
    if (!channel) return this.refuse("refused-key", "Invalid stream key.");
    const publication = await this.unlessUnavailable(options.broadcasts.begin(channel, connection));
    if (!publication)
      return this.refuse("refused-live", "This channel is already live from another encoder.");
    options.admission("admitted");
    const admitted = { channelId: channel.id, channelName: channel.name, streamKey: request.name };
    this.admitted.set(connection, admitted);
    return {
      ok: true,
      publication: {
        tag: (tag) => publication.tag(tag),
        ended: () => {
          this.admitted.delete(connection);
          publication.ended(this.cutOff.delete(connection) ? "cut-off" : undefined);
        },
      },
    };
  }

  close(): void {
    clearInterval(this.revalidateTimer);
  }

  private refuse(result: TAdmissionResult, description: string): PublishDecision {
    this.options.admission(result);
    return { ok: false, description };
  }

  private unlessUnavailable<T>(work: Promise<T>): Promise<T> {
    return work.catch((error: unknown) => {
      this.options.admission("unavailable");
      throw error;
    });
  }

  private async revalidate(): Promise<void> {
    if (this.admitted.size === 0 || this.isRevalidating) return;
    this.isRevalidating = true;
    try {
      const admitted = [...this.admitted];
      const channels = await withTimeout(
        this.options.findChannelsByStreamKeys([...new Set(admitted.map(([, { streamKey }]) => streamKey))]),
        this.options.admissionTimeoutMs,
        "stream key re-check",
      ).catch(() => null);
      // A database that does not answer keeps streams up; only a definite "no" cuts one off.
      if (!channels) return;
      for (const [connection, { streamKey, channelId, channelName }] of admitted) {
        const channel = channels.get(streamKey);
        if (channel === undefined || channel?.id === channelId) continue;
        this.log.info({ channel: channelName }, "stream key no longer valid; disconnecting the publisher");
        this.cutOff.add(connection);
        connection.close("stream key revoked");
      }
    } finally {
      this.isRevalidating = false;
    }
  }
}
