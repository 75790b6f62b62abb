import { ProtocolError } from "./protocol-error.ts";

export const TAG_HEADER_BYTES = 11;
export const PREVIOUS_TAG_SIZE_BYTES = 4;

/** One tag as it is framed: its type byte (filter bits cleared), timestamp and body (a copy). */
export type RawTag = { type: number; timestamp: number; body: Buffer };

export type FlvTagReadResult = { ok: true; tags: RawTag[] } | { ok: false; error: ProtocolError };

/** Says whether a tag of this type and body size may be read; anything else fails the stream. */
export type TagPolicy = (type: number, bodyBytes: number) => "ok" | "bad-type" | "too-large";

/**
 * Reads FLV-framed tags (11-byte header, body, PreviousTagSize) from bytes fed in arbitrary pieces.
 * Pure: no I/O. The FLV stream of players and the relay between nodes share this framing.
 */
export class FlvTagReader {
  private pending: Buffer = Buffer.alloc(0);
  private offset = 0;
  private failure: ProtocolError | null = null;

  constructor(private readonly policy: TagPolicy) {}

  /** Counts bytes the caller read before the first tag (a file header), so error offsets stay absolute. */
  skipped(bytes: number): void {
    this.offset += bytes;
  }

  push(chunk: Buffer): FlvTagReadResult {
    if (this.failure) return { ok: false, error: this.failure };
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const tags: RawTag[] = [];
    let position = 0;
    while (this.pending.length - position >= TAG_HEADER_BYTES) {
      const type = this.pending[position]! & 0x1f;
      const bodyBytes = this.pending.readUIntBE(position + 1, 3);
      const verdict = this.policy(type, bodyBytes);
      if (verdict === "bad-type") return this.fail("BAD_TAG_TYPE", { offset: this.offset + position, type });
      if (verdict === "too-large")
        return this.fail("BAD_TAG_SIZE", { offset: this.offset + position, type, bodyBytes });
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
      tags.push({ type, timestamp, body });
      position = tagEnd;
    }
    this.offset += position;
    this.pending = Buffer.from(this.pending.subarray(position));
    return { ok: true, tags };
  }

  /** Fails the stream from outside (a header the caller could not accept). */
  fail(code: string, details: Record<string, unknown>): { ok: false; error: ProtocolError } {
    this.failure = new ProtocolError(code, details);
    this.pending = Buffer.alloc(0);
    return { ok: false, error: this.failure };
  }
}
