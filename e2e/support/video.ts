import { expect, type Page } from "@playwright/test";
import { CLOCK_BITS, CLOCK_BLOCK_WIDTH, CLOCK_STRIP_HEIGHT } from "./publisher.ts";

/** The player's <video> element (video.js's HTML5 tech inside the live player, or a video's player). */
export const VIDEO_SELECTOR = ".live-player video, .vod-player video";

/** Rows left out of picture checks: the burned-in clock, when there is one. */
const SKIP_ROWS = 32;

export type FrameSample = {
  currentTime: number;
  width: number;
  height: number;
  /** Mean and standard deviation of the luma (0–255) of the picture below the clock strip. */
  meanLuma: number;
  lumaStdDev: number;
  /** A coarse luma grid (every 8th pixel), to tell two frames apart. */
  grid: number[];
};

/** The video's position in seconds. */
export function currentTime(page: Page): Promise<number> {
  return page.locator(VIDEO_SELECTOR).evaluate((video: HTMLVideoElement) => video.currentTime);
}

/** Draws the frame on screen into a canvas and measures it; null while there is no frame. */
export function sampleFrame(page: Page): Promise<FrameSample | null> {
  return page.locator(VIDEO_SELECTOR).evaluate((video: HTMLVideoElement, skipRows: number) => {
    const { videoWidth: width, videoHeight: height } = video;
    if (width === 0 || height <= skipRows || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA)
      return null;
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d", { willReadFrequently: true })!;
    context.drawImage(video, 0, 0, width, height);
    const { data } = context.getImageData(0, skipRows, width, height - skipRows);
    let sum = 0;
    let sumOfSquares = 0;
    let count = 0;
    const grid: number[] = [];
    for (let y = 0; y < height - skipRows; y += 2) {
      for (let x = 0; x < width; x += 2) {
        const i = (y * width + x) * 4;
        const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
        sum += luma;
        sumOfSquares += luma * luma;
        count += 1;
        if (x % 8 === 0 && y % 8 === 0) grid.push(Math.round(luma));
      }
    }
    const meanLuma = sum / count;
    return {
      currentTime: video.currentTime,
      width,
      height,
      meanLuma,
      lumaStdDev: Math.sqrt(Math.max(0, sumOfSquares / count - meanLuma * meanLuma)),
      grid,
    };
  }, SKIP_ROWS);
}

function meanAbsoluteDifference(a: number[], b: number[]): number {
  const length = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.abs(a[i]! - b[i]!);
  return length === 0 ? 0 : sum / length;
}

/**
 * The player plays: its position moves on by `advanceBy` seconds, and what it shows is a moving
 * picture, not black (the test pattern is bright and colorful), and not a frozen frame.
 */
export async function expectVideoPlays(page: Page, { advanceBy = 1.5, timeout = 15_000 } = {}) {
  await expect
    .poll(() => currentTime(page), { timeout, message: "the video starts (currentTime > 0)" })
    .toBeGreaterThan(0);
  const start = await currentTime(page);
  await expect
    .poll(() => currentTime(page), { timeout, message: `the video plays on ${advanceBy} s from ${start}` })
    .toBeGreaterThan(start + advanceBy);
  const first = await sampleFrame(page);
  await page.waitForTimeout(700);
  const second = await sampleFrame(page);
  expect(first, "a frame is on screen").not.toBeNull();
  expect(second, "a frame is on screen").not.toBeNull();
  for (const frame of [first!, second!]) {
    expect(frame.width).toBe(640);
    expect(frame.height).toBe(360);
    expect(frame.meanLuma, "the picture is not black").toBeGreaterThan(40);
    expect(frame.lumaStdDev, "the picture is not one flat color").toBeGreaterThan(25);
  }
  expect(second!.currentTime).toBeGreaterThan(first!.currentTime);
  expect(meanAbsoluteDifference(first!.grid, second!.grid), "the picture moves").toBeGreaterThan(0.5);
  return second!;
}

/**
 * Records, from the page's first script on, when the video first shows a frame (currentTime > 0), in
 * milliseconds since navigation start. Call before `page.goto`; read with `timeToFirstFrame`.
 */
export async function recordFirstFrame(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const record = (event: Event) => {
      const target = event.target;
      const w = window as unknown as { __firstFrameAt?: number };
      if (w.__firstFrameAt === undefined && target instanceof HTMLVideoElement && target.currentTime > 0) {
        w.__firstFrameAt = performance.now();
      }
    };
    // Media events do not bubble, but a capturing listener on the window sees them all.
    window.addEventListener("timeupdate", record, true);
    window.addEventListener("playing", record, true);
  });
}

export async function timeToFirstFrame(page: Page, timeout = 15_000): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __firstFrameAt?: number }).__firstFrameAt,
    undefined,
    { timeout },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * The live delay, read from frames as they are presented: each carries the publisher's wall clock
 * (low 32 bits of epoch milliseconds, as a barcode), compared with the page's clock on the same
 * machine. Returns one delay in milliseconds per frame that decoded cleanly.
 */
export function readLiveDelays(page: Page, frames = 20): Promise<number[]> {
  return page.locator(VIDEO_SELECTOR).evaluate(
    async (video: HTMLVideoElement, { frames, bits, blockWidth, stripHeight }) => {
      const canvas = document.createElement("canvas");
      canvas.width = bits * blockWidth;
      canvas.height = stripHeight;
      const context = canvas.getContext("2d", { willReadFrequently: true })!;
      const delays: number[] = [];
      for (let n = 0; n < frames; n++) {
        await new Promise<void>((resolve) => video.requestVideoFrameCallback(() => resolve()));
        const now = Date.now();
        context.drawImage(video, 0, 0, canvas.width, stripHeight, 0, 0, canvas.width, stripHeight);
        const { data } = context.getImageData(0, 0, canvas.width, stripHeight);
        let code = 0;
        let isClean = true;
        for (let bit = bits - 1; bit >= 0; bit--) {
          // The middle of the block, away from its edges (which the encoder blurs).
          let luma = 0;
          for (const [dx, dy] of [
            [-3, 0],
            [0, 0],
            [3, 0],
            [0, -3],
            [0, 3],
          ] as const) {
            const i = ((stripHeight / 2 + dy) * canvas.width + bit * blockWidth + blockWidth / 2 + dx) * 4;
            luma += (0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!) / 5;
          }
          if (luma > 60 && luma < 190) isClean = false;
          code = code * 2 + (luma >= 128 ? 1 : 0);
        }
        const modulus = 2 ** bits;
        if (isClean) delays.push(((((now % modulus) - code) % modulus) + modulus) % modulus);
        await new Promise((resolve) => setTimeout(resolve, 80));
      }
      return delays;
    },
    { frames, bits: CLOCK_BITS, blockWidth: CLOCK_BLOCK_WIDTH, stripHeight: CLOCK_STRIP_HEIGHT },
  );
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
