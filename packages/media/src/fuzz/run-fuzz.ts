import { loadCorpus } from "./corpus.ts";
import { readPeerErrors } from "./read-peer-errors.ts";
import { createFuzzNode } from "./fuzz-node.ts";
import type { FuzzTarget } from "./fuzz-target.ts";
import { Random } from "./random.ts";
import { startResidentPublisher } from "./targets/rtmp-target.ts";

export type FuzzOptions = {
  target: FuzzTarget;
  seed: number;
  /** Stop after this many sessions, or after `seconds`, whichever first. */
  sessions: number;
  seconds: number;
  /** Sessions in flight at once. */
  concurrency: number;
  /** Replay one session alone (its index under `seed`). */
  only?: number;
  /** This process runs session indices `worker.index`, `+ worker.count`, …: workers share one seed. */
  worker: { index: number; count: number };
  progress(line: object): void;
};

export type FuzzFailure = {
  kind: "uncaught exception" | "unhandled rejection";
  error: string;
  sessionsInFlight: number[];
  /** Seconds since the run started; "closing" when the node was already being closed. */
  atSeconds: number;
  phase: "running" | "closing";
};

export type FuzzReport = {
  seed: number;
  sessions: number;
  seconds: number;
  sessionsPerSecond: number;
  /** Sessions per second of this process's own CPU time: the rate on one idle core, whatever else runs. */
  sessionsPerCpuSecond: number;
  crashes: FuzzFailure[];
  /** Connections the node closed for what their peer sent, by protocol and error code. */
  peerErrors: Record<string, number>;
  /** Heap after a full collection, at the start and at the end (needs --expose-gc), and the RSS peak. */
  memory: { heapStartMb: number | null; heapEndMb: number | null; rssPeakMb: number; heapPeakMb: number };
};

const MB = 1024 * 1024;

/** The seed of one session: the run's seed and the session's index, mixed. */
export function sessionSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/**
 * Runs fuzzed sessions against one media node in this process until the budget is spent or the node
 * throws where nothing catches it. Any uncaught exception or unhandled rejection is what would have
 * taken a real media process down: it is recorded with the sessions in flight, and the run stops.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const crashes: FuzzFailure[] = [];
  const inFlight = new Set<number>();
  let phase: FuzzFailure["phase"] = "running";
  const runStarted = Date.now();
  const onFailure = (kind: FuzzFailure["kind"]) => (error: unknown) => {
    crashes.push({
      kind,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      sessionsInFlight: [...inFlight].sort((a, b) => a - b),
      atSeconds: Math.round((Date.now() - runStarted) / 100) / 10,
      phase,
    });
  };
  const onException = onFailure("uncaught exception");
  const onRejection = onFailure("unhandled rejection");
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);

  const context = { node: await createFuzzNode(), corpus: await loadCorpus() };
  await startResidentPublisher(context, new Random(options.seed));
  const heapStartMb = heapAfterGc();
  let rssPeak = 0;
  let heapPeak = 0;
  const started = Date.now();
  const cpuStart = process.cpuUsage();
  const deadline = started + options.seconds * 1_000;
  const { worker } = options;
  let next = options.only ?? worker.index;
  const last = options.only ?? options.sessions - 1;
  const step = options.only === undefined ? worker.count : 1;
  let done = 0;
  const sampler = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage();
    rssPeak = Math.max(rssPeak, rss);
    heapPeak = Math.max(heapPeak, heapUsed);
    const seconds = (Date.now() - started) / 1_000;
    options.progress({
      sessions: done,
      seconds: Math.round(seconds),
      perSecond: Math.round(done / seconds),
      rssMb: Math.round(rss / MB),
      heapMb: Math.round(heapUsed / MB),
    });
  }, 5_000);

  const runSessions = async () => {
    while (crashes.length === 0 && next <= last && Date.now() < deadline) {
      const index = next;
      next += step;
      inFlight.add(index);
      try {
        await options.target(new Random(sessionSeed(options.seed, index)), context);
      } catch (error) {
        // A session's own promise failing is the harness's fault or the node's: either way, stop.
        onException(error);
      }
      inFlight.delete(index);
      done += 1;
    }
  };
  await Promise.all(
    Array.from({ length: options.only === undefined ? options.concurrency : 1 }, runSessions),
  );
  clearInterval(sampler);
  const seconds = (Date.now() - started) / 1_000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peerErrors = await readPeerErrors(context.node);
  phase = "closing";
  await context.node.close();
  // Let the last closes and timers run, so that what they throw is seen too.
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.off("uncaughtException", onException);
  process.off("unhandledRejection", onRejection);
  return {
    seed: options.seed,
    sessions: done,
    seconds: Math.round(seconds * 10) / 10,
    sessionsPerSecond: Math.round(done / seconds),
    sessionsPerCpuSecond: Math.round(done / cpuSeconds),
    crashes,
    peerErrors,
    memory: {
      heapStartMb,
      heapEndMb: heapAfterGc(),
      rssPeakMb: Math.round(rssPeak / MB),
      heapPeakMb: Math.round(heapPeak / MB),
    },
  };
}

function heapAfterGc(): number | null {
  if (!globalThis.gc) return null;
  globalThis.gc();
  return Math.round(process.memoryUsage().heapUsed / MB);
}
