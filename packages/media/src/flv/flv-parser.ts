import { classifyTag } from "./classify-tag.ts";
import { TAG_TYPE, type MediaTag, type TTagType } from "./media-tag.ts";
import { ProtocolError } from "./protocol-error.ts";

const FILE_HEADER_BYTES = 9;
const TAG_HEADER_BYTES = 11;
const PREVIOUS_TAG_SIZE_BYTES = 4;
/** The largest tag body we accept: far beyond any real frame, far below a memory bomb. */
export const MAX_TAG_BODY_BYTES = 8 * 1024 * 1024;

export type FlvParseResult = { ok: true; tags: MediaTag[] } | { ok: false; error: ProtocolError };

/**
 * Turns an FLV byte stream, fed in arbitrary pieces, into tags. Pure: no I/O. Tag bodies are copies,
 * so the caller may reuse its input buffers.
 */
export class FlvParser {
  private pending: Buffer = Buffer.alloc(0);
  private hasFileHeader = false;
  private offset = 0;
  private failure: ProtocolError | null = null;

  push(chunk: Buffer): FlvParseResult {
    if (this.failure) return { ok: false, error: this.failure };
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const tags: MediaTag[] = [];
    let position = 0;
    if (!this.hasFileHeader) {
      if (this.pending.length < FILE_HEADER_BYTES + PREVIOUS_TAG_SIZE_BYTES) return this.keep(position, tags);
      if (this.pending.toString("latin1", 0, 3) !== "FLV") return this.fail("NOT_FLV", { offset: 0 });
      const headerBytes = this.pending.readUInt32BE(5);
      if (headerBytes < FILE_HEADER_BYTES || headerBytes > 64)
        return this.fail("BAD_HEADER_SIZE", { headerBytes });
      if (this.pending.length < headerBytes + PREVIOUS_TAG_SIZE_BYTES) return this.keep(position, tags);
      position = headerBytes + PREVIOUS_TAG_SIZE_BYTES;
      this.hasFileHeader = true;
    }
    while (this.pending.length - position >= TAG_HEADER_BYTES) {
      const type = this.pending[position]! & 0x1f;
      const bodyBytes = this.pending.readUIntBE(position + 1, 3);
      if (type !== TAG_TYPE.audio && type !== TAG_TYPE.video && type !== TAG_TYPE.script) {
        return this.fail("BAD_TAG_TYPE", { offset: this.offset + position, type });
      }
      if (bodyBytes > MAX_TAG_BODY_BYTES)
        return this.fail("BAD_TAG_SIZE", { offset: this.offset + position, bodyBytes });
      const tagEnd = position + TAG_HEADER_BYTES + bodyBytes + PREVIOUS_TAG_SIZE_BYTES;
      if (this.pending.length < tagEnd) break;
      const previousTagSize = this.pending.readUInt32BE(tagEnd - PREVIOUS_TAG_SIZE_BYTES);
      if (previousTagSize !== TAG_HEADER_BYTES + bodyBytes) {
        return this.fail("BAD_TAG_SIZE", { offset: this.offset + position, bodyBytes, previousTagSize });
      }
      const timestamp =
        (this.pending.readUIntBE(position + 4, 3) | (this.pending[position + 7]! << 24)) >>> 0;
      const body = Buffer.from(
        this.pending.subarray(position + TAG_HEADER_BYTES, tagEnd - PREVIOUS_TAG_SIZE_BYTES),
      );
      tags.push({ type: type as TTagType, kind: classifyTag(type as TTagType, body), timestamp, body });
      position = tagEnd;
    }
    return this.keep(position, tags);
  }

  private keep(position: number, tags: MediaTag[]): FlvParseResult {
    this.offset += position;
    this.pending = Buffer.from(this.pending.subarray(position));
    return { ok: true, tags };
  }

  private fail(code: string, details: Record<string, unknown>): FlvParseResult {
    this.failure = new ProtocolError(code, details);
    this.pending = Buffer.alloc(0);
    return { ok: false, error: this.failure };
  }
}
