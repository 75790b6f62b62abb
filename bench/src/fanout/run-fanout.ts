import { loadavg } from "node:os";
import { progress } from "../shared/progress.ts";
import type { FanoutOptions } from "./fanout-options.ts";
import { fanoutResult, mbps, type RunFacts } from "./fanout-result.ts";
import { startFanoutRig, type FanoutRig } from "./fanout-rig.ts";
import { measureSteps, type Measurements } from "./measure-steps.ts";
import { ensureTestClip } from "./test-clip.ts";

/**
 * The fanout benchmark: one publisher, viewers ramped to each total, one media process. If a process
 * dies on the way, the result holds what was measured before, and `error` says what happened.
 */
export async function runFanout(options: FanoutOptions) {
  const run: RunFacts = {
    startedAt: new Date(),
    loadAverageAtStart: loadavg(),
    publisherStartedAt: null,
    error: null,
  };
  const { width, height, fps, seconds } = options.clip;
  progress(`test clip: ${width}x${height}p${fps}, ${seconds} s (cached after the first run)`);
  const clip = await ensureTestClip(options.clip, options.ffmpegPath);
  progress(`test clip ready: ${mbps(clip.bytesPerSecond)} Mbit/s over ${clip.durationMs} ms`);
  const measured: Measurements = { idle: null, steps: [] };
  const stops: (() => Promise<void>)[] = [];
  try {
    const rig: FanoutRig = await startFanoutRig(options, clip, stops);
    run.publisherStartedAt = rig.publisher.startedAt;
    await measureSteps(options, rig, measured);
  } catch (error) {
    run.error = error instanceof Error ? error.message : String(error);
    progress(`stopped early: ${run.error}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
  return fanoutResult(options, clip, measured, run);
}
