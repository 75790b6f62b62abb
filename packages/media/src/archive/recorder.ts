import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { statfs } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "@relaycast/logger";
import { corkedSink } from "../edge/corked-sink.ts";
import type { LiveStream } from "../edge/live-stream.ts";
import type { Viewer, ViewerLimits } from "../edge/viewer.ts";
import type { StreamAttachment, TBroadcastOutcome } from "../live-state/broadcast-manager.ts";
import type { ArchiveStorage } from "./archive-storage.ts";
import { PART_PLAYLIST, PART_SEGMENT_PATTERN } from "./archive-paths.ts";
import type { RecordingFinisher } from "./recording-finisher.ts";
import type { RecordingStore } from "./recording-store.ts";

export type RecorderOptions = {
  broadcastId: string;
  storage: ArchiveStorage;
  store: RecordingStore;
  finisher: RecordingFinisher;
  ffmpegPath: string;
  /** ffmpeg's whole environment (it parses the publisher's stream: no secret in it). */
  ffmpegEnv: Record<string, string>;
  /** Target segment length; segments are cut at keyframes, so the encoder's GOP sets the floor. */
  segmentSeconds: number;
  /**
   * The recording stops when the archive's disk has less free space than this. ffmpeg's HLS muxer
   * does not: on a full disk it goes on writing empty segments and truncates its playlist, silently.
   */
  minFreeBytes: number;
  /** The recording stopped before its broadcast: counted and shown to the channel's owner. */
  failed(reason: TRecordingFailure): void;
  log: Logger;
};

export type TRecordingFailure = "disk-full" | "too-slow" | "recorder-exited" | "could-not-start";

/**
 * The recorder's tap never skips a frame: a recording with holes is worse than one that stops. It
 * may fall behind by far more than a viewer (a disk that stalls for a while), and once past these
 * bounds the recording stops, so the fanout's memory stays bounded whatever the disk does.
 */
const RECORDING_TAP_LIMITS: ViewerLimits = {
  maxBufferedBytes: 8 * 1024 * 1024,
  maxQueueBytes: 32 * 1024 * 1024,
  maxQueueMs: 30_000,
  maxBehindMs: 30_000,
  overflow: "drop",
};

const STDERR_TAIL_CHARS = 1_000;
const EXIT_WAIT_MS = 10_000;
const DISK_CHECK_MS = 1_000;

/**
 * Records one part of a broadcast at its origin, without transcoding: an `ffmpeg -c copy` sidecar
 * reads the stream as FLV from a fanout tap and writes an HLS EVENT playlist of MPEG-TS segments cut
 * at keyframes. Each closed segment is a file on its own and the playlist is rewritten after each, so
 * a crash of this process loses at most the segment being written (ffmpeg, which outlives it, sees
 * its input end and closes even that one). A publisher who reconnects within the grace period keeps
 * the same stream, so the same part goes on. When the broadcast ends here, the recording is finished.
 */
export class Recorder implements StreamAttachment {
  private child: ChildProcessWithoutNullStreams | null = null;
  private tap: Viewer | null = null;
  private recordingId: string | null = null;
  private failure: TRecordingFailure | null = null;
  private isClosing = false;
  private stderr = "";
  private diskTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly stream: LiveStream,
    private readonly options: RecorderOptions,
  ) {}

  async start(): Promise<void> {
    const { store, storage, broadcastId } = this.options;
    try {
      const { recordingId, partDir } = await store.openRecordingPart(broadcastId);
      this.recordingId = recordingId;
      const folder = await storage.partFolder(`${recordingId}/${partDir}`);
      if (this.isClosing || !(await this.hasRoom(folder))) return;
      this.spawn(folder);
      this.diskTimer = setInterval(() => void this.hasRoom(folder), DISK_CHECK_MS);
      this.diskTimer.unref();
    } catch (error) {
      this.fail("could-not-start", error);
    }
  }

  /** Whether the archive's disk has room; when it has not, the recording stops. */
  private async hasRoom(folder: string): Promise<boolean> {
    const disk = await statfs(folder).catch(() => null);
    const freeBytes = disk ? disk.bavail * disk.bsize : Number.POSITIVE_INFINITY;
    if (freeBytes >= this.options.minFreeBytes) return true;
    this.fail(
      "disk-full",
      new Error(`${freeBytes} bytes free on the archive's disk, under ${this.options.minFreeBytes}`),
    );
    return false;
  }

  async close(outcome: TBroadcastOutcome): Promise<void> {
    this.isClosing = true;
    await this.stopFfmpeg();
    if (outcome !== "ended" || !this.recordingId) return;
    await this.options.finisher.finish(this.recordingId, this.failure ? "interrupted" : "ready");
  }

  private spawn(folder: string): void {
    const { ffmpegPath, ffmpegEnv, segmentSeconds } = this.options;
    const child = spawn(
      ffmpegPath,
      [
        ...["-hide_banner", "-loglevel", "error", "-nostdin"],
        ...["-f", "flv", "-i", "pipe:0", "-map", "0:v?", "-map", "0:a?", "-c", "copy", "-f", "hls"],
        ...["-hls_time", String(segmentSeconds), "-hls_playlist_type", "event"],
        ...["-hls_flags", "independent_segments+temp_file"],
        ...["-hls_segment_filename", join(folder, PART_SEGMENT_PATTERN), join(folder, PART_PLAYLIST)],
      ],
      { env: ffmpegEnv, stdio: ["pipe", "pipe", "pipe"] },
    );
    this.child = child;
    child.stdout.resume();
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => (this.stderr = (this.stderr + text).slice(-STDERR_TAIL_CHARS)));
    child.stdin.on("error", () => {});
    child.on("error", (error) => this.fail("recorder-exited", error));
    child.once("exit", (code, signal) => {
      this.removeTap();
      if (!this.isClosing)
        this.fail("recorder-exited", new Error(`ffmpeg exited (${code ?? signal}): ${this.stderr.trim()}`));
    });
    this.tap = this.stream.addViewer(
      "recording",
      "flv",
      corkedSink(child.stdin, (reason) => {
        // Past its bounds the tap is closed: the recording stops with what ffmpeg has (its input ends cleanly).
        if (reason !== "stream-ended" && !this.isClosing)
          this.fail("too-slow", new Error("the archive's disk fell too far behind the stream"));
        child.stdin.end();
      }),
      RECORDING_TAP_LIMITS,
    );
  }

  /** Ends ffmpeg's input and waits for it to write its last segment and the playlist's end. */
  private async stopFfmpeg(): Promise<void> {
    if (this.diskTimer) clearInterval(this.diskTimer);
    const child = this.child;
    this.removeTap();
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.stdin.end();
    const killTimer = setTimeout(() => child.kill("SIGKILL"), EXIT_WAIT_MS);
    await exited;
    clearTimeout(killTimer);
  }

  private removeTap(): void {
    if (this.tap) this.stream.removeViewer(this.tap);
    this.tap = null;
  }

  private fail(reason: TRecordingFailure, error: unknown): void {
    if (this.failure) return;
    this.failure = reason;
    this.options.failed(reason);
    this.options.log.error({ err: error, reason, recordingId: this.recordingId }, "recording stopped");
    if (this.recordingId) {
      this.options.store
        .recordFailure(this.recordingId, failureNotice(reason))
        .catch((storeError: unknown) =>
          this.options.log.warn({ err: storeError }, "could not record why the recording stopped"),
        );
    }
    void this.stopFfmpeg();
  }
}

/** What the channel's owner reads on the dashboard. */
function failureNotice(reason: TRecordingFailure): string {
  switch (reason) {
    case "disk-full":
      return "Recording stopped: the archive's disk is full.";
    case "too-slow":
      return "Recording stopped: the archive's disk could not keep up with the stream.";
    case "recorder-exited":
      return "Recording stopped: the recorder failed (is the archive's disk full?).";
    case "could-not-start":
      return "This broadcast could not be recorded.";
  }
}
