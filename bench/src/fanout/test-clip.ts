import { execFile } from "node:child_process";
import { mkdir, readFile, rename, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { FlvParser } from "@relaycast/media/flv";

const run = promisify(execFile);

/** What the publisher sends: a synthetic H.264/AAC stream, encoded once and cached. */
export type ClipSpec = {
  width: number;
  height: number;
  fps: number;
  /** Keyframe interval in frames. */
  gopFrames: number;
  videoKbps: number;
  audioKbps: number;
  seconds: number;
};

export type TestClip = ClipSpec & {
  path: string;
  /** FLV bytes per second of media time (tag headers included): what a viewer at full rate receives. */
  bytesPerSecond: number;
  durationMs: number;
};

/** 720p30, keyframe every 2 s, ≈ 2.5 Mbit/s all told. */
export const BENCH_CLIP: Omit<ClipSpec, "seconds"> = {
  width: 1280,
  height: 720,
  fps: 30,
  gopFrames: 60,
  videoKbps: 2_300,
  audioKbps: 128,
};

const CACHE_DIR = join(tmpdir(), "relaycast-bench-cache");

/** The cached clip for this spec, encoding it with ffmpeg first if needed. */
export async function ensureTestClip(spec: ClipSpec, ffmpegPath = "ffmpeg"): Promise<TestClip> {
  const name = `testsrc2-${spec.width}x${spec.height}p${spec.fps}-g${spec.gopFrames}-v${spec.videoKbps}k-a${spec.audioKbps}k-${spec.seconds}s.flv`;
  const path = join(CACHE_DIR, name);
  const isCached = await stat(path).then(
    (info) => info.size > 0,
    () => false,
  );
  if (!isCached) await encode(spec, path, ffmpegPath);
  return { ...spec, path, ...(await measure(path)) };
}

async function encode(spec: ClipSpec, path: string, ffmpegPath: string): Promise<void> {
  await mkdir(CACHE_DIR, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  const video = `${spec.videoKbps}k`;
  await run(ffmpegPath, [
    ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y"],
    ...["-f", "lavfi", "-i", `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps}`],
    ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"],
    ...["-t", String(spec.seconds)],
    ...["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p"],
    ...["-g", String(spec.gopFrames), "-keyint_min", String(spec.gopFrames), "-sc_threshold", "0"],
    ...["-b:v", video, "-minrate", video, "-maxrate", video, "-bufsize", video],
    ...["-x264-params", "nal-hrd=cbr:force-cfr=1"],
    ...["-c:a", "aac", "-b:a", `${spec.audioKbps}k`, "-ar", "44100", "-ac", "2"],
    ...["-f", "flv", partial],
  ]);
  await rename(partial, path);
}

/** Reads the clip's tags: its FLV byte rate over its media duration. */
async function measure(path: string): Promise<{ bytesPerSecond: number; durationMs: number }> {
  const parsed = new FlvParser().push(await readFile(path));
  if (!parsed.ok) throw new Error(`the test clip is not valid FLV: ${parsed.error.code}`);
  const frames = parsed.tags.filter((tag) => tag.kind === "keyframe" || tag.kind === "interframe");
  if (frames.length < 2) throw new Error("the test clip has no video frames");
  const frameMs = (frames.at(-1)!.timestamp - frames[0]!.timestamp) / (frames.length - 1);
  const durationMs = frames.at(-1)!.timestamp - frames[0]!.timestamp + frameMs;
  const bytes = parsed.tags.reduce((sum, tag) => sum + 11 + tag.body.length + 4, 0);
  return { bytesPerSecond: (bytes * 1000) / durationMs, durationMs: Math.round(durationMs) };
}
