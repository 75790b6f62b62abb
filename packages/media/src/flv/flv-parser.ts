import { classifyTag } from "./classify-tag.ts";
import { FlvTagReader, PREVIOUS_TAG_SIZE_BYTES } from "./flv-tag-reader.ts";
import { TAG_TYPE, type MediaTag, type TTagType } from "./media-tag.ts";
import type { ProtocolError } from "./protocol-error.ts";

const FILE_HEADER_BYTES = 9;
/** The largest tag body we accept: far beyond any real frame, far below a memory bomb. */
export const MAX_TAG_BODY_BYTES = 8 * 1024 * 1024;

export type FlvParseResult = { ok: true; tags: MediaTag[] } | { ok: false; error: ProtocolError };

/** Audio, video and script tags, as FLV files and players carry them. */
export function isMediaTagType(type: number): type is TTagType {
  return type === TAG_TYPE.audio || type === TAG_TYPE.video || type === TAG_TYPE.script;
}

/**
 * Turns an FLV byte stream (the file header, then tags), fed in arbitrary pieces, into media tags.
 * Pure: no I/O. Tag bodies are copies, so the caller may reuse its input buffers.
 */
export class FlvParser {
  private header: Buffer | null = Buffer.alloc(0);
  private readonly reader = new FlvTagReader((type, bodyBytes) => {
    if (!isMediaTagType(type)) return "bad-type";
    return bodyBytes > MAX_TAG_BODY_BYTES ? "too-large" : "ok";
  });

  push(chunk: Buffer): FlvParseResult {
    let rest = chunk;
    if (this.header) {
      const bytes = Buffer.concat([this.header, chunk]);
      if (bytes.length < FILE_HEADER_BYTES + PREVIOUS_TAG_SIZE_BYTES) {
        this.header = bytes;
        return { ok: true, tags: [] };
      }
      if (bytes.toString("latin1", 0, 3) !== "FLV") return this.reader.fail("NOT_FLV", { offset: 0 });
      const headerBytes = bytes.readUInt32BE(5);
      if (headerBytes < FILE_HEADER_BYTES || headerBytes > 64)
        return this.reader.fail("BAD_HEADER_SIZE", { headerBytes });
      if (bytes.length < headerBytes + PREVIOUS_TAG_SIZE_BYTES) {
        this.header = bytes;
        return { ok: true, tags: [] };
      }
      this.header = null;
      this.reader.skipped(headerBytes + PREVIOUS_TAG_SIZE_BYTES);
      rest = bytes.subarray(headerBytes + PREVIOUS_TAG_SIZE_BYTES);
    }
    const result = this.reader.push(rest);
    if (!result.ok) return result;
    return {
      ok: true,
      tags: result.tags.map(({ type, timestamp, body }) => ({
        type: type as TTagType,
        kind: classifyTag(type as TTagType, body),
        timestamp,
        body,
      })),
    };
  }
}
