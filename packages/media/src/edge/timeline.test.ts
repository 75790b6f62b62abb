import { describe, expect, it } from "vitest";
import { JUMP_STEP_MS, MAX_FORWARD_STEP_MS, Timeline } from "./timeline.ts";

const WRAP = 0x1_0000_0000;

function stamps(timeline: Timeline, inputs: number[]): number[] {
  return inputs.map((input) => timeline.frame(input));
}

describe("Timeline", () => {
  it("starts at 0 and keeps the publisher's own steps, small steps back included", () => {
    expect(stamps(new Timeline(), [5_000, 5_023, 5_033, 5_020, 5_066])).toEqual([0, 23, 33, 20, 66]);
  });

  it("carries a publisher's clock across the 32-bit wrap as a small step", () => {
    expect(stamps(new Timeline(), [WRAP - 40, WRAP - 7, 26, 59])).toEqual([0, 33, 66, 99]);
  });

  it("turns a jump of any size, either way, into a short step forward", () => {
    const timeline = new Timeline();
    const out = stamps(timeline, [0, 33, 33 + MAX_FORWARD_STEP_MS + 1, 2_000_000_033, 5, 38]);
    expect(out).toEqual([
      0,
      33,
      33 + JUMP_STEP_MS,
      33 + 2 * JUMP_STEP_MS,
      33 + 3 * JUMP_STEP_MS,
      66 + 3 * JUMP_STEP_MS,
    ]);
  });

  it("continues after a new publisher whose clock restarts, and keeps one whose clock goes on", () => {
    const timeline = new Timeline();
    stamps(timeline, [0, 500]);
    timeline.restart();
    expect(stamps(timeline, [0, 40])).toEqual([500 + JUMP_STEP_MS, 540 + JUMP_STEP_MS]);
    timeline.restart();
    expect(stamps(timeline, [3_000])).toEqual([540 + JUMP_STEP_MS + 2_960]);
  });

  it("never writes a timestamp past 32 bits, however long the stream", () => {
    const timeline = new Timeline();
    let input = 0;
    let last = timeline.frame(input);
    for (let step = 0; step < 500_000; step += 1) {
      input = (input + 9_999) % WRAP;
      last = timeline.frame(input);
      expect(last).toBeLessThan(WRAP);
    }
    expect(last).toBe((500_000 * 9_999) % WRAP);
  });

  it("stamps headers at the current position without moving it", () => {
    const timeline = new Timeline();
    stamps(timeline, [100, 140]);
    expect(timeline.now()).toBe(40);
    expect(timeline.frame(180)).toBe(80);
  });
});
