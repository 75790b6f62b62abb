import { execFile } from "node:child_process";
import { rename } from "node:fs/promises";
import { promisify } from "node:util";
import { jpegFrameArgs } from "../thumbnails/jpeg-frame-args.ts";

const run = promisify(execFile);
const TIMEOUT_MS = 15_000;

/** The first frame of a recorded segment as the video's thumbnail (JPEG, at most 360 lines), written whole. */
export async function grabVodThumbnail({
  ffmpegPath,
  ffmpegEnv,
  input,
  output,
}: {
  ffmpegPath: string;
  ffmpegEnv: Record<string, string>;
  input: string;
  output: string;
}): Promise<void> {
  const partial = `${output}.tmp`;
  await run(
    ffmpegPath,
    ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", input, ...jpegFrameArgs(partial)],
    {
      env: ffmpegEnv,
      timeout: TIMEOUT_MS,
    },
  );
  await rename(partial, output);
}
