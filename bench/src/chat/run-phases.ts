import { setTimeout as sleep } from "node:timers/promises";
import { LoopDelayMonitor, type LoopDelay } from "../shared/loop-delay.ts";
import { processRssBytes } from "../shared/proc-stats.ts";
import {
  machineBusyPercent,
  mainThreadPercent,
  processCpuPercent,
  processSystemCpuPercent,
  snapshotCpu,
} from "../shared/process-sampler.ts";
import { progress } from "../shared/progress.ts";
import { formatBenchLine } from "./bench-line.ts";
import type { ChatOptions } from "./chat-options.ts";
import type { ChatRig } from "./chat-rig.ts";
import type { DeliveryLog } from "./delivery-log.ts";

const DRAIN_POLL_MS = 20;
const NOT_MEASURED = { cpuPercent: null, systemCpuPercent: null, mainThread: null, rssBytes: null };

/** A process's CPU over a phase's sending window (all threads, and its main thread) and its RSS at the end. */
export type ProcessUse = {
  cpuPercent: number | null;
  /** The kernel's part of cpuPercent. */
  systemCpuPercent: number | null;
  mainThread: ReturnType<typeof mainThreadPercent>;
  rssBytes: number | null;
};

/** What a phase measured besides its deliveries (those are in the DeliveryLog). */
export type PhaseMeasurement = {
  targetPerSecond: number;
  /** The IRC clients' part of the target, after the per-client cap. */
  ircTargetPerSecond: number;
  sendingMs: number;
  /** From the end of sending until every expected delivery arrived, or the drain timeout. */
  drainMs: number;
  gateway: ProcessUse;
  ircd: ProcessUse;
  /** This process: the chatters and IRC clients (the load generator). */
  bench: ProcessUse & { loopDelayMs: LoopDelay };
  machineBusyPercent: number;
  /** The sending window on the monotonic clock, in µs, to find it in a CPU profile. */
  monotonicUs: { start: number; end: number };
};

/** Cursors that spread the sends over senders and channels, kept from one phase to the next. */
type Cursors = { web: number; irc: number };

/** Runs each phase: sends at the phase's rate for `phaseSeconds`, then waits for the last deliveries. */
export async function runPhases(
  options: ChatOptions,
  rig: ChatRig,
  log: DeliveryLog,
  into: PhaseMeasurement[],
): Promise<void> {
  const guard = <T>(promise: Promise<T>) => Promise.race([promise, rig.failed]);
  const loopDelay = new LoopDelayMonitor();
  const cursors: Cursors = { web: 0, irc: 0 };
  await guard(sleep(options.settleSeconds * 1000));
  for (const rate of options.ratesPerSecond) {
    const ircRate = Math.min(
      rate * options.ircShare,
      rig.ircChatters.length * options.ircMaxPerClientPerSecond,
    );
    progress(`phase ${rate} msg/s (${round(ircRate)} from IRC) for ${options.phaseSeconds} s`);
    const ircdPid = rig.ircd.process.pid ?? -1;
    const pids = [rig.gateway.pid, ircdPid, process.pid];
    loopDelay.take();
    const start = snapshotCpu(pids);
    const startUs = monotonicUs();
    log.startPhase();
    const sendingMs = await guard(sendAtRate(options, rig, log, { rate, ircRate }, cursors));
    log.stopSending();
    const endUs = monotonicUs();
    const end = snapshotCpu(pids);
    const use = (pid: number): ProcessUse => ({
      cpuPercent: processCpuPercent(start, end, pid),
      systemCpuPercent: processSystemCpuPercent(start, end, pid),
      mainThread: mainThreadPercent(start, end, pid),
      rssBytes: processRssBytes(pid),
    });
    const processes = {
      gateway: use(rig.gateway.pid),
      // The ircd is restarted by its supervisor if it dies: a new pid means no number for this phase.
      ircd: rig.ircd.process.pid === ircdPid ? use(ircdPid) : NOT_MEASURED,
      bench: { ...use(process.pid), loopDelayMs: loopDelay.take() },
    };
    const drainStartedAt = performance.now();
    const drainDeadline = drainStartedAt + options.drainSeconds * 1000;
    while (log.pending > 0 && performance.now() < drainDeadline) await guard(sleep(DRAIN_POLL_MS));
    const measurement: PhaseMeasurement = {
      targetPerSecond: rate,
      ircTargetPerSecond: round(ircRate),
      sendingMs: Math.round(sendingMs),
      drainMs: Math.round(performance.now() - drainStartedAt),
      ...processes,
      machineBusyPercent: machineBusyPercent(start, end),
      monotonicUs: { start: startUs, end: endUs },
    };
    into.push(measurement);
    const phase = log.phases.at(-1)!;
    progress(
      `phase ${rate} msg/s: sent ${phase.sent.web + phase.sent.irc}, delivered ${phase.delivered}/${phase.expected}, ` +
        `gateway CPU ${measurement.gateway.cpuPercent} %, ircd CPU ${measurement.ircd.cpuPercent} %, ` +
        `bench CPU ${measurement.bench.cpuPercent} %`,
    );
  }
}

/**
 * Sends `rate` lines per second for the phase, on schedule (a late tick sends what is due at once).
 * Line i comes from IRC when the IRC share's running total passes a whole number there, else from
 * the next web chatter in turn; chatters are seated round-robin over the channels, so consecutive
 * lines go to different channels. Returns how long sending took, in ms.
 */
async function sendAtRate(
  options: ChatOptions,
  rig: ChatRig,
  log: DeliveryLog,
  { rate, ircRate }: { rate: number; ircRate: number },
  cursors: Cursors,
): Promise<number> {
  const total = Math.round(rate * options.phaseSeconds);
  const ircFraction = ircRate / rate;
  const startedAt = performance.now();
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((performance.now() - startedAt) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      const isIrc = Math.floor((sent + 1) * ircFraction) > Math.floor(sent * ircFraction);
      if (isIrc) sendFromIrc(options, rig, log, cursors);
      else sendFromWeb(options, rig, log, cursors);
    }
    const nextAt = startedAt + (sent / rate) * 1000;
    await sleep(Math.max(1, nextAt - performance.now()));
  }
  // The window ends when the last line is due plus one interval, as it would with one more line.
  const windowEnd = startedAt + (total / rate) * 1000;
  const now = performance.now();
  if (now < windowEnd) await sleep(windowEnd - now);
  return performance.now() - startedAt;
}

function sendFromWeb(options: ChatOptions, rig: ChatRig, log: DeliveryLog, cursors: Cursors): void {
  const seated = next(rig.chatters, cursors, "web");
  if (!seated) return;
  const seq = log.nextSeq;
  const sentAt = performance.now();
  const text = formatBenchLine(seq, sentAt, options.textLength);
  log.sent("web", seated.channel, rig.connectedPerChannel[seated.channel]!);
  seated.chatter.send(text, (result) => log.acked(seq, result, performance.now() - sentAt));
}

function sendFromIrc(options: ChatOptions, rig: ChatRig, log: DeliveryLog, cursors: Cursors): void {
  const seated = next(rig.ircChatters, cursors, "irc");
  if (!seated) return sendFromWeb(options, rig, log, cursors);
  const seq = log.nextSeq;
  const text = formatBenchLine(seq, performance.now(), options.textLength);
  log.sent("irc", seated.channel, rig.connectedPerChannel[seated.channel]!);
  seated.chatter.say(text);
}

/** The next sender in turn whose connection is still open, or null if none is. */
function next<T extends { isConnected: boolean }>(
  senders: { chatter: T; channel: number }[],
  cursors: Cursors,
  kind: keyof Cursors,
): { chatter: T; channel: number } | null {
  for (let tries = 0; tries < senders.length; tries++) {
    const seated = senders[cursors[kind] % senders.length]!;
    cursors[kind] += 1;
    if (seated.chatter.isConnected) return seated;
  }
  return null;
}

/** CLOCK_MONOTONIC in µs: the clock of V8's CPU profiles in every process on this machine. */
function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
