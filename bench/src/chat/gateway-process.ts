import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { listen } from "../shared/listen.ts";
import { spawnTs, stopChild } from "../shared/spawn-ts.ts";

/** The chat gateway's own entry point, exactly as production starts it. */
const ENTRY = fileURLToPath(new URL("../../../apps/chat/src/main.ts", import.meta.url));
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

export type GatewayProcessOptions = {
  databaseUrl: string;
  tokenSecret: string;
  ircSecret: string;
  ircGatewayPort: number;
  /** Sockets it must be able to hold: two per chatter (socket.io and IRC) and some. */
  openFiles: number;
  /** With it, the gateway runs under --cpu-prof and writes its profile here on exit. */
  cpuProfileDir: string | null;
};

export type GatewayProcess = {
  pid: number;
  url: string;
  /** Rejects if the gateway dies before `stop` is called. */
  died: Promise<never>;
  stop(): Promise<void>;
};

/**
 * `apps/chat/src/main.ts` in its own process (so its CPU and memory are its own), configured by
 * env as in production, with the per-user rate limit and per-IP connection cap out of the way (this
 * is a latency benchmark, not a flood test). Its logs (level warn) go to our stderr.
 */
export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    WEB_AUTH_SECRET: options.tokenSecret,
    IRC_SECRET: options.ircSecret,
    IRC_HOST: "127.0.0.1",
    IRC_GATEWAY_PORT: String(options.ircGatewayPort),
    CHAT_HOST: "127.0.0.1",
    CHAT_PORT: String(port),
    CHAT_RATE_LIMIT_MESSAGES: "1000000",
    CHAT_MAX_CONNECTIONS_PER_IP: "1000000",
    LOG_LEVEL: "warn",
  };
  delete env.REDIS_URL; // one gateway, in-memory adapter and limiter
  const child = spawnTs(ENTRY, {
    nodeFlags: options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [],
    stdio: ["ignore", "pipe", "pipe"],
    openFiles: options.openFiles,
    env,
  });
  child.stdout!.pipe(process.stderr, { end: false });
  child.stderr!.pipe(process.stderr, { end: false });
  let isStopping = false;
  const died = new Promise<never>((_resolve, reject) => {
    child.once("exit", (code, signal) => {
      if (!isStopping) reject(new Error(`chat gateway exited (code ${code}, signal ${signal})`));
    });
  });
  died.catch(() => {});
  const stop = async () => {
    isStopping = true;
    await stopChild(child, 10_000);
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitForHttp(url), died]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, url, died, stop };
}

/** Resolves once the gateway answers HTTP (any status). */
async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      return;
    } catch {
      await sleep(POLL_MS);
    }
  }
  throw new Error(`chat gateway did not listen within ${START_TIMEOUT_MS} ms`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await listen(server, "127.0.0.1", 0);
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
