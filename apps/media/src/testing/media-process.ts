import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, isListening, waitFor } from "@relaycast/media/testing";

const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));

export type MediaProcess = {
  child: ChildProcess;
  dataDir: string;
  rtmpPort: number;
  httpPort: number;
  /** `http://127.0.0.1:<port><path>` on its HTTP port. */
  httpUrl(path: string): string;
};

const started: MediaProcess[] = [];

/**
 * `apps/media` as the launcher runs it: its own process, configured by its environment only, on
 * loopback ports of its own. Pass a killed process's `dataDir` and ports to start it again as the
 * same node (a restart after a crash).
 */
export async function startMediaProcess({
  databaseUrl,
  env = {},
  reuse,
}: {
  databaseUrl: string;
  env?: Record<string, string>;
  reuse?: Pick<MediaProcess, "dataDir" | "rtmpPort" | "httpPort">;
}): Promise<MediaProcess> {
  const dataDir = reuse?.dataDir ?? (await mkdtemp(join(tmpdir(), "relaycast-media-node-")));
  const rtmpPort = reuse?.rtmpPort ?? (await freePort());
  const httpPort = reuse?.httpPort ?? (await freePort());
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      MEDIA_HOST: "127.0.0.1",
      MEDIA_RTMP_PORT: String(rtmpPort),
      MEDIA_HTTP_PORT: String(httpPort),
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const media = {
    child,
    dataDir,
    rtmpPort,
    httpPort,
    httpUrl: (path: string) => `http://127.0.0.1:${httpPort}${path}`,
  };
  started.push(media);
  await waitFor(() => isListening(rtmpPort), { timeoutMs: 30_000, message: "the media node to listen" });
  return media;
}

/** SIGKILL, as a crash: the process and nothing else (its ffmpeg sidecars see their input end). */
export async function killMediaProcess(media: MediaProcess): Promise<void> {
  if (media.child.exitCode !== null || media.child.signalCode !== null) return;
  const exited = new Promise((resolve) => media.child.once("exit", resolve));
  media.child.kill("SIGKILL");
  await exited;
}

/** Kills every process started here and removes their data folders (after each test). */
export async function stopMediaProcesses(): Promise<void> {
  const processes = started.splice(0);
  for (const media of processes) await killMediaProcess(media);
  await Promise.all(processes.map((media) => rm(media.dataDir, { recursive: true, force: true })));
}
