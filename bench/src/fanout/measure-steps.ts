import { setTimeout as sleep } from "node:timers/promises";
import type { LoopDelay } from "../shared/loop-delay.ts";
import { childPids, processRssBytes } from "../shared/proc-stats.ts";
import { progress } from "../shared/progress.ts";
import type { FanoutOptions } from "./fanout-options.ts";
import type { FanoutRig } from "./fanout-rig.ts";
import type { ServerMemory, StepMeasurement } from "./fanout-report.ts";
import type { MediaNodeProcess } from "./media-node-process.ts";
import { perProtocol, type PerProtocol } from "./per-protocol.ts";
import { machineBusyPercent, processCpuPercent, snapshotCpu } from "../shared/process-sampler.ts";
import { readServerCounters } from "./server-metrics.ts";
import { collectSamples } from "./viewer-samples.ts";
import { splitAcrossGenerators, splitSamples, viewersPerProtocol } from "./viewer-split.ts";
import { PLAY_PROTOCOLS } from "./viewers/viewer.ts";

export type IdleMeasurement = { cpuPercent: number | null; rssBytes: number | null; afterGc: ServerMemory };

/** What a run measured so far: kept when a later step fails. */
export type Measurements = { idle: IdleMeasurement | null; steps: StepMeasurement[] };

/** The zero-viewer baseline, then each viewer total: ramp, settle, measure over the window. */
export async function measureSteps(
  options: FanoutOptions,
  rig: FanoutRig,
  into: Measurements,
): Promise<void> {
  const guard = <T>(promise: Promise<T>) => Promise.race([promise, rig.failed]);
  into.idle = await guard(measureIdle(options, rig));
  const opened = perProtocol(() => 0);
  const sampled = perProtocol(() => 0);
  for (const viewers of options.viewerCounts) {
    const wanted = viewersPerProtocol(viewers, options.protocols);
    const adding = perProtocol((protocol) => Math.max(0, wanted[protocol] - opened[protocol]));
    const quota = perProtocol((protocol) => Math.max(0, options.sampledPerProtocol - sampled[protocol]));
    const ramp = await guard(openViewers(options, rig, adding, quota));
    for (const protocol of PLAY_PROTOCOLS) {
      opened[protocol] += adding[protocol];
      sampled[protocol] += ramp.sampled[protocol];
    }
    await guard(sleep(options.settleSeconds * 1000));
    const step = await guard(measureWindow(options, rig, viewers, wanted, ramp));
    into.steps.push(step);
    reportStep(step);
  }
}

async function measureIdle(options: FanoutOptions, { media }: FanoutRig): Promise<IdleMeasurement> {
  progress(`baseline: ${options.idleSeconds} s with no viewers`);
  const start = snapshotCpu([media.pid]);
  await sleep(options.idleSeconds * 1000);
  const idle = {
    cpuPercent: processCpuPercent(start, snapshotCpu([media.pid]), media.pid),
    rssBytes: processRssBytes(media.pid),
    afterGc: await memoryAfterGc(media),
  };
  progress(`baseline: server CPU ${idle.cpuPercent} %, RSS ${mb(idle.rssBytes)} MB`);
  return idle;
}

type Ramp = Awaited<ReturnType<typeof openViewers>>;

/** Opens `adding` more viewers across the load generators, at the ramp rate. */
async function openViewers(
  options: FanoutOptions,
  { media, generators }: FanoutRig,
  adding: PerProtocol<number>,
  sampleQuota: PerProtocol<number>,
) {
  const shares = splitAcrossGenerators(adding, generators.length);
  const sampleShares = splitSamples(sampleQuota, shares);
  const total = PLAY_PROTOCOLS.reduce((sum, protocol) => sum + adding[protocol], 0);
  progress(`opening ${total} more viewers at ${options.rampPerSecond}/s`);
  const batchIntervalMs = ((options.batchSize * generators.length) / options.rampPerSecond) * 1000;
  await media.takeLoopDelay();
  const reports = await Promise.all(
    generators.map((generator, index) =>
      generator.request({
        kind: "open",
        counts: shares[index]!,
        sampled: sampleShares[index]!,
        batchSize: options.batchSize,
        batchIntervalMs,
        keyframeTimeoutMs: options.keyframeTimeoutSeconds * 1000,
      }),
    ),
  );
  return {
    reports,
    serverLoopDelay: await media.takeLoopDelay(),
    sampled: perProtocol((protocol) => sampleShares.reduce((sum, share) => sum + share[protocol], 0)),
  };
}

async function measureWindow(
  options: FanoutOptions,
  { media, tap, publisher, generators }: FanoutRig,
  viewers: number,
  wanted: PerProtocol<number>,
  ramp: Ramp,
): Promise<StepMeasurement> {
  const sidecars = childPids(media.pid);
  const pids = [media.pid, publisher.pid, ...generators.map((generator) => generator.pid), ...sidecars];
  const start = snapshotCpu(pids);
  await Promise.all([
    media.takeLoopDelay(),
    ...generators.map((generator) => generator.request({ kind: "window-start" })),
  ]);
  await sleep(options.windowSeconds * 1000);
  const windows = await Promise.all(generators.map((generator) => generator.request({ kind: "window-end" })));
  const end = snapshotCpu(pids);
  const serverLoopDelay = await media.takeLoopDelay();
  const cpu = (pid: number) => processCpuPercent(start, end, pid);
  return {
    viewers,
    samples: collectSamples(wanted, ramp.reports, windows, (type, timestamp) =>
      tap.arrivalOf(type, timestamp),
    ),
    serverCpuPercent: cpu(media.pid),
    serverRssBytes: processRssBytes(media.pid),
    serverAfterGc: await memoryAfterGc(media),
    otherCpuPercent: {
      loadGenerators: sumOrNull(generators.map((generator) => cpu(generator.pid))),
      publisher: cpu(publisher.pid),
      mediaSidecars: sumOrNull(sidecars.map(cpu)),
      machineBusy: machineBusyPercent(start, end),
    },
    serverCounters: await readServerCounters(media.ports.http),
    loopDelayMs: {
      server: { ramp: ramp.serverLoopDelay, window: serverLoopDelay },
      loadGenerators: {
        ramp: worstLoopDelay(ramp.reports.map((report) => report.loopDelay)),
        window: worstLoopDelay(windows.map((window) => window.loopDelay)),
      },
    },
  };
}

function reportStep(step: StepMeasurement): void {
  const playing = PLAY_PROTOCOLS.reduce((sum, protocol) => sum + step.samples[protocol].playing, 0);
  const { loadGenerators, machineBusy } = step.otherCpuPercent;
  progress(
    `${step.viewers} viewers: ${playing} playing; server CPU ${step.serverCpuPercent} %, ` +
      `RSS ${mb(step.serverRssBytes)} MB; load generators ${loadGenerators} %, machine ${machineBusy} % (200 % = 2 cores)`,
  );
}

/** Forces a full GC in the media node, then reads its RSS once the heap has shrunk. */
async function memoryAfterGc(media: MediaNodeProcess): Promise<ServerMemory> {
  const usage = await media.collectGarbage();
  await sleep(200);
  return {
    rssBytes: processRssBytes(media.pid),
    heapUsedBytes: usage.heapUsed,
    externalBytes: usage.external,
  };
}

/** The worst of several processes' loop delays, field by field. */
function worstLoopDelay(delays: LoopDelay[]): LoopDelay {
  return {
    p50Ms: Math.max(0, ...delays.map((delay) => delay.p50Ms)),
    p99Ms: Math.max(0, ...delays.map((delay) => delay.p99Ms)),
    maxMs: Math.max(0, ...delays.map((delay) => delay.maxMs)),
  };
}

function sumOrNull(values: (number | null)[]): number | null {
  if (values.some((value) => value === null)) return null;
  return Math.round(values.reduce<number>((sum, value) => sum + value!, 0) * 10) / 10;
}

function mb(bytes: number | null): string {
  return bytes === null ? "?" : (bytes / 1024 / 1024).toFixed(1);
}
