import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "@relaycast/logger";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LiveStream } from "../edge/live-stream.ts";
import { classifyTag } from "../flv/classify-tag.ts";
import { FLV_HEADER } from "../flv/flv-tag.ts";
import { TAG_TYPE, type MediaTag, type TTagType } from "../flv/media-tag.ts";
import { sleep, waitFor } from "../testing/wait.ts";
import { ThumbnailGrabber, type ThumbnailGrabberOptions } from "./thumbnail-grabber.ts";

/**
 * Stands in for ffmpeg: its last argument is the output file, and a `mode` file beside it says what
 * to do. "frame" writes the first 13 bytes of its input (the FLV file header) and exits; "fail"
 * exits with an error; "hang" reads forever. Each run appends a line to `runs`.
 */
const FAKE_FFMPEG = `#!/bin/sh
here=$(dirname "$0")
for output; do :; done
echo run >> "$here/runs"
case $(cat "$here/mode") in
  frame) head -c 13 > "$output" ;;
  fail) echo "no video stream" >&2; exit 1 ;;
  hang) exec cat > /dev/null ;;
esac
`;

type TMode = "frame" | "fail" | "hang";

function tag(type: TTagType, timestamp: number, body: Buffer): MediaTag {
  return { type, kind: classifyTag(type, body), timestamp, body };
}

const avcHeader = () => tag(TAG_TYPE.video, 0, Buffer.from([0x17, 0, 0, 0, 0, 1, 0x64]));
const keyframe = (timestamp: number) =>
  tag(TAG_TYPE.video, timestamp, Buffer.concat([Buffer.from([0x17, 1, 0, 0, 0]), Buffer.alloc(64, 0x65)]));

let fakeDir: string;
let thumbnailDir: string;
let stream: LiveStream;
let grabbers: ThumbnailGrabber[];
let logLines: string[];

beforeEach(async () => {
  fakeDir = await mkdtemp(join(tmpdir(), "relaycast-fake-ffmpeg-"));
  thumbnailDir = join(fakeDir, "thumbnails");
  await writeFile(join(fakeDir, "ffmpeg"), FAKE_FFMPEG);
  await chmod(join(fakeDir, "ffmpeg"), 0o755);
  await setMode("frame");
  stream = new LiveStream({ channel: "alice", maxGopBytes: 1 << 20, maxGopMs: 10_000, flushIntervalMs: 10 });
  grabbers = [];
  logLines = [];
});

afterEach(async () => {
  for (const grabber of grabbers) await grabber.close();
  stream.end();
  await rm(fakeDir, { recursive: true, force: true });
});

function grabber(options: Partial<ThumbnailGrabberOptions> = {}): ThumbnailGrabber {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const created = new ThumbnailGrabber(stream, {
    ffmpegPath: join(fakeDir, "ffmpeg"),
    ffmpegEnv: { PATH: "/usr/bin:/bin" },
    dir: thumbnailDir,
    intervalMs: 100,
    timeoutMs: 300,
    log: createLogger({ name: "test", level: "warn", destination }).child({ component: "thumbnails" }),
    ...options,
  });
  grabbers.push(created);
  return created;
}

const setMode = (mode: TMode) => writeFile(join(fakeDir, "mode"), mode);
const runs = () =>
  readFile(join(fakeDir, "runs"), "utf8").then(
    (text) => text.split("\n").filter(Boolean).length,
    () => 0,
  );
const thumbnail = () => readFile(join(thumbnailDir, "alice.jpg")).catch(() => null);

describe("ThumbnailGrabber", () => {
  it("grabs as soon as the stream has a keyframe, from a tap that starts with the FLV header", async () => {
    await grabber({ intervalMs: 60_000 }).start();
    // The tap is attached at start and waits for the first keyframe.
    await waitFor(() => stream.viewerCounts().thumbnail === 1, { intervalMs: 10, message: "the tap" });
    expect(await thumbnail()).toBeNull();
    stream.push(avcHeader());
    stream.push(keyframe(0));
    const grabbed = await waitFor(thumbnail, { intervalMs: 10, message: "the thumbnail" });
    expect(grabbed).toEqual(FLV_HEADER);
    // The tap is removed once ffmpeg exits; only the thumbnail is left in the folder.
    await waitFor(() => stream.viewerCounts().thumbnail === 0, {
      intervalMs: 10,
      message: "the tap removed",
    });
    expect(await readdir(thumbnailDir)).toEqual(["alice.jpg"]);
    expect(await runs()).toBe(1);
  });

  it("grabs again every interval", async () => {
    stream.push(avcHeader());
    stream.push(keyframe(0));
    await grabber({ intervalMs: 100 }).start();
    await waitFor(async () => (await runs()) >= 4, { intervalMs: 20, message: "four grabs" });
    expect(await thumbnail()).toEqual(FLV_HEADER);
  });

  it("gives up a grab that hangs, runs one ffmpeg at a time, and tries again at the next interval", async () => {
    await setMode("hang");
    stream.push(avcHeader());
    stream.push(keyframe(0));
    await grabber({ intervalMs: 50, timeoutMs: 300 }).start();
    let mostTaps = 0;
    const deadline = Date.now() + 800;
    while (Date.now() < deadline) {
      mostTaps = Math.max(mostTaps, stream.viewerCounts().thumbnail);
      await sleep(10);
    }
    expect(mostTaps).toBe(1);
    // Each grab waits for the previous one to be killed, not for the next 50 ms tick.
    expect(await runs()).toBeLessThanOrEqual(3);
    expect(logLines.join("")).toContain("no frame within 300 ms");

    await setMode("frame");
    await waitFor(thumbnail, { timeoutMs: 2_000, intervalMs: 20, message: "a thumbnail after the hang" });
  });

  it("logs a failed grab and keeps the previous thumbnail until a grab succeeds", async () => {
    stream.push(avcHeader());
    stream.push(keyframe(0));
    await grabber({ intervalMs: 100 }).start();
    await waitFor(thumbnail, { intervalMs: 10, message: "the first thumbnail" });
    await setMode("fail");
    const failedRuns = (await runs()) + 2;
    await waitFor(async () => (await runs()) >= failedRuns, { intervalMs: 20, message: "failed grabs" });
    expect(await thumbnail()).toEqual(FLV_HEADER);
    const failure = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).at(-1);
    expect(failure).toMatchObject({ component: "thumbnails", msg: "thumbnail grab failed" });
    expect(JSON.stringify(failure)).toContain("no video stream");
  });

  it("deletes the thumbnail on close and stops grabbing", async () => {
    stream.push(avcHeader());
    stream.push(keyframe(0));
    const grabbing = grabber({ intervalMs: 50 });
    await grabbing.start();
    await waitFor(thumbnail, { intervalMs: 10, message: "the thumbnail" });
    await grabbing.close();
    expect(await readdir(thumbnailDir)).toEqual([]);
    expect(stream.viewerCounts().thumbnail).toBe(0);
    const runsAtClose = await runs();
    await sleep(200);
    expect(await runs()).toBe(runsAtClose);
  });

  it("close kills a grab in progress", async () => {
    await setMode("hang");
    stream.push(avcHeader());
    stream.push(keyframe(0));
    const grabbing = grabber({ timeoutMs: 60_000 });
    await grabbing.start();
    await waitFor(async () => (await runs()) === 1, { intervalMs: 10, message: "the grab to start" });
    const startedAt = Date.now();
    await grabbing.close();
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(stream.viewerCounts().thumbnail).toBe(0);
    expect(logLines).toEqual([]);
  });

  it("removes a thumbnail left from an earlier broadcast when it starts", async () => {
    await mkdir(thumbnailDir);
    await writeFile(join(thumbnailDir, "alice.jpg"), "old picture");
    await grabber().start();
    expect(await thumbnail()).toBeNull();
  });
});
