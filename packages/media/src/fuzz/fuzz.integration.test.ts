import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** CI's smoke run: 5 s per target, a fresh seed each time (printed on failure, to replay it). */
const SECONDS = 5;
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

type SmokeReport = { sessions: number; crashes: unknown[] };

/**
 * One target in a process of its own, as `npm run fuzz` runs it: nothing a previous target's node
 * left behind (a late timer, a closing socket) can land in another target's run.
 */
function fuzzInOwnProcess(
  target: string,
  seed: number,
): Promise<{ report: SmokeReport | null; output: string }> {
  const child = spawn(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      "tsx",
      MAIN,
      target,
      "--seconds",
      String(SECONDS),
      "--workers",
      "1",
      "--seed",
      String(seed),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
  child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
  return new Promise((resolve) =>
    child.once("close", () => {
      let report: SmokeReport | null = null;
      try {
        report = JSON.parse(stdout) as SmokeReport;
      } catch {
        // No report: the process died; the output says how.
      }
      resolve({ report, output: `${stdout}\n${stderr.slice(-4_000)}` });
    }),
  );
}

describe("fuzzing the media node (smoke)", () => {
  for (const target of ["rtmp", "amf", "flv", "ws-flv"]) {
    it(`${target}: ${SECONDS} s of mutated sessions, no crash and no unhandled rejection`, async () => {
      const seed = Math.floor(Math.random() * 0xffffffff);
      const { report, output } = await fuzzInOwnProcess(target, seed);
      const replay = `npm run fuzz -- ${target} --seed ${seed}\n${output}`;
      expect(report, replay).not.toBeNull();
      expect(report!.crashes, replay).toEqual([]);
      expect(report!.sessions).toBeGreaterThan(100);
    }, 60_000);
  }
});
