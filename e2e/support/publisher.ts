import { spawn, type ChildProcess } from "node:child_process";

export type Encoder = { stop(): Promise<void>; process: ChildProcess };

/** The burned-in clock: this many bits, each a block this wide, on the frame's top rows. */
export const CLOCK_BITS = 32;
export const CLOCK_BLOCK_WIDTH = 20;
export const CLOCK_STRIP_HEIGHT = 16;

/**
 * Bit i of the wall clock in milliseconds (block i from the left): white (Y 235) for 1, black (Y 16)
 * for 0. `T` is the frame's time in seconds, which the chain sets to the wall clock (see below).
 */
const CLOCK_BIT = `if(mod(floor(floor(T*1000+0.5)/pow(2\\,floor(X/${CLOCK_BLOCK_WIDTH})))\\,2)\\,235\\,16)`;

/**
 * Stamps each frame with the wall clock at the moment ffmpeg makes it (after `-re` pacing): the frame
 * time is set to RTCTIME, the top strip is drawn as a barcode of its low 32 bits in milliseconds, and
 * the timestamps are put back to a plain 30 fps count for the encoder.
 */
const CLOCK_FILTER = [
  "[0:v]format=yuv420p,settb=1/1000,setpts=floor(RTCTIME/1000),split[main][strip]",
  `[strip]crop=640:${CLOCK_STRIP_HEIGHT}:0:0,geq=lum='${CLOCK_BIT}':cb=128:cr=128[clock]`,
  "[main][clock]overlay=0:0,setpts=N/30/TB[video]",
].join(";");

/**
 * A broadcaster's encoder: ffmpeg pushing a test pattern with a tone, H.264 + AAC, as OBS would.
 * With `burnClock`, the frames carry the wall clock as a barcode (read back by support/video.ts).
 */
export function publishTestStream(url: string, { burnClock = false }: { burnClock?: boolean } = {}): Encoder {
  const video = burnClock ? ["-filter_complex", CLOCK_FILTER, "-map", "[video]", "-map", "1:a"] : [];
  const child = spawn(
    "ffmpeg",
    [
      ...["-hide_banner", "-loglevel", "error", "-re"],
      ...["-f", "lavfi", "-i", "testsrc=size=640x360:rate=30"],
      ...["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000"],
      ...video,
      ...[
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-tune",
        "zerolatency",
        "-pix_fmt",
        "yuv420p",
        "-g",
        "60",
      ],
      ...["-c:a", "aac", "-ac", "2", "-f", "flv", url],
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  return {
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
