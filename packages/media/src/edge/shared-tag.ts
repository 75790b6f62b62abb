import { serializeFlvTag } from "../flv/flv-tag.ts";
import type { MediaTag, TTagKind } from "../flv/media-tag.ts";
import { serializeRtmpMessage } from "../rtmp/rtmp-message.ts";

/** A tag serialized once per wire format; the same buffers go to every viewer of that format. */
export type SharedTag = {
  kind: TTagKind;
  timestamp: number;
  flv: Buffer;
  rtmp: Buffer;
};

export type TWireFormat = "flv" | "rtmp";

export function shareTag(tag: MediaTag): SharedTag {
  return {
    kind: tag.kind,
    timestamp: tag.timestamp,
    flv: serializeFlvTag(tag),
    rtmp: serializeRtmpMessage(tag),
  };
}
