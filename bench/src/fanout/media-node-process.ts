import { once } from "node:events";
import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { LoopDelay } from "../shared/loop-delay.ts";
import { spawnTs, stopChild } from "../shared/spawn-ts.ts";

const ENTRY = fileURLToPath(new URL("./media-node-main.ts", import.meta.url));
const START_TIMEOUT_MS = 30_000;

export type MediaNodeProcess = {
  pid: number;
  ports: { rtmp: number; http: number };
  /** Rejects if the node dies before `stop` is called. */
  died: Promise<never>;
  /** The node's event-loop delay since the previous call (or its start). */
  takeLoopDelay(): Promise<LoopDelay>;
  /** Runs a full garbage collection in the node and returns its memory use afterwards. */
  collectGarbage(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
};

/** Starts the media node in its own process and waits for the ports it bound. */
export async function startMediaNodeProcess({ openFiles }: { openFiles: number }): Promise<MediaNodeProcess> {
  const child = spawnTs(ENTRY, {
    nodeFlags: ["--expose-gc"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
    openFiles,
  });
  let isStopping = false;
  const died = new Promise<never>((_resolve, reject) => {
    child.once("exit", (code, signal) => {
      if (!isStopping) reject(new Error(`media node exited (code ${code}, signal ${signal})`));
    });
  });
  died.catch(() => {});
  const ports = await Promise.race([readPorts(child), died, timeout(START_TIMEOUT_MS)]);
  const ask = async <T>(message: string): Promise<T> => {
    child.send(message);
    const [reply] = (await Promise.race([once(child, "message"), died])) as [T];
    return reply;
  };
  return {
    pid: child.pid!,
    ports,
    died,
    takeLoopDelay: () => ask<LoopDelay>("loop-delay"),
    collectGarbage: () => ask<NodeJS.MemoryUsage>("gc"),
    stop: async () => {
      isStopping = true;
      await stopChild(child);
    },
  };
}

async function readPorts(child: ChildProcess): Promise<{ rtmp: number; http: number }> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const ports = JSON.parse(line) as { rtmp: number; http: number };
    lines.close();
    child.stdout!.resume();
    return ports;
  }
  throw new Error("media node closed its stdout before printing its ports");
}

function timeout(ms: number): Promise<never> {
  return new Promise((_resolve, reject) => {
    setTimeout(() => reject(new Error(`media node did not start within ${ms} ms`)), ms).unref();
  });
}
