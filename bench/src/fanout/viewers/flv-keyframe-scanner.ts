import { classifyTag, TAG_TYPE, type TTagType } from "@relaycast/media/flv";
import type { PlaybackEvents, StreamReader } from "./playback-events.ts";

const FILE_HEADER_BYTES = 9 + 4;
const TAG_HEADER_BYTES = 11;
const PREVIOUS_TAG_SIZE_BYTES = 4;
/** Body bytes that tell a sequence header from a keyframe. */
const BODY_HEAD_BYTES = 2;

/**
 * Finds the first video keyframe in an FLV byte stream by reading tag headers and the first body bytes
 * only; everything else is skipped uncopied. Reports the keyframe when its last body byte arrives.
 */
export class FlvKeyframeScanner implements StreamReader {
  private skip = FILE_HEADER_BYTES;
  private readonly head = Buffer.alloc(TAG_HEADER_BYTES + BODY_HEAD_BYTES);
  private headBytes = 0;
  private isInKeyframe = false;
  private isDone = false;

  constructor(private readonly events: Pick<PlaybackEvents, "keyframe" | "broken">) {}

  push(chunk: Buffer, now: number): void {
    let offset = 0;
    while (offset < chunk.length && !this.isDone) {
      if (this.skip > 0) {
        const take = Math.min(this.skip, chunk.length - offset);
        this.skip -= take;
        offset += take;
        if (this.skip === 0 && this.isInKeyframe) {
          this.isDone = true;
          this.events.keyframe(now);
        }
        continue;
      }
      const needed = this.headLength();
      const take = Math.min(needed - this.headBytes, chunk.length - offset);
      chunk.copy(this.head, this.headBytes, offset, offset + take);
      this.headBytes += take;
      offset += take;
      if (this.headBytes === this.headLength()) this.readTagHead(now);
    }
  }

  private headLength(): number {
    if (this.headBytes < TAG_HEADER_BYTES) return TAG_HEADER_BYTES;
    return TAG_HEADER_BYTES + Math.min(BODY_HEAD_BYTES, this.head.readUIntBE(1, 3));
  }

  private readTagHead(now: number): void {
    const type = this.head[0]! & 0x1f;
    const bodyBytes = this.head.readUIntBE(1, 3);
    this.headBytes = 0;
    if (type !== TAG_TYPE.audio && type !== TAG_TYPE.video && type !== TAG_TYPE.script) {
      this.isDone = true;
      return this.events.broken(`flv: bad tag type ${type}`);
    }
    const bodyHead = this.head.subarray(
      TAG_HEADER_BYTES,
      TAG_HEADER_BYTES + Math.min(BODY_HEAD_BYTES, bodyBytes),
    );
    const restOfBody = bodyBytes - bodyHead.length;
    if (classifyTag(type as TTagType, bodyHead) === "keyframe") {
      this.isInKeyframe = true;
      this.skip = restOfBody;
      if (this.skip === 0) {
        this.isDone = true;
        this.events.keyframe(now);
      }
      return;
    }
    this.skip = restOfBody + PREVIOUS_TAG_SIZE_BYTES;
  }
}
