import { setTimeout as sleep } from "node:timers/promises";
import { openHttpFlv, type FlvViewer } from "@relaycast/media/testing";

/** An edge to play from: its node id and the channel's HTTP-FLV URL there. */
export type EdgeChoice = { node: string; flvUrl: string };

/**
 * Asks where to play, as the web player asks the director; `lost` is the node the viewer just lost
 * (its connection there ended or was refused), or null.
 */
export type ChooseEdge = (lost: string | null) => Promise<EdgeChoice | null>;

/** The web player's first retry (reconnect-policy.ts): 250 ms after a failure. */
const RETRY_MS = 250;

/**
 * A viewer as the web player behaves: it asks where to play, plays HTTP-FLV there, and when playback
 * ends asks again (naming the node it lost) and plays wherever it is sent. `frameAt` is when video
 * last arrived, `node` the edge it plays from.
 */
export class DirectedViewer {
  frameAt = 0;
  frames = 0;
  node: string | null = null;
  private current: FlvViewer | null = null;
  private isStopped = false;

  constructor(private readonly choose: ChooseEdge) {
    void this.run();
  }

  stop(): void {
    this.isStopped = true;
    this.current?.close();
  }

  private async run(): Promise<void> {
    let lost: string | null = null;
    while (!this.isStopped) {
      const choice: EdgeChoice | null = await this.choose(lost).catch(() => null);
      const viewer = choice
        ? await openHttpFlv(choice.flvUrl, { keepBodies: false }).catch(() => null)
        : null;
      if (choice && viewer?.status === 200) {
        this.current = viewer;
        this.node = choice.node;
        let seen = 0;
        const timer = setInterval(() => {
          const count = viewer.videoTimestamps().length;
          if (count > seen) {
            this.frames += count - seen;
            this.frameAt = Date.now();
            seen = count;
          }
        }, 50);
        await viewer.closed;
        clearInterval(timer);
      } else viewer?.close();
      lost = choice?.node ?? lost;
      if (!this.isStopped) await sleep(RETRY_MS);
    }
  }
}

/** Every viewer got video after `since`; the time it happened, or null after `timeoutMs`. */
export async function allPlayingSince(
  viewers: DirectedViewer[],
  since: number,
  timeoutMs: number,
): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (viewers.every((viewer) => viewer.frameAt > since)) return Date.now();
    await sleep(50);
  }
  return null;
}
