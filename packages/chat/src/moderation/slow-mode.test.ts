import { describe, expect, it } from "vitest";
import { SlowMode } from "./slow-mode.ts";

describe("SlowMode", () => {
  it("lets one line per user through per period, and says how long to wait", () => {
    const slow = new SlowMode();
    expect(slow.pass("bob", "carol", 10, 1_000)).toBe(true);
    expect(slow.waitMs("bob", "carol", 10, 4_000)).toBe(7_000);
    expect(slow.pass("bob", "carol", 10, 4_000)).toBe(false);
    expect(slow.pass("bob", "dave", 10, 4_000)).toBe(true);
    expect(slow.pass("other", "carol", 10, 4_000)).toBe(true);
    expect(slow.pass("bob", "carol", 10, 11_000)).toBe(true);
  });

  it("holds nothing back when it is off", () => {
    const slow = new SlowMode();
    expect(slow.pass("bob", "carol", 0, 1_000)).toBe(true);
    expect(slow.pass("bob", "carol", 0, 1_001)).toBe(true);
    expect(slow.waitMs("bob", "carol", 0, 1_001)).toBe(0);
  });

  it("forgets lines older than the longest slow mode", () => {
    const slow = new SlowMode();
    slow.pass("bob", "carol", 60, 0);
    slow.prune(60, 61_000);
    expect(slow.waitMs("bob", "carol", 3600, 61_000)).toBe(0);
  });
});
