import { describe, expect, it } from "vitest";
import { serializeFlvTag } from "../flv/flv-tag.ts";
import { TAG_TYPE, type MediaTag } from "../flv/media-tag.ts";
import { serializeRtmpMessage } from "../rtmp/rtmp-message.ts";
import { shareTag } from "./shared-tag.ts";

describe("shareTag", () => {
  it("serializes a tag once per wire format and keeps its kind and timestamp", () => {
    const tag: MediaTag = {
      type: TAG_TYPE.video,
      kind: "keyframe",
      timestamp: 1_234,
      body: Buffer.from([0x17, 1, 0, 0, 0, 0x65, 0x88]),
    };
    const shared = shareTag(tag);
    expect(shared.kind).toBe("keyframe");
    expect(shared.timestamp).toBe(1_234);
    expect(shared.flv).toEqual(serializeFlvTag(tag));
    expect(shared.rtmp).toEqual(serializeRtmpMessage(tag));
  });
});
