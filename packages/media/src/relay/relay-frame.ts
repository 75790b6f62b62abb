import { z } from "zod";
import { FlvTagReader, PREVIOUS_TAG_SIZE_BYTES, TAG_HEADER_BYTES } from "../flv/flv-tag-reader.ts";
import { MAX_TAG_BODY_BYTES, isMediaTagType } from "../flv/flv-parser.ts";
import { ProtocolError } from "../flv/protocol-error.ts";

/** The relay protocol's version; a node speaking another is refused (END version). */
export const RELAY_VERSION = 1;

/**
 * Control frame types: tag types FLV leaves unused (it has 8 audio, 9 video, 18 script, in five
 * bits), so one reader frames both (see PROTOCOL.md).
 */
export const CONTROL = {
  hello: 20,
  auth: 21,
  subscribe: 22,
  unsubscribe: 23,
  stream: 24,
  ping: 25,
  pong: 26,
  end: 27,
  audience: 28,
} as const;
export type TControlType = (typeof CONTROL)[keyof typeof CONTROL];

/** A control frame's JSON body is small; anything bigger is not ours. */
export const MAX_CONTROL_BYTES = 4 * 1024;

const ZChannel = z.string().regex(/^[a-z0-9_]{3,25}$/);
const ZNonce = z.string().regex(/^[0-9a-f]{32}$/);
const ZProof = z.string().regex(/^[0-9a-f]{64}$/);
const ZNodeId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
const ZCount = z.number().int().nonnegative();

export const END_REASONS = [
  "ended",
  "moved",
  "shutdown",
  "not-here",
  "unauthorized",
  "version",
  "protocol-error",
  "too-slow",
] as const;
export type TEndReason = (typeof END_REASONS)[number];

/** The body of each control frame, checked on arrival. */
export const CONTROL_BODY = {
  [CONTROL.hello]: z.object({
    version: z.number().int(),
    nodeId: ZNodeId,
    nonce: ZNonce,
    proof: ZProof.optional(),
  }),
  [CONTROL.auth]: z.object({ proof: ZProof }),
  [CONTROL.subscribe]: z.object({ channel: ZChannel }),
  [CONTROL.unsubscribe]: z.object({ channel: ZChannel }),
  [CONTROL.stream]: z.object({
    channel: ZChannel,
    state: z.enum(["live", "reconnecting"]),
    startedAt: z.iso.datetime(),
  }),
  [CONTROL.ping]: z.object({ t: z.number() }),
  [CONTROL.pong]: z.object({ t: z.number() }),
  [CONTROL.end]: z.object({ reason: z.enum(END_REASONS) }),
  [CONTROL.audience]: z.object({ "http-flv": ZCount, "ws-flv": ZCount, rtmp: ZCount, hls: ZCount }),
} satisfies Record<TControlType, z.ZodType>;

export type TControlBody<T extends TControlType> = z.infer<(typeof CONTROL_BODY)[T]>;

export type RelayFrame =
  | { kind: "control"; type: TControlType; body: unknown }
  | { kind: "media"; type: number; timestamp: number; body: Buffer };

function isControlType(type: number): type is TControlType {
  return type >= CONTROL.hello && type <= CONTROL.audience;
}

/** One control frame, framed as an FLV tag with timestamp 0 and a JSON body. */
export function controlFrame<T extends TControlType>(type: T, body: TControlBody<T>): Buffer {
  const json = Buffer.from(JSON.stringify(body), "utf8");
  const frame = Buffer.alloc(TAG_HEADER_BYTES + json.length + PREVIOUS_TAG_SIZE_BYTES);
  frame[0] = type;
  frame.writeUIntBE(json.length, 1, 3);
  json.copy(frame, TAG_HEADER_BYTES);
  frame.writeUInt32BE(TAG_HEADER_BYTES + json.length, TAG_HEADER_BYTES + json.length);
  return frame;
}

export type RelayReadResult = { ok: true; frames: RelayFrame[] } | { ok: false; error: ProtocolError };

/**
 * Reads relay frames from bytes fed in arbitrary pieces: media tags as they are, control frames
 * parsed and checked against their schema. Whether media may come yet is the session's to say.
 */
export class RelayFrameReader {
  private readonly reader = new FlvTagReader((type, bodyBytes) => {
    if (isControlType(type)) return bodyBytes > MAX_CONTROL_BYTES ? "too-large" : "ok";
    if (!isMediaTagType(type)) return "bad-type";
    return bodyBytes > MAX_TAG_BODY_BYTES ? "too-large" : "ok";
  });

  push(chunk: Buffer): RelayReadResult {
    const result = this.reader.push(chunk);
    if (!result.ok) return result;
    const frames: RelayFrame[] = [];
    for (const { type, timestamp, body } of result.tags) {
      if (!isControlType(type)) {
        frames.push({ kind: "media", type, timestamp, body });
        continue;
      }
      let parsed: unknown;
      try {
        parsed = CONTROL_BODY[type].parse(JSON.parse(body.toString("utf8")));
      } catch {
        return this.reader.fail("BAD_CONTROL_FRAME", { type });
      }
      frames.push({ kind: "control", type, body: parsed });
    }
    return { ok: true, frames };
  }
}

/** Narrows a control frame's body to its type (checked on arrival by RelayFrameReader). */
export function bodyOf<T extends TControlType>(frame: { type: TControlType; body: unknown }, type: T) {
  if (frame.type !== type) throw new ProtocolError("UNEXPECTED_FRAME", { expected: type, got: frame.type });
  return frame.body as TControlBody<T>;
}
