import { setTimeout as sleep } from "node:timers/promises";
import { progress } from "../shared/progress.ts";
import { BENCH_CHANNEL, BENCH_STREAM_KEY } from "./bench-channel.ts";
import type { FanoutOptions } from "./fanout-options.ts";
import { IngestTap } from "./ingest-tap.ts";
import { LoadGeneratorProcess } from "./load-generator-process.ts";
import { startMediaNodeProcess, type MediaNodeProcess } from "./media-node-process.ts";
import { startPublisher, waitUntilLive, type Publisher } from "./publisher.ts";
import type { TestClip } from "./test-clip.ts";

/** Sockets and files a process needs besides its viewers' sockets. */
const SPARE_FILES = 1_024;

/** The processes of a fanout run, all started and the stream live. */
export type FanoutRig = {
  media: MediaNodeProcess;
  tap: IngestTap;
  publisher: Publisher;
  generators: LoadGeneratorProcess[];
  /** Rejects when the media node or the publisher dies. */
  failed: Promise<never>;
};

/**
 * Starts the media node, the ingest relay, the publisher and the load generators, and waits until
 * the stream is live and warm. Pushes a stop for each onto `stops`, so a failure half-way still
 * cleans up.
 */
export async function startFanoutRig(
  options: FanoutOptions,
  clip: TestClip,
  stops: (() => Promise<void>)[],
): Promise<FanoutRig> {
  const maxViewers = Math.max(...options.viewerCounts);
  const media = await startMediaNodeProcess({ openFiles: maxViewers + SPARE_FILES });
  stops.push(() => media.stop());
  progress(`media node pid ${media.pid}: rtmp ${media.ports.rtmp}, http ${media.ports.http}`);
  const tap = await IngestTap.start(media.ports.rtmp);
  stops.push(() => tap.close());
  const publisher = startPublisher({
    clipPath: clip.path,
    rtmpUrl: `rtmp://127.0.0.1:${tap.port}/live/${BENCH_STREAM_KEY}`,
    ffmpegPath: options.ffmpegPath,
  });
  stops.push(() => publisher.stop());
  const failed = Promise.race([media.died, publisher.died]);
  failed.catch(() => {});
  await Promise.race([waitUntilLive(media.ports.http, BENCH_CHANNEL.name), failed]);
  progress(`live; warming up ${options.warmupSeconds} s`);
  const target = {
    host: "127.0.0.1",
    httpPort: media.ports.http,
    rtmpPort: media.ports.rtmp,
    channel: BENCH_CHANNEL.name,
  };
  const perGenerator = Math.ceil(maxViewers / options.loadGenerators) + SPARE_FILES;
  const generators = Array.from(
    { length: options.loadGenerators },
    () => new LoadGeneratorProcess({ target }, perGenerator),
  );
  for (const generator of generators) stops.push(() => generator.stop());
  await Promise.race([sleep(options.warmupSeconds * 1000), failed]);
  return { media, tap, publisher, generators, failed };
}
