import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TAG_TYPE } from "../flv/media-tag.ts";
import {
  RawRtmpClient,
  getStream,
  killAllTestProcesses,
  publishMessage,
  publishTestStream,
  readFlv,
  rtmpChunks,
  startMediaNodeProcess,
  testStreamKey,
  waitFor,
  type MediaNodeProcess,
  type RtmpMessage,
  type TestPublisher,
} from "../testing/index.ts";

const WRAPPER = "wrapper";
const BYSTANDER = "bystander";
const wrapperKey = testStreamKey();
const bystanderKey = testStreamKey();
const NEAR_WRAP = 0xffff_ff00;

// An H.264 sequence header, a keyframe and an interframe, as FLV video tag bodies (enough for the node).
const AVC_HEADER = Buffer.from([
  0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f, 0xff, 0xe1, 0, 4, 0x67, 0x64, 0, 0x1f, 1, 0, 4, 0x68, 0xee, 0x3c, 0x80,
]);
const KEYFRAME = Buffer.concat([Buffer.from([0x17, 1, 0, 0, 0]), Buffer.alloc(3_000, 0x65)]);
const INTERFRAME = Buffer.concat([Buffer.from([0x27, 1, 0, 0, 0]), Buffer.alloc(500, 0x41)]);

function video(timestamp: number, body: Buffer): RtmpMessage {
  return { csid: 6, type: TAG_TYPE.video, streamId: 1, timestamp, payload: body };
}

/** Two seconds of video from a publisher whose clock starts at `start`. */
function twoSeconds(start: number): RtmpMessage[] {
  const frames = [video(start, AVC_HEADER), video(start, KEYFRAME)];
  for (let at = 40; at <= 2_000; at += 40) frames.push(video((start + at) >>> 0, INTERFRAME));
  return frames;
}

async function connectedPublisher(media: MediaNodeProcess): Promise<RawRtmpClient> {
  const client = new RawRtmpClient(media.ports.rtmp);
  await client.handshake();
  await client.connectApp(media.ports.rtmp);
  return client;
}

/** A publisher that sent a keyframe stamped near 2^32 and dropped: the channel is reconnecting. */
async function publishNearWrapAndDrop(media: MediaNodeProcess): Promise<void> {
  const first = await connectedPublisher(media);
  first.publish(wrapperKey);
  await first.waitFor("NetStream.Publish.Start");
  for (const message of [video(0, AVC_HEADER), video(NEAR_WRAP, KEYFRAME)]) first.send(message);
  await waitFor(async () => (await getStream(media, WRAPPER))?.health.video.codec === "H.264", {
    timeoutMs: 5_000,
    message: "the first publisher's frames",
  });
  first.destroy();
  await waitFor(async () => (await getStream(media, WRAPPER))?.state === "reconnecting", {
    timeoutMs: 5_000,
    message: "the channel to be reconnecting",
  });
}

async function expectPlaysWithSaneTimestamps(media: MediaNodeProcess, channel: string): Promise<void> {
  const viewer = await readFlv(media.httpUrl(`/live/${channel}.flv`), { tags: 30, ms: 8_000 });
  expect(viewer.status).toBe(200);
  expect(viewer.parseError).toBeNull();
  expect(viewer.tags.length).toBeGreaterThanOrEqual(30);
  const frames = viewer.tags.filter((tag) => tag.kind === "keyframe" || tag.kind === "interframe");
  for (let index = 1; index < frames.length; index += 1) {
    const step = frames[index]!.timestamp - frames[index - 1]!.timestamp;
    expect(step).toBeGreaterThanOrEqual(0);
    expect(step).toBeLessThan(1_000);
  }
}

let media: MediaNodeProcess;
let bystander: TestPublisher;

beforeAll(async () => {
  media = await startMediaNodeProcess(
    { [wrapperKey]: WRAPPER, [bystanderKey]: BYSTANDER },
    { reconnectGraceMs: 5_000 },
  );
  bystander = publishTestStream(media.rtmpUrl(`live/${bystanderKey}`));
  await waitFor(async () => (await getStream(media, BYSTANDER))?.health.video.codec, {
    timeoutMs: 15_000,
    message: "the bystander stream to be live",
  });
});

afterAll(async () => {
  await bystander?.kill();
  await media?.stop();
  await killAllTestProcesses();
});

describe("a publisher's timestamps near 2^32", () => {
  it("and a reconnect whose publish and frames come in one write leave the node and every other stream up", async () => {
    await publishNearWrapAndDrop(media);
    const second = await connectedPublisher(media);
    second.write(
      Buffer.concat([publishMessage(wrapperKey), ...twoSeconds(0)].map((message) => rtmpChunks(message))),
    );
    await second.waitFor("NetStream.Publish.Start");

    await expectPlaysWithSaneTimestamps(media, WRAPPER);
    expect(second.isClosed).toBe(false);
    expect(media.isRunning, media.stderr).toBe(true);
    expect(bystander.isRunning).toBe(true);
    await expectPlaysWithSaneTimestamps(media, BYSTANDER);
    second.destroy();
  });

  it("do not stop an encoder that reconnects inside the grace period from publishing on", async () => {
    await waitFor(async () => (await getStream(media, WRAPPER)) === null, {
      timeoutMs: 10_000,
      message: "the previous broadcast to end",
    });
    await publishNearWrapAndDrop(media);
    const second = await connectedPublisher(media);
    second.publish(wrapperKey);
    await second.waitFor("NetStream.Publish.Start");
    for (const message of twoSeconds(0)) second.send(message);
    const viewer = readFlv(media.httpUrl(`/live/${WRAPPER}.flv`), { tags: 20, ms: 8_000 });
    for (const message of twoSeconds(2_040)) second.send(message);
    expect((await viewer).tags.length).toBeGreaterThanOrEqual(20);
    expect(second.isClosed).toBe(false);
    expect((await getStream(media, WRAPPER))?.state).toBe("live");
    expect(media.isRunning, media.stderr).toBe(true);
    second.destroy();
  });
});
