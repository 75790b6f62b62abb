import { test as base, expect, type Page } from "@playwright/test";
import {
  createBroadcaster,
  encodersFixture,
  mediaStream,
  waitUntilLive,
  type EncoderPool,
} from "../support/broadcaster.ts";
import { E2E_WEB_URL } from "../support/platform-env.ts";
import { currentTime, expectVideoPlays, VIDEO_SELECTOR } from "../support/video.ts";

/** Every broadcast is archived: a viewer finds it under the channel's Videos, plays it and seeks. */
const test = base.extend<{ encoders: EncoderPool }>({ encoders: encodersFixture });

type ApiVideo = {
  id: string;
  title: string;
  status: string;
  durationSeconds: number | null;
  thumbnailUrl: string | null;
  playbackUrl: string;
};

async function channelVideos(channel: string): Promise<ApiVideo[]> {
  const response = await fetch(`${E2E_WEB_URL}/api/v1/channels/${channel}/videos`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { videos: ApiVideo[] }).videos;
}

const duration = (page: Page) =>
  page.locator(VIDEO_SELECTOR).evaluate((video: HTMLVideoElement) => video.duration);

test("archive: a broadcast becomes a video under Videos with its thumbnail; it plays, seeks to the middle, and starts at a shared ?t=", async ({
  browser,
  page,
  encoders,
}) => {
  test.setTimeout(120_000);
  const broadcaster = await createBroadcaster(browser, { prefix: "vod", title: "Archive run" });
  const { channel } = broadcaster;
  const encoder = encoders.publish(broadcaster);
  await waitUntilLive(channel);
  // While it is live, the recording is listed already.
  await expect
    .poll(async () => (await channelVideos(channel)).map((video) => video.status))
    .toEqual(["recording"]);
  await expect
    .poll(async () => (await mediaStream(channel))?.uptimeSeconds ?? 0, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(16);
  await encoder.stop();

  // The broadcast ends after the reconnect grace period, and its recording becomes a video.
  await expect
    .poll(async () => (await channelVideos(channel))[0]?.status, {
      timeout: 30_000,
      message: "the video is ready",
    })
    .toBe("ready");
  const [video] = await channelVideos(channel);
  expect(video!.title).toBe("Archive run");
  expect(video!.durationSeconds).toBeGreaterThan(14);

  await page.goto(`/${channel}`);
  await page.getByRole("link", { name: "Watch the last broadcast: Archive run" }).click();
  await expect(page).toHaveURL(new RegExp(`/videos/${video!.id}$`));
  await expectVideoPlays(page);

  // Seeking: to the middle of the video, and it plays on from there.
  const total = await duration(page);
  expect(total).toBeGreaterThan(14);
  await page.locator(VIDEO_SELECTOR).evaluate((element: HTMLVideoElement) => {
    element.currentTime = element.duration / 2;
  });
  await expect.poll(() => currentTime(page), { timeout: 10_000 }).toBeGreaterThan(total / 2 + 1);
  await expectVideoPlays(page);

  // The list page shows it with its thumbnail.
  await page.goto(`/${channel}/videos`);
  const card = page.getByRole("link", { name: /Archive run/ });
  await expect(card).toBeVisible();
  await expect
    .poll(() => card.locator("img").evaluate((image: HTMLImageElement) => image.naturalWidth), {
      timeout: 10_000,
    })
    .toBeGreaterThan(0);

  // A shared link starts where it says.
  await page.goto(`/videos/${video!.id}?t=8`);
  await expect.poll(() => currentTime(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(8);
  await page.getByRole("button", { name: "Share this moment" }).click();
  await expect(page.getByRole("textbox", { name: "Link to this moment" })).toHaveValue(
    new RegExp(`/videos/${video!.id}\\?t=\\d+$`),
  );
});

test("rewind while live: a viewer goes back to the start of the broadcast, and back to live", async ({
  browser,
  page,
  encoders,
}) => {
  test.setTimeout(90_000);
  const broadcaster = await createBroadcaster(browser, { prefix: "rewind" });
  const { channel } = broadcaster;
  encoders.publish(broadcaster);
  await waitUntilLive(channel);
  await expect
    .poll(async () => (await mediaStream(channel))?.uptimeSeconds ?? 0, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(14);

  await page.goto(`/${channel}`);
  await expect(page.locator(".live-player")).toHaveAttribute("data-state", "playing");
  await page.getByRole("button", { name: "Rewind to the start" }).click();
  // The recording so far, from its first seconds; it plays on.
  await expect(page.locator(".vod-player video")).toBeVisible();
  await expectVideoPlays(page);
  expect(await currentTime(page)).toBeLessThan(8);

  await page.getByRole("button", { name: "Back to live" }).click();
  await expect(page.locator(".live-player")).toHaveAttribute("data-state", "playing", { timeout: 15_000 });
  await expectVideoPlays(page);
});
