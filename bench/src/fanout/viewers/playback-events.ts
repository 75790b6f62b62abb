/** What a viewer's stream reader reports back to the viewer. */
export type PlaybackEvents = {
  /** A complete video keyframe tag arrived at `now`. */
  keyframe(now: number): void;
  /** A complete audio (8) or video (9) frame with this timestamp arrived at `now`. */
  frame(now: number, timestamp: number, type: number): void;
  /** The stream cannot be read further (bad bytes, refused play). */
  broken(reason: string): void;
};

/** Reads one playback stream's bytes as they arrive. */
export type StreamReader = {
  push(chunk: Buffer, now: number): void;
};
