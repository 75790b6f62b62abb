import { describe, expect, it } from "vitest";
import { classifyTag } from "./classify-tag.ts";
import { TAG_TYPE } from "./media-tag.ts";

const video = (...bytes: number[]) => classifyTag(TAG_TYPE.video, Buffer.from(bytes));
const audio = (...bytes: number[]) => classifyTag(TAG_TYPE.audio, Buffer.from(bytes));
const fourcc = (code: string) => [...Buffer.from(code, "latin1")];

describe("classifyTag", () => {
  it("classifies every script tag as metadata", () => {
    expect(classifyTag(TAG_TYPE.script, Buffer.from([0x02, 0x00, 0x0a]))).toBe("metadata");
    expect(classifyTag(TAG_TYPE.script, Buffer.alloc(0))).toBe("metadata");
  });

  it("classifies an empty audio or video body as other", () => {
    expect(video()).toBe("other");
    expect(audio()).toBe("other");
  });

  describe("legacy AVC and HEVC video", () => {
    it("tells an AVC sequence header from a keyframe and an interframe", () => {
      expect(video(0x17, 0x00, 0, 0, 0, 0x01, 0x64)).toBe("video-header");
      expect(video(0x17, 0x01, 0, 0, 0, 0x65)).toBe("keyframe");
      expect(video(0x27, 0x01, 0, 0, 0, 0x41)).toBe("interframe");
    });

    it("treats the legacy HEVC codec id (12) like AVC", () => {
      expect(video(0x1c, 0x00, 0, 0, 0)).toBe("video-header");
      expect(video(0x1c, 0x01, 0, 0, 0)).toBe("keyframe");
      expect(video(0x2c, 0x01, 0, 0, 0)).toBe("interframe");
    });

    it("classifies a disposable interframe (frame type 3) as an interframe", () => {
      expect(video(0x37, 0x01, 0, 0, 0)).toBe("interframe");
    });

    it("classifies keyframes of other legacy codecs by frame type", () => {
      expect(video(0x12, 0x00)).toBe("keyframe"); // Sorenson H.263 keyframe: no sequence header
      expect(video(0x22, 0x00)).toBe("interframe");
    });

    // ffmpeg's FLV muxer ends every H.264 stream with 0x17 0x02 0 0 0 (frame type "key", AVC packet
    // type 2 "end of sequence"). It carries no picture, so it must not start a GOP.
    it("does not classify an AVC end-of-sequence tag as a keyframe", () => {
      expect(video(0x17, 0x02, 0, 0, 0)).not.toBe("keyframe");
    });
  });

  describe("Enhanced RTMP video (ex-header)", () => {
    it("classifies a sequence start as a video header, whatever the codec", () => {
      expect(video(0x90, ...fourcc("hvc1"), 0x01)).toBe("video-header");
      expect(video(0x90, ...fourcc("av01"), 0x81)).toBe("video-header");
      expect(video(0x90, ...fourcc("vp09"), 0x01)).toBe("video-header");
    });

    it("classifies coded frames by frame type", () => {
      expect(video(0x91, ...fourcc("hvc1"), 0, 0, 0, 0x26)).toBe("keyframe");
      expect(video(0xa1, ...fourcc("hvc1"), 0, 0, 0, 0x02)).toBe("interframe");
      expect(video(0x91, ...fourcc("av01"), 0x12)).toBe("keyframe");
      expect(video(0xa1, ...fourcc("av01"), 0x32)).toBe("interframe");
    });

    it("classifies coded frames without composition time (CodedFramesX) by frame type", () => {
      expect(video(0x93, ...fourcc("hvc1"), 0x26)).toBe("keyframe");
      expect(video(0xa3, ...fourcc("hvc1"), 0x02)).toBe("interframe");
    });

    it("classifies sequence end, metadata and other packet types as other", () => {
      expect(video(0x92, ...fourcc("hvc1"))).toBe("other"); // SequenceEnd
      expect(video(0x94, ...fourcc("av01"))).toBe("other"); // Metadata
      expect(video(0x95, ...fourcc("av01"))).toBe("other"); // MPEG2TSSequenceStart
    });
  });

  describe("audio", () => {
    it("tells an AAC sequence header from an AAC frame", () => {
      expect(audio(0xaf, 0x00, 0x12, 0x10)).toBe("audio-header");
      expect(audio(0xaf, 0x01, 0x21, 0x00)).toBe("audio");
    });

    it("classifies an AAC tag too short to carry a packet type as audio", () => {
      expect(audio(0xaf)).toBe("audio");
    });

    it("classifies formats without a sequence header as audio", () => {
      expect(audio(0x2f, 0xff, 0xfb)).toBe("audio"); // MP3
      expect(audio(0xb6, 0x00)).toBe("audio"); // Speex: the 0 byte is data, not a packet type
    });

    it("classifies Enhanced RTMP audio by packet type", () => {
      expect(audio(0x90, ...fourcc("Opus"), 0x4f)).toBe("audio-header");
      expect(audio(0x91, ...fourcc("Opus"), 0xfc)).toBe("audio");
      expect(audio(0x90, ...fourcc("ac-3"))).toBe("audio-header");
    });
  });
});
