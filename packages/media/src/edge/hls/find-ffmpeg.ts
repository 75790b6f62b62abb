import { spawn } from "node:child_process";

/** Whether ffmpeg runs here; without it the node serves no HLS (every other protocol still works). */
export function canRunFfmpeg(ffmpegPath: string, env: Record<string, string>): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(ffmpegPath, ["-version"], { env, stdio: "ignore" });
    child.once("error", () => resolve(false));
    child.once("exit", (code) => resolve(code === 0));
  });
}
