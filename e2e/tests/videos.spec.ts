import { test as base, expect, type Page } from "@playwright/test";
import {
  createBroadcaster,
  encodersFixture,
  mediaStream,
  waitUntilLive,
  type EncoderPool,
} from "../support/broadcaster.ts";
import { logIn } from "../support/accounts.ts";
import { testDb } from "../support/database.ts";
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

/** Waits until the channel has been live for `seconds` (by the media node's clock). */
async function liveFor(channel: string, seconds: number): Promise<void> {
  await expect
    .poll(async () => (await mediaStream(channel))?.uptimeSeconds ?? 0, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(seconds);
}

/** Ends a broadcast and waits for its recording to become a ready video (after the reconnect grace). */
async function endAndWaitForVideo(channel: string, encoder: { stop(): Promise<void> }): Promise<ApiVideo> {
  await encoder.stop();
  await expect
    .poll(async () => (await channelVideos(channel))[0]?.status, {
      timeout: 30_000,
      message: "the video is ready",
    })
    .toBe("ready");
  return (await channelVideos(channel))[0]!;
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
  await liveFor(channel, 16);
  // The broadcast ends after the reconnect grace period, and its recording becomes a video.
  const video = await endAndWaitForVideo(channel, encoder);
  expect(video.title).toBe("Archive run");
  expect(video.durationSeconds).toBeGreaterThan(14);

  await page.goto(`/${channel}`);
  await page.getByRole("link", { name: "Watch the last broadcast: Archive run" }).click();
  await expect(page).toHaveURL(new RegExp(`/videos/${video.id}$`));
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
  await page.goto(`/videos/${video.id}?t=8`);
  await expect.poll(() => currentTime(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(8);
  await page.getByRole("button", { name: "Share this moment" }).click();
  await expect(page.getByRole("textbox", { name: "Link to this moment" })).toHaveValue(
    new RegExp(`/videos/${video.id}\\?t=\\d+$`),
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
  // The viewer is on the page before the broadcast starts: Rewind comes with the live status.
  await page.goto(`/${channel}`);
  await expect(page.getByRole("button", { name: "Rewind to the start" })).toHaveCount(0);
  encoders.publish(broadcaster);
  await waitUntilLive(channel);
  await liveFor(channel, 14);
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

test("owner: renames a video, keeps videos 30 days, sees the disk they take, and deletes one for good", async ({
  browser,
  page,
  encoders,
}) => {
  test.setTimeout(90_000);
  const broadcaster = await createBroadcaster(browser, { prefix: "vodown", title: "Raw take" });
  const { channel } = broadcaster;
  const encoder = encoders.publish(broadcaster);
  await waitUntilLive(channel);
  await liveFor(channel, 5);
  const video = await endAndWaitForVideo(channel, encoder);

  // A visitor sees no tools.
  await page.goto(`/videos/${video.id}`);
  await expect(page.getByRole("button", { name: "Delete video" })).toHaveCount(0);

  await logIn(page, channel);
  await expect(page).toHaveURL(/\/dashboard$/);
  const videos = page.getByRole("region", { name: "Videos" });
  await expect(videos).toContainText(/your videos take \d+(\.\d)? (KB|MB)/);
  await page.getByLabel("Keep videos for (days)").fill("30");
  await page.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Videos are kept 30 days.")).toBeVisible();
  expect(
    (await testDb().channel.findUniqueOrThrow({ where: { name: channel } })).retentionDays,
    "the retention is stored",
  ).toBe(30);

  await page.goto(`/videos/${video.id}`);
  await page.getByLabel("Video title").fill("Best of the raw take");
  await page.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByText("Video renamed.")).toBeVisible();
  await expect.poll(async () => (await channelVideos(channel))[0]?.title).toBe("Best of the raw take");

  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: "Delete video" }).click();
  await expect(page).toHaveURL(new RegExp(`/${channel}/videos$`));
  await expect(page.getByText("No videos yet.")).toBeVisible();
  expect((await fetch(`${E2E_WEB_URL}/api/v1/videos/${video.id}`)).status).toBe(404);
  expect(await channelVideos(channel)).toEqual([]);
});
