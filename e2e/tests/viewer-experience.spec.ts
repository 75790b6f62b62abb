import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { EncoderPool } from "../support/broadcaster.ts";
import {
  createBroadcaster,
  encodersFixture,
  mediaStream,
  waitUntilLive,
  type Broadcaster,
} from "../support/broadcaster.ts";
import { E2E_MEDIA_PUBLIC_URL, E2E_WEB_URL } from "../support/platform-env.ts";
import {
  currentTime,
  expectVideoPlays,
  median,
  readLiveDelays,
  recordFirstFrame,
  timeToFirstFrame,
  VIDEO_SELECTOR,
} from "../support/video.ts";

/**
 * What a viewer sees: the player on both paths, reconnects, the live directory, viewer counts and
 * the public API. Every broadcaster is a real sign-up whose key an ffmpeg publishes to the media
 * node; the `encoders` and `viewers` fixtures stop the encoders and close the viewers' browsers.
 */
const test = base.extend<{ encoders: EncoderPool; viewers: ViewerPool }>({
  encoders: encodersFixture,
  viewers: async ({ browser }, use) => {
    const pool = new ViewerPool(browser);
    try {
      await use(pool);
    } finally {
      await pool.closeAll();
    }
  },
});

/** More viewers, each in a browser context (a separate browser profile) of their own. */
class ViewerPool {
  private readonly contexts = new Set<BrowserContext>();
  constructor(private readonly browser: Browser) {}

  async open(channel: string): Promise<{ page: Page; close(): Promise<void> }> {
    const context = await this.browser.newContext({ baseURL: E2E_WEB_URL });
    this.contexts.add(context);
    const page = await context.newPage();
    await page.goto(`/${channel}`);
    return {
      page,
      close: async () => {
        this.contexts.delete(context);
        await context.close();
      },
    };
  }

  async closeAll() {
    await Promise.all([...this.contexts].map((context) => context.close()));
    this.contexts.clear();
  }
}

/** Thumbnail checks: when they fail, the rest of the directory test still runs (and it fails all the same). */
const softExpect = expect.configure({ soft: true });

const player = (page: Page) => page.locator(".live-player");
const badge = (page: Page) => page.locator(".channel-info .badge");
const viewerCount = (page: Page) => page.locator('.channel-info [aria-label="Viewers"]');

/**
 * Starts watching for the player's next source (a `loadstart`, then `playing`); the returned
 * function waits for it. Call before the path switch that loads it.
 */
async function watchNextPlayback(page: Page): Promise<() => Promise<void>> {
  await page.locator(VIDEO_SELECTOR).evaluate((video: HTMLVideoElement) => {
    const w = window as unknown as { __nextPlayback?: boolean };
    w.__nextPlayback = false;
    video.addEventListener(
      "loadstart",
      () => video.addEventListener("playing", () => (w.__nextPlayback = true), { once: true }),
      { once: true },
    );
  });
  return async () => {
    await page.waitForFunction(
      () => (window as unknown as { __nextPlayback?: boolean }).__nextPlayback,
      undefined,
      {
        timeout: 20_000,
      },
    );
  };
}

async function goLive(browser: Browser, encoders: EncoderPool, prefix: string, options = {}) {
  const broadcaster = await createBroadcaster(browser, { prefix });
  encoders.publish(broadcaster, options);
  await waitUntilLive(broadcaster.channel);
  return broadcaster;
}

function report(name: string, description: string) {
  test.info().annotations.push({ type: name, description });
  process.stdout.write(`      ${name}: ${description}\n`);
}

test("low latency: the channel page plays the stream over WebSocket-FLV, in color, about a second behind", async ({
  browser,
  page,
  encoders,
}) => {
  test.setTimeout(60_000);
  const { channel } = await goLive(browser, encoders, "lowlat", { burnClock: true });

  await recordFirstFrame(page);
  const response = await page.goto(`/${channel}`);
  // The page is rendered on the server (the player itself runs in the browser), not a 500 recovered
  // from on the client. Soft, so that the playback checks and measurements below still run.
  expect.soft(response?.status(), "the channel page is served without a server error").toBe(200);
  const html = (await response?.text()) ?? "";
  expect
    .soft(html.includes(`<h1>${channel}</h1>`), "the channel name is in the server-rendered page")
    .toBe(true);
  await expect(player(page)).toHaveAttribute("data-path", "low-latency");
  await expect(page.getByRole("radio", { name: "Low latency" })).toBeChecked();
  const firstFrameMs = await timeToFirstFrame(page);
  await expectVideoPlays(page);
  await expect(player(page)).toHaveAttribute("data-state", "playing");
  await expect(badge(page)).toHaveText("Live");
  // The media node serves this viewer over WebSocket-FLV, nothing over HLS.
  await expect
    .poll(async () => (await mediaStream(channel))?.viewers, { timeout: 10_000 })
    .toMatchObject({ "ws-flv": 1, hls: 0, total: 1 });

  // Live delay: the publisher burns its wall clock into every frame; the page reads it back.
  await page.waitForTimeout(2000); // let the player settle at the live edge
  const delays = await readLiveDelays(page, 30);
  expect(delays.length, "the burned-in clock decodes on most frames").toBeGreaterThanOrEqual(15);
  const delayMs = median(delays);
  // A sanity bound (a misread clock gives nonsense), not a performance target.
  expect(delayMs).toBeLessThan(30_000);
  const milestones = await page.evaluate(() => {
    const navigation = performance.getEntriesByType("navigation")[0] as
      PerformanceNavigationTiming | undefined;
    const play = performance
      .getEntriesByType("resource")
      .find((entry) => /\/api\/v1\/channels\/[^/]+\/play$/.test(entry.name)) as
      PerformanceResourceTiming | undefined;
    return {
      document: navigation?.responseEnd ?? NaN,
      domContentLoaded: navigation?.domContentLoadedEventEnd ?? NaN,
      playRequested: play?.startTime ?? NaN,
      playAnswered: play?.responseEnd ?? NaN,
    };
  });
  const ms = (value: number) => `${Math.round(value)} ms`;
  report(
    "time to first frame",
    `${ms(firstFrameMs)} from navigation start to currentTime > 0 (document received ${ms(milestones.document)}, ` +
      `DOMContentLoaded ${ms(milestones.domContentLoaded)}, play API asked ${ms(milestones.playRequested)}, ` +
      `answered ${ms(milestones.playAnswered)})`,
  );
  report(
    "live delay",
    `${(delayMs / 1000).toFixed(2)} s median over ${delays.length} frames ` +
      `(min ${(Math.min(...delays) / 1000).toFixed(2)} s, max ${(Math.max(...delays) / 1000).toFixed(2)} s)`,
  );
});

test("HLS: the viewer switches to HLS, the choice survives a reload, and switching back to low latency works", async ({
  browser,
  page,
  encoders,
}) => {
  test.setTimeout(90_000);
  const { channel } = await goLive(browser, encoders, "hls");
  await page.goto(`/${channel}`);
  await expectVideoPlays(page);
  await expect(player(page)).toHaveAttribute("data-path", "low-latency");

  const playlist = new RegExp(`/hls/${channel}/index\\.m3u8`);
  let played = await watchNextPlayback(page);
  let playlistRequested = page.waitForRequest(playlist);
  await page.getByRole("radio", { name: "HLS" }).check();
  await expect(player(page)).toHaveAttribute("data-path", "hls");
  await playlistRequested;
  await played();
  await expectVideoPlays(page, { timeout: 20_000 });
  // The WebSocket is closed: the media node now sees an HLS viewer only.
  await expect
    .poll(async () => (await mediaStream(channel))?.viewers, { timeout: 10_000 })
    .toMatchObject({ "ws-flv": 0, hls: 1 });
  expect(await page.evaluate(() => localStorage.getItem("relaycast.player.path"))).toBe("hls");

  playlistRequested = page.waitForRequest(playlist);
  await page.reload();
  await expect(page.getByRole("radio", { name: "HLS" })).toBeChecked();
  await expect(player(page)).toHaveAttribute("data-path", "hls");
  await playlistRequested;
  await expectVideoPlays(page, { timeout: 20_000 });

  played = await watchNextPlayback(page);
  await page.getByRole("radio", { name: "Low latency" }).check();
  await expect(player(page)).toHaveAttribute("data-path", "low-latency");
  await played();
  await expectVideoPlays(page);
  await expect.poll(async () => (await mediaStream(channel))?.viewers["ws-flv"], { timeout: 10_000 }).toBe(1);
  expect(await page.evaluate(() => localStorage.getItem("relaycast.player.path"))).toBe("low-latency");
});

test("reconnect: a quick encoder restart keeps the viewer playing; a long one goes offline, and the player resumes by itself", async ({
  browser,
  page,
  encoders,
}) => {
  test.setTimeout(90_000);
  const broadcaster: Broadcaster = await createBroadcaster(browser, { prefix: "recon" });
  const { channel } = broadcaster;
  let encoder = encoders.publish(broadcaster);
  await waitUntilLive(channel);
  await page.goto(`/${channel}`);
  await expectVideoPlays(page);
  await expect(badge(page)).toHaveText("Live");
  // Marks this document (a reload would lose it) and records every player state it goes through.
  await player(page).evaluate((element: HTMLElement) => {
    const w = window as unknown as { __states: string[] };
    w.__states = [element.dataset.state ?? ""];
    new MutationObserver(() => w.__states.push(element.dataset.state ?? "")).observe(element, {
      attributes: true,
      attributeFilter: ["data-state"],
    });
  });
  const states = () => page.evaluate(() => (window as unknown as { __states?: string[] }).__states);

  // Within the grace period: the media node holds the stream, the viewer's connection stays.
  await encoder.stop();
  await expect.poll(async () => (await mediaStream(channel))?.state, { timeout: 5_000 }).toBe("reconnecting");
  encoder = encoders.publish(broadcaster);
  await waitUntilLive(channel);
  const atRestart = await currentTime(page);
  await expect
    .poll(() => currentTime(page), { timeout: 15_000, message: "the video plays on after the restart" })
    .toBeGreaterThan(atRestart + 3);
  await expectVideoPlays(page);
  await expect(badge(page)).toHaveText("Live", { timeout: 10_000 });
  expect(await states(), "the player never went offline nor had to reconnect").toEqual(["playing"]);
  await expect(page.getByText(`${channel} is offline.`)).toHaveCount(0);

  // Past the grace period: Reconnecting, then Offline.
  await encoder.stop();
  await expect(badge(page)).toHaveText("Reconnecting", { timeout: 10_000 });
  await expect(badge(page)).toHaveText("Offline", { timeout: 15_000 });
  await expect(player(page)).toHaveAttribute("data-state", "offline");
  await expect(page.getByText(`${channel} is offline.`)).toBeVisible();
  await expect(viewerCount(page)).toHaveCount(0);

  // The broadcaster comes back: the page goes live and plays again by itself, without a reload.
  encoder = encoders.publish(broadcaster);
  await expect(badge(page)).toHaveText("Live", { timeout: 15_000 });
  await expect(page.getByText(`${channel} is offline.`)).toHaveCount(0);
  await expectVideoPlays(page, { timeout: 20_000 });
  await expect(player(page)).toHaveAttribute("data-state", "playing");
  const seen = await states();
  expect(seen, "the same document (no reload) went offline, then played").toContain("offline");
  expect(seen?.at(-1)).toBe("playing");
});

test("directory: live channels are listed with titles and live viewer counts, most watched first, and leave when they go offline", async ({
  browser,
  page,
  encoders,
  viewers,
}) => {
  test.setTimeout(120_000);
  // Names chosen so that, at equal viewers, B sorts first: only the viewer counts can put A first.
  const a = await createBroadcaster(browser, { prefix: "zdir", title: "Speedrun night" });
  const b = await createBroadcaster(browser, { prefix: "adir" });
  encoders.publish(a);
  const encoderB = encoders.publish(b);
  await Promise.all([waitUntilLive(a.channel), waitUntilLive(b.channel)]);
  // Thumbnails are taken when the stream starts (then every 20 s); the cards are rendered with them.
  for (const { channel } of [a, b]) {
    await softExpect(async () => {
      const response = await fetch(`${E2E_MEDIA_PUBLIC_URL}/thumbnails/${channel}.jpg`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("image/jpeg");
    }, `the media node serves ${channel}'s thumbnail`).toPass({ timeout: 10_000 });
  }

  await page.goto("/");
  const list = page.getByRole("list", { name: "Live channels" });
  const card = (channel: string) =>
    list.getByRole("listitem").filter({ has: page.getByText(channel, { exact: true }) });
  const count = (channel: string) => card(channel).getByText(/ viewers? · /);
  await expect(card(a.channel)).toContainText("Speedrun night");
  await expect(card(b.channel)).toContainText("Untitled broadcast");
  for (const { channel } of [a, b]) {
    await expect(count(channel)).toHaveText(/^0 viewers · \d+:\d\d$/);
    await expect(card(channel).getByText("Live", { exact: true })).toBeVisible();
    await expect(card(channel).getByRole("link")).toHaveAttribute("href", `/${channel}`);
  }
  const order = async () => {
    const names = await list.getByRole("listitem").locator("strong").allTextContents();
    return { a: names.indexOf(a.channel), b: names.indexOf(b.channel) };
  };
  const atFirst = await order();
  expect(atFirst.b).toBeLessThan(atFirst.a);

  // Two viewers on A, one on B, each a browser of their own, all playing.
  const watching = await Promise.all([
    viewers.open(a.channel),
    viewers.open(a.channel),
    viewers.open(b.channel),
  ]);
  await Promise.all(watching.map(({ page: viewer }) => expectVideoPlays(viewer, { advanceBy: 0.5 })));
  const openedAt = Date.now();
  // The home page was not reloaded: the counts come over Server-Sent Events.
  await expect(count(a.channel)).toHaveText(/^2 viewers · \d+:\d\d$/, { timeout: 10_000 });
  await expect(count(b.channel)).toHaveText(/^1 viewer · \d+:\d\d$/, { timeout: 10_000 });
  report("directory counts updated after", `${Date.now() - openedAt} ms`);
  await expect
    .poll(async () => order(), { message: "A (2 viewers) is listed before B (1)" })
    .toEqual({ a: 0, b: 1 });

  // Each card shows the stream's thumbnail, which loads.
  for (const { channel } of [a, b]) {
    const image = card(channel).getByRole("img", { name: `${channel}'s stream` });
    await expect
      .soft(image)
      .toHaveAttribute("src", new RegExp(`^${E2E_MEDIA_PUBLIC_URL}/thumbnails/${channel}\\.jpg`));
    await softExpect
      .poll(() => image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)), {
        timeout: 5_000,
        message: `${channel}'s thumbnail loads`,
      })
      .toBeGreaterThan(0);
  }

  // B goes offline: its card leaves the page (after the reconnect grace), without a reload.
  await encoderB.stop();
  await expect(card(b.channel)).toHaveCount(0, { timeout: 20_000 });
  await expect(count(a.channel)).toHaveText(/^2 viewers · /);
});

test("channel page: the viewer count follows viewers coming and going, and theatre mode is remembered", async ({
  browser,
  page,
  encoders,
  viewers,
}) => {
  test.setTimeout(60_000);
  const { channel } = await goLive(browser, encoders, "count");
  await page.goto(`/${channel}`);
  await expectVideoPlays(page, { advanceBy: 0.5 });
  await expect(viewerCount(page)).toHaveText("1 viewer", { timeout: 10_000 });
  await expect(page.locator(".channel-info .uptime")).toHaveText(/^Live for \d+:\d\d$/);

  const second = await viewers.open(channel);
  await expectVideoPlays(second.page, { advanceBy: 0.5 });
  await expect(viewerCount(page)).toHaveText("2 viewers", { timeout: 10_000 });
  await expect(viewerCount(second.page)).toHaveText("2 viewers", { timeout: 10_000 });
  await second.close();
  await expect(viewerCount(page)).toHaveText("1 viewer", { timeout: 10_000 });

  const theatre = page.getByRole("button", { name: "Theatre mode" });
  await expect(theatre).toHaveAttribute("aria-pressed", "false");
  await theatre.click();
  await expect(theatre).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator(".channel-layout")).toHaveClass(/\btheatre\b/);
  await page.reload();
  await expect(theatre).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator(".channel-layout")).toHaveClass(/\btheatre\b/);
  await expectVideoPlays(page, { advanceBy: 0.5 });
});

test("public API: live channels, play sources by channel name (never the key), 404 for no channel, no sources offline", async ({
  browser,
  request,
  encoders,
}) => {
  test.setTimeout(60_000);
  const broadcaster = await createBroadcaster(browser, { prefix: "api" });
  const { channel, streamKey } = broadcaster;

  // Before going live: the channel exists, offline, with nothing to play.
  const before = await request.get(`/api/v1/channels/${channel}/play`);
  expect(before.status()).toBe(200);
  expect(await before.json()).toEqual({
    channel,
    liveState: "offline",
    node: null,
    sources: [],
    rtmpUrl: null,
  });

  const encoder = encoders.publish(broadcaster);
  await waitUntilLive(channel);

  // The live list is cached for a moment, so the channel may appear one tick after it went live.
  let entry: Record<string, unknown> | undefined;
  await expect(async () => {
    const listed = await request.get("/api/v1/channels?live=true");
    expect(listed.status()).toBe(200);
    expect(await listed.text()).not.toContain(streamKey);
    const { channels } = (await listed.json()) as { channels: Record<string, unknown>[] };
    entry = channels.find((candidate) => candidate.name === channel);
    expect(entry).toBeDefined();
  }).toPass({ timeout: 5_000 });
  expect(entry).toMatchObject({
    name: channel,
    displayName: channel,
    liveState: "live",
    viewers: 0,
    startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    thumbnailUrl: `${E2E_MEDIA_PUBLIC_URL}/thumbnails/${channel}.jpg`,
  });
  expect(entry!.uptimeSeconds).toEqual(expect.any(Number));
  expect(entry!.uptimeSeconds as number).toBeGreaterThanOrEqual(0);

  // Looked up case-insensitively; answers are cached for a moment, so this one may first say offline.
  await expect(async () => {
    const single = await request.get(`/api/v1/channels/${channel.toUpperCase()}`);
    expect(single.status()).toBe(200);
    expect(await single.json()).toMatchObject({ name: channel, liveState: "live", viewers: 0 });
  }).toPass({ timeout: 5_000 });

  const play = await request.get(`/api/v1/channels/${channel}/play`);
  expect(play.status()).toBe(200);
  const playText = await play.text();
  expect(playText).not.toContain(streamKey);
  const body = JSON.parse(playText) as {
    channel: string;
    liveState: string;
    node: string | null;
    sources: { kind: string; type: string; src: string }[];
    rtmpUrl: string;
  };
  // One machine: the director's only node is the local media node.
  expect(body).toMatchObject({ channel, liveState: "live", node: "local" });
  expect(body.rtmpUrl).toMatch(new RegExp(`^rtmp://[^/]+/live/${channel}$`));
  const mediaHost = new URL(E2E_MEDIA_PUBLIC_URL).host;
  expect(body.sources).toEqual([
    { kind: "ws-flv", type: "video/x-flv", src: `ws://${mediaHost}/live/${channel}.flv` },
    { kind: "http-flv", type: "video/x-flv", src: `http://${mediaHost}/live/${channel}.flv` },
    { kind: "hls", type: "application/x-mpegURL", src: `http://${mediaHost}/hls/${channel}/index.m3u8` },
  ]);
  // The sources play: HTTP-FLV starts with an FLV header, the HLS playlist is there.
  const httpFlv = body.sources.find((source) => source.kind === "http-flv")!.src;
  const abort = new AbortController();
  const flv = await fetch(httpFlv, { signal: abort.signal });
  expect(flv.status).toBe(200);
  const { value } = await flv.body!.getReader().read();
  abort.abort();
  expect(Buffer.from(value!).subarray(0, 3).toString("latin1")).toBe("FLV");
  const hls = body.sources.find((source) => source.kind === "hls")!.src;
  await expect(async () => {
    const response = await fetch(hls);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("#EXTM3U");
  }).toPass({ timeout: 10_000 });

  const missing = await request.get("/api/v1/channels/nope");
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  const missingPlay = await request.get("/api/v1/channels/nope/play");
  expect(missingPlay.status()).toBe(404);
  expect(await missingPlay.json()).toMatchObject({ error: { code: "NOT_FOUND" } });

  // Offline again (after the reconnect grace): no sources, and not in the live list.
  await encoder.stop();
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/v1/channels/${channel}`)).json()) as { liveState: string })
          .liveState,
      {
        timeout: 20_000,
      },
    )
    .toBe("offline");
  const after = await request.get(`/api/v1/channels/${channel}/play`);
  expect(await after.json()).toEqual({
    channel,
    liveState: "offline",
    node: null,
    sources: [],
    rtmpUrl: null,
  });
  // The live list is cached on its own for a moment, so it may still list the channel for one tick.
  await expect
    .poll(
      async () => {
        const live = (await (await request.get("/api/v1/channels?live=true")).json()) as {
          channels: { name: string }[];
        };
        return live.channels.map((candidate) => candidate.name);
      },
      { timeout: 5_000 },
    )
    .not.toContain(channel);
});
