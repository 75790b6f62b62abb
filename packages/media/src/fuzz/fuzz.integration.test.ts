import { describe, expect, it } from "vitest";
import type { FuzzTarget } from "./fuzz-target.ts";
import { runFuzz } from "./run-fuzz.ts";
import { flvTarget, wsFlvTarget } from "./targets/http-targets.ts";
import { amfTarget, rtmpTarget } from "./targets/rtmp-target.ts";

/** CI's smoke run: 5 s per target, a fresh seed each time (printed on failure, to replay it). */
const SECONDS = 5;

describe("fuzzing the media node (smoke)", () => {
  const targets: [string, FuzzTarget][] = [
    ["rtmp", rtmpTarget],
    ["amf", amfTarget],
    ["flv", flvTarget],
    ["ws-flv", wsFlvTarget],
  ];
  for (const [name, target] of targets) {
    it(`${name}: ${SECONDS} s of mutated sessions, no crash and no unhandled rejection`, async () => {
      const seed = Math.floor(Math.random() * 0xffffffff);
      const report = await runFuzz({
        target,
        seed,
        sessions: Number.MAX_SAFE_INTEGER,
        seconds: SECONDS,
        concurrency: 64,
        worker: { index: 0, count: 1 },
        progress: () => {},
      });
      expect(report.crashes, `npm run fuzz -- ${name} --seed ${seed}`).toEqual([]);
      expect(report.sessions).toBeGreaterThan(100);
    }, 30_000);
  }
});
