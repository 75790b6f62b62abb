import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@relaycast/logger";
import type { LiveStream } from "../live-stream.ts";
import { corkedSink } from "../corked-sink.ts";
import type { Viewer } from "../viewer.ts";

export type HlsPackagerOptions = {
  ffmpegPath: string;
  /** ffmpeg's whole environment (it parses the publisher's video: no secret in it). */
  ffmpegEnv: Record<string, string>;
  /** This stream's folder; the playlist is `index.m3u8` in it. */
  dir: string;
  /** Target segment duration; segments are cut at keyframes, so the encoder's GOP sets the floor. */
  segmentSeconds: number;
  log: Logger;
};

const RESTART_DELAY_MS = 1000;
const PLAYLIST_SEGMENTS = 6;

/**
 * HLS for one live stream without transcoding: an `ffmpeg -c copy` sidecar reads the stream as FLV
 * from a fanout tap on its stdin (bounded like any viewer) and writes short MPEG-TS segments.
 * Restarted if it dies while the stream is live.
 */
export class HlsPackager {
  private child: ChildProcessWithoutNullStreams | null = null;
  private tap: Viewer | null = null;
  private isClosed = false;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly stream: LiveStream,
    private readonly options: HlsPackagerOptions,
  ) {}

  async start(): Promise<void> {
    await rm(this.options.dir, { recursive: true, force: true });
    await mkdir(this.options.dir, { recursive: true });
    if (!this.isClosed) this.spawn();
  }

  async close(): Promise<void> {
    this.isClosed = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    this.detach();
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.stdin.end();
      const killTimer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(killTimer);
    }
    await rm(this.options.dir, { recursive: true, force: true });
  }

  private spawn(): void {
    const { dir, segmentSeconds, ffmpegPath, ffmpegEnv, log } = this.options;
    const child = spawn(
      ffmpegPath,
      [
        ...["-hide_banner", "-loglevel", "error", "-nostdin"],
        // Audio and video only: a data track (a relayed stream's metadata after a move) has no place in HLS.
        ...["-f", "flv", "-i", "pipe:0", "-map", "0:v?", "-map", "0:a?", "-c", "copy", "-f", "hls"],
        ...["-hls_time", String(segmentSeconds), "-hls_list_size", String(PLAYLIST_SEGMENTS)],
        ...["-hls_flags", "delete_segments+independent_segments+temp_file+omit_endlist"],
        ...["-hls_segment_filename", join(dir, "seg-%d.ts"), join(dir, "index.m3u8")],
      ],
      { env: ffmpegEnv, stdio: ["pipe", "pipe", "pipe"] },
    );
    this.child = child;
    child.stdout.resume();
    child.stderr.on("data", (data: Buffer) =>
      log.warn({ ffmpeg: data.toString().trim() }, "hls packager says"),
    );
    child.stdin.on("error", () => {});
    child.on("error", (error) => log.error({ err: error }, "hls packager could not start"));
    child.once("exit", (code, signal) => {
      if (this.child === child) this.detach();
      if (this.isClosed) return;
      log.warn({ code, signal }, "hls packager exited; restarting");
      this.restartTimer = setTimeout(() => this.spawn(), RESTART_DELAY_MS);
    });
    this.tap = this.stream.addViewer(
      "hls",
      "flv",
      corkedSink(child.stdin, () => child.stdin.end()),
    );
  }

  private detach(): void {
    if (this.tap) this.stream.removeViewer(this.tap);
    this.tap = null;
    this.child = null;
  }
}
