import { expect, type Browser } from "@playwright/test";
import { signUpAndLand, uniqueUsername } from "./accounts.ts";
import { E2E_MEDIA_PUBLIC_URL, E2E_RTMP_INGEST_URL, E2E_WEB_URL } from "./platform-env.ts";
import { publishTestStream, type Encoder } from "./publisher.ts";

export type Broadcaster = {
  /** The channel's name: the username, lower case. */
  channel: string;
  streamKey: string;
  /** Where the encoder publishes: the ingest URL with the stream key. */
  ingestUrl: string;
};

/**
 * A new broadcaster, signed up in a browser context of their own (so the test's pages watch as
 * anonymous viewers), with their stream key read from the dashboard.
 */
export async function createBroadcaster(
  browser: Browser,
  { prefix, title }: { prefix: string; title?: string },
): Promise<Broadcaster> {
  const context = await browser.newContext({ baseURL: E2E_WEB_URL });
  try {
    const page = await context.newPage();
    const username = uniqueUsername(prefix);
    await signUpAndLand(page, username);
    if (title) {
      await page.getByLabel("Stream title").fill(title);
      await page.getByRole("button", { name: "Save title" }).click();
      await expect(page.getByText("Title saved.")).toBeVisible();
    }
    await page.getByRole("button", { name: "Reveal" }).click();
    const streamKey = await page.getByRole("textbox", { name: "Stream key" }).inputValue();
    expect(streamKey).not.toBe("");
    return { channel: username.toLowerCase(), streamKey, ingestUrl: `${E2E_RTMP_INGEST_URL}/${streamKey}` };
  } finally {
    await context.close();
  }
}

/** The `encoders` fixture of the specs that publish: whatever a test left running is stopped after it. */
// eslint-disable-next-line no-empty-pattern
export const encodersFixture = async ({}, use: (pool: EncoderPool) => Promise<void>) => {
  const pool = new EncoderPool();
  try {
    await use(pool);
  } finally {
    await pool.stopAll();
  }
};

/** The encoders a test started; the fixture stops whatever is still running when the test ends. */
export class EncoderPool {
  private readonly running = new Set<Encoder>();

  publish(broadcaster: Broadcaster, options: { burnClock?: boolean } = {}): Encoder {
    const encoder = publishTestStream(broadcaster.ingestUrl, options);
    this.running.add(encoder);
    return {
      process: encoder.process,
      stop: async () => {
        await encoder.stop();
        this.running.delete(encoder);
      },
    };
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((encoder) => encoder.stop()));
    this.running.clear();
  }
}

export type MediaStreamStatus = {
  state: "live" | "reconnecting";
  uptimeSeconds: number;
  viewers: Record<"http-flv" | "ws-flv" | "rtmp" | "hls" | "total", number>;
};

/** The media node's view of a channel's stream (its own API), or null when it is not live there. */
export async function mediaStream(channel: string): Promise<MediaStreamStatus | null> {
  const response = await fetch(`${E2E_MEDIA_PUBLIC_URL}/api/v1/streams/${channel}`);
  if (response.status === 404) return null;
  expect(response.status).toBe(200);
  return (await response.json()) as MediaStreamStatus;
}

/** Waits until the media node has the channel live (its encoder connected and admitted). */
export async function waitUntilLive(channel: string, timeout = 15_000): Promise<void> {
  await expect
    .poll(async () => (await mediaStream(channel))?.state ?? "absent", {
      timeout,
      message: `${channel} goes live on the media node`,
    })
    .toBe("live");
}
