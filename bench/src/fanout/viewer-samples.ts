import type { OpenedProtocol, OpenedViewers, WindowReport } from "./load-messages.ts";
import { perProtocol, type PerProtocol } from "./per-protocol.ts";
import type { TPlayProtocol } from "./viewers/viewer.ts";

/** Everything measured about one step's viewers of one protocol (or of all), from all load generators. */
export type ViewerSamples = {
  requested: number;
  opened: number;
  timeToFirstKeyframeMs: number[];
  timeToFirstByteMs: number[];
  withoutKeyframe: number;
  playing: number;
  /** Bytes per second each playing viewer received over its generator's window. */
  windowRates: number[];
  /** Sampled frames: arrival wall clock minus tag timestamp (publisher start + delay), in ms. */
  arrivalOffsets: number[];
  /** Sampled frames: arrival at the viewer minus arrival of the same frame at the ingest relay, in ms. */
  serverDelays: number[];
  failures: Record<string, number>;
};

export function emptySamples(requested = 0): ViewerSamples {
  return {
    requested,
    opened: 0,
    timeToFirstKeyframeMs: [],
    timeToFirstByteMs: [],
    withoutKeyframe: 0,
    playing: 0,
    windowRates: [],
    arrivalOffsets: [],
    serverDelays: [],
    failures: {},
  };
}

/** When a frame (tag type, timestamp) reached the server's input, if known. */
export type IngestArrival = (type: number, timestamp: number) => number | undefined;

/** Gathers the load generators' answers for one step, by protocol. */
export function collectSamples(
  requested: PerProtocol<number>,
  opened: OpenedViewers[],
  windows: WindowReport[],
  ingestArrival: IngestArrival,
): PerProtocol<ViewerSamples> {
  return perProtocol((protocol) => {
    const samples = emptySamples(requested[protocol]);
    for (const report of opened) addOpened(samples, report.protocols[protocol]);
    for (const window of windows) addWindow(samples, window, protocol, ingestArrival);
    return samples;
  });
}

/** One set of samples covering several (all protocols of a step). */
export function mergeSamples(parts: ViewerSamples[]): ViewerSamples {
  const merged = emptySamples();
  for (const part of parts) {
    merged.requested += part.requested;
    merged.opened += part.opened;
    merged.withoutKeyframe += part.withoutKeyframe;
    merged.playing += part.playing;
    append(merged.timeToFirstKeyframeMs, part.timeToFirstKeyframeMs);
    append(merged.timeToFirstByteMs, part.timeToFirstByteMs);
    append(merged.windowRates, part.windowRates);
    append(merged.arrivalOffsets, part.arrivalOffsets);
    append(merged.serverDelays, part.serverDelays);
    addCounts(merged.failures, part.failures);
  }
  return merged;
}

function addOpened(samples: ViewerSamples, opened: OpenedProtocol): void {
  samples.withoutKeyframe += opened.withoutKeyframe;
  append(samples.timeToFirstKeyframeMs, opened.timeToFirstKeyframeMs);
  append(samples.timeToFirstByteMs, opened.timeToFirstByteMs);
}

function addWindow(
  samples: ViewerSamples,
  window: WindowReport,
  protocol: TPlayProtocol,
  ingestArrival: IngestArrival,
): void {
  const report = window.protocols[protocol];
  samples.opened += report.opened;
  samples.playing += report.playing;
  const seconds = window.windowMs / 1000;
  append(
    samples.windowRates,
    report.windowBytes.map((bytes) => bytes / seconds),
  );
  const frames = report.frames;
  for (let index = 0; index + 2 < frames.length; index += 3) {
    const [type, timestamp, arrivedAt] = [frames[index]!, frames[index + 1]!, frames[index + 2]!];
    samples.arrivalOffsets.push(arrivedAt - timestamp);
    const ingestedAt = ingestArrival(type, timestamp);
    if (ingestedAt !== undefined) samples.serverDelays.push(arrivedAt - ingestedAt);
  }
  addCounts(samples.failures, report.failures);
}

function append(target: number[], values: number[]): void {
  for (const value of values) target.push(value);
}

function addCounts(target: Record<string, number>, counts: Record<string, number>): void {
  for (const [key, count] of Object.entries(counts)) target[key] = (target[key] ?? 0) + count;
}
