import { FlvParser } from "@relaycast/media/flv";
import type { PlaybackEvents, StreamReader } from "./playback-events.ts";

/**
 * Parses a sampled viewer's whole FLV stream (with the media package's own parser, so a malformed
 * stream shows up) and reports every frame's arrival with its timestamp.
 */
export class FlvTagTimer implements StreamReader {
  private readonly parser = new FlvParser();
  private hasKeyframe = false;
  private isBroken = false;

  constructor(private readonly events: PlaybackEvents) {}

  push(chunk: Buffer, now: number): void {
    if (this.isBroken) return;
    const result = this.parser.push(chunk);
    if (!result.ok) {
      this.isBroken = true;
      return this.events.broken(`flv: ${result.error.code}`);
    }
    for (const tag of result.tags) {
      if (tag.kind === "keyframe" && !this.hasKeyframe) {
        this.hasKeyframe = true;
        this.events.keyframe(now);
      }
      if (tag.kind === "keyframe" || tag.kind === "interframe" || tag.kind === "audio")
        this.events.frame(now, tag.timestamp, tag.type);
    }
  }
}
