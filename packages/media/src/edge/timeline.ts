import { timestampDelta, toTimestamp } from "../flv/timestamp.ts";

/** A step between two input frames past these bounds is a jump, not the stream's own pace. */
export const MAX_BACKWARD_STEP_MS = 1_000;
export const MAX_FORWARD_STEP_MS = 10_000;
/** Where a jump, or a new publisher's restarted clock, lands: just after the last frame viewers got. */
export const JUMP_STEP_MS = 1;

/**
 * One stream's continuous timeline. Publishers' timestamps come and go (a reconnect starts its clock
 * again, an encoder jumps or wraps); viewers see one timeline that starts at 0 and moves by the
 * publisher's own steps. A jump of any size, either way, becomes a 1 ms step forward (SRS's "full"
 * jitter correction does the same); small steps back (audio and video interleaved) are kept. Output
 * is 32-bit modular, so nothing downstream ever sees a timestamp it cannot write.
 */
export class Timeline {
  /** Milliseconds since the stream began, as viewers see it; a plain number, never wrapped. */
  private position = 0;
  private lastInput: number | null = null;
  private isRestarting = false;

  /** The viewers' timestamp for a frame (audio or video) stamped `timestamp` by its publisher. */
  frame(timestamp: number): number {
    const input = toTimestamp(timestamp);
    if (this.lastInput !== null) {
      const step = timestampDelta(input, this.lastInput);
      // A new publisher may go on from the old one's clock, never back before it.
      const minStep = this.isRestarting ? 1 : -MAX_BACKWARD_STEP_MS;
      const isJump = step < minStep || step > MAX_FORWARD_STEP_MS;
      this.position = Math.max(0, this.position + (isJump ? JUMP_STEP_MS : step));
    }
    this.lastInput = input;
    this.isRestarting = false;
    return toTimestamp(this.position);
  }

  /** Metadata and sequence headers join the timeline where it is; they never move it. */
  now(): number {
    return toTimestamp(this.position);
  }

  /** A new publisher takes over: its first frame continues the timeline, whatever its clock says. */
  restart(): void {
    this.isRestarting = true;
  }
}
