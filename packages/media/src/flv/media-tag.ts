/** FLV tag types, as in the FLV and RTMP specifications. */
export const TAG_TYPE = { audio: 8, video: 9, script: 18 } as const;
export type TTagType = (typeof TAG_TYPE)[keyof typeof TAG_TYPE];

/**
 * What a tag is for the fanout: sequence headers and metadata are replayed to every new viewer,
 * a keyframe starts a GOP, everything else is a live frame.
 */
export type TTagKind =
  "audio-header" | "audio" | "video-header" | "keyframe" | "interframe" | "metadata" | "other";

/** One audio, video or script tag of a published stream: the FLV tag body and its decode timestamp. */
export type MediaTag = {
  type: TTagType;
  kind: TTagKind;
  /** Decode timestamp in milliseconds. */
  timestamp: number;
  /** The FLV tag body (audio/video tag header included), never mutated once published. */
  body: Buffer;
};
