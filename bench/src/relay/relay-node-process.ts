import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { exited, spawnTs, stopChild } from "../shared/spawn-ts.ts";

const ENTRY = fileURLToPath(new URL("./relay-node-main.ts", import.meta.url));

export type RelayNodeSpec = { id: string; role: "all" | "edge"; capacityViewers: number };

export type RelayNodeProcess = RelayNodeSpec & {
  pid: number;
  ports: { rtmp: number; http: number; relay: number | null };
  httpUrl(path: string): string;
  rtmpUrl(path: string): string;
  /** SIGKILL: the node dies as a crashed host would. */
  kill(): Promise<void>;
  stop(): Promise<void>;
};

/** Starts one node of the benchmark's cluster in its own process and waits for its ports. */
export async function startRelayNode(
  spec: RelayNodeSpec,
  cluster: { redisUrl: string; prefix: string; secret: string },
): Promise<RelayNodeProcess> {
  const child = spawnTs(ENTRY, {
    args: [
      spec.id,
      spec.role,
      cluster.redisUrl,
      cluster.prefix,
      cluster.secret,
      String(spec.capacityViewers),
    ],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
    openFiles: 65_536,
  });
  const ports = await readPorts(child);
  return {
    ...spec,
    pid: child.pid!,
    ports,
    httpUrl: (path) => `http://127.0.0.1:${ports.http}${path}`,
    rtmpUrl: (path) => `rtmp://127.0.0.1:${ports.rtmp}/${path}`,
    kill: async () => {
      child.kill("SIGKILL");
      await exited(child);
    },
    stop: () => stopChild(child),
  };
}

async function readPorts(child: ChildProcess): Promise<RelayNodeProcess["ports"]> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    lines.close();
    return JSON.parse(line) as RelayNodeProcess["ports"];
  }
  throw new Error("a relay benchmark node exited before it listened");
}
