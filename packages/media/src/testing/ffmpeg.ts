import { spawn, type ChildProcess } from "node:child_process";

export type ProcessExit = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  atMs: number;
};

export type TestPublisher = {
  process: ChildProcess;
  startedAt: number;
  /** Settles when ffmpeg exits, with its code, signal, stderr and when (ms after start). */
  exited: Promise<ProcessExit>;
  /** Whether ffmpeg is still running. */
  readonly isRunning: boolean;
  /** Ends the stream like an encoder that stops cleanly (SIGINT: ffmpeg closes its RTMP session). */
  stop(): Promise<ProcessExit>;
  /** Ends it abruptly (SIGKILL: the TCP connection just drops). */
  kill(): Promise<ProcessExit>;
};

export type PublishTestStreamOptions = {
  /** Picture size (default 320x240). */
  size?: `${number}x${number}`;
  /** Stop on its own after this many seconds of media (default: run until stopped). */
  durationSeconds?: number;
  /** Keyframe interval in frames (default 30: one a second at 30 fps). */
  gop?: number;
  /**
   * Adds temporal noise to the picture so that it does not compress: ~9 Mbit/s instead of a few
   * hundred kbit/s, for tests that need volume (slow viewers, memory bounds).
   */
  noise?: boolean;
};

/** Processes started by this module and not yet exited: `killAllTestProcesses` ends them. */
const running = new Set<ChildProcess>();

/**
 * An encoder: ffmpeg publishing a 320x240@30 (or `size`) test pattern (H.264, yuv420p, keyframe every second)
 * and a sine tone (AAC) in real time as FLV to `url` (rtmp://…).
 */
export function publishTestStream(url: string, options: PublishTestStreamOptions = {}): TestPublisher {
  const { size = "320x240", durationSeconds, gop = 30, noise = false } = options;
  const duration = durationSeconds === undefined ? [] : ["-t", String(durationSeconds)];
  const filter = noise ? ["-vf", "noise=alls=40:allf=t"] : [];
  return runProcess("ffmpeg", [
    ...["-hide_banner", "-loglevel", "error", "-nostdin"],
    ...["-re", "-f", "lavfi", "-i", `testsrc=size=${size}:rate=30`],
    ...["-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"],
    ...duration,
    ...filter,
    ...["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p"],
    ...["-g", String(gop), "-c:a", "aac", "-f", "flv", url],
  ]);
}

/** Spawns a helper process (ffmpeg, ffprobe) that `killAllTestProcesses` can end. */
export function runProcess(command: string, args: string[]): TestPublisher {
  const startedAt = Date.now();
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  running.add(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (data: string) => {
    if (stderr.length < 64 * 1024) stderr += data;
  });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once("error", (error) => {
      running.delete(child);
      resolve({ code: -1, signal: null, stderr: `${stderr}${error.message}`, atMs: Date.now() - startedAt });
    });
    child.once("close", (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stderr, atMs: Date.now() - startedAt });
    });
  });
  const end = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const hardKill = setTimeout(() => child.kill("SIGKILL"), 3_000);
      void exited.then(() => clearTimeout(hardKill));
    }
    return exited;
  };
  return {
    process: child,
    startedAt,
    exited,
    get isRunning() {
      return child.exitCode === null && child.signalCode === null;
    },
    stop: () => end("SIGINT"),
    kill: () => end("SIGKILL"),
  };
}

/** Kills every helper process still running (an afterEach/afterAll safety net). */
export async function killAllTestProcesses(): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("close", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}
