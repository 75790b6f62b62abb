import { setTimeout as sleep } from "node:timers/promises";
import { publishTestStream, type TestPublisher } from "@relaycast/media/testing";

/** OBS's default wait before it reconnects a dropped stream is longer; one second keeps the drill short. */
const RECONNECT_DELAY_MS = 1_000;

/**
 * A broadcaster's encoder pointed at the site: it asks the director where to publish
 * (`GET /api/v1/ingest`), publishes there, and whenever the connection drops (or is refused) waits a
 * moment and asks again, as OBS's automatic reconnect does against the one ingest name.
 */
export class DirectedEncoder {
  /** The origin the encoder publishes to now, as the director named it. */
  node: string | null = null;
  private publisher: TestPublisher | null = null;
  private isStopped = false;

  constructor(
    private readonly webUrl: string,
    private readonly streamKey: string,
  ) {
    void this.run();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    await this.publisher?.stop();
  }

  private async run(): Promise<void> {
    while (!this.isStopped) {
      const ingest = await fetch(`${this.webUrl}/api/v1/ingest`)
        .then((response) =>
          response.ok ? (response.json() as Promise<{ rtmpUrl: string; node: string }>) : null,
        )
        .catch(() => null);
      if (ingest) {
        this.node = ingest.node;
        this.publisher = publishTestStream(`${ingest.rtmpUrl}/${this.streamKey}`, { gop: 30 });
        await this.publisher.exited;
      }
      if (!this.isStopped) await sleep(RECONNECT_DELAY_MS);
    }
  }
}
