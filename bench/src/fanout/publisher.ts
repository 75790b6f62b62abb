import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { stopChild } from "../shared/spawn-ts.ts";

export type Publisher = {
  pid: number;
  /** Wall clock when ffmpeg was started: tag timestamp t is "due" at startedAt + t. */
  startedAt: number;
  /** Rejects if ffmpeg exits before `stop` is called. */
  died: Promise<never>;
  stop(): Promise<void>;
};

/** Pushes the clip in real time, looped forever, without re-encoding: `ffmpeg -re -stream_loop -1 … -c copy`. */
export function startPublisher({
  clipPath,
  rtmpUrl,
  ffmpegPath = "ffmpeg",
}: {
  clipPath: string;
  rtmpUrl: string;
  ffmpegPath?: string;
}): Publisher {
  const startedAt = Date.now();
  const child = spawn(
    ffmpegPath,
    [
      ...["-hide_banner", "-loglevel", "error", "-nostdin"],
      ...["-re", "-stream_loop", "-1", "-i", clipPath],
      ...["-c", "copy", "-f", "flv", rtmpUrl],
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  let isStopping = false;
  const died = new Promise<never>((_resolve, reject) => {
    child.once("exit", (code, signal) => {
      if (!isStopping) reject(new Error(`the publisher (ffmpeg) exited (code ${code}, signal ${signal})`));
    });
  });
  died.catch(() => {});
  return {
    pid: child.pid!,
    startedAt,
    died,
    stop: async () => {
      isStopping = true;
      await stopChild(child, 2_000);
    },
  };
}

/** Polls the node's stream API until the channel is live. */
export async function waitUntilLive(httpPort: number, channel: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/streams/${channel}`).catch(() => null);
    const isLive = response?.ok ?? false;
    await response?.body?.cancel();
    if (isLive) return;
    await sleep(100);
  }
  throw new Error(`${channel} did not go live within ${timeoutMs} ms`);
}
