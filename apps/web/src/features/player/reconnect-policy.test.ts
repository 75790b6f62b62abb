import { describe, expect, it } from "vitest";
import { retryDelayMs, STALL_MS, StallWatch, STARTUP_MS, stallVerdict } from "./reconnect-policy.ts";

describe("retryDelayMs", () => {
  it("retries at once after a first failure, then backs off from 250 ms to 2 s", () => {
    expect([0, 1, 2, 3, 4, 10, 100].map(retryDelayMs)).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000]);
  });
});

describe("stallVerdict", () => {
  it("waits while the broadcaster is away and the director would keep the viewer on this node", () => {
    expect(stallVerdict({ liveState: "reconnecting", node: "edge-a" }, "edge-a")).toBe("wait");
  });

  it("switches when the director now sends the viewer elsewhere, even while the broadcaster is away", () => {
    expect(stallVerdict({ liveState: "reconnecting", node: "edge-b" }, "edge-a")).toBe("switch");
  });

  it("switches on a stall of a live channel, when the channel went offline, or when the site is unreachable", () => {
    expect(stallVerdict({ liveState: "live", node: "edge-a" }, "edge-a")).toBe("switch");
    expect(stallVerdict({ liveState: "offline", node: null }, "edge-a")).toBe("switch");
    expect(stallVerdict(null, "edge-a")).toBe("switch");
  });
});

/** Looks at a player every second from `from` to `to` (ms), with its time given by `timeAt`. */
function look(
  watch: StallWatch,
  {
    from,
    to,
    timeAt,
    isPaused = false,
  }: { from: number; to: number; timeAt: (now: number) => number; isPaused?: boolean },
): number | null {
  for (let now = from; now <= to; now += 1000) {
    if (watch.isStalled({ time: timeAt(now), isPaused, now })) return now;
  }
  return null;
}

describe("StallWatch", () => {
  it("reports a playing picture that stops moving once it has not moved for 3 s", () => {
    const watch = new StallWatch(0);
    expect(look(watch, { from: 0, to: 10_000, timeAt: (now) => now / 1000 })).toBeNull();
    const stalledAt = look(watch, { from: 11_000, to: 30_000, timeAt: () => 10 });
    expect(stalledAt).toBe(10_000 + STALL_MS);
  });

  it("gives a connection 8 s to show its first frame", () => {
    const watch = new StallWatch(0);
    expect(look(watch, { from: 0, to: 30_000, timeAt: () => 0 })).toBe(STARTUP_MS);
  });

  it("never reports a player the viewer paused, and counts afresh when it resumes", () => {
    const watch = new StallWatch(0);
    look(watch, { from: 0, to: 5_000, timeAt: (now) => now / 1000 });
    expect(look(watch, { from: 6_000, to: 60_000, timeAt: () => 5, isPaused: true })).toBeNull();
    expect(look(watch, { from: 61_000, to: 90_000, timeAt: () => 5 })).toBe(60_000 + STALL_MS);
  });

  it("counts again from a rearm, after a stall the player waits out", () => {
    const watch = new StallWatch(0);
    look(watch, { from: 0, to: 2_000, timeAt: (now) => now / 1000 });
    expect(look(watch, { from: 3_000, to: 10_000, timeAt: () => 2 })).toBe(2_000 + STALL_MS);
    watch.rearm(5_000);
    expect(look(watch, { from: 6_000, to: 20_000, timeAt: () => 2 })).toBe(5_000 + STALL_MS);
  });
});
