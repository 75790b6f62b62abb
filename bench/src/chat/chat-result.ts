import { cpus, totalmem } from "node:os";
import { latencies } from "../shared/percentiles.ts";
import type { ChatOptions } from "./chat-options.ts";
import type { RampReport } from "./chat-rig.ts";
import type { ProfileSummary } from "./cpu-profile-summary.ts";
import type { DeliveryLog, PhaseDeliveries } from "./delivery-log.ts";
import type { PhaseMeasurement, ProcessUse } from "./run-phases.ts";

/** The target: web → IRC → web p99 at most 100 ms with 1,000 chatters. */
export const CHAT_TARGET = { p99Ms: 100, chatters: 1_000, maxMissingPercent: 1 } as const;

export type ChatRunFacts = {
  startedAt: Date;
  loadAverageAtStart: number[];
  error: string | null;
  ramp: RampReport | null;
  disconnects: Record<string, number>;
  gatewayProfile: { path: string; phases: ProfileSummary[] } | { error: string } | null;
};

type PhaseResult = ReturnType<typeof phaseResult>;

/** The chat benchmark's JSON result. */
export function chatResult(
  options: ChatOptions,
  log: DeliveryLog,
  measured: PhaseMeasurement[],
  run: ChatRunFacts,
) {
  const phases = measured.map((measurement, index) =>
    phaseResult(measurement, log.phases[index]!, log.lineOutcomes(index)),
  );
  const chattersConnected = run.ramp?.chattersConnected ?? 0;
  const cores = cpus().length;
  return {
    benchmark: "chat",
    mode: options.isSmoke ? "smoke" : "full",
    error: run.error,
    startedAt: run.startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - run.startedAt.getTime()) / 1000),
    notes: [
      `Loopback on one machine with ${cores} cores: the gateway, InspIRCd and PostgreSQL share them with this ` +
        "load generator (every socket.io chatter and IRC client runs in the benchmark process). A busy load generator " +
        "stamps arrivals late, so read bench.cpuPercent, bench.loopDelayMs and machineBusyPercent next to the latencies.",
      "Latency: arrival at a receiving socket − the send time written in the line's text, both performance.now() of " +
        "the benchmark process (one clock). Web lines go chat:send → the gateway → the sender's own IRC connection → " +
        "InspIRCd → the gateway's reader connection → the channel's socket.io room; IRC lines start at an IRC client's PRIVMSG.",
      "Expected deliveries: per line, the web chatters connected in its channel when it was sent (the sender's own socket " +
        "included, as the gateway echoes every line to the room). Loss = missing / expected after the drain; " +
        "deliveries beyond a line's expected count are reported as extra, not as delivered.",
      "CPU in % of one core (100 × cores = the whole machine), from /proc/<pid>/stat utime + stime over each phase's " +
        "sending window (systemCpuPercent: the kernel's part, e.g. socket writes); RSS (VmRSS) at its end. mainThread (from /proc/<pid>/schedstat) is the event loop's thread: " +
        "cpuPercent on a core, runQueueWaitPercent runnable but waiting for a core. Their sum near 100 % means the " +
        "event loop never rested; a large wait share means the machine, not the process, was short of CPU. " +
        "otherCpuPercent = machine busy − these three processes: PostgreSQL, the kernel, other jobs; approximate (the " +
        "machine's counters are sampled on timer ticks), so a negative value means ≈ 0.",
      "Each chatter sends X-Forwarded-For with its own 10.x address, which the gateway trusts from loopback as from the " +
        "web proxy: its per-IP connect limit (60 a minute) and InspIRCd's WEBIRC see one viewer per chatter.",
    ],
    machine: {
      cpus: cores,
      cpuModel: cpus()[0]?.model ?? null,
      memoryMb: Math.round(totalmem() / 1024 / 1024),
      node: process.version,
      loadAverageAtStart: run.loadAverageAtStart.map((value) => Math.round(value * 100) / 100),
    },
    setup: {
      chatters: { requested: options.chatters, connected: chattersConnected, channels: options.channels },
      ircClients: {
        requested: options.ircClients,
        connected: run.ramp?.ircClientsConnected ?? 0,
        note: "public port, PASS <IRC token>, one channel each; they receive their channel's lines too",
      },
      usersSeeded: options.chatters + options.ircClients,
      phaseSeconds: options.phaseSeconds,
      drainSecondsMax: options.drainSeconds,
      ircShare: options.ircShare,
      ircMaxPerClientPerSecond: options.ircMaxPerClientPerSecond,
      textLength: options.textLength,
      gateway:
        "apps/chat/src/main.ts in its own process, LOG_LEVEL=warn, no Redis, CHAT_RATE_LIMIT_MESSAGES and " +
        "CHAT_MAX_CONNECTIONS_PER_IP at 1,000,000; the per-socket limit (10 events / 5 s) is the gateway's own",
      ramp: run.ramp,
      disconnectsAfterRamp: run.disconnects,
      unknownArrivals: log.unknownArrivals,
    },
    target: chatTarget(phases, chattersConnected, options.ratesPerSecond.length, run.error),
    phases,
    gatewayProfile: run.gatewayProfile,
  };
}

function phaseResult(
  measurement: PhaseMeasurement,
  deliveries: PhaseDeliveries,
  outcomes: { reachedNobody: number; reachedSome: number },
) {
  const seconds = measurement.sendingMs / 1000;
  const perSecond = (count: number) => Math.round((count / seconds) * 10) / 10;
  const sent = deliveries.sent.web + deliveries.sent.irc;
  const refused = Object.values(deliveries.acks.refused).reduce((sum, count) => sum + count, 0);
  const missing = deliveries.expected - deliveries.delivered;
  const cpu = [measurement.gateway, measurement.ircd, measurement.bench].map((use) => use.cpuPercent);
  return {
    targetPerSecond: measurement.targetPerSecond,
    sendingSeconds: Math.round(seconds * 100) / 100,
    drainMs: measurement.drainMs,
    sent: {
      total: sent,
      perSecond: perSecond(sent),
      web: deliveries.sent.web,
      irc: deliveries.sent.irc,
      ircTargetPerSecond: measurement.ircTargetPerSecond,
    },
    webAcks: {
      ok: deliveries.acks.ok,
      refused,
      refusals: deliveries.acks.refused,
      unanswered: deliveries.sent.web - deliveries.acks.ok - refused,
      ackMs: latencies(deliveries.acks.ackMs),
    },
    deliveries: {
      expected: deliveries.expected,
      delivered: deliveries.delivered,
      missing,
      lossPercent: deliveries.expected === 0 ? null : Math.round((missing / deliveries.expected) * 1e4) / 100,
      extra: deliveries.extra,
      linesReachingNobody: outcomes.reachedNobody,
      linesReachingSome: outcomes.reachedSome,
      // socket.io deliveries (all receivers) that arrived while the phase was sending, per second.
      perSecond: perSecond(deliveries.arrivalsWhileSending),
      expectedPerSecond: perSecond(deliveries.expected),
    },
    latencyMs: {
      webToIrcToWeb: latencies(deliveries.latenciesMs.web),
      ircToWeb: latencies(deliveries.latenciesMs.irc),
    },
    gateway: use(measurement.gateway),
    ircd: use(measurement.ircd),
    bench: { ...use(measurement.bench), loopDelayMs: measurement.bench.loopDelayMs },
    machineBusyPercent: measurement.machineBusyPercent,
    // Machine busy time not in the three processes above: PostgreSQL, the kernel, other jobs.
    otherCpuPercent: cpu.some((value) => value === null)
      ? null
      : Math.round(
          (measurement.machineBusyPercent - cpu.reduce<number>((sum, value) => sum + value!, 0)) * 10,
        ) / 10,
  };
}

function chatTarget(
  phases: PhaseResult[],
  chattersConnected: number,
  phasesPlanned: number,
  error: string | null,
) {
  const byPhase = phases.map((phase) => {
    const p99Ms = phase.latencyMs.webToIrcToWeb.p99;
    const missingPercent = phase.deliveries.lossPercent;
    return {
      targetPerSecond: phase.targetPerSecond,
      p99Ms,
      ircToWebP99Ms: phase.latencyMs.ircToWeb.p99,
      missingPercent,
      met:
        p99Ms !== null &&
        p99Ms <= CHAT_TARGET.p99Ms &&
        missingPercent !== null &&
        missingPercent <= CHAT_TARGET.maxMissingPercent,
    };
  });
  return {
    rule:
      `web → IRC → web p99 ≤ ${CHAT_TARGET.p99Ms} ms with ${CHAT_TARGET.chatters.toLocaleString("en")} chatters, in every ` +
      `phase; a phase with more than ${CHAT_TARGET.maxMissingPercent} % of its deliveries missing fails (a missing ` +
      "delivery is later than any p99)",
    p99Ms: CHAT_TARGET.p99Ms,
    chatters: CHAT_TARGET.chatters,
    chattersConnected,
    byPhase,
    met:
      error === null &&
      chattersConnected >= CHAT_TARGET.chatters &&
      byPhase.length === phasesPlanned &&
      byPhase.every((phase) => phase.met),
  };
}

function use({ cpuPercent, systemCpuPercent, mainThread, rssBytes }: ProcessUse) {
  return {
    cpuPercent,
    systemCpuPercent,
    mainThread,
    rssMb: rssBytes === null ? null : Math.round((rssBytes / 1024 / 1024) * 10) / 10,
  };
}
