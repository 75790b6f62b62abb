import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { freePort } from "@relaycast/config";

const DEFAULT_REDIS = { host: "127.0.0.1", port: 6379 };

/** A Redis for the local cluster: the one configured or running here, else one started for the run. */
export type LocalRedis = { url: string; close(): Promise<void> };

export async function localRedis({
  configuredUrl,
  launchPrefix,
}: {
  configuredUrl: string | undefined;
  launchPrefix: string[] | null;
}): Promise<LocalRedis> {
  if (configuredUrl) return { url: configuredUrl, close: async () => {} };
  if (await answersPing(DEFAULT_REDIS.host, DEFAULT_REDIS.port)) {
    return { url: `redis://${DEFAULT_REDIS.host}:${DEFAULT_REDIS.port}`, close: async () => {} };
  }
  const port = await freePort();
  const [command = "redis-server", ...prefixArgs] = [...(launchPrefix ?? []), "redis-server"];
  const child = spawn(
    command,
    [...prefixArgs, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const failed = new Promise<never>((_, reject) => {
    child.once("error", () =>
      reject(new Error("No Redis here: install it (apt-get install redis-server) or set REDIS_URL")),
    );
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code})`)));
  });
  await Promise.race([waitForPing(port), failed]);
  return { url: `redis://127.0.0.1:${port}`, close: () => stop(child) };
}

async function waitForPing(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await answersPing("127.0.0.1", port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("redis-server did not answer within 5 s");
}

function answersPing(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1_000 });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data: Buffer) => done(data.toString().startsWith("+PONG")));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
