import { cpus, totalmem } from "node:os";
import { DEFAULT_FANOUT } from "@relaycast/media";
import { minimum } from "../shared/percentiles.ts";
import type { FanoutOptions } from "./fanout-options.ts";
import { FULL_RATE_SHARE, summariseStep, type StepResult } from "./fanout-report.ts";
import { FANOUT_TARGETS, FANOUT_TARGET_NOTES } from "./fanout-targets.ts";
import type { Measurements } from "./measure-steps.ts";
import type { TestClip } from "./test-clip.ts";
import { PLAY_PROTOCOLS } from "./viewers/viewer.ts";

export type RunFacts = {
  startedAt: Date;
  loadAverageAtStart: number[];
  /** Wall clock when the publisher started, if it did. */
  publisherStartedAt: number | null;
  error: string | null;
};

/** The fanout benchmark's JSON result. */
export function fanoutResult(options: FanoutOptions, clip: TestClip, measured: Measurements, run: RunFacts) {
  const { idle, steps } = measured;
  const offsets = steps.flatMap((step) =>
    PLAY_PROTOCOLS.flatMap((protocol) => step.samples[protocol].arrivalOffsets),
  );
  const delayFloor = minimum(offsets) ?? 0;
  const results = idle
    ? steps.map((step) =>
        summariseStep(step, { publisherBytesPerSecond: clip.bytesPerSecond, delayFloor, idle }),
      )
    : [];
  return {
    benchmark: "fanout",
    mode: options.isSmoke ? "smoke" : "full",
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - run.startedAt.getTime()) / 1000),
    note:
      "Loopback, with the server and the load generators on the same machine (shared with other jobs): treat the " +
      "numbers as noisy and read otherCpuPercent.machineBusy and loopDelayMs next to them. Server CPU is the media " +
      "node process alone, in % of one core; its ffmpeg sidecars (HLS) are listed apart as mediaSidecars.",
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      memoryMb: Math.round(totalmem() / 1024 / 1024),
      node: process.version,
      loadAverageAtStart: run.loadAverageAtStart.map((value) => Math.round(value * 100) / 100),
    },
    setup: {
      publisher: {
        clip:
          `testsrc2 ${clip.width}x${clip.height}p${clip.fps}, H.264 CBR ${clip.videoKbps} kbit/s, ` +
          `GOP ${clip.gopFrames} frames, AAC ${clip.audioKbps} kbit/s, ${clip.seconds} s looped`,
        measuredMbps: mbps(clip.bytesPerSecond),
        push: "ffmpeg -re -stream_loop -1 -i clip.flv -c copy -f flv rtmp://…, through a TCP relay that notes each frame's arrival",
      },
      viewers: `split evenly across ${options.protocols.join(", ")}; ramped in batches; kept from one step to the next`,
      rampViewersPerSecond: options.rampPerSecond,
      settleSeconds: options.settleSeconds,
      windowSeconds: options.windowSeconds,
      loadGenerators: options.loadGenerators,
      sampledViewersPerProtocol: options.sampledPerProtocol,
      fullRate: `≥ ${FULL_RATE_SHARE * 100} % of the publisher's FLV byte rate over the window`,
      deliveryDelay:
        "sampled viewers' frames: arrival − (publisher start + tag timestamp), minus the smallest such value of the run",
      serverAddedDelay:
        "sampled viewers' frames: arrival at the viewer − arrival of the same frame at the ingest relay",
      rawDelayFloorMs:
        run.publisherStartedAt === null || offsets.length === 0
          ? null
          : Math.round(delayFloor - run.publisherStartedAt),
      fanout: DEFAULT_FANOUT,
    },
    targets: { ...FANOUT_TARGETS, notes: FANOUT_TARGET_NOTES },
    idle: idle && {
      serverCpuPercent: idle.cpuPercent,
      serverRssMb: roundMb(idle.rssBytes),
      serverRssAfterGcMb: roundMb(idle.afterGc.rssBytes),
      serverHeapUsedAfterGcMb: roundMb(idle.afterGc.heapUsedBytes),
    },
    steps: results,
    summary: summarise(results),
  };
}

function summarise(results: StepResult[]) {
  const allAtFullRate = results.filter((step) => step.atFullRate === step.viewers);
  return {
    mostViewersAllAtFullRate: allAtFullRate.at(-1)?.viewers ?? 0,
    mostViewersAtFullRate: Math.max(0, ...results.map((step) => step.atFullRate)),
    bestViewersPerCoreAtFullRate: Math.max(
      0,
      ...allAtFullRate.map((step) => step.server.viewersPerCoreAtFullRate ?? 0),
    ),
    byViewers: results.map((step) => ({
      viewers: step.viewers,
      connected: step.connected,
      atFullRate: step.atFullRate,
      deliveredMbps: step.deliveredMbps,
      serverCpuPercent: step.server.cpuPercent,
      serverRssMb: step.server.rssMb,
      memoryPerViewerKb: step.server.memoryPerViewerKb,
      timeToFirstFrameP95Ms: step.timeToFirstFrameMs.p95,
      flvDelayP95Ms: step.targets.flvDelayP95Ms.value,
      serverAddedFlvDelayP95Ms: step.targets.serverAddedFlvDelayP95Ms.value,
      machineBusyPercent: step.otherCpuPercent.machineBusy,
    })),
  };
}

export function mbps(bytesPerSecond: number): number {
  return Math.round((bytesPerSecond * 8) / 1e4) / 100;
}

function roundMb(bytes: number | null): number | null {
  return bytes === null ? null : Math.round((bytes / 1024 / 1024) * 10) / 10;
}
