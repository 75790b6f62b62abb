import type { TStreamHealth } from "../api/stream-api.ts";
import { TAG_TYPE, type MediaTag } from "../flv/media-tag.ts";
import { timestampDelta } from "../flv/timestamp.ts";
import { readStreamMetadata } from "../amf/stream-metadata.ts";

const WINDOW_MS = 5_000;

const VIDEO_CODECS: Record<number, string> = { 7: "H.264", 12: "HEVC" };
const AUDIO_CODECS: Record<number, string> = { 2: "MP3", 10: "AAC", 11: "Speex" };
const FOURCC_CODECS: Record<string, string> = {
  avc1: "H.264",
  hvc1: "HEVC",
  av01: "AV1",
  vp09: "VP9",
  Opus: "Opus",
  "ac-3": "AC-3",
  "ec-3": "E-AC-3",
  ".mp3": "MP3",
  fLaC: "FLAC",
  mp4a: "AAC",
};

/** What the broadcaster's dashboard shows about the incoming stream, measured from its tags. */
export class StreamStats {
  private videoCodec: string | null = null;
  private audioCodec: string | null = null;
  private metadata: Record<string, unknown> = {};
  /** Arrival time and size of the tags of the last few seconds. */
  private arrivals: { at: number; bytes: number; isVideoFrame: boolean }[] = [];
  private lastKeyframeTimestamp: number | null = null;
  private keyframeIntervalMs: number | null = null;

  record(tag: MediaTag, now: number): void {
    const isVideoFrame = tag.kind === "keyframe" || tag.kind === "interframe";
    this.arrivals.push({ at: now, bytes: tag.body.length, isVideoFrame });
    while (this.arrivals.length > 0 && now - this.arrivals[0]!.at > WINDOW_MS) this.arrivals.shift();
    if (tag.kind === "video-header") this.videoCodec = codecOf(tag);
    if (tag.kind === "audio-header" || (tag.kind === "audio" && !this.audioCodec))
      this.audioCodec = codecOf(tag);
    if (tag.kind === "metadata") this.metadata = readStreamMetadata(tag.body) ?? this.metadata;
    if (tag.kind === "keyframe") {
      if (this.lastKeyframeTimestamp !== null)
        this.keyframeIntervalMs = timestampDelta(tag.timestamp, this.lastKeyframeTimestamp);
      this.lastKeyframeTimestamp = tag.timestamp;
    }
  }

  /** Forgets the timestamps of a publisher that left, keeping what a reconnect will send again. */
  publisherChanged(): void {
    this.lastKeyframeTimestamp = null;
  }

  snapshot(now: number): TStreamHealth {
    const recent = this.arrivals.filter((arrival) => now - arrival.at <= WINDOW_MS);
    const frames = recent.filter((arrival) => arrival.isVideoFrame);
    // N arrivals span N - 1 intervals: count what arrived after the first one over the time since it.
    const frameSpanMs = frames.length > 1 ? frames.at(-1)!.at - frames[0]!.at : 0;
    const spanMs = recent.length > 1 ? Math.max(1, now - recent[0]!.at) : WINDOW_MS;
    const bytesAfterFirst = recent.slice(1).reduce((sum, arrival) => sum + arrival.bytes, 0);
    return {
      video: {
        codec: this.videoCodec,
        width: numberOr(this.metadata.width),
        height: numberOr(this.metadata.height),
        fps:
          frameSpanMs > 0
            ? Math.round(((frames.length - 1) * 1000 * 10) / frameSpanMs) / 10
            : numberOr(this.metadata.framerate),
      },
      audio: {
        codec: this.audioCodec,
        sampleRate: numberOr(this.metadata.audiosamplerate),
        channels: typeof this.metadata.stereo === "boolean" ? (this.metadata.stereo ? 2 : 1) : null,
      },
      ingestKbps: Math.round((bytesAfterFirst * 8) / spanMs),
      keyframeIntervalMs: this.keyframeIntervalMs,
    };
  }
}

function codecOf(tag: MediaTag): string | null {
  const first = tag.body[0] ?? 0;
  const isExHeader = tag.type === TAG_TYPE.video ? (first & 0x80) !== 0 : first >> 4 === 9;
  if (isExHeader)
    return FOURCC_CODECS[tag.body.toString("latin1", 1, 5)] ?? tag.body.toString("latin1", 1, 5);
  return (tag.type === TAG_TYPE.video ? VIDEO_CODECS[first & 0x0f] : AUDIO_CODECS[first >> 4]) ?? null;
}

function numberOr(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : null;
}
