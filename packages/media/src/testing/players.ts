import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type PlayerResult = { frames: number; output: string };

/**
 * Runs a GStreamer pipeline (gst-launch-1.0 -v) whose decoded video ends in `fakesink name=video
 * silent=false`, and counts the frames that reach it. Resolves once `frames` arrived (the pipeline is
 * then stopped), or with what arrived when it exits or `timeoutMs` passes.
 */
export function playWithGstreamer(
  pipeline: string,
  frames: number,
  timeoutMs = 20_000,
): Promise<PlayerResult> {
  return new Promise((resolve) => {
    const child = spawn("gst-launch-1.0", ["-v", ...pipeline.split(/\s+/)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let count = 0;
    const finish = () => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      resolve({ frames: count, output: output.slice(-4_000) });
    };
    const timer = setTimeout(finish, timeoutMs);
    const read = (data: Buffer) => {
      const text = data.toString("utf8");
      output = (output + text).slice(-64 * 1024);
      count += text.split("video: last-message = chain").length - 1;
      if (count >= frames) finish();
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("error", (error) => {
      output += String(error);
      finish();
    });
    child.once("exit", finish);
  });
}

/** Plays `url` with mpv until `frames` video frames were decoded and written out as images; counts them. */
export async function playWithMpv(url: string, frames: number, timeoutMs = 20_000): Promise<PlayerResult> {
  const dir = await mkdtemp(join(tmpdir(), "relaycast-mpv-"));
  try {
    const args = ["--no-config", "--really-quiet", "--ao=null", "--vo=image", "--vo-image-format=png"];
    const output = await new Promise<string>((resolve) => {
      const child = spawn(
        "mpv",
        [...args, `--vo-image-outdir=${dir}`, `--frames=${frames}`, "--untimed", url],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let text = "";
      child.stdout.on("data", (data: Buffer) => (text += data.toString("utf8")));
      child.stderr.on("data", (data: Buffer) => (text += data.toString("utf8")));
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.once("error", (error) => resolve(`${text}${String(error)}`));
      child.once("exit", () => {
        clearTimeout(timer);
        resolve(text);
      });
    });
    return { frames: (await readdir(dir)).length, output: output.slice(-4_000) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
