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
  archiveDiskBytes,
}: {
  databaseUrl: string;
  env?: Record<string, string>;
  reuse?: Pick<MediaProcess, "dataDir" | "rtmpPort" | "httpPort">;
  /**
   * Gives the archive a disk of its own this small (a tmpfs in a mount namespace of the process's
   * own, made with `unshare`, root or not), to see what a full disk does.
   */
  archiveDiskBytes?: number;
}): Promise<MediaProcess> {
  const dataDir = reuse?.dataDir ?? (await mkdtemp(join(tmpdir(), "relaycast-media-node-")));
  const rtmpPort = reuse?.rtmpPort ?? (await freePort());
  const httpPort = reuse?.httpPort ?? (await freePort());
  const node = [process.execPath, "--import", "tsx", "src/main.ts"];
  const archiveDir = join(dataDir, "archive");
  const [command, ...args] =
    archiveDiskBytes === undefined
      ? node
      : [
          ...["unshare", "--mount", "--map-root-user", "--propagation", "private", "sh", "-c"],
          'mkdir -p "$0" && mount -t tmpfs -o size="$1" none "$0" && shift && exec "$@"',
          ...[archiveDir, String(archiveDiskBytes), ...node],
        ];
  const child = spawn(command!, args, {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      MEDIA_HOST: "127.0.0.1",
      MEDIA_RTMP_PORT: String(rtmpPort),
      MEDIA_HTTP_PORT: String(httpPort),
      LOG_LEVEL: "warn",
      MEDIA_ARCHIVE_DIR: archiveDir,
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
