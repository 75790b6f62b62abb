import type { LoopDelay } from "../shared/loop-delay.ts";
import { distribution, type Distribution } from "../shared/percentiles.ts";
import { FANOUT_TARGETS, atLeast, atMost, atMostNonNegative, type TargetCheck } from "./fanout-targets.ts";
import { perProtocol, type PerProtocol } from "./per-protocol.ts";
import type { ServerCounters } from "./server-metrics.ts";
import { mergeSamples, type ViewerSamples } from "./viewer-samples.ts";
import { PLAY_PROTOCOLS } from "./viewers/viewer.ts";

/** A viewer is at full rate when it received at least this share of the publisher's byte rate. */
export const FULL_RATE_SHARE = 0.9;
const MB = 1024 * 1024;

/** What was measured at one viewer total, before it is summarised. */
export type StepMeasurement = {
  viewers: number;
  samples: PerProtocol<ViewerSamples>;
  serverCpuPercent: number | null;
  /** RSS at the end of the window, as it was. */
  serverRssBytes: number | null;
  /** RSS and heap right after a forced full GC at the end of the window: less noisy. */
  serverAfterGc: ServerMemory;
  otherCpuPercent: {
    loadGenerators: number | null;
    publisher: number | null;
    /** The media node's child processes (its ffmpeg sidecars: HLS packager and the like). */
    mediaSidecars: number | null;
    machineBusy: number;
  };
  serverCounters: ServerCounters | null;
  /** Event-loop delays while the step's viewers were opened (ramp) and over the window. */
  loopDelayMs: {
    server: { ramp: LoopDelay; window: LoopDelay };
    /** The worst load generator's. */
    loadGenerators: { ramp: LoopDelay; window: LoopDelay };
  };
};

export type ServerMemory = { rssBytes: number | null; heapUsedBytes: number; externalBytes: number };

export type ViewerResult = {
  viewers: number;
  connected: number;
  atFullRate: number;
  deliveredMbps: number;
  timeToFirstFrameMs: Distribution;
  timeToFirstByteMs: Distribution;
  /** New viewers of this step without a keyframe when the ramp's wait ended. */
  withoutFirstFrame: number;
  deliveryDelayMs: Distribution;
  serverAddedDelayMs: Distribution;
  failures: Record<string, number>;
};

export type StepResult = ViewerResult & {
  server: {
    cpuPercent: number | null;
    rssMb: number | null;
    afterGc: { rssMb: number | null; heapUsedMb: number; externalMb: number };
    /** From the RSS after a forced GC, here and in the baseline. */
    memoryPerViewerKb: number | null;
    /** From the RSS as it was, here and in the baseline. */
    memoryPerViewerKbWithoutGc: number | null;
    viewersPerCoreAtFullRate: number | null;
    counters: ServerCounters | null;
  };
  otherCpuPercent: StepMeasurement["otherCpuPercent"];
  loopDelayMs: StepMeasurement["loopDelayMs"];
  byProtocol: PerProtocol<ViewerResult>;
  targets: {
    viewersPerCoreAtFullRate: TargetCheck;
    memoryPerViewerKb: TargetCheck;
    timeToFirstFrameP95Ms: TargetCheck;
    flvDelayP95Ms: TargetCheck;
    serverAddedFlvDelayP95Ms: TargetCheck;
  };
};

export type ReportContext = {
  /** The publisher's FLV byte rate: what a viewer at full rate receives. */
  publisherBytesPerSecond: number;
  /** The smallest arrival offset of the run: delays are measured above it. */
  delayFloor: number;
  idle: { rssBytes: number | null; afterGc: ServerMemory };
};

export function summariseStep(step: StepMeasurement, context: ReportContext): StepResult {
  const all = mergeSamples(PLAY_PROTOCOLS.map((protocol) => step.samples[protocol]));
  const overall = summariseViewers(all, context);
  const flv = mergeSamples([step.samples["http-flv"], step.samples["ws-flv"]]);
  const flvDelay = distribution(flv.arrivalOffsets, { offset: context.delayFloor });
  const flvServerDelay = distribution(flv.serverDelays);
  const memoryPerViewerKb = perViewerKb(
    step.serverAfterGc.rssBytes,
    context.idle.afterGc.rssBytes,
    step.viewers,
  );
  const viewersPerCore =
    step.serverCpuPercent && step.serverCpuPercent > 0
      ? Math.round(overall.atFullRate / (step.serverCpuPercent / 100))
      : null;
  const byProtocol = perProtocol((protocol) => summariseViewers(step.samples[protocol], context));
  return {
    ...overall,
    server: {
      cpuPercent: step.serverCpuPercent,
      rssMb: step.serverRssBytes === null ? null : round(step.serverRssBytes / MB),
      afterGc: {
        rssMb: step.serverAfterGc.rssBytes === null ? null : round(step.serverAfterGc.rssBytes / MB),
        heapUsedMb: round(step.serverAfterGc.heapUsedBytes / MB),
        externalMb: round(step.serverAfterGc.externalBytes / MB),
      },
      memoryPerViewerKb,
      memoryPerViewerKbWithoutGc: perViewerKb(step.serverRssBytes, context.idle.rssBytes, step.viewers),
      viewersPerCoreAtFullRate: viewersPerCore,
      counters: step.serverCounters,
    },
    otherCpuPercent: step.otherCpuPercent,
    loopDelayMs: step.loopDelayMs,
    byProtocol,
    targets: {
      // Per core only counts when every viewer is at full rate; otherwise the server is past its limit.
      viewersPerCoreAtFullRate: atLeast(
        overall.atFullRate === step.viewers ? viewersPerCore : 0,
        FANOUT_TARGETS.viewersPerCoreAtFullRate,
      ),
      memoryPerViewerKb: atMostNonNegative(memoryPerViewerKb, FANOUT_TARGETS.memoryPerViewerKb),
      timeToFirstFrameP95Ms: atMost(overall.timeToFirstFrameMs.p95, FANOUT_TARGETS.timeToFirstFrameP95Ms),
      flvDelayP95Ms: atMost(flvDelay.p95, FANOUT_TARGETS.flvDelayP95Ms),
      serverAddedFlvDelayP95Ms: atMost(flvServerDelay.p95, FANOUT_TARGETS.serverAddedFlvDelayP95Ms),
    },
  };
}

function summariseViewers(samples: ViewerSamples, context: ReportContext): ViewerResult {
  const fullRate = FULL_RATE_SHARE * context.publisherBytesPerSecond;
  const deliveredBytesPerSecond = samples.windowRates.reduce((sum, rate) => sum + rate, 0);
  return {
    viewers: samples.requested,
    connected: samples.playing,
    atFullRate: samples.windowRates.filter((rate) => rate >= fullRate).length,
    deliveredMbps: round((deliveredBytesPerSecond * 8) / 1e6),
    timeToFirstFrameMs: distribution(samples.timeToFirstKeyframeMs),
    timeToFirstByteMs: distribution(samples.timeToFirstByteMs),
    withoutFirstFrame: samples.withoutKeyframe,
    deliveryDelayMs: distribution(samples.arrivalOffsets, { offset: context.delayFloor }),
    serverAddedDelayMs: distribution(samples.serverDelays),
    failures: samples.failures,
  };
}

function perViewerKb(rssBytes: number | null, idleRssBytes: number | null, viewers: number): number | null {
  if (rssBytes === null || idleRssBytes === null) return null;
  return round((rssBytes - idleRssBytes) / 1024 / viewers);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
