import { TAG_TYPE, type TTagKind, type TTagType } from "./media-tag.ts";

const SOUND_FORMAT_AAC = 10;
const SOUND_FORMAT_EX_HEADER = 9;
const VIDEO_CODEC_AVC = 7;
const VIDEO_CODEC_HEVC_LEGACY = 12;
const FRAME_TYPE_KEY = 1;
const AVC_PACKET_SEQUENCE_HEADER = 0;
const AVC_PACKET_END_OF_SEQUENCE = 2;
const EX_PACKET_TYPE_SEQUENCE_START = 0;
const EX_PACKET_TYPE_CODED_FRAMES = 1;
const EX_PACKET_TYPE_CODED_FRAMES_X = 3;

/** Reads a tag body's first bytes (legacy and Enhanced RTMP/FLV) to tell headers and keyframes apart. */
export function classifyTag(type: TTagType, body: Buffer): TTagKind {
  if (type === TAG_TYPE.script) return "metadata";
  if (body.length === 0) return "other";
  if (type === TAG_TYPE.audio) {
    const soundFormat = body[0]! >> 4;
    if (soundFormat === SOUND_FORMAT_AAC) return body[1] === 0 ? "audio-header" : "audio";
    if (soundFormat === SOUND_FORMAT_EX_HEADER) {
      return (body[0]! & 0x0f) === EX_PACKET_TYPE_SEQUENCE_START ? "audio-header" : "audio";
    }
    return "audio";
  }
  const isExHeader = (body[0]! & 0x80) !== 0;
  const frameType = (body[0]! >> 4) & 0x07;
  if (isExHeader) {
    const packetType = body[0]! & 0x0f;
    if (packetType === EX_PACKET_TYPE_SEQUENCE_START) return "video-header";
    if (packetType !== EX_PACKET_TYPE_CODED_FRAMES && packetType !== EX_PACKET_TYPE_CODED_FRAMES_X)
      return "other";
    return frameType === FRAME_TYPE_KEY ? "keyframe" : "interframe";
  }
  const codecId = body[0]! & 0x0f;
  if (codecId === VIDEO_CODEC_AVC || codecId === VIDEO_CODEC_HEVC_LEGACY) {
    if (body[1] === AVC_PACKET_SEQUENCE_HEADER) return "video-header";
    // The end-of-sequence tag an encoder sends when it stops carries no picture, keyframe flag or not.
    if (body[1] === AVC_PACKET_END_OF_SEQUENCE) return "other";
  }
  return frameType === FRAME_TYPE_KEY ? "keyframe" : "interframe";
}
