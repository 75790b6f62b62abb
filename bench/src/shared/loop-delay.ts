import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

const RESOLUTION_MS = 10;

/** How late the event loop ran a timer due every 10 ms, in ms beyond the 10 ms. */
export type LoopDelay = { p50Ms: number; p99Ms: number; maxMs: number };

/** Measures how late this process's event loop runs timers: a busy or starved process shows it. */
export class LoopDelayMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });

  constructor() {
    this.histogram.enable();
  }

  /** The delays since the last call (or since start), then starts over. */
  take(): LoopDelay {
    const toMs = (nanoseconds: number) =>
      Math.max(0, Math.round((nanoseconds / 1e6 - RESOLUTION_MS) * 10) / 10);
    const delay = {
      p50Ms: toMs(this.histogram.percentile(50)),
      p99Ms: toMs(this.histogram.percentile(99)),
      maxMs: toMs(this.histogram.max),
    };
    this.histogram.reset();
    return delay;
  }
}
