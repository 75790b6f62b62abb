/**
 * `npm run fuzz -- <rtmp|flv|amf|ws-flv> [--seconds N] [--sessions N] [--seed N] [--workers N]`
 * fuzzes the media node's ingest and playback code with mutated sessions recorded from ffmpeg, in one
 * worker process per core, and prints one JSON report (exit code 1 on a crash). `--session K` replays
 * session K of `--seed` alone. `npm run fuzz -- record` records the corpus again from the local ffmpeg.
 */
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { recordCorpus } from "./record-corpus.ts";
import type { FuzzTarget } from "./fuzz-target.ts";
import { runFuzz, type FuzzReport } from "./run-fuzz.ts";
import { flvTarget, wsFlvTarget } from "./targets/http-targets.ts";
import { amfTarget, rtmpTarget } from "./targets/rtmp-target.ts";

const TARGETS: Record<string, FuzzTarget> = {
  rtmp: rtmpTarget,
  flv: flvTarget,
  amf: amfTarget,
  "ws-flv": wsFlvTarget,
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: "string", default: "60" },
    sessions: { type: "string", default: String(Number.MAX_SAFE_INTEGER) },
    seed: { type: "string" },
    concurrency: { type: "string", default: "64" },
    workers: { type: "string", default: String(availableParallelism()) },
    session: { type: "string" },
    worker: { type: "string" },
  },
});
const [name] = positionals;
if (name === "record") {
  await recordCorpus();
  process.stderr.write("corpus recorded\n");
  process.exit(0);
}
const target = name ? TARGETS[name] : undefined;
if (!target) {
  process.stderr.write(
    `usage: npm run fuzz -- <${Object.keys(TARGETS).join("|")}|record> [--seconds N] [--sessions N] [--seed N] [--workers N] [--session K]\n`,
  );
  process.exit(2);
}
const seed = values.seed === undefined ? Math.floor(Math.random() * 0xffffffff) : Number(values.seed);
const workers = values.session === undefined ? Math.max(1, Number(values.workers)) : 1;

if (values.worker !== undefined || workers === 1) {
  const [index = 0, count = 1] = (values.worker ?? "0/1").split("/").map(Number);
  const report = await runFuzz({
    target,
    seed,
    sessions: Number(values.sessions),
    seconds: Number(values.seconds),
    concurrency: Number(values.concurrency),
    only: values.session === undefined ? undefined : Number(values.session),
    worker: { index, count },
    progress: (line) => process.stderr.write(`${JSON.stringify({ target: name, worker: index, ...line })}\n`),
  });
  if (process.send) process.send(report);
  else printReport([report]);
  process.exit(report.crashes.length > 0 ? 1 : 0);
}

const reports = await Promise.all(
  Array.from({ length: workers }, (_, index) => {
    const child = fork(
      process.argv[1]!,
      [...process.argv.slice(2), "--seed", String(seed), "--worker", `${index}/${workers}`],
      {
        execArgv: process.execArgv,
      },
    );
    return new Promise<FuzzReport>((resolve, reject) => {
      child.once("message", (report) => resolve(report as FuzzReport));
      child.once("exit", (code) =>
        reject(new Error(`fuzz worker ${index} exited (${code}) without a report`)),
      );
    });
  }),
);
printReport(reports);
process.exit(reports.some((report) => report.crashes.length > 0) ? 1 : 0);

function printReport(reports: FuzzReport[]): void {
  const sum = (pick: (report: FuzzReport) => number) =>
    reports.reduce((total, report) => total + pick(report), 0);
  const max = (pick: (report: FuzzReport) => number | null) =>
    Math.max(...reports.map((report) => pick(report) ?? 0));
  const crashes = reports.flatMap((report) => report.crashes);
  const seconds = max((report) => report.seconds);
  const summary = {
    target: name,
    seed,
    workers: reports.length,
    sessions: sum((report) => report.sessions),
    seconds,
    sessionsPerSecond: Math.round(sum((report) => report.sessions) / seconds),
    sessionsPerCpuSecond: Math.round(sum((report) => report.sessionsPerCpuSecond) / reports.length),
    crashes,
    peerErrors: reports.reduce<Record<string, number>>((total, report) => {
      for (const [code, count] of Object.entries(report.peerErrors)) total[code] = (total[code] ?? 0) + count;
      return total;
    }, {}),
    memoryPerWorker: {
      heapStartMb: max((report) => report.memory.heapStartMb),
      heapEndMb: max((report) => report.memory.heapEndMb),
      heapPeakMb: max((report) => report.memory.heapPeakMb),
      rssPeakMb: max((report) => report.memory.rssPeakMb),
    },
  };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  for (const crash of crashes.slice(0, 1)) {
    process.stderr.write(
      `replay: npm run fuzz -- ${name} --seed ${seed} --session <one of ${crash.sessionsInFlight.join(", ")}>\n`,
    );
  }
}
