import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { TEST_HOST } from "./test-media-node.ts";

const ENTRY = fileURLToPath(new URL("./media-node-process-main.ts", import.meta.url));
const TSX_CLI = createRequire(import.meta.url).resolve("tsx/cli");

export type MediaNodeProcess = {
  ports: { rtmp: number; http: number };
  rtmpUrl(path: string): string;
  httpUrl(path: string): string;
  /** Whether the process is still running. */
  readonly isRunning: boolean;
  /** What it wrote to stderr (its warnings and errors, or how it died). */
  readonly stderr: string;
  stop(): Promise<void>;
};

/** A media node with an in-memory store (`keys`: stream key → channel) in its own process. */
export async function startMediaNodeProcess(
  keys: Record<string, string>,
  { reconnectGraceMs = 3_000 } = {},
): Promise<MediaNodeProcess> {
  const child = spawn(process.execPath, [TSX_CLI, ENTRY, JSON.stringify(keys), String(reconnectGraceMs)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (data: string) => {
    if (stderr.length < 256 * 1024) stderr += data;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once("line", resolve)),
    exited.then(() => null),
  ]);
  lines.close();
  if (first === null) throw new Error(`the media node process exited at start: ${stderr}`);
  const ports = JSON.parse(first) as { rtmp: number; http: number };
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    ports,
    rtmpUrl: (path) => `rtmp://${TEST_HOST}:${ports.rtmp}/${path.replace(/^\//, "")}`,
    httpUrl: (path) => `http://${TEST_HOST}:${ports.http}${path}`,
    get isRunning() {
      return isRunning();
    },
    get stderr() {
      return stderr;
    },
    stop: async () => {
      if (!isRunning()) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
