import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@relaycast/logger";
import type { LiveStream } from "../edge/live-stream.ts";
import { corkedSink } from "../edge/corked-sink.ts";
import { jpegFrameArgs } from "./jpeg-frame-args.ts";

export const DEFAULT_THUMBNAIL_INTERVAL_MS = 20_000;
const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_STDERR_CHARS = 2_000;

export type ThumbnailGrabberOptions = {
  ffmpegPath: string;
  /** ffmpeg's whole environment (it parses the publisher's video: no secret in it). */
  ffmpegEnv: Record<string, string>;
  /** The thumbnails folder, shared by every stream: this stream's is `<channel>.jpg` in it. */
  dir: string;
  /** Time between grabs; the first is at start, so the thumbnail comes with the stream's first keyframe. */
  intervalMs: number;
  /** A grab with no frame after this long is given up: ffmpeg is killed and its tap removed. */
  timeoutMs?: number;
  log: Logger;
};

/** Where a channel's live thumbnail is kept, in the thumbnails folder. */
export function thumbnailPath(dir: string, channel: string): string {
  return join(dir, `${channel}.jpg`);
}

/**
 * A live stream's thumbnail, without transcoding the stream: every `intervalMs` a short-lived fanout
 * tap (which starts at the cached GOP: headers, then a keyframe) feeds FLV to an ffmpeg that decodes
 * one frame and writes a JPEG; the file is then renamed into place, so a reader never gets half of
 * one. One ffmpeg per stream at a time; a failed grab is logged and the next interval tries again.
 * The thumbnail is deleted on close (the broadcast ended).
 */
export class ThumbnailGrabber {
  private readonly path: string;
  private readonly tmpPath: string;
  private timer: NodeJS.Timeout | null = null;
  private grab: Promise<void> | null = null;
  private child: ChildProcess | null = null;
  private isClosed = false;

  constructor(
    private readonly stream: LiveStream,
    private readonly options: ThumbnailGrabberOptions,
  ) {
    this.path = thumbnailPath(options.dir, stream.channel);
    this.tmpPath = `${this.path}.tmp`;
  }

  async start(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    // A thumbnail left by a broadcast that this node did not end (a crash) shows an old picture.
    await this.removeFiles();
    if (this.isClosed) return;
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
    this.tick();
  }

  async close(): Promise<void> {
    this.isClosed = true;
    if (this.timer) clearInterval(this.timer);
    this.child?.kill("SIGKILL");
    await this.grab;
    await this.removeFiles();
  }

  private tick(): void {
    if (this.grab || this.isClosed) return;
    this.grab = this.grabFrame()
      .catch((error: unknown) => {
        if (!this.isClosed) this.options.log.warn({ err: error }, "thumbnail grab failed");
      })
      .finally(() => {
        this.grab = null;
      });
  }

  private async grabFrame(): Promise<void> {
    const { ffmpegPath, ffmpegEnv, timeoutMs = DEFAULT_TIMEOUT_MS } = this.options;
    const child = spawn(ffmpegPath, frameGrabArgs(this.tmpPath), {
      env: ffmpegEnv,
      stdio: ["pipe", "ignore", "pipe"],
    });
    this.child = child;
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => (stderr = (stderr + text).slice(-MAX_STDERR_CHARS)));
    // ffmpeg stops reading once it has its frame; what the tap writes after that is not needed.
    child.stdin.on("error", () => {});
    const tap = this.stream.addViewer(
      "thumbnail",
      "flv",
      corkedSink(child.stdin, () => child.stdin.end()),
    );
    let isTimedOut = false;
    const timeoutTimer = setTimeout(() => {
      isTimedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("error", (error) => {
        stderr += error.message;
        resolve({ code: null, signal: null });
      });
      child.once("close", (code, signal) => resolve({ code, signal }));
    });
    clearTimeout(timeoutTimer);
    this.stream.removeViewer(tap);
    this.child = null;
    if (this.isClosed) return;
    if (isTimedOut) throw new Error(`no frame within ${timeoutMs} ms`);
    if (exit.code !== 0)
      throw new Error(`ffmpeg failed (${exit.code ?? exit.signal ?? "not started"}): ${stderr.trim()}`);
    await rename(this.tmpPath, this.path);
  }

  private async removeFiles(): Promise<void> {
    await Promise.all([rm(this.path, { force: true }), rm(this.tmpPath, { force: true })]);
  }
}

/** ffmpeg arguments: FLV on stdin → the first video frame as a JPEG. */
function frameGrabArgs(output: string): string[] {
  return [
    ...["-hide_banner", "-loglevel", "error", "-nostdin", "-y"],
    // The FLV sequence headers carry the codec parameters: no need to probe 5 s of a live input.
    ...["-analyzeduration", "500000", "-threads", "1", "-f", "flv", "-i", "pipe:0"],
    ...jpegFrameArgs(output),
  ];
}
