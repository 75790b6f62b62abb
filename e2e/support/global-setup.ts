import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "@relaycast/db/testing";
import {
  E2E_LOGIN_LIMIT_PER_ACCOUNT,
  E2E_MEDIA_HTTP_PORT,
  E2E_MEDIA_PUBLIC_URL,
  E2E_RTMP_INGEST_URL,
  E2E_RTMP_PORT,
  E2E_WEB_PORT,
} from "./platform-env.ts";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = `${REPO_ROOT}node_modules/.bin/tsx`;

/**
 * Starts the platform as `npm start` runs it (the web app and a media node), against a fresh
 * database on the machine's PostgreSQL, and tears it all down after the run. The web app must have
 * been built (`turbo` builds it first).
 */
export default async function globalSetup() {
  const database = await createTestDatabase("relaycast_e2e");
  const dataDir = await mkdtemp(join(tmpdir(), "relaycast-e2e-"));
  process.env.E2E_DATABASE_URL = database.databaseUrl;
  const common = { ...process.env, DATABASE_URL: database.databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  const media = start("apps/media", "src/main.ts", {
    ...common,
    MEDIA_HOST: "127.0.0.1",
    MEDIA_RTMP_PORT: String(E2E_RTMP_PORT),
    MEDIA_HTTP_PORT: String(E2E_MEDIA_HTTP_PORT),
    MEDIA_NODE_ID: "e2e",
  });
  const web = start("apps/web", "src/server.ts", {
    ...common,
    NODE_ENV: "production",
    WEB_PORT: String(E2E_WEB_PORT),
    WEB_PUBLIC_URL: `http://127.0.0.1:${E2E_WEB_PORT}`,
    WEB_AUTH_SECRET: randomBytes(32).toString("base64url"),
    WEB_RTMP_INGEST_URL: E2E_RTMP_INGEST_URL,
    WEB_MEDIA_API_URL: `http://127.0.0.1:${E2E_MEDIA_HTTP_PORT}`,
    // Where the browser plays from: without it the play API points at port 8000 on the page's host.
    WEB_MEDIA_PUBLIC_URL: E2E_MEDIA_PUBLIC_URL,
    WEB_LOGIN_LIMIT_PER_ACCOUNT: String(E2E_LOGIN_LIMIT_PER_ACCOUNT),
    WEB_LOGIN_LIMIT_PER_IP: "500",
    WEB_SIGNUP_LIMIT_PER_IP_PER_HOUR: "500",
  });
  await Promise.all([
    waitForHttp(`http://127.0.0.1:${E2E_WEB_PORT}/login`, 60_000),
    waitForHttp(`http://127.0.0.1:${E2E_MEDIA_HTTP_PORT}/api/v1/streams`, 60_000),
  ]);

  return async () => {
    await Promise.all([stop(web), stop(media)]);
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

function start(app: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(TSX, [entry], {
    cwd: `${REPO_ROOT}${app}`,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
